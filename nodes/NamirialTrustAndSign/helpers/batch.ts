/**
 * The CSV batch routes: every input item becomes one row of one RFC 4180 CSV (split into several
 * requests above the batch size), sent as the multipart part `csv`. Trust and Sign answers 200
 * with a report even when rows fail (field notes); the report's per-row errors are mapped back to
 * the items, so that each item succeeds or carries its own error. Continue On Fail is the
 * dispatcher's (nodes/shared/dispatch.ts): the items are checked there before anything is sent.
 */
import FormData from 'form-data';
import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, INode, INodeProperties, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { writeCsv } from '../../shared/csv';
import type { BatchResult, ItemOutcome, PreparedItem } from '../../shared/dispatch';
import { apiError } from '../../shared/errors';
import { toNodeError } from '../../shared/execute';
import { InputError } from '../../shared/validation';
import { namirialApiRequest } from '../transport';
import type { BatchReport, BatchRowError } from './operators';
import { chunk, matchReportErrors, readBatchReport } from './operators';

export const DEFAULT_BATCH_SIZE = 1000;

/** The "Batch Options" collection of the batch operations. */
export const batchOptionsProperty: INodeProperties = {
	displayName: 'Batch Options',
	name: 'batchOptions',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Batch Size',
			name: 'batchSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100000 },
			default: DEFAULT_BATCH_SIZE,
			description:
				'At most this many rows per CSV sent; more input items are split into several requests whose reports are merged',
		},
	],
};

/** Where the batch rows come from: the fields below (expressions per item), or the items as they are. */
export const dataModeProperty: INodeProperties = {
	displayName: 'Data Mode',
	name: 'dataMode',
	type: 'options',
	options: [
		{
			name: 'Define Below',
			value: 'defineBelow',
			description: 'Set each field below, with expressions that read the items',
		},
		{
			name: 'Auto-Map Input Data',
			value: 'autoMapInputData',
			description:
				'Read the fields from each item, under the API names: email, firstName, lastName, authorizations, reportTypes, linkedToAllProducts, linkedToAllGroups, productsPublicId, groupsLabel, externalId (other fields are ignored)',
		},
	],
	default: 'defineBelow',
	description: 'Whether to map the fields one by one or to take them from the input items as they are (fastest for large imports)',
};

/** Shows fields only in the "Define Below" data mode. */
export function definedBelow(properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: { ...property.displayOptions, show: { ...property.displayOptions?.show, dataMode: ['defineBelow'] } },
	}));
}

export function isAutoMapped(ctx: IExecuteFunctions): boolean {
	return ctx.getNodeParameter('dataMode', 0, 'defineBelow') === 'autoMapInputData';
}

const given = (value: unknown) => value !== undefined && value !== null && value !== '';

/**
 * The fields of an item under the API names, without the empty ones (auto-map mode). A field
 * whose name differs from an API name only in case (`FirstName`, the spelling of the page's
 * tables) is refused, naming the key found and the one expected, rather than ignored or taken:
 * the page says key names are case-sensitive and its JSON examples spell them `firstName`... (field
 * notes), so the node reads only that spelling and says so instead of guessing.
 */
export function itemFields(ctx: IExecuteFunctions, itemIndex: number, names: readonly string[]): IDataObject {
	const json = ctx.getInputData()[itemIndex]?.json ?? {};
	const fields: IDataObject = {};
	const misspelt: string[] = [];
	for (const name of names) {
		const value = json[name];
		if (given(value)) {
			fields[name] = value;
			continue;
		}
		const found = Object.keys(json).find((key) => key !== name && key.toLowerCase() === name.toLowerCase() && given(json[key]));
		if (found !== undefined) misspelt.push(`'${found}' (expected '${name}')`);
	}
	if (misspelt.length > 0) {
		throw new InputError(
			`The item has ${misspelt.join(', ')}: Auto-Map reads the API names, which are case-sensitive`,
			`Rename the field${misspelt.length > 1 ? 's' : ''} to the API spelling (${names.join(', ')}), for example with an Edit Fields node, or use the Data Mode 'Define Below'.`,
		);
	}
	return fields;
}

export type BatchAction = 'create' | 'update' | 'delete';

const ROUTES: Record<BatchAction, { method: IHttpRequestMethods; path: string; done: string }> = {
	create: { method: 'POST', path: '/create/csv', done: 'created' },
	update: { method: 'POST', path: '/update/csv', done: 'updated' },
	delete: { method: 'DELETE', path: '/delete/csv', done: 'deleted' },
};

export interface BatchRow {
	email: string;
	/** The CSV fields, in the order of the header. */
	fields: string[];
	/** What the item's output shows on success. */
	output: IDataObject;
}

type PendingRow = PreparedItem<BatchRow>;

/** A row that failed: its own report line, or an error it shares (a failed request, an unattributed report). */
interface FailedRow {
	row: PendingRow;
	error: NodeApiError | NodeOperationError;
	rejection?: BatchRowError;
}

/** At most this many failed rows are named in the error message (all are in its description). */
const ROWS_IN_MESSAGE = 10;

function rowText({ row, error, rejection }: FailedRow): string {
	if (!rejection) return `item ${row.itemIndex} (${row.row.email}): ${error.message}`;
	const code = rejection.errorCode !== undefined ? ` (code ${rejection.errorCode})` : '';
	return `item ${row.itemIndex} (${row.row.email}): ${rejection.reason ?? 'rejected without a reason'}${code}`;
}

function reasonText(entry: BatchRowError): string {
	const code = entry.errorCode !== undefined ? ` (code ${entry.errorCode})` : '';
	const named = [entry.email !== undefined ? `e-mail ${entry.email}` : '', entry.index !== undefined ? `index ${entry.index}` : ''].filter(Boolean);
	return `${entry.reason ?? 'no reason given'}${code}${named.length > 0 ? ` (for ${named.join(', ')})` : ''}`;
}

/**
 * The errors of a chunk's report that name no row of the chunk (no e-mail or index, an e-mail not
 * sent, a second error for a row), and the failures the report counts (`usersError`) but does not
 * list. Each is a row that failed without the node knowing which.
 */
function unattributedErrors(report: BatchReport, unmatched: readonly BatchRowError[]): string[] {
	const texts = unmatched.map(reasonText);
	const unlisted = (report.usersError ?? 0) - report.errors.length;
	if (unlisted > 0) texts.push(`${unlisted} failed row(s) counted in the report (usersError ${report.usersError}) but not listed`);
	return texts;
}

/**
 * What the node stops with, without Continue On Fail: every failed row named (the first ones in
 * the message, all in the description). One error shared by every row (a failed request of a
 * one-request batch) is left to the dispatcher, which stops with it as it is.
 */
function stopError(node: INode, action: BatchAction, rows: number, failed: readonly FailedRow[], secrets: readonly string[]): NodeApiError | undefined {
	if (failed.length === 0) return undefined;
	if (failed.length === rows && failed.every(({ error, rejection }) => !rejection && error === failed[0].error)) return undefined;
	const listed = failed.slice(0, ROWS_IN_MESSAGE).map(rowText);
	const more = failed.length > ROWS_IN_MESSAGE ? `; and ${failed.length - ROWS_IN_MESSAGE} more` : '';
	const rejectedOnly = failed.every(({ rejection }) => rejection);
	const code = failed.length === 1 && failed[0].rejection?.errorCode !== undefined ? String(failed[0].rejection.errorCode) : undefined;
	return apiError(
		node,
		{
			message: rejectedOnly
				? `Trust and Sign rejected ${failed.length} of ${rows} operators in the ${action} batch: ${listed.join('; ')}${more}`
				: `${failed.length} of ${rows} operators failed in the ${action} batch: ${listed.join('; ')}${more}`,
			description: `Failed rows: ${failed.map(rowText).join('; ')}. The other rows were ${ROUTES[action].done}. Turn on 'Continue On Fail' (or the error output) to get one item per failed row.`,
			code,
		},
		{ itemIndex: failed[0].row.itemIndex, secrets },
	);
}

/**
 * Sends the prepared items in CSV requests of at most Batch Size rows and answers per item (the
 * dispatcher turns the outcomes into output items or error items, or stops with `stopError`).
 * Every request is sent, whatever failed before. n8n replaces the json of an item that carries an
 * error, so a failed row's details live in its error. A row is a success only when its request's
 * report accounts for every error it lists: a report error that names no row fails the rows of its
 * request that have no error of their own.
 */
export async function sendInBatches(
	ctx: IExecuteFunctions,
	action: BatchAction,
	header: readonly string[],
	rows: ReadonlyArray<PreparedItem<BatchRow>>,
	secrets: readonly string[],
): Promise<BatchResult> {
	const options = ctx.getNodeParameter('batchOptions', 0, {}) as IDataObject;
	const batchSize = Number(options.batchSize ?? DEFAULT_BATCH_SIZE);
	if (!Number.isInteger(batchSize) || batchSize < 1) {
		throw toNodeError(ctx, new Error(`'Batch Size' must be a whole number of at least 1, got ${options.batchSize}`), 0, secrets);
	}
	const outcomes: ItemOutcome[] = [];
	const failed: FailedRow[] = [];
	const node = ctx.getNode();
	const fail = (row: PendingRow, error: NodeApiError | NodeOperationError, rejection?: BatchRowError) => {
		outcomes[row.itemIndex] = { error };
		failed.push({ row, error, rejection });
	};

	const route = ROUTES[action];
	const chunks = chunk(rows, batchSize);
	for (const [chunkIndex, rowsOfChunk] of chunks.entries()) {
		const form = new FormData();
		const csv = writeCsv(header, rowsOfChunk.map(({ row }) => row.fields));
		form.append('csv', Buffer.from(csv, 'utf8'), { filename: 'operators.csv', contentType: 'text/plain; charset=UTF-8' });
		const firstItem = rowsOfChunk[0].itemIndex;
		let body: unknown;
		try {
			body = await namirialApiRequest(ctx, route.method, route.path, { multipart: form, itemIndex: firstItem });
		} catch (caught) {
			const error = toNodeError(ctx, caught, firstItem, secrets);
			for (const row of rowsOfChunk) fail(row, error);
			continue;
		}
		const report = readBatchReport(body);
		if (!report) {
			const error = apiError(
				node,
				{
					message: `Trust and Sign answered the ${action} batch without a report`,
					description: 'The answer was not the documented {action, usersSend, usersSuccess, usersError, errors} object: check the URL in the credential.',
				},
				{ itemIndex: firstItem, secrets },
			);
			for (const row of rowsOfChunk) fail(row, error);
			continue;
		}
		const { byRow, unmatched } = matchReportErrors(
			rowsOfChunk.map(({ row }) => row.email),
			report.errors,
		);
		const unattributed = unattributedErrors(report, unmatched);
		const unattributedError = (row: PendingRow) =>
			apiError(
				node,
				{
					message: `Trust and Sign reported ${unattributed.length === 1 ? 'an error' : `${unattributed.length} errors`} it did not attribute to a row: ${unattributed.join('; ')}; this row may not have been applied`,
					description: `Request ${chunkIndex + 1} of ${chunks.length} of the ${action} batch: its report has errors that name no row of the request, so none of its rows without an error of their own can be taken as ${route.done}. Check these operators (Get Many) before sending them again.`,
				},
				{ itemIndex: row.itemIndex, secrets },
			);
		for (const [rowIndex, row] of rowsOfChunk.entries()) {
			const rejection = byRow.get(rowIndex);
			if (rejection) {
				const code = rejection.errorCode !== undefined ? ` (code ${rejection.errorCode})` : '';
				const error = apiError(
					node,
					{
						message: `Trust and Sign rejected operator ${row.row.email}: ${rejection.reason ?? 'no reason given'}${code}`,
						description: `Row ${rowIndex + 1} of request ${chunkIndex + 1} of ${chunks.length} of the ${action} batch. The other rows were ${route.done}.`,
						code: rejection.errorCode !== undefined ? String(rejection.errorCode) : undefined,
					},
					{ itemIndex: row.itemIndex, secrets },
				);
				fail(row, error, rejection);
			} else if (unattributed.length > 0) {
				fail(row, unattributedError(row));
			} else {
				outcomes[row.itemIndex] = { result: { action, ...row.row.output, success: true } };
			}
		}
	}
	return { outcomes, stopError: stopError(node, action, rows.length, failed, secrets) };
}

/**
 * A batch operation's `executeBatch`: the prepared items in CSV requests of at most Batch Size
 * rows with `header`, the report's errors going back to their items.
 */
export function batchSender(action: BatchAction, header: readonly string[]) {
	return async function executeBatch(
		this: IExecuteFunctions,
		rows: ReadonlyArray<PreparedItem<BatchRow>>,
		_client: undefined,
		secrets: readonly string[],
	): Promise<BatchResult> {
		return await sendInBatches(this, action, header, rows, secrets);
	};
}
