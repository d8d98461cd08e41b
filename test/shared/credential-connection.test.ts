/**
 * The HTTP client of the credential Tests (credentials/testConnection.ts, through the shared
 * pipeline and its Node sender): n8n's proxy rules, a plain request through a forward proxy,
 * HTTPS through a CONNECT tunnel, a proxy that refuses, an untrusted server certificate, a server
 * that does not answer.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

import { sendOrDescribe } from '../../credentials/testConnection';
import { proxyForUrl } from '../../nodes/shared/proxy';
import { getTestPki } from '../emulators/fast/pki';
import type { ProxyEmulator } from '../emulators/proxy';
import { startProxyEmulator } from '../emulators/proxy';

const PROXY_VARIABLES = ['http_proxy', 'https_proxy', 'no_proxy', 'all_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'ALL_PROXY'];

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

const wording = (product: string) => ({ product, urlHint: 'Check the URL.', tlsHint: 'Install its CA.' });

describe('a Test request', () => {
	let proxy: ProxyEmulator;
	beforeEach(async () => {
		proxy = await startProxyEmulator();
	});
	afterEach(async () => {
		await proxy.close();
	});

	test('goes through the HTTP proxy, unless NO_PROXY names the host', async () => {
		const server = http.createServer((request, response) => response.end(JSON.stringify({ path: request.url, auth: request.headers.authorization })));
		const port = await listen(server);
		try {
			process.env.HTTP_PROXY = proxy.url;
			const proxied = await sendOrDescribe({ method: 'GET', url: `http://127.0.0.1:${port}/rest/users?x=1`, headers: { authorization: 'Basic abc' } }, wording('Maarch Courrier'));
			expect(typeof proxied === 'string' ? proxied : JSON.parse(proxied.text)).toEqual({ path: '/rest/users?x=1', auth: 'Basic abc' });
			expect(proxy.log.map((entry) => `${entry.method} ${entry.target}`)).toEqual([`GET http://127.0.0.1:${port}/rest/users?x=1`]);
			process.env.NO_PROXY = '127.0.0.1';
			expect(await sendOrDescribe({ method: 'GET', url: `http://127.0.0.1:${port}/direct` }, wording('Maarch Courrier'))).toMatchObject({ status: 200 });
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
			const answer = await sendOrDescribe({ method: 'GET', url: `https://127.0.0.1:${port}/contract/management/users`, rejectUnauthorized: false }, wording('Trust and Sign'));
			expect(answer).toMatchObject({ status: 200, text: '[]' });
			expect(proxy.log.map((entry) => `${entry.method} ${entry.target} ${entry.status}`)).toEqual([`CONNECT 127.0.0.1:${port} 200`]);
			// The test CA is not trusted by Node: the same request with verification on fails, in words.
			const untrusted = await sendOrDescribe({ method: 'GET', url: `https://127.0.0.1:${port}/contract/management/users` }, wording('Trust and Sign'));
			expect(untrusted).toMatch(/^The TLS certificate of the Trust and Sign server at https:\/\/127\.0\.0\.1:\d+\/contract\/management\/users is not trusted\. Install its CA\.$/);
		} finally {
			server.close();
		}
	});

	test('a proxy that asks for credentials, or rejects those in its URL, is named, without them', async () => {
		proxy.auth = { user: 'squid', password: 'S3cret-Proxy' };
		const withWrongPassword = proxy.urlWithCredentials('squid', 'Wrong-S3cret');
		process.env.HTTPS_PROXY = withWrongPassword;
		process.env.HTTP_PROXY = proxy.url;
		const tunnel = await sendOrDescribe({ method: 'GET', url: 'https://127.0.0.1:9/maarch/rest/users' }, wording('Maarch Courrier'));
		expect(tunnel).toBe(
			`The proxy ${proxy.url} rejected the user and password given in its URL (HTTP 407 Proxy Authentication Required). Check the proxy's user and password in its URL (HTTPS_PROXY, HTTP_PROXY and NO_PROXY on the n8n host).`,
		);
		const forward = await sendOrDescribe({ method: 'GET', url: 'http://127.0.0.1:9/maarch/rest/users' }, wording('Maarch Courrier'));
		expect(forward).toMatch(new RegExp(`^The proxy ${proxy.url} asks for credentials \\(HTTP 407 Proxy Authentication Required\\)\\. Check the proxy URL: put the proxy's user and password in it`));
		expect(`${String(tunnel)}${String(forward)}`).not.toMatch(/S3cret/);
		expect(proxy.log.map((entry) => [entry.kind, entry.authorization, entry.status])).toEqual([
			['tunnel', 'invalid', 407],
			['forward', 'none', 407],
		]);
	});

	test('a proxy that refuses to carry the request (502) is named', async () => {
		proxy.refuse = true;
		process.env.HTTPS_PROXY = proxy.url;
		const refused = await sendOrDescribe({ method: 'GET', url: 'https://courrier.example.fr/maarch/rest/users' }, wording('Maarch Courrier'));
		expect(refused).toMatch(new RegExp(`^Maarch Courrier could not be reached through the proxy ${proxy.url} \\(HTTP 502 Bad Gateway\\)\\.`));
		expect(proxy.log).toEqual([expect.objectContaining({ kind: 'tunnel', target: 'courrier.example.fr:443', status: 502 })]);
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
