/**
 * `npm run bench:compare`: the package's nodes against the same requests made with n8n's own HTTP
 * Request node, in a real n8n 2.41.1 (`n8n start`, the package tarball installed in its user
 * folder, binary data on disk), against the emulators in their own processes with 20 ms of latency
 * on every request. Runs are interleaved (ours, HTTP, ours, HTTP, ...); for each row and variant it
 * prints the median and minimum wall time, the execution's own time, the compared node's time, the
 * requests the emulator received, the peak RSS growth of n8n's main process and the ratio ours /
 * HTTP of the medians, then the markdown that goes into BENCHMARKS.md.
 *
 *   npm run bench:compare
 *   BENCH_ROWS=maarch,namirial npm run bench:compare   rows: maarch, namirial (= namirial-item,
 *                          namirial-batch), fast (= fast-upload, fast-download), trigger
 *   BENCH_RUNS=5           runs of each of ours' variants (default 3; HTTP runs after each of them)
 *   BENCH_SIZE_MB=100      FAST transfer size (default 1024)
 *   BENCH_MAARCH_USERS=1000  BENCH_OPERATORS=10000  BENCH_DOCUMENTS=1000   the other rows' sizes
 *   BENCH_LATENCY_MS=20    latency the emulators add to every request
 *   BENCH_RUN_TIMEOUT_S=1800   the longest one run may take (then the benchmark stops)
 *   BENCH_TARBALL=/path/n8n-nodes-parapheur-x.tgz   installs this tarball instead of building and packing
 *   BENCH_N8N_PORT=5790 (task runners' broker: the next port), BENCH_EMULATOR_PORT=9801 (Maarch;
 *   Trust and Sign and FAST: the next two)
 *
 * How a run is timed: the workflow starts with a Webhook that answers when the last node has
 * finished; the wall time goes from sending the request to the answer, and is checked against the
 * execution's startedAt/stoppedAt read back through the REST API. The trigger has no webhook: n8n
 * polls once when the workflow is activated, so the time goes from `POST
 * /rest/workflows/:id/activate` until `GET /rest/workflows/:id/publication-status` (read every
 * 25 ms) says 'published', which n8n 2.41 does once that poll has returned; it is checked against
 * the span of the requests the emulator received.
 * During each run /proc/<n8n pid>/status (VmRSS) is read every 50 ms; the growth is the peak minus
 * the value read just before the request. n8n 2.x runs executions in its main process (regular
 * mode); only the Code nodes run in the task runner, a child process that is not counted.
 * Each run is checked: the execution succeeded with the expected items, and the emulator holds
 * what was sent (users, operators, CSV bytes identical to the package's, the uploaded size and
 * SHA-256, the downloaded file's size and SHA-256); a run that fails a check is not counted.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';

import { syntheticContent, syntheticSha256 } from '../test/emulators/fast';
import { SAMPLE_SIREN } from '../test/emulators/fast/sample';
import { DEPOSITOR_EMAIL, PFX_PASSWORD } from '../test/emulators/fast/pki';
import { MAARCH_API_LOGIN, MAARCH_API_PASSWORD } from '../test/emulators/maarch';
import { NAMIRIAL_ADMIN_EMAIL, NAMIRIAL_ADMIN_PASSWORD } from '../test/emulators/namirial';
import { EmulatorProcess, killEmulators } from './bench-compare-emulators';
import type { ExecutionData, NodeRun } from './bench-compare-n8n';
import { N8nServer, RssSampler } from './bench-compare-n8n';
import type { RowResult, RunResult, VariantResult } from './bench-compare-stats';
import { MB, failures, markdownTable, median } from './bench-compare-stats';
import type { BenchCredentials, BenchEndpoints, BenchWorkflow } from './bench-compare-workflows';
import {
	MAARCH_LOGIN_PREFIX,
	NAMIRIAL_EMAIL_PREFIX,
	fastDownloadHttp,
	fastDownloadOurs,
	fastHistoriesHttp,
	fastTrigger,
	fastUploadHttp,
	fastUploadOurs,
	maarchHttp,
	maarchOurs,
	namirialHttpBatch,
	namirialHttpPerItem,
	namirialOurs,
} from './bench-compare-workflows';
import type { N8nInstall } from './lib/n8n';
import { ROOT, getN8n, installedN8n, packPackage } from './lib/n8n';

/* ─── Settings ─────────────────────────────────────────────────────────────────────────────── */

function integer(name: string, fallback: number, min: number, max: number): number {
	const text = process.env[name];
	if (text === undefined || text.trim() === '') return fallback;
	const value = Number(text);
	if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
	return value;
}

const DEFAULTS = { runs: 3, sizeMb: 1024, maarchUsers: 1000, operators: 10_000, documents: 1000, latencyMs: 20 };
const RUNS = integer('BENCH_RUNS', DEFAULTS.runs, 1, 50);
const SIZE_MB = integer('BENCH_SIZE_MB', DEFAULTS.sizeMb, 1, 8192);
const MAARCH_USERS = integer('BENCH_MAARCH_USERS', DEFAULTS.maarchUsers, 1, 100_000);
const OPERATORS = integer('BENCH_OPERATORS', DEFAULTS.operators, 1, 100_000);
const DOCUMENTS = integer('BENCH_DOCUMENTS', DEFAULTS.documents, 1, 10_000);
const LATENCY_MS = integer('BENCH_LATENCY_MS', DEFAULTS.latencyMs, 0, 10_000);
const RUN_TIMEOUT_MS = integer('BENCH_RUN_TIMEOUT_S', 1800, 10, 24 * 3600) * 1000;
const N8N_PORT = integer('BENCH_N8N_PORT', 5790, 1024, 65534);
const EMULATOR_PORT = integer('BENCH_EMULATOR_PORT', 9801, 1024, 65533);
/** The ours variant with Request Options > Concurrency set (ignored by a package without the field). */
const CONCURRENCY = integer('BENCH_CONCURRENCY', 8, 1, 32);
/** Warm-up runs (not measured) use this many items, or a 1 MB file. */
const WARMUP_ITEMS = 3;

const ROW_KEYS = ['maarch', 'namirial-item', 'namirial-batch', 'fast-upload', 'fast-download', 'trigger'] as const;
type RowKey = (typeof ROW_KEYS)[number];
const ROW_GROUPS: Record<string, RowKey[]> = { namirial: ['namirial-item', 'namirial-batch'], fast: ['fast-upload', 'fast-download'] };

function selectedRows(): RowKey[] {
	const text = process.env.BENCH_ROWS?.trim();
	if (!text) return [...ROW_KEYS];
	const wanted = new Set<RowKey>();
	for (const part of text.split(',').map((entry) => entry.trim()).filter(Boolean)) {
		const keys = ROW_GROUPS[part] ?? (ROW_KEYS.includes(part as RowKey) ? [part as RowKey] : undefined);
		if (!keys) throw new Error(`BENCH_ROWS: unknown row ${JSON.stringify(part)} (rows: maarch, namirial, namirial-item, namirial-batch, fast, fast-upload, fast-download, trigger)`);
		for (const key of keys) wanted.add(key);
	}
	return ROW_KEYS.filter((key) => wanted.has(key));
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/* ─── Clean-up ─────────────────────────────────────────────────────────────────────────────── */

const state: { n8n?: N8nServer; dirs: string[]; stopping: boolean } = { dirs: [], stopping: false };

/** Ctrl+C or SIGTERM: kill what was started (n8n, its task runner, the emulators), remove the temp folders. */
function interrupted(signal: NodeJS.Signals): void {
	if (state.stopping) return;
	state.stopping = true;
	log(`\n${signal}: stopping n8n and the emulators`);
	const n8n = state.n8n;
	n8n?.kill();
	void killEmulators().finally(() => {
		for (const dir of [...state.dirs, ...(n8n ? [n8n.userFolder] : [])]) rmSync(dir, { recursive: true, force: true });
		process.exit(130);
	});
}

/** An error that stops the whole benchmark (a run timed out: n8n may still be busy with it). */
class Abort extends Error {}

/* ─── One measured run ─────────────────────────────────────────────────────────────────────── */

interface WebhookRunSpec {
	workflowId: string;
	path: string;
	body: Record<string, unknown>;
	emulator: EmulatorProcess;
	/** Nodes whose executionTime is the "node" time (summed). */
	nodes: string[];
	/** Output items the last of them must have. */
	items: number;
	/** Further checks once the execution is read back; returns problems. */
	check?: (data: ExecutionData, answer: unknown) => Promise<string[]> | string[];
	/** Deletes the execution afterwards (and its binary data on disk). */
	deleteExecution?: boolean;
}

function outputItems(run: NodeRun | undefined): NonNullable<NonNullable<NonNullable<NodeRun['data']>['main']>[number]> {
	return run?.data?.main?.[0] ?? [];
}

/** What went wrong in an execution: a node failed or did not run, or the last node output another number of items than `items` (when given). */
function executionProblems(data: ExecutionData, nodes: string[], items?: number): string[] {
	const problems: string[] = [];
	const runData = data.resultData.runData;
	if (data.resultData.error) problems.push(`workflow failed: ${data.resultData.error.message ?? 'unknown error'}`);
	for (const name of nodes) {
		const run = runData[name]?.[0];
		if (!run) problems.push(`${name} did not run`);
		else if (run.error) problems.push(`${name} failed: ${run.error.message ?? 'unknown error'}${run.error.description ? ` (${run.error.description.slice(0, 300)})` : ''}`);
	}
	const last = nodes[nodes.length - 1];
	const count = outputItems(runData[last]?.[0]).length;
	if (items !== undefined && runData[last]?.[0] && count !== items) problems.push(`${last} output ${count} items, expected ${items}`);
	return problems;
}

function nodeTime(data: ExecutionData, nodes: string[]): number | undefined {
	let total = 0;
	for (const name of nodes) {
		const time = data.resultData.runData[name]?.[0]?.executionTime;
		if (typeof time !== 'number') return undefined;
		total += time;
	}
	return total;
}

async function webhookRun(n8n: N8nServer, spec: WebhookRunSpec): Promise<RunResult> {
	await spec.emulator.clearLog();
	const before = new Set((await n8n.executions(spec.workflowId)).map((execution) => execution.id));
	const sampler = new RssSampler(n8n.pid);
	const started = process.hrtime.bigint();
	let answer;
	try {
		answer = await n8n.webhook(spec.path, spec.body, RUN_TIMEOUT_MS);
	} catch (error) {
		sampler.stop();
		throw new Abort(`${spec.path}: ${(error as Error).message}`);
	}
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	const rss = sampler.stop();
	const problems: string[] = [];
	if (answer.status !== 200) problems.push(`the webhook answered HTTP ${answer.status}: ${answer.text.slice(0, 300)}`);
	const requests = (await spec.emulator.requests()).count;
	const execution = await n8n.finishedExecution(spec.workflowId, before, 60_000);
	if (execution.status !== 'success') problems.push(`execution ${execution.id} ended ${execution.status}`);
	const crossCheckMs = execution.startedAt && execution.stoppedAt ? Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt) : undefined;
	let nodeMs: number | undefined;
	try {
		const data = await n8n.executionData(execution.id);
		problems.push(...executionProblems(data, spec.nodes, spec.items));
		nodeMs = nodeTime(data, spec.nodes);
		if (problems.length === 0 && spec.check) problems.push(...(await spec.check(data, parseJson(answer.text))));
	} finally {
		if (spec.deleteExecution) await n8n.deleteExecutions([execution.id]);
	}
	return { ok: problems.length === 0, problems, wallMs, crossCheckMs, nodeMs, requests, rssGrowthBytes: rss.growth, rssSamples: rss.samples };
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

function describeRun(label: string, round: number, run: RunResult): string {
	const head = `  ${label.padEnd(34)} run ${round + 1}/${RUNS}: ${(run.wallMs / 1000).toFixed(2).padStart(7)} s`;
	const rest = `${String(run.requests).padStart(6)} requests, RSS ${run.rssGrowthBytes >= 0 ? '+' : ''}${(run.rssGrowthBytes / MB).toFixed(1)} MB (${run.rssSamples} samples)${run.crossCheckMs !== undefined ? `, n8n ${(run.crossCheckMs / 1000).toFixed(2)} s` : ''}`;
	return `${head}, ${rest}${run.ok ? '' : `  FAILED: ${run.problems.join('; ')}`}`;
}

/* ─── Workflows, warm-up ───────────────────────────────────────────────────────────────────── */

interface Deployed {
	id: string;
	versionId: string;
	path: string;
}

/** Creates and activates a webhook workflow, then runs it once with `warmup` until its webhook is registered. */
async function deploy(n8n: N8nServer, path: string, workflow: BenchWorkflow, warmup: Record<string, unknown>, emulator: EmulatorProcess, nodes: string[]): Promise<Deployed> {
	const created = await n8n.createWorkflow({ ...workflow, active: false });
	await n8n.activate(created);
	const publication = await n8n.waitForPublication(created.id, 60_000);
	if (publication.status !== 'published') throw new Error(`activating ${path}: ${publication.status} ${JSON.stringify(publication.triggers)}`);
	// The production webhook may be registered a moment later still.
	const deadline = Date.now() + 30_000;
	for (;;) {
		const before = new Set((await n8n.executions(created.id)).map((execution) => execution.id));
		const answer = await n8n.webhook(path, warmup, RUN_TIMEOUT_MS);
		if (answer.status === 404 && /not registered/.test(answer.text) && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 250));
			continue;
		}
		if (answer.status !== 200) throw new Error(`warm-up of ${path}: HTTP ${answer.status} ${answer.text.slice(0, 500)}`);
		const execution = await n8n.finishedExecution(created.id, before, 60_000);
		const data = await n8n.executionData(execution.id);
		const problems = executionProblems(data, nodes);
		if (execution.status !== 'success' || problems.length > 0) throw new Error(`warm-up of ${path} failed (${execution.status}): ${problems.join('; ')}`);
		await n8n.deleteExecutions([execution.id]);
		break;
	}
	await emulator.clearLog();
	return { ...created, path };
}

/* ─── Rows ─────────────────────────────────────────────────────────────────────────────────── */

interface Context {
	n8n: N8nServer;
	credentials: BenchCredentials;
	endpoints: BenchEndpoints;
	maarch: EmulatorProcess;
	namirial: EmulatorProcess;
	fast: EmulatorProcess;
	filesDir: string;
}

interface Contender {
	label: string;
	ours: boolean;
	run: (round: number) => Promise<RunResult>;
}

/** Runs ours' variants and the HTTP Request workflow interleaved: ours, HTTP, ours, HTTP, ... */
async function interleave(ours: Contender[], http: Contender): Promise<VariantResult[]> {
	const results = new Map<Contender, RunResult[]>([...ours, http].map((contender) => [contender, []]));
	for (let round = 0; round < RUNS; round++) {
		for (const contender of ours) {
			for (const current of [contender, http]) {
				const run = await current.run(round);
				results.get(current)!.push(run);
				log(describeRun(current.label, round, run));
			}
		}
	}
	return [...ours, http].map((contender) => ({ label: contender.label, ours: contender.ours, runs: results.get(contender)! }));
}

const oursVariants = (name: string) => [
	{ label: `${name} (default)`, concurrency: undefined, suffix: '' },
	{ label: `${name} (concurrency ${CONCURRENCY})`, concurrency: CONCURRENCY, suffix: `-c${CONCURRENCY}` },
];

async function maarchRow(ctx: Context): Promise<RowResult> {
	const { n8n, credentials, endpoints, maarch } = ctx;
	const reset = async () => void (await maarch.ask({ op: 'reset' }));
	const check = async (): Promise<string[]> => {
		const { count } = await maarch.ask<{ count: number }>({ op: 'users', prefix: MAARCH_LOGIN_PREFIX });
		return count === MAARCH_USERS ? [] : [`Maarch holds ${count} bench users, expected ${MAARCH_USERS}`];
	};
	const contender = async (label: string, ours: boolean, path: string, workflow: BenchWorkflow, node: string): Promise<Contender> => {
		await reset();
		const deployed = await deploy(n8n, path, workflow, { count: WARMUP_ITEMS }, maarch, ['Users', node]);
		return {
			label,
			ours,
			run: async () => {
				await reset();
				return await webhookRun(n8n, { workflowId: deployed.id, path, body: { count: MAARCH_USERS }, emulator: maarch, nodes: [node], items: MAARCH_USERS, check });
			},
		};
	};
	const ours: Contender[] = [];
	for (const variant of oursVariants('ours')) {
		const path = `bench-maarch-ours${variant.suffix}`;
		ours.push(await contender(variant.label, true, path, maarchOurs(path, credentials, variant.concurrency), 'Maarch Courrier'));
	}
	const http = await contender('HTTP Request', false, 'bench-maarch-http', maarchHttp('bench-maarch-http', credentials, endpoints), 'HTTP Request');
	const variants = await interleave(ours, http);
	const requestCounts = variants
		.map((variant) => {
			const counts = variant.runs.filter((run) => run.ok).map((run) => run.requests);
			return counts.length ? `${variant.label} ${median(counts)}` : undefined;
		})
		.filter(Boolean);
	return {
		key: 'maarch',
		title: `Maarch Courrier: create ${MAARCH_USERS.toLocaleString('en')} users`,
		variants,
		notes: [
			`Maarch Courrier: the HTTP Request workflow sends POST /rest/users per user with the body the package's Create sends ({userId, firstname, lastname, mail}) and the same account (n8n's Basic Auth credential); ours: Create with its defaults (a read-back or a list read it makes is in its requests). Requests for ${MAARCH_USERS.toLocaleString('en')} users (median): ${requestCounts.join(', ')}.`,
		],
	};
}

async function namirialRow(ctx: Context, mode: 'create' | 'createBatch'): Promise<RowResult> {
	const { n8n, credentials, endpoints, namirial } = ctx;
	const reset = async () => void (await namirial.ask({ op: 'reset' }));
	const batch = mode === 'createBatch';
	let oursCsv: string | undefined;
	const check = (ours: boolean) => async (): Promise<string[]> => {
		const problems: string[] = [];
		const { count } = await namirial.ask<{ count: number }>({ op: 'operators', prefix: NAMIRIAL_EMAIL_PREFIX });
		if (count !== OPERATORS) problems.push(`Trust and Sign holds ${count} bench operators, expected ${OPERATORS}`);
		if (batch) {
			const { batches } = await namirial.ask<{ batches: Array<{ rows: number; sha256: string }> }>({ op: 'batches' });
			const rows = batches.reduce((total, entry) => total + entry.rows, 0);
			if (batches.length !== Math.ceil(OPERATORS / 1000) || rows !== OPERATORS) problems.push(`${batches.length} CSV batches of ${rows} rows in all, expected ${Math.ceil(OPERATORS / 1000)} of ${OPERATORS}`);
			// Order-free: the HTTP Request node sends its requests at once.
			const csv = batches.map((entry) => entry.sha256).sort().join(',');
			if (ours) oursCsv ??= csv;
			else if (oursCsv !== undefined && csv !== oursCsv) problems.push("the CSV files sent are not byte for byte the package's");
		}
		return problems;
	};
	const contender = async (label: string, ours: boolean, path: string, workflow: BenchWorkflow, nodes: string[], items: number): Promise<Contender> => {
		await reset();
		const deployed = await deploy(n8n, path, workflow, { count: WARMUP_ITEMS }, namirial, ['Operators', ...nodes]);
		return {
			label,
			ours,
			run: async () => {
				await reset();
				return await webhookRun(n8n, { workflowId: deployed.id, path, body: { count: OPERATORS }, emulator: namirial, nodes, items, check: check(ours) });
			},
		};
	};
	const name = batch ? 'ours, Create in Batch' : 'ours, Create';
	const ours: Contender[] = [];
	for (const variant of oursVariants(name)) {
		const path = `bench-namirial-${batch ? 'batch' : 'item'}-ours${variant.suffix}`;
		ours.push(await contender(variant.label, true, path, namirialOurs(path, credentials, mode, variant.concurrency), ['Trust and Sign'], OPERATORS));
	}
	const http = batch
		? await contender(
				'HTTP Request (same CSV requests)',
				false,
				'bench-namirial-batch-http',
				namirialHttpBatch('bench-namirial-batch-http', credentials, endpoints),
				['Build CSV', 'Convert to File', 'HTTP Request'],
				Math.ceil(OPERATORS / 1000),
			)
		: await contender('HTTP Request', false, 'bench-namirial-item-http', namirialHttpPerItem('bench-namirial-item-http', credentials, endpoints), ['HTTP Request'], OPERATORS);
	return {
		key: `namirial-${batch ? 'batch' : 'item'}`,
		title: batch ? `Trust and Sign: create ${OPERATORS.toLocaleString('en')} operators in CSV batches` : `Trust and Sign: create ${OPERATORS.toLocaleString('en')} operators, one request each`,
		variants: await interleave(ours, http),
		notes: batch
			? [
					"Trust and Sign in batches: the HTTP Request workflow sends the same CSV requests as Create in Batch (1,000 rows each, checked byte for byte against the package's on the emulator): a Code node writes the CSVs, Convert to File makes them files, HTTP Request posts each as the multipart part `csv`; its node time is the three nodes'. Ours reads the items as they are (Data Mode 'Auto-Map Input Data').",
				]
			: ['Trust and Sign per item: both send POST /contract/management/users/create with {email, firstName, lastName, authorizations, externalId} per operator.'],
	};
}

/** A file of `size` synthetic bytes (the FAST emulator's own pattern), and its SHA-256. */
async function writeSyntheticFile(path: string, size: number): Promise<string> {
	await pipeline(syntheticContent(size), createWriteStream(path));
	return syntheticSha256(size);
}

async function sha256File(path: string): Promise<{ sha256: string; size: number }> {
	const hash = createHash('sha256');
	let size = 0;
	for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
		hash.update(chunk);
		size += chunk.length;
	}
	return { sha256: hash.digest('hex'), size };
}

/** The document ID in the webhook's answer: ours' `documentId`, or the HTTP Request node's text answer. */
function uploadedId(answer: unknown): string | undefined {
	const json = (answer ?? {}) as Record<string, unknown>;
	const value = json.documentId ?? json.id ?? json.data;
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	return /^\d+$/.test(text) ? text : undefined;
}

async function fastUploadRow(ctx: Context): Promise<RowResult> {
	const { n8n, credentials, endpoints, fast, filesDir } = ctx;
	const size = SIZE_MB * MB;
	const file = join(filesDir, `bench-upload-${SIZE_MB}MB.pdf`);
	const warmupFile = join(filesDir, 'bench-upload-warmup.pdf');
	log(`… writing the ${SIZE_MB} MB file to upload`);
	const sha256 = await writeSyntheticFile(file, size);
	await writeSyntheticFile(warmupFile, MB);
	let sequence = 0;
	const label = () => `Bench ${process.pid} ${++sequence}`;
	const check = async (_data: ExecutionData, answer: unknown): Promise<string[]> => {
		const id = uploadedId(answer);
		if (!id) return [`no document ID in the answer ${JSON.stringify(answer).slice(0, 200)}`];
		const { document } = await fast.ask<{ document: { size: number; sha256?: string } | null }>({ op: 'document', id });
		if (!document) return [`the emulator has no document ${id}`];
		if (document.size !== size || document.sha256 !== sha256) return [`the emulator received ${document.size} bytes (sha256 ${document.sha256}), sent ${size} (sha256 ${sha256})`];
		return [];
	};
	const contender = async (labelText: string, ours: boolean, path: string, workflow: BenchWorkflow, node: string): Promise<Contender> => {
		const deployed = await deploy(n8n, path, workflow, { path: warmupFile, label: label() }, fast, ['Read File', node]);
		return {
			label: labelText,
			ours,
			run: async () =>
				await webhookRun(n8n, { workflowId: deployed.id, path, body: { path: file, label: label() }, emulator: fast, nodes: [node], items: 1, check, deleteExecution: true }),
		};
	};
	try {
		const ours = await contender('ours (default)', true, 'bench-fast-upload-ours', fastUploadOurs('bench-fast-upload-ours', credentials), 'FAST Parapheur');
		const http = await contender('HTTP Request', false, 'bench-fast-upload-http', fastUploadHttp('bench-fast-upload-http', credentials, endpoints), 'HTTP Request');
		return {
			key: 'fast-upload',
			title: `FAST Parapheur: upload ${SIZE_MB >= 1024 && SIZE_MB % 1024 === 0 ? `${SIZE_MB / 1024} GB` : `${SIZE_MB} MB`}`,
			variants: await interleave([ours], http),
			notes: [
				"FAST upload: both workflows read the file with Read/Write Files from Disk first (a copy into n8n's binary storage, in the wall time of both, not in the node time); both send it as the multipart file part `content` with the field `label` over HTTPS with the client certificate (HTTP Request: the SSL Certificates credential), the HTTP Request node with its default options (POST follows redirects). The emulator hashes what it receives; each run is checked for size and SHA-256. One item: no concurrency variant.",
			],
		};
	} finally {
		rmSync(file, { force: true });
		rmSync(warmupFile, { force: true });
	}
}

async function fastDownloadRow(ctx: Context): Promise<RowResult> {
	const { n8n, credentials, endpoints, fast } = ctx;
	const size = SIZE_MB * MB;
	const { id: documentId } = await fast.ask<{ id: string }>({ op: 'seed', size });
	const { id: warmupId } = await fast.ask<{ id: string }>({ op: 'seed', size: MB });
	log(`… computing the SHA-256 of the ${SIZE_MB} MB FAST serves`);
	const expected = syntheticSha256(size);
	const check = (node: string) => async (data: ExecutionData): Promise<string[]> => {
		const binary = outputItems(data.resultData.runData[node]?.[0])[0]?.binary?.data;
		if (!binary?.id) return [`${node} output no binary 'data' stored on disk`];
		const stored = await sha256File(n8n.binaryPath(binary.id));
		if (stored.size !== size || stored.sha256 !== expected) return [`n8n stored ${stored.size} bytes (sha256 ${stored.sha256}), FAST sent ${size} (sha256 ${expected})`];
		return [];
	};
	const contender = async (label: string, ours: boolean, path: string, workflow: BenchWorkflow, node: string): Promise<Contender> => {
		const deployed = await deploy(n8n, path, workflow, { documentId: warmupId }, fast, [node]);
		return {
			label,
			ours,
			run: async () => await webhookRun(n8n, { workflowId: deployed.id, path, body: { documentId }, emulator: fast, nodes: [node], items: 1, check: check(node), deleteExecution: true }),
		};
	};
	const ours = await contender('ours (default)', true, 'bench-fast-download-ours', fastDownloadOurs('bench-fast-download-ours', credentials), 'FAST Parapheur');
	const http = await contender('HTTP Request', false, 'bench-fast-download-http', fastDownloadHttp('bench-fast-download-http', credentials, endpoints), 'HTTP Request');
	return {
		key: 'fast-download',
		title: `FAST Parapheur: download ${SIZE_MB >= 1024 && SIZE_MB % 1024 === 0 ? `${SIZE_MB / 1024} GB` : `${SIZE_MB} MB`}`,
		variants: await interleave([ours], http),
		notes: [
			"FAST download: GET /documents/v2/{id}/download into n8n's binary storage on disk (HTTP Request: Response Format 'File'); each run checks the stored file's size and SHA-256 against the bytes FAST sent. One item: no concurrency variant.",
		],
	};
}

/** The trigger's poll timed through its activation; none due: the same workflow activated again. */
async function triggerRows(ctx: Context): Promise<RowResult[]> {
	const { n8n, credentials, endpoints, fast } = ctx;
	const { ids } = await fast.ask<{ ids: string[] }>({ op: 'seedMany', count: DOCUMENTS });
	const entries = 2 * DOCUMENTS; // each document: Préparé, Envoyé pour signature
	let sequence = 0;

	/**
	 * Activates a trigger workflow and times it until n8n reports it published, which it does once
	 * the trigger's first poll has returned.
	 */
	const activation = async (workflow: { id: string; versionId: string }, expectRequests: number | undefined): Promise<RunResult> => {
		await fast.clearLog();
		const sampler = new RssSampler(n8n.pid);
		const started = process.hrtime.bigint();
		let publication;
		try {
			await n8n.activate(workflow);
			publication = await n8n.waitForPublication(workflow.id, RUN_TIMEOUT_MS);
		} catch (error) {
			sampler.stop();
			throw new Abort(`activating the trigger: ${(error as Error).message}`);
		}
		const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
		const rss = sampler.stop();
		const requests = await fast.requests();
		const problems: string[] = [];
		if (publication.status !== 'published') problems.push(`the activation ended ${publication.status}: ${publication.triggers.map((trigger) => trigger.errorMessage).filter(Boolean).join('; ')}`);
		if (expectRequests !== undefined && requests.count !== expectRequests) problems.push(`the poll sent ${requests.count} requests, expected ${expectRequests}`);
		const crossCheckMs = requests.first !== null && requests.last !== null ? requests.last - requests.first + LATENCY_MS : undefined;
		return { ok: problems.length === 0, problems, wallMs, crossCheckMs, requests: requests.count, rssGrowthBytes: rss.growth, rssSamples: rss.samples };
	};

	const deactivate = async (workflowId: string) => {
		await n8n.deactivate(workflowId);
		const publication = await n8n.waitForPublication(workflowId, 60_000);
		if (publication.status !== 'not_published') throw new Error(`deactivating the trigger: still ${publication.status}`);
	};

	/** A fresh trigger workflow (no state): activation = a poll with every document due; waits for the execution it starts. */
	const allDue = async (watched: string[]): Promise<{ run: RunResult; workflow: { id: string; versionId: string } }> => {
		const workflow = await n8n.createWorkflow({ ...fastTrigger(`bench trigger ${++sequence}`, credentials, watched), active: false });
		const run = await activation(workflow, watched.length);
		try {
			// The poll's items start an execution, which stores the trigger's state (the documents' cursors).
			const execution = await n8n.finishedExecution(workflow.id, new Set(), 120_000);
			const data = await n8n.executionData(execution.id);
			const problems = executionProblems(data, ['FAST Parapheur Trigger'], 2 * watched.length);
			if (execution.status !== 'success') problems.push(`the execution the poll started ended ${execution.status}`);
			if (problems.length) Object.assign(run, { ok: false, problems: [...run.problems, ...problems] });
			await n8n.deleteExecutions([execution.id]);
		} catch (error) {
			Object.assign(run, { ok: false, problems: [...run.problems, (error as Error).message] });
		} finally {
			await deactivate(workflow.id);
		}
		return { run, workflow };
	};

	const noneDue = async (workflow: { id: string; versionId: string }): Promise<RunResult> => {
		const run = await activation(workflow, 0);
		await deactivate(workflow.id);
		if (!run.ok) run.problems.push("n8n did not keep the trigger's state from the previous poll");
		return run;
	};

	// Warm-up: a small watch, both polls, and the HTTP Request workflow once.
	const warm = await allDue(ids.slice(0, WARMUP_ITEMS));
	if (!warm.run.ok) throw new Error(`warm-up of the trigger failed: ${warm.run.problems.join('; ')}`);
	const warmNone = await noneDue(warm.workflow);
	if (!warmNone.ok) throw new Error(`warm-up of the trigger failed: ${warmNone.problems.join('; ')}`);
	const httpPath = 'bench-fast-histories-http';
	const http = await deploy(n8n, httpPath, fastHistoriesHttp(httpPath, credentials, endpoints), { ids: ids.slice(0, WARMUP_ITEMS) }, fast, ['Documents', 'HTTP Request']);
	const httpRun = async () =>
		await webhookRun(n8n, { workflowId: http.id, path: httpPath, body: { ids }, emulator: fast, nodes: ['HTTP Request'], items: entries });

	const results = { oursAll: [] as RunResult[], httpAll: [] as RunResult[], oursNone: [] as RunResult[], httpNone: [] as RunResult[] };
	for (let round = 0; round < RUNS; round++) {
		const { run, workflow } = await allDue(ids);
		results.oursAll.push(run);
		log(describeRun('trigger, all due', round, run));
		const http1 = await httpRun();
		results.httpAll.push(http1);
		log(describeRun('HTTP Request (all due)', round, http1));
		const none = run.ok ? await noneDue(workflow) : { ...run, ok: false, problems: ['not run: the all-due poll before it failed'] };
		results.oursNone.push(none);
		log(describeRun('trigger, none due', round, none));
		const http2 = await httpRun();
		results.httpNone.push(http2);
		log(describeRun('HTTP Request (none due)', round, http2));
	}
	const crossCheckNote = 'span between the first and the last request the emulator received during the poll, plus one latency';
	const notes = [
		`FAST Parapheur Trigger: ${DOCUMENTS.toLocaleString('en')} documents watched (Minimum Interval per Document 30 minutes, Max Documents per Poll ${DOCUMENTS}, Entries Already There 'All'); the poll is the one n8n runs when the workflow is activated, timed from POST /rest/workflows/{id}/activate until the publication status (read every 25 ms) says 'published', which n8n 2.41 does once the poll has returned (so the wall time includes the activation's own work). All due: a new workflow, so no document has been read (its ${entries.toLocaleString('en')} history entries start an execution, which stores the trigger's state); none due: the same workflow activated again right after. The HTTP Request workflow reads the history of every document (GET /documents/v2/{id}/history), due or not: it has no notion of due. The trigger reads 16 histories at a time and has no Request Options: no concurrency variant. † ${crossCheckNote}.`,
	];
	return [
		{
			key: 'trigger-all',
			title: `FAST Parapheur Trigger: ${DOCUMENTS.toLocaleString('en')} documents, all due`,
			variants: [
				{ label: 'ours (trigger poll)', ours: true, runs: results.oursAll },
				{ label: 'HTTP Request (every history)', ours: false, runs: results.httpAll },
			],
			crossCheckNote,
			notes,
		},
		{
			key: 'trigger-none',
			title: `FAST Parapheur Trigger: ${DOCUMENTS.toLocaleString('en')} documents, none due`,
			variants: [
				{ label: 'ours (trigger poll)', ours: true, runs: results.oursNone },
				{ label: 'HTTP Request (every history)', ours: false, runs: results.httpNone },
			],
			crossCheckNote,
			notes: [],
		},
	];
}

/* ─── Machine, report ──────────────────────────────────────────────────────────────────────── */

function machine(install: N8nInstall): string[] {
	const cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
	let n8nNode = 'unknown';
	try {
		n8nNode = execFileSync(join(install.nodeBinDir, 'node'), ['--version'], { encoding: 'utf8' }).trim();
	} catch {
		// left unknown
	}
	let commit = 'unknown';
	try {
		commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
		const dirty = execFileSync('git', ['status', '--porcelain', '--', 'nodes', 'credentials', 'package.json'], { cwd: ROOT, encoding: 'utf8' }).trim();
		if (dirty) commit += ' with uncommitted changes in nodes/ or credentials/';
	} catch {
		// not a checkout
	}
	const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
	return [
		`- Machine: ${cpu}, ${cpus().length} cores, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, load average ${loadavg().map((value) => value.toFixed(2)).join(' ')} at the start`,
		`- n8n ${install.version} on Node ${n8nNode} (this script and the emulators: Node ${process.version}); n8n-nodes-parapheur ${pkg.version} (${commit})`,
	];
}

function command(): string {
	const settings = Object.keys(process.env)
		.filter((key) => key.startsWith('BENCH_'))
		.sort()
		.map((key) => `${key}=${key === 'BENCH_TARBALL' ? '<tarball>' : process.env[key]}`);
	return [...settings, 'npm run bench:compare'].join(' ');
}

function isQuickRun(rows: RowKey[]): string | undefined {
	const reduced: string[] = [];
	if (RUNS < DEFAULTS.runs) reduced.push(`${RUNS} run(s)`);
	if (rows.includes('maarch') && MAARCH_USERS < DEFAULTS.maarchUsers) reduced.push(`${MAARCH_USERS} Maarch users`);
	if (rows.some((row) => row.startsWith('namirial')) && OPERATORS < DEFAULTS.operators) reduced.push(`${OPERATORS} operators`);
	if (rows.some((row) => row.startsWith('fast-')) && SIZE_MB < DEFAULTS.sizeMb) reduced.push(`${SIZE_MB} MB transfers`);
	if (rows.includes('trigger') && DOCUMENTS < DEFAULTS.documents) reduced.push(`${DOCUMENTS} documents`);
	if (rows.length < ROW_KEYS.length) reduced.push(`rows ${rows.join(', ')} only`);
	if (LATENCY_MS !== DEFAULTS.latencyMs) reduced.push(`${LATENCY_MS} ms latency`);
	return reduced.length ? reduced.join(', ') : undefined;
}

function report(rows: RowResult[], selected: RowKey[], install: N8nInstall, startedAt: Date, machineLines: string[]): string {
	const quick = isQuickRun(selected);
	const lines = [
		`#### ${quick ? 'Quick run' : 'Full run'}, ${startedAt.toISOString().slice(0, 10)}${quick ? ` (reduced: ${quick}; not the reference figures)` : ''}`,
		'',
		...machineLines,
		`- Command: \`${command()}\``,
		`- ${LATENCY_MS} ms of latency on every emulator request; ${RUNS} run(s) of each of ours' variants, each followed by a run of the HTTP Request workflow; n8n ${install.version}, binary data on disk`,
		'',
		markdownTable(rows),
		'',
		'Times in seconds: median and min are wall times, from the request to its answer; n8n s is the median of the execution\'s stoppedAt - startedAt; Node s the median of the time n8n recorded for the compared node(s). Peak RSS growth: n8n\'s main process, peak minus the value just before the run. Ours / HTTP: ratio of the median wall times (below 1: ours is faster).',
		'',
		...rows.flatMap((row) => row.notes.map((note) => `- ${note}`)),
	];
	const failed = failures(rows);
	if (failed.length) lines.push('', 'Failed runs (not counted):', ...failed.map((line) => `- ${line}`));
	return lines.join('\n');
}

/* ─── Main ─────────────────────────────────────────────────────────────────────────────────── */

async function main(): Promise<void> {
	const rows = selectedRows();
	process.once('SIGINT', interrupted);
	process.once('SIGTERM', interrupted);
	const startedAt = new Date();
	const install = installedN8n(2) ?? getN8n(2);
	const machineLines = machine(install);
	const root = mkdtempSync(join(tmpdir(), 'bench-compare-'));
	state.dirs.push(root);
	let tarball = process.env.BENCH_TARBALL;
	if (!tarball) {
		log('… building and packing the package');
		tarball = packPackage();
		state.dirs.push(dirname(tarball));
	}
	const filesDir = join(root, 'files');
	mkdirSync(filesDir);

	const results: RowResult[] = [];
	const emulators: EmulatorProcess[] = [];
	try {
		log(`… starting the emulators (${LATENCY_MS} ms per request) on 127.0.0.1:${EMULATOR_PORT}-${EMULATOR_PORT + 2}`);
		const latency = ['--latency', String(LATENCY_MS)];
		const maarch = await EmulatorProcess.start('maarch', ['--port', String(EMULATOR_PORT), ...latency]);
		emulators.push(maarch);
		const namirial = await EmulatorProcess.start('namirial', ['--port', String(EMULATOR_PORT + 1), ...latency]);
		emulators.push(namirial);
		const fast = await EmulatorProcess.start('fast', ['--port', String(EMULATOR_PORT + 2), ...latency, '--hash-large-uploads']);
		emulators.push(fast);
		const pkiDir = fast.ready.pkiDir;
		const pki = {
			ca: readFileSync(join(pkiDir, 'ca.pem'), 'utf8'),
			cert: readFileSync(join(pkiDir, 'client.pem'), 'utf8'),
			key: readFileSync(join(pkiDir, 'client.key'), 'utf8'),
			pfx: readFileSync(join(pkiDir, 'client.p12')).toString('base64'),
		};

		log(`… starting n8n ${install.version} on 127.0.0.1:${N8N_PORT}`);
		const n8n = await N8nServer.start(install, tarball, { port: N8N_PORT, brokerPort: N8N_PORT + 1, filesDir });
		state.n8n = n8n;
		try {
			const credentials: BenchCredentials = {
				maarch: await n8n.createCredential('Maarch Courrier (bench)', 'maarchCourrierApi', { url: maarch.url, login: MAARCH_API_LOGIN, password: MAARCH_API_PASSWORD, ignoreSslIssues: false }),
				maarchBasic: await n8n.createCredential('Maarch Courrier Basic (bench)', 'httpBasicAuth', { user: MAARCH_API_LOGIN, password: MAARCH_API_PASSWORD }),
				namirial: await n8n.createCredential('Trust and Sign (bench)', 'namirialTrustAndSignApi', { environment: 'custom', url: namirial.url, email: NAMIRIAL_ADMIN_EMAIL, password: NAMIRIAL_ADMIN_PASSWORD }),
				namirialBasic: await n8n.createCredential('Trust and Sign Basic (bench)', 'httpBasicAuth', { user: NAMIRIAL_ADMIN_EMAIL, password: NAMIRIAL_ADMIN_PASSWORD }),
				fast: await n8n.createCredential('FAST Parapheur (bench)', 'fastParapheurApi', {
					host: fast.url,
					siren: SAMPLE_SIREN,
					accountEmail: DEPOSITOR_EMAIL,
					certificateFormat: 'pkcs12',
					pfx: pki.pfx,
					pfxPassword: PFX_PASSWORD,
					caCertificates: pki.ca,
					ignoreTlsErrors: false,
				}),
				fastSsl: await n8n.createCredential('FAST client certificate (bench)', 'httpSslAuth', { ca: pki.ca, cert: pki.cert, key: pki.key, passphrase: '' }),
			};
			const endpoints: BenchEndpoints = { maarchUrl: maarch.url, namirialUrl: namirial.url, fastApiUrl: fast.ready.apiUrl, siren: SAMPLE_SIREN };
			const ctx: Context = { n8n, credentials, endpoints, maarch, namirial, fast, filesDir };
			const runners: Record<RowKey, () => Promise<RowResult[]>> = {
				maarch: async () => [await maarchRow(ctx)],
				'namirial-item': async () => [await namirialRow(ctx, 'create')],
				'namirial-batch': async () => [await namirialRow(ctx, 'createBatch')],
				'fast-upload': async () => [await fastUploadRow(ctx)],
				'fast-download': async () => [await fastDownloadRow(ctx)],
				trigger: async () => await triggerRows(ctx),
			};
			for (const key of rows) {
				log(`\n${key}`);
				try {
					results.push(...(await runners[key]()));
				} catch (error) {
					if (error instanceof Abort) {
						results.push({ key, title: key, variants: [], notes: [], error: `stopped: ${error.message}` });
						log(`${key}: ${error.message}; stopping the benchmark`);
						break;
					}
					const message = (error as Error).message;
					results.push({ key, title: key, variants: [], notes: [], error: message });
					log(`${key} failed: ${message}`);
					if (!n8n.isRunning) {
						log(`n8n has exited:\n${n8n.tail(40)}`);
						break;
					}
				}
			}
		} finally {
			await n8n.stop();
			state.n8n = undefined;
		}
	} finally {
		await Promise.all(emulators.map(async (emulator) => await emulator.stop()));
		for (const dir of state.dirs) rmSync(dir, { recursive: true, force: true });
	}

	process.stdout.write(`\n----- BENCHMARKS.md: results (paste under "### Results") -----\n\n${report(results, rows, install, startedAt, machineLines)}\n\n----- end -----\n`);
	if (results.some((row) => row.error || row.variants.some((variant) => variant.runs.some((run) => !run.ok)))) process.exitCode = 1;
}

main().catch(async (error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	state.n8n?.kill();
	await killEmulators();
	for (const dir of [...state.dirs, ...(state.n8n ? [state.n8n.userFolder] : [])]) rmSync(dir, { recursive: true, force: true });
	process.exit(1);
});
