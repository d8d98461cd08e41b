/**
 * The end-to-end suite's proxy chapter: every vendor in real n8n behind an outbound proxy set the
 * way administrators set it, in n8n's environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), against a
 * real proxy on 127.0.0.1 (test/emulators/proxy). One generated workflow holds one read per
 * vendor (FAST Parapheur over HTTPS with its client certificate, Maarch Courrier, Trust and Sign,
 * FlowerDocs), each node continuing on failure; it is run with `n8n execute` four times:
 *
 *   through the proxy      HTTPS_PROXY and HTTP_PROXY with the proxy's user and password in the
 *                          URL (the proxy asks for them): every read succeeds; the proxy logged a
 *                          CONNECT tunnel to FAST (whose emulator still verified the client
 *                          certificate on every request) and forwarded the others, credentials
 *                          accepted
 *   NO_PROXY host:port     lower-case https_proxy, http_proxy, no_proxy naming FAST's and Maarch's
 *                          host:port: those two go direct (nothing in the proxy's log for them),
 *                          the other two through the proxy
 *   NO_PROXY host          NO_PROXY=127.0.0.1 and a proxy that refuses everything: every read
 *                          succeeds, the proxy's log stays empty
 *   refusals               HTTPS_PROXY without the credentials (FAST: 407) and HTTP_PROXY with
 *                          them, the proxy refusing Trust and Sign's port (502): FAST and Trust and
 *                          Sign fail with the package's message naming the proxy, Maarch and
 *                          FlowerDocs succeed
 *
 * Every run also checks that the proxy's password appears nowhere in n8n's output and logs.
 * About 4 n8n runs per line (5-8 s each).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData, IRun } from 'n8n-workflow';

import type { N8nInstall } from '../../scripts/lib/n8n';
import { n8nCommand, parseRun } from '../../scripts/lib/n8n';
import { EMULATOR_CREDENTIALS } from '../emulators/credentials';
import type { FastEmulator } from '../emulators/fast';
import { startFastEmulator } from '../emulators/fast';
import { SAMPLE_DOCUMENTS } from '../emulators/fast/sample';
import type { FlowerDocsEmulator } from '../emulators/flowerdocs';
import { startFlowerDocsEmulator } from '../emulators/flowerdocs';
import { FLOWERDOCS_SAMPLE } from '../emulators/flowerdocs/sample';
import type { MaarchEmulator } from '../emulators/maarch';
import { startMaarchEmulator } from '../emulators/maarch';
import { MAARCH_SAMPLE } from '../emulators/maarch/sample';
import type { NamirialEmulator } from '../emulators/namirial';
import { startNamirialEmulator } from '../emulators/namirial';
import { NAMIRIAL_SAMPLE } from '../emulators/namirial/sample';
import type { ProxyEmulator } from '../emulators/proxy';
import { startProxyEmulator } from '../emulators/proxy';
import type { VendorEmulator } from '../emulators/shared/server';
import type { FaultPorts } from './faults';

export const PROXY_WORKFLOW_ID = 'ProxyChapter0001';

const PROXY_USER = 'n8n-egress';
const PROXY_PASSWORD = 'Egr3ss-Pr0xy-Secret';

type VendorKey = keyof FaultPorts;

interface Vendors {
	fast: FastEmulator;
	maarch: MaarchEmulator;
	namirial: NamirialEmulator;
	flowerdocs: FlowerDocsEmulator;
}

interface ProxyVendor {
	key: VendorKey;
	/** The node's name in the workflow. */
	node: string;
	nodeType: string;
	credential: keyof typeof EMULATOR_CREDENTIALS;
	parameters: IDataObject;
	/** How its requests reach the proxy: a tunnel (HTTPS) or forwarded (HTTP). */
	kind: 'tunnel' | 'forward';
	/** What the successful read's item must hold. */
	succeeded: (item: INodeExecutionData) => string | undefined;
}

const noRetry = { requestOptions: { maxRetries: 0 } };

const VENDORS: ProxyVendor[] = [
	{
		key: 'fast',
		node: 'FAST Parapheur: Get Status',
		nodeType: 'n8n-nodes-parapheur.fastParapheur',
		credential: 'fastParapheurApi',
		parameters: { resource: 'document', operation: 'getStatus', documentId: SAMPLE_DOCUMENTS.signed, ...noRetry },
		kind: 'tunnel',
		succeeded: (item) => (item.json.documentId === SAMPLE_DOCUMENTS.signed && item.json.stateName ? undefined : 'no document status'),
	},
	{
		key: 'maarch',
		node: 'Maarch Courrier: Get User',
		nodeType: 'n8n-nodes-parapheur.maarchCourrier',
		credential: 'maarchCourrierApi',
		parameters: { resource: 'user', operation: 'get', userId: { __rl: true, mode: 'id', value: '2' }, ...noRetry },
		kind: 'forward',
		succeeded: (item) => (item.json.user_id === 'bbain' ? undefined : 'not user bbain'),
	},
	{
		key: 'namirial',
		node: 'Trust and Sign: Get Many',
		nodeType: 'n8n-nodes-parapheur.namirialTrustAndSign',
		credential: 'namirialTrustAndSignApi',
		parameters: { resource: 'operator', operation: 'getMany', returnAll: true, withInactive: false, ...noRetry },
		kind: 'forward',
		succeeded: (item) => (typeof item.json.email === 'string' ? undefined : 'no operator'),
	},
	{
		key: 'flowerdocs',
		node: 'FlowerDocs: Get User',
		nodeType: 'n8n-nodes-parapheur.flowerDocs',
		credential: 'flowerDocsApi',
		parameters: { resource: 'user', operation: 'get', userIds: 'hlenoir', ...noRetry },
		kind: 'forward',
		succeeded: (item) => (item.json.id === 'hlenoir' ? undefined : 'not user hlenoir'),
	},
];

const TRIGGER = "When clicking 'Execute workflow'";

/** The chapter's workflow: the trigger, then one read per vendor on its own branch. */
export function proxyWorkflow() {
	return {
		id: PROXY_WORKFLOW_ID,
		name: 'Proxy chapter',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'trigger', name: TRIGGER, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			...VENDORS.map((vendor, index) => ({
				id: `proxy-${vendor.key}`,
				name: vendor.node,
				type: vendor.nodeType,
				typeVersion: 1,
				position: [300, index * 200],
				parameters: vendor.parameters,
				credentials: { [vendor.credential]: { id: EMULATOR_CREDENTIALS[vendor.credential].id, name: EMULATOR_CREDENTIALS[vendor.credential].name } },
				onError: 'continueRegularOutput',
			})),
		],
		connections: { [TRIGGER]: { main: [VENDORS.map((vendor) => ({ node: vendor.node, type: 'main', index: 0 }))] } },
	};
}

/** What a vendor's read must do in a run: go through the proxy, go direct, or fail with a message. */
type Expected = { via: 'proxy' } | { via: 'direct' } | { error: (proxy: ProxyEmulator) => string };

interface ProxyRun {
	name: string;
	/** Proxy variables for n8n, and the proxy's behaviour. */
	setup: (proxy: ProxyEmulator, ports: FaultPorts) => NodeJS.ProcessEnv;
	expected: Record<VendorKey, Expected>;
}

const RUNS: ProxyRun[] = [
	{
		name: 'through the proxy',
		setup: (proxy) => ({ HTTPS_PROXY: proxy.urlWithCredentials(), HTTP_PROXY: proxy.urlWithCredentials() }),
		expected: { fast: { via: 'proxy' }, maarch: { via: 'proxy' }, namirial: { via: 'proxy' }, flowerdocs: { via: 'proxy' } },
	},
	{
		name: 'NO_PROXY host:port',
		setup: (proxy, ports) => ({
			https_proxy: proxy.urlWithCredentials(),
			http_proxy: proxy.urlWithCredentials(),
			no_proxy: `127.0.0.1:${ports.fast},127.0.0.1:${ports.maarch}`,
		}),
		expected: { fast: { via: 'direct' }, maarch: { via: 'direct' }, namirial: { via: 'proxy' }, flowerdocs: { via: 'proxy' } },
	},
	{
		name: 'NO_PROXY host',
		setup: (proxy) => {
			proxy.refuse = true;
			return { HTTPS_PROXY: proxy.urlWithCredentials(), HTTP_PROXY: proxy.urlWithCredentials(), NO_PROXY: 'localhost,127.0.0.1' };
		},
		expected: { fast: { via: 'direct' }, maarch: { via: 'direct' }, namirial: { via: 'direct' }, flowerdocs: { via: 'direct' } },
	},
	{
		name: 'refusals',
		setup: (proxy, ports) => {
			proxy.refuse = [ports.namirial];
			return { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.urlWithCredentials() };
		},
		expected: {
			fast: { error: (proxy) => `The proxy ${proxy.url} asks for credentials (HTTP 407 Proxy Authentication Required)` },
			maarch: { via: 'proxy' },
			namirial: { error: (proxy) => `Trust and Sign could not be reached through the proxy ${proxy.url} (HTTP 502 Bad Gateway)` },
			flowerdocs: { via: 'proxy' },
		},
	},
];

/** The problems of one vendor's read in one run. */
function checkVendor(vendor: ProxyVendor, expected: Expected, run: IRun, proxy: ProxyEmulator, emulator: VendorEmulator, port: number): string[] {
	const item = run.data.resultData.runData[vendor.node]?.[0]?.data?.main?.[0]?.[0];
	if (!item) return ['the node gave no item'];
	const problems: string[] = [];
	const entries = proxy.to(port);
	const error = item.json.error;
	if ('error' in expected) {
		const message = expected.error(proxy);
		if (error !== message) problems.push(`error ${JSON.stringify(error ?? null)}, expected ${JSON.stringify(message)}`);
		if (emulator.log.length > 0) problems.push(`the emulator received ${emulator.log.length} request(s) although the proxy refused`);
		return problems;
	}
	if (error !== undefined) return [`failed: ${JSON.stringify(error)}`];
	const wrong = vendor.succeeded(item);
	if (wrong) problems.push(wrong);
	if (expected.via === 'direct') {
		if (entries.length > 0) problems.push(`went through the proxy (${entries.length} entries) although NO_PROXY names it`);
		return problems;
	}
	if (entries.length === 0) problems.push('the proxy logged nothing for it');
	// A tunnel is opened with 200; a forwarded request carries the server's own status (FlowerDocs
	// may answer a token from an earlier run 401, and the node logs in again): only the proxy's
	// refusals are wrong here.
	for (const entry of entries) {
		const carried = vendor.kind === 'tunnel' ? entry.status === 200 : entry.status !== 407 && entry.status !== 502;
		if (entry.kind !== vendor.kind || !carried || entry.authorization !== 'valid') {
			problems.push(`proxy log: ${entry.kind} ${entry.target} ${entry.status}, credentials ${entry.authorization}; expected a ${vendor.kind} carried by the proxy with valid credentials`);
		}
	}
	if (vendor.kind === 'forward' && entries.length !== emulator.log.length) {
		problems.push(`${emulator.log.length} request(s) reached the emulator, ${entries.length} went through the proxy`);
	}
	if (vendor.kind === 'tunnel') {
		const unverified = emulator.log.filter((request) => !(request.tls?.authorized && request.tls.peerCertificate));
		if (emulator.log.length === 0) problems.push('FAST received nothing');
		if (unverified.length > 0) problems.push(`${unverified.length} request(s) reached FAST without a verified client certificate`);
	}
	return problems;
}

/**
 * Runs the chapter on one line: n8n (whose user folder already holds the emulator credentials)
 * against fresh emulators on `ports` and a proxy on a free port. Prints one line per run and
 * vendor; returns the number of failed checks.
 */
export async function checkProxy(install: N8nInstall, env: NodeJS.ProcessEnv, ports: FaultPorts): Promise<number> {
	const started = Date.now();
	const file = join(mkdtempSync(join(tmpdir(), 'n8n-parapheur-proxy-')), 'proxy.json');
	writeFileSync(file, JSON.stringify(proxyWorkflow(), null, 2));
	const imported = await n8nCommand(install, env, ['import:workflow', `--input=${file}`]);
	if (imported.code !== 0) throw new Error(`n8n import:workflow failed:\n${imported.stderr}\n${imported.stdout}`);
	const fast = await startFastEmulator({ port: ports.fast });
	const others = await Promise.all([
		startMaarchEmulator(structuredClone(MAARCH_SAMPLE), ports.maarch),
		startNamirialEmulator(structuredClone(NAMIRIAL_SAMPLE), ports.namirial),
		startFlowerDocsEmulator(structuredClone(FLOWERDOCS_SAMPLE), ports.flowerdocs),
	]).catch(async (error: Error) => {
		await fast.close();
		throw error;
	});
	const emulators: Vendors = { fast, maarch: others[0], namirial: others[1], flowerdocs: others[2] };
	let failures = 0;
	try {
		for (const proxyRun of RUNS) {
			const proxy = await startProxyEmulator({ auth: { user: PROXY_USER, password: PROXY_PASSWORD } });
			const runStarted = Date.now();
			let results: Array<{ name: string; problems: string[] }>;
			try {
				for (const emulator of Object.values(emulators)) emulator.server.clearLog();
				const variables = proxyRun.setup(proxy, ports);
				// Only this run's proxy variables: none inherited from the shell running the suite.
				const runEnv: NodeJS.ProcessEnv = { ...env };
				for (const name of ['http_proxy', 'https_proxy', 'no_proxy', 'all_proxy']) {
					delete runEnv[name];
					delete runEnv[name.toUpperCase()];
				}
				Object.assign(runEnv, variables);
				const result = await n8nCommand(install, runEnv, ['execute', `--id=${PROXY_WORKFLOW_ID}`, '--rawOutput']);
				const run = parseRun(result.stdout);
				const output = result.stdout + result.stderr;
				if (process.env.E2E_SAVE_RUNS) {
					writeFileSync(join(process.env.E2E_SAVE_RUNS, `${install.line}-proxy-${proxyRun.name.replace(/\W+/g, '-')}.json`), run ? JSON.stringify(run, null, 2) : output);
				}
				if (!run) {
					results = [{ name: 'run', problems: [`no run data (exit ${result.code}): ${output.slice(-2000)}`] }];
				} else {
					results = VENDORS.map((vendor) => ({
						name: vendor.key,
						problems: checkVendor(vendor, proxyRun.expected[vendor.key], run, proxy, emulators[vendor.key], ports[vendor.key]),
					}));
				}
				const leaked = [PROXY_PASSWORD, encodeURIComponent(PROXY_PASSWORD), Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')].some((secret) =>
					output.includes(secret),
				);
				if (leaked) results.push({ name: 'no proxy password in the output', problems: ["the proxy's password appears in n8n's output or logs"] });
			} finally {
				await proxy.close();
			}
			const seconds = ((Date.now() - runStarted) / 1000).toFixed(1);
			for (const { name, problems } of results) {
				console.log(`${problems.length ? 'FAIL' : 'PASS'}  n8n ${install.version.padEnd(9)} ${`proxy ${proxyRun.name}: ${name}`.padEnd(52)} ${seconds} s`);
				for (const problem of problems) console.log(`      ${problem}`);
				if (problems.length) failures++;
			}
		}
	} finally {
		await Promise.all(Object.values(emulators).map(async (emulator) => await emulator.close()));
	}
	console.log(`      proxy chapter on n8n ${install.version}: ${RUNS.length} runs, ${failures} failed, ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return failures;
}
