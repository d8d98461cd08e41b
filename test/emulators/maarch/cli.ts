/**
 * Runs the Maarch Courrier emulator in its own process:
 *
 *   ts-node --transpile-only test/emulators/maarch/cli.ts [--port N] [--latency MS] [--sample]
 *       [--stdin-control]
 *
 * --sample seeds it with MAARCH_SAMPLE (./sample.ts); without it, only the API account
 * (MAARCH_API_LOGIN / MAARCH_API_PASSWORD, see ./index.ts) exists. --latency adds that many
 * milliseconds before every request is handled.
 *
 * When it listens it prints one JSON line on stdout: {"url":"http://127.0.0.1:<port>"} (no secret:
 * the account's login and password are the constants of ./index.ts). It stays up until SIGTERM or
 * SIGINT, then closes and exits 0.
 *
 * --stdin-control: reads one JSON request a line on stdin and answers with one JSON line on stdout:
 *   {"op":"requests"}               -> {"op":"requests","count":N,"first":<epoch ms>|null,"last":<epoch ms>|null}
 *       the requests received since the start or the last clearLog/reset (first and last: when
 *       the first and the last of them were received).
 *   {"op":"clearLog"}               -> {"op":"clearLog","cleared":N}
 *   {"op":"users","prefix":"bench"} -> {"op":"users","prefix":"bench","count":N}  active users whose
 *       login starts with the prefix ('' for every user, the API account included).
 *   {"op":"reset"}                  -> {"op":"reset","removed":N}  removes every user created since
 *       the start (the seeded ones stay) and clears the request log.
 *   Anything else -> {"error":"..."}. The end of stdin stops nothing.
 */
import type { MaarchEmulator } from '.';
import { startMaarchEmulator } from '.';
import { MAARCH_SAMPLE } from './sample';
import type { ControlRequest } from '../shared/cli';
import { numberOption, runEmulatorCli } from '../shared/cli';


/** The Maarch Courrier emulator's own control requests (see ../shared/cli for the shared ones). */
function control(emulator: MaarchEmulator, seeded: ReadonlySet<number>, request: ControlRequest): Record<string, unknown> | undefined {
	if (request.op === 'users') {
		const prefix = typeof request.prefix === 'string' ? request.prefix : '';
		let count = 0;
		for (const user of emulator.users.values()) if (user.status !== 'DEL' && user.user_id.startsWith(prefix)) count++;
		return { op: 'users', prefix, count };
	}
	if (request.op === 'reset') {
		let removed = 0;
		for (const id of [...emulator.users.keys()]) {
			if (!seeded.has(id)) {
				emulator.users.delete(id);
				removed++;
			}
		}
		emulator.server.clearLog();
		return { op: 'reset', removed };
	}
	return undefined;
}

runEmulatorCli(async (options) => {
	const emulator = await startMaarchEmulator(options.sample === 'true' ? structuredClone(MAARCH_SAMPLE) : {}, numberOption(options, 'port'));
	emulator.server.delayAllMs = numberOption(options, 'latency') ?? 0;
	const seeded = new Set(emulator.users.keys());
	return { server: emulator.server, ready: { url: emulator.url }, control: (request) => control(emulator, seeded, request), close: async () => await emulator.close() };
});
