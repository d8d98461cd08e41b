/**
 * The running n8n of `npm run bench:compare`: `n8n start` (scripts/lib/n8n.ts) on 127.0.0.1 with
 * the package installed in its user folder and binary data on disk, its REST API as the owner
 * (credentials, workflows, activation, executions), production webhooks, and the RSS of its main
 * process sampled from /proc while a run is in flight.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import type { N8nInstall } from './lib/n8n';
import { n8nEnv, prepareUserFolder, startN8n, stopN8n, waitForUrl } from './lib/n8n';

const START_TIMEOUT_MS = 180_000;
const REST_TIMEOUT_MS = 120_000;
const OWNER = { email: 'bench-compare@parapheur.example', firstName: 'Bench', lastName: 'Compare', password: 'Bench-Compare-1' };

export interface HttpAnswer {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
}

/** One HTTP request to 127.0.0.1 with node:http (no client-side timeout but ours, which is bounded). */
export async function httpCall(
	url: string,
	options: { method: string; headers?: Record<string, string>; body?: string; timeoutMs: number },
): Promise<HttpAnswer> {
	return await new Promise<HttpAnswer>((resolve, reject) => {
		const request = http.request(url, { method: options.method, headers: options.headers, agent: false }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => {
				clearTimeout(timer);
				resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') });
			});
			response.on('error', (error) => {
				clearTimeout(timer);
				reject(error);
			});
		});
		const timer = setTimeout(() => request.destroy(new Error(`${options.method} ${url} took more than ${options.timeoutMs / 1000} s`)), options.timeoutMs);
		request.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		request.end(options.body);
	});
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/** `{ data: X }` (n8n's REST envelope) -> X. */
function unwrap<T>(json: unknown): T {
	return ((json as { data?: unknown } | undefined)?.data ?? json) as T;
}

/** VmRSS of a process in bytes, or undefined once it is gone. */
export function rssBytes(pid: number): number | undefined {
	try {
		const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

/** Samples the RSS of a process every `intervalMs` from now until stop(): the peak over the value at start. */
export class RssSampler {
	private readonly timer: NodeJS.Timeout;

	readonly baseline: number;

	private peak: number;

	samples = 0;

	constructor(
		private readonly pid: number,
		intervalMs = 50,
	) {
		this.baseline = rssBytes(pid) ?? 0;
		this.peak = this.baseline;
		this.timer = setInterval(() => this.sample(), intervalMs);
	}

	private sample(): void {
		const rss = rssBytes(this.pid);
		if (rss === undefined) return;
		this.samples++;
		if (rss > this.peak) this.peak = rss;
	}

	/** Stops sampling; the peak growth in bytes (the last value is sampled too). */
	stop(): { baseline: number; peak: number; growth: number; samples: number } {
		clearInterval(this.timer);
		this.sample();
		return { baseline: this.baseline, peak: this.peak, growth: this.peak - this.baseline, samples: this.samples };
	}
}

export interface PublicationStatus {
	status: 'in_progress' | 'published' | 'partial' | 'failed' | 'not_published';
	liveVersionId: string | null;
	pendingVersionId: string | null;
	triggers: Array<{ nodeId: string; status: string; errorMessage: string | null }>;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	startedAt: string | null;
	stoppedAt: string | null;
	createdAt: string;
}

export interface NodeRun {
	executionTime?: number;
	executionStatus?: string;
	error?: { message?: string; description?: string };
	data?: { main?: Array<Array<{ json: Record<string, unknown>; binary?: Record<string, { id?: string; fileSize?: string | number; fileName?: string }> }> | null> };
}

export interface ExecutionData {
	resultData: { runData: Record<string, NodeRun[]>; error?: { message?: string; description?: string }; lastNodeExecuted?: string };
}

export class N8nServer {
	private cookie = '';

	private output = '';

	private exited = false;

	private constructor(
		readonly install: N8nInstall,
		readonly child: ChildProcess,
		readonly port: number,
		readonly userFolder: string,
		readonly storagePath: string,
	) {
		child.stdout?.on('data', (chunk: Buffer) => this.keep(chunk));
		child.stderr?.on('data', (chunk: Buffer) => this.keep(chunk));
		child.on('exit', () => (this.exited = true));
	}

	/**
	 * Installs the tarball into a fresh user folder and starts `n8n start` on 127.0.0.1:`port`
	 * (task runners' broker on `brokerPort`), then sets up the owner and logs in.
	 */
	static async start(
		install: N8nInstall,
		tarball: string,
		options: { port: number; brokerPort: number; filesDir: string; extraEnv?: NodeJS.ProcessEnv },
	): Promise<N8nServer> {
		const userFolder = prepareUserFolder(tarball);
		const storagePath = join(userFolder, 'storage');
		const env = n8nEnv(install, userFolder, {
			N8N_PORT: String(options.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(options.brokerPort),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
			N8N_STORAGE_PATH: storagePath,
			// Read/Write Files from Disk may read the upload row's source file there, nowhere else.
			N8N_RESTRICT_FILE_ACCESS_TO: options.filesDir,
			// BENCH_N8N_NODE_OPTIONS: Node options for n8n only (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof to profile it).
			...(process.env.BENCH_N8N_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_N8N_NODE_OPTIONS } : {}),
			...options.extraEnv,
		});
		// Everything is on 127.0.0.1: a proxy of the host must not carry any of it.
		for (const key of Object.keys(env)) if (/^(https?|all|no)_proxy$/i.test(key)) delete env[key];
		const child = startN8n(install, env);
		const server = new N8nServer(install, child, options.port, userFolder, storagePath);
		try {
			await waitForUrl(`http://127.0.0.1:${options.port}/healthz`, START_TIMEOUT_MS, () => server.exited);
			await server.waitUntilReady(START_TIMEOUT_MS);
			await server.logIn();
		} catch (error) {
			await server.stop();
			throw new Error(`n8n did not start: ${(error as Error).message}\n${server.tail(40)}`);
		}
		return server;
	}

	get pid(): number {
		return this.child.pid!;
	}

	get isRunning(): boolean {
		return !this.exited;
	}

	private keep(chunk: Buffer): void {
		this.output += chunk.toString();
		if (this.output.length > 200_000) this.output = this.output.slice(-100_000);
	}

	/** The last lines n8n printed. */
	tail(lines: number): string {
		return this.output
			.split('\n')
			.slice(-lines)
			.map((line) => `      | ${line}`)
			.join('\n');
	}

	/** The task runner processes n8n started (children of its main process), with their RSS in bytes. */
	childProcesses(): Array<{ pid: number; rss: number; command: string }> {
		try {
			return execFileSync('ps', ['--ppid', String(this.pid), '-o', 'pid=,rss=,args='], { encoding: 'utf8' })
				.split('\n')
				.map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
				.filter((match): match is RegExpExecArray => match !== null)
				.map((match) => ({ pid: Number(match[1]), rss: Number(match[2]) * 1024, command: match[3] }));
		} catch {
			return [];
		}
	}

	async call<T = unknown>(method: string, path: string, body?: unknown, timeoutMs = REST_TIMEOUT_MS): Promise<{ status: number; data: T; text: string }> {
		const answer = await httpCall(`http://127.0.0.1:${this.port}${path}`, {
			method,
			headers: { 'content-type': 'application/json', 'browser-id': 'bench-compare', ...(this.cookie ? { cookie: this.cookie } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
			timeoutMs,
		});
		const setCookie = answer.headers['set-cookie'] ?? [];
		const auth = setCookie.map((value) => value.split(';')[0]).find((value) => value.startsWith('n8n-auth='));
		if (auth) this.cookie = auth;
		return { status: answer.status, data: unwrap<T>(parseJson(answer.text)), text: answer.text };
	}

	private async expectOk<T>(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<T> {
		const answer = await this.call<T>(method, path, body, timeoutMs);
		if (answer.status !== 200) throw new Error(`n8n ${method} ${path}: HTTP ${answer.status} ${answer.text.slice(0, 500)}`);
		return answer.data;
	}

	/** /healthz answers before the REST routes exist, and during migrations every path gets a 200 page. */
	private async waitUntilReady(timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.exited) throw new Error('n8n stopped while starting');
			try {
				const settings = await this.call('GET', '/rest/settings', undefined, 10_000);
				if (settings.status === 200 && parseJson(settings.text) !== undefined) return;
			} catch {
				// not listening yet
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		throw new Error(`n8n's REST API did not answer within ${timeoutMs / 1000} s`);
	}

	private async logIn(): Promise<void> {
		const setup = await this.call('POST', '/rest/owner/setup', OWNER);
		if (setup.status !== 200 && setup.status !== 400) throw new Error(`owner setup failed: HTTP ${setup.status} ${setup.text.slice(0, 300)}`);
		const login = await this.call('POST', '/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
		if (login.status !== 200 || !this.cookie) throw new Error(`login failed: HTTP ${login.status} ${login.text.slice(0, 300)}`);
	}

	async createCredential(name: string, type: string, data: Record<string, unknown>): Promise<{ id: string; name: string }> {
		const created = await this.expectOk<{ id: string }>('POST', '/rest/credentials', { name, type, data });
		return { id: created.id, name };
	}

	async createWorkflow(workflow: Record<string, unknown>): Promise<{ id: string; versionId: string }> {
		return await this.expectOk<{ id: string; versionId: string }>('POST', '/rest/workflows', workflow);
	}

	/**
	 * Activates (publishes) a workflow. n8n 2.41 answers once the publication is queued; its
	 * triggers and webhooks are added afterwards (see waitForPublication).
	 */
	async activate(workflow: { id: string; versionId: string }): Promise<void> {
		await this.expectOk('POST', `/rest/workflows/${workflow.id}/activate`, { versionId: workflow.versionId });
	}

	async deactivate(workflowId: string): Promise<void> {
		await this.expectOk('POST', `/rest/workflows/${workflowId}/deactivate`, {});
	}

	/**
	 * Waits until n8n has applied the last (de)activation of a workflow: `GET
	 * /rest/workflows/:id/publication-status` is 'in_progress' while the publication outbox holds it,
	 * then 'published' (triggers added: for a polling trigger, after its first poll) or 'failed' /
	 * 'partial', or 'not_published' once deactivated. Read every `intervalMs`, for at most `timeoutMs`.
	 */
	async waitForPublication(workflowId: string, timeoutMs: number, intervalMs = 25): Promise<PublicationStatus> {
		const deadline = Date.now() + timeoutMs;
		let status: PublicationStatus | undefined;
		while (Date.now() < deadline) {
			status = await this.expectOk<PublicationStatus>('GET', `/rest/workflows/${workflowId}/publication-status`);
			if (status.status !== 'in_progress' && status.pendingVersionId === null) return status;
			await new Promise((resolve) => setTimeout(resolve, intervalMs));
		}
		throw new Error(`the publication of workflow ${workflowId} was still ${status?.status ?? 'unknown'} after ${timeoutMs / 1000} s`);
	}

	/** POSTs JSON to a production webhook. */
	async webhook(path: string, body: unknown, timeoutMs: number): Promise<HttpAnswer> {
		return await httpCall(`http://127.0.0.1:${this.port}/webhook/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			timeoutMs,
		});
	}

	async executions(workflowId: string, limit = 5): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const list = await this.expectOk<{ results: ExecutionSummary[] }>('GET', `/rest/executions?filter=${filter}&limit=${limit}`);
		return list.results;
	}

	/**
	 * The newest execution of a workflow that is not `exclude` once it has finished (n8n may answer
	 * the webhook just before it saves the execution): polled, for at most `timeoutMs`.
	 */
	async finishedExecution(workflowId: string, exclude: ReadonlySet<string>, timeoutMs: number): Promise<ExecutionSummary> {
		const deadline = Date.now() + timeoutMs;
		let last: ExecutionSummary | undefined;
		while (Date.now() < deadline) {
			last = (await this.executions(workflowId)).find((execution) => !exclude.has(execution.id));
			if (last && last.stoppedAt && !['new', 'running', 'waiting'].includes(last.status)) return last;
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		throw new Error(
			last
				? `execution ${last.id} of workflow ${workflowId} still ${last.status} after ${timeoutMs / 1000} s`
				: `no new execution of workflow ${workflowId} within ${timeoutMs / 1000} s`,
		);
	}

	/** An execution's run data (n8n keeps it in the `flatted` format; parsed with n8n's own copy). */
	async executionData(id: string): Promise<ExecutionData> {
		const execution = await this.expectOk<{ data: string }>('GET', `/rest/executions/${id}`);
		const flatted = createRequire(join(this.install.dir, 'package.json'))('flatted') as { parse(text: string): unknown };
		return (typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data) as ExecutionData;
	}

	/** Deletes executions, and with them their binary data. */
	async deleteExecutions(ids: string[]): Promise<void> {
		if (ids.length > 0) await this.expectOk('POST', '/rest/executions/delete', { ids });
	}

	/** The file of a binary stored on disk, from its id (`filesystem-v2:workflows/.../binary_data/<uuid>`). */
	binaryPath(binaryId: string): string {
		const relative = binaryId.replace(/^[\w-]+:/, '');
		if (relative.includes('..')) throw new Error(`unexpected binary data id ${binaryId}`);
		return join(this.storagePath, relative);
	}

	/** Kills n8n's task runners and n8n at once (Ctrl+C). */
	kill(): void {
		for (const child of this.childProcesses()) {
			try {
				process.kill(child.pid, 'SIGKILL');
			} catch {
				// gone already
			}
		}
		if (!this.exited) this.child.kill('SIGKILL');
	}

	/**
	 * Stops n8n (SIGTERM, SIGKILL after 20 s), then any task runner it left behind, and removes its
	 * user folder.
	 */
	async stop(): Promise<void> {
		const children = this.isRunning ? this.childProcesses() : [];
		await stopN8n(this.child, () => this.exited);
		for (const child of children) {
			try {
				process.kill(child.pid, 0);
				process.kill(child.pid, 'SIGKILL');
			} catch {
				// exited with n8n
			}
		}
		rmSync(this.userFolder, { recursive: true, force: true });
	}
}
