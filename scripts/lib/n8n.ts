/**
 * Real n8n for the end-to-end suite and `npm run dev`: pinned installs (scripts/get-n8n.sh), the
 * package packed and installed as users install community packages, and n8n commands run with
 * every outbound call switched off.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IRun } from 'n8n-workflow';

export const ROOT = join(__dirname, '..', '..');

export type N8nLine = 1 | 2;

export interface N8nInstall {
	line: N8nLine;
	version: string;
	dir: string;
	nodeBinDir: string;
}

function run(
	command: string,
	args: string[],
	options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; progressFd?: boolean } = {},
) {
	const result = spawnSync(command, args, {
		cwd: options.cwd ?? ROOT,
		env: options.env ?? process.env,
		encoding: 'utf8',
		timeout: options.timeoutMs ?? 30 * 60_000,
		maxBuffer: 256 * 1024 * 1024,
		// progressFd: the child's fd 3 is this process's stderr, for lines to show while it runs
		// (stdout and stderr stay captured).
		...(options.progressFd ? { stdio: ['pipe', 'pipe', 'pipe', 2] } : {}),
	});
	if (result.status !== 0) {
		throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stderr}\n${result.stdout}`);
	}
	return result.stdout;
}

/** Installs (once, cached) and returns the pinned n8n of a line. */
export function getN8n(line: N8nLine): N8nInstall {
	// Its progress lines (cache check, install steps and sizes, elapsed time) come through fd 3 as
	// it runs; its stdout and stderr are captured as before (stderr shown only if it fails).
	const dir = run('bash', [join(ROOT, 'scripts', 'get-n8n.sh'), String(line)], {
		env: { ...process.env, GET_N8N_PROGRESS_FD: '3' },
		progressFd: true,
	})
		.trim()
		.split('\n')
		.pop()!;
	const pkg = JSON.parse(readFileSync(join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8')) as { version: string };
	return { line, version: pkg.version, dir, nodeBinDir: readFileSync(join(dir, 'node-bin-dir'), 'utf8').trim() };
}

/** The n8n version scripts/get-n8n.sh pins for a line (the script is the one place it is written). */
export function pinnedN8nVersion(line: N8nLine): string {
	const script = readFileSync(join(ROOT, 'scripts', 'get-n8n.sh'), 'utf8');
	const match = new RegExp(`^N8N_${line}_VERSION=([0-9.]+)`, 'm').exec(script);
	if (!match) throw new Error(`scripts/get-n8n.sh pins no N8N_${line}_VERSION`);
	return match[1];
}

/** The pinned n8n of a line if scripts/get-n8n.sh has already installed it, without installing. */
export function installedN8n(line: N8nLine): N8nInstall | undefined {
	const version = pinnedN8nVersion(line);
	const dir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'n8n-nodes-parapheur', `n8n-${version}`);
	if (!existsSync(join(dir, '.complete'))) return undefined;
	return { line, version, dir, nodeBinDir: readFileSync(join(dir, 'node-bin-dir'), 'utf8').trim() };
}

/**
 * The folder of a package (`n8n-workflow`, `n8n-core`) as the installed n8n resolves it: the copy
 * community nodes get at run time.
 */
export function packageOfInstall(install: N8nInstall, name: string): string {
	// Node's lookup from n8n's own folder: its nested node_modules first, then the hoisted one.
	for (const dir of [join(install.dir, 'node_modules', 'n8n', 'node_modules', name), join(install.dir, 'node_modules', name)]) {
		if (existsSync(join(dir, 'package.json'))) return dir;
	}
	throw new Error(`n8n ${install.version} in ${install.dir} has no ${name}`);
}

/** Builds and packs this package; returns the tarball path. */
export function packPackage(): string {
	// .npmrc sets ignore-scripts (see there), so npm runs no prepack script: build explicitly.
	run('npm', ['run', 'build', '--loglevel=error']);
	const destination = mkdtempSync(join(tmpdir(), 'n8n-parapheur-pack-'));
	const output = run('npm', ['pack', '--pack-destination', destination, '--loglevel=error']);
	const name = output.trim().split('\n').pop()!.trim();
	return join(destination, name);
}

/**
 * A fresh n8n user folder with the package installed where n8n installs community packages
 * (`.n8n/nodes`), the way n8n does it: runtime dependencies only, no lifecycle scripts.
 */
export function prepareUserFolder(tarball: string, folder?: string): string {
	const userFolder = folder ?? mkdtempSync(join(tmpdir(), 'n8n-parapheur-user-'));
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	if (!existsSync(join(nodesDir, 'package.json'))) {
		writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }, null, 2));
	}
	// A tarball of the same version would otherwise be taken as already installed.
	rmSync(join(nodesDir, 'node_modules', 'n8n-nodes-parapheur'), { recursive: true, force: true });
	run('npm', ['install', tarball, '--ignore-scripts', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: nodesDir,
	});
	return userFolder;
}

/** Environment for an n8n process: its own user folder, no telemetry, no outbound calls. */
export function n8nEnv(install: N8nInstall, userFolder: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PATH: `${install.nodeBinDir}:${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: 'n8n-nodes-parapheur-local-only',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		// This package is not in n8n's verified list; the list itself is fetched from n8n's servers.
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_LOG_LEVEL: 'warn',
		DB_SQLITE_POOL_SIZE: '1',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_RUNNERS_ENABLED: install.line === 1 ? 'false' : process.env.N8N_RUNNERS_ENABLED,
		...extra,
	};
	if (install.line === 1) {
		// 1.x on Node 20 has no expression sandbox (isolated-vm 6 does not build there).
		env.N8N_EXPRESSION_ENGINE = 'legacy';
		delete env.N8N_DISABLED_MODULES; // 1.x rejects it
	} else {
		env.N8N_DISABLED_MODULES = 'mcp-registry';
	}
	for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
	return env;
}

function n8nArgs(install: N8nInstall, args: string[]): [string, string[]] {
	return [join(install.nodeBinDir, 'node'), [join(install.dir, 'node_modules', 'n8n', 'bin', 'n8n'), ...args]];
}

/**
 * The IRun JSON that `n8n execute --rawOutput` prints (pretty-printed: from a line that is `{` to
 * one that is `}`) among log lines, which may also come after it: on 2.x the task runner can
 * register once the run is already printed ("Registered runner ...").
 */
export function parseRun(stdout: string): IRun | undefined {
	const start = stdout.search(/^\{$/m);
	const end = [...stdout.matchAll(/^\}$/gm)].pop()?.index;
	if (start < 0 || end === undefined || end < start) return undefined;
	try {
		return JSON.parse(stdout.slice(start, end + 1)) as IRun;
	} catch {
		return undefined;
	}
}

/** Runs an n8n CLI command to completion and returns its output. */
export async function n8nCommand(
	install: N8nInstall,
	env: NodeJS.ProcessEnv,
	args: string[],
	timeoutMs = 5 * 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
	const [command, fullArgs] = n8nArgs(install, args);
	return await new Promise((resolve) => {
		const child = spawn(command, fullArgs, { env, cwd: ROOT });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

/** Starts `n8n start` (or another long-running command, e.g. `['worker']`) in the background; the caller stops it. */
export function startN8n(install: N8nInstall, env: NodeJS.ProcessEnv, args: string[] = ['start']) {
	const [command, fullArgs] = n8nArgs(install, args);
	return spawn(command, fullArgs, { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Imports the emulator credentials and every example workflow into an n8n user folder. */
export async function importCredentialsAndExamples(
	install: N8nInstall,
	env: NodeJS.ProcessEnv,
	credentials: unknown[],
): Promise<void> {
	const credentialsFile = join(env.N8N_USER_FOLDER ?? tmpdir(), 'emulator-credentials.json');
	writeFileSync(credentialsFile, JSON.stringify(credentials, null, 2));
	for (const args of [
		['import:credentials', `--input=${credentialsFile}`],
		['import:workflow', '--separate', `--input=${join(ROOT, 'examples')}`],
	]) {
		const result = await n8nCommand(install, env, args);
		if (result.code !== 0) throw new Error(`n8n ${args[0]} failed:\n${result.stderr}\n${result.stdout}`);
	}
}

/** The example workflows shipped in examples/. */
export function exampleFiles(): string[] {
	return readdirSync(join(ROOT, 'examples'))
		.filter((name) => name.endsWith('.json') && !name.startsWith('credentials'))
		.sort()
		.map((name) => join(ROOT, 'examples', name));
}

/** Activates an imported workflow: `publish:workflow` on 2.x, `update:workflow --active` on 1.x. */
export async function activateWorkflow(install: N8nInstall, env: NodeJS.ProcessEnv, workflowId: string): Promise<void> {
	const args =
		install.line === 1
			? ['update:workflow', `--id=${workflowId}`, '--active=true']
			: ['publish:workflow', `--id=${workflowId}`];
	const result = await n8nCommand(install, env, args);
	if (result.code !== 0) throw new Error(`n8n ${args[0]} failed:\n${result.stderr}\n${result.stdout}`);
}

/** Waits until `url` answers 2xx, or throws after `timeoutMs` or when `isStopped()` says so. */
export async function waitForUrl(url: string, timeoutMs: number, isStopped: () => boolean = () => false): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (isStopped()) throw new Error('n8n stopped while starting');
		try {
			const response = await fetch(url);
			if (response.ok) return;
		} catch {
			// not up yet
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/**
 * Checks a polling trigger in a running n8n: the workflow (already imported) is activated, n8n
 * is started, `change` alters an emulator, and the check waits (bounded) until `done()` is true,
 * typically because the triggered workflow called back an emulator.
 */
export async function checkActiveWorkflow(
	install: N8nInstall,
	env: NodeJS.ProcessEnv,
	workflowId: string,
	options: { change: () => void | Promise<void>; done: () => boolean; timeoutMs: number; port: number },
): Promise<{ ok: boolean; seconds: number; output: string }> {
	await activateWorkflow(install, env, workflowId);
	const n8n = startN8n(install, { ...env, N8N_PORT: String(options.port), N8N_RUNNERS_BROKER_PORT: String(options.port + 1) });
	let output = '';
	n8n.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	n8n.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	let exited = false;
	n8n.on('exit', () => (exited = true));
	const started = Date.now();
	try {
		try {
			await waitForUrl(`http://127.0.0.1:${options.port}/healthz`, 180_000, () => exited);
		} catch (error) {
			throw new Error(`${(error as Error).message}\n${output.split('\n').slice(-40).join('\n')}`);
		}
		await options.change();
		const deadline = Date.now() + options.timeoutMs;
		while (!options.done() && Date.now() < deadline && !exited) {
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		return { ok: options.done(), seconds: (Date.now() - started) / 1000, output };
	} finally {
		await stopN8n(n8n, () => exited);
	}
}

/** Stops an n8n started by startN8n: SIGTERM, then SIGKILL after 20 s; nothing if it has exited. */
export async function stopN8n(n8n: ChildProcess, isExited: () => boolean): Promise<void> {
	if (isExited()) return;
	n8n.kill('SIGTERM');
	await new Promise((resolve) => {
		const timer = setTimeout(() => n8n.kill('SIGKILL'), 20_000);
		n8n.once('exit', () => {
			clearTimeout(timer);
			resolve(undefined);
		});
	});
}
