/**
 * Debian's Redis and PostgreSQL for the end-to-end suite's queue-mode checks: started from their
 * binaries (no system service), listening on 127.0.0.1 only, each with a private data folder under
 * a temp folder that `stop()` removes. What is missing is installed once with apt-get.
 *
 * PostgreSQL refuses to run as root: when this process is root, initdb and postgres run as the
 * `postgres` user (the one Debian's package creates) on a data folder it owns.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Service {
	port: number;
	stop(): Promise<void>;
}

export interface PostgresService extends Service {
	database: string;
	user: string;
	password: string;
	/** Runs SQL with psql against the database; returns psql's unaligned, tuples-only output. */
	query(sql: string): string;
}

const APT_UPDATE_TIMEOUT_MS = 180_000;
const APT_INSTALL_TIMEOUT_MS = 600_000;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

function hasCommand(command: string): boolean {
	return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

function runOrThrow(command: string, args: string[], options: { timeoutMs: number; env?: NodeJS.ProcessEnv; uid?: number; gid?: number; cwd?: string }): string {
	const result = spawnSync(command, args, {
		encoding: 'utf8',
		timeout: options.timeoutMs,
		env: options.env ?? process.env,
		uid: options.uid,
		gid: options.gid,
		cwd: options.cwd,
		maxBuffer: 64 * 1024 * 1024,
	});
	if (result.status !== 0) {
		const why = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
		throw new Error(`${command} ${args.join(' ')} failed (${why}):\n${result.stderr ?? ''}\n${result.stdout ?? ''}`.trim());
	}
	return result.stdout;
}

/**
 * Installs Debian packages with apt-get (update, then install without recommends), printing one
 * progress line on stderr. Bounded in time; a clear error when apt-get is not there or we are not root.
 */
export function aptInstall(packages: string[], why: string): void {
	if (!hasCommand('apt-get')) {
		throw new Error(`${why} is missing and apt-get is not available to install it: install ${packages.join(' ')} (Debian packages) yourself`);
	}
	if (process.getuid?.() !== 0) {
		throw new Error(`${why} is missing; installing it needs root: apt-get install -y --no-install-recommends ${packages.join(' ')}`);
	}
	const started = Date.now();
	// One progress line: its start now, its end when apt-get is done.
	process.stderr.write(`[services] ${why} is missing: apt-get install ${packages.join(' ')} (once per machine)... `);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	try {
		runOrThrow('apt-get', ['-o', 'DPkg::Lock::Timeout=120', 'update', '-qq'], { timeoutMs: APT_UPDATE_TIMEOUT_MS, env });
		runOrThrow('apt-get', ['-o', 'DPkg::Lock::Timeout=120', 'install', '-y', '-qq', '--no-install-recommends', ...packages], {
			timeoutMs: APT_INSTALL_TIMEOUT_MS,
			env,
		});
	} catch (error) {
		process.stderr.write('failed\n');
		throw error;
	}
	process.stderr.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

/** The bin folder of the newest PostgreSQL Debian installed (/usr/lib/postgresql/<version>/bin). */
function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const versions = readdirSync(root)
		.filter((name) => /^\d+(\.\d+)?$/.test(name) && existsSync(join(root, name, 'bin', 'postgres')) && existsSync(join(root, name, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? join(root, versions[0], 'bin') : undefined;
}

/**
 * Daemons still running, killed (SIGKILL) if this process exits without stopping them, so a crash
 * of the caller leaves no Redis or PostgreSQL behind.
 */
const running = new Set<Daemon>();
process.on('exit', () => {
	for (const daemon of running) daemon.child.kill('SIGKILL');
});

/** A background process with its output kept (last 256 KB), its exit watched. */
class Daemon {
	output = '';
	exited = false;
	readonly child: ChildProcess;
	private readonly exit: Promise<void>;

	constructor(command: string, args: string[], options: { uid?: number; gid?: number; cwd?: string; env?: NodeJS.ProcessEnv }) {
		this.child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		const keep = (chunk: Buffer) => {
			this.output = (this.output + chunk.toString()).slice(-256 * 1024);
		};
		this.child.stdout?.on('data', keep);
		this.child.stderr?.on('data', keep);
		running.add(this);
		this.exit = new Promise((resolve) => {
			this.child.once('exit', () => {
				this.exited = true;
				running.delete(this);
				resolve();
			});
			this.child.once('error', (error) => {
				this.output += `\n${error.message}`;
				this.exited = true;
				running.delete(this);
				resolve();
			});
		});
	}

	/** Sends `signal`, then SIGKILL after STOP_TIMEOUT_MS; resolves once it has exited. */
	async stop(signal: NodeJS.Signals): Promise<void> {
		if (this.exited) return;
		this.child.kill(signal);
		const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
		await this.exit;
		clearTimeout(timer);
	}
}

async function waitFor(what: string, daemon: Daemon, ready: () => Promise<boolean> | boolean, timeoutMs = START_TIMEOUT_MS): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (daemon.exited) throw new Error(`${what} exited while starting:\n${daemon.output.slice(-4000)}`);
		if (await ready()) return;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`${what} was not ready within ${timeoutMs / 1000} s:\n${daemon.output.slice(-4000)}`);
}

/** Sends one Redis PING on 127.0.0.1:port; true on +PONG. */
function redisPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({ host: '127.0.0.1', port });
		let answer = '';
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(2000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			answer += chunk.toString();
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
	});
}

function onceOnly(stop: () => Promise<void>): () => Promise<void> {
	let stopping: Promise<void> | undefined;
	return () => (stopping ??= stop());
}

/** Debian's redis-server on 127.0.0.1:port, nothing saved to disk, its folder removed at stop. */
export async function startRedis(options: { port: number }): Promise<Service> {
	if (!hasCommand('redis-server')) aptInstall(['redis-server'], 'redis-server');
	const dir = mkdtempSync(join(tmpdir(), 'n8n-parapheur-redis-'));
	const redis = new Daemon(
		'redis-server',
		['--port', String(options.port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'],
		{ cwd: dir },
	);
	const stop = onceOnly(async () => {
		await redis.stop('SIGTERM');
		rmSync(dir, { recursive: true, force: true });
	});
	try {
		await waitFor(`redis-server on 127.0.0.1:${options.port}`, redis, () => redisPing(options.port));
	} catch (error) {
		await stop();
		throw error;
	}
	return { port: options.port, stop };
}

/** The uid and gid of a user, from `id`. */
function userIds(user: string): { uid: number; gid: number } {
	const uid = Number(runOrThrow('id', ['-u', user], { timeoutMs: 5000 }).trim());
	const gid = Number(runOrThrow('id', ['-g', user], { timeoutMs: 5000 }).trim());
	return { uid, gid };
}

/**
 * Debian's PostgreSQL on 127.0.0.1:port: a fresh cluster (initdb) in a temp folder, password
 * authentication over TCP only (no Unix socket outside that folder), durability switched off for
 * speed, one database for n8n. Its folder is removed at stop.
 */
export async function startPostgres(options: { port: number }): Promise<PostgresService> {
	let binDir = postgresBinDir();
	if (!binDir) {
		aptInstall(['postgresql'], 'PostgreSQL');
		binDir = postgresBinDir();
		if (!binDir) throw new Error('apt-get installed postgresql, yet no /usr/lib/postgresql/<version>/bin/postgres was found');
	}
	const database = 'n8n';
	const user = 'n8n';
	const password = 'n8n-parapheur-local-only';
	// Root may not run PostgreSQL: run it as Debian's postgres user, on folders it owns.
	const asUser: { uid?: number; gid?: number } = process.getuid?.() === 0 ? userIds('postgres') : {};
	const dir = mkdtempSync(join(tmpdir(), 'n8n-parapheur-postgres-'));
	const dataDir = join(dir, 'data');
	const socketDir = join(dir, 'socket');
	mkdirSync(socketDir);
	const passwordFile = join(dir, 'password');
	writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
	if (asUser.uid !== undefined && asUser.gid !== undefined) {
		for (const path of [dir, socketDir, passwordFile]) chownSync(path, asUser.uid, asUser.gid);
	}
	const spawnOptions = { ...asUser, cwd: dir, env: { PATH: process.env.PATH, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TZ: 'UTC' } };
	try {
		runOrThrow(
			join(binDir, 'initdb'),
			['-D', dataDir, '-U', user, `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'],
			{ ...spawnOptions, timeoutMs: 120_000 },
		);
	} catch (error) {
		rmSync(dir, { recursive: true, force: true });
		throw error;
	}
	const postgres = new Daemon(
		join(binDir, 'postgres'),
		[
			'-D', dataDir,
			'-h', '127.0.0.1',
			'-p', String(options.port),
			'-k', socketDir,
			'-c', 'fsync=off',
			'-c', 'synchronous_commit=off',
			'-c', 'full_page_writes=off',
			'-c', 'max_connections=100',
		],
		spawnOptions,
	);
	// SIGINT: PostgreSQL's fast shutdown (rolls back open transactions, then exits).
	const stop = onceOnly(async () => {
		await postgres.stop('SIGINT');
		rmSync(dir, { recursive: true, force: true });
	});
	const clientEnv = { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '5' };
	const client = ['-h', '127.0.0.1', '-p', String(options.port), '-U', user];
	try {
		await waitFor(`PostgreSQL on 127.0.0.1:${options.port}`, postgres, () =>
			spawnSync(join(binDir, 'pg_isready'), [...client, '-d', 'postgres', '-q'], { env: clientEnv, timeout: 10_000 }).status === 0,
		);
		runOrThrow(join(binDir, 'createdb'), [...client, database], { timeoutMs: 30_000, env: clientEnv });
	} catch (error) {
		await stop();
		throw error;
	}
	const query = (sql: string) =>
		runOrThrow(join(binDir, 'psql'), [...client, '-d', database, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql], { timeoutMs: 30_000, env: clientEnv });
	return { port: options.port, database, user, password, query, stop };
}
