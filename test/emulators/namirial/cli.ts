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
import { createInterface } from 'node:readline';

import type { NamirialEmulator } from '.';
import { startNamirialEmulator } from '.';
import { NAMIRIAL_SAMPLE } from './sample';

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
function control(emulator: NamirialEmulator, seeded: ReadonlySet<string>, line: string): Record<string, unknown> {
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
	return { error: `unknown op ${JSON.stringify(request.op)}` };
}

async function main(): Promise<void> {
	const options = parseArguments(process.argv.slice(2));
	const emulator = await startNamirialEmulator(options.sample === 'true' ? structuredClone(NAMIRIAL_SAMPLE) : {}, numberOption(options, 'port'));
	emulator.server.delayAllMs = numberOption(options, 'latency') ?? 0;
	const seeded = new Set(emulator.operators.keys());
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
