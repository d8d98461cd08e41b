/**
 * The end-to-end suite's hostile-input chapter: values that would change a request's route, in
 * real n8n against the emulators. One generated workflow holds every case as its own node after a
 * Manual Trigger, each continuing on failure; it is run once with `n8n execute`. The cases:
 *
 *   refused path values    Maarch Courrier Remove From Group `..` and Remove From Entity
 *                          `%2e%2e`, FlowerDocs Get `jdupont,..` and Delete `%2F`, FAST Parapheur
 *                          Get Status `%2e%2e` and Delete `..`: the item carries the error naming
 *                          the field, and the vendor's emulator received nothing for it
 *   encoded path values    Maarch Courrier Remove From Group `Élus 2026` and FlowerDocs Get
 *                          `hlenoir`: the emulator received exactly the intended route
 *   HTML answered 200      Maarch Courrier Add To Group answered by a login portal's HTML page
 *                          with HTTP 200: an error quoting the status, never a success
 *   base64 text            FAST Upload with the base64 text `see attached file`: refused before
 *                          anything is sent, not decoded and uploaded as 11 bytes of garbage
 *
 * Each vendor's emulator log must hold exactly the routes of its cases that send (FlowerDocs: and its
 * login): a refused case that sent anything shows there. The vendors' passwords must appear
 * nowhere in n8n's output. One n8n run per line (5-8 s).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IDataObject, IRun } from 'n8n-workflow';

import type { N8nInstall } from '../../scripts/lib/n8n';
import { n8nCommand, parseRun } from '../../scripts/lib/n8n';
import { EMULATOR_CREDENTIALS } from '../emulators/credentials';
import { startFastEmulator } from '../emulators/fast';
import { SAMPLE_CIRCUITS } from '../emulators/fast/sample';
import type { FlowerDocsEmulator } from '../emulators/flowerdocs';
import { FLOWERDOCS_API_PASSWORD, startFlowerDocsEmulator } from '../emulators/flowerdocs';
import { FLOWERDOCS_SAMPLE } from '../emulators/flowerdocs/sample';
import { MAARCH_API_PASSWORD, startMaarchEmulator } from '../emulators/maarch';
import { MAARCH_SAMPLE } from '../emulators/maarch/sample';
import type { Fault, FaultMatch, VendorEmulator } from '../emulators/shared/server';
import type { FaultPorts } from './faults';

export const HOSTILE_WORKFLOW_ID = 'HostileChapter01';

type VendorKey = 'maarch' | 'flowerdocs' | 'fast';

interface HostileCase {
	name: string;
	vendor: VendorKey;
	parameters: IDataObject;
	/** The error must contain these texts. */
	refused?: string[];
	/** The route the emulator must receive (none: it must receive nothing for this case). */
	route?: string;
	/** A fault armed on the case's emulator before the run. */
	fault?: { fault: Fault; match: FaultMatch };
}

const HTML = '<!DOCTYPE html><html><head><title>Portail de connexion</title></head><body>Veuillez vous connecter</body></html>';

const NODE_TYPES: Record<VendorKey, { type: string; credential: keyof typeof EMULATOR_CREDENTIALS }> = {
	maarch: { type: 'n8n-nodes-parapheur.maarchCourrier', credential: 'maarchCourrierApi' },
	flowerdocs: { type: 'n8n-nodes-parapheur.flowerDocs', credential: 'flowerDocsApi' },
	fast: { type: 'n8n-nodes-parapheur.fastParapheur', credential: 'fastParapheurApi' },
};

const ROUTE = 'cannot go into the request address';
const noRetry = { requestOptions: { maxRetries: 0 } };
const maarchUser = { __rl: true, mode: 'id', value: '2' };

export const HOSTILE_CASES: HostileCase[] = [
	{
		name: 'Maarch Remove From Group ..',
		vendor: 'maarch',
		parameters: { resource: 'user', operation: 'removeFromGroup', userId: maarchUser, groupId: '..', ...noRetry },
		refused: ["'Group ID'", ROUTE],
	},
	{
		name: 'Maarch Remove From Entity %2e%2e',
		vendor: 'maarch',
		parameters: { resource: 'user', operation: 'removeFromEntity', userId: maarchUser, entityId: '%2e%2e', ...noRetry },
		refused: ["'Entity ID'", ROUTE, 'percent-decoded'],
	},
	{
		name: 'Maarch Remove From Group Élus 2026',
		vendor: 'maarch',
		parameters: { resource: 'user', operation: 'removeFromGroup', userId: maarchUser, groupId: 'Élus 2026', ...noRetry },
		route: 'DELETE /rest/users/2/groups/%C3%89lus%202026',
	},
	{
		name: 'Maarch Add To Group HTML 200',
		vendor: 'maarch',
		parameters: { resource: 'user', operation: 'addToGroup', userId: maarchUser, groupId: 'AGENT', ...noRetry },
		refused: ['Maarch Courrier answered with an HTML page instead of JSON (HTTP 200)'],
		route: 'POST /rest/users/2/groups',
		fault: { fault: { status: 200, body: HTML, headers: { 'content-type': 'text/html; charset=utf-8' } }, match: { method: 'POST', path: '/rest/users/2/groups' } },
	},
	{
		name: 'FlowerDocs Get jdupont,..',
		vendor: 'flowerdocs',
		parameters: { resource: 'user', operation: 'get', userIds: 'jdupont,..', ...noRetry },
		refused: ["'User IDs'", ROUTE],
	},
	{
		name: 'FlowerDocs Delete %2F',
		vendor: 'flowerdocs',
		parameters: { resource: 'user', operation: 'delete', userId: '%2F', ...noRetry },
		refused: ["'User ID'", ROUTE],
	},
	{
		name: 'FlowerDocs Get hlenoir',
		vendor: 'flowerdocs',
		parameters: { resource: 'user', operation: 'get', userIds: 'hlenoir', ...noRetry },
		route: 'GET /core/rest/users/hlenoir',
	},
	{
		name: 'FAST Get Status %2e%2e',
		vendor: 'fast',
		parameters: { resource: 'document', operation: 'getStatus', documentId: '%2e%2e', ...noRetry },
		refused: ["'Document ID'"],
	},
	{
		name: 'FAST Delete ..',
		vendor: 'fast',
		parameters: { resource: 'document', operation: 'delete', documentId: '..', ...noRetry },
		refused: ["'Document ID'"],
	},
	{
		name: 'FAST Upload base64 see attached file',
		vendor: 'fast',
		parameters: {
			resource: 'document',
			operation: 'upload',
			circuitId: { __rl: true, mode: 'id', value: SAMPLE_CIRCUITS.signature },
			inputDataSource: 'base64',
			fileContent: 'see attached file',
			fileName: 'deliberation.pdf',
			...noRetry,
		},
		refused: ["'File Content (Base64)' is not base64 text"],
	},
];

const TRIGGER = "When clicking 'Execute workflow'";

/** The chapter's workflow: the trigger, then every case on its own branch. */
export function hostileWorkflow() {
	return {
		id: HOSTILE_WORKFLOW_ID,
		name: 'Hostile input chapter',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'trigger', name: TRIGGER, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			...HOSTILE_CASES.map((entry, index) => {
				const { type, credential } = NODE_TYPES[entry.vendor];
				return {
					id: `hostile-${index}`,
					name: entry.name,
					type,
					typeVersion: 1,
					position: [300, index * 200],
					parameters: entry.parameters,
					credentials: { [credential]: { id: EMULATOR_CREDENTIALS[credential].id, name: EMULATOR_CREDENTIALS[credential].name } },
					onError: 'continueRegularOutput',
				};
			}),
		],
		connections: { [TRIGGER]: { main: [HOSTILE_CASES.map((entry) => ({ node: entry.name, type: 'main', index: 0 }))] } },
	};
}

/** The problems of one case in the run. */
function checkCase(entry: HostileCase, run: IRun): string[] {
	const item = run.data.resultData.runData[entry.name]?.[0]?.data?.main?.[0]?.[0];
	if (!item) return ['the node gave no item'];
	if (!entry.refused) return [];
	const error = typeof item.json.error === 'string' ? item.json.error : undefined;
	if (!error) return [`no error: ${JSON.stringify(item.json).slice(0, 300)}`];
	return entry.refused.filter((text) => !error.includes(text)).map((text) => `error ${JSON.stringify(error)} lacks ${JSON.stringify(text)}`);
}

/** The FlowerDocs session token a request carried. */
function tokenOf(entry: { headers: Record<string, string | string[] | undefined> }): string | undefined {
	const token = entry.headers.token;
	return Array.isArray(token) ? token[0] : token;
}

/** What each emulator received must be exactly its valid cases' routes (and FlowerDocs' login). */
function checkRoutes(vendor: VendorKey, emulator: VendorEmulator): string[] {
	const expected = HOSTILE_CASES.filter((entry) => entry.vendor === vendor && entry.route).map((entry) => entry.route!);
	const received = emulator.log
		// FlowerDocs: a token stored by an earlier chapter is refused by this fresh emulator (401), and
		// the node logs in and sends the request again, by design: the logins and that 401 are not routes.
		.filter((entry) => !(vendor === 'flowerdocs' && typeof (emulator as FlowerDocsEmulator).checkToken(tokenOf(entry)) === 'string'))
		.map((entry) => `${entry.method} ${entry.path}`)
		.filter((route) => !/\/rest\/authentication$/.test(route));
	const sorted = (list: string[]) => [...list].sort().join(', ') || 'nothing';
	return sorted(received) === sorted(expected) ? [] : [`received ${sorted(received)}; expected ${sorted(expected)}`];
}

/**
 * Runs the chapter on one line: n8n (whose user folder already holds the emulator credentials)
 * against fresh emulators on `ports`. Prints one line per case; returns the number of failures.
 */
export async function checkHostile(install: N8nInstall, env: NodeJS.ProcessEnv, ports: FaultPorts): Promise<number> {
	const started = Date.now();
	const file = join(mkdtempSync(join(tmpdir(), 'n8n-parapheur-hostile-')), 'hostile.json');
	writeFileSync(file, JSON.stringify(hostileWorkflow(), null, 2));
	const imported = await n8nCommand(install, env, ['import:workflow', `--input=${file}`]);
	if (imported.code !== 0) throw new Error(`n8n import:workflow failed:\n${imported.stderr}\n${imported.stdout}`);
	const fast = await startFastEmulator({ port: ports.fast });
	const others = await Promise.all([
		startMaarchEmulator(structuredClone(MAARCH_SAMPLE), ports.maarch),
		startFlowerDocsEmulator(structuredClone(FLOWERDOCS_SAMPLE), ports.flowerdocs),
	]).catch(async (error: Error) => {
		await fast.close();
		throw error;
	});
	const emulators: Record<VendorKey, VendorEmulator> = { fast, maarch: others[0], flowerdocs: others[1] };
	const results: Array<{ name: string; problems: string[] }> = [];
	try {
		for (const entry of HOSTILE_CASES) if (entry.fault) emulators[entry.vendor].server.injectFault(entry.fault.fault, 1, entry.fault.match);
		const result = await n8nCommand(install, env, ['execute', `--id=${HOSTILE_WORKFLOW_ID}`, '--rawOutput']);
		const run = parseRun(result.stdout);
		const output = result.stdout + result.stderr;
		if (process.env.E2E_SAVE_RUNS) writeFileSync(join(process.env.E2E_SAVE_RUNS, `${install.line}-hostile.json`), run ? JSON.stringify(run, null, 2) : output);
		if (!run) {
			results.push({ name: 'run', problems: [`no run data (exit ${result.code}): ${output.slice(-2000)}`] });
		} else {
			for (const entry of HOSTILE_CASES) results.push({ name: entry.name, problems: checkCase(entry, run) });
			for (const vendor of Object.keys(emulators) as VendorKey[]) {
				results.push({ name: `${vendor}: routes received`, problems: checkRoutes(vendor, emulators[vendor]) });
			}
		}
		const secrets = [MAARCH_API_PASSWORD, FLOWERDOCS_API_PASSWORD, fast.pki.clientPfxPassword];
		const leaked = secrets.filter((secret) => output.includes(secret) || output.includes(encodeURIComponent(secret)));
		if (leaked.length > 0) results.push({ name: 'no password in the output', problems: [`${leaked.length} password(s) appear in n8n's output`] });
	} finally {
		await Promise.all(Object.values(emulators).map(async (emulator) => await emulator.close()));
	}
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	let failures = 0;
	for (const { name, problems } of results) {
		console.log(`${problems.length ? 'FAIL' : 'PASS'}  n8n ${install.version.padEnd(9)} ${`hostile ${name}`.padEnd(52)} ${seconds} s`);
		for (const problem of problems) console.log(`      ${problem}`);
		if (problems.length) failures++;
	}
	console.log(`      hostile chapter on n8n ${install.version}: ${HOSTILE_CASES.length} cases, ${failures} failed, ${seconds} s`);
	return failures;
}
