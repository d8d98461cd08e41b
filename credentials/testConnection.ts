/**
 * The HTTP side of the credential Tests that the nodes run (`testedBy` + `methods.credentialTest`)
 * for Maarch Courrier, Trust and Sign and FlowerDocs: one request, its answer whatever its status,
 * and connection failures in words.
 *
 * Why the Tests are not declarative (`test` with `rules`): n8n 1.x loses the HTTP status of a
 * failed test request. Its tester reads the status from `error.cause.response`, but n8n-workflow
 * 1.x's ExecutionBaseError redeclares `cause` as a class field and only copies a cause that is not
 * an Error, so the axios error the request failed with is dropped: the tester never matches a rule
 * and shows NodeApiError's generic text ("Authorization failed - please check your credentials").
 * n8n 2.x keeps the cause. A node-level Test returns its own message on both lines, but its context
 * offers only the deprecated `request` helper, so the request is made here with Node's own HTTP
 * client (as the FAST transport does), honouring the proxy variables as n8n does.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';

import type { INodeCredentialTestResult } from 'n8n-workflow';

import { excerpt } from '../nodes/shared/errors';
import { redact } from '../nodes/shared/redaction';

/** How long a Test waits for each answer. */
export const TEST_TIMEOUT_MS = 20_000;

/** Answers larger than this are cut: a Test only reads small JSON answers. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface TestRequest {
	method: 'GET' | 'POST';
	url: string;
	headers?: Record<string, string>;
	/** JSON text. */
	body?: string;
	/** Verify the server's certificate (default true). */
	rejectUnauthorized?: boolean;
	timeoutMs?: number;
}

export interface TestResponse {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
}

/** A request that got no HTTP answer: `code` is Node's error code, or ETIMEDOUT. */
export class ConnectionFailure extends Error {
	constructor(
		message: string,
		readonly code: string,
		/** The proxy used, without its credentials, when there was one. */
		readonly proxy?: string,
		/** For a request that got no answer in time: how long it waited. */
		readonly waitedSeconds?: number,
	) {
		super(message);
	}
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

function environment(name: string, env: NodeJS.ProcessEnv): string {
	return env[name.toLowerCase()] || env[name.toUpperCase()] || '';
}

/**
 * The proxy n8n itself uses for `url`, or '' for none: the rules of `proxy-from-env` 1.1.0, which
 * n8n's HTTP helpers use on both lines (`<scheme>_proxy`, `all_proxy`, their `npm_config_` forms,
 * and `no_proxy` entries matched literally: host, `.domain` or `*.domain` suffix, `host:port`, `*`).
 */
export function proxyForUrl(url: URL, env: NodeJS.ProcessEnv = process.env): string {
	const scheme = url.protocol.replace(/:$/, '');
	const hostname = url.host.replace(/:\d*$/, '');
	const port = Number(url.port) || DEFAULT_PORTS[url.protocol] || 0;
	const noProxy = (environment('npm_config_no_proxy', env) || environment('no_proxy', env)).toLowerCase();
	if (noProxy === '*') return '';
	if (noProxy) {
		const bypass = noProxy.split(/[,\s]/).some((entry) => {
			if (!entry) return false;
			const parsed = /^(.+):(\d+)$/.exec(entry);
			let host = parsed ? parsed[1] : entry;
			const entryPort = parsed ? Number(parsed[2]) : 0;
			if (entryPort && entryPort !== port) return false;
			if (!/^[.*]/.test(host)) return hostname === host;
			if (host.startsWith('*')) host = host.slice(1);
			return hostname.endsWith(host);
		});
		if (bypass) return '';
	}
	const proxy =
		environment(`npm_config_${scheme}_proxy`, env) ||
		environment(`${scheme}_proxy`, env) ||
		environment('npm_config_proxy', env) ||
		environment('all_proxy', env);
	return proxy && !proxy.includes('://') ? `${scheme}://${proxy}` : proxy;
}

/** A proxy URL fit for a message: no user or password. */
function shownProxy(proxy: URL): string {
	return `${proxy.protocol}//${proxy.host}`;
}

function proxyAuthorization(proxy: URL): Record<string, string> {
	if (!proxy.username && !proxy.password) return {};
	const token = Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64');
	return { 'proxy-authorization': `Basic ${token}` };
}

function hostHeader(url: URL): string {
	return url.port ? `${url.hostname}:${url.port}` : url.hostname;
}

/** The host name to check the server certificate against (none for an IP address). */
function serverName(url: URL): string | undefined {
	const host = url.hostname.replace(/^\[|\]$/g, '');
	return isIP(host) ? undefined : host;
}

/** Opens a CONNECT tunnel through `proxy` to the target's host and port. */
async function openTunnel(proxy: URL, target: URL, signal: AbortSignal): Promise<Duplex> {
	const port = Number(target.port) || DEFAULT_PORTS[target.protocol];
	const authority = `${target.hostname}:${port}`;
	const send = proxy.protocol === 'https:' ? https.request : http.request;
	return await new Promise<Duplex>((resolve, reject) => {
		const request = send({
			host: proxy.hostname,
			port: Number(proxy.port) || DEFAULT_PORTS[proxy.protocol],
			method: 'CONNECT',
			path: authority,
			headers: { host: authority, ...proxyAuthorization(proxy) },
			signal,
			agent: false,
		});
		request.once('connect', (response, socket) => {
			if (response.statusCode === 200) {
				resolve(socket);
				return;
			}
			socket.destroy();
			reject(
				new ConnectionFailure(
					`The proxy ${shownProxy(proxy)} refused to open a tunnel to ${authority} (HTTP ${response.statusCode ?? 0}${response.statusMessage ? ` ${response.statusMessage}` : ''})`,
					'EPROXY',
					shownProxy(proxy),
				),
			);
		});
		request.once('error', reject);
		request.end();
	});
}

async function readAnswer(response: http.IncomingMessage): Promise<TestResponse> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of response) {
		const buffer = chunk as Buffer;
		if (size < MAX_BODY_BYTES) chunks.push(buffer.subarray(0, MAX_BODY_BYTES - size));
		size += buffer.length;
	}
	return { status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') };
}

function failureOf(error: unknown, timedOut: boolean, timeoutMs: number, proxy?: URL): ConnectionFailure {
	if (error instanceof ConnectionFailure) return error;
	const via = proxy ? shownProxy(proxy) : undefined;
	if (timedOut) {
		const seconds = Math.max(1, Math.round(timeoutMs / 1000));
		return new ConnectionFailure(`no answer within ${seconds} seconds`, 'ETIMEDOUT', via, seconds);
	}
	const code = String((error as { code?: unknown }).code ?? 'ECONNRESET');
	return new ConnectionFailure(String((error as Error).message ?? code), code, via);
}

/**
 * Sends one request (no redirects followed) and returns its answer whatever its status. Throws a
 * ConnectionFailure when there is no answer. Never puts the request's headers or body in an error.
 */
export async function sendTestRequest(request: TestRequest): Promise<TestResponse> {
	const target = new URL(request.url);
	const proxyText = proxyForUrl(target);
	const proxy = proxyText && URL.canParse(proxyText) ? new URL(proxyText) : undefined;
	const timeoutMs = request.timeoutMs ?? TEST_TIMEOUT_MS;
	const controller = new AbortController();
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		controller.abort();
	}, timeoutMs);
	const rejectUnauthorized = request.rejectUnauthorized !== false;
	const headers: Record<string, string> = {
		accept: 'application/json',
		connection: 'close',
		...(request.headers ?? {}),
		host: hostHeader(target),
	};
	if (request.body !== undefined) {
		headers['content-type'] ??= 'application/json';
		headers['content-length'] = String(Buffer.byteLength(request.body));
	}
	const secure = target.protocol === 'https:';
	try {
		let options: https.RequestOptions;
		let send: typeof http.request = secure ? https.request : http.request;
		if (proxy && secure) {
			const tunnel = await openTunnel(proxy, target, controller.signal);
			const socket = tls.connect({ socket: tunnel, servername: serverName(target), rejectUnauthorized });
			options = { path: `${target.pathname}${target.search}`, createConnection: () => socket };
		} else if (proxy) {
			// A plain HTTP request goes to the proxy whole, with the absolute URL as its target.
			send = proxy.protocol === 'https:' ? https.request : http.request;
			options = {
				host: proxy.hostname,
				port: Number(proxy.port) || DEFAULT_PORTS[proxy.protocol],
				path: target.href,
				agent: false,
			};
			Object.assign(headers, proxyAuthorization(proxy));
		} else {
			options = {
				host: target.hostname.replace(/^\[|\]$/g, ''),
				port: Number(target.port) || DEFAULT_PORTS[target.protocol],
				path: `${target.pathname}${target.search}`,
				servername: secure ? serverName(target) : undefined,
				rejectUnauthorized,
				agent: false,
			};
		}
		const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
			const outgoing = send({ ...options, method: request.method, headers, signal: controller.signal }, resolve);
			outgoing.once('error', reject);
			outgoing.end(request.body);
		});
		if (proxy && !secure && response.statusCode === 407) {
			response.resume();
			throw new ConnectionFailure(
				`The proxy ${shownProxy(proxy)} asks for credentials (HTTP 407 Proxy Authentication Required)`,
				'EPROXY',
				shownProxy(proxy),
			);
		}
		return await readAnswer(response);
	} catch (error) {
		throw failureOf(error, timedOut, timeoutMs, proxy);
	} finally {
		clearTimeout(timer);
	}
}

/** The answer's JSON, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

const SERVER_CERTIFICATE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME/;

/**
 * What a ConnectionFailure means, for a Test's message. `product` names the vendor; `urlHint` says
 * which credential field holds the address; `tlsHint` what to do about an untrusted certificate.
 */
export function describeConnectionFailure(
	failure: ConnectionFailure,
	{ product, address, urlHint, tlsHint }: { product: string; address: string; urlHint: string; tlsHint: string },
): string {
	const via = failure.proxy ? ` through the proxy ${failure.proxy}` : '';
	const proxyHint = failure.proxy ? ' Check HTTPS_PROXY, HTTP_PROXY and NO_PROXY on the n8n host.' : '';
	switch (failure.code) {
		case 'EPROXY':
			return `${failure.message}.${proxyHint}`;
		case 'ETIMEDOUT':
		case 'ECONNABORTED':
		case 'ESOCKETTIMEDOUT': {
			const seconds = failure.waitedSeconds ?? Math.round(TEST_TIMEOUT_MS / 1000);
			return `${product} did not answer at ${address}${via} within ${seconds} second${seconds === 1 ? '' : 's'}. ${urlHint}${proxyHint}`;
		}
		case 'ECONNREFUSED':
			return `Could not connect to ${product} at ${address}${via}: the connection was refused (ECONNREFUSED). ${urlHint}${proxyHint}`;
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return `Could not find the ${product} server of ${address}${via}: its host name does not resolve (${failure.code}). ${urlHint}${proxyHint}`;
		case 'ECONNRESET':
		case 'EPIPE':
			return `The connection to ${product} at ${address}${via} was closed before it answered (${failure.code}).${proxyHint}`;
		default:
			if (SERVER_CERTIFICATE.test(failure.code) || SERVER_CERTIFICATE.test(failure.message)) {
				return `The TLS certificate of the ${product} server at ${address} is not trusted (${failure.code}). ${tlsHint}`;
			}
			return `The request to ${product} at ${address}${via} failed (${failure.code}).${proxyHint}`;
	}
}

export interface FailureWording {
	/** The vendor, e.g. "Maarch Courrier". */
	product: string;
	/** Which credential field to check for an unreachable address. */
	urlHint: string;
	/** What to do about a server certificate that is not trusted. */
	tlsHint: string;
}

/**
 * `sendTestRequest`, with a connection failure turned into the Test's message (a string) instead
 * of an error.
 */
export async function sendOrDescribe(request: TestRequest, wording: FailureWording): Promise<TestResponse | string> {
	try {
		return await sendTestRequest(request);
	} catch (error) {
		const failure = error instanceof ConnectionFailure ? error : failureOf(error, false, 0);
		return describeConnectionFailure(failure, { ...wording, address: shownUrl(request.url) });
	}
}

/** `login:password` as an HTTP Basic Authorization header. */
export function basicAuthorization(login: unknown, password: unknown): string {
	return `Basic ${Buffer.from(`${String(login ?? '')}:${String(password ?? '')}`, 'utf8').toString('base64')}`;
}

/** A URL fit for a message: no user info, no query. */
export function shownUrl(url: string): string {
	const parsed = new URL(url);
	return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/**
 * The message for an answer a Test has no specific words for: a redirect, another status. The
 * vendor's text is cut short only after `secrets` are removed from it (a cut secret would escape
 * the redaction).
 */
export function unexpectedAnswer(
	product: string,
	address: string,
	response: TestResponse,
	vendorMessage: string | undefined,
	secrets: readonly string[],
): string {
	if (response.status >= 300 && response.status < 400) {
		const location = typeof response.headers.location === 'string' && URL.canParse(response.headers.location, address)
			? ` to ${shownUrl(new URL(response.headers.location, address).href)}`
			: '';
		return `${address} answered with a redirect (HTTP ${response.status})${location}: put the address it leads to in the credential.`;
	}
	const detail = vendorMessage ? `: ${excerpt(redact(vendorMessage, secrets), 200)}` : '';
	return `${product} answered HTTP ${response.status} at ${address}${detail}`;
}

/**
 * Runs a Test and returns its result with every secret removed from the message. An error thrown
 * on the way (an invalid URL in the credential) becomes the Test's message.
 */
export async function credentialTestResult(
	secrets: readonly string[],
	test: () => Promise<INodeCredentialTestResult>,
): Promise<INodeCredentialTestResult> {
	let result: INodeCredentialTestResult;
	try {
		result = await test();
	} catch (error) {
		const described = error as Error & { description?: string };
		result = { status: 'Error', message: [described.message, described.description].filter(Boolean).join('. ') };
	}
	return { status: result.status, message: redact(result.message, secrets) };
}
