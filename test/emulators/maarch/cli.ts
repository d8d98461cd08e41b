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
import { createInterface } from 'node:readline';

import type { MaarchEmulator } from '.';
import { startMaarchEmulator } from '.';
import { MAARCH_SAMPLE } from './sample';

function parseArguments(argv: string[]): Record<string, string> {
	const options: Record<string, string> = {};
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index];
		if (!argument.startsWith('--')) throw new Error(`Unexpected argument: ${argument}`);
		const [name, inline] = argument.slice(2).split('=', 2);
		if (inline !== undefined) options[name] = inline;
		else if (argv[index + 1] !== undefined && !argv[index + 1].startsWith('--')) {
			options[name] = argv[index + 1];
			index += 1;
		} else options[name] = 'true';
	}
	return options;
}

function numberOption(options: Record<string, string>, name: string): number | undefined {
	if (options[name] === undefined) return undefined;
	const value = Number(options[name]);
	if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a non-negative number`);
	return value;
}

/** One --stdin-control request line -> its answer. */
function control(emulator: MaarchEmulator, seeded: ReadonlySet<number>, line: string): Record<string, unknown> {
	let request: { op?: unknown; prefix?: unknown };
	try {
		request = JSON.parse(line) as typeof request;
	} catch {
		return { error: 'not JSON' };
	}
	const log = emulator.server.log;
	if (request.op === 'requests') {
		return { op: 'requests', count: log.length, first: log[0]?.time ?? null, last: log[log.length - 1]?.time ?? null };
	}
	if (request.op === 'clearLog') {
		const cleared = log.length;
		emulator.server.clearLog();
		return { op: 'clearLog', cleared };
	}
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
	return { error: `unknown op ${JSON.stringify(request.op)}` };
}

async function main(): Promise<void> {
	const options = parseArguments(process.argv.slice(2));
	const emulator = await startMaarchEmulator(options.sample === 'true' ? structuredClone(MAARCH_SAMPLE) : {}, numberOption(options, 'port'));
	emulator.server.delayAllMs = numberOption(options, 'latency') ?? 0;
	const seeded = new Set(emulator.users.keys());
	process.stdout.write(`${JSON.stringify({ url: emulator.url })}\n`);
	if (options['stdin-control'] === 'true') {
		const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
		lines.on('line', (line) => {
			if (!line.trim()) return;
			process.stdout.write(`${JSON.stringify(control(emulator, seeded, line))}\n`);
		});
	}

	let closing = false;
	const stop = () => {
		if (closing) return;
		closing = true;
		void emulator.close().then(() => process.exit(0));
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
