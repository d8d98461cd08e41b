/**
 * What the FAST Parapheur Trigger remembers between polls, and the decisions made from it. Pure
 * functions: the poll reads the clock once and hands it in, in seconds.
 *
 * Everything lives in the node's workflow static data, which n8n saves with the workflow (and
 * only after a poll that emits, so a change made by a poll that emits nothing may be lost on a
 * restart: nothing here depends on such a change being kept). The shape stays small — a few
 * numbers per watched document, never a copy of a history:
 *
 *   document events:  { v: 1, documents: { "<id>": { n, t, f?, e? } } }
 *   list events:      { v: 1, list: "<kind>:<siren>", delivered: { "<id>": <delivered at> } }
 *
 * A cursor moves only for what was emitted: a failed read leaves `n` where it was, so the
 * entries it would have given are emitted by a later poll.
 *
 * `v` is the version of this shape, shared by every version of the trigger node (they read the
 * same static data). A state saved in an older shape is migrated, one step per version, never
 * dropped: dropping it would read every watched history from the start again and emit entries
 * already emitted. A state from a newer version of the package is neither read nor overwritten.
 */
import type { IDataObject } from 'n8n-workflow';

import { InputError } from '../../shared/validation';
import type { HistoryEntry } from '../helpers/history';
import type { FinalRule, NormalisedState, StateOutcome } from '../helpers/states';
import { historyOutcome, isFinalState, isSettlingState, lastMeaningfulEntry, normaliseState, SETTLING_DAYS } from '../helpers/states';

/**
 * Every version of the stored shape, oldest first. To change the shape: add the next number
 * here, make it STATE_VERSION, and add the step from the previous one to STATE_MIGRATIONS (the
 * build fails until that step exists).
 */
type StateVersion = 1;

export const STATE_VERSION = 1 satisfies StateVersion;

/** One step: a stored state of version `n` (a copy the step may change) → the same state in version `n + 1`. */
export type StateMigration = (state: IDataObject) => IDataObject;

/** The step from each older version to the next. Version 1 is the first: nothing to migrate yet. */
export const STATE_MIGRATIONS: { readonly [V in Exclude<StateVersion, typeof STATE_VERSION>]: StateMigration } = {};

/** What a reader expects: the current version, and how to get there from older ones. */
export interface StateFormat {
	version: number;
	migrations: Readonly<Record<number, StateMigration>>;
}

export const STATE_FORMAT: StateFormat = { version: STATE_VERSION, migrations: STATE_MIGRATIONS };

function storedVersion(staticData: IDataObject): number | undefined {
	const { v } = staticData;
	return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : undefined;
}

/**
 * The stored state in the current version: as it is, or migrated step by step (the static data
 * itself is left as it is; the next write saves the current shape). Undefined when there is no
 * state of a known version: nothing stored yet, or a newer version (see `checkStateVersion`).
 */
export function currentState(staticData: IDataObject, format: StateFormat = STATE_FORMAT): IDataObject | undefined {
	let version = storedVersion(staticData);
	if (version === undefined || version > format.version) return undefined;
	let state = staticData;
	while (version < format.version) {
		const step = format.migrations[version];
		if (!step) return undefined;
		version += 1;
		state = { ...step(structuredClone(state)), v: version };
	}
	return state;
}

/**
 * Refuses a state written by a newer version of the package (after a downgrade): reading it as
 * empty would emit every history again, and writing over it would lose it for the newer version.
 */
export function checkStateVersion(staticData: IDataObject, format: StateFormat = STATE_FORMAT): void {
	const version = storedVersion(staticData);
	if (version === undefined || version <= format.version) return;
	throw new InputError(
		`The trigger's saved state is of version ${version}, written by a newer n8n-nodes-parapheur; this one reads up to version ${format.version}`,
		'Install the newer n8n-nodes-parapheur again: the state was left as it is, so it goes on from where it was. (A new trigger node starts afresh, with its documents read from the start.)',
	);
}

/**
 * A poll starts on the minute, but the clock of one poll and the next can disagree by a little
 * (timer drift, a slow start): a document read at 10:00:00.4 must be due again at 10:30:00.1.
 */
export const CLOCK_SLACK_SECONDS = 5;

/** A document whose read failed is tried again after 1, 2, 4... minutes, never later than its interval. */
export const RETRY_BASE_SECONDS = 60;

export const FINAL = 1;
export const GONE = 2;
/** The last state read is `Signé` or `Signature validée`: read on until final, or SETTLING_DAYS without a change. */
export const SETTLING = 3;

/** What the trigger remembers of one watched document. */
export interface DocumentCursor {
	/** History entries already handled (emitted, filtered out, or passed over on the first read). Absent until a read succeeded. */
	n?: number;
	/** Last read attempt, epoch seconds. */
	t: number;
	/**
	 * FINAL (1): the last state read was final. GONE (2): the document no longer exists; its
	 * `deleted` event was emitted. SETTLING (3): signed, the checker's verdict or Classé to come.
	 */
	f?: typeof FINAL | typeof GONE | typeof SETTLING;
	/** SETTLING only: since when (epoch seconds) the history has not changed. */
	q?: number;
	/** Consecutive failed reads (absent when the last read succeeded). */
	e?: number;
	/** Register watching only: the last state name read, its date and the history's outcome, for the register's columns. */
	s?: string;
	d?: string;
	o?: StateOutcome;
}

export type DocumentCursors = Record<string, DocumentCursor>;

/** What to emit for the entries a document already has when the trigger reads it the first time. */
export type FirstReadPolicy = 'all' | 'latest' | 'none';

export interface WatchSettings {
	/** Minimum seconds between two reads of one document's history. */
	intervalSeconds: number;
	/** Stop reading a document once its last state is final. */
	stopWhenFinal: boolean;
	/** Documents read at most per poll (at least 1). */
	maxPerPoll: number;
}

function isCount(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/**
 * The document cursors kept in the static data, migrated from an older version if need be; an
 * unreadable record is dropped (that document is then read afresh).
 */
export function readDocumentCursors(staticData: IDataObject, format: StateFormat = STATE_FORMAT): DocumentCursors {
	const cursors: DocumentCursors = {};
	const state = currentState(staticData, format);
	if (!state) return cursors;
	const stored = state.documents;
	if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return cursors;
	for (const [id, raw] of Object.entries(stored as IDataObject)) {
		const value = raw as IDataObject | null;
		if (!value || typeof value !== 'object' || !isCount(value.t)) continue;
		const cursor: DocumentCursor = { t: value.t };
		if (isCount(value.n)) cursor.n = value.n;
		if (value.f === FINAL || value.f === GONE || value.f === SETTLING) cursor.f = value.f;
		if (cursor.f === SETTLING) cursor.q = isCount(value.q) ? value.q : cursor.t;
		if (isCount(value.e) && value.e > 0) cursor.e = value.e;
		if (typeof value.s === 'string') cursor.s = value.s;
		if (typeof value.d === 'string') cursor.d = value.d;
		if (value.o === 'success' || value.o === 'rejected' || value.o === 'error' || value.o === 'inProgress') cursor.o = value.o;
		cursors[id] = cursor;
	}
	return cursors;
}

/** Replaces the static data with the document cursors of the ids still watched. */
export function writeDocumentCursors(staticData: IDataObject, cursors: DocumentCursors, watched: readonly string[]): void {
	const documents: Record<string, DocumentCursor> = {};
	for (const id of watched) if (cursors[id]) documents[id] = cursors[id];
	for (const key of Object.keys(staticData)) delete staticData[key];
	staticData.v = STATE_VERSION;
	staticData.documents = documents as unknown as IDataObject;
}

/** Seconds to wait after the last read of a document before reading it again. */
export function waitAfter(cursor: DocumentCursor, intervalSeconds: number): number {
	if (!cursor.e) return intervalSeconds;
	return Math.min(intervalSeconds, RETRY_BASE_SECONDS * 2 ** Math.min(cursor.e - 1, 20));
}

/** A signed document that has not changed for SETTLING_DAYS: nothing more is expected of it. */
export function isSettled(cursor: DocumentCursor, now: number): boolean {
	return cursor.f === SETTLING && now - (cursor.q ?? cursor.t) >= SETTLING_DAYS * 86_400;
}

export function isDue(cursor: DocumentCursor | undefined, now: number, settings: WatchSettings): boolean {
	if (!cursor) return true;
	if (cursor.f === GONE) return false;
	if (cursor.f === FINAL && settings.stopWhenFinal) return false;
	if (isSettled(cursor, now) && settings.stopWhenFinal) return false;
	return now - cursor.t >= waitAfter(cursor, settings.intervalSeconds) - CLOCK_SLACK_SECONDS;
}

/**
 * The documents to read in this poll: those due, the longest unread first (never read before
 * anything else), at most `maxPerPoll`. The others wait for a later poll, so a long list is
 * spread over polls instead of being read all at once.
 */
export function selectDue(watched: readonly string[], cursors: DocumentCursors, now: number, settings: WatchSettings): string[] {
	const due = watched
		.map((id, order) => ({ id, order, cursor: cursors[id] }))
		.filter(({ cursor }) => isDue(cursor, now, settings));
	due.sort((a, b) => (a.cursor?.t ?? -1) - (b.cursor?.t ?? -1) || a.order - b.order);
	return due.slice(0, Math.max(1, Math.floor(settings.maxPerPoll))).map(({ id }) => id);
}

/** The index of the first entry to emit when a document is read for the first time. */
export function firstReadStart(history: readonly HistoryEntry[], policy: FirstReadPolicy): number {
	if (policy === 'all') return 0;
	if (policy === 'none') return history.length;
	const last = lastMeaningfulEntry(history);
	return last ? history.lastIndexOf(last) : history.length;
}

export function isFinalHistory(history: readonly HistoryEntry[], rule: FinalRule = 'classified'): boolean {
	const last = lastMeaningfulEntry(history);
	return last ? isFinalState(normaliseState(last.stateName), rule) : false;
}

function isSettlingHistory(history: readonly HistoryEntry[], rule: FinalRule): boolean {
	const last = lastMeaningfulEntry(history);
	return last ? isSettlingState(normaliseState(last.stateName), rule) : false;
}

/**
 * After a successful read: the indexes of the entries that appeared since the last one (oldest
 * first) and the cursor to keep once they are emitted. FAST only appends to a history; should
 * one ever be shorter than what was seen, nothing is emitted and the cursor follows it.
 */
export function advanceCursor(
	cursor: DocumentCursor | undefined,
	history: readonly HistoryEntry[],
	now: number,
	policy: FirstReadPolicy,
	options: { display?: boolean; rule?: FinalRule } = {},
): { fresh: number[]; cursor: DocumentCursor } {
	const start = Math.min(cursor?.n ?? firstReadStart(history, policy), history.length);
	const fresh: number[] = [];
	for (let index = start; index < history.length; index++) fresh.push(index);
	const next: DocumentCursor = { n: history.length, t: now };
	const rule = options.rule ?? 'classified';
	if (isFinalHistory(history, rule)) next.f = FINAL;
	else if (isSettlingHistory(history, rule)) {
		next.f = SETTLING;
		next.q = cursor?.f === SETTLING && cursor.n === history.length ? (cursor.q ?? cursor.t) : now;
	}
	if (options.display) {
		const last = lastMeaningfulEntry(history);
		if (last?.stateName) next.s = last.stateName;
		if (last?.date) next.d = last.date;
		next.o = historyOutcome(history, rule);
	}
	return { fresh, cursor: next };
}

/** After a failed read: the same position, the attempt counted (see `waitAfter`). */
export function failedCursor(cursor: DocumentCursor | undefined, now: number): DocumentCursor {
	const next: DocumentCursor = { ...cursor, t: now, e: Math.min((cursor?.e ?? 0) + 1, 1000) };
	if (next.f === GONE) delete next.f;
	if (next.f === SETTLING) next.q = cursor?.q ?? cursor?.t ?? now;
	return next;
}

/** After the document was found gone (and its `deleted` event emitted): never read again. */
export function goneCursor(cursor: DocumentCursor | undefined, now: number): DocumentCursor {
	return { n: cursor?.n ?? 0, t: now, f: GONE };
}

/** Whether an entry passes the States filter (an empty filter lets everything through). */
export function matchesStates(state: NormalisedState, wanted: readonly string[]): boolean {
	return wanted.length === 0 || wanted.includes(state);
}

/**
 * Orders events from several documents oldest first while keeping each document's own order:
 * an entry's sort key is the latest date seen so far in its document (a missing or unreadable
 * date takes its predecessor's), and the sort is stable.
 */
export function orderOldestFirst<T>(groups: ReadonlyArray<ReadonlyArray<{ date?: string | null; value: T }>>): T[] {
	const keyed: Array<{ key: number; group: number; position: number; value: T }> = [];
	groups.forEach((group, groupIndex) => {
		let key = Number.NEGATIVE_INFINITY;
		group.forEach((event, position) => {
			const parsed = event.date ? Date.parse(event.date) : Number.NaN;
			if (!Number.isNaN(parsed) && parsed > key) key = parsed;
			keyed.push({ key, group: groupIndex, position, value: event.value });
		});
	});
	keyed.sort((a, b) => a.key - b.key || a.group - b.group || a.position - b.position);
	return keyed.map(({ value }) => value);
}

/* ─── Remaining lists ─────────────────────────────────────────────────────────────────────── */

/** Ids delivered, with when, for one list (`<kind>:<siren>`); empty when the static data is for another list. */
export function readDelivered(staticData: IDataObject, list: string, format: StateFormat = STATE_FORMAT): Record<string, number> {
	const delivered: Record<string, number> = {};
	const state = currentState(staticData, format);
	if (!state || state.list !== list) return delivered;
	const stored = state.delivered;
	if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return delivered;
	for (const [id, at] of Object.entries(stored as IDataObject)) if (isCount(at)) delivered[id] = at;
	return delivered;
}

export function writeDelivered(staticData: IDataObject, list: string, delivered: Record<string, number>): void {
	for (const key of Object.keys(staticData)) delete staticData[key];
	staticData.v = STATE_VERSION;
	staticData.list = list;
	staticData.delivered = delivered;
}

/** Numeric ids ascending (FAST hands them out in order: the oldest first). */
export function compareIds(a: string, b: string): number {
	return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

export interface Delivery {
	id: string;
	redelivery: boolean;
}

/**
 * What to deliver from a remaining list: ids never delivered, and ids delivered at least
 * `graceSeconds` ago that are still listed (the workflow did not fetch them: a failed downstream
 * step must not lose a file). `graceSeconds` 0 turns redelivery off. `kept` is the delivered
 * record without the ids that left the list (fetched, so done with).
 */
export function selectDeliveries(
	listed: readonly string[],
	delivered: Record<string, number>,
	now: number,
	graceSeconds: number,
): { deliveries: Delivery[]; kept: Record<string, number> } {
	const kept: Record<string, number> = {};
	const deliveries: Delivery[] = [];
	for (const id of [...new Set(listed)].sort(compareIds)) {
		const at = delivered[id];
		if (at === undefined) {
			deliveries.push({ id, redelivery: false });
			continue;
		}
		kept[id] = at;
		if (graceSeconds > 0 && now - at >= graceSeconds - CLOCK_SLACK_SECONDS) deliveries.push({ id, redelivery: true });
	}
	return { deliveries, kept };
}
