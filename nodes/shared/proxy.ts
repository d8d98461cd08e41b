/**
 * Outbound proxies, decided the way n8n decides them, so that every vendor goes through the same
 * proxy n8n's own HTTP helper would use.
 *
 * n8n (1.123 and 2.41 alike) picks the proxy of a request with `proxy-from-env` 1.1.0:
 * `<scheme>_proxy`, then `all_proxy` (and their `npm_config_` forms), lower case before upper
 * case; `no_proxy` entries are matched literally: a host, a `.domain` or `*.domain` suffix, a
 * `host:port`, or `*`. There is no automatic bypass for loopback addresses: `localhost` in
 * NO_PROXY does not cover `127.0.0.1`. HTTPS goes through a CONNECT tunnel (the proxy only sees
 * the host and port, TLS runs end to end inside the tunnel), plain HTTP is sent to the proxy
 * with the absolute URL. Proxy credentials come from the proxy URL (`http://user:password@host`)
 * and are sent as `Proxy-Authorization: Basic`.
 *
 * The package uses these rules where it opens connections itself (FAST Parapheur's client
 * certificate, the credential Tests: see http.ts), and to name the proxy in messages where n8n's
 * helper carries the request.
 */
import { STATUS_CODES } from 'node:http';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';

import type { ErrorDetails } from './errors';
import { secretVariants } from './redaction';

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** The port of a URL, its scheme's default when it names none. */
export function portOf(url: URL): number {
	return Number(url.port) || DEFAULT_PORTS[url.protocol] || 0;
}

function environment(name: string, env: NodeJS.ProcessEnv): string {
	return env[name.toLowerCase()] || env[name.toUpperCase()] || '';
}

/** Whether a NO_PROXY list names the host (and port) of `url`, by proxy-from-env 1.1.0's rules. */
function bypassed(url: URL, noProxy: string): boolean {
	const hostname = url.host.replace(/:\d*$/, '');
	const port = portOf(url);
	return noProxy.split(/[,\s]/).some((entry) => {
		if (!entry) return false;
		const parsed = /^(.+):(\d+)$/.exec(entry);
		let host = parsed ? parsed[1] : entry;
		const entryPort = parsed ? Number(parsed[2]) : 0;
		if (entryPort && entryPort !== port) return false;
		if (!/^[.*]/.test(host)) return hostname === host;
		if (host.startsWith('*')) host = host.slice(1);
		return hostname.endsWith(host);
	});
}

/** The proxy URL n8n itself uses for `url`, or '' for none. */
export function proxyForUrl(url: URL, env: NodeJS.ProcessEnv = process.env): string {
	const scheme = url.protocol.replace(/:$/, '');
	const noProxy = (environment('npm_config_no_proxy', env) || environment('no_proxy', env)).toLowerCase();
	if (noProxy === '*' || (noProxy && bypassed(url, noProxy))) return '';
	const proxy =
		environment(`npm_config_${scheme}_proxy`, env) ||
		environment(`${scheme}_proxy`, env) ||
		environment('npm_config_proxy', env) ||
		environment('all_proxy', env);
	return proxy && !proxy.includes('://') ? `${scheme}://${proxy}` : proxy;
}

/** The proxy a request goes through: where it is, how to name it, what to hide. */
export interface Proxy {
	url: URL;
	/** `http://host:port`, without user or password: the only form that reaches a message. */
	shown: string;
	/** Whether the proxy URL carries a user or password (sent as Proxy-Authorization). */
	hasCredentials: boolean;
	/** The proxy's password in every form it could take in a text, and the URL that holds it. */
	secrets: string[];
}

/** The proxy for `url` (undefined for none, or for a proxy variable that is not a URL). */
export function proxyFor(url: URL | string, env: NodeJS.ProcessEnv = process.env): Proxy | undefined {
	const target = typeof url === 'string' ? (URL.canParse(url) ? new URL(url) : undefined) : url;
	const text = target ? proxyForUrl(target, env) : '';
	if (!text || !URL.canParse(text)) return undefined;
	const proxy = new URL(text);
	const password = decodeComponent(proxy.password);
	const user = decodeComponent(proxy.username);
	return {
		url: proxy,
		shown: `${proxy.protocol}//${proxy.host}`,
		hasCredentials: Boolean(proxy.username || proxy.password),
		secrets: proxy.password ? [text, proxy.href, ...secretVariants([password], user)] : [],
	};
}

/** A user or password of a proxy URL as meant; a broken %-escape is taken as written (it is never shown). */
function decodeComponent(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/** The Proxy-Authorization header for a proxy URL with credentials, else none. */
export function proxyAuthorization(proxy: URL): Record<string, string> {
	if (!proxy.username && !proxy.password) return {};
	const token = Buffer.from(`${decodeComponent(proxy.username)}:${decodeComponent(proxy.password)}`).toString('base64');
	return { 'proxy-authorization': `Basic ${token}` };
}

/** The proxy's own answer to a CONNECT it did not accept (the status is the proxy's, not the server's). */
export class ProxyRefusal extends Error {
	readonly code = 'EPROXY';

	constructor(
		readonly status: number,
		readonly headers: http.IncomingHttpHeaders,
	) {
		super(`The proxy answered HTTP ${status} to CONNECT`);
	}
}

/** A failure on the way to the proxy (not to the server): marked so it is not read as a TLS refusal. */
export type TunnelError = Error & { code?: string; proxyPhase?: boolean };

/**
 * Opens a CONNECT tunnel through `proxy` to `host:port`. Rejects with a ProxyRefusal when the
 * proxy answers anything but 200, with a TunnelError when it cannot be reached or does not
 * answer within `timeoutMs`.
 */
export async function openTunnel(proxy: URL, host: string, port: number, timeoutMs?: number): Promise<Duplex> {
	const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
	const secure = proxy.protocol === 'https:';
	const send = secure ? https.request : http.request;
	// A plain agent of our own: `agent: false` would make one of the global agent's class, which
	// n8n 2.x replaces with its proxy router when proxy variables are set, and the CONNECT to the
	// proxy would itself be sent through HTTP_PROXY.
	const agent = secure ? new https.Agent({ keepAlive: false }) : new http.Agent({ keepAlive: false });
	return await new Promise<Duplex>((resolve, reject) => {
		const fail = (error: TunnelError) => {
			error.proxyPhase = true;
			reject(error);
		};
		const request = send({
			host: proxy.hostname.replace(/^\[|\]$/g, ''),
			port: portOf(proxy),
			method: 'CONNECT',
			path: authority,
			headers: { host: authority, ...proxyAuthorization(proxy) },
			agent,
		});
		if (timeoutMs) {
			request.setTimeout(timeoutMs, () => {
				const error: TunnelError = new Error(`timeout of ${timeoutMs}ms exceeded`);
				error.code = 'ETIMEDOUT';
				request.destroy(error);
			});
		}
		request.once('connect', (response, socket, head) => {
			if (response.statusCode === 200) {
				request.setTimeout(0);
				if (head.length > 0) socket.unshift(head);
				resolve(socket);
				return;
			}
			// Node hands over the socket whatever the status; the proxy's page is not needed.
			socket.destroy();
			reject(new ProxyRefusal(response.statusCode ?? 0, response.headers));
		});
		request.once('error', fail);
		request.end();
	});
}

/**
 * An HTTPS agent whose connections go through a CONNECT tunnel: the tunnel is opened
 * asynchronously, then TLS to the server runs inside it with the agent's TLS options (a client
 * certificate included), so the proxy sees only the host and port. Keep-alive works as for any
 * HTTPS agent: a tunnelled TLS socket is pooled and reused like a direct one.
 */
export class TunnelAgent extends https.Agent {
	constructor(
		private readonly proxy: URL,
		options: https.AgentOptions,
	) {
		super(options);
	}

	private closed = false;

	/** Also closes a tunnel that opens after the agent was destroyed (the execution is over). */
	destroy(): void {
		this.closed = true;
		super.destroy();
	}

	createConnection(options: https.RequestOptions, callback?: (error: Error | null, socket: Duplex) => void): Duplex | null | undefined {
		const host = String(options.host ?? options.hostname ?? 'localhost').replace(/^\[|\]$/g, '');
		const port = Number(options.port) || 443;
		const timeoutMs = typeof options.timeout === 'number' ? options.timeout : undefined;
		openTunnel(this.proxy, host, port, timeoutMs).then(
			(socket) => {
				// The TLS options of the request (servername, client certificate, CAs) apply to the
				// server at the end of the tunnel; host and port are only for the certificate check.
				const tlsOptions: tls.ConnectionOptions & { path?: unknown; agent?: unknown } = { ...(options as tls.ConnectionOptions) };
				delete tlsOptions.path;
				delete tlsOptions.agent;
				if (this.closed) {
					socket.destroy();
					callback?.(new Error('The connection was closed'), undefined as unknown as Duplex);
					return;
				}
				callback?.(null, tls.connect({ ...tlsOptions, host, port, socket }));
			},
			(error: Error) => callback?.(error, undefined as unknown as Duplex),
		);
		return undefined;
	}
}

/** The words for a proxy's status (HTTP 407 Proxy Authentication Required). */
function statusWords(status: number): string {
	const text = STATUS_CODES[status];
	return `HTTP ${status}${text ? ` ${text}` : ''}`;
}

const PROXY_VARIABLES = 'HTTPS_PROXY, HTTP_PROXY and NO_PROXY on the n8n host';

/**
 * What a proxy's refusal means: 407 (it wants credentials, or rejected those in its URL), or any
 * other status it gave instead of carrying the request (502 Bad Gateway: it could not reach the
 * server, or was told not to). Names the proxy, never its credentials.
 */
export function describeProxyRefusal(vendor: string, proxy: Proxy, status: number): ErrorDetails {
	if (status === 407) {
		return proxy.hasCredentials
			? {
					message: `The proxy ${proxy.shown} rejected the user and password given in its URL (${statusWords(status)})`,
					description: `Check the proxy's user and password in its URL (${PROXY_VARIABLES}).`,
				}
			: {
					message: `The proxy ${proxy.shown} asks for credentials (${statusWords(status)})`,
					description: `Check the proxy URL: put the proxy's user and password in it, e.g. http://user:password@proxy:3128 (${PROXY_VARIABLES}), or add this host to NO_PROXY if n8n may reach it directly.`,
				};
	}
	return {
		message: `${vendor} could not be reached through the proxy ${proxy.shown} (${statusWords(status)})`,
		description: `Check that the proxy lets n8n reach this host and port (it refused to carry the request, or got no answer from ${vendor}), or add the host to NO_PROXY if n8n may reach it directly (${PROXY_VARIABLES}).`,
	};
}

/** The hint added to connection failures made through a proxy. */
export const PROXY_HINT = `Check ${PROXY_VARIABLES}.`;
