/**
 * The CSV batch routes: every input item becomes one row of one RFC 4180 CSV (split into several
 * requests above the batch size), sent as the multipart part `csv`. Trust and Sign answers 200
 * with a report even when rows fail (field notes); the report's per-row errors are mapped back to
 * the items, so that each item succeeds or carries its own error.
 */
import FormData from 'form-data';
import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, INodeProperties } from 'n8n-workflow';

import { writeCsv } from '../../shared/csv';
import type { ItemOutcome } from '../../shared/dispatch';
import { apiError } from '../../shared/errors';
import { toNodeError } from '../../shared/execute';
import { namirialApiRequest } from '../transport';
import type { BatchRowError } from './operators';
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

/** The fields of an item under the API names, without the empty ones (auto-map mode). */
export function itemFields(ctx: IExecuteFunctions, itemIndex: number, names: readonly string[]): IDataObject {
	const json = ctx.getInputData()[itemIndex]?.json ?? {};
	const fields: IDataObject = {};
	for (const name of names) {
		const value = json[name];
		if (value !== undefined && value !== null && value !== '') fields[name] = value;
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

interface PendingRow extends BatchRow {
	itemIndex: number;
}

/** At most this many failed rows are named in the error message (all are in its description). */
const ROWS_IN_MESSAGE = 10;

function rowText(row: PendingRow, error: BatchRowError): string {
	const code = error.errorCode !== undefined ? ` (code ${error.errorCode})` : '';
	return `item ${row.itemIndex} (${row.email}): ${error.reason ?? 'rejected without a reason'}${code}`;
}

/**
 * One outcome per input item (the dispatcher turns them into output items, or error items with
 * Continue On Fail). n8n replaces the json of an item that carries an error, so a failed row's
 * details live in its error.
 */
export async function sendInBatches(
	ctx: IExecuteFunctions,
	action: BatchAction,
	header: readonly string[],
	buildRow: (itemIndex: number) => BatchRow,
	secrets: readonly string[],
): Promise<ItemOutcome[]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	const options = ctx.getNodeParameter('batchOptions', 0, {}) as IDataObject;
	const batchSize = Number(options.batchSize ?? DEFAULT_BATCH_SIZE);
	const outcomes: ItemOutcome[] = [];
	const node = ctx.getNode();
	const fail = (itemIndex: number, error: Error) => {
		outcomes[itemIndex] = { error };
	};

	// Every item is checked before anything is sent: without Continue On Fail, one bad item stops
	// the node and nothing is sent.
	const rows: PendingRow[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			rows.push({ ...buildRow(itemIndex), itemIndex });
		} catch (caught) {
			const error = toNodeError(ctx, caught, itemIndex, secrets);
			if (!continueOnFail) throw error;
			fail(itemIndex, error);
		}
	}
	if (!Number.isInteger(batchSize) || batchSize < 1) {
		throw toNodeError(ctx, new Error(`'Batch Size' must be a whole number of at least 1, got ${options.batchSize}`), 0, secrets);
	}

	const route = ROUTES[action];
	const failed: Array<{ row: PendingRow; error: BatchRowError }> = [];
	const chunks = chunk(rows, batchSize);
	for (const [chunkIndex, rowsOfChunk] of chunks.entries()) {
		const form = new FormData();
		const csv = writeCsv(header, rowsOfChunk.map((row) => row.fields));
		form.append('csv', Buffer.from(csv, 'utf8'), { filename: 'operators.csv', contentType: 'text/plain; charset=UTF-8' });
		let body: unknown;
		try {
			body = await namirialApiRequest(ctx, route.method, route.path, {
				multipart: form,
				itemIndex: rowsOfChunk[0].itemIndex,
			});
		} catch (caught) {
			const error = toNodeError(ctx, caught, rowsOfChunk[0].itemIndex, secrets);
			if (!continueOnFail) throw error;
			for (const row of rowsOfChunk) fail(row.itemIndex, error);
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
				{ itemIndex: rowsOfChunk[0].itemIndex, secrets },
			);
			if (!continueOnFail) throw error;
			for (const row of rowsOfChunk) fail(row.itemIndex, error);
			continue;
		}
		const { byRow, unmatched } = matchReportErrors(
			rowsOfChunk.map((row) => row.email),
			report.errors,
		);
		for (const [rowIndex, row] of rowsOfChunk.entries()) {
			const rowError = byRow.get(rowIndex);
			if (!rowError) {
				outcomes[row.itemIndex] = { result: { action, ...row.output, success: true } };
				continue;
			}
			failed.push({ row, error: rowError });
			const error = apiError(
				node,
				{
					message: `Trust and Sign rejected operator ${row.email}: ${rowError.reason ?? 'no reason given'}${rowError.errorCode !== undefined ? ` (code ${rowError.errorCode})` : ''}`,
					description: `Row ${rowIndex + 1} of request ${chunkIndex + 1} of ${chunks.length} of the ${action} batch. The other rows were ${route.done}.`,
					code: rowError.errorCode !== undefined ? String(rowError.errorCode) : undefined,
				},
				{ itemIndex: row.itemIndex, secrets },
			);
			fail(row.itemIndex, error);
		}
		if (unmatched.length > 0 && !continueOnFail) {
			throw apiError(
				node,
				{
					message: `Trust and Sign reported ${unmatched.length} error(s) in the ${action} batch for rows it did not name`,
					description: unmatched.map((entry) => `${entry.email ?? '?'} (row ${entry.index ?? '?'}): ${entry.reason ?? ''}`).join('; '),
				},
				{ secrets },
			);
		}
	}

	if (failed.length > 0 && !continueOnFail) {
		const listed = failed.slice(0, ROWS_IN_MESSAGE).map(({ row, error }) => rowText(row, error));
		const more = failed.length > ROWS_IN_MESSAGE ? `; and ${failed.length - ROWS_IN_MESSAGE} more` : '';
		throw apiError(
			node,
			{
				message: `Trust and Sign rejected ${failed.length} of ${rows.length} operators in the ${action} batch: ${listed.join('; ')}${more}`,
				description: `Failed rows: ${failed.map(({ row, error }) => rowText(row, error)).join('; ')}. The other rows were ${route.done}. Turn on 'Continue On Fail' (or the error output) to get one item per failed row.`,
				code: failed.length === 1 && failed[0].error.errorCode !== undefined ? String(failed[0].error.errorCode) : undefined,
			},
			{ itemIndex: failed[0].row.itemIndex, secrets },
		);
	}
	return outcomes;
}
