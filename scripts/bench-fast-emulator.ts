/**
 * The FAST Parapheur emulator of the benchmarks (`bench:fast`, `bench:fast:n8n`), run in its own
 * process (test/emulators/fast/cli.ts --hash-large-uploads --stdin-control) so that its memory is
 * never counted with the process measured: large uploads are hashed, not stored; `seed` adds a
 * synthetic document of any size, streamed on download.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(__dirname, '..');
const TS_NODE = require.resolve('ts-node/dist/bin');
const EMULATOR_START_MS = 60_000;
const CONTROL_MS = 10_000;

/** The emulator CLI's ready line. */
export interface Ready {
	url: string;
	pkiDir: string;
	siren: string;
}

/** The emulator process, with a request/answer channel on its stdin/stdout (--stdin-control). */
export class Emulator {
	private waiting: Array<(line: string) => void> = [];

	private constructor(readonly child: ChildProcess, readonly ready: Ready) {}

	/** Starts the emulator; `port` 0 (default) lets the system choose. */
	static async start(port = 0): Promise<Emulator> {
		const child = spawn(
			process.execPath,
			[TS_NODE, '--transpile-only', 'test/emulators/fast/cli.ts', '--port', String(port), '--hash-large-uploads', '--stdin-control'],
			{ cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
		);
		const lines = createInterface({ input: child.stdout! });
		let emulator: Emulator | undefined;
		return await new Promise<Emulator>((resolvePromise, reject) => {
			const timer = setTimeout(() => {
				child.kill('SIGKILL');
				reject(new Error(`the FAST emulator did not start within ${EMULATOR_START_MS / 1000} s`));
			}, EMULATOR_START_MS);
			child.once('exit', (code) => {
				clearTimeout(timer);
				reject(new Error(`the FAST emulator exited (code ${code})`));
			});
			lines.on('line', (line) => {
				if (!emulator) {
					clearTimeout(timer);
					try {
						emulator = new Emulator(child, JSON.parse(line) as Ready);
						resolvePromise(emulator);
					} catch {
						child.kill('SIGKILL');
						reject(new Error(`unexpected first line from the FAST emulator: ${line}`));
					}
					return;
				}
				emulator.waiting.shift()?.(line);
			});
		});
	}

	async ask(request: Record<string, unknown>): Promise<Record<string, unknown>> {
		const answer = new Promise<string>((resolvePromise, reject) => {
			const timer = setTimeout(() => reject(new Error(`the FAST emulator did not answer ${JSON.stringify(request)}`)), CONTROL_MS);
			this.waiting.push((line) => {
				clearTimeout(timer);
				resolvePromise(line);
			});
		});
		this.child.stdin!.write(`${JSON.stringify(request)}\n`);
		const parsed = JSON.parse(await answer) as Record<string, unknown>;
		if (parsed.error) throw new Error(`FAST emulator: ${String(parsed.error)}`);
		return parsed;
	}

	/** A synthetic document of `size` bytes, signed; its id. */
	async seed(size: number): Promise<string> {
		return String((await this.ask({ op: 'seed', size })).id);
	}

	/** What the emulator holds of a document (size and, for uploads, SHA-256), or null. */
	async document(id: string): Promise<{ size: number; sha256?: string } | null> {
		return (await this.ask({ op: 'document', id })).document as { size: number; sha256?: string } | null;
	}

	async stop(): Promise<void> {
		if (this.child.exitCode !== null || this.child.signalCode !== null) return;
		const exited = new Promise<void>((resolvePromise) => this.child.once('exit', () => resolvePromise()));
		this.child.kill('SIGTERM');
		const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
		await exited;
		clearTimeout(timer);
	}
}
