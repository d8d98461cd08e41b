/**
 * The `documentStateChanged` event: reads the history of the watched documents that are due and
 * emits one item per entry that appeared since the last read, oldest first.
 *
 * FAST has no webhooks, and asks clients to leave 30 minutes between two history reads of one
 * document (field notes, "Polling etiquette"): each document is read at most once per interval,
 * at most `maxPerPoll` per poll (the longest unread first), a few at a time.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { apiError } from '../../../shared/errors';
import { settleWithConcurrency } from '../../../shared/pool';
import { checkNumericId, InputError, splitList } from '../../../shared/validation';
import { fetchRefusalMessage } from '../actions/document/files';
import { fetchHistoryIfExists } from '../actions/document/history';
import type { HistoryEntry } from '../../helpers/history';
import type { FinalRule, NormalisedState } from '../../helpers/states';
import { historyOutcome, isFinalState, lastMeaningfulEntry, normaliseState } from '../../helpers/states';
import type { FastClient } from '../../transport';
import type { DocumentCursor, DocumentCursors, FirstReadPolicy, WatchSettings } from '../../trigger/state';
import {
	FINAL,
	isSettled,
	advanceCursor,
	checkStateVersion,
	failedCursor,
	goneCursor,
	matchesStates,
	orderOldestFirst,
	readDocumentCursors,
	selectDue,
	writeDocumentCursors,
} from '../../trigger/state';

/** History reads in flight at once. */
export const HISTORY_READ_CONCURRENCY = 16;

export const DEFAULT_INTERVAL_MINUTES = 30;
export const DEFAULT_MAX_PER_POLL = 100;

/** States whose entry gets the refusal comment when asked. */
const REFUSAL_STATES: ReadonlySet<NormalisedState> = new Set<NormalisedState>(['refused', 'visaRefused', 'signatureRejected']);

export interface DocumentWatch {
	ids: string[];
	/** Normalised states to emit; empty: all. */
	states: string[];
	settings: WatchSettings;
	firstRead: FirstReadPolicy;
	includeRefusalMessage: boolean;
	/** Which states end a document: the node version's (helpers/states.ts). */
	rule: FinalRule;
}

/** A number option: its default when empty, an error naming the field below `min`. */
export function numberOption(value: unknown, fallback: number, field: string, min: number): number {
	if (value === undefined || value === null || value === '') return fallback;
	const number = Number(value);
	if (!Number.isFinite(number) || number < min) {
		throw new InputError(`'${field}' must be a number of at least ${min}, got ${JSON.stringify(value)}`);
	}
	return number;
}

/** The trigger's parameters, checked before any request; `rule` is the node version's (default: version 1's). */
export function readDocumentWatch(parameters: { documentIds: unknown; states?: unknown; options?: IDataObject }, rule: FinalRule = 'signed'): DocumentWatch {
	const ids = splitList(parameters.documentIds).map((id) => checkNumericId(id, 'Document IDs'));
	if (ids.length === 0) {
		throw new InputError(
			"'Document IDs' is empty: give the IDs of the documents to watch",
			'Separate the IDs with commas, spaces or new lines; an expression may give a list.',
		);
	}
	const options = parameters.options ?? {};
	const firstRead = (options.existingEntries ?? 'all') as FirstReadPolicy;
	if (!['all', 'latest', 'none'].includes(firstRead)) throw new InputError(`'Entries Already There' has an unknown value: ${JSON.stringify(firstRead)}`);
	return {
		ids,
		states: splitList(parameters.states),
		settings: {
			intervalSeconds: Math.round(numberOption(options.minIntervalMinutes, DEFAULT_INTERVAL_MINUTES, 'Minimum Interval per Document (Minutes)', 0) * 60),
			stopWhenFinal: options.stopWatchingFinal !== false,
			maxPerPoll: Math.floor(numberOption(options.maxDocumentsPerPoll, DEFAULT_MAX_PER_POLL, 'Max Documents per Poll', 1)),
		},
		firstRead,
		includeRefusalMessage: options.includeRefusalMessage !== false,
		rule,
	};
}

/** One history entry as the trigger emits it. */
export function entryItem(client: FastClient, documentId: string, history: readonly HistoryEntry[], index: number, rule: FinalRule): IDataObject {
	const entry = history[index];
	const state = normaliseState(entry.stateName);
	return {
		event: 'stateChanged',
		documentId,
		stateName: entry.stateName,
		state,
		isFinal: isFinalState(state, rule),
		// Classé after Refusé is still a refusal: the outcome looks at the history up to this entry.
		outcome: historyOutcome(history.slice(0, index + 1), rule),
		date: entry.date,
		userFullname: entry.userFullname,
		position: index + 1,
		link: client.documentLink(documentId),
	};
}

/**
 * The one event of a document left `Signé` (or `Signature validée`) for SETTLING_DAYS without a
 * change (version 2's rule): the trigger stops reading it and says so, as final and signed, so
 * that a workflow acting on final documents files it away. `stateName` is the last one read,
 * when the trigger kept it (the register's), else null.
 */
export function settledItem(client: FastClient, documentId: string, cursor: DocumentCursor, nowIso: string): IDataObject {
	return {
		event: 'settled',
		documentId,
		stateName: cursor.s ?? null,
		state: cursor.s ? normaliseState(cursor.s) : 'signed',
		isFinal: true,
		outcome: cursor.o ?? 'success',
		date: nowIso,
		userFullname: null,
		position: null,
		link: client.documentLink(documentId),
	};
}

/** Settles the watched documents whose SETTLING_DAYS are over: one `settled` event each, then final. */
export function settleDocuments(client: FastClient, cursors: DocumentCursors, ids: readonly string[], settings: WatchSettings, now: number): Events['events'] {
	if (!settings.stopWhenFinal) return [];
	const nowIso = new Date(now * 1000).toISOString();
	const events: Events['events'] = [];
	for (const id of ids) {
		const cursor = cursors[id];
		if (!cursor || !isSettled(cursor, now)) continue;
		events.push({ date: nowIso, value: settledItem(client, id, cursor, nowIso) });
		const next: DocumentCursor = { ...cursor, f: FINAL };
		delete next.q;
		cursors[id] = next;
	}
	return events;
}

/** The one event of a document FAST no longer knows. */
export function deletedItem(client: FastClient, documentId: string, date: string): IDataObject {
	return {
		event: 'deleted',
		documentId,
		stateName: null,
		state: 'deleted',
		isFinal: true,
		outcome: null,
		date,
		userFullname: null,
		position: null,
		link: client.documentLink(documentId),
	};
}

export interface Events {
	cursor: DocumentCursor;
	events: Array<{ date: string | null; value: IDataObject }>;
}

/** What reading a document needs to know (DocumentWatch, or the register's watch). */
export type ReadSettings = Pick<DocumentWatch, 'states' | 'firstRead' | 'includeRefusalMessage' | 'rule'> & { display?: boolean };

/** Reads one document and turns what is new into events; throws when the read fails (nothing then moves). */
async function readDocument(client: FastClient, id: string, cursor: DocumentCursor | undefined, watch: ReadSettings, now: number): Promise<Events> {
	const history = await fetchHistoryIfExists(client, id);
	const nowIso = new Date(now * 1000).toISOString();
	if (history === null) return { cursor: goneCursor(cursor, now), events: [{ date: nowIso, value: deletedItem(client, id, nowIso) }] };
	const { fresh, cursor: next } = advanceCursor(cursor, history, now, watch.firstRead, { display: watch.display, rule: watch.rule });
	const items = fresh
		.filter((index) => matchesStates(normaliseState(history[index].stateName), watch.states))
		.map((index) => ({ date: history[index].date, value: entryItem(client, id, history, index, watch.rule) }));
	const refusals = items.filter(({ value }) => REFUSAL_STATES.has(value.state as NormalisedState));
	if (watch.includeRefusalMessage && refusals.length > 0) {
		const message = await fetchRefusalMessage(client, id);
		for (const { value } of refusals) value.refusalMessage = message;
	}
	return { cursor: next, events: items };
}

/** The error of a poll in which no read succeeded: FAST's own, with what it means for the trigger. */
function nothingReadError(node: INode, failures: unknown[], due: number, attempted: number): Error {
	const first = failures[0] as Error & { description?: string | null; httpCode?: string | null };
	const stopped = attempted < due ? ` (stopped after ${attempted} failed reads)` : '';
	const what = due === 1 ? 'the FAST Parapheur document due' : `any of the ${due} FAST Parapheur documents due${stopped}`;
	return apiError(
		node,
		{
			message: `Could not read ${what}: ${first?.message ?? String(first)}`,
			description: [first?.description, 'Nothing was changed: the documents are read again at the next poll.'].filter(Boolean).join(' '),
		},
		{ httpCode: first?.httpCode ? Number(first.httpCode) : undefined },
	);
}

/** Stop starting new reads once the first wave has failed entirely: FAST is down, not one document. */
function keepGoing({ succeeded, failed }: { succeeded: number; failed: number }): boolean {
	return succeeded > 0 || failed < HISTORY_READ_CONCURRENCY;
}

/**
 * A poll's time: n8n 2.x's durable scheduler gives each poll a budget (`getPollBudgetMs`, about
 * 36 s by default) and abandons a poll at 45 s, losing what it read; reads stop at 60 % of the
 * budget, the documents not read are read by the next poll. n8n 1.x has no budget.
 */
export function readDeadline(startedMs: number, budgetMs: number | undefined): number | undefined {
	return budgetMs === undefined || !Number.isFinite(budgetMs) || budgetMs <= 0 ? undefined : startedMs + Math.floor(budgetMs * 0.6);
}

export interface ReadOutcome {
	/** Each due document: its new cursor and events when read, or the error of its read. Not listed: not read (time ran out). */
	read: Map<string, Events>;
	failed: Map<string, unknown>;
	/** Read, but given up at the deadline: FAST may have answered, so the read counts for its 30 minutes. */
	late: Set<string>;
}

/**
 * Reads the due documents, a few at a time, until the deadline. When every read fails the poll
 * throws and changes nothing.
 */
export async function readDueDocuments(
	node: INode,
	client: FastClient,
	due: readonly string[],
	cursors: DocumentCursors,
	watch: ReadSettings,
	now: number,
	deadlineMs?: number,
): Promise<ReadOutcome> {
	const results = await settleWithConcurrency(due, async (id) => await readDocument(client, id, cursors[id], watch, now), {
		concurrency: HISTORY_READ_CONCURRENCY,
		keepGoing,
		deadlineMs,
	});
	const outcome: ReadOutcome = { read: new Map(), failed: new Map(), late: new Set() };
	results.forEach((result, index) => {
		if (result.ok) outcome.read.set(due[index], result.value);
		else if ('error' in result) outcome.failed.set(due[index], result.error);
		else if ('late' in result) outcome.late.add(due[index]);
	});
	if (due.length > 0 && outcome.failed.size > 0 && outcome.read.size === 0) {
		throw nothingReadError(node, [...outcome.failed.values()], due.length, outcome.failed.size);
	}
	return outcome;
}

/** Moves the cursors of what was read (or failed), and returns the events oldest first. */
export function applyReads(cursors: DocumentCursors, outcome: ReadOutcome, now: number): Events['events'][] {
	const groups: Events['events'][] = [];
	for (const [id, events] of outcome.read) {
		cursors[id] = events.cursor;
		groups.push(events.events);
	}
	for (const id of outcome.failed.keys()) cursors[id] = failedCursor(cursors[id], now);
	// Given up at the deadline: the same position, but FAST got the request, so its 30 minutes start now.
	for (const id of outcome.late) cursors[id] = { ...cursors[id], t: now };
	return groups;
}

/**
 * One poll of an active workflow: reads the documents due, emits what is new (oldest first) and
 * moves the cursors of what was read. A failed read leaves its document's cursor where it was
 * (retried after a short wait); when every read fails the poll throws and changes nothing.
 */
export async function pollDocumentStates(
	node: INode,
	client: FastClient,
	staticData: IDataObject,
	watch: DocumentWatch,
	nowMs: number,
	deadlineMs?: number,
): Promise<IDataObject[]> {
	checkStateVersion(staticData);
	const now = Math.floor(nowMs / 1000);
	const cursors: DocumentCursors = readDocumentCursors(staticData);
	const settled = settleDocuments(client, cursors, watch.ids, watch.settings, now);
	const due = selectDue(watch.ids, cursors, now, watch.settings);
	const outcome = await readDueDocuments(node, client, due, cursors, watch, now, deadlineMs);
	const groups = [settled, ...applyReads(cursors, outcome, now)];
	writeDocumentCursors(staticData, cursors, watch.ids);
	return orderOldestFirst(groups);
}

/**
 * "Fetch test event": the current state of each watched document (up to `maxPerPoll`), read now
 * whatever the interval, with no cursor moved and no filter applied.
 */
export async function latestDocumentStates(node: INode, client: FastClient, watch: Pick<DocumentWatch, 'ids' | 'settings' | 'rule'>, nowMs: number): Promise<IDataObject[]> {
	const ids = watch.ids.slice(0, watch.settings.maxPerPoll);
	const nowIso = new Date(nowMs).toISOString();
	const results = await settleWithConcurrency(
		ids,
		async (id) => {
			const history = await fetchHistoryIfExists(client, id);
			if (history === null) return deletedItem(client, id, nowIso);
			const last = lastMeaningfulEntry(history);
			return last ? entryItem(client, id, history, history.lastIndexOf(last), watch.rule) : undefined;
		},
		{ concurrency: HISTORY_READ_CONCURRENCY, keepGoing },
	);
	const items: IDataObject[] = [];
	const failures: unknown[] = [];
	let succeeded = 0;
	for (const result of results) {
		if (result.ok) {
			succeeded++;
			if (result.value) items.push(result.value);
		} else if ('error' in result) failures.push(result.error);
	}
	if (succeeded === 0 && failures.length > 0) throw nothingReadError(node, failures, ids.length, failures.length);
	return items;
}
