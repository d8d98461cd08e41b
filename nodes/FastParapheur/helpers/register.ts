/**
 * The register of documents in circuits: an n8n Data Table, one row per document the FAST
 * Parapheur node uploaded with "Add to Register" on, which the FAST Parapheur Trigger's
 * "Registered Document State Changed" event watches. Users see it, sort it and correct it in
 * n8n's Data Tables page; workflows can read it with n8n's Data Table node.
 *
 * Who writes what:
 * - the upload operations: the row (document, SIREN, circuit, file, the user's reference, the
 *   workflow, the upload time), once FAST has answered the document's ID;
 * - the trigger: `lastReadAt` when it reads a history (so FAST's 30-minute rule holds whatever
 *   n8n keeps of the trigger's own state), and the state columns — always the state of the last
 *   entry the trigger *delivered*, written at the poll after the delivery: the register never
 *   says more than the workflows were told, and `isFinal` (which takes a row off the watch list)
 *   is never set for a document whose final entry was not delivered.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Column, DataTable, N8nApi, Row, RowFilter } from '../../shared/dataTable';
import { addColumn, createDataTable, findDataTable, listRows, n8nApi, updateRows, upsertRow } from '../../shared/dataTable';
import type { RequestContext } from '../../shared/request';
import { checkText, InputError } from '../../shared/validation';

export const DEFAULT_REGISTER = 'FAST Parapheur documents';

/** The register's columns, in the order n8n shows them. */
export const REGISTER_COLUMNS: readonly Column[] = [
	{ name: 'documentId', type: 'string' },
	{ name: 'siren', type: 'string' },
	{ name: 'reference', type: 'string' },
	{ name: 'fileName', type: 'string' },
	{ name: 'circuit', type: 'string' },
	{ name: 'workflow', type: 'string' },
	{ name: 'uploadedAt', type: 'date' },
	{ name: 'state', type: 'string' },
	{ name: 'stateName', type: 'string' },
	{ name: 'outcome', type: 'string' },
	{ name: 'lastChangeAt', type: 'date' },
	{ name: 'isFinal', type: 'boolean' },
	{ name: 'entries', type: 'number' },
	{ name: 'lastReadAt', type: 'date' },
	{ name: 'link', type: 'string' },
];

/** At most this many documents watched per register and SIREN (40 pages of the API). */
export const MAX_WATCHED = 10_000;

export interface Register {
	api: N8nApi;
	table: DataTable;
}

export function registerName(value: unknown): string {
	return checkText(value ?? '', { field: 'Register (Data Table Name)', max: 128 }) || DEFAULT_REGISTER;
}

const opened = new WeakMap<object, Map<string, Promise<Register>>>();

/** Forgets the registers opened for this context: a trigger calls it at each poll (see forgetCredentials). */
export function forgetRegisters(ctx: RequestContext): void {
	opened.delete(ctx);
}

/**
 * The register of this name, created with its columns when it does not exist yet (by the first
 * upload, or the trigger's first poll), and given the columns it lacks (a table made by hand or by
 * an older version). Once per execution or poll.
 */
export async function openRegister(ctx: RequestContext, name: string): Promise<Register> {
	let byName = opened.get(ctx);
	if (!byName) {
		byName = new Map();
		opened.set(ctx, byName);
	}
	let pending = byName.get(name);
	if (!pending) {
		pending = (async () => {
			const api = await n8nApi(ctx);
			let table = await findDataTable(ctx, api, name);
			if (!table) {
				try {
					table = await createDataTable(ctx, api, name, REGISTER_COLUMNS);
				} catch (error) {
					// Created meanwhile by another execution (n8n answers 409): use that one.
					table = await findDataTable(ctx, api, name);
					// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- already the NodeApiError of the creation (nodes/shared/request.ts)
					if (!table) throw error;
				}
			}
			for (const column of REGISTER_COLUMNS) {
				const existing = table.columns.find((candidate) => candidate.name === column.name);
				if (!existing) await addColumn(ctx, api, table, column);
				else if (existing.type !== column.type) {
					throw new InputError(
						`The Data Table '${name}' has a column '${column.name}' of type ${existing.type}; the register needs ${column.type}`,
						'Rename or delete that column in n8n (Data Tables), or give the register another name.',
					);
				}
			}
			return { api, table };
		})();
		byName.set(name, pending);
		pending.catch(() => byName.delete(name));
	}
	return await pending;
}

const byDocument = (documentId: string): RowFilter => ({ type: 'and', filters: [{ columnName: 'documentId', condition: 'eq', value: documentId }] });

export interface RegisteredUpload {
	documentId: string;
	siren: string;
	reference: string;
	fileName: string;
	circuit: string;
	workflow: string;
	uploadedAt: string;
	link: string;
}

/** Adds an uploaded document (or sets its details again, should the same ID be registered twice). */
export async function registerDocument(ctx: RequestContext, register: Register, upload: RegisteredUpload): Promise<Row> {
	return await upsertRow(ctx, register.api, register.table, byDocument(upload.documentId), {
		...upload,
		state: 'prepared',
		stateName: null,
		outcome: 'inProgress',
		lastChangeAt: null,
		isFinal: false,
		entries: 0,
		lastReadAt: null,
	});
}

/**
 * The documents of a SIREN the register does not mark final, oldest first. `isFinal` left empty
 * (a row added by hand or with n8n's Data Table node) counts as not final: n8n's `neq` matches
 * empty values, its `eq false` does not.
 */
export async function watchedRows(ctx: RequestContext, register: Register, siren: string): Promise<{ rows: Row[]; truncated: boolean }> {
	return await listRows(
		ctx,
		register.api,
		register.table,
		{
			type: 'and',
			filters: [
				{ columnName: 'isFinal', condition: 'neq', value: true },
				{ columnName: 'siren', condition: 'eq', value: siren },
			],
		},
		MAX_WATCHED,
	);
}

/** Records that these documents' histories were read at `at` (one request per 100 documents). */
export async function recordReads(ctx: RequestContext, register: Register, documentIds: readonly string[], at: string): Promise<void> {
	for (let start = 0; start < documentIds.length; start += 100) {
		const chunk = documentIds.slice(start, start + 100);
		await updateRows(
			ctx,
			register.api,
			register.table,
			{ type: 'or', filters: chunk.map((documentId) => ({ columnName: 'documentId', condition: 'eq' as const, value: documentId })) },
			{ lastReadAt: at },
		);
	}
}

export interface ShownState {
	state: string;
	stateName: string | null;
	outcome: string | null;
	lastChangeAt: string | null;
	isFinal: boolean;
	entries: number;
}

/** Writes a document's delivered state into its row. */
export async function showState(ctx: RequestContext, register: Register, documentId: string, shown: ShownState): Promise<void> {
	await updateRows(ctx, register.api, register.table, byDocument(documentId), shown as unknown as IDataObject);
}

/** Whether the row already shows this state (then nothing is written). */
export function rowShows(row: Row, shown: ShownState): boolean {
	const date = (value: unknown) => (value === null || value === undefined || value === '' ? null : Date.parse(String(value)));
	return (
		row.state === shown.state &&
		(row.stateName ?? null) === shown.stateName &&
		(row.outcome ?? null) === shown.outcome &&
		row.isFinal === shown.isFinal &&
		Number(row.entries) === shown.entries &&
		date(row.lastChangeAt) === date(shown.lastChangeAt)
	);
}
