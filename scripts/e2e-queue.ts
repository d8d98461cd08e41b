/**
 * `npx ts-node --transpile-only scripts/e2e-queue.ts`: the queue-mode smoke check
 * (test/e2e/queue.ts) in real n8n 2.x: main + one worker, Debian's Redis and PostgreSQL started
 * here on 127.0.0.1 (installed with apt-get if missing), binary data in the database. Prints one
 * PASS/FAIL line per check, like scripts/e2e.ts.
 *
 * Ports (all on 127.0.0.1, chosen away from the main suite's 5688/5698/8711-8714/8716):
 *   E2E_QUEUE_MAIN_PORT 5881, E2E_QUEUE_WORKER_PORT 5882 (worker health), task-runner brokers
 *   5883 (main) and 5884 (worker), E2E_QUEUE_REDIS_PORT 6391, E2E_QUEUE_POSTGRES_PORT 5441,
 *   E2E_QUEUE_FAST_PORT 8812 (FAST emulator); the sink takes a free port.
 * E2E_QUEUE_VERBOSE=1 prints what each check saw (execution ids, the worker's log lines, the
 * binary id and its database row, the bytes the sink received).
 */
import type { N8nInstall } from './lib/n8n';
import { getN8n, packPackage } from './lib/n8n';
import type { QueueCheckResult } from '../test/e2e/queue';
import { checkQueueSmoke } from '../test/e2e/queue';
import type { SchedulerMode } from '../test/e2e/register';
import { checkRegisterInQueueMode, SCHEDULER_ENV } from '../test/e2e/register';

/**
 * The queue chapter on one n8n 2.x: the smoke check, then the register templates
 * (test/e2e/register.ts, on ports E2E_REGISTER_* 5781-5784, 6381, 5431, 8715), once per poll
 * scheduler of E2E_REGISTER_MODES (default classic,scheduler,cursors).
 * E2E_QUEUE_CHECKS=smoke or =register runs only one of them. Returns the failures.
 */
export async function runQueueChapter(install: N8nInstall, tarball: string): Promise<number> {
	const started = Date.now();
	const wanted = (process.env.E2E_QUEUE_CHECKS ?? 'smoke,register').split(',').map((part) => part.trim());
	const results: QueueCheckResult[] = [];
	if (wanted.includes('smoke')) {
		const mainPort = Number(process.env.E2E_QUEUE_MAIN_PORT ?? 5881);
		const workerPort = Number(process.env.E2E_QUEUE_WORKER_PORT ?? 5882);
		results.push(
			...(await checkQueueSmoke(install, tarball, {
				mainPort,
				workerPort,
				mainBrokerPort: workerPort + 1,
				workerBrokerPort: workerPort + 2,
				redisPort: Number(process.env.E2E_QUEUE_REDIS_PORT ?? 6391),
				postgresPort: Number(process.env.E2E_QUEUE_POSTGRES_PORT ?? 5441),
				fastPort: Number(process.env.E2E_QUEUE_FAST_PORT ?? 8812),
			})),
		);
	}
	const modes = (process.env.E2E_REGISTER_MODES ?? 'classic,scheduler,cursors').split(',').map((part) => part.trim()) as SchedulerMode[];
	for (const mode of wanted.includes('register') ? modes : []) {
		if (!(mode in SCHEDULER_ENV)) throw new Error(`E2E_REGISTER_MODES: unknown mode ${JSON.stringify(mode)} (classic, scheduler, cursors)`);
		results.push(
			...(await checkRegisterInQueueMode(
				install,
				tarball,
				{
					mainPort: Number(process.env.E2E_REGISTER_MAIN_PORT ?? 5781),
					workerPort: Number(process.env.E2E_REGISTER_WORKER_PORT ?? 5782),
					redisPort: Number(process.env.E2E_REGISTER_REDIS_PORT ?? 6381),
					postgresPort: Number(process.env.E2E_REGISTER_POSTGRES_PORT ?? 5431),
					fastPort: Number(process.env.E2E_REGISTER_FAST_PORT ?? 8715),
				},
				mode,
			)),
		);
	}
	let failures = 0;
	const verbose = process.env.E2E_QUEUE_VERBOSE === '1';
	for (const { name, ok, seconds, problems, notes } of results) {
		console.log(`${ok ? 'PASS' : 'FAIL'}  n8n ${install.version.padEnd(9)} ${name.padEnd(72)} ${seconds.toFixed(1)} s`);
		for (const problem of problems) console.log(`      ${problem}`);
		if (verbose || !ok) for (const note of notes ?? []) console.log(`      - ${note}`);
		if (!ok) failures++;
	}
	console.log(`      queue chapter on n8n ${install.version}: ${results.length} checks, ${failures} failed, ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
	return failures;
}

async function main() {
	const failures = await runQueueChapter(getN8n(2), packPackage());
	if (failures) process.exit(1);
}

if (require.main === module) {
	main().catch((error: Error) => {
		console.error(error.message);
		process.exit(1);
	});
}
