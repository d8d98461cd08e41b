/**
 * The package's own HTTP sender, for the requests n8n's helper cannot carry:
 * - FAST Parapheur's TLS client certificate, on both n8n lines (`httpRequest` ignores
 *   `agentOptions` before n8n 2.20, and a ready-made agent on every line: see
 *   nodes/FastParapheur/transport/tls.ts);
 * - the credential Tests run by the nodes (`testedBy`), whose context offers only the deprecated
 *   `request` helper (see credentials/testConnection.ts).
 *
 * It honours the proxy variables exactly as n8n does (proxy.ts): HTTPS through a CONNECT tunnel
 * with TLS to the server inside it, plain HTTP sent whole to the proxy. Retries, error wording and
 * redaction are not here: the pipeline (request.ts) applies them to whatever sender it is given.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import { PassThrough } from 'node:stream';
import type { SecureContextOptions } from 'node:tls';
import { TLSSocket } from 'node:tls';

import type FormData from 'form-data';

import type { Proxy } from './proxy';
import { ProxyRefusal, TunnelAgent, portOf, proxyAuthorization, proxyFor } from './proxy';
import type { RawResponse } from './request';

export interface NodeRequest {
	method: string;
	url: URL;
	headers?: Record<string, string | number>;
	/** A body sent as is, or a multipart body streamed once (its parts are consumed). */
	body?: Buffer | string | FormData;
	/** How long the connection may stay silent (connecting, sending or waiting for the answer). */
	timeoutMs: number;
	signal?: AbortSignal;
}

/** A response whose body is still unread. */
export interface StreamResponse extends RawResponse {
	body: Readable;
}

/**
 * A request that got no answer. `duringHandshake`: before the TLS handshake finished (a server
 * refusing a client certificate closes the connection there); `freshSocket`: on a new connection,
 * not a kept-alive one; `proxyPhase`: on the way to the proxy, before the server was reached.
 */
export type ConnectionError = Error & { code?: string; duringHandshake?: boolean; freshSocket?: boolean; proxyPhase?: boolean };

export interface NodeClientOptions {
	/** TLS options for HTTPS servers (client certificate, CAs, verification). */
	tls?: SecureContextOptions & { rejectUnauthorized?: boolean };
	/** Keep connections open between requests (default true). */
	keepAlive?: boolean;
	maxSockets?: number;
}

export class NodeHttpClient {
	private readonly agents = new Map<string, http.Agent>();

	constructor(private readonly options: NodeClientOptions = {}) {}

	/** Closes the kept-alive connections. */
	close(): void {
		for (const agent of this.agents.values()) agent.destroy();
		this.agents.clear();
	}

	/**
	 * One agent per way out (scheme, proxy), kept for the client's life so that connections are
	 * reused: direct HTTPS with the TLS options, a CONNECT tunnel with the same options inside,
	 * plain HTTP direct or to the proxy.
	 */
	private agent(url: URL, proxy: Proxy | undefined): http.Agent {
		const secure = url.protocol === 'https:';
		const key = `${url.protocol}${proxy ? ` via ${proxy.url.href}` : ''}`;
		let agent = this.agents.get(key);
		if (!agent) {
			const pool = { keepAlive: this.options.keepAlive !== false, maxSockets: this.options.maxSockets ?? 16 };
			if (secure) {
				const tlsOptions = { rejectUnauthorized: true, ...this.options.tls };
				agent = proxy ? new TunnelAgent(proxy.url, { ...pool, ...tlsOptions }) : new https.Agent({ ...pool, ...tlsOptions });
			} else {
				agent = proxy?.url.protocol === 'https:' ? new https.Agent(pool) : new http.Agent(pool);
			}
			this.agents.set(key, agent);
		}
		return agent;
	}

	/** Sends one request; resolves with the answer's head, its body unread. */
	async exchange(request: NodeRequest): Promise<StreamResponse> {
		const { url } = request;
		// Read at every request, as n8n does: the variables of the process, by n8n's rules.
		const proxy = proxyFor(url);
		const agent = this.agent(url, proxy);
		const headers: Record<string, string | number> = { ...(request.headers ?? {}) };
		const form = request.body !== undefined && typeof request.body === 'object' && !Buffer.isBuffer(request.body) ? request.body : undefined;
		let payload: Buffer | undefined;
		if (form) {
			Object.assign(headers, form.getHeaders());
			const length = await new Promise<number | undefined>((resolve) => {
				form.getLength((error: Error | null, value: number) => resolve(error ? undefined : value));
			});
			// Without a known length (a URL source without Content-Length) the body goes chunked.
			if (length !== undefined && form.hasKnownLength()) headers['Content-Length'] = length;
		} else if (request.body !== undefined) {
			payload = Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body as string, 'utf8');
			headers['Content-Length'] = payload.length;
		}
		const forward = proxy !== undefined && url.protocol === 'http:';
		const send = (forward ? proxy.url.protocol : url.protocol) === 'https:' ? https.request : http.request;
		const options: http.RequestOptions = forward
			? {
					// Plain HTTP through a proxy: the whole request goes to the proxy, with the absolute URL.
					host: proxy.url.hostname.replace(/^\[|\]$/g, ''),
					port: portOf(proxy.url),
					path: url.href,
					headers: { ...headers, host: url.host, ...proxyAuthorization(proxy.url) },
				}
			: {
					host: url.hostname.replace(/^\[|\]$/g, ''),
					port: portOf(url),
					path: `${url.pathname}${url.search}`,
					headers,
				};
		const signal = request.signal;
		if (signal?.aborted) {
			const error: ConnectionError = new Error('The execution was cancelled');
			error.code = 'ABORTED';
			throw error;
		}

		return await new Promise<StreamResponse>((resolve, reject) => {
			let handshakeDone = false;
			const req = send({ ...options, method: request.method, agent, timeout: request.timeoutMs });
			const settle = () => signal?.removeEventListener('abort', onAbort);
			const onAbort = () => {
				const error: ConnectionError = new Error('The execution was cancelled');
				error.code = 'ABORTED';
				// Rejected at once: while a CONNECT tunnel is still being opened, the request has no
				// socket yet and its destruction is only reported once the tunnel is there.
				settle();
				reject(error);
				req.destroy(error);
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			req.on('socket', (socket) => {
				// A kept-alive socket is already past its handshake (and listening on it again at
				// every request would pile up listeners that never fire).
				if (req.reusedSocket || !(socket instanceof TLSSocket)) handshakeDone = true;
				else socket.once('secureConnect', () => (handshakeDone = true));
			});
			req.setTimeout(request.timeoutMs, () => {
				const error: ConnectionError = new Error(`timeout of ${request.timeoutMs}ms exceeded`);
				error.code = 'ETIMEDOUT';
				req.destroy(error);
			});
			req.on('error', (error: ConnectionError) => {
				settle();
				if (error instanceof ProxyRefusal) {
					// The proxy's own answer: a response like any other, marked as the proxy's.
					const body = new PassThrough();
					body.end();
					resolve({ statusCode: error.status, headers: error.headers, body, fromProxy: true });
					return;
				}
				// A failure on the way to the proxy is not a TLS refusal by the server.
				error.duringHandshake = !handshakeDone && !error.proxyPhase;
				error.freshSocket = !req.reusedSocket;
				reject(error);
			});
			req.on('response', (response) => {
				settle();
				if (signal) {
					// A cancel while the body is still being read (a large download) closes it, and
					// with it the connection; the listener goes once the body is done.
					const onAbortBody = () => {
						const error: ConnectionError = new Error('The execution was cancelled');
						error.code = 'ABORTED';
						response.destroy(error);
					};
					signal.addEventListener('abort', onAbortBody, { once: true });
					response.once('close', () => signal.removeEventListener('abort', onAbortBody));
				}
				// Through a tunnel the answer is the server's own; a forwarded request's may be the proxy's.
				const fromProxy = proxy !== undefined && !forward ? false : undefined;
				resolve({ statusCode: response.statusCode ?? 0, headers: response.headers, body: response, discard: () => response.resume(), fromProxy });
			});
			if (form) {
				form.on('error', (error: Error) => req.destroy(error));
				form.pipe(req);
			} else {
				req.end(payload);
			}
		});
	}
}

/**
 * Reads a body that should be small (JSON, text, an error page), at most `maxBytes`: beyond that
 * it stops reading, closes the stream and says the body was cut.
 */
export async function readBounded(stream: Readable, maxBytes: number): Promise<{ buffer: Buffer; complete: boolean }> {
	const chunks: Buffer[] = [];
	let total = 0;
	for await (const chunk of stream) {
		const buffer = chunk as Buffer;
		if (total + buffer.length > maxBytes) {
			chunks.push(buffer.subarray(0, maxBytes - total));
			stream.destroy();
			return { buffer: Buffer.concat(chunks), complete: false };
		}
		total += buffer.length;
		chunks.push(buffer);
	}
	return { buffer: Buffer.concat(chunks), complete: true };
}
