/**
 * Runs the Namirial Trust and Sign emulator in its own process:
 *
 *   ts-node --transpile-only test/emulators/namirial/cli.ts [--port N] [--latency MS] [--sample]
 *       [--stdin-control]
 *
 * --sample seeds it with NAMIRIAL_SAMPLE (./sample.ts); without it, only the admin operator
 * (NAMIRIAL_ADMIN_EMAIL / NAMIRIAL_ADMIN_PASSWORD, see ./index.ts) exists. --latency adds that
 * many milliseconds before every request is handled.
 *
 * When it listens it prints one JSON line on stdout: {"url":"http://127.0.0.1:<port>"} (no secret:
 * the admin's e-mail and password are the constants of ./index.ts). It stays up until SIGTERM or
 * SIGINT, then closes and exits 0.
 *
 * --stdin-control: reads one JSON request a line on stdin and answers with one JSON line on stdout:
 *   {"op":"requests"}                   -> {"op":"requests","count":N,"first":<epoch ms>|null,"last":<epoch ms>|null}
 *       the requests received since the start or the last clearLog/reset (first and last: when
 *       the first and the last of them were received).
 *   {"op":"clearLog"}                   -> {"op":"clearLog","cleared":N}
 *   {"op":"operators","prefix":"agent"} -> {"op":"operators","prefix":"agent","count":N}  active
 *       operators whose e-mail starts with the prefix ('' for all, the admin included).
 *   {"op":"batches"}                    -> {"op":"batches","batches":[{"action","rows","bytes","sha256"}]}
 *       the CSV batches received since the start or the last reset, in order of arrival (sha256:
 *       hex SHA-256 of the CSV text as received, UTF-8).
 *   {"op":"reset"}                      -> {"op":"reset","removed":N}  removes every operator created
 *       since the start (the seeded ones stay), forgets the batches and clears the request log.
 *   Anything else -> {"error":"..."}. The end of stdin stops nothing.
 */
import { createHash } from 'node:crypto';

import type { NamirialEmulator } from '.';
import { startNamirialEmulator } from '.';
import { NAMIRIAL_SAMPLE } from './sample';
import type { ControlRequest } from '../shared/cli';
import { numberOption, runEmulatorCli } from '../shared/cli';


/** The Trust and Sign emulator's own control requests (see ../shared/cli for the shared ones). */
function control(emulator: NamirialEmulator, seeded: ReadonlySet<string>, request: ControlRequest): Record<string, unknown> | undefined {
	if (request.op === 'operators') {
		const prefix = typeof request.prefix === 'string' ? request.prefix : '';
		let count = 0;
		for (const operator of emulator.operators.values()) if (operator.state === 'ACTIVE' && operator.email.startsWith(prefix)) count++;
		return { op: 'operators', prefix, count };
	}
	if (request.op === 'batches') {
		return {
			op: 'batches',
			batches: emulator.batches.map((batch) => ({
				action: batch.action,
				rows: batch.rows.length,
				bytes: Buffer.byteLength(batch.text, 'utf8'),
				sha256: createHash('sha256').update(batch.text, 'utf8').digest('hex'),
			})),
		};
	}
	if (request.op === 'reset') {
		let removed = 0;
		for (const email of [...emulator.operators.keys()]) {
			if (!seeded.has(email)) {
				emulator.operators.delete(email);
				removed++;
			}
		}
		emulator.batches.length = 0;
		emulator.server.clearLog();
		return { op: 'reset', removed };
	}
	return undefined;
}

runEmulatorCli(async (options) => {
	const emulator = await startNamirialEmulator(options.sample === 'true' ? structuredClone(NAMIRIAL_SAMPLE) : {}, numberOption(options, 'port'));
	emulator.server.delayAllMs = numberOption(options, 'latency') ?? 0;
	const seeded = new Set(emulator.operators.keys());
	return { server: emulator.server, ready: { url: emulator.url }, control: (request) => control(emulator, seeded, request), close: async () => await emulator.close() };
});
