/**
 * n8n in queue mode for the end-to-end suite: one main (`n8n start`) and one worker (`n8n worker`)
 * sharing Debian's Redis (the Bull queue) and PostgreSQL (workflows, executions, binary data), all
 * on 127.0.0.1. The package is installed on both, each in its own user folder, as n8n requires.
 *
 * Settings, as n8n 2.41.1 reads them (paths under node_modules/):
 *   EXECUTIONS_MODE=queue                        @n8n/config configs/executions.config.js
 *   QUEUE_BULL_REDIS_HOST / _PORT                @n8n/config configs/scaling-mode.config.js (RedisConfig)
 *   DB_TYPE=postgresdb, DB_POSTGRESDB_HOST/PORT/DATABASE/USER/PASSWORD
 *                                                @n8n/config configs/database.config.js
 *   N8N_DEFAULT_BINARY_DATA_MODE=database        n8n-core binary-data/binary-data.config.js (already the
 *                                                default in queue mode; set so the intent is explicit)
 *   QUEUE_HEALTH_CHECK_ACTIVE=true, QUEUE_HEALTH_CHECK_PORT, N8N_WORKER_SERVER_ADDRESS
 *                                                scaling-mode.config.js (HealthConfig; the address defaults
 *                                                to `::`); n8n/dist/scaling/worker-server.js serves /healthz
 *                                                and /healthz/readiness (DB connected + migrated, Redis up).
 *                                                There is no N8N_WORKER_SERVER_PORT.
 *   N8N_RUNNERS_BROKER_PORT                      configs/runners.config.js (default 5679 for both processes:
 *                                                main and worker each start a task broker, so they must differ)
 *   N8N_LISTEN_ADDRESS=127.0.0.1, N8N_PORT       @n8n/config index.js
 *   N8N_ENCRYPTION_KEY                           the same for both (n8nEnv): the worker decrypts credentials
 *   OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true    n8n/dist/workflow-runner.js: manual (editor/REST) runs go to
 *                                                the worker too, as they always will in n8n 3
 *                                                (modules/breaking-changes/rules/v3/offload-manual-executions.rule.js)
 * `n8n execute` does not prove queue mode: n8n/dist/commands/execute.js falls back to regular mode
 * and runs the workflow in the CLI process. Use a webhook or an active trigger.
 * Main is ready when /healthz/readiness answers 200 (n8n/dist/abstract-server.js: connected, migrated,
 * fully started); the worker when its /healthz/readiness does.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';

import type { N8nInstall } from './n8n';
import { n8nEnv, prepareUserFolder, startN8n, stopN8n, waitForUrl } from './n8n';
import type { PostgresService, Service } from './services';
import { startPostgres, startRedis } from './services';

export interface QueueMode {
	/** Main's http://127.0.0.1:PORT. */
	baseUrl: string;
	/** Main's environment, for CLI commands against the same PostgreSQL (import:workflow, import:credentials, activation). */
	env: NodeJS.ProcessEnv;
	/** The worker's environment. */
	workerEnv: NodeJS.ProcessEnv;
	/** The PostgreSQL both use (with `query(sql)` for checks in the database). */
	postgres: PostgresService;
	/** Main + worker output so far, each line prefixed `[main] ` or `[worker] `. */
	logs(): string;
	/** Stops main (SIGTERM) and starts it again; waits for its readiness. `whileStopped` runs in between. */
	restartMain(whileStopped?: () => void | Promise<void>): Promise<void>;
	/** Stops main, worker, Redis and PostgreSQL; idempotent; leaves no process behind. */
	stop(): Promise<void>;
}

export interface QueueModeOptions {
	mainPort: number;
	/** The worker's health server (QUEUE_HEALTH_CHECK_PORT). */
	workerPort: number;
	redisPort: number;
	postgresPort: number;
	/** Task-runner broker ports (N8N_RUNNERS_BROKER_PORT); default workerPort + 1 and workerPort + 2. */
	mainBrokerPort?: number;
	workerBrokerPort?: number;
	/** Added to both processes' environment (after ours: it may override). */
	extraEnv?: NodeJS.ProcessEnv;
	/** Runs with main's environment once the database exists, before main starts (imports, activation). */
	beforeStart?: (env: NodeJS.ProcessEnv) => Promise<void>;
	/** Bounds of the waits for main's and the worker's readiness (default 180 s and 120 s). */
	mainStartTimeoutMs?: number;
	workerStartTimeoutMs?: number;
}

const LOG_LIMIT = 8 * 1024 * 1024;

/** Throws, naming the port, if something already listens on 127.0.0.1:port. */
async function assertPortFree(port: number, what: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const server = createServer();
		server.once('error', (error: NodeJS.ErrnoException) =>
			reject(new Error(`port ${port} (${what}) on 127.0.0.1 is taken (${error.code ?? error.message}): a run left behind, or choose another port`)),
		);
		server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
	});
}

/** The pids of a process's descendants, from /proc (Linux). */
function descendants(pid: number): number[] {
	const parents = new Map<number, number[]>();
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
			// pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			parents.set(ppid, [...(parents.get(ppid) ?? []), Number(name)]);
		} catch {
			// gone meanwhile
		}
	}
	const found: number[] = [];
	const queue = [pid];
	while (queue.length && found.length < 1000) {
		for (const child of parents.get(queue.shift()!) ?? []) {
			found.push(child);
			queue.push(child);
		}
	}
	return found;
}

/** One n8n process (main or worker), its output appended to the shared log with a prefix. */
class N8nProcess {
	exited = false;
	private readonly child: ChildProcess;

	constructor(install: N8nInstall, env: NodeJS.ProcessEnv, args: string[], prefix: string, log: (text: string) => void) {
		this.child = startN8n(install, env, args);
		let partial = '';
		const onData = (chunk: Buffer) => {
			const lines = (partial + chunk.toString()).split('\n');
			partial = lines.pop() ?? '';
			for (const line of lines) log(`${prefix}${line}\n`);
		};
		this.child.stdout?.on('data', onData);
		this.child.stderr?.on('data', onData);
		this.child.once('exit', (code, signal) => {
			if (partial) log(`${prefix}${partial}\n`);
			log(`${prefix}(exited: ${code ?? signal})\n`);
			this.exited = true;
		});
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	/** SIGTERM (then SIGKILL after 20 s, see stopN8n); then kills whatever it started and left behind. */
	async stop(): Promise<void> {
		const pid = this.child.pid;
		const children = pid && !this.exited ? descendants(pid) : [];
		await stopN8n(this.child, () => this.exited);
		for (const child of children) {
			try {
				process.kill(child, 'SIGKILL');
			} catch {
				// already gone: the usual case, n8n stops its task runners itself
			}
		}
	}

	/** Last resort on process exit: synchronous kill of the process and what it started. */
	killNow(): void {
		const pid = this.child.pid;
		if (!pid || this.exited) return;
		for (const target of [pid, ...descendants(pid)]) {
			try {
				process.kill(target, 'SIGKILL');
			} catch {
				// gone
			}
		}
	}
}

/**
 * Starts Redis, PostgreSQL, then (after `beforeStart`) n8n main, waits for it, then one worker and
 * waits for it. On any failure everything started so far is stopped before the error is thrown.
 */
export async function startQueueMode(install: N8nInstall, tarball: string, options: QueueModeOptions): Promise<QueueMode> {
	if (install.line !== 2) throw new Error(`queue mode checks need n8n 2.x (got ${install.version})`);
	const mainBrokerPort = options.mainBrokerPort ?? options.workerPort + 1;
	const workerBrokerPort = options.workerBrokerPort ?? options.workerPort + 2;
	const baseUrl = `http://127.0.0.1:${options.mainPort}`;
	let log = '';
	const append = (text: string) => {
		log += text;
		if (log.length > LOG_LIMIT) log = log.slice(-LOG_LIMIT);
	};
	let main: N8nProcess | undefined;
	let worker: N8nProcess | undefined;
	let redis: Service | undefined;
	let postgres: PostgresService | undefined;
	const folders: string[] = [];
	const onExit = () => {
		// The caller's process is exiting without stop(): leave no n8n behind (scripts/lib/services.ts
		// kills Redis and PostgreSQL on exit itself).
		worker?.killNow();
		main?.killNow();
	};
	process.once('exit', onExit);
	// Interrupted (Ctrl-C, kill): stop everything, including a CLI command beforeStart may be running
	// (all are this process's descendants), then die of the same signal.
	const onSignal = (signal: NodeJS.Signals) => {
		void stop().finally(() => {
			for (const pid of descendants(process.pid)) {
				try {
					process.kill(pid, 'SIGKILL');
				} catch {
					// gone
				}
			}
			process.kill(process.pid, signal);
		});
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);

	let stopping: Promise<void> | undefined;
	const stop = () =>
		(stopping ??= (async () => {
			await Promise.all([worker?.stop(), main?.stop()]);
			await Promise.all([redis?.stop(), postgres?.stop()]);
			for (const folder of folders) rmSync(folder, { recursive: true, force: true });
			process.removeListener('exit', onExit);
			process.removeListener('SIGINT', onSignal);
			process.removeListener('SIGTERM', onSignal);
		})());

	try {
		for (const [port, what] of [
			[options.mainPort, 'n8n main'],
			[options.workerPort, 'n8n worker health'],
			[mainBrokerPort, "main's task broker"],
			[workerBrokerPort, "worker's task broker"],
			[options.redisPort, 'Redis'],
			[options.postgresPort, 'PostgreSQL'],
		] as const) {
			await assertPortFree(port, what);
		}
		redis = await startRedis({ port: options.redisPort });
		postgres = await startPostgres({ port: options.postgresPort });
		const noProxy = [process.env.NO_PROXY ?? process.env.no_proxy, '127.0.0.1', 'localhost'].filter(Boolean).join(',');
		const shared: NodeJS.ProcessEnv = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			// "Worker started execution <id>" and the readiness lines are logged at info.
			N8N_LOG_LEVEL: 'info',
			// Everything here is on 127.0.0.1 (n8n itself, its API the register calls, the emulators):
			// a proxy of the host must not carry those requests.
			NO_PROXY: noProxy,
			no_proxy: noProxy,
		};
		const mainFolder = prepareUserFolder(tarball);
		folders.push(mainFolder);
		const workerFolder = prepareUserFolder(tarball);
		folders.push(workerFolder);
		const env = n8nEnv(install, mainFolder, {
			...shared,
			N8N_PORT: String(options.mainPort),
			N8N_RUNNERS_BROKER_PORT: String(mainBrokerPort),
			...options.extraEnv,
		});
		const workerEnv = n8nEnv(install, workerFolder, {
			...shared,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(options.workerPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(workerBrokerPort),
			...options.extraEnv,
		});
		await options.beforeStart?.(env);

		const startMain = async () => {
			main = new N8nProcess(install, env, ['start'], '[main] ', append);
			const current = main;
			try {
				await waitForUrl(`${baseUrl}/healthz/readiness`, options.mainStartTimeoutMs ?? 180_000, () => current.exited);
			} catch (error) {
				throw new Error(`n8n main: ${(error as Error).message}\n${tail(log)}`);
			}
		};
		await startMain();
		worker = new N8nProcess(install, workerEnv, ['worker'], '[worker] ', append);
		const startedWorker = worker;
		try {
			await waitForUrl(`http://127.0.0.1:${options.workerPort}/healthz/readiness`, options.workerStartTimeoutMs ?? 120_000, () => startedWorker.exited);
		} catch (error) {
			throw new Error(`n8n worker: ${(error as Error).message}\n${tail(log)}`);
		}

		return {
			baseUrl,
			env,
			workerEnv,
			postgres,
			logs: () => log,
			restartMain: async (whileStopped) => {
				if (stopping) throw new Error('queue mode is stopped');
				await main?.stop();
				await whileStopped?.();
				await startMain();
			},
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

function tail(text: string, lines = 40): string {
	return text.split('\n').slice(-lines).join('\n');
}
