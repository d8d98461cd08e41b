/**
 * Every vendor behind an outbound proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, upper or lower
 * case), run through n8n's engine against the emulators and a real proxy on 127.0.0.1
 * (test/emulators/proxy):
 * - through the proxy the call succeeds and the proxy logged it: FAST through a CONNECT tunnel
 *   (the proxy sees only host and port) while the emulator still verified the client certificate;
 *   the others forwarded, as n8n's own helper sends them; the proxy's credentials from its URL;
 * - NO_PROXY naming the host, or the host and port, sends it direct (nothing in the proxy's log);
 * - a proxy that asks for credentials (407) or refuses to carry the request (502) is named in
 *   the message, and its password appears nowhere.
 * The same for the FAST credential Test (its own sender) and a node-level credential Test
 * (Maarch Courrier's).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';

import type { INodeParameters } from 'n8n-workflow';

import { NodeHttpClient } from '../../nodes/shared/http';
import { SAMPLE_DOCUMENTS } from '../emulators/fast/sample';
import type { ProxyEmulator } from '../emulators/proxy';
import { startProxyEmulator } from '../emulators/proxy';
import type { RunResult } from '../harness';
import { everyText, testCredentialWithNode } from '../harness';
import { useFast, fastCredentialData } from '../fast/fixture';
import { useFlowerDocs } from '../flowerdocs/fixture';
import { byId, useMaarch } from '../maarch/fixture';
import { useNamirial } from '../namirial/fixture';
import { MAARCH_API_LOGIN, MAARCH_API_PASSWORD } from '../emulators/maarch';

const PROXY_VARIABLES = ['http_proxy', 'https_proxy', 'no_proxy', 'all_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'ALL_PROXY'];
const PROXY_USER = 'agent-n8n';
const PROXY_PASSWORD = 'Pr0xy-S3cret!';

const fast = useFast();
const maarch = useMaarch();
const namirial = useNamirial();
const flowerdocs = useFlowerDocs();

let proxy: ProxyEmulator;
const saved: Record<string, string | undefined> = {};
beforeEach(async () => {
	for (const name of PROXY_VARIABLES) {
		saved[name] = process.env[name];
		delete process.env[name];
	}
	proxy = await startProxyEmulator({ auth: { user: PROXY_USER, password: PROXY_PASSWORD } });
});
afterEach(async () => {
	for (const name of PROXY_VARIABLES) {
		if (saved[name] === undefined) delete process.env[name];
		else process.env[name] = saved[name];
	}
	await proxy.close();
});

/** Points both proxy variables at the test proxy (with its credentials unless told otherwise). */
function useProxy({ lowerCase = false, credentials = true, noProxy }: { lowerCase?: boolean; credentials?: boolean; noProxy?: string } = {}) {
	const url = credentials ? proxy.urlWithCredentials() : proxy.url;
	const name = (variable: string) => (lowerCase ? variable.toLowerCase() : variable);
	process.env[name('HTTPS_PROXY')] = url;
	process.env[name('HTTP_PROXY')] = url;
	if (noProxy !== undefined) process.env[name('NO_PROXY')] = noProxy;
}

const portOf = (url: string) => Number(new URL(url).port);

interface VendorCase {
	name: string;
	/** The emulator's port, and how its requests reach the proxy. */
	port: () => number;
	kind: 'tunnel' | 'forward';
	/** A read that succeeds; `options` are its Request Options. */
	read: (options?: INodeParameters) => Promise<RunResult>;
	succeeded: (run: RunResult) => void;
	/** Requests the emulator received. */
	received: () => number;
}

const read: INodeParameters = { maxRetries: 0 };

const VENDORS: VendorCase[] = [
	{
		name: 'FAST Parapheur',
		port: () => portOf(fast.emulator.url),
		kind: 'tunnel',
		read: async (options = read) => await fast.run({ resource: 'document', operation: 'getStatus', documentId: SAMPLE_DOCUMENTS.signed, requestOptions: options }),
		succeeded: (run) => expect(run.items[0]?.json).toMatchObject({ documentId: SAMPLE_DOCUMENTS.signed, state: 'classified' }),
		received: () => fast.emulator.log.length,
	},
	{
		name: 'Maarch Courrier',
		port: () => portOf(maarch.emulator.url),
		kind: 'forward',
		read: async (options = read) => await maarch.run({ operation: 'get', userId: byId(10), requestOptions: options }),
		succeeded: (run) => expect(run.items[0]?.json).toMatchObject({ id: 10, user_id: 'bbain' }),
		received: () => maarch.emulator.log.length,
	},
	{
		name: 'Trust and Sign',
		port: () => portOf(namirial.emulator.url),
		kind: 'forward',
		read: async (options = read) => await namirial.run({ operation: 'getMany', returnAll: true, requestOptions: options }),
		succeeded: (run) => expect(run.items.map((item) => item.json.email)).toContain('jeanne.martin@agence.example.fr'),
		received: () => namirial.emulator.log.length,
	},
	{
		name: 'FlowerDocs',
		port: () => portOf(flowerdocs.emulator.url),
		kind: 'forward',
		read: async (options = read) => await flowerdocs.run({ operation: 'get', userIds: 'jdupont', resolveAuthorities: false, requestOptions: options }),
		succeeded: (run) => expect(run.items[0]?.json).toMatchObject({ id: 'jdupont' }),
		received: () => flowerdocs.emulator.log.length,
	},
];

function noProxyPassword(run: RunResult): void {
	const text = everyText(run);
	expect(text).not.toContain(PROXY_PASSWORD);
	expect(text).not.toContain(encodeURIComponent(PROXY_PASSWORD));
	expect(text).not.toContain(Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64'));
}

describe.each(VENDORS)('$name behind a proxy', (vendor) => {
	test('goes through the proxy, with the proxy credentials from its URL', async () => {
		useProxy();
		const run = await vendor.read();
		expect(run.error).toBeUndefined();
		vendor.succeeded(run);
		const entries = proxy.to(vendor.port());
		expect(entries.length).toBeGreaterThan(0);
		expect(proxy.log).toEqual(entries);
		for (const entry of entries) expect(entry).toMatchObject({ kind: vendor.kind, authorization: 'valid', status: 200 });
		if (vendor.kind === 'tunnel') {
			// The proxy saw only the host and port; FAST saw the certificate, verified, on every request.
			expect(entries.map((entry) => entry.target)).toEqual(entries.map(() => `127.0.0.1:${vendor.port()}`));
			expect(fast.emulator.log.length).toBeGreaterThan(0);
			for (const request of fast.emulator.log) expect(request.tls).toMatchObject({ authorized: true, peerCertificate: expect.anything() });
		} else {
			// Every request the emulator received went through the proxy.
			expect(entries).toHaveLength(vendor.received());
		}
	});

	test('lower-case variables work the same', async () => {
		useProxy({ lowerCase: true });
		const run = await vendor.read();
		expect(run.error).toBeUndefined();
		expect(proxy.to(vendor.port()).length).toBeGreaterThan(0);
	});

	test('NO_PROXY naming the host, or the host and port, goes direct', async () => {
		useProxy({ noProxy: 'localhost,127.0.0.1' });
		const byHost = await vendor.read();
		expect(byHost.error).toBeUndefined();
		vendor.succeeded(byHost);
		useProxy({ noProxy: `127.0.0.1:${vendor.port()}` });
		const byHostAndPort = await vendor.read();
		expect(byHostAndPort.error).toBeUndefined();
		expect(proxy.log).toEqual([]);
		// localhost does not cover 127.0.0.1 (matched literally, as n8n does), nor another port.
		useProxy({ noProxy: `localhost,127.0.0.1:${vendor.port() + 1}` });
		expect((await vendor.read()).error).toBeUndefined();
		expect(proxy.to(vendor.port()).length).toBeGreaterThan(0);
	});

	test('a proxy that asks for credentials (407) is named, and nothing reaches the server', async () => {
		useProxy({ credentials: false });
		const run = await vendor.read();
		expect(run.error?.message).toBe(`The proxy ${proxy.url} asks for credentials (HTTP 407 Proxy Authentication Required)`);
		expect(run.error?.description).toMatch(/put the proxy's user and password in it/);
		expect(vendor.received()).toBe(0);
		expect(proxy.log).toEqual([expect.objectContaining({ authorization: 'none', status: 407 })]);
	});

	test('a proxy that rejects the credentials of its URL (407) is named, without them', async () => {
		process.env.HTTPS_PROXY = proxy.urlWithCredentials(PROXY_USER, `not-${PROXY_PASSWORD}`);
		process.env.HTTP_PROXY = process.env.HTTPS_PROXY;
		const run = await vendor.read();
		expect(run.error?.message).toBe(`The proxy ${proxy.url} rejected the user and password given in its URL (HTTP 407 Proxy Authentication Required)`);
		expect(everyText(run)).not.toContain(`not-${PROXY_PASSWORD}`);
		expect(everyText(run)).not.toContain(encodeURIComponent(`not-${PROXY_PASSWORD}`));
	});

	test('a proxy that refuses to carry the request (502) is named; a read is retried through it first', async () => {
		useProxy();
		proxy.refuse = [vendor.port()];
		const run = await vendor.read({ maxRetries: 1 });
		expect(run.error?.message).toBe(`${vendor.name} could not be reached through the proxy ${proxy.url} (HTTP 502 Bad Gateway)`);
		expect(run.error?.description).toMatch(/NO_PROXY/);
		noProxyPassword(run);
		expect(vendor.received()).toBe(0);
		// FlowerDocs logs in first, a POST: it is not retried.
		const tries = vendor.name === 'FlowerDocs' ? 1 : 2;
		expect(proxy.to(vendor.port()).map((entry) => entry.status)).toEqual(Array(tries).fill(502));
		if (tries === 2) expect(run.error?.description).toMatch(/Tried 2 times without success/);
	});

	test('a proxy that blocks the host (403) is not taken for the vendor refusing the account', async () => {
		useProxy();
		proxy.refuse = [vendor.port()];
		proxy.refuseStatus = 403;
		const run = await vendor.read();
		expect(vendor.received()).toBe(0);
		noProxyPassword(run);
		// FAST's tunnel knows the proxy answered; through n8n's helper the description says it may be the proxy.
		const text = `${run.error?.message} ${run.error?.description}`;
		expect(text).toContain(proxy.url);
		if (vendor.kind === 'forward') expect(run.error?.description).toMatch(/the refusal may be the proxy's/);
	});

	test('a proxy that is not running is named', async () => {
		const address = proxy.url;
		await proxy.close();
		process.env.HTTPS_PROXY = address;
		process.env.HTTP_PROXY = address;
		const run = await vendor.read();
		expect(run.error?.message).toMatch(new RegExp(`^Could not connect to the proxy ${address} to reach ${vendor.name}: the connection was refused$`));
		expect(run.error?.description).toMatch(/HTTPS_PROXY, HTTP_PROXY and NO_PROXY/);
		proxy = await startProxyEmulator();
	});
});

describe("n8n's global proxy agent", () => {
	test('does not carry the tunnel: the CONNECT goes straight to the proxy', async () => {
		// n8n 2.x replaces http.globalAgent with a proxy router when proxy variables are set; a
		// request made with `agent: false` gets an agent of that class, and a CONNECT made that way
		// would itself be sent through HTTP_PROXY.
		const original = http.globalAgent;
		const routed: string[] = [];
		class Router extends http.Agent {
			addRequest(request: http.ClientRequest, options: http.RequestOptions): void {
				routed.push(`${request.method} ${options.host}:${options.port}${request.path}`);
				(http.Agent.prototype as unknown as { addRequest: (r: unknown, o: unknown) => void }).addRequest.call(this, request, options);
			}
		}
		http.globalAgent = new Router();
		try {
			useProxy();
			const run = await VENDORS[0].read();
			expect(run.error).toBeUndefined();
			expect(routed).toEqual([]);
			expect(proxy.log).toEqual([expect.objectContaining({ kind: 'tunnel', target: `127.0.0.1:${portOf(fast.emulator.url)}`, status: 200 })]);
		} finally {
			http.globalAgent = original;
		}
	});
});

describe('a proxy that does not answer', () => {
	test('FAST: a CONNECT left unanswered times out with the node timeout, naming the proxy', async () => {
		// Accepts connections, never answers.
		const silent = net.createServer(() => undefined);
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		const address = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
		try {
			process.env.HTTPS_PROXY = address;
			const started = Date.now();
			const run = await VENDORS[0].read({ timeout: 1, maxRetries: 0 });
			expect(run.error?.message).toBe(`FAST Parapheur did not answer through the proxy ${address} within 1 second`);
			expect(run.error?.description).toMatch(/HTTPS_PROXY, HTTP_PROXY and NO_PROXY/);
			expect(Date.now() - started).toBeLessThan(5_000);
			expect(fast.emulator.log).toHaveLength(0);
		} finally {
			silent.close();
		}
	});
});

describe('cancelling while the tunnel opens', () => {
	test('the request is abandoned at once, not at the end of the timeout, and the late tunnel is closed', async () => {
		let connects = 0;
		const silent = net.createServer((socket) => {
			connects++;
			socket.on('error', () => undefined);
		});
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		const address = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
		const client = new NodeHttpClient();
		try {
			process.env.HTTPS_PROXY = address;
			const controller = new AbortController();
			setTimeout(() => controller.abort(), 200);
			const started = Date.now();
			const exchange = client.exchange({ method: 'GET', url: new URL('https://127.0.0.1:9/'), timeoutMs: 10_000, signal: controller.signal });
			await expect(exchange).rejects.toMatchObject({ code: 'ABORTED' });
			expect(Date.now() - started).toBeLessThan(2_000);
			expect(connects).toBe(1);
			// Already cancelled: nothing is sent at all.
			await expect(
				client.exchange({ method: 'GET', url: new URL('https://127.0.0.1:9/'), timeoutMs: 10_000, signal: controller.signal }),
			).rejects.toMatchObject({ code: 'ABORTED' });
			expect(connects).toBe(1);
		} finally {
			client.close();
			silent.close();
		}
	});
});

describe('keep-alive through the tunnel', () => {
	const items = [{ id: SAMPLE_DOCUMENTS.signed }, { id: SAMPLE_DOCUMENTS.refused }, { id: SAMPLE_DOCUMENTS.prepared }];

	test('FAST requests of one execution share a tunnel, one item after the other', async () => {
		useProxy();
		const run = await fast.run(
			{ resource: 'document', operation: 'getStatus', documentId: '={{ $json.id }}', requestOptions: { concurrency: 1 } },
			{ items },
		);
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(3);
		expect(fast.emulator.log.length).toBeGreaterThanOrEqual(3);
		expect(proxy.log).toHaveLength(1);
	});

	test('items in flight together open one tunnel each at most, the first item\'s reused', async () => {
		useProxy();
		const many = [...items, ...items, ...items];
		const run = await fast.run({ resource: 'document', operation: 'getStatus', documentId: '={{ $json.id }}', requestOptions: { concurrency: 2 } }, { items: many });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(9);
		expect(proxy.log.length).toBeGreaterThanOrEqual(1);
		expect(proxy.log.length).toBeLessThanOrEqual(2);
	});
});

describe('credential Tests behind a proxy', () => {
	test('FAST: the certificate crosses the tunnel and is accepted; a refusing proxy is named', async () => {
		useProxy();
		const ok = await testCredentialWithNode('fastParapheur', 'fastParapheurApi', fastCredentialData(fast.emulator));
		expect(ok.status).toBe('OK');
		expect(proxy.log).toEqual([expect.objectContaining({ kind: 'tunnel', target: `127.0.0.1:${portOf(fast.emulator.url)}`, status: 200 })]);
		expect(fast.emulator.log[0].tls).toMatchObject({ authorized: true });
		proxy.refuse = true;
		const refused = await testCredentialWithNode('fastParapheur', 'fastParapheurApi', fastCredentialData(fast.emulator));
		expect(refused).toEqual({
			status: 'Error',
			message: expect.stringMatching(new RegExp(`^FAST Parapheur could not be reached through the proxy ${proxy.url} \\(HTTP 502 Bad Gateway\\)\\. Check that the proxy lets n8n reach`)),
		});
		expect(refused.message).not.toContain(PROXY_PASSWORD);
	});

	test('Maarch Courrier (a node-level Test): forwarded with the proxy credentials; NO_PROXY goes direct; 407 is named', async () => {
		const data = { url: maarch.emulator.url, login: MAARCH_API_LOGIN, password: MAARCH_API_PASSWORD, ignoreSslIssues: false };
		const test = async () => await testCredentialWithNode('maarchCourrier', 'maarchCourrierApi', data as never);
		useProxy();
		expect((await test()).status).toBe('OK');
		expect(proxy.log).toEqual([expect.objectContaining({ kind: 'forward', target: `${maarch.emulator.url}/rest/users`, authorization: 'valid', status: 200 })]);
		useProxy({ noProxy: `127.0.0.1:${portOf(maarch.emulator.url)}` });
		expect((await test()).status).toBe('OK');
		expect(proxy.log).toHaveLength(1);
		delete process.env.NO_PROXY;
		useProxy({ credentials: false });
		const refused = await test();
		expect(refused.message).toMatch(new RegExp(`^The proxy ${proxy.url} asks for credentials \\(HTTP 407 Proxy Authentication Required\\)\\. Check the proxy URL`));
		expect(maarch.emulator.log).toHaveLength(2);
	});
});

describe('FlowerDocs login behind a proxy', () => {
	test("a proxy that refuses the login (n8n's helper, preAuthentication) is named", async () => {
		useProxy({ credentials: false });
		const run = await flowerdocs.run({ operation: 'get', userIds: 'jdupont', resolveAuthorities: false, requestOptions: read });
		expect(run.error?.message).toBe(`The proxy ${proxy.url} asks for credentials (HTTP 407 Proxy Authentication Required)`);
		expect(flowerdocs.emulator.log).toHaveLength(0);
	});
});
