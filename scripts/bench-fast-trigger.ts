/**
 * `npm run bench:trigger`: the FAST Parapheur Trigger watching many documents on the FAST
 * emulator (HTTPS with the client-certificate check, 50 ms of latency on every request), each
 * poll run through n8n-core's PollContext with the static data saved and reloaded as n8n does.
 *
 *   npm run bench:trigger                        1,000 documents, 50 ms per request
 *   BENCH_DOCUMENTS=200 BENCH_LATENCY_MS=100 npm run bench:trigger
 *
 * The emulator runs in a child process (this script with `--emulator`, driven over IPC), so its
 * CPU time is not counted against the trigger, as with a real server. Prints, for a poll where
 * every document is due (first read, and again 30 minutes later) and one where none is: wall
 * time, requests the emulator received, static data size; then the time to read the same
 * histories one after another with the same client, and the speed ratio. Targets (issue 5):
 * nothing due sends 0 requests; < 200 bytes of static data per document; the all-due poll at
 * least 8 times faster than one-after-another reads. Exits 1 when a target is missed.
 */
import '../test/harness/setup-env';

import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';

import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { fetchHistoryIfExists } from '../nodes/FastParapheur/v1/actions/document/history';
import { HISTORY_READ_CONCURRENCY } from '../nodes/FastParapheur/v1/trigger/documents';
import { FastClient } from '../nodes/FastParapheur/transport';
import type { FastCredentials } from '../nodes/FastParapheur/transport/tls';
import { startFastEmulator } from '../test/emulators/fast';
import { fastCredentialData } from '../test/fast/fixture';
import { runPoll } from '../test/harness';

const DOCUMENTS = positive(process.env.BENCH_DOCUMENTS, 1000);
const LATENCY_MS = positive(process.env.BENCH_LATENCY_MS, 50);
const INTERVAL_MINUTES = 30;
const EMULATOR_START_MS = 60_000;
const CONTROL_MS = 30_000;

function positive(text: string | undefined, fallback: number): number {
	const value = Number(text);
	return Number.isInteger(value) && value > 0 ? value : fallback;
}

/* ─── The emulator process ─────────────────────────────────────────────────────────────────── */

type Control = { op: 'advance'; stateName: string } | { op: 'clearLog' } | { op: 'requests' };

async function emulatorProcess(): Promise<void> {
	const emulator = await startFastEmulator();
	const ids: string[] = [];
	for (let i = 0; i < DOCUMENTS; i++) ids.push(emulator.seedDocument({ states: ['Préparé', 'Envoyé pour signature'] }));
	emulator.server.delayAllMs = LATENCY_MS;
	const stop = () => void emulator.close().then(() => process.exit(0));
	process.on('disconnect', stop);
	process.on('SIGTERM', stop);
	process.on('message', (message: Control) => {
		if (message.op === 'advance') for (const id of ids) emulator.advance(id, message.stateName);
		if (message.op === 'clearLog') emulator.server.clearLog();
		process.send!({ op: message.op, requests: emulator.server.log.length });
	});
	process.send!({ op: 'ready', ids, credentials: fastCredentialData(emulator) });
}

/** The child's next message, or an error after `ms`. */
async function nextMessage<T>(child: ChildProcess, ms: number): Promise<T> {
	return await new Promise<T>((resolve, reject) => {
		const timer = setTimeout(() => {
			child.off('message', onMessage);
			reject(new Error(`The emulator did not answer within ${ms} ms`));
		}, ms);
		const onMessage = (message: T) => {
			clearTimeout(timer);
			resolve(message);
		};
		child.once('message', onMessage);
	});
}

async function control(child: ChildProcess, request: Control): Promise<number> {
	const answer = nextMessage<{ requests: number }>(child, CONTROL_MS);
	child.send(request);
	return (await answer).requests;
}

/* ─── The benchmark ────────────────────────────────────────────────────────────────────────── */

interface Row {
	poll: string;
	wallMs: number;
	requests: number;
	items: number;
	staticBytes: number;
}

async function main(): Promise<void> {
	const child = fork(__filename, ['--emulator'], {
		execArgv: ['--require', 'ts-node/register/transpile-only'],
		env: { ...process.env, TS_NODE_PREFER_TS_EXTS: 'true' },
		stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
	});
	// The trigger reads Date.now(); the benchmark moves it forward instead of waiting 30 minutes.
	const realNow = Date.now.bind(Date);
	let offsetMs = 0;
	Date.now = () => realNow() + offsetMs;
	try {
		const { ids, credentials } = await nextMessage<{ ids: string[]; credentials: ICredentialDataDecryptedObject }>(child, EMULATOR_START_MS);
		const parameters = {
			event: 'documentStateChanged',
			documentIds: ids.join('\n'),
			options: { maxDocumentsPerPoll: DOCUMENTS, minIntervalMinutes: INTERVAL_MINUTES },
		};

		let staticData: IDataObject = {};
		const rows: Row[] = [];
		const poll = async (name: string): Promise<Row> => {
			await control(child, { op: 'clearLog' });
			const started = performance.now();
			const result = await runPoll({ type: 'fastParapheurTrigger', parameters, credentials: { fastParapheurApi: credentials }, staticData });
			const wallMs = performance.now() - started;
			staticData = result.staticData;
			const row = {
				poll: name,
				wallMs,
				requests: await control(child, { op: 'requests' }),
				items: result.items?.length ?? 0,
				staticBytes: Buffer.byteLength(JSON.stringify(staticData)),
			};
			rows.push(row);
			return row;
		};

		await poll('all due (first read)');
		const none = await poll('none due (right after)');
		offsetMs += INTERVAL_MINUTES * 60_000;
		await control(child, { op: 'advance', stateName: 'Signé' });
		const due = await poll(`all due (${INTERVAL_MINUTES} min later)`);

		// The same reads, one after another, with the same client.
		await control(child, { op: 'clearLog' });
		const node = { id: 'bench', name: 'bench', type: 'fastParapheurTrigger', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
		const client = new FastClient(node, credentials as unknown as FastCredentials);
		const sequentialStarted = performance.now();
		try {
			for (const id of ids) await fetchHistoryIfExists(client, id);
		} finally {
			client.close();
		}
		const sequentialMs = performance.now() - sequentialStarted;
		const sequentialRequests = await control(child, { op: 'requests' });

		const print = (cells: Array<string | number>) => console.log(cells.map((cell, i) => String(cell).padEnd(i === 0 ? 28 : 14)).join(''));
		console.log(`FAST Parapheur Trigger: ${DOCUMENTS} watched documents, ${LATENCY_MS} ms per request, ${HISTORY_READ_CONCURRENCY} reads at a time\n`);
		print(['poll', 'wall time', 'requests', 'items', 'static data', 'per document']);
		for (const row of rows) {
			print([row.poll, `${Math.round(row.wallMs)} ms`, row.requests, row.items, `${row.staticBytes} B`, `${(row.staticBytes / DOCUMENTS).toFixed(1)} B`]);
		}
		print(['one after another', `${Math.round(sequentialMs)} ms`, sequentialRequests, '', '', '']);
		const ratio = sequentialMs / Math.max(...rows.filter((row) => row !== none).map((row) => row.wallMs));
		console.log(`\nslowest all-due poll vs one after another: ${ratio.toFixed(1)}x faster (${due.poll}: ${(sequentialMs / due.wallMs).toFixed(1)}x)`);

		const checks: Array<[string, boolean]> = [
			['a poll with nothing due sends 0 requests', none.requests === 0],
			['static data under 200 bytes per watched document', Math.max(...rows.map((row) => row.staticBytes)) / DOCUMENTS < 200],
			['an all-due poll is at least 8 times faster than one after another', ratio >= 8],
		];
		for (const [label, ok] of checks) console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}`);
		if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
	} finally {
		Date.now = realNow;
		child.kill('SIGTERM');
	}
}

const run = process.argv.includes('--emulator') ? emulatorProcess : main;
run().then(
	// In the benchmark process n8n-core keeps a cleanup interval alive (test/harness/teardown.ts): leave once done.
	() => {
		if (run === main) process.exit(process.exitCode ?? 0);
	},
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
