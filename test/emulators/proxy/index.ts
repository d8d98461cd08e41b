/**
 * An outbound proxy like those of town halls and hospitals, on 127.0.0.1: HTTPS through CONNECT
 * tunnels (it sees only the host and port; TLS runs end to end inside), plain HTTP forwarded
 * (absolute URL in the request line). It logs every tunnel and request, can ask for Basic
 * credentials (407 without them or with wrong ones), and can refuse to carry requests (502 Bad
 * Gateway, to a CONNECT or to a forwarded request), for some target ports or all.
 *
 * It only ever connects to 127.0.0.1: any other target is refused with 502, so a test that
 * forgot NO_PROXY or a wrong URL never reaches the outside.
 *
 *   const proxy = await startProxyEmulator({ auth: { user: 'squid', password: 'S3cret' } });
 *   process.env.HTTPS_PROXY = proxy.urlWithCredentials();
 *   ... proxy.log: [{ kind: 'tunnel', target: '127.0.0.1:8712', status: 200, ... }]
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { connect } from 'node:net';

export interface ProxyLogEntry {
	/** A CONNECT tunnel, or a plain HTTP request forwarded whole. */
	kind: 'tunnel' | 'forward';
	method: string;
	/** `host:port` for a tunnel; the absolute URL for a forwarded request. */
	target: string;
	/** The target's port. */
	port: number;
	/** What the proxy answered: 200 for an open tunnel, the server's status for a forwarded request. */
	status: number;
	/** Proxy-Authorization: none sent, or whether it matched (the value itself is never kept). */
	authorization: 'none' | 'valid' | 'invalid';
	/** When it arrived (epoch milliseconds). */
	time: number;
}

export interface ProxyEmulatorOptions {
	port?: number;
	/** Ask for these Basic credentials (407 without them, or with others). */
	auth?: { user: string; password: string };
	/** Refuse with 502: every request (true), or those to these target ports. */
	refuse?: boolean | number[];
	/** The status of those refusals (502 by default; 403 as a proxy blocking a host answers). */
	refuseStatus?: number;
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', '::1', 'localhost']);

export class ProxyEmulator {
	readonly log: ProxyLogEntry[] = [];

	auth?: { user: string; password: string };

	refuse: boolean | number[];
	refuseStatus: number;

	private readonly sockets = new Set<Socket>();

	private readonly server: http.Server;

	url = '';

	constructor(options: ProxyEmulatorOptions = {}) {
		this.auth = options.auth;
		this.refuse = options.refuse ?? false;
		this.refuseStatus = options.refuseStatus ?? 502;
		this.server = http.createServer((request, response) => this.forward(request, response));
		this.server.on('connection', (socket: Socket) => this.track(socket));
		this.server.on('connect', (request: http.IncomingMessage, client: Socket, head: Buffer) => this.tunnel(request, client, head));
	}

	/** The proxy URL with user and password (URL-encoded), as users put it in HTTPS_PROXY. */
	urlWithCredentials(user = this.auth?.user ?? '', password = this.auth?.password ?? ''): string {
		const url = new URL(this.url);
		url.username = user;
		url.password = password;
		return url.href.replace(/\/$/, '');
	}

	/** Log entries for one target port (an emulator's). */
	to(port: number): ProxyLogEntry[] {
		return this.log.filter((entry) => entry.port === port);
	}

	async start(port = 0): Promise<string> {
		await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this.url;
	}

	async close(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private track(socket: Socket): void {
		this.sockets.add(socket);
		socket.on('close', () => this.sockets.delete(socket));
		socket.on('error', () => socket.destroy());
	}

	private authorization(request: http.IncomingMessage): ProxyLogEntry['authorization'] {
		const header = request.headers['proxy-authorization'];
		if (!header) return 'none';
		if (!this.auth) return 'valid';
		const expected = `Basic ${Buffer.from(`${this.auth.user}:${this.auth.password}`).toString('base64')}`;
		return header === expected ? 'valid' : 'invalid';
	}

	/** What the proxy answers instead of carrying the request (407, 502), or undefined to carry it. */
	private refusal(authorization: ProxyLogEntry['authorization'], host: string, port: number): number | undefined {
		if (this.auth && authorization !== 'valid') return 407;
		if (!LOOPBACK.has(host)) return 502;
		if (this.refuse === true || (Array.isArray(this.refuse) && this.refuse.includes(port))) return this.refuseStatus;
		return undefined;
	}

	private tunnel(request: http.IncomingMessage, client: Socket, head: Buffer): void {
		this.track(client);
		const target = String(request.url ?? '');
		const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(target);
		const host = match?.[1] ?? '';
		const port = Number(match?.[2] ?? 0);
		const authorization = this.authorization(request);
		const entry: ProxyLogEntry = { kind: 'tunnel', method: 'CONNECT', target, port, status: 0, authorization, time: Date.now() };
		this.log.push(entry);
		const refused = match ? this.refusal(authorization, host, port) : 400;
		if (refused) {
			entry.status = refused;
			client.end(refusalHead(refused));
			return;
		}
		const upstream = connect(port, '127.0.0.1', () => {
			entry.status = 200;
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			if (head.length > 0) upstream.write(head);
			upstream.pipe(client);
			client.pipe(upstream);
		});
		this.track(upstream);
		upstream.on('error', () => {
			if (entry.status === 0) {
				entry.status = 502;
				client.end(refusalHead(502));
			} else {
				client.destroy();
			}
		});
		client.on('close', () => upstream.destroy());
		upstream.on('close', () => client.destroy());
	}

	private forward(request: http.IncomingMessage, response: http.ServerResponse): void {
		const target = String(request.url ?? '');
		const url = URL.canParse(target) ? new URL(target) : undefined;
		const port = url ? Number(url.port) || 80 : 0;
		const authorization = this.authorization(request);
		const entry: ProxyLogEntry = { kind: 'forward', method: request.method ?? 'GET', target, port, status: 0, authorization, time: Date.now() };
		this.log.push(entry);
		const refused = url?.protocol === 'http:' ? this.refusal(authorization, url.hostname, port) : 400;
		if (refused) {
			entry.status = refused;
			request.resume();
			response.writeHead(refused, refusalHeaders(refused)).end(refusalPage(refused));
			return;
		}
		const headers = { ...request.headers };
		delete headers['proxy-authorization'];
		delete headers['proxy-connection'];
		const upstream = http.request(
			{ host: '127.0.0.1', port, path: `${url!.pathname}${url!.search}`, method: request.method, headers, agent: false },
			(answer) => {
				entry.status = answer.statusCode ?? 0;
				response.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(response);
			},
		);
		upstream.on('error', () => {
			entry.status = 502;
			if (!response.headersSent) response.writeHead(502, refusalHeaders(502)).end(refusalPage(502));
			else response.destroy();
		});
		request.pipe(upstream);
	}
}

function refusalHeaders(status: number): Record<string, string> {
	return {
		'content-type': 'text/html',
		connection: 'close',
		...(status === 407 ? { 'proxy-authenticate': 'Basic realm="test proxy"' } : {}),
	};
}

function refusalPage(status: number): string {
	return `<html><body><h1>${status} ${http.STATUS_CODES[status] ?? ''}</h1><p>test proxy</p></body></html>`;
}

function refusalHead(status: number): string {
	const page = refusalPage(status);
	const headers = Object.entries({ ...refusalHeaders(status), 'content-length': String(Buffer.byteLength(page)) })
		.map(([name, value]) => `${name}: ${value}\r\n`)
		.join('');
	return `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\n${headers}\r\n${page}`;
}

export async function startProxyEmulator(options: ProxyEmulatorOptions = {}): Promise<ProxyEmulator> {
	const proxy = new ProxyEmulator(options);
	await proxy.start(options.port ?? 0);
	return proxy;
}
