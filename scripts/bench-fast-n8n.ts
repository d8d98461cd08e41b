/**
 * `npm run bench:fast:n8n`: memory of 1 GB FAST Parapheur downloads and uploads in REAL n8n (the
 * installed 2.41.1 on Node 24 and 1.123.81 on Node 20, see scripts/get-n8n.sh), binary data on
 * disk (N8N_DEFAULT_BINARY_DATA_MODE=filesystem), the package installed as users install it.
 *
 *   npm run bench:fast:n8n                          both lines, every case, 3 runs each
 *   BENCH_LINES=2 BENCH_REPEAT=5 npm run bench:fast:n8n
 *   BENCH_CASES=download,file npm run bench:fast:n8n
 *   BENCH_SIZE_MB=256                               another size (MB = 1024 * 1024 bytes)
 *   BENCH_TRACE_GC=1                                n8n's --trace-gc lines kept (in BENCH_KEEP_DIR)
 *   BENCH_KEEP_DIR=/tmp/bench                       keeps the probe samples and n8n's output there
 *   BENCH_N8N_NODE_ARGS='--max-semi-space-size=1'   Node options for n8n (e.g. to try V8 settings)
 *   BENCH_AGAIN=1                                    runs the large case a second time in the same n8n
 *                                                    and shows that peak too (same baseline)
 *   BENCH_SOURCE=/tmp/other-checkout                 measures the package from another checkout (e.g.
 *                                                    `git archive <commit>` unpacked, with a node_modules
 *                                                    link): before/after figures of a change
 *
 * Cases, each a workflow started by a Webhook (GET, answered when the last node finishes):
 *   download  FAST Parapheur Download of a synthetic document seeded in the emulator;
 *   file      n8n's own Read/Write Files from Disk reading a local file of the same size: the same
 *             kind of stream handed to prepareBinaryData, without the package (n8n's floor);
 *   http      n8n's own HTTP Request node (SSL certificates credential, response as a file)
 *             downloading the same document from the emulator: what users compare us with;
 *   upload    Read/Write Files from Disk, then FAST Parapheur Upload of that file.
 *
 * Every run starts n8n afresh (port BENCH_PORT, 5890; task broker on the next port), runs the case
 * twice with 1 MB as a warm-up (modules, TLS context, database), waits, takes the n8n process's
 * RSS as the baseline, resets its kernel peak (VmHWM, /proc/<pid>/clear_refs), runs the case with
 * the large file and reads the peak. A probe preloaded into n8n (scripts/bench-fast-n8n-probe.js)
 * samples process.memoryUsage() every 10 ms, which splits the growth into V8 heap and
 * ArrayBuffers (Buffers: file chunks). For upload, the peak while the FAST node itself ran is
 * shown too (from n8n's debug log). Results are checked: the stored file's size and SHA-256
 * (downloads), or what the emulator received (uploads).
 *
 * The FAST emulator runs in its own process on BENCH_EMULATOR_PORT (9901). The package is compiled
 * into a temporary folder and packed from there: dist/ is not touched.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import {
	copyFileSync,
	createReadStream,
	createWriteStream,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

import { syntheticSha256 } from '../test/emulators/fast';
import { Emulator } from './bench-fast-emulator';
import type { N8nInstall, N8nLine } from './lib/n8n';
import { ROOT, installedN8n, n8nCommand, n8nEnv, prepareUserFolder, stopN8n, waitForUrl, activateWorkflow } from './lib/n8n';

const MB = 1024 * 1024;
const SAMPLE_MS = 10;
const CREDENTIAL = { id: 'FastBench0000001', name: 'FAST Parapheur (bench)' };
const SSL_CREDENTIAL = { id: 'SslBench00000001', name: 'FAST client certificate (bench)' };
const CASES = ['download', 'file', 'http', 'upload'] as const;
type Case = (typeof CASES)[number];

interface Settings {
	lines: N8nLine[];
	cases: Case[];
	repeat: number;
	sizeBytes: number;
	port: number;
	emulatorPort: number;
	traceGc: boolean;
	keepDir?: string;
	nodeArgs: string[];
	source: string;
	again: boolean;
}

function settings(): Settings {
	const list = (text: string | undefined, fallback: string) =>
		(text ?? fallback)
			.split(',')
			.map((entry) => entry.trim())
			.filter(Boolean);
	const lines = list(process.env.BENCH_LINES, '2,1').map(Number) as N8nLine[];
	if (lines.some((line) => line !== 1 && line !== 2)) throw new Error('BENCH_LINES lists 1 and/or 2');
	const cases = list(process.env.BENCH_CASES, 'download,file,upload') as Case[];
	for (const name of cases) if (!CASES.includes(name)) throw new Error(`BENCH_CASES: unknown ${name} (${CASES.join(', ')})`);
	const sizeMb = Number(process.env.BENCH_SIZE_MB ?? 1024);
	if (!Number.isFinite(sizeMb) || sizeMb < 2 || sizeMb > 8192) throw new Error('BENCH_SIZE_MB must be between 2 and 8192');
	return {
		lines,
		cases,
		repeat: Math.max(1, Number(process.env.BENCH_REPEAT ?? 3)),
		sizeBytes: Math.round(sizeMb * MB),
		port: Number(process.env.BENCH_PORT ?? 5890),
		emulatorPort: Number(process.env.BENCH_EMULATOR_PORT ?? 9901),
		traceGc: process.env.BENCH_TRACE_GC === '1',
		keepDir: process.env.BENCH_KEEP_DIR,
		nodeArgs: list(process.env.BENCH_N8N_NODE_ARGS?.replace(/\s+/g, ','), ''),
		source: process.env.BENCH_SOURCE ?? ROOT,
		again: process.env.BENCH_AGAIN === '1',
	};
}

function run(command: string, args: string[], cwd: string): string {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * MB });
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}\n${result.stdout}`);
	return result.stdout;
}

function filesUnder(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
	);
}

/**
 * The package compiled and packed from a temporary folder (the files `npm run build` makes, in
 * the same places), so that the dist/ others use is left alone. Returns the tarball.
 */
function packIntoTemp(root: string, source: string): string {
	const stage = join(root, 'package');
	mkdirSync(stage, { recursive: true });
	run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', join(stage, 'dist')], source);
	for (const top of ['nodes', 'credentials']) {
		for (const file of filesUnder(join(source, top))) {
			if (!/\.(svg|png)$|\.node\.json$/.test(file)) continue;
			const target = join(stage, 'dist', relative(source, file));
			mkdirSync(dirname(target), { recursive: true });
			copyFileSync(file, target);
		}
	}
	for (const file of ['package.json', 'README.md', 'LICENSE']) copyFileSync(join(source, file), join(stage, file));
	const name = run('npm', ['pack', '--ignore-scripts', '--pack-destination', root, '--loglevel=error'], stage).trim().split('\n').pop()!;
	return join(root, name.trim());
}

/** A file of `size` pseudo-random bytes (1 MB blocks, each with its index); its SHA-256. */
async function writeLocalFile(path: string, size: number): Promise<string> {
	const block = Buffer.alloc(MB);
	let state = 0x2545f491;
	for (let index = 0; index < block.length; index++) {
		state = (Math.imul(state, 1103515245) + 12345) >>> 0;
		block[index] = 0x20 + ((state >>> 24) % 90);
	}
	// %PDF- first: the upload's circuit signs PDF files.
	block.write('%PDF-1.7\n', 0, 'latin1');
	const hash = createHash('sha256');
	const out = createWriteStream(path);
	for (let index = 0; index * MB < size; index++) {
		const chunk = Buffer.from(block.subarray(0, Math.min(MB, size - index * MB)));
		if (index > 0 && chunk.length >= 4) chunk.writeUInt32BE(index, 0);
		hash.update(chunk);
		if (!out.write(chunk)) await once(out, 'drain');
	}
	out.end();
	await once(out, 'finish');
	return hash.digest('hex');
}

async function sha256OfFile(path: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

/** The workflow of a case: a Webhook at `bench-<case>` (answered by the last node), then the nodes measured. */
function workflow(name: Case): Record<string, unknown> {
	const webhook = {
		id: 'webhook',
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'GET', path: `bench-${name}`, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
	};
	const fast = { fastParapheurApi: CREDENTIAL };
	const readFile = {
		id: 'read',
		name: 'Read file',
		type: 'n8n-nodes-base.readWriteFile',
		typeVersion: 1,
		position: [220, 0],
		parameters: { operation: 'read', fileSelector: '={{ $json.query.path }}', options: {} },
	};
	const nodes: Array<Record<string, unknown>> = [webhook];
	if (name === 'download') {
		nodes.push({
			id: 'fast',
			name: 'FAST Download',
			type: 'n8n-nodes-parapheur.fastParapheur',
			typeVersion: 1,
			position: [220, 0],
			parameters: { resource: 'document', operation: 'download', documentId: '={{ $json.query.documentId }}', binaryPropertyName: 'data' },
			credentials: fast,
		});
	} else if (name === 'http') {
		nodes.push({
			id: 'http',
			name: 'HTTP Request',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [220, 0],
			parameters: {
				url: '={{ $json.query.url }}',
				provideSslCertificates: true,
				options: { response: { response: { responseFormat: 'file' } } },
			},
			credentials: { httpSslAuth: SSL_CREDENTIAL },
		});
	} else {
		nodes.push(readFile);
		if (name === 'upload') {
			nodes.push({
				id: 'fast',
				name: 'FAST Upload',
				type: 'n8n-nodes-parapheur.fastParapheur',
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					resource: 'document',
					operation: 'upload',
					circuitId: { __rl: true, mode: 'id', value: 'Signature Maire' },
					// FAST refuses a second document with the same circuit, label and file name.
					label: '=Bench {{ $execution.id }} {{ $now.toMillis() }}',
					binaryPropertyName: 'data',
				},
				credentials: fast,
			});
		}
	}
	const connections: Record<string, unknown> = {};
	for (let index = 0; index < nodes.length - 1; index++) {
		connections[String(nodes[index].name)] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
	}
	return { id: `BenchFast${name.padEnd(7, '0')}`.slice(0, 16), name: `bench ${name}`, active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}

interface Sample {
	at: number;
	rss: number;
	heapUsed: number;
	external: number;
	arrayBuffers: number;
}

/** The probe's samples of one process. */
function readProbe(path: string, pid: number): Sample[] {
	let text = '';
	try {
		text = readFileSync(path, 'utf8');
	} catch {
		return [];
	}
	return text
		.split('\n')
		.filter(Boolean)
		.map((line) => line.split(' ').map(Number))
		.filter(([samplePid]) => samplePid === pid)
		.map(([, at, rss, heapUsed, , external, arrayBuffers]) => ({ at, rss, heapUsed, external, arrayBuffers }));
}

function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
	try {
		const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

function resetPeak(pid: number): boolean {
	try {
		writeFileSync(`/proc/${pid}/clear_refs`, '5');
		const hwm = procStatus(pid, 'VmHWM');
		const rss = procStatus(pid, 'VmRSS');
		return hwm !== undefined && rss !== undefined && hwm <= rss + 4 * MB;
	} catch {
		return false;
	}
}

interface Result {
	line: string;
	name: Case;
	ok: boolean;
	error?: string;
	baselineMB: number;
	rssGrowthMB: number;
	hwmGrowthMB?: number;
	/** upload: the peak while the FAST node ran (from n8n's debug log). */
	nodeGrowthMB?: number;
	/** BENCH_AGAIN=1: the peak of a second large run in the same n8n, against the same baseline. */
	againGrowthMB?: number;
	heapGrowthMB: number;
	arrayBuffersGrowthMB: number;
	seconds: number;
}

const round = (value: number) => Math.round(value * 10) / 10;

class N8nRun {
	private output = '';

	private exited = false;

	readonly nodeWindows: Array<{ node: string; started?: number; finished?: number }> = [];

	private constructor(readonly child: ChildProcess) {}

	static start(install: N8nInstall, env: NodeJS.ProcessEnv, config: Settings): N8nRun {
		const args = ['--require', join(ROOT, 'scripts', 'bench-fast-n8n-probe.js'), ...(config.traceGc ? ['--trace-gc'] : []), ...config.nodeArgs];
		const child = spawn(join(install.nodeBinDir, 'node'), [...args, join(install.dir, 'node_modules', 'n8n', 'bin', 'n8n'), 'start'], {
			env,
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const n8n = new N8nRun(child);
		child.on('exit', () => (n8n.exited = true));
		const onData = (chunk: Buffer) => {
			const text = chunk.toString();
			if (n8n.output.length < 32 * MB) n8n.output += text;
			const now = Date.now();
			for (const match of text.matchAll(/Running node "([^"]+)" (started|finished)/g)) {
				if (match[2] === 'started') n8n.nodeWindows.push({ node: match[1], started: now });
				else {
					const open = [...n8n.nodeWindows].reverse().find((window) => window.node === match[1] && window.finished === undefined);
					if (open) open.finished = now;
				}
			}
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		return n8n;
	}

	get isExited(): boolean {
		return this.exited;
	}

	tail(lines = 30): string {
		return this.output.split('\n').slice(-lines).join('\n');
	}

	get text(): string {
		return this.output;
	}

	async stop(): Promise<void> {
		await stopN8n(this.child, () => this.exited);
	}
}

async function callWebhook(port: number, name: Case, query: Record<string, string>): Promise<unknown> {
	const url = new URL(`http://127.0.0.1:${port}/webhook/bench-${name}`);
	for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
	const response = await fetch(url, { signal: AbortSignal.timeout(15 * 60_000) });
	const text = await response.text();
	if (!response.ok) throw new Error(`webhook bench-${name} answered ${response.status}: ${text.slice(0, 500)}`);
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

/** Where n8n keeps binary data on disk: `storage` on 2.x, `binaryData` on 1.x. */
const BINARY_DATA_FOLDERS = ['storage', 'binaryData'];

/** The binary data file n8n stored last with `size` bytes (the file written by the measured run). */
function storedFile(userFolder: string, size: number): string | undefined {
	const files = BINARY_DATA_FOLDERS.flatMap((folder) => {
		try {
			return filesUnder(join(userFolder, '.n8n', folder));
		} catch {
			return [];
		}
	});
	return files
		.filter((file) => !file.endsWith('.metadata') && statSync(file).size === size)
		.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

async function main(): Promise<void> {
	const config = settings();
	const root = mkdtempSync(join(tmpdir(), 'bench-fast-n8n-'));
	let emulator: Emulator | undefined;
	let n8n: N8nRun | undefined;
	const cleanUp = async () => {
		await n8n?.stop();
		await emulator?.stop();
		rmSync(root, { recursive: true, force: true });
	};
	const interrupted = () => void cleanUp().finally(() => process.exit(130));
	process.once('SIGINT', interrupted);
	process.once('SIGTERM', interrupted);
	const results: Result[] = [];
	try {
		process.stderr.write(`… packing the package from ${config.source} (into a temporary folder)\n`);
		const tarball = packIntoTemp(root, config.source);
		emulator = await Emulator.start(config.emulatorPort);
		const { url, pkiDir, siren } = emulator.ready;
		const smallId = await emulator.seed(MB);
		const largeId = await emulator.seed(config.sizeBytes);
		const files = join(root, 'files');
		mkdirSync(files);
		const smallFile = join(files, 'small.pdf');
		const largeFile = join(files, 'large.pdf');
		const needsFile = config.cases.includes('file') || config.cases.includes('upload');
		await writeLocalFile(smallFile, MB);
		const largeFileSha = needsFile ? await writeLocalFile(largeFile, config.sizeBytes) : '';
		const largeDownloadSha = config.cases.some((name) => name === 'download' || name === 'http') ? syntheticSha256(config.sizeBytes) : '';
		const { PFX_PASSWORD } = await import('../test/emulators/fast/pki');
		const credentials = [
			{
				...CREDENTIAL,
				type: 'fastParapheurApi',
				data: {
					host: url,
					siren,
					certificateFormat: 'pkcs12',
					pfx: readFileSync(join(pkiDir, 'client.p12')).toString('base64'),
					pfxPassword: PFX_PASSWORD,
					caCertificates: readFileSync(join(pkiDir, 'ca.pem'), 'utf8'),
					ignoreTlsErrors: false,
				},
			},
			{
				...SSL_CREDENTIAL,
				type: 'httpSslAuth',
				data: {
					ca: readFileSync(join(pkiDir, 'ca.pem'), 'utf8'),
					cert: readFileSync(join(pkiDir, 'client.pem'), 'utf8'),
					key: readFileSync(join(pkiDir, 'client.key'), 'utf8'),
					passphrase: '',
				},
			},
		];
		const apiDocument = (id: string) => `${url}/parapheur-ws/rest/v1/documents/v2/${id}/download`;
		const queries: Record<Case, (large: boolean) => Record<string, string>> = {
			download: (large) => ({ documentId: large ? largeId : smallId }),
			http: (large) => ({ url: apiDocument(large ? largeId : smallId) }),
			file: (large) => ({ path: large ? largeFile : smallFile }),
			upload: (large) => ({ path: large ? largeFile : smallFile }),
		};

		for (const line of config.lines) {
			const install = installedN8n(line);
			if (!install) {
				process.stderr.write(`n8n line ${line} is not installed (scripts/get-n8n.sh ${line}): skipped\n`);
				continue;
			}
			const label = `${install.version} (Node ${run(join(install.nodeBinDir, 'node'), ['--version'], ROOT).trim().slice(1)})`;
			process.stderr.write(`… n8n ${label}: installing the package\n`);
			const userFolder = prepareUserFolder(tarball, mkdtempSync(join(root, `n8n-${line}-`)));
			const probeFile = join(root, `probe-${line}.txt`);
			const env = n8nEnv(install, userFolder, {
				N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
				N8N_PORT: String(config.port),
				N8N_RUNNERS_BROKER_PORT: String(config.port + 1),
				N8N_LOG_LEVEL: 'debug',
				N8N_LOG_OUTPUT: 'console',
				N8N_RESTRICT_FILE_ACCESS_TO: files,
				BENCH_PROBE_FILE: probeFile,
			});
			const credentialsFile = join(root, `credentials-${line}.json`);
			writeFileSync(credentialsFile, JSON.stringify(credentials));
			const workflowsDir = join(root, `workflows-${line}`);
			mkdirSync(workflowsDir);
			for (const name of config.cases) writeFileSync(join(workflowsDir, `${name}.json`), JSON.stringify(workflow(name)));
			for (const args of [
				['import:credentials', `--input=${credentialsFile}`],
				['import:workflow', '--separate', `--input=${workflowsDir}`],
			]) {
				const imported = await n8nCommand(install, env, args);
				if (imported.code !== 0) throw new Error(`n8n ${args[0]} failed:\n${imported.stderr}\n${imported.stdout}`);
			}
			for (const name of config.cases) await activateWorkflow(install, env, String(workflow(name).id));

			for (const name of config.cases) {
				for (let attempt = 1; attempt <= config.repeat; attempt++) {
					process.stderr.write(`… n8n ${install.version}: ${name}, run ${attempt}/${config.repeat}\n`);
					rmSync(probeFile, { force: true });
					const result: Result = { line: label, name, ok: false, baselineMB: 0, rssGrowthMB: 0, heapGrowthMB: 0, arrayBuffersGrowthMB: 0, seconds: 0 };
					n8n = N8nRun.start(install, env, config);
					const current = n8n;
					try {
						await waitForUrl(`http://127.0.0.1:${config.port}/healthz`, 240_000, () => current.isExited).catch((error: Error) => {
							throw new Error(`${error.message}\n${current.tail()}`);
						});
						// Webhooks are registered a little after /healthz answers (1.x sometimes answers
						// a 404 page in between): the warm-up calls are retried until two succeed.
						for (let tries = 0, done = 0; done < 2; tries++) {
							try {
								await callWebhook(config.port, name, queries[name](false));
								done += 1;
							} catch (error) {
								if (tries >= 90) throw error;
								await new Promise((resolve) => setTimeout(resolve, 1000));
							}
						}
						await new Promise((resolve) => setTimeout(resolve, 2000));
						const pid = current.child.pid!;
						const baseline = procStatus(pid, 'VmRSS')!;
						const hwmReset = resetPeak(pid);
						const probeBefore = readProbe(probeFile, pid).filter((sample) => sample.at >= Date.now() - 1000);
						const base = (key: keyof Sample) =>
							probeBefore.length > 0 ? probeBefore.reduce((sum, sample) => sum + sample[key], 0) / probeBefore.length : 0;
						const rssSamples: Array<{ at: number; rss: number }> = [];
						const sampler = setInterval(() => {
							const rss = procStatus(pid, 'VmRSS');
							if (rss !== undefined) rssSamples.push({ at: Date.now(), rss });
						}, SAMPLE_MS);
						const started = Date.now();
						const windowsBefore = current.nodeWindows.length;
						let answer: unknown;
						try {
							answer = await callWebhook(config.port, name, queries[name](true));
						} finally {
							clearInterval(sampler);
						}
						const finished = Date.now();
						await new Promise((resolve) => setTimeout(resolve, 100));
						const hwm = hwmReset ? procStatus(pid, 'VmHWM') : undefined;
						const probe = readProbe(probeFile, pid).filter((sample) => sample.at >= started && sample.at <= finished);
						const peak = (key: keyof Sample, from = started, to = finished) =>
							probe.filter((sample) => sample.at >= from && sample.at <= to).reduce((max, sample) => Math.max(max, sample[key]), base(key));
						result.baselineMB = round(baseline / MB);
						result.rssGrowthMB = round((rssSamples.reduce((max, sample) => Math.max(max, sample.rss), baseline) - baseline) / MB);
						if (hwm !== undefined) result.hwmGrowthMB = round((hwm - baseline) / MB);
						result.heapGrowthMB = round((peak('heapUsed') - base('heapUsed')) / MB);
						result.arrayBuffersGrowthMB = round((peak('arrayBuffers') - base('arrayBuffers')) / MB);
						result.seconds = round((finished - started) / 1000);
						if (name === 'upload') {
							const window = current.nodeWindows.slice(windowsBefore).find((entry) => entry.node === 'FAST Upload');
							if (window?.started && window.finished) {
								const nodePeak = rssSamples
									.filter((sample) => sample.at >= window.started! && sample.at <= window.finished!)
									.reduce((max, sample) => Math.max(max, sample.rss), 0);
								// Against the RSS when the node started (after Read file stored the file).
								const atStart = rssSamples.filter((sample) => sample.at <= window.started!).pop()?.rss ?? baseline;
								result.nodeGrowthMB = round((nodePeak - atStart) / MB);
							}
							const documentId = String((answer as { documentId?: unknown })?.documentId ?? '');
							const document = documentId ? await emulator.document(documentId) : null;
							result.ok = document?.size === config.sizeBytes && document.sha256 === largeFileSha;
							if (!result.ok) result.error = `the emulator holds ${JSON.stringify(document)} for ${JSON.stringify(answer).slice(0, 200)}`;
						} else {
							const stored = storedFile(userFolder, config.sizeBytes);
							const expected = name === 'file' ? largeFileSha : largeDownloadSha;
							const sha = stored ? await sha256OfFile(stored) : undefined;
							result.ok = sha === expected;
							if (!result.ok) result.error = stored ? `the stored file's SHA-256 ${sha} is not ${expected}` : `no stored file of ${config.sizeBytes} bytes`;
						}
						if (config.again && result.ok) {
							// The same run again in the same n8n: a growth that does not add up is memory
							// already taken (garbage awaiting collection), not held per file.
							for (const folder of BINARY_DATA_FOLDERS) rmSync(join(userFolder, '.n8n', folder, 'workflows'), { recursive: true, force: true });
							let againPeak = baseline;
							const againSampler = setInterval(() => (againPeak = Math.max(againPeak, procStatus(pid, 'VmRSS') ?? 0)), SAMPLE_MS);
							try {
								await callWebhook(config.port, name, queries[name](true));
							} finally {
								clearInterval(againSampler);
							}
							result.againGrowthMB = round((againPeak - baseline) / MB);
						}
					} catch (error) {
						result.error = (error as Error).message.split('\n').slice(0, 6).join(' | ');
					} finally {
						await current.stop();
						n8n = undefined;
						if (config.keepDir) {
							mkdirSync(config.keepDir, { recursive: true });
							const tag = `${line}-${name}-${attempt}`;
							copyFileSync(probeFile, join(config.keepDir, `probe-${tag}.txt`));
							writeFileSync(join(config.keepDir, `n8n-${tag}.log`), current.text);
						}
						for (const folder of BINARY_DATA_FOLDERS) rmSync(join(userFolder, '.n8n', folder, 'workflows'), { recursive: true, force: true });
					}
					results.push(result);
					process.stderr.write(`  ${JSON.stringify(result)}\n`);
				}
			}
		}
	} finally {
		await cleanUp();
	}
	printTable(results, config);
	if (results.some((result) => !result.ok)) process.exitCode = 1;
}

function printTable(results: Result[], config: Settings): void {
	const header = ['n8n', 'case', 'baseline RSS MB', 'RSS growth MB', 'kernel HWM growth MB', 'FAST node MB', 'again MB', 'heap growth MB', 'ArrayBuffers growth MB', 'seconds', 'check'];
	const rows = results.map((result) => [
		result.line,
		result.name,
		result.baselineMB.toFixed(1),
		result.rssGrowthMB.toFixed(1),
		result.hwmGrowthMB?.toFixed(1) ?? 'n/a',
		result.nodeGrowthMB?.toFixed(1) ?? '',
		result.againGrowthMB?.toFixed(1) ?? '',
		result.heapGrowthMB.toFixed(1),
		result.arrayBuffersGrowthMB.toFixed(1),
		result.seconds.toFixed(1),
		result.ok ? 'ok' : `FAILED: ${result.error ?? ''}`,
	]);
	const last = header.length - 1;
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (column === last ? 5 : row[column].length))));
	const format = (cells: string[]) => cells.map((cell, column) => (column > 1 && column < last ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ');
	process.stdout.write(
		[
			`Real n8n, binary data on disk, ${Math.round(config.sizeBytes / MB)} MB per run (MB = 1024 * 1024 bytes), each run in a fresh n8n after a 1 MB warm-up.`,
			'RSS growth: peak RSS of the n8n process during the run minus its RSS before; kernel HWM: VmHWM, the exact peak;',
			'FAST node: upload only, peak while the FAST node ran minus the RSS when it started; again (BENCH_AGAIN=1): peak of a second large run',
			'in the same n8n minus the same baseline; heap and ArrayBuffers: process.memoryUsage() in n8n (peak minus the second before the run).',
			'',
			format(header),
			widths.map((width) => '-'.repeat(width)).join('  '),
			...rows.map(format),
			'',
		].join('\n'),
	);
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
