/**
 * `npm run test:e2e`: runs every example workflow in real n8n, on each n8n line, against fresh
 * emulators, and checks each run's output. Prints one line per example and n8n version.
 *
 *   npm run test:e2e            both lines (1.123.81 on Node 20, 2.41.1 on Node 24)
 *   N8N_LINES=2 npm run test:e2e
 *   E2E_POLLING=0               skips the polling chapter: the FAST Parapheur Trigger in an active
 *                               workflow (test/e2e/fast-trigger.ts), with a restart of n8n between
 *                               polls, once per poll mode, each in a fresh user folder and database
 *                               (about 3 to 4 minutes per mode: n8n polls once a minute)
 *   E2E_POLL_MODES=classic,scheduler,cursors   the poll modes of that chapter: the classic poller,
 *                               n8n 2.41's durable poll scheduler, and the scheduler with durable
 *                               cursors (default: all three on line 2; line 1 has only classic)
 *   E2E_POLL_TRACE=1            prints the polling chapter's trace (reads, callbacks, restarts)
 *                               even when it passes; n8n runs at log level debug, its log is
 *                               kept in the mode's user folder
 *   E2E_N8N_PORT=5688           the port of the n8n the polling chapter starts (runner broker: +1)
 *   E2E_EXAMPLES=fast-otp,maarch-departure   runs only the examples whose file name contains one of these
 *   E2E_SAVE_RUNS=/tmp/runs     writes each run's output (the IRun JSON) there, for reading
 *   E2E_FAULTS=0                skips the fault chapter (test/e2e/faults.ts, and the concurrency
 *                               cases of test/e2e/concurrency.ts: 503 and 429 with
 *                               Retry-After, a dropped connection, a timeout, a POST answered 503,
 *                               a 401, Continue On Fail and the error output, for every vendor;
 *                               one workflow per vendor, about 30 s per line);
 *                               E2E_FAULTS=fast,maarch runs only these vendors' (fast, maarch,
 *                               namirial, flowerdocs)
 *   E2E_CREDENTIALS=0           skips the credential chapter (test/e2e/credential-tests.ts: every
 *                               credential's Test through n8n's REST API with a good secret, a
 *                               wrong password or certificate, a missing right and a wrong URL;
 *                               about 15 s per line; n8n on E2E_CREDENTIALS_PORT, 5698 and 5699)
 *   E2E_PROXY=0                 skips the proxy chapter (test/e2e/proxy.ts: one read per vendor in
 *                               n8n run with HTTPS_PROXY / HTTP_PROXY / NO_PROXY pointing at a proxy
 *                               on 127.0.0.1: through it, FAST in a CONNECT tunnel with its client
 *                               certificate; NO_PROXY by host:port and by host going direct; 407
 *                               and 502 named; about 30 s per line)
 *   E2E_HOSTILE=0               skips the hostile-input chapter (test/e2e/hostile.ts: values that
 *                               would change a route, such as `..`, `jdupont,..` and `%2e%2e`, for
 *                               Maarch Courrier, FlowerDocs and FAST: refused with the field named,
 *                               nothing received; accented values reach exactly their route; an
 *                               HTML page answered 200 and the base64 text `see attached file`
 *                               are errors; one workflow, about 10 s per line)
 *   E2E_QUEUE=0                 skips the queue chapter (n8n 2.x only; scripts/e2e-queue.ts: a main and
 *                               a worker with Debian's Redis and PostgreSQL, installed with apt-get
 *                               when missing; the queue smoke check, then the register templates of
 *                               examples/ (test/e2e/register.ts); about 3 minutes)
 *   E2E_ONLY=faults,credentials runs only these chapters (examples, faults, credentials, proxy, hostile, polling, queue)
 *
 * The emulators listen on fixed ports (E2E_MAARCH_PORT 8711, E2E_FAST_PORT 8712, E2E_NAMIRIAL_PORT 8713, E2E_FLOWERDOCS_PORT 8714;
 * E2E_SILENT_PORT 8716: the fault chapter's register that never answers), because the
 * credentials imported into n8n name them; they are started afresh, in this process, for every
 * example. The FAST emulator's test PKI is made once per process (getTestPki), so the FAST
 * credential imported at the start keeps matching every restarted emulator. Documents uploaded
 * to the FAST emulator move one state along every E2E_FAST_ADVANCE_MS (1500 ms).
 */
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IRun } from 'n8n-workflow';

import { emulatorCredentials, registerCredential } from '../test/emulators/credentials';
import { getTestPki, startFastEmulator } from '../test/emulators/fast';
import { startMaarchEmulator } from '../test/emulators/maarch';
import { MAARCH_SAMPLE } from '../test/emulators/maarch/sample';
import { startNamirialEmulator } from '../test/emulators/namirial';
import { NAMIRIAL_SAMPLE } from '../test/emulators/namirial/sample';
import { startFlowerDocsEmulator } from '../test/emulators/flowerdocs';
import { FLOWERDOCS_SAMPLE } from '../test/emulators/flowerdocs/sample';
import type { Emulators, NodeExpectation } from '../test/e2e/expectations';
import { EXPECTATIONS, contains, describeExpected } from '../test/e2e/expectations';
import type { FaultSuite } from '../test/e2e/faults';
import { FAST_CONCURRENCY, MAARCH_CONCURRENCY } from '../test/e2e/concurrency';
import { REGISTER_TEMPLATE_IDS } from '../test/e2e/templates';
import { runQueueChapter } from './e2e-queue';
import { FAULT_SUITES, SILENT_REGISTER, armFaults, checkFaultRun, faultWorkflow, startSilentServer } from '../test/e2e/faults';
import { checkCredentialTests } from '../test/e2e/credential-tests';
import { checkProxy } from '../test/e2e/proxy';
import { checkHostile } from '../test/e2e/hostile';
import type { PollMode, TriggerCheckResult } from '../test/e2e/fast-trigger';
import { FastTriggerCheck, POLL_MODE_ENV, POLL_MODES, TRIGGER_WORKFLOW_ID } from '../test/e2e/fast-trigger';
import type { N8nInstall, N8nLine } from './lib/n8n';
import {
	activateWorkflow,
	exampleFiles,
	getN8n,
	importCredentialsAndExamples,
	n8nCommand,
	n8nEnv,
	packPackage,
	parseRun,
	prepareUserFolder,
	startN8n,
	waitForUrl,
} from './lib/n8n';

const MAARCH_PORT = Number(process.env.E2E_MAARCH_PORT ?? 8711);
const FAST_PORT = Number(process.env.E2E_FAST_PORT ?? 8712);
const NAMIRIAL_PORT = Number(process.env.E2E_NAMIRIAL_PORT ?? 8713);
const FLOWERDOCS_PORT = Number(process.env.E2E_FLOWERDOCS_PORT ?? 8714);
/** The fault chapter's register that never answers (its credential's n8n API URL). */
const SILENT_PORT = Number(process.env.E2E_SILENT_PORT ?? 8716);
const FAST_ADVANCE_MS = Number(process.env.E2E_FAST_ADVANCE_MS ?? 1500);

async function startEmulators(): Promise<Emulators> {
	const maarch = await startMaarchEmulator(structuredClone(MAARCH_SAMPLE), MAARCH_PORT);
	try {
		// The seed (FAST_SAMPLE) is copied by the emulator, never mutated.
		const fast = await startFastEmulator({ port: FAST_PORT, autoAdvanceMs: FAST_ADVANCE_MS });
		const namirial = await startNamirialEmulator(structuredClone(NAMIRIAL_SAMPLE), NAMIRIAL_PORT).catch(async (error: Error) => {
			await fast.close();
			throw error;
		});
		// Tokens are revoked after 3 requests, as by a restart of Core: the node must log in again once.
		const flowerdocs = await startFlowerDocsEmulator({ ...structuredClone(FLOWERDOCS_SAMPLE), revokeTokensAfter: 3 }, FLOWERDOCS_PORT).catch(async (error: Error) => {
			await Promise.all([fast.close(), namirial.close()]);
			throw error;
		});
		return { maarch, fast, namirial, flowerdocs };
	} catch (error) {
		await maarch.close();
		throw error;
	}
}

async function stopEmulators(emulators: Emulators): Promise<void> {
	await Promise.all([emulators.maarch.close(), emulators.fast.close(), emulators.namirial.close(), emulators.flowerdocs.close()]);
}

/** The number of runs a node must have had: exactly (a number) or within bounds. */
function runCountProblem(node: NodeExpectation, count: number): string | undefined {
	const wanted = node.runs ?? { min: 1 };
	const { min, max } = typeof wanted === 'number' ? { min: wanted, max: wanted } : wanted;
	if ((min === undefined || count >= min) && (max === undefined || count <= max)) return undefined;
	if (count === 0) return `${node.node}: did not run`;
	const range = min === max ? `${min}` : `${min ?? 0} to ${max ?? 'any'}`;
	return `${node.node}: ran ${count} time(s), expected ${range}`;
}

function check(run: IRun, workflowId: string, emulators: Emulators): string[] {
	const expectation = EXPECTATIONS[workflowId];
	if (!expectation) return [`no expectation written for workflow ${workflowId}`];
	const problems: string[] = [];
	const runData = run.data.resultData.runData;
	if (run.data.resultData.error) problems.push(`workflow failed: ${run.data.resultData.error.message}`);
	for (const node of expectation.nodes) {
		const tasks = runData[node.node] ?? [];
		const countProblem = runCountProblem(node, tasks.length);
		if (countProblem) problems.push(countProblem);
		if (tasks.length === 0) continue;
		const runIndex = (node.run ?? 0) < 0 ? tasks.length + (node.run ?? 0) : (node.run ?? 0);
		const task = tasks[runIndex];
		const where = `${node.node}${node.run ? ` (run ${runIndex})` : ''}${node.output ? ` (output ${node.output})` : ''}`;
		if (!task) {
			if (node.items !== undefined) problems.push(`${where}: no such run`);
			continue;
		}
		if (task.error) problems.push(`${where}: failed: ${task.error.message}`);
		if (node.items === undefined) continue;
		const items = task.data?.main?.[node.output ?? 0] ?? [];
		if (items.length !== node.items) problems.push(`${where}: ${items.length} items, expected ${node.items}`);
		node.json?.forEach((expected, index) => {
			if (!contains(items[index]?.json, expected)) {
				problems.push(`${where} item ${index}: ${JSON.stringify(items[index]?.json)} does not contain ${describeExpected(expected)}`);
			}
		});
		node.binary?.forEach((expected, index) => {
			// `n8n execute --rawOutput` prints binary metadata (and, in memory mode, the data itself).
			const binary = items[index]?.binary ?? {};
			const metadata = Object.fromEntries(Object.entries(binary).map(([field, data]) => [field, { ...data, data: undefined }]));
			if (!contains(binary, expected)) {
				problems.push(`${where} item ${index}: binary ${JSON.stringify(metadata)} does not contain ${describeExpected(expected)}`);
			}
		});
		node.errors?.forEach((pattern, index) => {
			const text = String(items[index]?.json?.error ?? '');
			if (!pattern.test(text)) problems.push(`${where} item ${index}: error ${JSON.stringify(text)} does not match ${pattern}`);
		});
	}
	try {
		problems.push(...(expectation.state?.(emulators) ?? []));
	} catch (error) {
		problems.push(`state check failed: ${(error as Error).message}`);
	}
	return problems;
}

/** Examples to run: all, or those named in E2E_EXAMPLES (parts of file names, comma-separated). */
function selectedExamples(): string[] {
	const wanted = (process.env.E2E_EXAMPLES ?? '')
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean);
	return exampleFiles()
		.filter((file) => wanted.length === 0 || wanted.some((part) => file.split('/').pop()!.includes(part)))
		// The register templates need a running n8n and its API: the queue chapter runs them.
		.filter((file) => !REGISTER_TEMPLATE_IDS.includes((JSON.parse(readFileSync(file, 'utf8')) as { id: string }).id));
}

async function runLine(install: N8nInstall, tarball: string): Promise<number> {
	const userFolder = prepareUserFolder(tarball);
	// n8n execute prints the run at log level info.
	const env = n8nEnv(install, userFolder, { N8N_LOG_LEVEL: 'info' });
	const credentials = emulatorCredentials({
		maarchUrl: `http://127.0.0.1:${MAARCH_PORT}`,
		fast: { url: `https://127.0.0.1:${FAST_PORT}`, pki: getTestPki() },
		namirialUrl: `http://127.0.0.1:${NAMIRIAL_PORT}`,
		flowerdocsUrl: `http://127.0.0.1:${FLOWERDOCS_PORT}/core`,
	});
	await importCredentialsAndExamples(install, env, [...credentials, registerCredential(`http://127.0.0.1:${SILENT_PORT}/api/v1`, SILENT_REGISTER)]);
	const saveRuns = process.env.E2E_SAVE_RUNS;
	if (saveRuns) mkdirSync(saveRuns, { recursive: true });
	let failures = 0;
	for (const file of chapter('examples') ? selectedExamples() : []) {
		const workflow = JSON.parse(readFileSync(file, 'utf8')) as { id: string; name: string };
		const name = file.split('/').pop()!.replace(/\.json$/, '');
		const emulators = await startEmulators();
		const started = Date.now();
		let problems: string[];
		try {
			const result = await n8nCommand(install, env, ['execute', `--id=${workflow.id}`, '--rawOutput']);
			const run = parseRun(result.stdout);
			if (saveRuns) writeFileSync(join(saveRuns, `${install.line}-${name}.json`), run ? JSON.stringify(run, null, 2) : result.stdout + result.stderr);
			problems = run
				? check(run, workflow.id, emulators)
				: [`no run data (exit ${result.code}): ${(result.stderr || result.stdout).slice(-2000)}`];
		} finally {
			await stopEmulators(emulators);
		}
		const seconds = ((Date.now() - started) / 1000).toFixed(1);
		console.log(`${problems.length ? 'FAIL' : 'PASS'}  n8n ${install.version.padEnd(9)} ${name.padEnd(40)} ${seconds} s`);
		for (const problem of problems) console.log(`      ${problem}`);
		if (problems.length) failures++;
	}
	if (chapter('faults') && process.env.E2E_FAULTS !== '0') failures += await runFaultChapter(install, env);
	if (chapter('credentials') && process.env.E2E_CREDENTIALS !== '0') {
		failures += await checkCredentialTests(install, env, Number(process.env.E2E_CREDENTIALS_PORT ?? 5698));
	}
	if (chapter('proxy') && process.env.E2E_PROXY !== '0') {
		failures += await checkProxy(install, env, { maarch: MAARCH_PORT, fast: FAST_PORT, namirial: NAMIRIAL_PORT, flowerdocs: FLOWERDOCS_PORT });
	}
	if (chapter('hostile') && process.env.E2E_HOSTILE !== '0') {
		failures += await checkHostile(install, env, { maarch: MAARCH_PORT, fast: FAST_PORT, namirial: NAMIRIAL_PORT, flowerdocs: FLOWERDOCS_PORT });
	}
	if (chapter('polling') && process.env.E2E_POLLING !== '0') failures += await checkPolling(install, tarball, credentials);
	return failures;
}

/** Whether a chapter runs: every one, or those named in E2E_ONLY. */
function chapter(name: 'examples' | 'faults' | 'credentials' | 'proxy' | 'hostile' | 'polling' | 'queue'): boolean {
	const only = (process.env.E2E_ONLY ?? '').split(',').map((part) => part.trim()).filter(Boolean);
	return only.length === 0 || only.includes(name);
}

/** The fault suites to run: all, or those named in E2E_FAULTS (comma-separated keys). */
function selectedFaultSuites(): FaultSuite[] {
	const wanted = (process.env.E2E_FAULTS ?? '')
		.split(',')
		.map((part) => part.trim())
		.filter((part) => part && part !== '1');
	const suites: FaultSuite[] = [...FAULT_SUITES, MAARCH_CONCURRENCY as unknown as FaultSuite, FAST_CONCURRENCY as unknown as FaultSuite];
	return suites.filter((suite) => wanted.length === 0 || wanted.includes(suite.key));
}

/**
 * The fault chapter (test/e2e/faults.ts): one generated workflow per vendor, imported, then run
 * once against a fresh emulator with every case's faults armed. One line per case.
 */
async function runFaultChapter(install: N8nInstall, env: NodeJS.ProcessEnv): Promise<number> {
	const suites = selectedFaultSuites();
	if (suites.length === 0) return 0;
	const started = Date.now();
	const folder = mkdtempSync(join(tmpdir(), 'n8n-parapheur-faults-'));
	for (const suite of suites) writeFileSync(join(folder, `${suite.key}.json`), JSON.stringify(faultWorkflow(suite), null, 2));
	const imported = await n8nCommand(install, env, ['import:workflow', '--separate', `--input=${folder}`]);
	if (imported.code !== 0) throw new Error(`n8n import:workflow failed:\n${imported.stderr}\n${imported.stdout}`);
	const ports = { maarch: MAARCH_PORT, fast: FAST_PORT, namirial: NAMIRIAL_PORT, flowerdocs: FLOWERDOCS_PORT };
	let failures = 0;
	let cases = 0;
	const silent = await startSilentServer(SILENT_PORT);
	try {
		for (const suite of suites) {
			const emulator = await suite.start(ports);
			let results: Array<{ name: string; ok: boolean; seconds: number; problems: string[] }>;
			try {
				armFaults(suite, emulator);
				const result = await n8nCommand(install, env, ['execute', `--id=${suite.workflowId}`, '--rawOutput']);
				const run = parseRun(result.stdout);
				if (process.env.E2E_SAVE_RUNS) {
					writeFileSync(
						join(process.env.E2E_SAVE_RUNS, `${install.line}-faults-${suite.key}.json`),
						run ? JSON.stringify(run, null, 2) : result.stdout + result.stderr,
					);
				}
				results = run
					? checkFaultRun(suite, run, emulator, result.stdout + result.stderr)
					: [{ name: 'run', ok: false, seconds: 0, problems: [`no run data (exit ${result.code}): ${(result.stderr || result.stdout).slice(-2000)}`] }];
			} finally {
				await emulator.close();
			}
			for (const { name, ok, seconds, problems } of results) {
				console.log(`${ok ? 'PASS' : 'FAIL'}  n8n ${install.version.padEnd(9)} ${`faults ${suite.key}: ${name}`.padEnd(52)} ${seconds.toFixed(1)} s`);
				for (const problem of problems) console.log(`      ${problem}`);
				if (!ok) failures++;
			}
			cases += suite.cases.length;
		}
	} finally {
		await silent.close();
	}
	console.log(`      fault chapter on n8n ${install.version}: ${cases} cases, ${failures} failed, ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return failures;
}

/**
 * The poll modes to check on a line: E2E_POLL_MODES (comma-separated: classic, scheduler,
 * cursors), by default all three on line 2 and classic on line 1 (1.x has only the classic poller).
 */
function selectedPollModes(install: N8nInstall): PollMode[] {
	const wanted = (process.env.E2E_POLL_MODES ?? '')
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean);
	for (const mode of wanted) if (!POLL_MODES.includes(mode as PollMode)) throw new Error(`E2E_POLL_MODES: unknown mode ${JSON.stringify(mode)} (${POLL_MODES.join(', ')})`);
	const modes = wanted.length ? (wanted as PollMode[]) : install.line === 2 ? [...POLL_MODES] : ['classic' as PollMode];
	return install.line === 1 ? modes.filter((mode) => mode === 'classic') : modes;
}

/**
 * The FAST Parapheur Trigger in a running n8n (test/e2e/fast-trigger.ts), once per poll mode,
 * each in a fresh n8n user folder and database: an active workflow whose triggers watch emulator
 * documents and the acknowledgement list emits exactly the changes made on the emulator between
 * its polls, each once, across a restart of n8n.
 */
async function checkPolling(install: N8nInstall, tarball: string, credentials: unknown[]): Promise<number> {
	let failures = 0;
	for (const mode of selectedPollModes(install)) failures += await checkPollingMode(install, tarball, credentials, mode);
	return failures;
}

/** A line of n8n's debug log about polls, shortened for the trace; undefined for other lines. */
function pollLogLine(line: string): string | undefined {
	// eslint-disable-next-line no-control-regex
	const plain = line.replace(/\u001b\[[0-9;]*m/g, '').trim();
	const match = /^\S+\s+(\w+)\s+(.*?)\s*(\{.*\})?$/.exec(plain);
	if (!match) return undefined;
	const [, level, message, json] = match;
	if (!/poll|cursor|scheduler jobs|backing off|\blease\b/i.test(message) || /outbox polling|event handler/i.test(message)) return undefined;
	let node = '';
	try {
		const meta = json ? (JSON.parse(json) as { nodeId?: string; nodeName?: string }) : {};
		node = meta.nodeId ?? meta.nodeName ?? '';
	} catch {
		// metadata not JSON: the message alone
	}
	return `${level === 'debug' ? '' : `${level}: `}${message.replace(/ for workflow "[^"]*"/, '')}${node ? ` [${node}]` : ''}`;
}

async function checkPollingMode(install: N8nInstall, tarball: string, credentials: unknown[], mode: PollMode): Promise<number> {
	const began = Date.now();
	const port = Number(process.env.E2E_N8N_PORT ?? 5688);
	const userFolder = prepareUserFolder(tarball);
	// Debug: n8n's poll and scheduler lines go to the log kept beside the database.
	const env = n8nEnv(install, userFolder, {
		N8N_LOG_LEVEL: 'debug',
		...POLL_MODE_ENV[mode],
		N8N_PORT: String(port),
		N8N_RUNNERS_BROKER_PORT: String(port + 1),
	});
	const logFile = join(userFolder, 'n8n-polling.log');
	const check = new FastTriggerCheck(mode);
	let n8n: ChildProcess | undefined;
	let exited = true;
	let output = '';
	const start = async () => {
		const spawned = Date.now();
		const child = startN8n(install, env);
		n8n = child;
		exited = false;
		check.mark(`n8n spawned (pid ${child.pid})`, spawned);
		let partial = '';
		const onData = (chunk: Buffer) => {
			const text = chunk.toString();
			output += text;
			appendFileSync(logFile, text);
			// n8n's lines about polls, scheduler tasks and cursors go into the trace.
			const lines = (partial + text).split('\n');
			partial = lines.pop() ?? '';
			for (const line of lines) {
				const note = pollLogLine(line);
				if (note) check.mark(`n8n: ${note}`);
			}
		};
		child.stdout?.on('data', onData);
		child.stderr?.on('data', onData);
		child.on('exit', (code, signal) => {
			exited = true;
			check.mark(`n8n exited (${signal ?? code})`);
		});
		try {
			await waitForUrl(`http://127.0.0.1:${port}/healthz`, 180_000, () => exited);
		} catch (error) {
			throw new Error(`${(error as Error).message}\n${output.split('\n').slice(-40).join('\n')}`);
		}
		check.n8nStarted();
		check.mark(`n8n answers (healthz) ${((Date.now() - spawned) / 1000).toFixed(1)} s after spawn`);
	};
	// SIGTERM and wait for the exit (n8n's graceful shutdown lasts up to 30 s); SIGKILL only past 45 s.
	const stop = async () => {
		const child = n8n;
		if (!child || exited) return;
		const exit = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		const timer = setTimeout(() => {
			check.mark('n8n still running 45 s after SIGTERM: SIGKILL');
			child.kill('SIGKILL');
		}, 45_000);
		await exit;
		clearTimeout(timer);
	};
	let results: TriggerCheckResult[] | undefined;
	const timings: string[] = [];
	try {
		await check.start(FAST_PORT);
		const credentialsFile = join(userFolder, 'emulator-credentials.json');
		writeFileSync(credentialsFile, JSON.stringify(credentials, null, 2));
		const workflowFile = join(userFolder, 'trigger-workflow.json');
		writeFileSync(workflowFile, JSON.stringify(check.workflow()));
		for (const args of [['import:credentials', `--input=${credentialsFile}`], ['import:workflow', `--input=${workflowFile}`]]) {
			const imported = await n8nCommand(install, env, args);
			if (imported.code !== 0) throw new Error(`n8n ${args[0]} failed:\n${imported.stderr}\n${imported.stdout}`);
		}
		await activateWorkflow(install, env, TRIGGER_WORKFLOW_ID);
		timings.push(`setup (user folder, imports, activation) ${((Date.now() - began) / 1000).toFixed(1)} s`);
		const started = Date.now();
		await start();
		timings.push(`first start ${((Date.now() - started) / 1000).toFixed(1)} s`);
		// Four polls and a restart: the activation poll, one minute, the restart, two minutes at most.
		results = await check.run({ start, stop }, 330_000);
		timings.push(`rounds ${((Date.now() - started) / 1000).toFixed(1)} s from the first spawn`);
	} catch (error) {
		results = [{ name: `trigger [${mode}]: check`, ok: false, problems: [`the check failed: ${(error as Error).message}`] }];
	} finally {
		check.stop();
		await stop();
		await check.close();
	}
	timings.push(`whole mode ${((Date.now() - began) / 1000).toFixed(1)} s`);
	let failures = 0;
	for (const { name, ok, seconds, problems, notes } of results) {
		const time = seconds === undefined ? '-' : seconds.toFixed(1);
		console.log(`${ok ? 'PASS' : 'FAIL'}  n8n ${install.version.padEnd(9)} ${name.padEnd(52)} ${time} s`);
		for (const note of notes ?? []) console.log(`      ${note}`);
		for (const problem of problems) console.log(`      ${problem}`);
		if (!ok) failures++;
	}
	console.log(`      trigger [${mode}] on n8n ${install.version}: ${timings.join(', ')}; n8n log: ${logFile}`);
	if (failures || process.env.E2E_POLL_TRACE === '1') {
		console.log(`      trace (run 1/2: before/after the restart; seconds since n8n answered):`);
		console.log(check.trace().map((line) => `      . ${line}`).join('\n'));
	}
	return failures;
}

async function main() {
	const lines = (process.env.N8N_LINES ?? '1,2').split(',').map((line) => Number(line.trim()) as N8nLine);
	const tarball = packPackage();
	let failures = 0;
	for (const line of lines) {
		failures += await runLine(getN8n(line), tarball);
	}
	if (lines.includes(2) && chapter('queue') && process.env.E2E_QUEUE !== '0') failures += await runQueueChapter(getN8n(2), tarball);
	if (failures) {
		console.log(`${failures} check(s) failed`);
		process.exit(1);
	}
	console.log('All checks passed');
}

if (require.main === module) {
	main().catch((error: Error) => {
		console.error(error.message);
		process.exit(1);
	});
}
