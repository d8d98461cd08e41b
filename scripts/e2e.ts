/**
 * `npm run test:e2e`: runs every example workflow in real n8n, on each n8n line, against fresh
 * emulators, and checks each run's output. Prints one line per example and n8n version.
 *
 *   npm run test:e2e            both lines (1.123.81 on Node 20, 2.41.1 on Node 24)
 *   N8N_LINES=2 npm run test:e2e
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IRun } from 'n8n-workflow';

import { emulatorCredentials } from '../test/emulators/credentials';
import { startMaarchEmulator } from '../test/emulators/maarch';
import type { MaarchEmulator } from '../test/emulators/maarch';
import { MAARCH_SAMPLE } from '../test/emulators/maarch/sample';
import { EXPECTATIONS, contains } from '../test/e2e/expectations';
import { FeedEmulator, PROBE_WORKFLOW_ID, probeWorkflow } from '../test/e2e/polling-probe';
import type { N8nInstall, N8nLine } from './lib/n8n';
import {
	checkActiveWorkflow,
	exampleFiles,
	getN8n,
	importCredentialsAndExamples,
	n8nCommand,
	n8nEnv,
	packPackage,
	prepareUserFolder,
} from './lib/n8n';

const MAARCH_PORT = Number(process.env.E2E_MAARCH_PORT ?? 8711);

interface Emulators {
	maarch: MaarchEmulator;
}

async function startEmulators(): Promise<Emulators> {
	return { maarch: await startMaarchEmulator(structuredClone(MAARCH_SAMPLE), MAARCH_PORT) };
}

async function stopEmulators(emulators: Emulators): Promise<void> {
	await emulators.maarch.close();
}

/** The IRun JSON that `n8n execute --rawOutput` prints after any log lines. */
function parseRun(stdout: string): IRun | undefined {
	const start = stdout.search(/^\{/m);
	if (start < 0) return undefined;
	try {
		return JSON.parse(stdout.slice(start)) as IRun;
	} catch {
		return undefined;
	}
}

function check(run: IRun, workflowId: string, emulators: Emulators): string[] {
	const expectation = EXPECTATIONS[workflowId];
	if (!expectation) return [`no expectation written for workflow ${workflowId}`];
	const problems: string[] = [];
	const runData = run.data.resultData.runData;
	if (run.data.resultData.error) problems.push(`workflow failed: ${run.data.resultData.error.message}`);
	for (const node of expectation.nodes) {
		const task = runData[node.node]?.[0];
		if (!task) {
			problems.push(`${node.node}: did not run`);
			continue;
		}
		if (task.error) problems.push(`${node.node}: failed: ${task.error.message}`);
		const items = task.data?.main?.[node.output ?? 0] ?? [];
		const where = `${node.node}${node.output ? ` (output ${node.output})` : ''}`;
		if (items.length !== node.items) problems.push(`${where}: ${items.length} items, expected ${node.items}`);
		node.json?.forEach((expected, index) => {
			if (!contains(items[index]?.json, expected)) {
				problems.push(`${where} item ${index}: ${JSON.stringify(items[index]?.json)} does not contain ${JSON.stringify(expected)}`);
			}
		});
		node.errors?.forEach((pattern, index) => {
			const text = String(items[index]?.json?.error ?? '');
			if (!pattern.test(text)) problems.push(`${where} item ${index}: error ${JSON.stringify(text)} does not match ${pattern}`);
		});
	}
	problems.push(...(expectation.state?.(emulators) ?? []));
	return problems;
}

async function runLine(install: N8nInstall, tarball: string): Promise<number> {
	const userFolder = prepareUserFolder(tarball);
	// n8n execute prints the run at log level info.
	const env = n8nEnv(install, userFolder, { N8N_LOG_LEVEL: 'info' });
	await importCredentialsAndExamples(install, env, emulatorCredentials(`http://127.0.0.1:${MAARCH_PORT}`));
	let failures = 0;
	for (const file of exampleFiles()) {
		const workflow = JSON.parse(readFileSync(file, 'utf8')) as { id: string; name: string };
		const name = file.split('/').pop()!.replace(/\.json$/, '');
		const emulators = await startEmulators();
		const started = Date.now();
		let problems: string[];
		try {
			const result = await n8nCommand(install, env, ['execute', `--id=${workflow.id}`, '--rawOutput']);
			const run = parseRun(result.stdout);
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
	return failures + (process.env.E2E_POLLING === '0' ? 0 : await checkPolling(install, env));
}

/** An active workflow with a polling trigger picks up a change made on an emulator. */
async function checkPolling(install: N8nInstall, env: NodeJS.ProcessEnv): Promise<number> {
	const feed = new FeedEmulator();
	const feedUrl = await feed.server.start();
	const file = join(mkdtempSync(join(tmpdir(), 'n8n-parapheur-probe-')), 'probe.json');
	writeFileSync(file, JSON.stringify(probeWorkflow(feedUrl)));
	try {
		const imported = await n8nCommand(install, env, ['import:workflow', `--input=${file}`]);
		if (imported.code !== 0) throw new Error(`n8n import:workflow failed:\n${imported.stderr}`);
		const result = await checkActiveWorkflow(install, env, PROBE_WORKFLOW_ID, {
			port: Number(process.env.E2E_N8N_PORT ?? 5688),
			// n8n polls at most once a minute.
			timeoutMs: 150_000,
			// The trigger's first poll records what is already there; the change comes after it.
			change: async () => {
				const deadline = Date.now() + 90_000;
				while (feed.server.requests('GET').length === 0 && Date.now() < deadline) {
					await new Promise((resolve) => setTimeout(resolve, 250));
				}
				feed.addEntry('New entry');
			},
			done: () => feed.received().includes('New entry'),
		});
		const name = 'polling trigger picks up an emulator change';
		console.log(`${result.ok ? 'PASS' : 'FAIL'}  n8n ${install.version.padEnd(9)} ${name.padEnd(40)} ${result.seconds.toFixed(1)} s`);
		if (!result.ok) {
			console.log(`      the workflow called back with: ${JSON.stringify(feed.received())}; feed read ${feed.server.requests('GET').length} times`);
			console.log(result.output.split('\n').slice(-30).map((line) => `      | ${line}`).join('\n'));
		}
		return result.ok ? 0 : 1;
	} finally {
		await feed.server.close();
	}
}

async function main() {
	const lines = (process.env.N8N_LINES ?? '1,2').split(',').map((line) => Number(line.trim()) as N8nLine);
	const tarball = packPackage();
	let failures = 0;
	for (const line of lines) {
		failures += await runLine(getN8n(line), tarball);
	}
	if (failures) {
		console.log(`${failures} example run(s) failed`);
		process.exit(1);
	}
	console.log('All example runs passed');
}

if (require.main === module) {
	main().catch((error: Error) => {
		console.error(error.message);
		process.exit(1);
	});
}
