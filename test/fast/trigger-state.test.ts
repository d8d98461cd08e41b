/** The trigger's pure logic: cursors, due selection, ordering, remaining-list deliveries, options, the pool. */
import type { IDataObject } from 'n8n-workflow';

import type { HistoryEntry } from '../../nodes/FastParapheur/helpers/history';
import { DEFAULT_MAX_PER_POLL, readDocumentWatch } from '../../nodes/FastParapheur/v1/trigger/documents';
import { readGraceSeconds } from '../../nodes/FastParapheur/v1/trigger/lists';
import type { DocumentCursor, WatchSettings } from '../../nodes/FastParapheur/trigger/state';
import {
	CLOCK_SLACK_SECONDS,
	FINAL,
	GONE,
	advanceCursor,
	compareIds,
	failedCursor,
	goneCursor,
	isDue,
	matchesStates,
	orderOldestFirst,
	readDelivered,
	readDocumentCursors,
	selectDeliveries,
	selectDue,
	waitAfter,
	writeDelivered,
	writeDocumentCursors,
} from '../../nodes/FastParapheur/trigger/state';
import { settleWithConcurrency } from '../../nodes/shared/pool';
import { InputError } from '../../nodes/shared/validation';

const entry = (stateName: string | null, date: string | null = '2026-01-01T00:00:00Z'): HistoryEntry => ({ stateName, date, userFullname: 'x' });
const settings = (overrides: Partial<WatchSettings> = {}): WatchSettings => ({ intervalSeconds: 1800, stopWhenFinal: true, maxPerPoll: 100, ...overrides });

describe('static data', () => {
	test('cursors are read back leniently: unreadable records and other versions are dropped', () => {
		const stored: IDataObject = {
			v: 1,
			documents: {
				'1': { n: 3, t: 100 },
				'2': { n: 5, t: 200, f: 1, e: 0 },
				'3': { t: 300, e: 2 },
				'4': { n: 1, t: 'soon' },
				'5': null,
				'6': { n: -1, t: 400, f: 7 },
			},
		};
		expect(readDocumentCursors(stored)).toEqual({
			'1': { n: 3, t: 100 },
			'2': { n: 5, t: 200, f: FINAL },
			'3': { t: 300, e: 2 },
			'6': { t: 400 },
		});
		expect(readDocumentCursors({ v: 2, documents: { '1': { n: 1, t: 1 } } })).toEqual({});
		expect(readDocumentCursors({})).toEqual({});
		expect(readDocumentCursors({ v: 1, documents: [] })).toEqual({});
	});

	test('writing keeps only the watched documents and replaces whatever else was there', () => {
		const staticData: IDataObject = { v: 1, list: 'acknowledgement:213501232', delivered: { '9': 1 } };
		writeDocumentCursors(staticData, { '1': { n: 1, t: 10 }, '2': { n: 2, t: 20 } }, ['2', '3']);
		expect(staticData).toEqual({ v: 1, documents: { '2': { n: 2, t: 20 } } });
	});

	test('a watched document costs well under 200 bytes of static data', () => {
		const staticData: IDataObject = {};
		const cursors: Record<string, DocumentCursor> = {};
		const ids = Array.from({ length: 1000 }, (_, i) => String(3_200_739_000 + i));
		for (const id of ids) cursors[id] = { n: 12, t: 1_772_445_600, f: FINAL, e: 3 };
		writeDocumentCursors(staticData, cursors, ids);
		expect(JSON.stringify(staticData).length / ids.length).toBeLessThan(60);
	});

	test('delivered ids belong to one list: another SIREN or kind starts afresh', () => {
		const staticData: IDataObject = {};
		writeDelivered(staticData, 'acknowledgement:213501232', { '5': 100 });
		expect(readDelivered(staticData, 'acknowledgement:213501232')).toEqual({ '5': 100 });
		expect(readDelivered(staticData, 'chorus:213501232')).toEqual({});
		expect(readDelivered({ v: 1, list: 'x', delivered: { a: 'no' } }, 'x')).toEqual({});
	});
});

describe('which documents are read', () => {
	test('a document is due once its interval has passed (a few seconds of clock slack)', () => {
		const cursor: DocumentCursor = { n: 1, t: 1000 };
		expect(isDue(undefined, 0, settings())).toBe(true);
		expect(isDue(cursor, 1000 + 1800 - CLOCK_SLACK_SECONDS - 1, settings())).toBe(false);
		expect(isDue(cursor, 1000 + 1800 - CLOCK_SLACK_SECONDS, settings())).toBe(true);
		expect(isDue(cursor, 1001, settings({ intervalSeconds: 0 }))).toBe(true);
	});

	test('final documents wait only when asked to; deleted ones are never read again', () => {
		expect(isDue({ n: 3, t: 0, f: FINAL }, 1e9, settings())).toBe(false);
		expect(isDue({ n: 3, t: 0, f: FINAL }, 1e9, settings({ stopWhenFinal: false }))).toBe(true);
		expect(isDue({ n: 3, t: 0, f: GONE }, 1e9, settings({ stopWhenFinal: false }))).toBe(false);
	});

	test('a failed document is tried again after 1, 2, 4... minutes, never later than its interval', () => {
		expect(waitAfter({ t: 0 }, 1800)).toBe(1800);
		expect(waitAfter({ t: 0, e: 1 }, 1800)).toBe(60);
		expect(waitAfter({ t: 0, e: 3 }, 1800)).toBe(240);
		expect(waitAfter({ t: 0, e: 30 }, 1800)).toBe(1800);
		expect(waitAfter({ t: 0, e: 1 }, 0)).toBe(0);
	});

	test('never-read documents first, then the longest unread, at most maxPerPoll', () => {
		const cursors: Record<string, DocumentCursor> = {
			a: { n: 1, t: 500 },
			b: { n: 1, t: 100 },
			c: { n: 1, t: 2900 },
			e: { n: 1, t: 300, f: FINAL },
		};
		const watched = ['a', 'b', 'c', 'd', 'e', 'f'];
		expect(selectDue(watched, cursors, 3000, settings({ maxPerPoll: 100 }))).toEqual(['d', 'f', 'b', 'a']);
		expect(selectDue(watched, cursors, 3000, settings({ maxPerPoll: 3 }))).toEqual(['d', 'f', 'b']);
		expect(selectDue(watched, cursors, 3000, settings({ maxPerPoll: 0 }))).toEqual(['d']);
	});
});

describe('what a read emits', () => {
	const history = [entry('Préparé'), entry('Envoyé pour signature'), entry('Signé'), entry(null), entry('Classé')];

	test('the first read emits the whole history, the current state only, or nothing', () => {
		expect(advanceCursor(undefined, history.slice(0, 3), 10, 'all').fresh).toEqual([0, 1, 2]);
		expect(advanceCursor(undefined, history.slice(0, 3), 10, 'latest').fresh).toEqual([2]);
		// The step boundary after Signé follows the latest meaningful entry.
		expect(advanceCursor(undefined, history.slice(0, 4), 10, 'latest').fresh).toEqual([2, 3]);
		expect(advanceCursor(undefined, history, 10, 'none').fresh).toEqual([]);
		expect(advanceCursor(undefined, [], 10, 'latest')).toEqual({ fresh: [], cursor: { n: 0, t: 10 } });
	});

	test('later reads emit what appeared since, and remember whether the document is final', () => {
		expect(advanceCursor({ n: 1, t: 0 }, history.slice(0, 2), 10, 'none')).toEqual({ fresh: [1], cursor: { n: 2, t: 10 } });
		expect(advanceCursor({ n: 2, t: 0 }, history, 10, 'all')).toEqual({ fresh: [2, 3, 4], cursor: { n: 5, t: 10, f: FINAL } });
		expect(advanceCursor({ n: 5, t: 0 }, history, 20, 'all')).toEqual({ fresh: [], cursor: { n: 5, t: 20, f: FINAL } });
	});

	test('a history shorter than what was seen emits nothing and the cursor follows it', () => {
		expect(advanceCursor({ n: 7, t: 0 }, history, 10, 'all')).toEqual({ fresh: [], cursor: { n: 5, t: 10, f: FINAL } });
	});

	test('a failed read keeps the position and counts; a deleted document is marked gone', () => {
		expect(failedCursor({ n: 4, t: 0, f: FINAL }, 50)).toEqual({ n: 4, t: 50, e: 1, f: FINAL });
		expect(failedCursor({ n: 4, t: 0, e: 2 }, 50)).toEqual({ n: 4, t: 50, e: 3 });
		expect(failedCursor(undefined, 50)).toEqual({ t: 50, e: 1 });
		expect(goneCursor({ n: 4, t: 0, e: 1 }, 60)).toEqual({ n: 4, t: 60, f: GONE });
	});

	test('the States filter', () => {
		expect(matchesStates('signed', [])).toBe(true);
		expect(matchesStates('signed', ['signed', 'refused'])).toBe(true);
		expect(matchesStates('prepared', ['signed'])).toBe(false);
	});

	test('events of several documents come oldest first, each document keeping its own order', () => {
		const a = [
			{ date: '2026-01-01T10:00:00Z', value: 'a1' },
			{ date: null, value: 'a2' },
			{ date: '2026-01-01T12:00:00Z', value: 'a3' },
		];
		const b = [
			{ date: '2026-01-01T11:00:00Z', value: 'b1' },
			// Out of order in FAST's own data: it stays after b1.
			{ date: '2026-01-01T09:00:00Z', value: 'b2' },
		];
		const c = [{ date: 'not a date', value: 'c1' }];
		expect(orderOldestFirst([a, b, c])).toEqual(['c1', 'a1', 'a2', 'b1', 'b2', 'a3']);
	});
});

describe('remaining lists', () => {
	test('new ids are delivered once, oldest first; ids still listed after the grace period again, marked', () => {
		const first = selectDeliveries(['320073910', '99', '320073902'], {}, 1000, 86400);
		expect(first.deliveries).toEqual([
			{ id: '99', redelivery: false },
			{ id: '320073902', redelivery: false },
			{ id: '320073910', redelivery: false },
		]);
		const delivered = { '99': 1000, '320073902': 1000, '320073910': 1000 };
		expect(selectDeliveries(['99', '320073902'], delivered, 2000, 86400)).toEqual({ deliveries: [], kept: { '99': 1000, '320073902': 1000 } });
		expect(selectDeliveries(['99', '5'], delivered, 1000 + 86400, 86400).deliveries).toEqual([
			{ id: '5', redelivery: false },
			{ id: '99', redelivery: true },
		]);
		expect(selectDeliveries(['99'], delivered, 1e9, 0).deliveries).toEqual([]);
	});

	test('ids compare as numbers', () => {
		expect(['10', '9', '320073902', '100'].sort(compareIds)).toEqual(['9', '10', '100', '320073902']);
	});

	test('the redelivery option', () => {
		expect(readGraceSeconds(undefined)).toBe(86400);
		expect(readGraceSeconds(0)).toBe(0);
		expect(readGraceSeconds(1.5)).toBe(5400);
		expect(() => readGraceSeconds(-1)).toThrow(InputError);
	});
});

describe('the trigger parameters', () => {
	test('ids separated by commas, spaces or new lines, or given as a list; defaults as FAST asks', () => {
		const watch = readDocumentWatch({ documentIds: '320073900, 320073901\n320073902 320073900', options: {} });
		expect(watch.ids).toEqual(['320073900', '320073901', '320073902']);
		expect(watch.settings).toEqual({ intervalSeconds: 1800, stopWhenFinal: true, maxPerPoll: DEFAULT_MAX_PER_POLL });
		expect(watch.firstRead).toBe('all');
		expect(watch.includeRefusalMessage).toBe(true);
		expect(readDocumentWatch({ documentIds: [320073900, '320073901'] }).ids).toEqual(['320073900', '320073901']);
	});

	test('options', () => {
		const watch = readDocumentWatch({
			documentIds: '1',
			states: ['signed', 'refused'],
			options: { minIntervalMinutes: 0.5, stopWatchingFinal: false, maxDocumentsPerPoll: 7, existingEntries: 'none', includeRefusalMessage: false },
		});
		expect(watch).toEqual({
			ids: ['1'],
			states: ['signed', 'refused'],
			settings: { intervalSeconds: 30, stopWhenFinal: false, maxPerPoll: 7 },
			firstRead: 'none',
			includeRefusalMessage: false,
			rule: 'signed',
		});
	});

	test('bad input names the field', () => {
		expect(() => readDocumentWatch({ documentIds: '' })).toThrow("'Document IDs' is empty");
		expect(() => readDocumentWatch({ documentIds: '320073900, abc' })).toThrow("'Document IDs' must be a positive whole number");
		expect(() => readDocumentWatch({ documentIds: '1', options: { maxDocumentsPerPoll: 0 } })).toThrow("'Max Documents per Poll'");
		expect(() => readDocumentWatch({ documentIds: '1', options: { minIntervalMinutes: -5 } })).toThrow("'Minimum Interval per Document (Minutes)'");
	});
});

describe('the pool', () => {
	test('runs at most `concurrency` tasks at once and returns results in input order', async () => {
		let running = 0;
		let most = 0;
		const results = await settleWithConcurrency(
			Array.from({ length: 40 }, (_, i) => i),
			async (n) => {
				running++;
				most = Math.max(most, running);
				await new Promise((resolve) => setTimeout(resolve, 2 + (n % 3)));
				running--;
				if (n % 10 === 3) throw new Error(`no ${n}`);
				return n * 2;
			},
			{ concurrency: 6 },
		);
		expect(most).toBe(6);
		expect(results[0]).toEqual({ ok: true, value: 0 });
		expect(results[3]).toEqual({ ok: false, error: new Error('no 3') });
		expect(results[39]).toEqual({ ok: true, value: 78 });
	});

	test('stops starting tasks when asked, the rest reported as skipped', async () => {
		const started: number[] = [];
		const results = await settleWithConcurrency(
			Array.from({ length: 20 }, (_, i) => i),
			async (n) => {
				started.push(n);
				throw new Error('down');
			},
			{ concurrency: 4, keepGoing: ({ succeeded, failed }) => succeeded > 0 || failed < 4 },
		);
		expect(started.length).toBeLessThanOrEqual(8);
		expect(results.filter((result) => 'skipped' in result).length).toBe(20 - started.length);
	});

	test('an empty input runs nothing', async () => {
		expect(await settleWithConcurrency([], async () => 1, { concurrency: 8 })).toEqual([]);
	});
});
