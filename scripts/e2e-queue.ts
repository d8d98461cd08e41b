/**
 * `npx ts-node --transpile-only scripts/e2e-queue.ts`: the queue-mode smoke check
 * (test/e2e/queue.ts) in real n8n 2.x: main + one worker, Debian's Redis and PostgreSQL started
 * here on 127.0.0.1 (installed with apt-get if missing), binary data in the database. Prints one
 * PASS/FAIL line per check, like scripts/e2e.ts.
 *
 * Ports (all on 127.0.0.1, chosen away from the main suite's 5688/5698/8711-8714):
 *   E2E_QUEUE_MAIN_PORT 5881, E2E_QUEUE_WORKER_PORT 5882 (worker health), task-runner brokers
 *   5883 (main) and 5884 (worker), E2E_QUEUE_REDIS_PORT 6391, E2E_QUEUE_POSTGRES_PORT 5441,
 *   E2E_QUEUE_FAST_PORT 8812 (FAST emulator); the sink takes a free port.
 * E2E_QUEUE_VERBOSE=1 prints what each check saw (execution ids, the worker's log lines, the
 * binary id and its database row, the bytes the sink received).
 */
import type { N8nInstall } from './lib/n8n';
import { getN8n, packPackage } from './lib/n8n';
import { checkQueueSmoke } from '../test/e2e/queue';

async function main() {
	const started = Date.now();
	const tarball = packPackage();
	const install: N8nInstall = getN8n(2);
	const mainPort = Number(process.env.E2E_QUEUE_MAIN_PORT ?? 5881);
	const workerPort = Number(process.env.E2E_QUEUE_WORKER_PORT ?? 5882);
	const results = await checkQueueSmoke(install, tarball, {
		mainPort,
		workerPort,
		mainBrokerPort: workerPort + 1,
		workerBrokerPort: workerPort + 2,
		redisPort: Number(process.env.E2E_QUEUE_REDIS_PORT ?? 6391),
		postgresPort: Number(process.env.E2E_QUEUE_POSTGRES_PORT ?? 5441),
		fastPort: Number(process.env.E2E_QUEUE_FAST_PORT ?? 8812),
	});
	let failures = 0;
	const verbose = process.env.E2E_QUEUE_VERBOSE === '1';
	for (const { name, ok, seconds, problems, notes } of results) {
		console.log(`${ok ? 'PASS' : 'FAIL'}  n8n ${install.version.padEnd(9)} ${name.padEnd(72)} ${seconds.toFixed(1)} s`);
		for (const problem of problems) console.log(`      ${problem}`);
		if (verbose || !ok) for (const note of notes ?? []) console.log(`      - ${note}`);
		if (!ok) failures++;
	}
	console.log(`      queue chapter: ${results.length} checks, ${failures} failed, ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
	if (failures) process.exit(1);
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
