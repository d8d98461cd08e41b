/**
 * The end-to-end suite's polling check: the package's FAST Parapheur Trigger in a running n8n.
 *
 * One active workflow with two FAST Parapheur Triggers, each polling every minute (n8n's shortest
 * poll time) and each calling a local sink back with all the items of one poll in one request:
 *
 *   "Document states"   event documentStateChanged on two documents seeded on the emulator, with
 *                       a minimum interval of 0 so every poll reads both histories.
 *   "Acknowledgements"  event newAcknowledgement on the credential's SIREN, without download (the
 *                       ids stay listed, so every poll sees the old ones again and must not emit them).
 *
 * n8n polls once at activation, then every minute. The first poll emits what is already there:
 * the documents' history (Entries Already There defaults to All Entries) and the acknowledgement ids
 * already listed (the sample's Hélios document; a list trigger has no baseline, its first poll
 * delivers what is listed). Both are part of what is expected.
 *
 * Then, in rounds, the runner changes the emulator (`advance`, `addRemaining('ack', ...)`) only once
 * everything expected so far has been called back: the callback comes after the poll that emitted
 * it has read FAST, so every change falls between two polls whatever second n8n picked for its
 * cron. Round 1 moves one document by one state and the other by two (both must come), round 2
 * makes one document final and adds two acknowledgements at once. The check: per document, the
 * entries called back equal those made, in order, each once; the acknowledgement ids called back
 * equal those listed, each once. Both triggers run in the same n8n, so the check lasts two polls
 * after the first: measured 1.3 to 2 minutes after n8n answers, plus its start-up.
 */
import { EMULATOR_CREDENTIALS } from '../emulators/credentials';
import type { FastEmulator } from '../emulators/fast';
import { FAST_API_PREFIX, startFastEmulator } from '../emulators/fast';
import { SAMPLE_CIRCUITS, SAMPLE_DOCUMENTS, SAMPLE_SIREN } from '../emulators/fast/sample';
import { EmulatorServer } from '../emulators/shared/server';

export const TRIGGER_WORKFLOW_ID = 'FastTriggerE2E01';

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
	/** Seconds from n8n's start (healthz) until everything expected had been called back. */
	seconds?: number;
	problems: string[];
}

export class FastTriggerCheck {
	/** Plain HTTP, so the workflow's HTTP Request nodes can call it without the FAST client certificate. */
	readonly sink = new EmulatorServer();
	fast?: FastEmulator;
	documentIds: string[] = [];

	private readonly expectedEntries: DocumentEntry[] = [];
	private readonly expectedAcks: string[] = [];
	private stopped = false;

	/** Starts the FAST emulator (on the port the imported credential names) and the sink, and seeds the documents. */
	async start(fastPort: number): Promise<void> {
		this.sink.route('POST', '/documents', () => ({ status: 200, body: { received: true } }));
		this.sink.route('POST', '/acknowledgements', () => ({ status: 200, body: { received: true } }));
		await this.sink.start();
		this.fast = await startFastEmulator({ port: fastPort });
		for (const label of ['Trigger check A', 'Trigger check B']) {
			const id = this.fast.seedDocument({ circuitId: SAMPLE_CIRCUITS.signature, label, states: ['Préparé'] });
			this.documentIds.push(id);
			this.expectedEntries.push({ documentId: id, position: 1, stateName: 'Préparé' });
		}
		// The trigger emits listed ids oldest (smallest) first.
		this.expectedAcks.push(...this.fast.remaining('ack', SAMPLE_SIREN).sort((x, y) => Number(x) - Number(y)));
		if (!this.expectedAcks.includes(SAMPLE_DOCUMENTS.helios)) throw new Error('the FAST sample has no acknowledgement listed');
	}

	async close(): Promise<void> {
		this.stopped = true;
		await Promise.all([this.sink.close(), this.fast?.close()]);
	}

	workflow() {
		const credentials = { fastParapheurApi: { ...EMULATOR_CREDENTIALS.fastParapheurApi } };
		const callback = (name: string, path: string, x: number, y: number) => ({
			id: `call-back-${path.slice(1)}`,
			name,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [x, y],
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
		return {
			id: TRIGGER_WORKFLOW_ID,
			name: 'FAST Parapheur Trigger check',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				{
					id: 'document-states',
					name: 'Document states',
					type: TRIGGER_TYPE,
					typeVersion: 1,
					position: [0, 0],
					parameters: {
						pollTimes: EVERY_MINUTE,
						event: 'documentStateChanged',
						documentIds: this.documentIds.join(', '),
						options: { minIntervalMinutes: 0 },
					},
					credentials,
				},
				{
					id: 'acknowledgements',
					name: 'Acknowledgements',
					type: TRIGGER_TYPE,
					typeVersion: 1,
					position: [0, 240],
					parameters: { pollTimes: EVERY_MINUTE, event: 'newAcknowledgement', options: {} },
					credentials,
				},
				callback('Call back documents', '/documents', 260, 0),
				callback('Call back acknowledgements', '/acknowledgements', 260, 240),
			],
			connections: {
				'Document states': { main: [[{ node: 'Call back documents', type: 'main', index: 0 }]] },
				Acknowledgements: { main: [[{ node: 'Call back acknowledgements', type: 'main', index: 0 }]] },
			},
		};
	}

	/** The items of each callback, one array per poll that emitted. */
	private batches(path: string): Array<Array<Record<string, unknown>>> {
		return this.sink.requests('POST', path).map((request) => {
			const body = request.body as Array<{ json?: Record<string, unknown> }> | unknown;
			return Array.isArray(body) ? body.map((item: { json?: Record<string, unknown> }) => item?.json ?? {}) : [{ unreadable: body }];
		});
	}

	receivedEntries(): DocumentEntry[] {
		return this.batches('/documents')
			.flat()
			.map((json) => ({ documentId: String(json.documentId), position: Number(json.position), stateName: String(json.stateName) }));
	}

	receivedAcks(): string[] {
		return this.batches('/acknowledgements')
			.flat()
			.map((json) => String(json.documentId));
	}

	/** Waits (bounded) until every key expected has been received at least once. */
	private async waitFor(expected: () => string[], received: () => string[], deadline: number): Promise<boolean> {
		for (let attempt = 0; attempt < 2000 && !this.stopped && Date.now() < deadline; attempt++) {
			const got = new Set(received());
			if (expected().every((key) => got.has(key))) return true;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		return false;
	}

	private advance(id: string, stateName: string): void {
		const entry = this.fast!.advance(id, stateName);
		const position = this.fast!.documents.get(id)!.history.length;
		this.expectedEntries.push({ documentId: id, position, stateName: String(entry.stateName) });
	}

	private async driveDocuments(started: number, deadline: number): Promise<number | undefined> {
		const [a, b] = this.documentIds;
		const rounds: Array<() => void> = [
			() => {
				this.advance(a, 'Envoyé pour signature');
				this.advance(b, 'Envoyé pour visa');
				this.advance(b, 'Visa approuvé');
			},
			() => {
				this.advance(a, 'Signé');
				this.advance(b, 'Envoyé pour signature');
			},
		];
		const expected = () => this.expectedEntries.map(describeEntry);
		const received = () => this.receivedEntries().map(describeEntry);
		for (const round of [...rounds, undefined]) {
			if (!(await this.waitFor(expected, received, deadline))) return undefined;
			round?.();
		}
		return (Date.now() - started) / 1000;
	}

	private async driveAcks(started: number, deadline: number): Promise<number | undefined> {
		const rounds = [1, 2];
		for (const count of [...rounds, 0]) {
			if (!(await this.waitFor(() => this.expectedAcks, () => this.receivedAcks(), deadline))) return undefined;
			for (let index = 0; index < count; index++) this.expectedAcks.push(this.fast!.addRemaining('ack', SAMPLE_SIREN));
		}
		return (Date.now() - started) / 1000;
	}

	/**
	 * Makes the changes round by round while n8n polls, then compares what came back. Returns
	 * once both triggers have delivered everything expected, or at the deadline.
	 */
	async run(timeoutMs: number): Promise<TriggerCheckResult[]> {
		const started = Date.now();
		const deadline = started + timeoutMs;
		const [documentsSeconds, acksSeconds] = await Promise.all([this.driveDocuments(started, deadline), this.driveAcks(started, deadline)]);
		return [this.checkDocuments(documentsSeconds), this.checkAcks(acksSeconds)];
	}

	/** Ends `run` early (n8n stopped). */
	stop(): void {
		this.stopped = true;
	}

	private historyReads(): string {
		return this.documentIds
			.map((id) => `${id}: ${this.fast!.server.requests('GET', `${FAST_API_PREFIX}/documents/v2/${id}/history`).length}`)
			.join(', ');
	}

	private checkDocuments(seconds: number | undefined): TriggerCheckResult {
		const problems: string[] = [];
		const received = this.receivedEntries();
		for (const id of this.documentIds) {
			const want = this.expectedEntries.filter((entry) => entry.documentId === id).map(describeEntry);
			const got = received.filter((entry) => entry.documentId === id).map(describeEntry);
			if (JSON.stringify(want) !== JSON.stringify(got)) problems.push(`document ${id}: called back ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
		}
		const others = received.filter((entry) => !this.documentIds.includes(entry.documentId));
		if (others.length) problems.push(`entries of documents not watched: ${JSON.stringify(others.map(describeEntry))}`);
		if (seconds === undefined) problems.push('not everything expected was called back in time');
		if (problems.length) {
			problems.push(`callbacks, one per poll: ${JSON.stringify(this.batches('/documents').map((batch) => batch.map((json) => `${json.documentId}#${json.position} ${json.stateName}`)))}`);
			problems.push(`history reads per document: ${this.historyReads()}`);
		}
		return { name: 'trigger: document state changes', ok: problems.length === 0, seconds, problems };
	}

	private checkAcks(seconds: number | undefined): TriggerCheckResult {
		const problems: string[] = [];
		const received = this.receivedAcks();
		if (JSON.stringify(received) !== JSON.stringify(this.expectedAcks)) {
			problems.push(`called back ${JSON.stringify(received)}, expected each of ${JSON.stringify(this.expectedAcks)} once, in this order`);
		}
		if (seconds === undefined) problems.push('not everything expected was called back in time');
		if (problems.length) {
			problems.push(`callbacks, one per poll: ${JSON.stringify(this.batches('/acknowledgements').map((batch) => batch.map((json) => json.documentId)))}`);
			problems.push(`list reads: ${this.fast!.server.requests('GET', `${FAST_API_PREFIX}/documents/v2/${SAMPLE_SIREN}/ack/remaining`).length}`);
		}
		return { name: 'trigger: new acknowledgements', ok: problems.length === 0, seconds, problems };
	}
}
