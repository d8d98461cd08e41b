/**
 * The end-to-end suite's register chapter: the two register templates of examples/ in n8n 2.x
 * queue mode (main + one worker, Redis and PostgreSQL from Debian's packages, binary data in the
 * database: scripts/lib/queue.ts), against the FAST emulator, a GED sink and a mail server.
 *
 *   "Upload"    examples/fast-register-upload.json, imported twice as two workflows (the second
 *               with its own webhook path and name): three documents uploaded by two workflows,
 *               each added to the register (an n8n Data Table) with its reference.
 *   "Reactions" examples/fast-register-reactions.json: the FAST Parapheur Trigger's "Registered
 *               Document State Changed" event, polling every minute with no minimum interval (for
 *               the test), files signed documents into the GED with their fiche de circulation and
 *               mails the service; mails the refusal comment otherwise. The runner adds one node that
 *               calls back every item of each poll, to compare with what the emulator made.
 *
 * A second register ("etiquette"), filled by a third upload workflow, is watched by a trigger
 * with the template's default options (30 minutes between two reads of a document): its document
 * changes during the run, and must be read once only, whatever n8n keeps of each poll.
 *
 * The chapter runs in each of n8n's poll schedulers (E2E_REGISTER_MODES, default all three):
 * `classic`, `scheduler` (N8N_SCHEDULER_ENABLED + N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: the durable
 * scheduler, which keeps nothing of a poll that emits nothing) and `cursors` (the same with
 * N8N_POLLER_DURABLE_CURSORS_ENABLED).
 *
 * The runner moves the documents between polls, as FAST would (one signed and classified, one
 * refused with a comment, one signed then rejected by the signature checker while n8n's main is
 * stopped), and checks: no document ID typed anywhere; every history entry delivered exactly once,
 * the one made while main was down included; the register shows each document's final state;
 * the GED got the signed file and the fiche; the service got one mail per finished document, the
 * refusal comment in the refusal's; executions ran on the worker, with binary data in the database.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import busboy from 'busboy';

import type { N8nInstall } from '../../scripts/lib/n8n';
import { activateWorkflow, n8nCommand, ROOT } from '../../scripts/lib/n8n';
import { apiRequest, setUpOwnerAndApiKey } from '../../scripts/lib/n8n-api';
import type { QueueMode } from '../../scripts/lib/queue';
import { startQueueMode } from '../../scripts/lib/queue';
import { EMULATOR_CREDENTIALS, fastEmulatorCredential, registerCredential } from '../emulators/credentials';
import type { FastEmulator } from '../emulators/fast';
import { getTestPki, startFastEmulator } from '../emulators/fast';
import { SAMPLE_SIREN } from '../emulators/fast/sample';
import { EmulatorServer } from '../emulators/shared/server';
import { mailText, SmtpSink } from '../emulators/smtp';
import type { ExecutionRecord, QueueCheckResult } from './queue';
import { executionProblems, until, workerProblems } from './queue';

import { REGISTER_REACTIONS_ID, REGISTER_UPLOAD_ID } from './templates';

const SECOND_UPLOAD_ID = 'FastRegisterUpl2';
const ETIQUETTE_UPLOAD_ID = 'FastRegisterEtq1';
const ETIQUETTE_TRIGGER_ID = 'FastRegisterEtq2';
const REGISTER = 'FAST Parapheur documents';
const ETIQUETTE_REGISTER = 'FAST Parapheur etiquette';

export type SchedulerMode = 'classic' | 'scheduler' | 'cursors';

/** n8n's settings for each poll scheduler (N8N-NOTES: the durable scheduler is opt-in in 2.41). */
export const SCHEDULER_ENV: Record<SchedulerMode, NodeJS.ProcessEnv> = {
	classic: {},
	scheduler: { N8N_SCHEDULER_ENABLED: 'true', N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true' },
	cursors: { N8N_SCHEDULER_ENABLED: 'true', N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true', N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true' },
};
const REGISTER_CREDENTIAL_ID = EMULATOR_CREDENTIALS.parapheurRegisterApi.id;
const SMTP_CREDENTIAL_ID = 'SmtpServiceMail1';
const REFUSAL = 'Montant errone: voir la deliberation 2026-041';
const WAIT_MS = 150_000;

export interface RegisterPorts {
	mainPort: number;
	workerPort: number;
	redisPort: number;
	postgresPort: number;
	fastPort: number;
}

interface Entry {
	documentId: string;
	position: number;
	stateName: string;
}

const describeEntry = (entry: Entry) => `${entry.documentId}#${entry.position} ${entry.stateName}`;

const template = (file: string) => JSON.parse(readFileSync(join(ROOT, 'examples', file), 'utf8')) as Workflow;

interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	[key: string]: unknown;
}

interface Workflow {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
	[key: string]: unknown;
}

/** The upload template as another workflow: its own ID, name, webhook and (optionally) register. */
function uploadCopy(upload: Workflow, copy: { id: string; name: string; path: string; webhookId: string; register?: string }): Workflow {
	const workflow = structuredClone(upload);
	workflow.id = copy.id;
	workflow.name = copy.name;
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-base.webhook') {
			node.parameters.path = copy.path;
			node.webhookId = copy.webhookId;
		} else if (copy.register) node.parameters.registerName = copy.register;
	}
	return workflow;
}

/** The templates as the chapter imports them: the second upload workflow, the sink's addresses, one poll a minute. */
function workflows(sinkUrl: string): Workflow[] {
	const upload = template('fast-register-upload.json');
	const second = uploadCopy(upload, {
		id: SECOND_UPLOAD_ID,
		name: 'FAST Parapheur: contracts to the circuit, registered',
		path: 'fast-register-contracts',
		webhookId: '8c1f3e55-0a2d-4b8e-9f61-5d7a2b3c4e99',
	});
	const reactions = template('fast-register-reactions.json');
	const trigger = reactions.nodes.find((node) => node.type === 'n8n-nodes-parapheur.fastParapheurTrigger')!;
	trigger.parameters.pollTimes = { item: [{ mode: 'everyMinute' }] };
	trigger.parameters.options = { minIntervalMinutes: 0 };
	for (const node of reactions.nodes) if (node.type === 'n8n-nodes-base.httpRequest') node.parameters.url = `${sinkUrl}/ged`;
	reactions.nodes.push({
		id: 'call-back-entries',
		name: 'Call back every entry',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [240, 240],
		executeOnce: true,
		parameters: { method: 'POST', url: `${sinkUrl}/entries`, sendBody: true, specifyBody: 'json', jsonBody: '={{ JSON.stringify($input.all().map((item) => item.json)) }}', options: {} },
	});
	reactions.connections[trigger.name].main[0].push({ node: 'Call back every entry', type: 'main', index: 0 });

	const etiquetteUpload = uploadCopy(upload, {
		id: ETIQUETTE_UPLOAD_ID,
		name: 'FAST Parapheur: upload into the etiquette register',
		path: 'fast-register-etiquette',
		webhookId: '2d9e7a41-5b3c-4f0e-8a6d-1c2b3a4d5e66',
		register: ETIQUETTE_REGISTER,
	});
	const etiquetteTrigger = structuredClone(reactions);
	etiquetteTrigger.id = ETIQUETTE_TRIGGER_ID;
	etiquetteTrigger.name = 'FAST Parapheur: the etiquette register, default options';
	const watcher = etiquetteTrigger.nodes.find((node) => node.type === 'n8n-nodes-parapheur.fastParapheurTrigger')!;
	watcher.parameters.registerName = ETIQUETTE_REGISTER;
	watcher.parameters.options = {};
	const callback = etiquetteTrigger.nodes.find((node) => node.id === 'call-back-entries')!;
	callback.parameters.url = `${sinkUrl}/etiquette`;
	etiquetteTrigger.nodes = [watcher, callback];
	etiquetteTrigger.connections = { [watcher.name]: { main: [[{ node: callback.name, type: 'main', index: 0 }]] } };
	return [upload, second, reactions, etiquetteUpload, etiquetteTrigger];
}

interface Part {
	name: string;
	fileName?: string;
	bytes: number;
	sha256?: string;
	value?: string;
}

async function parts(body: Buffer, contentType: string): Promise<Part[]> {
	return await new Promise((resolve, reject) => {
		const found: Part[] = [];
		const parser = busboy({ headers: { 'content-type': contentType } });
		parser.on('file', (name, stream, info) => {
			const hash = createHash('sha256');
			let bytes = 0;
			stream.on('data', (chunk: Buffer) => {
				bytes += chunk.length;
				hash.update(chunk);
			});
			stream.on('end', () => found.push({ name, fileName: info.filename, bytes, sha256: hash.digest('hex') }));
		});
		parser.on('field', (name, value) => found.push({ name, bytes: value.length, value }));
		parser.on('close', () => resolve(found));
		parser.on('error', reject);
		Readable.from(body).pipe(parser);
	});
}

async function uploadDocument(baseUrl: string, path: string, fileName: string, reference: string, label: string): Promise<string> {
	const form = new FormData();
	form.append('reference', reference);
	form.append('label', label);
	form.append('data', new Blob([Buffer.from(`%PDF-1.4\n% ${fileName}\n%%EOF\n`)], { type: 'application/pdf' }), fileName);
	let last = '';
	return await until(`the upload webhook ${path} answered`, 60_000, async () => {
		try {
			const response = await fetch(`${baseUrl}/webhook/${path}`, { method: 'POST', body: form, signal: AbortSignal.timeout(30_000) });
			const text = await response.text();
			last = `HTTP ${response.status} ${text.slice(0, 300)}`;
			if (response.status === 404) return undefined;
			const body = JSON.parse(text) as { documentId?: string };
			if (!response.ok || !body.documentId) throw new Error(`the upload workflow answered ${last}`);
			return String(body.documentId);
		} catch (error) {
			if ((error as Error).message.startsWith('the upload workflow')) throw error;
			last = (error as Error).message;
			return undefined;
		}
	}).catch((error: Error) => {
		throw new Error(`${error.message} (last: ${last})`);
	});
}

export async function checkRegisterInQueueMode(install: N8nInstall, tarball: string, ports: RegisterPorts, mode: SchedulerMode = 'classic'): Promise<QueueCheckResult[]> {
	const results: QueueCheckResult[] = [];
	const record = (name: string, started: number, problems: string[], notes: string[] = []) =>
		results.push({ name: `register (${mode}): ${name}`, ok: problems.length === 0, seconds: (Date.now() - started) / 1000, problems, notes });
	const folder = mkdtempSync(join(tmpdir(), 'n8n-parapheur-register-'));
	const sink = new EmulatorServer();
	sink.route('POST', '/ged', () => ({ status: 201, body: { stored: true } }));
	sink.route('POST', '/entries', () => ({ status: 200, body: { received: true } }));
	sink.route('POST', '/etiquette', () => ({ status: 200, body: { received: true } }));
	const smtp = new SmtpSink();
	let fast: FastEmulator | undefined;
	let queue: QueueMode | undefined;
	const expected: Entry[] = [];
	try {
		let started = Date.now();
		let api: { apiBaseUrl: string; apiKey: string };
		try {
			await sink.start();
			await smtp.start();
			fast = await startFastEmulator({ port: ports.fastPort });
			const credentials = [
				...fastEmulatorCredential({ url: fast.url, pki: getTestPki() }),
				// The key exists only once n8n runs: set below through n8n's API.
				registerCredential(`http://127.0.0.1:${ports.mainPort}/api/v1`),
				{ id: SMTP_CREDENTIAL_ID, name: 'Town hall mail server', type: 'smtp', data: { user: 'parapheur', password: 'mail-password', host: '127.0.0.1', port: smtp.port, secure: false, disableStartTls: true } },
			];
			queue = await startQueueMode(install, tarball, {
				mainPort: ports.mainPort,
				workerPort: ports.workerPort,
				redisPort: ports.redisPort,
				postgresPort: ports.postgresPort,
				extraEnv: SCHEDULER_ENV[mode],
				beforeStart: async (env) => {
					const credentialsFile = join(folder, 'credentials.json');
					writeFileSync(credentialsFile, JSON.stringify(credentials));
					const workflowFolder = join(folder, 'workflows');
					mkdirSync(workflowFolder);
					for (const workflow of workflows(sink.baseUrl)) writeFileSync(join(workflowFolder, `${workflow.id}.json`), JSON.stringify(workflow));
					for (const args of [['import:credentials', `--input=${credentialsFile}`], ['import:workflow', '--separate', `--input=${workflowFolder}`]]) {
						const result = await n8nCommand(install, env, args, 180_000);
						if (result.code !== 0) throw new Error(`n8n ${args[0]} failed:\n${result.stderr}\n${result.stdout}`);
					}
					for (const id of [REGISTER_UPLOAD_ID, SECOND_UPLOAD_ID, ETIQUETTE_UPLOAD_ID]) await activateWorkflow(install, env, id);
				},
			});
			api = await setUpOwnerAndApiKey(queue.baseUrl);
			const patched = await apiRequest(api.apiBaseUrl, api.apiKey, 'PATCH', `/credentials/${REGISTER_CREDENTIAL_ID}`, {
				data: { apiKey: api.apiKey, url: `http://127.0.0.1:${ports.mainPort}/api/v1` },
			});
			if (patched.status !== 200) throw new Error(`PATCH /credentials: HTTP ${patched.status} ${JSON.stringify(patched.body).slice(0, 300)}`);
			record('queue mode starts, the register credential gets its API key', started, []);
		} catch (error) {
			record('queue mode starts, the register credential gets its API key', started, [(error as Error).message]);
			return results;
		}

		// Three documents, two workflows, no ID typed anywhere.
		started = Date.now();
		const ids: string[] = [];
		let etiquetteDocument = '';
		try {
			ids.push(await uploadDocument(queue.baseUrl, 'fast-register-upload', 'Délibération 2026-041.pdf', 'DELIB-2026-041', 'Délibérations 2026'));
			ids.push(await uploadDocument(queue.baseUrl, 'fast-register-upload', 'Délibération 2026-042.pdf', 'DELIB-2026-042', 'Délibérations 2026'));
			ids.push(await uploadDocument(queue.baseUrl, 'fast-register-contracts', 'Contrat cantine.pdf', 'MARCHE-2026-007', 'Contrats 2026'));
			etiquetteDocument = await uploadDocument(queue.baseUrl, 'fast-register-etiquette', 'Arrêté voirie.pdf', 'ARR-2026-113', 'Arrêtés 2026');
			const rows = await registerRows(api);
			const problems: string[] = [];
			const workflowsSeen = new Set(rows.map((row) => String(row.workflow)));
			if (rows.length !== 3) problems.push(`the register has ${rows.length} rows, expected 3: ${JSON.stringify(rows).slice(0, 500)}`);
			for (const [index, reference] of ['DELIB-2026-041', 'DELIB-2026-042', 'MARCHE-2026-007'].entries()) {
				const row = rows.find((candidate) => candidate.documentId === ids[index]);
				if (!row) problems.push(`no row for document ${ids[index]}`);
				else if (row.reference !== reference || row.siren !== SAMPLE_SIREN || row.isFinal !== false) problems.push(`row of ${ids[index]}: ${JSON.stringify(row)}`);
			}
			if (workflowsSeen.size !== 2) problems.push(`rows come from ${workflowsSeen.size} workflows, expected 2: ${[...workflowsSeen].join(', ')}`);
			record('three documents uploaded by two workflows are in the register', started, problems, [`documents ${ids.join(', ')}`]);
			for (const id of ids) expected.push({ documentId: id, position: 1, stateName: 'Préparé' });
		} catch (error) {
			record('three documents uploaded by two workflows are in the register', started, [(error as Error).message]);
			return results;
		}

		// The reactions workflow starts watching (its first poll, at activation, delivers the Préparé entries).
		started = Date.now();
		const [signed, refused, rejected] = ids;
		const advance = (id: string, stateName: string) => {
			fast!.advance(id, stateName);
			expected.push({ documentId: id, position: fast!.documents.get(id)!.history.length, stateName });
		};
		const delivered = () => entries(sink);
		const waitForExpected = async (what: string) =>
			await until(what, WAIT_MS, () => {
				const got = new Set(delivered().map(describeEntry));
				return expected.every((entry) => got.has(describeEntry(entry))) ? true : undefined;
			});
		try {
			for (const id of [REGISTER_REACTIONS_ID, ETIQUETTE_TRIGGER_ID]) {
				const activated = await apiRequest(api.apiBaseUrl, api.apiKey, 'POST', `/workflows/${id}/activate`);
				if (activated.status !== 200) throw new Error(`activating workflow ${id}: HTTP ${activated.status} ${JSON.stringify(activated.body).slice(0, 300)}`);
			}
			await waitForExpected('the Préparé entries were delivered');
			await until('the etiquette register\'s document was read', WAIT_MS, () => (etiquetteEntries(sink).length > 0 ? true : undefined));
			// From now on FAST's 30 minutes forbid reading it again during the run.
			fast.advance(etiquetteDocument, 'Envoyé pour signature');
			advance(signed, 'Envoyé pour signature');
			advance(signed, 'Signé');
			advance(signed, 'Classé');
			advance(refused, 'Refusé');
			fast.setRefusalMessage(refused, REFUSAL);
			advance(rejected, 'Envoyé pour signature');
			advance(rejected, 'Signé');
			await waitForExpected('the changes of the first round were delivered');
			record('the trigger delivers the registered documents\' changes', started, []);
		} catch (error) {
			record("the trigger delivers the registered documents' changes", started, [(error as Error).message, `delivered: ${JSON.stringify(delivered().map(describeEntry))}`]);
		}

		// The signature checker rejects a signature while n8n's main (the poller) is stopped.
		started = Date.now();
		try {
			await queue.restartMain(() => advance(rejected, 'signature rejetée'));
			await waitForExpected('the entry made while main was stopped was delivered');
			record('a change made while n8n was stopped arrives after the restart', started, []);
		} catch (error) {
			record('a change made while n8n was stopped arrives after the restart', started, [(error as Error).message, `delivered: ${JSON.stringify(delivered().map(describeEntry))}`]);
		}

		// Exactly once, and the register agrees (its state columns follow one poll after a delivery).
		started = Date.now();
		{
			const problems: string[] = [];
			const got = delivered();
			for (const id of ids) {
				const want = expected.filter((entry) => entry.documentId === id).map(describeEntry);
				const have = got.filter((entry) => entry.documentId === id).map(describeEntry);
				if (JSON.stringify(want) !== JSON.stringify(have)) problems.push(`document ${id}: delivered ${JSON.stringify(have)}, expected ${JSON.stringify(want)}`);
			}
			const wanted: Record<string, Record<string, unknown>> = {
				[signed]: { state: 'classified', isFinal: true, outcome: 'success', entries: 4 },
				[refused]: { state: 'refused', isFinal: true, outcome: 'rejected', entries: 2 },
				[rejected]: { state: 'signatureRejected', isFinal: true, outcome: 'rejected', entries: 4 },
			};
			let rows: Array<Record<string, unknown>> = [];
			try {
				rows = await until('the register shows the final states', WAIT_MS, async () => {
					const current = await registerRows(api);
					return ids.every((id) => matches(current.find((row) => row.documentId === id), wanted[id])) ? current : undefined;
				});
			} catch (error) {
				rows = await registerRows(api).catch(() => []);
				problems.push(`${(error as Error).message}: ${JSON.stringify(rows.map((row) => [row.documentId, row.state, row.isFinal, row.outcome, row.entries]))}`);
			}
			record('each entry delivered exactly once; the register shows every final state', started, problems, [
				`rows: ${JSON.stringify(rows.map((row) => [row.reference, row.state, row.stateName, row.outcome, row.entries]))}`,
			]);
		}

		// What the reactions did: the GED, the mails, where the executions ran and where their files were.
		started = Date.now();
		{
			const problems: string[] = [];
			const notes: string[] = [];
			const stored = await Promise.all(sink.requests('POST', '/ged').map(async (request) => await parts(request.rawBody, String(request.headers['content-type']))));
			if (stored.length !== 1) problems.push(`the GED got ${stored.length} uploads, expected 1 (the signed document)`);
			const upload = stored[0] ?? [];
			const file = upload.find((part) => part.name === 'document');
			const sheet = upload.find((part) => part.name === 'ficheDeCirculation');
			const content = fast.document(signed)?.content;
			if (!file || !content || file.sha256 !== createHash('sha256').update(content).digest('hex')) problems.push(`the GED's document is not FAST's file: ${JSON.stringify(file)}`);
			if (!sheet || sheet.bytes === 0) problems.push(`the GED got no fiche de circulation: ${JSON.stringify(upload.map((part) => part.name))}`);
			if (upload.find((part) => part.name === 'reference')?.value !== 'DELIB-2026-041') problems.push(`the GED got the reference ${JSON.stringify(upload.find((part) => part.name === 'reference'))}`);
			const mails = smtp.messages.map(mailText);
			const mailFor = (reference: string) => mails.filter((text) => text.includes(reference));
			if (mails.length !== 3) problems.push(`${mails.length} mails, expected 3 (one per finished document)`);
			if (mailFor('DELIB-2026-041').length !== 1) problems.push('no single mail for the signed document');
			if (!mailFor('DELIB-2026-042').some((text) => text.includes(REFUSAL))) problems.push('the refusal mail lacks the refusal comment');
			if (!mailFor('MARCHE-2026-007').some((text) => /signature rejet/i.test(text))) problems.push('no mail for the rejected signature');
			const executions = await reactionExecutions(api);
			const withResult = executions.find((execution) => execution.data?.resultData?.runData?.['Get the signed file and the fiche']);
			if (!withResult) problems.push('no execution of the reactions workflow ran Get Result');
			else {
				problems.push(...executionProblems(withResult), ...workerProblems(queue, String(withResult.id)));
				const binary = withResult.data?.resultData?.runData?.['Get the signed file and the fiche']?.[0]?.data?.main?.[0]?.[0]?.binary ?? {};
				for (const field of ['data', 'circulationSheet']) {
					if (!/^database:/.test(String(binary[field]?.id ?? ''))) problems.push(`Get Result's ${field} is not in the database: ${JSON.stringify(binary[field]?.id)}`);
				}
				notes.push(`execution ${withResult.id} on the worker; binary ${String(binary.data?.id)}`);
			}
			record('signed: filed into the GED with its fiche and mailed; refused and rejected: mailed with the reason', started, problems, notes);
		}

		// FAST's 30 minutes with the default options, across silent polls and the restart.
		started = Date.now();
		{
			const problems: string[] = [];
			const reads = fast.server.requests('GET', `/parapheur-ws/rest/v1/documents/v2/${etiquetteDocument}/history`);
			const delivered = etiquetteEntries(sink).map(describeEntry);
			if (reads.length !== 1) problems.push(`document ${etiquetteDocument} was read ${reads.length} times during the run, expected once (30 minutes between two reads)`);
			if (JSON.stringify(delivered) !== JSON.stringify([`${etiquetteDocument}#1 Préparé`])) problems.push(`delivered ${JSON.stringify(delivered)}, expected its Préparé entry once`);
			record("default options: a document read once in the run (FAST's 30 minutes), across silent polls and a restart", started, problems, [
				`reads at ${reads.map((request) => new Date(request.time).toISOString().slice(11, 19)).join(', ')}`,
			]);
		}
		return results;
	} finally {
		await queue?.stop();
		await Promise.all([sink.close(), smtp.close(), fast?.close()]);
		rmSync(folder, { recursive: true, force: true });
	}
}

function matches(row: Record<string, unknown> | undefined, wanted: Record<string, unknown>): boolean {
	return !!row && Object.entries(wanted).every(([key, value]) => row[key] === value);
}

function etiquetteEntries(sink: EmulatorServer): Entry[] {
	return entries(sink, '/etiquette');
}

function entries(sink: EmulatorServer, path = '/entries'): Entry[] {
	return sink
		.requests('POST', path)
		.flatMap((request) => (Array.isArray(request.body) ? (request.body as Array<Record<string, unknown>>) : []))
		.map((json) => ({ documentId: String(json.documentId), position: Number(json.position), stateName: String(json.stateName) }));
}

async function registerRows(api: { apiBaseUrl: string; apiKey: string }): Promise<Array<Record<string, unknown>>> {
	const tables = await apiRequest(api.apiBaseUrl, api.apiKey, 'GET', `/data-tables?filter=${encodeURIComponent(JSON.stringify({ name: REGISTER }))}`);
	const table = ((tables.body as { data?: Array<{ id: string; name: string }> }).data ?? []).find((candidate) => candidate.name === REGISTER);
	if (!table) return [];
	const rows = await apiRequest(api.apiBaseUrl, api.apiKey, 'GET', `/data-tables/${table.id}/rows?limit=250`);
	if (rows.status !== 200) throw new Error(`GET rows: HTTP ${rows.status} ${JSON.stringify(rows.body).slice(0, 300)}`);
	return (rows.body as { data: Array<Record<string, unknown>> }).data;
}

async function reactionExecutions(api: { apiBaseUrl: string; apiKey: string }): Promise<ExecutionRecord[]> {
	const answer = await apiRequest(api.apiBaseUrl, api.apiKey, 'GET', `/executions?workflowId=${REGISTER_REACTIONS_ID}&includeData=true&limit=50`);
	return answer.status === 200 ? (answer.body as { data: ExecutionRecord[] }).data : [];
}
