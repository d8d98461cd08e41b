/**
 * The emulators of `npm run bench:compare`, each in its own process (test/emulators/<vendor>/cli.ts
 * with --stdin-control), so that their CPU time and memory are not the benchmark's or n8n's, as with
 * a real server. One JSON request a line on the child's stdin, one JSON answer a line on its stdout.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { ROOT } from './lib/n8n';

const TS_NODE = require.resolve('ts-node/dist/bin');
const START_MS = 60_000;
/** Seeding 1,000 documents or hashing a report takes well under this. */
const CONTROL_MS = 60_000;

export type Vendor = 'maarch' | 'namirial' | 'fast';

export interface RequestLog {
	count: number;
	/** When the first and the last request were received (epoch ms); null without requests. */
	first: number | null;
	last: number | null;
}

/** Every emulator process started and not yet stopped, for the cleanup on Ctrl+C. */
const running = new Set<EmulatorProcess>();

export class EmulatorProcess {
	private waiting: Array<{ resolve: (line: string) => void }> = [];

	private constructor(
		readonly vendor: Vendor,
		readonly child: ChildProcess,
		readonly ready: Record<string, string>,
	) {}

	/** Starts test/emulators/<vendor>/cli.ts with these arguments (--stdin-control is added). */
	static async start(vendor: Vendor, args: string[]): Promise<EmulatorProcess> {
		const child = spawn(
			process.execPath,
			[TS_NODE, '--transpile-only', join('test', 'emulators', vendor, 'cli.ts'), ...args, '--stdin-control'],
			{ cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
		);
		const lines = createInterface({ input: child.stdout! });
		let emulator: EmulatorProcess | undefined;
		return await new Promise<EmulatorProcess>((resolve, reject) => {
			const timer = setTimeout(() => {
				child.kill('SIGKILL');
				reject(new Error(`the ${vendor} emulator did not start within ${START_MS / 1000} s`));
			}, START_MS);
			child.once('exit', (code, signal) => {
				clearTimeout(timer);
				if (emulator) running.delete(emulator);
				for (const waiter of emulator?.waiting.splice(0) ?? []) waiter.resolve(JSON.stringify({ error: `the ${vendor} emulator exited` }));
				reject(new Error(`the ${vendor} emulator exited (${code ?? signal})`));
			});
			lines.on('line', (line) => {
				if (!emulator) {
					clearTimeout(timer);
					try {
						emulator = new EmulatorProcess(vendor, child, JSON.parse(line) as Record<string, string>);
						running.add(emulator);
						resolve(emulator);
					} catch {
						child.kill('SIGKILL');
						reject(new Error(`unexpected first line from the ${vendor} emulator: ${line.slice(0, 200)}`));
					}
					return;
				}
				emulator.waiting.shift()?.resolve(line);
			});
		});
	}

	get url(): string {
		return this.ready.url;
	}

	async ask<T extends Record<string, unknown>>(request: Record<string, unknown>): Promise<T> {
		if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`the ${this.vendor} emulator is not running`);
		let timer: NodeJS.Timeout | undefined;
		const answer = new Promise<string>((resolve, reject) => {
			timer = setTimeout(() => reject(new Error(`the ${this.vendor} emulator did not answer ${JSON.stringify(request).slice(0, 200)}`)), CONTROL_MS);
			this.waiting.push({ resolve });
		});
		this.child.stdin!.write(`${JSON.stringify(request)}\n`);
		try {
			const parsed = JSON.parse(await answer) as T & { error?: string };
			if (parsed.error) throw new Error(`${this.vendor} emulator: ${parsed.error}`);
			return parsed;
		} finally {
			clearTimeout(timer);
		}
	}

	async requests(): Promise<RequestLog> {
		return await this.ask<RequestLog & Record<string, unknown>>({ op: 'requests' });
	}

	async clearLog(): Promise<void> {
		await this.ask({ op: 'clearLog' });
	}

	async stop(): Promise<void> {
		running.delete(this);
		if (this.child.exitCode !== null || this.child.signalCode !== null) return;
		const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
		this.child.kill('SIGTERM');
		const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
		await exited;
		clearTimeout(timer);
	}
}

/**
 * Stops every emulator still running (Ctrl+C, or a failure before the normal stop): SIGTERM (so
 * that the FAST emulator removes its PKI folder), then SIGKILL for any still there after `graceMs`.
 */
export async function killEmulators(graceMs = 3000): Promise<void> {
	const children = [...running].map((emulator) => emulator.child);
	running.clear();
	for (const child of children) child.kill('SIGTERM');
	const deadline = Date.now() + graceMs;
	while (Date.now() < deadline && children.some((child) => child.exitCode === null && child.signalCode === null)) {
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
