/**
 * One measurement of `npm run bench:fast` (scripts/bench-fast.ts starts it, one fresh process per
 * size and direction, so that every measurement starts clean):
 *
 *   ts-node --transpile-only --prefer-ts-exts scripts/bench-fast-worker.ts '<WorkerConfig as JSON>'
 *
 * Runs the FAST Parapheur node through n8n-core's WorkflowExecute (test/harness), binary data
 * stored on disk as in n8n 2.x, against the emulator the driver started. After a 1 MB warm-up run
 * (modules loaded, TLS context built), it takes the RSS as the baseline, samples the RSS every
 * 10 ms during the measured run and reads the kernel's peak RSS (VmHWM, reset just before the run
 * through /proc/self/clear_refs when the kernel allows it). Prints one JSON line starting with
 * {"bench":...} (WorkerResult) on stdout, then exits.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join } from 'node:path';

export interface WorkerConfig {
	direction: 'upload' | 'download';
	sizeBytes: number;
	/** Emulator host URL and PKI folder, from the emulator CLI's ready line. */
	url: string;
	pkiDir: string;
	siren: string;
	/** A folder of this worker only (n8n user folder, binary data, input files); the driver removes it. */
	workDir: string;
	/** download: the seeded synthetic document of sizeBytes, and a small one for the warm-up. */
	documentId?: string;
	warmupDocumentId?: string;
}

export interface WorkerResult {
	bench: true;
	direction: 'upload' | 'download';
	sizeBytes: number;
	ok: boolean;
	error?: string;
	/** RSS after the warm-up run, MB (1024 * 1024 bytes). */
	baselineRssMB: number;
	/** Highest sampled RSS during the measured run, minus the baseline. */
	peakRssGrowthMB: number;
	/** The same, restricted to the time the FAST node itself ran (after the Manual Trigger). */
	nodePeakRssGrowthMB: number;
	/** Kernel peak RSS (VmHWM) minus the baseline; undefined when it could not be reset. */
	hwmGrowthMB?: number;
	/** Highest V8 heap used + external + array buffers seen in the samples, minus its baseline. */
	peakHeapGrowthMB: number;
	samples: number;
	seconds: number;
	/** sizeBytes / seconds, MB/s. */
	MBps: number;
	triggerSeconds?: number;
	nodeSeconds?: number;
	/** upload: the new document's id and the input file's SHA-256; download: the stored binary's. */
	documentId?: string;
	sha256?: string;
	storedSize?: number;
}

const MB = 1024 * 1024;
const SAMPLE_MS = 10;
const SEED_CHUNK = MB;

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Writes `size` deterministic non-zero-ish bytes with a write stream; returns their SHA-256. */
async function writePatternFile(path: string, size: number): Promise<string> {
	const block = Buffer.alloc(SEED_CHUNK);
	let state = 0x2545f491;
	for (let index = 0; index < block.length; index++) {
		state = (Math.imul(state, 1103515245) + 12345) >>> 0;
		block[index] = state >>> 24;
	}
	const hash = createHash('sha256');
	const out = createWriteStream(path);
	const failed = new Promise<never>((_, reject) => out.once('error', reject));
	const chunks = Math.ceil(size / SEED_CHUNK);
	for (let index = 0; index < chunks; index++) {
		const length = Math.min(SEED_CHUNK, size - index * SEED_CHUNK);
		// Each MB differs from the previous one (its first 4 bytes hold its index).
		const chunk = Buffer.from(block.subarray(0, length));
		if (length >= 4) chunk.writeUInt32BE(index, 0);
		hash.update(chunk);
		if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
	}
	out.end();
	await Promise.race([once(out, 'finish'), failed]);
	return hash.digest('hex');
}

async function sha256OfStream(stream: NodeJS.ReadableStream): Promise<{ sha256: string; size: number }> {
	const hash = createHash('sha256');
	let size = 0;
	for await (const chunk of stream as AsyncIterable<Buffer>) {
		hash.update(chunk);
		size += chunk.length;
	}
	return { sha256: hash.digest('hex'), size };
}

/** Kernel peak RSS of this process in bytes (Linux), or undefined. */
function highWaterMark(): number | undefined {
	try {
		const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
		return match ? Number(match[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

/** Resets VmHWM to the current RSS (Linux >= 4.0); false when not allowed. */
function resetHighWaterMark(): boolean {
	try {
		writeFileSync('/proc/self/clear_refs', '5');
		const hwm = highWaterMark();
		return hwm !== undefined && hwm <= process.memoryUsage.rss() + 4 * MB;
	} catch {
		return false;
	}
}

function heapBytes(): number {
	const usage = process.memoryUsage();
	return usage.heapUsed + usage.external + usage.arrayBuffers;
}

async function main(): Promise<void> {
	const config = JSON.parse(process.argv[2] ?? '') as WorkerConfig;
	// n8n-core reads its settings from the user folder: set it before it loads.
	process.env.N8N_USER_FOLDER = join(config.workDir, 'n8n');
	await import('../test/harness/setup-env');
	const harness = await import('../test/harness');
	const { BinaryDataService } = await import('n8n-core');
	const { PFX_PASSWORD } = await import('../test/emulators/fast/pki');
	await harness.useFilesystemBinaryData();

	const core = dirname(require.resolve('n8n-core'));
	const { Container } = require(require.resolve('@n8n/di', { paths: [core] })) as {
		Container: { get<T>(type: new (...args: never[]) => T): T; has(type: unknown): boolean };
	};
	const binaryData = Container.get(BinaryDataService);

	const credentials = {
		fastParapheurApi: {
			host: config.url,
			siren: config.siren,
			accountEmail: '',
			certificateFormat: 'pkcs12',
			pfx: readFileSync(join(config.pkiDir, 'client.p12')).toString('base64'),
			pfxPassword: PFX_PASSWORD,
			certificate: '',
			privateKey: '',
			privateKeyPassphrase: '',
			caCertificates: readFileSync(join(config.pkiDir, 'ca.pem'), 'utf8'),
			ignoreTlsErrors: false,
		},
	};
	const tag = `${process.pid}-${Date.now()}`;

	/** Builds the run of one file (upload) or one document id (download). */
	const prepare = async (size: number, documentId?: string) => {
		if (config.direction === 'download') {
			return {
				sha256: undefined as string | undefined,
				run: async () =>
					await harness.runNode({
						node: { type: 'fastParapheur', parameters: { resource: 'document', operation: 'download', documentId } },
						credentials,
					}),
			};
		}
		const fileName = `bench-${size}-${tag}.pdf`;
		const path = join(config.workDir, fileName);
		const sha256 = await writePatternFile(path, size);
		return {
			sha256,
			run: async () =>
				await harness.runNode({
					node: {
						type: 'fastParapheur',
						parameters: {
							resource: 'document',
							operation: 'upload',
							circuitId: { __rl: true, mode: 'id', value: 'Signature Maire' },
							label: `Bench ${tag}`,
						},
					},
					credentials,
					items: [{ $binary: { data: { path, fileName, mimeType: 'application/pdf' } } }],
				}),
		};
	};

	const result: WorkerResult = {
		bench: true,
		direction: config.direction,
		sizeBytes: config.sizeBytes,
		ok: false,
		baselineRssMB: 0,
		peakRssGrowthMB: 0,
		nodePeakRssGrowthMB: 0,
		peakHeapGrowthMB: 0,
		samples: 0,
		seconds: 0,
		MBps: 0,
	};

	// Warm-up: the same path with 1 MB, so that modules, the TLS context and n8n's services are loaded.
	const warmup = await prepare(MB, config.warmupDocumentId);
	const warm = await warmup.run();
	if (warm.error) throw new Error(`warm-up run failed: ${warm.error.message}`);

	const measured = await prepare(config.sizeBytes, config.documentId);
	await new Promise((resolve) => setTimeout(resolve, 200));
	const baselineRss = process.memoryUsage.rss();
	const baselineHeap = heapBytes();
	const hwmReset = resetHighWaterMark();
	const samples: Array<{ at: number; rss: number }> = [];
	let peakHeap = baselineHeap;
	const sample = () => {
		samples.push({ at: Date.now(), rss: process.memoryUsage.rss() });
		peakHeap = Math.max(peakHeap, heapBytes());
	};
	sample();
	const sampler = setInterval(sample, SAMPLE_MS);
	const started = Date.now();
	let run: Awaited<ReturnType<typeof harness.runNode>>;
	try {
		run = await measured.run();
	} finally {
		clearInterval(sampler);
	}
	sample();
	const seconds = (Date.now() - started) / 1000;
	const hwm = hwmReset ? highWaterMark() : undefined;

	const nodeName = Object.keys(run.nodes).find((name) => name !== 'Manual Trigger');
	const taskOf = (name?: string) => (name ? run.run.data.resultData.runData[name]?.[0] : undefined);
	const triggerTask = taskOf('Manual Trigger');
	const nodeTask = taskOf(nodeName);
	const peakIn = (from: number, to: number) =>
		samples.reduce((peak, { at, rss }) => (at >= from && at <= to ? Math.max(peak, rss) : peak), baselineRss);

	result.baselineRssMB = round(baselineRss / MB);
	result.peakRssGrowthMB = round((peakIn(-Infinity, Infinity) - baselineRss) / MB);
	result.nodePeakRssGrowthMB = nodeTask
		? round((peakIn(nodeTask.startTime, nodeTask.startTime + nodeTask.executionTime + SAMPLE_MS) - baselineRss) / MB)
		: result.peakRssGrowthMB;
	if (hwm !== undefined) result.hwmGrowthMB = round((hwm - baselineRss) / MB);
	result.peakHeapGrowthMB = round((peakHeap - baselineHeap) / MB);
	result.samples = samples.length;
	result.seconds = round(seconds, 2);
	result.MBps = round(config.sizeBytes / MB / seconds);
	if (triggerTask) result.triggerSeconds = round(triggerTask.executionTime / 1000, 2);
	if (nodeTask) result.nodeSeconds = round(nodeTask.executionTime / 1000, 2);

	if (run.error) {
		result.error = run.error.message;
	} else if (config.direction === 'upload') {
		result.documentId = String(run.items[0]?.json.documentId ?? '');
		result.sha256 = measured.sha256;
		result.ok = /^\d+$/.test(result.documentId);
		if (!result.ok) result.error = `no document id in the output: ${JSON.stringify(run.items[0]?.json)}`;
	} else {
		const binary = run.items[0]?.binary?.data;
		if (!binary?.id) {
			result.error = `no binary data stored on disk in the output: ${JSON.stringify(binary ?? null).slice(0, 300)}`;
		} else {
			const stored = await sha256OfStream(await binaryData.getAsStream(binary.id));
			result.sha256 = stored.sha256;
			result.storedSize = stored.size;
			result.ok = stored.size === config.sizeBytes;
			if (!result.ok) result.error = `stored ${stored.size} bytes, expected ${config.sizeBytes}`;
		}
	}
	process.stdout.write(`${JSON.stringify(result)}\n`);

	// n8n-core's SSH tunnel manager keeps an interval once a trigger ran.
	const { SSHClientsManager } = require(`${core}/execution-engine/ssh-clients-manager`) as { SSHClientsManager: unknown };
	if (Container.has(SSHClientsManager)) (Container.get(SSHClientsManager as never) as { onShutdown(): void }).onShutdown();
}

main()
	.then(() => process.exit(0))
	.catch((error: Error) => {
		process.stderr.write(`${error.stack ?? error.message}\n`);
		process.exit(1);
	});
