/**
 * The end-to-end suite's concurrency cases (Request Options > Concurrency), run in real n8n by
 * the fault chapter's machinery (test/e2e/faults.ts): one generated workflow per vendor, each
 * case its own node, against a fresh emulator.
 *
 *   12 reads, Concurrency N    every request held 40 ms: 12 items out in input order, each paired
 *                              with its input, 12 requests, never more than N at once (default
 *                              16; also 8 and 1) and more than 1 (N > 1), the first answered
 *                              before the second is sent
 *   429 pauses every request   Concurrency 4, one read of 12 answered 429 with `Retry-After: 1`:
 *                              no request of the node reaches the server in the following second
 *                              but the (at most 3) already in flight, then every item succeeds
 *                              (13 requests)
 *
 * Maarch Courrier has all four; FAST Parapheur (over its client certificate) one case of 12
 * statuses, Concurrency 4, that holds the bound, the first item alone and the 429 pause.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { FastEmulator } from '../emulators/fast';
import { SAMPLE_DOCUMENTS } from '../emulators/fast/sample';
import type { MaarchEmulator } from '../emulators/maarch';
import { startMaarchEmulator } from '../emulators/maarch';
import { MAARCH_SAMPLE } from '../emulators/maarch/sample';
import type { FaultMatch, LoggedRequest, VendorEmulator } from '../emulators/shared/server';
import type { CaseRun, FaultCase, FaultSuite } from './faults';
import { FAST_FAULTS, MAARCH_FAULTS } from './faults';

const HELD_MS = 40;

function pairedInOrder(items: INodeExecutionData[], count: number): string[] {
	if (items.length !== count) return [`${items.length} items, expected ${count}`];
	const wrong = items.flatMap((item, index) => {
		const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
		const pairedIndex = typeof paired === 'number' ? paired : paired?.item;
		return pairedIndex === index ? [] : [`item ${index} paired with ${JSON.stringify(item.pairedItem)}`];
	});
	const failed = items.flatMap((item, index) => (item.json.error === undefined ? [] : [`item ${index} failed: ${String(item.json.error)}`]));
	return [...wrong, ...failed];
}

/** At most `limit` requests at once, and more than one (else nothing ran concurrently). */
function inFlightWithin(requests: LoggedRequest[], limit: number): string[] {
	const peak = Math.max(0, ...requests.map((request) => request.inFlight ?? 0));
	if (limit === 1) return peak === 1 ? [] : [`${peak} requests at once, expected 1`];
	return peak > 1 && peak <= limit ? [] : [`${peak} requests at once, expected 2 to ${limit}`];
}

function count(requests: LoggedRequest[], expected: number): string[] {
	return requests.length === expected ? [] : [`${requests.length} requests, expected ${expected}`];
}

/** The first item goes alone: the second request arrives once the first was answered. */
function firstAlone(requests: LoggedRequest[]): string[] {
	const [first, second] = requests;
	if (!first || !second) return ['fewer than 2 requests'];
	return second.time - first.time >= HELD_MS - 5 ? [] : [`the second request came ${second.time - first.time} ms after the first, before its answer`];
}

/** In input order: each item's own value in the output (the user id, the document id). */
function inInputOrder(items: INodeExecutionData[], read: (json: IDataObject) => unknown, expected: unknown[]): string[] {
	const got = items.map((item) => read(item.json));
	return JSON.stringify(got) === JSON.stringify(expected) ? [] : [`output order ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`];
}

/**
 * After the 429 came back, only the requests already in flight (at most `limit` - 1; a new
 * connection's TLS handshake may make them arrive late) reach the server before the asked second
 * is over; the retry and the items not yet started come after it.
 */
function pausedTogether(requests: LoggedRequest[], limit: number): string[] {
	const limited = requests.find((request) => request.fault?.status === 429);
	if (!limited) return ['no request was answered 429'];
	const index = requests.indexOf(limited);
	const during = requests.filter((request) => request.time > limited.time && request.time < limited.time + 900);
	const after = requests.filter((request) => request.time >= limited.time + 950);
	const problems: string[] = [];
	if (during.length > limit - 1) problems.push(`${during.length} requests during the pause (at most ${limit - 1} in flight): ${during.map((request) => request.path).join(', ')}`);
	const waiting = requests.length - index - 1 - (limit - 1);
	if (after.length < waiting) problems.push(`${after.length} requests after the pause, expected at least ${waiting}`);
	return problems;
}

function cases<E extends VendorEmulator>(options: {
	parameters: IDataObject;
	ids: (block: number) => Array<string | number>;
	match: (ids: Array<string | number>) => FaultMatch;
	read: (json: IDataObject) => unknown;
	expected: (ids: Array<string | number>) => unknown[];
}): Array<FaultCase<E>> {
	const held = (ids: Array<string | number>) => [{ fault: { delayMs: HELD_MS }, count: 12, match: options.match(ids) }];
	const reads = (block: number, concurrency: number | undefined): FaultCase<E> => {
		const ids = options.ids(block);
		return {
			name: `12 reads, Concurrency ${concurrency ?? '16 (default)'}`,
			parameters: { ...options.parameters, ...(concurrency ? { requestOptions: { concurrency } } : {}) },
			items: ids,
			faults: held(ids),
			check: (run: CaseRun<E>) => [
				...pairedInOrder(run.outputs[0] ?? [], 12),
				...inInputOrder(run.outputs[0] ?? [], options.read, options.expected(ids)),
				...count(run.requests, 12),
				...inFlightWithin(run.requests, concurrency ?? 16),
				...firstAlone(run.requests),
			],
		};
	};
	const pausedIds = options.ids(3);
	const sixth = options.match([pausedIds[5]]);
	return [
		reads(0, undefined),
		reads(1, 8),
		reads(2, 1),
		{
			name: '429 Retry-After pauses every request, Concurrency 4',
			parameters: { ...options.parameters, requestOptions: { concurrency: 4 } },
			items: pausedIds,
			faults: [
				{ fault: { status: 429, headers: { 'retry-after': '1' }, body: { errors: 'Too many requests' } }, count: 1, match: sixth },
				// The other 11 and the retry.
				{ fault: { delayMs: 20 }, count: 12, match: options.match(pausedIds) },
			],
			check: (run: CaseRun<E>) => [
				...pairedInOrder(run.outputs[0] ?? [], 12),
				...inInputOrder(run.outputs[0] ?? [], options.read, options.expected(pausedIds)),
				...count(run.requests, 13),
				...pausedTogether(run.requests, 4),
			],
		},
	];
}

/** Maarch Courrier: 48 more users (ids 5 to 52, after the sample's 1 to 4), 12 per case. */
const MAARCH_USERS = Array.from({ length: 48 }, (_, index) => `conc${index + 1}`);

export const MAARCH_CONCURRENCY: FaultSuite<MaarchEmulator> = {
	...MAARCH_FAULTS,
	key: 'maarch-concurrency',
	workflowId: 'ConcurrencyMaarc',
	start: async (ports) =>
		await startMaarchEmulator(
			{
				...structuredClone(MAARCH_SAMPLE),
				users: [...structuredClone(MAARCH_SAMPLE.users ?? []), ...MAARCH_USERS.map((login) => ({ user_id: login, firstname: 'Agent', lastname: login, mail: `${login}@mairie.example.fr` }))],
			},
			ports.maarch,
		),
	cases: cases<MaarchEmulator>({
		parameters: { resource: 'user', operation: 'get', userId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } },
		ids: (block) => Array.from({ length: 12 }, (_, index) => 5 + block * 12 + index),
		match: (ids) => ({ method: 'GET', path: new RegExp(`^/rest/users/(?:${ids.join('|')})$`) }),
		read: (json) => json.id,
		expected: (ids) => ids,
	}),
};

/**
 * FAST Parapheur: one case, as every case would read the same sample documents' histories: 12
 * statuses over the HTTPS client-certificate connection, each request held 40 ms, the sixth
 * answered 429 with `Retry-After: 1`.
 */
const FAST_DOCUMENTS = [SAMPLE_DOCUMENTS.signed, SAMPLE_DOCUMENTS.refused, SAMPLE_DOCUMENTS.prepared, SAMPLE_DOCUMENTS.helios];
const FAST_IDS = Array.from({ length: 12 }, (_, index) => FAST_DOCUMENTS[index % 4]);
const FAST_HISTORIES: FaultMatch = { method: 'GET', path: new RegExp(`/documents/v2/(?:${FAST_DOCUMENTS.join('|')})/history$`) };
let fastReads = 0;

export const FAST_CONCURRENCY: FaultSuite<FastEmulator> = {
	...FAST_FAULTS,
	key: 'fast-concurrency',
	workflowId: 'ConcurrencyFast0',
	start: async (ports) => {
		fastReads = 0;
		return await FAST_FAULTS.start(ports);
	},
	cases: [
		{
			name: '12 statuses, Concurrency 4, one 429 Retry-After',
			parameters: { resource: 'document', operation: 'getStatus', documentId: '={{ $json.id }}', requestOptions: { concurrency: 4 } },
			items: FAST_IDS,
			faults: [
				{ fault: { status: 429, headers: { 'retry-after': '1' }, body: { code: 429, message: 'Too many requests' } }, count: 1, match: { ...FAST_HISTORIES, when: () => ++fastReads === 6 } },
				{ fault: { delayMs: HELD_MS }, count: 12, match: FAST_HISTORIES },
			],
			owns: [FAST_HISTORIES],
			check: (run: CaseRun<FastEmulator>) => [
				...pairedInOrder(run.outputs[0] ?? [], 12),
				...inInputOrder(run.outputs[0] ?? [], (json) => json.documentId, FAST_IDS),
				...count(run.requests, 13),
				...inFlightWithin(run.requests, 4),
				...firstAlone(run.requests),
				...pausedTogether(run.requests, 4),
			],
		},
	],
};
