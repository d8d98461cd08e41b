/**
 * A small HTTP(S) server that every vendor emulator is built on: routing with path parameters,
 * a request log the tests can read, and fault injection for the next N requests (of any kind, or
 * only those a `FaultMatch` picks: method, path, any other condition).
 * It listens on 127.0.0.1 only, on a random port.
 *
 * Large transfers: a route registered with `{ stream: true }` gets the raw request stream
 * (`request.stream`, `rawBody` empty) instead of a buffered body, and a response body may be a
 * `Readable` (piped; give `content-length` in `headers` when known), so an emulator never holds a
 * multi-GB upload or download in memory. `delayAllMs` adds latency to every request (benchmarks);
 * `hold` keeps the requests it picks waiting until a promise settles (deadline tests, without timing);
 * `inFlight` / `peakInFlight` count the requests being handled at once (concurrency tests).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Readable, pipeline } from 'node:stream';
import type { PeerCertificate, TLSSocket } from 'node:tls';

export interface LoggedRequest {
	method: string;
	/** Path without the query string, as sent (not decoded). */
	path: string;
	query: Record<string, string | string[]>;
	headers: http.IncomingHttpHeaders;
	rawBody: Buffer;
	/** The body parsed as JSON when it is JSON, otherwise the raw text. */
	body: unknown;
	/** Milliseconds since the emulator started. */
	at: number;
	/** When it was received (epoch milliseconds), to compare with times taken elsewhere. */
	time: number;
	/** Set when a fault was served instead of the real route. */
	fault?: Fault;
	/** Requests being handled when this one was logged, itself included. */
	inFlight?: number;
	/** Only for routes registered with `{ stream: true }`: the unread request body. */
	stream?: http.IncomingMessage;
	/** Multipart parts, when the emulator parsed them (see readMultipart users such as FAST). */
	parts?: LoggedPart[];
	/** Over HTTPS: whether the client certificate was verified, and who it names. */
	tls?: {
		authorized: boolean;
		authorizationError?: string;
		/** Undefined when the client sent no certificate. */
		peerCertificate?: PeerCertificate;
	};
}

/** One multipart part as received (never its bytes, except `text` for small parts). */
export interface LoggedPart {
	name: string;
	/** Set for file parts. */
	fileName?: string;
	contentType?: string;
	size: number;
	/** Hex SHA-256 of the part's bytes. */
	sha256: string;
	/** The UTF-8 content: for fields, and for file parts of at most 1 MB. */
	text?: string;
}

export interface RouteOptions {
	/** Hand the handler the raw request stream (`request.stream`) instead of buffering the body. */
	stream?: boolean;
}

export interface Fault {
	/** Answer with this status instead of running the route. */
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
	/** Wait this long before answering (or before running the route when no status is given). */
	delayMs?: number;
	/** Answer 200 with a truncated JSON body. */
	malformed?: boolean;
	/** Destroy the connection without answering. */
	drop?: boolean;
}

/** Which requests a fault applies to: all given conditions must hold. */
export interface FaultMatch {
	method?: string;
	/** The path without the query string: equal to a string, or matching a RegExp. */
	path?: string | RegExp;
	/** Any other condition (query, headers, body). */
	when?: (request: LoggedRequest) => boolean;
}

export interface EmulatorResponse {
	status: number;
	/** Buffer (sent as is), string, JSON-able value, or a Readable that is piped. */
	body?: unknown;
	headers?: Record<string, string>;
}

export type RouteHandler = (
	request: LoggedRequest,
	params: Record<string, string>,
) => EmulatorResponse | Promise<EmulatorResponse>;

interface Route {
	method: string;
	pattern: RegExp;
	keys: string[];
	handler: RouteHandler;
	stream: boolean;
}

export interface EmulatorServerOptions {
	/** Serve HTTPS with these options (certificates, client-certificate checks). */
	tls?: https.ServerOptions;
	/** Runs before routing; returning a response short-circuits the route (authentication). */
	guard?: (request: LoggedRequest) => EmulatorResponse | undefined;
	/** Answer for a path that matches no route. */
	notFound?: (request: LoggedRequest) => EmulatorResponse;
	/** Latency added before every request is handled (also settable later: `server.delayAllMs`). */
	delayAllMs?: number;
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A `hold` for concurrency tests that does not depend on the machine's speed: the first request
 * (when `firstAlone`) waits `windowMs`; the others wait until `count` requests are in flight at
 * once (at most `maxMs`), then `windowMs` more, so a client sending more than `count` at once is
 * seen in `peakInFlight`. Once `count` was reached (or `maxMs` passed), later requests wait
 * `windowMs` only.
 */
export function inFlightGate(
	server: EmulatorServer,
	count: number,
	{ windowMs = 40, maxMs = 5_000, firstAlone = false }: { windowMs?: number; maxMs?: number; firstAlone?: boolean } = {},
): (method: string, path: string) => Promise<unknown> {
	let arrived = 0;
	let opened = false;
	const waiting: Array<() => void> = [];
	const open = () => {
		opened = true;
		for (const resolve of waiting.splice(0)) resolve();
	};
	return async () => {
		arrived++;
		if (!(firstAlone && arrived === 1) && !opened) {
			// Released in the order they came (the one completing the count included).
			let timer: NodeJS.Timeout | undefined;
			const turn = new Promise<void>((resolve) => {
				waiting.push(resolve);
				// The count never reached (a node sending fewer at once): open the gate for all.
				timer = setTimeout(open, maxMs).unref();
			});
			if (server.inFlight >= count) open();
			await turn;
			clearTimeout(timer);
		}
		await sleep(windowMs);
	};
}

export class EmulatorServer {
	readonly log: LoggedRequest[] = [];

	private readonly routes: Route[] = [];

	private readonly faults: Array<{ fault: Fault; remaining: number; match?: FaultMatch }> = [];

	private readonly sockets = new Set<Socket>();

	private server?: http.Server | https.Server;

	private startedAt = Date.now();

	baseUrl = '';

	/** Milliseconds every request waits before it is handled (0: none). */
	delayAllMs: number;

	/**
	 * Called with each request as it arrives (method, path without query): a promise returned keeps
	 * that request waiting, unanswered and unlogged, until it settles. For tests that need requests
	 * "still running" at some moment without relying on the machine's speed.
	 */
	hold?: (method: string, path: string) => Promise<unknown> | undefined;

	/** Requests being handled now (received, not yet answered), and the most seen at once. */
	inFlight = 0;

	peakInFlight = 0;

	constructor(private readonly options: EmulatorServerOptions = {}) {
		this.delayAllMs = options.delayAllMs ?? 0;
	}

	route(method: string, path: string, handler: RouteHandler, options: RouteOptions = {}): this {
		const keys: string[] = [];
		const pattern = new RegExp(
			'^' +
				path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_, key: string) => {
					keys.push(key);
					return '([^/]+)';
				}) +
				'$',
		);
		this.routes.push({
			method: method.toUpperCase(),
			pattern,
			keys,
			handler,
			stream: options.stream === true,
		});
		return this;
	}

	/**
	 * The next `count` requests get this fault instead of their normal answer; with `match`, only
	 * the next `count` requests it matches (the others are served as usual). Faults apply in the
	 * order they were injected: a request gets the first one that applies to it.
	 */
	injectFault(fault: Fault, count = 1, match?: FaultMatch): void {
		this.faults.push({ fault, remaining: count, match });
	}

	/** How many injected faults have not been served yet. */
	pendingFaults(): number {
		return this.faults.reduce((total, slot) => total + slot.remaining, 0);
	}

	clearFaults(): void {
		this.faults.length = 0;
	}

	clearLog(): void {
		this.log.length = 0;
	}

	/** Requests whose method and path match (path may be a RegExp). */
	requests(method?: string, path?: string | RegExp): LoggedRequest[] {
		return this.log.filter(
			(entry) =>
				(method === undefined || entry.method === method.toUpperCase()) &&
				(path === undefined ||
					(typeof path === 'string' ? entry.path === path : path.test(entry.path))),
		);
	}

	/** Listens on 127.0.0.1, on `port` or a random free port. */
	async start(port = 0): Promise<string> {
		const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
			// A client that gives up while its request waits (a poll cut off at its deadline, a cancel)
			// makes reading the body fail with "aborted": nothing to answer then.
			this.handle(req, res).catch(() => res.destroy());
		};
		this.server = this.options.tls
			? https.createServer(this.options.tls, listener)
			: http.createServer(listener);
		this.server.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		this.server.on('tlsClientError', () => undefined);
		await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
		const address = this.server.address() as AddressInfo;
		this.startedAt = Date.now();
		this.baseUrl = `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`;
		return this.baseUrl;
	}

	async close(): Promise<void> {
		if (!this.server) return;
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
		this.server = undefined;
	}

	private nextFault(request: LoggedRequest): Fault | undefined {
		const index = this.faults.findIndex((slot) => matches(slot.match, request));
		if (index < 0) return undefined;
		const slot = this.faults[index];
		slot.remaining -= 1;
		if (slot.remaining <= 0) this.faults.splice(index, 1);
		return slot.fault;
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		this.inFlight++;
		this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
		// Answered (finished) or abandoned (closed), whichever comes first.
		let done = false;
		const settle = () => {
			if (!done) this.inFlight--;
			done = true;
		};
		res.once('finish', settle);
		res.once('close', settle);
		if (this.delayAllMs > 0) await sleep(this.delayAllMs);
		const url = new URL(req.url ?? '/', 'http://emulator');
		const method = (req.method ?? 'GET').toUpperCase();
		const held = this.hold?.(method, url.pathname);
		if (held) await held.catch(() => undefined);
		let matched: { route: Route; params: Record<string, string> } | undefined;
		let routeError: Error | undefined;
		try {
			matched = this.match(method, url.pathname);
		} catch (error) {
			routeError = error as Error;
		}
		const streamed = matched?.route.stream === true;
		let rawBody = Buffer.alloc(0);
		if (!streamed) {
			const chunks: Buffer[] = [];
			for await (const chunk of req) chunks.push(chunk as Buffer);
			rawBody = Buffer.concat(chunks);
		}
		const query: Record<string, string | string[]> = {};
		for (const key of new Set(url.searchParams.keys())) {
			const values = url.searchParams.getAll(key);
			query[key] = values.length === 1 ? values[0] : values;
		}
		const text = rawBody.toString('utf8');
		let body: unknown = text;
		if (text && /json/i.test(req.headers['content-type'] ?? '')) {
			try {
				body = JSON.parse(text);
			} catch {
				body = text;
			}
		}
		const receivedAt = Date.now();
		const entry: LoggedRequest = {
			method,
			path: url.pathname,
			query,
			headers: req.headers,
			rawBody,
			body,
			at: receivedAt - this.startedAt,
			time: receivedAt,
			inFlight: this.inFlight,
		};
		if (streamed) entry.stream = req;
		const socket = req.socket as Partial<TLSSocket>;
		if (typeof socket.getPeerCertificate === 'function') {
			const peer = socket.getPeerCertificate();
			entry.tls = {
				authorized: socket.authorized === true,
				authorizationError:
					socket.authorizationError === undefined ? undefined : String(socket.authorizationError),
				peerCertificate: peer && Object.keys(peer).length > 0 ? peer : undefined,
			};
		}
		this.log.push(entry);
		// A streamed body that the route does not read is drained, so the connection stays usable.
		const drain = () => {
			if (streamed && !req.readableEnded) req.resume();
		};

		const fault = this.nextFault(entry);
		if (fault) {
			entry.fault = fault;
			if (fault.delayMs) await sleep(fault.delayMs);
			if (fault.drop) {
				req.socket.destroy();
				return;
			}
			if (fault.malformed) {
				drain();
				this.send(res, { status: 200, body: '{"users": [{"id": 1, "user_id": ' });
				return;
			}
			if (fault.status !== undefined) {
				drain();
				this.send(res, { status: fault.status, body: fault.body, headers: fault.headers });
				return;
			}
		}

		let response: EmulatorResponse | undefined;
		try {
			response = this.options.guard?.(entry);
			if (!response && routeError) throw routeError;
			if (!response && matched) response = await matched.route.handler(entry, matched.params);
			response ??= this.options.notFound?.(entry) ?? {
				status: 404,
				body: { error: 'Not found' },
			};
		} catch (error) {
			response = { status: 500, body: { errors: (error as Error).message } };
		}
		drain();
		this.send(res, response);
	}

	private match(
		method: string,
		path: string,
	): { route: Route; params: Record<string, string> } | undefined {
		for (const route of this.routes) {
			if (route.method !== method) continue;
			const match = route.pattern.exec(path);
			if (!match) continue;
			const params: Record<string, string> = {};
			route.keys.forEach((key, index) => {
				params[key] = decodeURIComponent(match[index + 1]);
			});
			return { route, params };
		}
		return undefined;
	}

	private send(res: http.ServerResponse, response: EmulatorResponse): void {
		if (res.destroyed) {
			if (response.body instanceof Readable) response.body.destroy();
			return;
		}
		const headers: Record<string, string> = { ...(response.headers ?? {}) };
		if (response.body instanceof Readable) {
			const source = response.body;
			res.writeHead(response.status, headers);
			pipeline(source, res, (error) => {
				if (error && !res.destroyed) res.destroy(error);
			});
			return;
		}
		let payload: Buffer | undefined;
		if (Buffer.isBuffer(response.body)) {
			payload = response.body;
		} else if (typeof response.body === 'string') {
			payload = Buffer.from(response.body, 'utf8');
			headers['content-type'] ??= 'application/json; charset=utf-8';
		} else if (response.body !== undefined) {
			payload = Buffer.from(JSON.stringify(response.body), 'utf8');
			headers['content-type'] ??= 'application/json; charset=utf-8';
		}
		if (payload) headers['content-length'] = String(payload.length);
		res.writeHead(response.status, headers);
		res.end(payload);
	}
}

/** Whether a request meets a FaultMatch (no match: every request). */
export function matches(match: FaultMatch | undefined, request: LoggedRequest): boolean {
	if (!match) return true;
	if (match.method !== undefined && match.method.toUpperCase() !== request.method) return false;
	if (match.path !== undefined) {
		if (typeof match.path === 'string' ? match.path !== request.path : !match.path.test(request.path)) return false;
	}
	return match.when ? match.when(request) : true;
}

export function basicCredentials(
	request: LoggedRequest,
): { login: string; password: string } | undefined {
	const header = request.headers.authorization;
	if (!header || !/^basic /i.test(header)) return undefined;
	const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return undefined;
	return { login: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * What every vendor emulator offers around its EmulatorServer: its address, its request log,
 * start, close and fault injection. Subclasses create `server` in their constructor.
 */
export abstract class VendorEmulator {
	abstract readonly server: EmulatorServer;

	get url(): string {
		return this.server.baseUrl;
	}

	get log(): LoggedRequest[] {
		return this.server.log;
	}

	async start(port = 0): Promise<string> {
		await this.server.start(port);
		return this.url;
	}

	async close(): Promise<void> {
		await this.server.close();
	}

	injectFault(fault: Fault, count = 1, match?: FaultMatch): void {
		this.server.injectFault(fault, count, match);
	}
}
