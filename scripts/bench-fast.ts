/**
 * `npm run bench:fast`: memory and speed of FAST Parapheur uploads and downloads of large files
 * through the node, run by n8n-core's WorkflowExecute with binary data stored on disk.
 *
 *   npm run bench:fast                          10, 100 and 1024 MB, upload and download
 *   BENCH_SIZES=10,100 npm run bench:fast       other sizes, in MB (1024 * 1024 bytes)
 *   BENCH_DIRECTIONS=upload npm run bench:fast  one direction only
 *
 * The FAST emulator runs in its own process (scripts/bench-fast-emulator.ts: large uploads hashed,
 * not stored), so its memory is not counted. Each size and direction runs in a fresh worker
 * process (scripts/bench-fast-worker.ts) that measures its own RSS; this script checks the result
 * (upload: size and SHA-256 the emulator received; download: size and SHA-256 of the stored
 * binary), prints a table, removes its temp files and stops the emulator.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { syntheticSha256 } from '../test/emulators/fast';
import { Emulator } from './bench-fast-emulator';
import type { WorkerConfig, WorkerResult } from './bench-fast-worker';

const ROOT = resolve(__dirname, '..');
const MB = 1024 * 1024;
const TS_NODE = require.resolve('ts-node/dist/bin');
/** A worker gets 2 minutes plus 1 second per 2 MB (about 10 minutes for 1 GB). */
const workerTimeoutMs = (sizeBytes: number) => 120_000 + Math.ceil(sizeBytes / MB / 2) * 1000;

function parseSizes(text: string | undefined): number[] {
	const sizes = (text ?? '10,100,1024')
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean)
		.map(Number);
	if (sizes.length === 0 || sizes.some((size) => !Number.isFinite(size) || size <= 0 || size > 16 * 1024)) {
		throw new Error(`BENCH_SIZES must list sizes in MB between 0 and 16384, got ${JSON.stringify(text)}`);
	}
	return sizes;
}

function parseDirections(text: string | undefined): Array<'upload' | 'download'> {
	const directions = (text ?? 'upload,download').split(',').map((entry) => entry.trim()).filter(Boolean);
	for (const direction of directions) {
		if (direction !== 'upload' && direction !== 'download') throw new Error(`BENCH_DIRECTIONS: unknown ${direction}`);
	}
	return directions as Array<'upload' | 'download'>;
}

/** The worker running now, killed on Ctrl+C. */
let activeWorker: ChildProcess | undefined;

/** Runs one worker; resolves with its result line (or an error result). */
async function runWorker(config: WorkerConfig): Promise<WorkerResult> {
	// --prefer-ts-exts: `./X.node` is X.node.ts, not the X.node.json codex file next to it.
	const args = [TS_NODE, '--transpile-only', '--prefer-ts-exts', 'scripts/bench-fast-worker.ts', JSON.stringify(config)];
	const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
	activeWorker = child;
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => {
		if (stderr.length < 4000) stderr += chunk.toString();
	});
	const timeoutMs = workerTimeoutMs(config.sizeBytes);
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		child.kill('SIGKILL');
	}, timeoutMs);
	const code = await new Promise<number | null>((resolvePromise) => child.once('close', (exitCode) => resolvePromise(exitCode)));
	clearTimeout(timer);
	activeWorker = undefined;
	const line = stdout.split('\n').find((candidate) => candidate.startsWith('{"bench":'));
	if (line) return JSON.parse(line) as WorkerResult;
	const why = timedOut ? `timed out after ${timeoutMs / 1000} s` : `exited with code ${code}`;
	return {
		bench: true,
		direction: config.direction,
		sizeBytes: config.sizeBytes,
		ok: false,
		error: `worker ${why}: ${stderr.trim().split('\n').slice(0, 3).join(' | ')}`,
		baselineRssMB: 0,
		peakRssGrowthMB: 0,
		nodePeakRssGrowthMB: 0,
		peakHeapGrowthMB: 0,
		samples: 0,
		seconds: 0,
		MBps: 0,
	};
}

/** Checks what arrived: the emulator's record of an upload, the synthetic bytes of a download. */
async function verify(emulator: Emulator, result: WorkerResult): Promise<void> {
	if (!result.ok) return;
	if (result.direction === 'upload') {
		const document = await emulator.document(String(result.documentId));
		if (!document) {
			result.ok = false;
			result.error = `the emulator has no document ${result.documentId}`;
		} else if (document.size !== result.sizeBytes || document.sha256 !== result.sha256) {
			result.ok = false;
			result.error = `the emulator received ${document.size} bytes (sha256 ${document.sha256}), sent ${result.sizeBytes} (sha256 ${result.sha256})`;
		}
		return;
	}
	const expected = syntheticSha256(result.sizeBytes);
	if (result.sha256 !== expected) {
		result.ok = false;
		result.error = `the stored file's sha256 ${result.sha256} is not the emulator's ${expected}`;
	}
}

function pad(text: string, width: number, right = false): string {
	return right ? text.padStart(width) : text.padEnd(width);
}

function printTable(results: WorkerResult[]): void {
	const header = ['direction', 'size MB', 'baseline RSS MB', 'peak RSS growth MB', 'node-only growth MB', 'kernel HWM growth MB', 'heap+ext growth MB', 'seconds', 'trigger s', 'node s', 'MB/s', 'check'];
	const last = header.length - 1;
	const rows = results.map((result) => [
		result.direction,
		String(Math.round(result.sizeBytes / MB)),
		result.baselineRssMB.toFixed(1),
		result.peakRssGrowthMB.toFixed(1),
		result.nodePeakRssGrowthMB.toFixed(1),
		result.hwmGrowthMB === undefined ? 'n/a' : result.hwmGrowthMB.toFixed(1),
		result.peakHeapGrowthMB.toFixed(1),
		result.seconds.toFixed(2),
		result.triggerSeconds?.toFixed(2) ?? 'n/a',
		result.nodeSeconds?.toFixed(2) ?? 'n/a',
		result.MBps.toFixed(1),
		result.ok ? 'ok' : `FAILED: ${result.error ?? ''}`,
	]);
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (column === last ? 5 : row[column].length))));
	const line = (cells: string[]) => cells.map((cell, column) => pad(cell, widths[column], column > 0 && column < last)).join('  ');
	process.stdout.write(`${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}\n`);
	for (const row of rows) process.stdout.write(`${line(row)}\n`);
}

async function main(): Promise<void> {
	const sizes = parseSizes(process.env.BENCH_SIZES);
	const directions = parseDirections(process.env.BENCH_DIRECTIONS);
	const root = mkdtempSync(join(tmpdir(), 'bench-fast-'));
	let emulator: Emulator | undefined;
	const interrupted = () => {
		activeWorker?.kill('SIGKILL');
		void emulator?.stop().finally(() => {
			rmSync(root, { recursive: true, force: true });
			process.exit(130);
		});
	};
	process.once('SIGINT', interrupted);
	process.once('SIGTERM', interrupted);

	const results: WorkerResult[] = [];
	try {
		emulator = await Emulator.start();
		const { url, pkiDir, siren } = emulator.ready;
		const warmupDocumentId = await emulator.seed(MB);
		process.stdout.write(
			[
				'FAST Parapheur node, large files (n8n-core WorkflowExecute, filesystem binary data, emulator in another process).',
				'RSS growth: peak RSS of the process running n8n minus its RSS after a 1 MB warm-up run. The whole run is measured,',
				"including the Manual Trigger, which streams the input file into n8n's binary storage before the FAST node runs (upload);",
				'"node-only" is the peak while the FAST node itself ran. Kernel HWM: VmHWM, exact peak (reset before the run).',
				'MB = 1024 * 1024 bytes; MB/s over the whole run.',
				'',
			].join('\n'),
		);
		for (const size of sizes) {
			const sizeBytes = Math.round(size * MB);
			const documentId = directions.includes('download') ? await emulator.seed(sizeBytes) : undefined;
			for (const direction of directions) {
				const workDir = mkdtempSync(join(root, `${direction}-${size}-`));
				process.stderr.write(`… ${direction} ${size} MB\n`);
				try {
					const result = await runWorker({ direction, sizeBytes, url, pkiDir, siren, workDir, documentId, warmupDocumentId });
					await verify(emulator, result);
					results.push(result);
				} finally {
					rmSync(workDir, { recursive: true, force: true });
				}
			}
		}
	} finally {
		await emulator?.stop();
		rmSync(root, { recursive: true, force: true });
	}
	printTable(results);
	if (results.some((result) => !result.ok)) process.exitCode = 1;
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
