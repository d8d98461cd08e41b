/**
 * The `registeredDocumentStateChanged` event: watches every document of the register (an n8n
 * Data Table filled by the FAST Parapheur node's uploads, helpers/register.ts) that is not final,
 * and emits one item per new history entry, as `documentStateChanged` does for typed IDs.
 *
 * Exactly once: what was delivered is remembered in the node's static data (the same cursors as
 * for typed IDs), which n8n saves with the execution a poll starts (classic poller: when the poll
 * emits; durable scheduler: committed with the execution). The register only *shows* it: the
 * state columns are written from those cursors at the next poll, so a row is marked final only
 * once its final entry was handed to an execution, and a lost poll changes nothing in it.
 *
 * FAST's 30 minutes: each read is also written to the row (`lastReadAt`) at once. That part does
 * not depend on what n8n keeps of a poll that emitted nothing (the durable scheduler without
 * durable cursors keeps nothing of it), so a restart or a silent poll never makes the trigger read
 * a document early.
 */
import type { IDataObject, INode, IPollFunctions } from 'n8n-workflow';

import { settleWithConcurrency } from '../../../shared/pool';
import type { Row } from '../../../shared/dataTable';
import { InputError, splitList } from '../../../shared/validation';
import type { Register, ShownState } from '../../helpers/register';
import { openRegister, recordReads, registerName, rowShows, showState, watchedRows } from '../../helpers/register';
import { normaliseState } from '../../helpers/states';
import type { FastClient } from '../../transport';
import type { DocumentCursor, DocumentCursors, WatchSettings } from '../../trigger/state';
import { checkStateVersion, FINAL, GONE, orderOldestFirst, readDocumentCursors, selectDue, writeDocumentCursors } from '../../trigger/state';
import type { ReadSettings } from './documents';
import { applyReads, DEFAULT_INTERVAL_MINUTES, DEFAULT_MAX_PER_POLL, latestDocumentStates, numberOption, readDueDocuments, settleDocuments } from './documents';

export interface RegisterWatch extends ReadSettings {
	name: string;
	siren: string;
	settings: WatchSettings;
}

/** The event's parameters, checked before any request. */
export function readRegisterWatch(parameters: { name: unknown; siren: string; states?: unknown; options?: IDataObject }): RegisterWatch {
	const options = parameters.options ?? {};
	return {
		name: registerName(parameters.name),
		siren: parameters.siren,
		states: splitList(parameters.states),
		// Every entry of a registered document came after its upload, when it was registered.
		firstRead: 'all',
		includeRefusalMessage: options.includeRefusalMessage !== false,
		display: true,
		// The register comes with version 2 of the trigger, and its rule (helpers/states.ts).
		rule: 'classified',
		settings: {
			intervalSeconds: Math.round(numberOption(options.minIntervalMinutes, DEFAULT_INTERVAL_MINUTES, 'Minimum Interval per Document (Minutes)', 0) * 60),
			stopWhenFinal: true,
			maxPerPoll: Math.floor(numberOption(options.maxDocumentsPerPoll, DEFAULT_MAX_PER_POLL, 'Max Documents per Poll', 1)),
		},
	};
}

/** What the register shows for what the trigger has handled of a document. */
export function shownState(cursor: DocumentCursor): ShownState {
	if (cursor.f === GONE) {
		return { state: 'deleted', stateName: null, outcome: null, lastChangeAt: new Date(cursor.t * 1000).toISOString(), isFinal: true, entries: cursor.n ?? 0 };
	}
	return {
		state: cursor.s ? normaliseState(cursor.s) : 'prepared',
		stateName: cursor.s ?? null,
		outcome: cursor.o ?? 'inProgress',
		lastChangeAt: cursor.d && !Number.isNaN(Date.parse(cursor.d)) ? new Date(Date.parse(cursor.d)).toISOString() : null,
		isFinal: cursor.f === FINAL,
		entries: cursor.n ?? 0,
	};
}

/** The register's details of a row, given back with each of its document's events. */
function registerDetails(name: string, row: Row): IDataObject {
	return {
		name,
		rowId: row.id ?? null,
		reference: row.reference ?? null,
		fileName: row.fileName ?? null,
		circuit: row.circuit ?? null,
		workflow: row.workflow ?? null,
		uploadedAt: row.uploadedAt ?? null,
	};
}

function seconds(value: unknown): number | undefined {
	if (value === null || value === undefined || value === '') return undefined;
	const ms = Date.parse(String(value));
	return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/**
 * A document the register shows entries for, of which the node's static data knows nothing (the
 * node was renamed, which gives it new static data, or a row was put back on the watch list by
 * hand): it goes on from what the row shows, not from the start of its history.
 */
function restoredCursor(id: string, row: Row): DocumentCursors {
	const entries = Number(row.entries);
	if (!Number.isInteger(entries) || entries <= 0) return {};
	const cursor: DocumentCursor = { n: entries, t: seconds(row.lastReadAt) ?? 0 };
	if (typeof row.stateName === 'string' && row.stateName) cursor.s = row.stateName;
	if (row.lastChangeAt) cursor.d = String(row.lastChangeAt);
	if (row.outcome === 'success' || row.outcome === 'rejected' || row.outcome === 'error' || row.outcome === 'inProgress') cursor.o = row.outcome;
	return { [id]: cursor };
}

/** n8n refused the API key or its rights (401, 403): not something the next poll fixes. */
function isRefusal(error: unknown): boolean {
	const code = Number((error as { httpCode?: unknown }).httpCode);
	return code === 401 || code === 403;
}

/** Rows by document ID (the first row wins should an ID be registered twice). */
function rowsById(rows: readonly Row[]): Map<string, Row> {
	const byId = new Map<string, Row>();
	for (const row of rows) {
		const id = String(row.documentId ?? '').trim();
		if (/^\d{1,20}$/.test(id) && !byId.has(id)) byId.set(id, row);
	}
	return byId;
}

/** Writes the delivered state into the rows that do not show it yet; a failed write is tried again at the next poll. */
async function showDelivered(ctx: IPollFunctions, register: Register, byId: Map<string, Row>, cursors: DocumentCursors): Promise<void> {
	const changes: Array<[string, ShownState]> = [];
	for (const [id, row] of byId) {
		const cursor = cursors[id];
		if (!cursor || cursor.n === undefined) continue;
		const shown = shownState(cursor);
		if (!rowShows(row, shown)) changes.push([id, shown]);
	}
	const results = await settleWithConcurrency(changes, async ([id, shown]) => await showState(ctx, register, id, shown), { concurrency: 4 });
	const errors = results.flatMap((result) => (!result.ok && 'error' in result ? [result.error] : []));
	const refused = errors.find(isRefusal);
	// A key that may not write fails every poll: say so, rather than leave rows that never end.
	if (refused) throw refused;
	if (errors.length > 0) ctx.logger.warn(`FAST Parapheur Trigger: ${errors.length} row(s) of the register '${register.table.name}' could not be updated; tried again at the next poll`);
}

/**
 * One poll of an active workflow. `deadlineMs`: when reads stop (see readDeadline); the
 * documents not read wait for the next poll.
 */
export async function pollRegister(
	ctx: IPollFunctions,
	node: INode,
	client: FastClient,
	staticData: IDataObject,
	watch: RegisterWatch,
	nowMs: number,
	deadlineMs?: number,
): Promise<IDataObject[]> {
	checkStateVersion(staticData);
	const now = Math.floor(nowMs / 1000);
	const register = await openRegister(ctx, watch.name);
	const { rows, truncated } = await watchedRows(ctx, register, watch.siren);
	if (truncated) ctx.logger.warn(`FAST Parapheur Trigger: the register '${watch.name}' has more documents in circuits than one trigger watches; the oldest are watched`);
	const byId = rowsById(rows);
	const cursors = readDocumentCursors(staticData);
	for (const [id, row] of byId) if (!cursors[id]) Object.assign(cursors, restoredCursor(id, row));
	await showDelivered(ctx, register, byId, cursors);

	// The later of the two read times: the trigger's own, or the register's (kept whatever n8n keeps).
	const effective: DocumentCursors = {};
	for (const [id, row] of byId) {
		const cursor = cursors[id];
		const readAt = seconds(row.lastReadAt);
		effective[id] = readAt !== undefined && readAt > (cursor?.t ?? -1) ? { ...cursor, t: readAt } : cursor;
		if (!effective[id]) delete effective[id];
	}
	const ids = [...byId.keys()];
	const settled = settleDocuments(client, cursors, ids, watch.settings, now);
	for (const id of ids) if (effective[id] && cursors[id]?.f === FINAL) effective[id] = { ...effective[id], f: FINAL };
	const due = selectDue(ids, effective, now, watch.settings);
	const outcome = await readDueDocuments(node, client, due, cursors, watch, now, deadlineMs);
	const attempted = [...outcome.read.keys(), ...outcome.failed.keys(), ...outcome.late];
	try {
		await recordReads(ctx, register, attempted, new Date(nowMs).toISOString());
	} catch (error) {
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- already the NodeApiError of the write (nodes/shared/request.ts)
		if (isRefusal(error)) throw error;
		// The events matter more: the trigger's own read times still space the reads.
		ctx.logger.warn(`FAST Parapheur Trigger: could not record the read times in the register '${watch.name}': ${(error as Error).message}`);
	}
	const groups = [settled, ...applyReads(cursors, outcome, now)];
	// Cursors are kept for the documents the register still lists as not final: once a row shows
	// the final state, its document leaves the list and its cursor goes.
	writeDocumentCursors(staticData, cursors, ids);
	for (const group of groups) {
		for (const { value } of group) value.register = registerDetails(watch.name, byId.get(String(value.documentId))!);
	}
	return orderOldestFirst(groups);
}

/** "Fetch test event": the current state of the register's documents in circuits, nothing written but the table's creation. */
export async function latestRegisterStates(ctx: IPollFunctions, node: INode, client: FastClient, watch: RegisterWatch, nowMs: number): Promise<IDataObject[]> {
	const register = await openRegister(ctx, watch.name);
	const byId = rowsById((await watchedRows(ctx, register, watch.siren)).rows);
	if (byId.size === 0) {
		throw new InputError(
			`The register '${watch.name}' has no document of SIREN ${watch.siren} in a circuit`,
			"Upload a document with the FAST Parapheur node's 'Add to Register' on (same register name and SIREN), then fetch again.",
		);
	}
	const items = await latestDocumentStates(node, client, { ids: [...byId.keys()], settings: watch.settings, rule: watch.rule }, nowMs);
	for (const item of items) item.register = registerDetails(watch.name, byId.get(String(item.documentId))!);
	return items;
}
