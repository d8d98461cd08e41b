/**
 * What every emulator's command line (test/emulators/<vendor>/cli.ts) shares: its `--name value`
 * arguments, the one JSON line it prints when it listens, the `--stdin-control` channel (one JSON
 * request a line on stdin, one JSON answer a line on stdout; `requests` and `clearLog` for every
 * emulator, the rest the vendor's), and stopping on SIGTERM or SIGINT.
 */
import { createInterface } from 'node:readline';

import type { EmulatorServer } from './server';

export type CliOptions = Record<string, string>;

export function parseArguments(argv: string[]): CliOptions {
	const options: CliOptions = {};
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

export function numberOption(options: CliOptions, name: string): number | undefined {
	if (options[name] === undefined) return undefined;
	const value = Number(options[name]);
	if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a non-negative number`);
	return value;
}

export type ControlRequest = Record<string, unknown> & { op?: unknown };

export interface RunningEmulator {
	server: EmulatorServer;
	/** What the ready line says (the URL, and whatever the vendor adds). */
	ready: Record<string, unknown>;
	/** The vendor's own control requests; undefined for an unknown op. */
	control?: (request: ControlRequest) => Record<string, unknown> | undefined;
	close(): Promise<void>;
}

/** The answer to one control line: the shared ops, then the vendor's. */
function answer(emulator: RunningEmulator, line: string): Record<string, unknown> {
	let request: ControlRequest;
	try {
		request = JSON.parse(line) as ControlRequest;
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
	return emulator.control?.(request) ?? { error: `unknown op ${JSON.stringify(request.op)}` };
}

/** Starts the emulator from the command line's options and serves it until a signal stops it. */
export function runEmulatorCli(start: (options: CliOptions) => Promise<RunningEmulator>): void {
	const main = async () => {
		const options = parseArguments(process.argv.slice(2));
		const emulator = await start(options);
		process.stdout.write(`${JSON.stringify(emulator.ready)}\n`);
		if (options['stdin-control'] === 'true') {
			const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
			lines.on('line', (line) => {
				if (!line.trim()) return;
				process.stdout.write(`${JSON.stringify(answer(emulator, line))}\n`);
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
	};
	main().catch((error: Error) => {
		process.stderr.write(`${error.stack ?? error.message}\n`);
		process.exit(1);
	});
}
