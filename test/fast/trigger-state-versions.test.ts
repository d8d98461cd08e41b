/**
 * The trigger's stored state across versions of its shape (nodes/FastParapheur/trigger/state.ts):
 * an older state is migrated step by step and goes on from where it was (nothing emitted again),
 * a newer one is refused and left as it is. Version 1 is the only shape so far, so the steps are
 * exercised with a made-up history of three versions handed to the readers.
 */
import type { IDataObject } from 'n8n-workflow';

import type { HistoryEntry } from '../../nodes/FastParapheur/helpers/history';
import type { FastClient } from '../../nodes/FastParapheur/transport';
import { pollDocumentStates, readDocumentWatch } from '../../nodes/FastParapheur/v1/trigger/documents';
import { pollRemainingList } from '../../nodes/FastParapheur/v1/trigger/lists';
import type { StateFormat } from '../../nodes/FastParapheur/trigger/state';
import {
	STATE_FORMAT,
	STATE_MIGRATIONS,
	STATE_VERSION,
	advanceCursor,
	checkStateVersion,
	currentState,
	readDelivered,
	readDocumentCursors,
	selectDeliveries,
	writeDocumentCursors,
} from '../../nodes/FastParapheur/trigger/state';
import { InputError } from '../../nodes/shared/validation';
import { SAMPLE_SIREN } from '../emulators/fast/sample';
import { runPoll } from '../harness';
import { useFast } from './fixture';

/**
 * A made-up history: version 1 kept `seen: { id: { count, readAtMs } }` and a list as an array
 * of ids with one time; version 2 renamed it to today's `documents` in seconds; version 3 keyed
 * the delivered ids by their own time. The readers expect version 3.
 */
const THREE_VERSIONS: StateFormat = {
	version: 3,
	migrations: {
		1: (state) => {
			const documents: IDataObject = {};
			for (const [id, seen] of Object.entries((state.seen ?? {}) as Record<string, { count: number; readAtMs: number }>)) {
				documents[id] = { n: seen.count, t: Math.floor(seen.readAtMs / 1000) };
			}
			const { seen: _seen, ...rest } = state;
			return { ...rest, documents };
		},
		2: (state) => {
			if (!Array.isArray(state.delivered)) return state;
			const at = Number(state.deliveredAt);
			const { deliveredAt: _at, ...rest } = state;
			return { ...rest, delivered: Object.fromEntries((state.delivered as string[]).map((id) => [id, at])) };
		},
	},
};

const history = (count: number): HistoryEntry[] =>
	Array.from({ length: count }, (_, index) => ({ stateName: index === 0 ? 'Préparé' : 'Visa', date: `2026-01-0${index + 1}T09:00:00Z`, userFullname: 'x' }));

describe('the shapes this version knows', () => {
	test('every older version has its step to the next (the build checks it too)', () => {
		for (let version = 1; version < STATE_VERSION; version++) {
			expect(typeof (STATE_MIGRATIONS as Record<number, unknown>)[version]).toBe('function');
		}
		expect(STATE_FORMAT).toEqual({ version: STATE_VERSION, migrations: STATE_MIGRATIONS });
	});

	test('a state of the current version is read as it is; no state, or no version, is none', () => {
		const stored: IDataObject = { v: STATE_VERSION, documents: { '7': { n: 2, t: 100 } } };
		expect(currentState(stored)).toBe(stored);
		expect(currentState({})).toBeUndefined();
		expect(currentState({ documents: {} })).toBeUndefined();
		expect(currentState({ v: '1', documents: {} })).toBeUndefined();
	});
});

describe('an older state', () => {
	const v1: IDataObject = { v: 1, seen: { '320073963': { count: 3, readAtMs: 1_772_445_600_000 }, '320073964': { count: 1, readAtMs: 1_772_445_000_000 } } };

	test('is migrated one step at a time up to the current version, the stored one left as it is', () => {
		const before = structuredClone(v1);
		expect(currentState(v1, THREE_VERSIONS)).toEqual({
			v: 3,
			documents: { '320073963': { n: 3, t: 1_772_445_600 }, '320073964': { n: 1, t: 1_772_445_000 } },
		});
		expect(v1).toEqual(before);
		expect(currentState({ v: 2, documents: { '1': { n: 1, t: 1 } } }, THREE_VERSIONS)).toEqual({ v: 3, documents: { '1': { n: 1, t: 1 } } });
	});

	test('keeps its cursors: the entries already emitted are not emitted again', () => {
		const cursors = readDocumentCursors(v1, THREE_VERSIONS);
		expect(cursors['320073963']).toEqual({ n: 3, t: 1_772_445_600 });
		// Five entries now, three handled before the upgrade: only the two new ones come out.
		expect(advanceCursor(cursors['320073963'], history(5), 1_772_447_400, 'all').fresh).toEqual([3, 4]);
		// What dropping the state would have done: the whole history again.
		expect(advanceCursor(undefined, history(5), 1_772_447_400, 'all').fresh).toEqual([0, 1, 2, 3, 4]);
	});

	test('of a remaining list keeps what was delivered: nothing delivered twice', () => {
		const list = `pesRetour:${SAMPLE_SIREN}`;
		const v2: IDataObject = { v: 2, list, delivered: ['41', '42'], deliveredAt: 1_772_445_600 };
		const delivered = readDelivered(v2, list, THREE_VERSIONS);
		expect(delivered).toEqual({ '41': 1_772_445_600, '42': 1_772_445_600 });
		const { deliveries } = selectDeliveries(['41', '42', '43'], delivered, 1_772_445_900, 24 * 3600);
		expect(deliveries).toEqual([{ id: '43', redelivery: false }]);
	});

	test('is written back in the current shape at the next write', () => {
		const staticData = structuredClone(v1);
		writeDocumentCursors(staticData, readDocumentCursors(staticData, THREE_VERSIONS), ['320073963']);
		expect(staticData).toEqual({ v: STATE_VERSION, documents: { '320073963': { n: 3, t: 1_772_445_600 } } });
	});

	test('with a missing step is not read (the build stops that from happening)', () => {
		const gap: StateFormat = { version: 3, migrations: { 2: THREE_VERSIONS.migrations[2] } };
		expect(currentState(v1, gap)).toBeUndefined();
	});
});

describe('a newer state (the package was downgraded)', () => {
	test('is not read, and the poll is refused with what to do', () => {
		const newer: IDataObject = { v: STATE_VERSION + 1, documents: { '1': { n: 4, t: 1 } } };
		expect(currentState(newer)).toBeUndefined();
		expect(() => checkStateVersion(newer)).toThrow(InputError);
		expect(() => checkStateVersion(newer)).toThrow(
			`The trigger's saved state is of version ${STATE_VERSION + 1}, written by a newer n8n-nodes-parapheur; this one reads up to version ${STATE_VERSION}`,
		);
		expect(() => checkStateVersion({ v: STATE_VERSION, documents: {} })).not.toThrow();
		expect(() => checkStateVersion({})).not.toThrow();
	});

	describe('through a real poll', () => {
		const fast = useFast();

		test.each([
			['documentStateChanged', { event: 'documentStateChanged', documentIds: '320073963' }],
			['newPesRetour', { event: 'newPesRetour' }],
		])('%s: the poll fails with that message and nothing is asked of FAST', async (_event, parameters) => {
			const staticData: IDataObject = { v: STATE_VERSION + 1, documents: { '320073963': { n: 4, t: 1 } } };
			await expect(runPoll({ type: 'fastParapheurTrigger', parameters, credentials: fast.credentials(), staticData })).rejects.toThrow(
				/^The trigger's saved state is of version 2, written by a newer n8n-nodes-parapheur/,
			);
			expect(fast.emulator.server.requests('GET', /./)).toHaveLength(0);
		});
	});

	test('both polls leave the static data exactly as it was', async () => {
		const node = { id: 'n', name: 'FAST Parapheur Trigger', type: 'fastParapheurTrigger', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
		const unusedClient = {} as FastClient;
		const newer = (): IDataObject => ({ v: STATE_VERSION + 1, documents: { '1': { n: 4, t: 1 } }, somethingNew: [1, 2] });

		const documents = newer();
		const watch = readDocumentWatch({ documentIds: '1' });
		await expect(pollDocumentStates(node, unusedClient, documents, watch, Date.now())).rejects.toThrow(InputError);
		expect(documents).toEqual(newer());

		const list = newer();
		const listWatch = { kind: 'pesRetour' as const, siren: SAMPLE_SIREN, download: false, binaryPropertyName: 'data', graceSeconds: 0 };
		await expect(pollRemainingList(node, {} as never, unusedClient, list, listWatch, Date.now())).rejects.toThrow(InputError);
		expect(list).toEqual(newer());
	});
});
