/**
 * The HTTP client of the credential Tests (credentials/testConnection.ts): n8n's proxy rules, a
 * plain request through a forward proxy, HTTPS through a CONNECT tunnel, a proxy that refuses, an
 * untrusted server certificate, a server that does not answer.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { connect } from 'node:net';

import { proxyForUrl, sendOrDescribe, sendTestRequest } from '../../credentials/testConnection';
import { getTestPki } from '../emulators/fast/pki';

const PROXY_VARIABLES = ['http_proxy', 'https_proxy', 'no_proxy', 'all_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'ALL_PROXY'];

/** A forward and CONNECT proxy on 127.0.0.1 that logs what it carries; `refuse` answers 407. */
class TestProxy {
	readonly log: string[] = [];

	refuse = false;

	private readonly sockets = new Set<Socket>();

	private readonly server = http.createServer((request, response) => {
		this.log.push(`${request.method} ${request.url}`);
		if (this.refuse) {
			response.writeHead(407, { 'proxy-authenticate': 'Basic' }).end();
			return;
		}
		const target = new URL(request.url ?? '');
		const upstream = http.request(
			{ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: request.method, headers: request.headers },
			(answer) => {
				response.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(response);
			},
		);
		upstream.on('error', () => response.writeHead(502).end());
		request.pipe(upstream);
	});

	url = '';

	async start(): Promise<void> {
		this.server.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		this.server.on('connect', (request: http.IncomingMessage, client: Socket, head: Buffer) => {
			this.log.push(`CONNECT ${request.url}`);
			if (this.refuse) {
				client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
				return;
			}
			const [host, port] = String(request.url).split(':');
			const upstream = connect(Number(port), host, () => {
				client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
				upstream.write(head);
				upstream.pipe(client);
				client.pipe(upstream);
			});
			this.sockets.add(upstream);
			upstream.on('error', () => client.destroy());
			client.on('error', () => upstream.destroy());
		});
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	async close(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}

async function listen(server: http.Server | https.Server): Promise<string> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return String((server.address() as AddressInfo).port);
}

const saved: Record<string, string | undefined> = {};
beforeEach(() => {
	for (const name of PROXY_VARIABLES) {
		saved[name] = process.env[name];
		delete process.env[name];
	}
});
afterEach(() => {
	for (const name of PROXY_VARIABLES) {
		if (saved[name] === undefined) delete process.env[name];
		else process.env[name] = saved[name];
	}
});

describe('which proxy a Test uses (the rules of n8n, proxy-from-env 1.1.0)', () => {
	const proxy = (url: string, env: NodeJS.ProcessEnv) => proxyForUrl(new URL(url), env);

	test('the variable of the scheme, upper or lower case, then all_proxy; a scheme is added when missing', () => {
		expect(proxy('https://api.ekeynox.net/x', { HTTPS_PROXY: 'http://proxy:3128' })).toBe('http://proxy:3128');
		expect(proxy('https://api.ekeynox.net/x', { https_proxy: 'proxy:3128' })).toBe('https://proxy:3128');
		expect(proxy('http://ged.local/core', { HTTPS_PROXY: 'http://proxy:3128' })).toBe('');
		expect(proxy('http://ged.local/core', { ALL_PROXY: 'http://proxy:3128' })).toBe('http://proxy:3128');
		expect(proxy('http://ged.local/core', {})).toBe('');
	});

	test('NO_PROXY: exact host, domain suffix, host:port, * ; matched literally (localhost is not 127.0.0.1)', () => {
		const env = { HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://proxy:3128' };
		expect(proxy('https://api.ekeynox.net/', { ...env, NO_PROXY: 'api.ekeynox.net' })).toBe('');
		expect(proxy('https://api.ekeynox.net/', { ...env, NO_PROXY: '.ekeynox.net' })).toBe('');
		expect(proxy('https://api.ekeynox.net/', { ...env, no_proxy: '*.ekeynox.net' })).toBe('');
		expect(proxy('https://api.ekeynox.net/', { ...env, NO_PROXY: 'api.ekeynox.net:8443' })).toBe('http://proxy:3128');
		expect(proxy('https://api.ekeynox.net:8443/', { ...env, NO_PROXY: 'api.ekeynox.net:8443' })).toBe('');
		expect(proxy('http://127.0.0.1:8711/rest', { ...env, NO_PROXY: 'localhost' })).toBe('http://proxy:3128');
		expect(proxy('http://127.0.0.1:8711/rest', { ...env, NO_PROXY: 'localhost, 127.0.0.1' })).toBe('');
		expect(proxy('http://127.0.0.1:8711/rest', { ...env, NO_PROXY: '*' })).toBe('');
	});
});

describe('a Test request', () => {
	let proxy: TestProxy;
	beforeEach(async () => {
		proxy = new TestProxy();
		await proxy.start();
	});
	afterEach(async () => {
		await proxy.close();
	});

	test('goes through the HTTP proxy, unless NO_PROXY names the host', async () => {
		const server = http.createServer((request, response) => response.end(JSON.stringify({ path: request.url, auth: request.headers.authorization })));
		const port = await listen(server);
		try {
			process.env.HTTP_PROXY = proxy.url;
			const proxied = await sendTestRequest({ method: 'GET', url: `http://127.0.0.1:${port}/rest/users?x=1`, headers: { authorization: 'Basic abc' } });
			expect(JSON.parse(proxied.text)).toEqual({ path: '/rest/users?x=1', auth: 'Basic abc' });
			expect(proxy.log).toEqual([`GET http://127.0.0.1:${port}/rest/users?x=1`]);
			process.env.NO_PROXY = '127.0.0.1';
			expect((await sendTestRequest({ method: 'GET', url: `http://127.0.0.1:${port}/direct` })).status).toBe(200);
			expect(proxy.log).toHaveLength(1);
		} finally {
			server.close();
		}
	});

	test('reaches an HTTPS server through a CONNECT tunnel, and checks its certificate', async () => {
		const pki = getTestPki();
		const server = https.createServer({ cert: pki.serverCert, key: pki.serverKey }, (_request, response) => response.end('[]'));
		const port = await listen(server);
		try {
			process.env.HTTPS_PROXY = proxy.url;
			const answer = await sendTestRequest({ method: 'GET', url: `https://127.0.0.1:${port}/contract/management/users`, rejectUnauthorized: false });
			expect(answer).toMatchObject({ status: 200, text: '[]' });
			expect(proxy.log).toEqual([`CONNECT 127.0.0.1:${port}`]);
			// The test CA is not trusted by Node: the same request with verification on fails, in words.
			const untrusted = await sendOrDescribe(
				{ method: 'GET', url: `https://127.0.0.1:${port}/contract/management/users` },
				{ product: 'Trust and Sign', urlHint: 'Check the URL.', tlsHint: 'Install its CA.' },
			);
			expect(untrusted).toMatch(/^The TLS certificate of the Trust and Sign server at https:\/\/127\.0\.0\.1:\d+\/contract\/management\/users is not trusted \([A-Z_]+\)\. Install its CA\.$/);
		} finally {
			server.close();
		}
	});

	test('a proxy that refuses is named, without its credentials', async () => {
		proxy.refuse = true;
		const withUser = proxy.url.replace('http://', 'http://squid:S3cret-Proxy@');
		process.env.HTTPS_PROXY = withUser;
		process.env.HTTP_PROXY = withUser;
		const wording = { product: 'Maarch Courrier', urlHint: 'Check the URL.', tlsHint: '' };
		const tunnel = await sendOrDescribe({ method: 'GET', url: 'https://courrier.example.fr/maarch/rest/users' }, wording);
		expect(tunnel).toBe(
			`The proxy ${proxy.url} refused to open a tunnel to courrier.example.fr:443 (HTTP 407 Proxy Authentication Required). Check HTTPS_PROXY, HTTP_PROXY and NO_PROXY on the n8n host.`,
		);
		const forward = await sendOrDescribe({ method: 'GET', url: 'http://courrier.example.fr/maarch/rest/users' }, wording);
		expect(forward).toBe(
			`The proxy ${proxy.url} asks for credentials (HTTP 407 Proxy Authentication Required). Check HTTPS_PROXY, HTTP_PROXY and NO_PROXY on the n8n host.`,
		);
		expect(`${String(tunnel)}${String(forward)}`).not.toContain('S3cret-Proxy');
	});

	test('a server that does not answer in time', async () => {
		const server = http.createServer(() => undefined);
		const port = await listen(server);
		try {
			const started = Date.now();
			const answer = await sendOrDescribe(
				{ method: 'GET', url: `http://127.0.0.1:${port}/core/rest/authentication`, timeoutMs: 300 },
				{ product: 'FlowerDocs', urlHint: 'Check the Core URL.', tlsHint: '' },
			);
			expect(answer).toMatch(/^FlowerDocs did not answer at http:\/\/127\.0\.0\.1:\d+\/core\/rest\/authentication within 1 second\. Check the Core URL\.$/);
			expect(Date.now() - started).toBeLessThan(5_000);
		} finally {
			server.closeAllConnections();
			server.close();
		}
	});
});
