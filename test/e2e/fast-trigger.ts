/**
 * The end-to-end suite's polling check: the package's FAST Parapheur Trigger in a running n8n,
 * with a restart of n8n between polls, in each of n8n's ways of running polls (`PollMode`).
 *
 * One active workflow with four FAST Parapheur Triggers, each polling every minute (n8n's shortest
 * poll time) and each calling a local sink back (its own path) with all the items of one poll in
 * one request. Each trigger of documents has its own two documents, so the emulator's request log
 * tells which node read what:
 *
 *   "Document states"                    A, B; minimum interval 0 (every poll reads both), All.
 *   "Acknowledgements"                   newAcknowledgement on the credential's SIREN, without
 *                                        download (the ids stay listed: every poll sees the old
 *                                        ones again and must not emit them).
 *   "Document states (default interval)" C, D; default options (30-minute minimum interval per
 *                                        document, Entries Already There = All). Nothing changes
 *                                        on them: the check is FAST's etiquette, how often their
 *                                        histories are read over the whole run.
 *   "Document states (none)"             E, F; minimum interval 0, Entries Already There = None:
 *                                        what is there at the first read is not emitted, every
 *                                        entry added afterwards is, once.
 *
 * The runner (`run`) drives rounds of changes; each round waits (bounded) until everything
 * expected so far has been called back, so every change falls between two polls. A change that a
 * poll has read without calling it back within 5 s is lost: it is reported, and does not hold up
 * the next round (the other checks, the restart among them, still run).
 *
 *   round 1  as soon as n8n's activation poll has read A, B and the acknowledgement list (before
 *            any other poll): A +1 state, B +2, one acknowledgement; E +1 and F +1 once n8n has
 *            kept a first read of them (the activation poll's, but with durable cursors, which
 *            drop a silent activation poll's state, the first scheduled poll's: see the README).
 *   restart  once round 1 has come back: n8n is stopped (SIGTERM, waiting for its exit), then
 *   round 2  while it is down: A becomes final, B +1, E +1, F +1, two acknowledgements; n8n is
 *            started again. These must come back once, after the restart.
 *   round 3  once round 2 has come back: B +1, E +1, F +1, one acknowledgement.
 *
 * What is expected: per document, the entries called back equal those made (for C and D, and for
 * A and B, the first read emits the entries already there), in order, each once; the
 * acknowledgement ids called back equal those listed, each once; C's and D's histories read at
 * most twice each (once, plus one repeat n8n forces, named in the report: a poll at start-up after
 * the restart, or a scheduled poll repeating the activation poll whose state n8n did not keep).
 * Measured on n8n 2.41.1 per mode, fresh user folder, imports and both start-ups included: classic
 * about 2 minutes (n8n polls again at start-up), scheduler and cursors about 3.5 (after the
 * restart the scheduler waits for each node's next minute).
 */
import { EMULATOR_CREDENTIALS } from '../emulators/credentials';
import type { FastEmulator } from '../emulators/fast';
import { FAST_API_PREFIX, startFastEmulator } from '../emulators/fast';
import { SAMPLE_CIRCUITS, SAMPLE_DOCUMENTS, SAMPLE_SIREN } from '../emulators/fast/sample';
import { EmulatorServer } from '../emulators/shared/server';

export const TRIGGER_WORKFLOW_ID = 'FastTriggerE2E01';

/**
 * How n8n runs the polls (n8n 2.41's durable poll scheduler is opt-in; 1.x has only `classic`):
 *   classic    in-process cron, state kept in memory between polls, saved when a poll emits.
 *   scheduler  N8N_SCHEDULER_ENABLED + N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: each poll is a
 *              scheduler task that loads the published workflow (and its static data) afresh.
 *   cursors    the same plus N8N_POLLER_DURABLE_CURSORS_ENABLED: the node's static data is a
 *              staged cursor (table poller_state), committed with the execution or alone.
 */
export type PollMode = 'classic' | 'scheduler' | 'cursors';

export const POLL_MODES: readonly PollMode[] = ['classic', 'scheduler', 'cursors'];

export const POLL_MODE_ENV: Record<PollMode, Record<string, string>> = {
	classic: { N8N_SCHEDULER_ENABLED: 'false', N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'false', N8N_POLLER_DURABLE_CURSORS_ENABLED: 'false' },
	scheduler: { N8N_SCHEDULER_ENABLED: 'true', N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true', N8N_POLLER_DURABLE_CURSORS_ENABLED: 'false' },
	cursors: { N8N_SCHEDULER_ENABLED: 'true', N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true', N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true' },
};

const TRIGGER_TYPE = 'n8n-nodes-parapheur.fastParapheurTrigger';
const EVERY_MINUTE = { item: [{ mode: 'everyMinute' }] };

/** A change made on the emulator, or one the trigger emitted, as the check compares them. */
interface DocumentEntry {
	documentId: string;
	position: number;
	stateName: string;
}

const describeEntry = (entry: DocumentEntry) => `${entry.documentId}#${entry.position} ${entry.stateName}`;

export interface TriggerCheckResult {
	name: string;
	ok: boolean;
	/** Seconds from n8n's first start (healthz) until everything expected had been called back. */
	seconds?: number;
	problems: string[];
	/** Lines shown whether it passed or not (counts the report needs). */
	notes?: string[];
}

/** Starting and stopping the n8n under test (scripts/e2e.ts). */
export interface N8nControl {
	stop(): Promise<void>;
	start(): Promise<void>;
}

type Group = 'states' | 'default' | 'none';

/** The callback path of each trigger node. */
/** How long after a poll read a change its callback may take before the change counts as lost. */
const GRACE_MS = 5000;

const PATHS = { states: '/documents', default: '/default-interval', none: '/none', acks: '/acknowledgements' } as const;

export class FastTriggerCheck {
	/** Plain HTTP, so the workflow's HTTP Request nodes can call it without the FAST client certificate. */
	readonly sink = new EmulatorServer();
	fast?: FastEmulator;
	/** The documents of each trigger node (two each). */
	readonly documents: Record<Group, string[]> = { states: [], default: [], none: [] };
	/** A letter per document, for short traces. */
	private readonly letters = new Map<string, string>();

	private readonly expectedEntries: DocumentEntry[] = [];
	private readonly expectedAcks: string[] = [];
	/** When each expected entry (describeEntry) or ack (`ack <id>`) was made, epoch ms. */
	private readonly madeAt = new Map<string, number>();
	/** Keys (entries and ack ids) made while n8n was down. */
	private readonly madeWhileDown: string[] = [];
	/** What the runner did, and n8n's log lines about polls, with times (epoch ms). */
	private readonly timeline: Array<{ time: number; text: string }> = [];
	private readonly n8nStarts: number[] = [];
	private restartedAt?: number;
	private stopped = false;

	constructor(readonly mode: string) {}

	/** Starts the FAST emulator (on the port the imported credential names) and the sink, and seeds the documents. */
	async start(fastPort: number): Promise<void> {
		for (const path of Object.values(PATHS)) this.sink.route('POST', path, () => ({ status: 200, body: { received: true } }));
		await this.sink.start();
		this.fast = await startFastEmulator({ port: fastPort });
		const seeds: Array<[Group, string]> = [
			['states', 'A'],
			['states', 'B'],
			['default', 'C'],
			['default', 'D'],
			['none', 'E'],
			['none', 'F'],
		];
		for (const [group, letter] of seeds) {
			const id = this.fast.seedDocument({ circuitId: SAMPLE_CIRCUITS.signature, label: `Trigger check ${letter}`, states: ['Préparé'] });
			this.documents[group].push(id);
			this.letters.set(id, letter);
			// "None" emits nothing of what is there at the first read.
			if (group !== 'none') this.expect({ documentId: id, position: 1, stateName: 'Préparé' });
		}
		// The trigger emits listed ids oldest (smallest) first.
		for (const id of this.fast.remaining('ack', SAMPLE_SIREN).sort((x, y) => Number(x) - Number(y))) this.expectAck(id);
		if (!this.expectedAcks.includes(SAMPLE_DOCUMENTS.helios)) throw new Error('the FAST sample has no acknowledgement listed');
	}

	async close(): Promise<void> {
		this.stopped = true;
		await Promise.all([this.sink.close(), this.fast?.close()]);
	}

	/** Records an event of the run (shown in the trace). */
	mark(text: string, time = Date.now()): void {
		this.timeline.push({ time, text });
	}

	/** n8n (re)started and answering: times in the trace and the read labels count from there. */
	n8nStarted(time = Date.now()): void {
		this.n8nStarts.push(time);
	}

	workflow() {
		const credentials = { fastParapheurApi: { ...EMULATOR_CREDENTIALS.fastParapheurApi } };
		const trigger = (id: string, name: string, y: number, parameters: Record<string, unknown>) => ({
			id,
			name,
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, y],
			parameters: { pollTimes: EVERY_MINUTE, ...parameters },
			credentials,
		});
		const callback = (name: string, path: string, y: number) => ({
			id: `call-back-${path.slice(1)}`,
			name,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [260, y],
			// One request per poll, with its items in order.
			executeOnce: true,
			parameters: {
				method: 'POST',
				url: `${this.sink.baseUrl}${path}`,
				sendBody: true,
				specifyBody: 'json',
				jsonBody: '={{ JSON.stringify($input.all()) }}',
				options: {},
			},
		});
		const link = (node: string) => ({ main: [[{ node, type: 'main', index: 0 }]] });
		return {
			id: TRIGGER_WORKFLOW_ID,
			name: 'FAST Parapheur Trigger check',
			active: false,
			settings: { executionOrder: 'v1' },
			// n8n activates (and makes its first poll) in this order: "None" last.
			nodes: [
				trigger('document-states', 'Document states', 0, {
					event: 'documentStateChanged',
					documentIds: this.documents.states.join(', '),
					options: { minIntervalMinutes: 0 },
				}),
				trigger('acknowledgements', 'Acknowledgements', 240, { event: 'newAcknowledgement', options: {} }),
				trigger('document-states-default', 'Document states (default interval)', 480, {
					event: 'documentStateChanged',
					documentIds: this.documents.default.join(', '),
					options: {},
				}),
				trigger('document-states-none', 'Document states (none)', 720, {
					event: 'documentStateChanged',
					documentIds: this.documents.none.join(', '),
					options: { minIntervalMinutes: 0, existingEntries: 'none' },
				}),
				callback('Call back documents', PATHS.states, 0),
				callback('Call back acknowledgements', PATHS.acks, 240),
				callback('Call back default interval', PATHS.default, 480),
				callback('Call back none', PATHS.none, 720),
			],
			connections: {
				'Document states': link('Call back documents'),
				Acknowledgements: link('Call back acknowledgements'),
				'Document states (default interval)': link('Call back default interval'),
				'Document states (none)': link('Call back none'),
			},
		};
	}

	/** The items of each callback on a path, one array per poll that emitted, with when it came. */
	private batches(path: string): Array<{ time: number; items: Array<Record<string, unknown>> }> {
		return this.sink.requests('POST', path).map((request) => {
			const body = request.body as Array<{ json?: Record<string, unknown> }> | unknown;
			const items = Array.isArray(body) ? body.map((item: { json?: Record<string, unknown> }) => item?.json ?? {}) : [{ unreadable: body }];
			return { time: request.time, items };
		});
	}

	private entriesOf(path: string): Array<DocumentEntry & { time: number }> {
		return this.batches(path).flatMap(({ time, items }) =>
			items.map((json) => ({ documentId: String(json.documentId), position: Number(json.position), stateName: String(json.stateName), time })),
		);
	}

	private receivedEntries(): Array<DocumentEntry & { time: number }> {
		return [PATHS.states, PATHS.default, PATHS.none].flatMap((path) => this.entriesOf(path));
	}

	private receivedAcks(): Array<{ id: string; time: number }> {
		return this.batches(PATHS.acks).flatMap(({ time, items }) => items.map((json) => ({ id: String(json.documentId), time })));
	}

	private historyReads(id: string) {
		return this.fast!.server.requests('GET', `${FAST_API_PREFIX}/documents/v2/${id}/history`);
	}

	private listReads() {
		return this.fast!.server.requests('GET', `${FAST_API_PREFIX}/documents/v2/${SAMPLE_SIREN}/ack/remaining`);
	}

	/** Waits (bounded) until `ready()`; false at the deadline or once stopped. */
	private async waitUntil(ready: () => boolean, deadline: number): Promise<boolean> {
		for (let attempt = 0; attempt < 5000 && !this.stopped && Date.now() < deadline; attempt++) {
			if (ready()) return true;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		return ready();
	}

	private expect(entry: DocumentEntry): void {
		this.expectedEntries.push(entry);
		this.madeAt.set(describeEntry(entry), Date.now());
	}

	private expectAck(id: string): void {
		this.expectedAcks.push(id);
		this.madeAt.set(`ack ${id}`, Date.now());
	}

	/**
	 * Everything expected so far called back at least once, or given up: what a poll has read
	 * after the change, without calling it back within GRACE_MS of that read, is lost (the check
	 * reports it) and does not hold the next round up.
	 */
	private allSettled(): boolean {
		const entries = new Set(this.receivedEntries().map(describeEntry));
		const acks = new Set(this.receivedAcks().map(({ id }) => id));
		const now = Date.now();
		const readSince = (reads: Array<{ time: number }>, key: string) => {
			const made = this.madeAt.get(key) ?? 0;
			return reads.some((request) => request.time > made && now - request.time > GRACE_MS);
		};
		return (
			this.expectedEntries.every((entry) => entries.has(describeEntry(entry)) || readSince(this.historyReads(entry.documentId), describeEntry(entry))) &&
			this.expectedAcks.every((id) => acks.has(id) || readSince(this.listReads(), `ack ${id}`))
		);
	}

	private advance(id: string, stateName: string, whileDown = false): void {
		const entry = this.fast!.advance(id, stateName);
		const position = this.fast!.documents.get(id)!.history.length;
		const expected = { documentId: id, position, stateName: String(entry.stateName) };
		this.expect(expected);
		if (whileDown) this.madeWhileDown.push(describeEntry(expected));
		this.mark(`runner: ${this.letters.get(id)} +${position} ${entry.stateName}`);
	}

	private addAcks(count: number, whileDown = false): void {
		for (let index = 0; index < count; index++) {
			const id = this.fast!.addRemaining('ack', SAMPLE_SIREN);
			this.expectAck(id);
			if (whileDown) this.madeWhileDown.push(`ack ${id}`);
			this.mark(`runner: ack ${id} listed`);
		}
	}

	/**
	 * Drives the rounds while n8n polls (n8n already started and answering: `n8nStarted` called),
	 * restarting n8n once through `n8n`, then compares what came back. Bounded by `timeoutMs`.
	 */
	async run(n8n: N8nControl, timeoutMs: number): Promise<TriggerCheckResult[]> {
		const started = this.n8nStarts[0] ?? Date.now();
		const deadline = Date.now() + timeoutMs;
		const [a, b] = this.documents.states;
		const [e, f] = this.documents.none;
		const failures: string[] = [];
		const step = async (what: string, ready: () => boolean) => {
			if (failures.length) return false;
			if (await this.waitUntil(ready, deadline)) return true;
			failures.push(`timed out waiting for ${what}`);
			return false;
		};

		// With durable cursors n8n keeps nothing of an activation poll that emits nothing
		// (n8n-core poll-trigger-executor: a cursor is committed only `if (!testingTrigger)`): for
		// None, the first read it keeps is the first scheduled poll's, the second read (README).
		const keptFirstRead = this.mode === 'cursors' ? 2 : 1;
		if (await step("the activation poll's reads", () => [a, b].every((id) => this.historyReads(id).length > 0) && this.listReads().length > 0)) {
			this.mark('round 1 (right after the activation poll read)');
			this.advance(a, 'Envoyé pour signature');
			this.advance(b, 'Envoyé pour visa');
			this.advance(b, 'Visa approuvé');
			this.addAcks(1);
		}
		if (await step('the first read of E and F that n8n keeps', () => [e, f].every((id) => this.historyReads(id).length >= keptFirstRead))) {
			this.mark(`round 1 for E, F (after their read ${keptFirstRead})`);
			this.advance(e, 'Envoyé pour visa');
			this.advance(f, 'Envoyé pour visa');
		}
		if (await step('round 1 to be called back', () => this.allSettled())) {
			this.mark('stopping n8n (SIGTERM)');
			this.restartedAt = Date.now();
			await n8n.stop();
			this.mark('n8n exited; round 2 while it is down');
			this.advance(a, 'Signé', true);
			this.advance(b, 'Envoyé pour signature', true);
			this.advance(e, 'Visa approuvé', true);
			this.advance(f, 'Visa approuvé', true);
			this.addAcks(2, true);
			this.mark('starting n8n again');
			await n8n.start();
		}
		if (await step('round 2 (made while n8n was down) to be called back', () => this.allSettled())) {
			this.mark('round 3');
			this.advance(b, 'Signé');
			this.advance(e, 'Envoyé pour signature');
			this.advance(f, 'Envoyé pour signature');
			this.addAcks(1);
		}
		const done = await step('round 3 to be called back', () => this.allSettled());
		const seconds = done ? (Date.now() - started) / 1000 : undefined;
		if (done) this.mark('every change called back, or read by a later poll without being called back');
		return [
			this.checkDocuments('document state changes', PATHS.states, this.documents.states, seconds, failures),
			this.checkAcks(seconds, failures),
			this.checkEtiquette(seconds, failures),
			this.checkDocuments('Entries Already There = None', PATHS.none, this.documents.none, seconds, failures),
			this.checkRestart(seconds, failures),
		];
	}

	/** Ends `run` early (n8n stopped). */
	stop(): void {
		this.stopped = true;
	}

	/** A time as seconds since n8n answered in the run it falls in: `run 2 +12.3 s` (before the restart: run 1). */
	private when(time: number): string {
		const second = this.restartedAt !== undefined && time >= this.restartedAt;
		const base = this.n8nStarts[second ? 1 : 0];
		const label = second ? 'run 2' : 'run 1';
		if (base === undefined) return `${label} ?`;
		const delta = (time - base) / 1000;
		return `${label} ${delta >= 0 ? '+' : ''}${delta.toFixed(1)} s`;
	}

	private readsNote(ids: readonly string[]): string {
		return ids
			.map((id) => `${this.letters.get(id)} (${id}): ${this.historyReads(id).length} [${this.historyReads(id).map((request) => this.when(request.time)).join(', ')}]`)
			.join('; ');
	}

	/** Every read, callback, runner step and n8n poll log line in time order. */
	trace(): string[] {
		const events = [...this.timeline];
		for (const [id, letter] of this.letters) for (const request of this.historyReads(id)) events.push({ time: request.time, text: `FAST: history of ${letter} read` });
		for (const request of this.listReads()) events.push({ time: request.time, text: 'FAST: acknowledgement list read' });
		for (const [name, path] of Object.entries(PATHS)) {
			for (const batch of this.batches(path)) {
				const items = batch.items.map((json) =>
					name === 'acks' ? `ack ${String(json.documentId)}` : `${this.letters.get(String(json.documentId)) ?? json.documentId}#${json.position} ${json.stateName}`,
				);
				events.push({ time: batch.time, text: `callback ${name}: ${items.join(', ')}` });
			}
		}
		events.sort((x, y) => x.time - y.time);
		return events.map(({ time, text }) => `${this.when(time).padEnd(16)} ${text}`);
	}

	private describeNamed(entries: DocumentEntry[]): string[] {
		return entries.map((entry) => `${this.letters.get(entry.documentId) ?? entry.documentId}#${entry.position} ${entry.stateName}`);
	}

	private checkDocuments(name: string, path: string, ids: readonly string[], seconds: number | undefined, failures: string[]): TriggerCheckResult {
		const problems: string[] = [...failures];
		const received = this.entriesOf(path);
		for (const id of ids) {
			const want = this.describeNamed(this.expectedEntries.filter((entry) => entry.documentId === id));
			const got = this.describeNamed(received.filter((entry) => entry.documentId === id));
			if (JSON.stringify(want) !== JSON.stringify(got)) problems.push(`document ${this.letters.get(id)} (${id}): called back ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
		}
		const others = received.filter((entry) => !ids.includes(entry.documentId));
		if (others.length) problems.push(`entries of documents this node does not watch: ${JSON.stringify(others.map(describeEntry))}`);
		return { name: `trigger [${this.mode}]: ${name}`, ok: problems.length === 0, seconds, problems, notes: [`history reads: ${this.readsNote(ids)}`] };
	}

	private checkAcks(seconds: number | undefined, failures: string[]): TriggerCheckResult {
		const problems: string[] = [...failures];
		const received = this.receivedAcks().map(({ id }) => id);
		if (JSON.stringify(received) !== JSON.stringify(this.expectedAcks)) {
			problems.push(`called back ${JSON.stringify(received)}, expected each of ${JSON.stringify(this.expectedAcks)} once, in this order`);
		}
		return {
			name: `trigger [${this.mode}]: new acknowledgements`,
			ok: problems.length === 0,
			seconds,
			problems,
			notes: [`list reads: ${this.listReads().length} [${this.listReads().map((request) => this.when(request.time)).join(', ')}]`],
		};
	}

	/**
	 * FAST asks for 30 minutes between two reads of one history: the default-interval node may read
	 * C and D once each during the run, plus one repeat n8n forces (the first poll after the
	 * restart, or the first scheduled poll after the activation poll). Its entries come once.
	 */
	private checkEtiquette(seconds: number | undefined, failures: string[]): TriggerCheckResult {
		const problems: string[] = [...failures];
		const received = this.entriesOf(PATHS.default);
		const repeats: string[] = [];
		for (const id of this.documents.default) {
			const reads = this.historyReads(id);
			const letter = this.letters.get(id);
			if (reads.length > 2) problems.push(`document ${letter}: history read ${reads.length} times in ${((Date.now() - (this.n8nStarts[0] ?? Date.now())) / 1000).toFixed(0)} s (FAST's rule: once per 30 minutes; at most one repeat forced by n8n)`);
			if (reads.length === 2) {
				const second = reads[1].time;
				repeats.push(`${letter}: repeat ${this.restartedAt !== undefined && second > this.restartedAt ? 'after the restart' : 'before the restart (after activation)'} (${this.when(second)})`);
			}
			if (reads.length === 0) problems.push(`document ${letter}: never read`);
			const want = this.describeNamed(this.expectedEntries.filter((entry) => entry.documentId === id));
			const got = this.describeNamed(received.filter((entry) => entry.documentId === id));
			if (JSON.stringify(want) !== JSON.stringify(got)) problems.push(`document ${letter} (${id}): called back ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
		}
		return {
			name: `trigger [${this.mode}]: default interval, FAST etiquette`,
			ok: problems.length === 0,
			seconds,
			problems,
			notes: [`history reads: ${this.readsNote(this.documents.default)}${repeats.length ? `; ${repeats.join('; ')}` : ''}`],
		};
	}

	/** What was made while n8n was down came back once, after the restart. */
	private checkRestart(seconds: number | undefined, failures: string[]): TriggerCheckResult {
		const problems: string[] = [...failures];
		const entries = this.receivedEntries();
		const acks = this.receivedAcks();
		for (const key of this.madeWhileDown) {
			const hits = key.startsWith('ack ') ? acks.filter(({ id }) => `ack ${id}` === key) : entries.filter((entry) => describeEntry(entry) === key);
			if (hits.length !== 1) problems.push(`${key}: called back ${hits.length} times, expected once`);
			for (const hit of hits) if (this.restartedAt === undefined || hit.time < this.restartedAt) problems.push(`${key}: called back before the restart`);
		}
		return { name: `trigger [${this.mode}]: changes made while n8n was down`, ok: problems.length === 0, seconds, problems };
	}
}
