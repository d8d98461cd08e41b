/**
 * The end-to-end suite's queue-mode smoke check: n8n 2.x main + one worker on Redis and PostgreSQL
 * (scripts/lib/queue.ts), the package installed on both, binary data in the database.
 *
 * One active workflow, imported into PostgreSQL before main starts:
 *   Webhook (POST /webhook/queue-smoke) -> FAST Parapheur: Document > Download (the emulator's
 *   sample document 320073900, binary field `data`) -> HTTP Request POSTing that binary to a sink
 *   on 127.0.0.1.
 * Checked: the owner and a public-API key work (GET /api/v1/data-tables answers 200); the webhook
 * run executed on the worker (its "Worker started/finished execution <id>" lines) and succeeded
 * (public API, GET /executions?includeData=true); the Download node's binary id is in database mode
 * (`database:<uuid>`, n8n-core binary-data.service.js) and its row in `binary_data` holds the
 * emulator's bytes; the sink received exactly the emulator's bytes (size and SHA-256); after
 * restartMain() the webhook is served again and runs on the worker.
 *
 * Everything listens on 127.0.0.1; every wait is bounded.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { N8nInstall } from '../../scripts/lib/n8n';
import { activateWorkflow, n8nCommand } from '../../scripts/lib/n8n';
import { apiRequest, setUpOwnerAndApiKey } from '../../scripts/lib/n8n-api';
import type { QueueMode } from '../../scripts/lib/queue';
import { startQueueMode } from '../../scripts/lib/queue';
import { EMULATOR_CREDENTIALS, fastEmulatorCredential } from '../emulators/credentials';
import type { FastEmulator } from '../emulators/fast';
import { getTestPki, startFastEmulator } from '../emulators/fast';
import { SAMPLE_DOCUMENTS } from '../emulators/fast/sample';

export interface QueueSmokePorts {
	mainPort: number;
	workerPort: number;
	redisPort: number;
	postgresPort: number;
	fastPort: number;
	mainBrokerPort?: number;
	workerBrokerPort?: number;
}

export interface QueueCheckResult {
	name: string;
	ok: boolean;
	seconds: number;
	problems: string[];
	/** What was observed (ids, sizes, log lines), printed under the result as evidence. */
	notes?: string[];
}

export const QUEUE_SMOKE_WORKFLOW_ID = 'QueueSmokeFast01';
const WEBHOOK_PATH = 'queue-smoke';
const DOCUMENT_ID = SAMPLE_DOCUMENTS.signed;
const WAIT_MS = 60_000;

interface Received {
	path: string;
	body: Buffer;
}

/** An HTTP server on 127.0.0.1 (free port) that keeps every request body it receives. */
async function startSink(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
	const received: Received[] = [];
	const server: Server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			received.push({ path: request.url ?? '', body: Buffer.concat(chunks) });
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end('{"received":true}');
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		received,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

function smokeWorkflow(sinkUrl: string) {
	const credential = EMULATOR_CREDENTIALS.fastParapheurApi;
	return {
		id: QUEUE_SMOKE_WORKFLOW_ID,
		name: 'Queue smoke: webhook, FAST download, sink',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'webhook',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
			},
			{
				id: 'download',
				name: 'Download',
				type: 'n8n-nodes-parapheur.fastParapheur',
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'document', operation: 'download', documentId: DOCUMENT_ID, binaryPropertyName: 'data', options: {} },
				credentials: { fastParapheurApi: { id: credential.id, name: credential.name } },
			},
			{
				id: 'sink',
				name: 'Send to sink',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [440, 0],
				parameters: {
					method: 'POST',
					url: `${sinkUrl}/upload`,
					sendBody: true,
					contentType: 'binaryData',
					inputDataFieldName: 'data',
					options: {},
				},
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Download', type: 'main', index: 0 }]] },
			Download: { main: [[{ node: 'Send to sink', type: 'main', index: 0 }]] },
		},
	};
}

export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const value = await probe();
		if (value !== undefined) return value;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
}

/** POSTs the production webhook until it is registered (404 before), bounded. */
async function callWebhook(baseUrl: string): Promise<void> {
	let last = '';
	await until('the webhook answered 200', 30_000, async () => {
		try {
			const response = await fetch(`${baseUrl}/webhook/${WEBHOOK_PATH}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ from: 'queue smoke' }),
				signal: AbortSignal.timeout(10_000),
			});
			last = `HTTP ${response.status} ${(await response.text()).slice(0, 200)}`;
			return response.ok ? true : undefined;
		} catch (error) {
			last = (error as Error).message;
			return undefined;
		}
	}).catch((error: Error) => {
		throw new Error(`${error.message} (last: ${last})`);
	});
}

export interface ExecutionRecord {
	id: string | number;
	status?: string;
	finished?: boolean;
	data?: { resultData?: { error?: { message?: string }; runData?: Record<string, Array<{ error?: { message?: string }; data?: { main?: Array<Array<{ binary?: Record<string, { id?: string; fileSize?: string; fileName?: string }> }>> } }>> } };
}

/** The workflow's executions, newest first, with their data (public API). */
async function executions(api: { apiBaseUrl: string; apiKey: string }): Promise<ExecutionRecord[]> {
	const answer = await apiRequest(api.apiBaseUrl, api.apiKey, 'GET', `/executions?workflowId=${QUEUE_SMOKE_WORKFLOW_ID}&includeData=true&limit=10`);
	if (answer.status !== 200) throw new Error(`GET /executions: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
	return (answer.body as { data: ExecutionRecord[] }).data;
}

/** Waits for an execution not in `seen` to end; returns it. */
async function nextFinishedExecution(api: { apiBaseUrl: string; apiKey: string }, seen: Set<string>): Promise<ExecutionRecord> {
	return await until('an execution of the smoke workflow ended', WAIT_MS, async () => {
		const fresh = (await executions(api)).find((execution) => !seen.has(String(execution.id)));
		return fresh && ['success', 'error', 'crashed', 'canceled'].includes(fresh.status ?? '') ? fresh : undefined;
	});
}

function sha256(buffer: Buffer): string {
	return createHash('sha256').update(buffer).digest('hex');
}

/**
 * Problems with where an execution ran: main enqueued it (n8n/dist/scaling/scaling.service.js) and the
 * worker started and finished it (n8n/dist/scaling/job-processor.js), as their info lines say.
 */
export function workerProblems(queue: QueueMode, executionId: string): string[] {
	const lines = queue.logs().split('\n');
	const problems: string[] = [];
	for (const [prefix, text] of [
		['[main] ', `Enqueued execution ${executionId} `],
		['[worker] ', `Worker started execution ${executionId} `],
		['[worker] ', `Worker finished execution ${executionId} `],
	]) {
		if (!lines.some((line) => line.startsWith(prefix) && line.includes(text))) problems.push(`no "${prefix}${text.trim()}" line in the logs`);
	}
	return problems;
}

/** The log lines naming an execution, for the record. */
function workerLines(queue: QueueMode, executionId: string): string[] {
	return queue
		.logs()
		.split('\n')
		.filter((line) => new RegExp(`execution ${executionId}\\b`).test(line))
		.map((line) => line.slice(0, 160));
}

export function executionProblems(execution: ExecutionRecord): string[] {
	const problems: string[] = [];
	if (execution.status !== 'success') problems.push(`execution ${execution.id} ended ${execution.status}`);
	const error = execution.data?.resultData?.error?.message;
	if (error) problems.push(`execution ${execution.id} failed: ${error}`);
	for (const [node, tasks] of Object.entries(execution.data?.resultData?.runData ?? {})) {
		for (const task of tasks) if (task.error) problems.push(`${node} failed: ${task.error.message}`);
	}
	return problems;
}

/**
 * Runs the queue-mode smoke check in n8n `install` (2.x) with the packed package `tarball`.
 * Returns one result per check; a failure to start fails the first and skips the others.
 */
export async function checkQueueSmoke(install: N8nInstall, tarball: string, ports: QueueSmokePorts): Promise<QueueCheckResult[]> {
	const results: QueueCheckResult[] = [];
	const record = (name: string, started: number, problems: string[], notes: string[] = []) =>
		results.push({ name, ok: problems.length === 0, seconds: (Date.now() - started) / 1000, problems, notes });
	let fast: FastEmulator | undefined;
	let sink: Awaited<ReturnType<typeof startSink>> | undefined;
	let queue: QueueMode | undefined;
	const folder = mkdtempSync(join(tmpdir(), 'n8n-parapheur-queue-'));
	try {
		let started = Date.now();
		try {
			fast = await startFastEmulator({ port: ports.fastPort });
			sink = await startSink();
			const sinkUrl = sink.url;
			const credentials = fastEmulatorCredential({ url: fast.url, pki: getTestPki() });
			queue = await startQueueMode(install, tarball, {
				mainPort: ports.mainPort,
				workerPort: ports.workerPort,
				redisPort: ports.redisPort,
				postgresPort: ports.postgresPort,
				mainBrokerPort: ports.mainBrokerPort,
				workerBrokerPort: ports.workerBrokerPort,
				beforeStart: async (env) => {
					const credentialsFile = join(folder, 'credentials.json');
					const workflowFile = join(folder, 'workflow.json');
					writeFileSync(credentialsFile, JSON.stringify(credentials));
					writeFileSync(workflowFile, JSON.stringify(smokeWorkflow(sinkUrl)));
					for (const args of [['import:credentials', `--input=${credentialsFile}`], ['import:workflow', `--input=${workflowFile}`]]) {
						const result = await n8nCommand(install, env, args, 180_000);
						if (result.code !== 0) throw new Error(`n8n ${args[0]} failed:\n${result.stderr}\n${result.stdout}`);
					}
					await activateWorkflow(install, env, QUEUE_SMOKE_WORKFLOW_ID);
				},
			});
			record('queue: Redis, PostgreSQL, main and worker start', started, []);
		} catch (error) {
			record('queue: Redis, PostgreSQL, main and worker start', started, [(error as Error).message]);
			return results;
		}

		started = Date.now();
		let api: { apiBaseUrl: string; apiKey: string };
		try {
			api = await setUpOwnerAndApiKey(queue.baseUrl);
			const tables = await apiRequest(api.apiBaseUrl, api.apiKey, 'GET', '/data-tables');
			record('queue: owner and API key (GET /data-tables)', started, tables.status === 200 ? [] : [`GET /data-tables: HTTP ${tables.status} ${JSON.stringify(tables.body).slice(0, 300)}`]);
		} catch (error) {
			record('queue: owner and API key (GET /data-tables)', started, [(error as Error).message]);
			return results;
		}

		const document = fast.document(DOCUMENT_ID);
		const expected = document?.content;
		const seen = new Set<string>();

		started = Date.now();
		let execution: ExecutionRecord | undefined;
		try {
			await callWebhook(queue.baseUrl);
			await until('the sink received the document', WAIT_MS, () => (sink!.received.length >= 1 ? true : undefined));
			execution = await nextFinishedExecution(api, seen);
			seen.add(String(execution.id));
			record('queue: webhook, FAST download, sink: run on the worker', started, [...executionProblems(execution), ...workerProblems(queue, String(execution.id))], [
				`execution ${execution.id}: ${execution.status}`,
				...workerLines(queue, String(execution.id)),
			]);
		} catch (error) {
			record('queue: webhook, FAST download, sink: run on the worker', started, [(error as Error).message]);
		}

		started = Date.now();
		{
			const problems: string[] = [];
			const notes: string[] = [];
			const binary = execution?.data?.resultData?.runData?.Download?.[0]?.data?.main?.[0]?.[0]?.binary?.data;
			const id = binary?.id ?? '';
			const fileId = /^database:([0-9a-f-]{36})$/i.exec(id)?.[1];
			if (!fileId) problems.push(`the Download node's binary id is ${JSON.stringify(id)}, expected database:<uuid>`);
			else if (!expected) problems.push(`the emulator has no content for document ${DOCUMENT_ID}`);
			else {
				try {
					const row = queue.postgres.query(`SELECT "fileSize" || ' ' || encode(sha256(data), 'hex') FROM binary_data WHERE "fileId" = '${fileId}'`).trim();
					const wanted = `${expected.length} ${sha256(expected)}`;
					if (row !== wanted) problems.push(`binary_data row for ${fileId}: ${JSON.stringify(row)}, expected ${JSON.stringify(wanted)}`);
					notes.push(`binary id ${id}; binary_data row: ${row.slice(0, 80)}`);
				} catch (error) {
					problems.push(`reading binary_data failed: ${(error as Error).message}`);
				}
			}
			record('queue: binary data in the database (database:<uuid>, binary_data row)', started, problems, notes);
		}

		started = Date.now();
		{
			const problems: string[] = [];
			const body = sink.received[0]?.body;
			if (!expected) problems.push(`the emulator has no content for document ${DOCUMENT_ID}`);
			else if (!body) problems.push('the sink received nothing');
			else if (body.length !== expected.length || sha256(body) !== sha256(expected)) {
				problems.push(`the sink received ${body.length} bytes (sha256 ${sha256(body)}), the emulator serves ${expected.length} (sha256 ${sha256(expected)})`);
			}
			record("queue: downloaded bytes match the emulator's (size, sha256)", started, problems, body ? [`sink received ${body.length} bytes, sha256 ${sha256(body)}`] : []);
		}

		started = Date.now();
		try {
			await queue.restartMain();
			await callWebhook(queue.baseUrl);
			await until('the sink received the document again', WAIT_MS, () => (sink!.received.length >= 2 ? true : undefined));
			const again = await nextFinishedExecution(api, seen);
			const body = sink.received[1].body;
			const bytes = expected && sha256(body) === sha256(expected) ? [] : [`the sink received ${body.length} different bytes after the restart`];
			record('queue: after restartMain(), the webhook runs again on the worker', started, [...executionProblems(again), ...workerProblems(queue, String(again.id)), ...bytes], [
				`execution ${again.id}: ${again.status}`,
				...workerLines(queue, String(again.id)),
			]);
		} catch (error) {
			record('queue: after restartMain(), the webhook runs again on the worker', started, [(error as Error).message]);
		}
		return results;
	} finally {
		const failed = results.find((result) => !result.ok);
		if (queue && failed) {
			const tail = queue.logs().split('\n').slice(-60).map((line) => `      | ${line}`).join('\n');
			failed.problems.push(`last log lines of main and worker:\n${tail}`);
		}
		await queue?.stop();
		await sink?.close();
		await fast?.close();
		rmSync(folder, { recursive: true, force: true });
	}
}
