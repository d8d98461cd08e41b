/**
 * n8n's own Data Tables, reached through n8n's public REST API (`/api/v1/data-tables`, n8n 2.x)
 * with the package's "Parapheur Register API" credential (an API key and the API's URL).
 *
 * Why the REST API: a polling trigger's context has no Data Table helpers, and n8n's data-table
 * proxy serves only n8n's own Data Table node ("This proxy is only available for Data table
 * nodes", n8n 1.123.81 and 2.41.1 alike). The public API is the one way every node of a package,
 * trigger included, reads and writes the same table. n8n 1.x's public API has no data-table
 * routes: every call there ends in a message saying so.
 *
 * Routes and bodies follow n8n 2.41.1's `public-api/v1/openapi.yml`: lists are paginated with
 * `limit` (at most 250) and `cursor`/`nextCursor`; filters are `{ type: 'and'|'or', filters:
 * [{ columnName, condition, value }] }` (JSON in the query string for reads).
 */
import type { IDataObject } from 'n8n-workflow';

import type { ErrorDetails } from './errors';
import { pathSegment } from './path';
import { readCredentials } from './credentials';
import type { HttpFailure, RequestContext, Vendor } from './request';
import { apiRequest, getRequestSettings, isObject } from './request';
import { InputError } from './validation';

export const N8N_API_CREDENTIAL = 'parapheurRegisterApi';

export const N8N_API: Vendor = {
	// Messages read "n8n did not answer …", "Could not connect to n8n …", as the credential's Test says.
	name: 'n8n',
	credentialType: N8N_API_CREDENTIAL,
	readError: (body) => (isObject(body) && typeof body.message === 'string' ? { message: body.message } : {}),
	hints: {
		url: "Check the 'n8n API URL' of the Parapheur Register API credential: the address n8n itself answers on, followed by /api/v1 (e.g. http://localhost:5678/api/v1). In queue mode the workers must reach it too.",
		timeout:
			"The register is read and written through n8n's own API (the 'n8n API URL' of the Parapheur Register API credential): check that this address answers from n8n (and from the workers in queue mode). An upload waits as long as 'Timeout (Seconds)' in its Request Options; the trigger waits 30 seconds.",
	},
};

export type ColumnType = 'string' | 'number' | 'boolean' | 'date';

export interface Column {
	name: string;
	type: ColumnType;
}

export interface DataTable {
	id: string;
	name: string;
	columns: Column[];
}

export type Condition = 'eq' | 'neq' | 'like' | 'ilike' | 'gt' | 'gte' | 'lt' | 'lte';

export interface RowFilter {
	type: 'and' | 'or';
	filters: Array<{ columnName: string; condition: Condition; value: string | number | boolean | null }>;
}

export type Row = IDataObject & { id?: number };

const NOT_N8N = "Check the 'n8n API URL' of the Parapheur Register API credential: the address this n8n answers on, followed by /api/v1.";

/** The API's page size limit. */
export const PAGE_SIZE = 250;

export interface N8nApi {
	baseUrl: string;
	secrets: string[];
}

/** The credential's API base URL: as given, or with `/api/v1` added to a bare n8n address. */
export function apiBaseUrl(value: unknown): string {
	const text = String(value ?? '').trim().replace(/\/+$/, '');
	if (!/^https?:\/\//i.test(text) || !URL.canParse(text) || /[?#]/.test(text)) {
		throw new InputError(
			`The 'n8n API URL' of the Parapheur Register API credential is not an http(s) address: ${JSON.stringify(text)}`,
			'Give the address n8n answers on, followed by /api/v1, e.g. http://localhost:5678/api/v1',
		);
	}
	return /\/api\/v\d+$/i.test(text) ? text : `${text}/api/v1`;
}

/** The n8n API of the node's register credential. */
export async function n8nApi(ctx: RequestContext): Promise<N8nApi> {
	const credentials = await readCredentials<{ apiKey?: string; url?: string }>(ctx, N8N_API_CREDENTIAL);
	const apiKey = String(credentials.apiKey ?? '');
	if (!apiKey.trim()) {
		throw new InputError('The Parapheur Register API credential has no API key', 'Create one in n8n under Settings > n8n API and paste it into the credential.');
	}
	return { baseUrl: apiBaseUrl(credentials.url), secrets: [apiKey] };
}

/** What n8n's answer means for a register, in words that say what to change. */
function describeFailure(what: string, route: 'list' | 'table') {
	return (failure: HttpFailure): ErrorDetails | undefined => {
		const said = failure.vendorMessage ? ` (${failure.vendorMessage})` : '';
		if (failure.status === 401) {
			return {
				message: `n8n refused the API key of the Parapheur Register API credential${said}`,
				description: 'Create a key under Settings > n8n API and put it into the credential; a key stops working when it expires or is deleted.',
			};
		}
		if (failure.status === 403) {
			return {
				message: `n8n's API key may not ${what}${said}`,
				description:
					"The key needs the Data Table scopes (dataTable:list, dataTable:create, dataTable:read, dataTableColumn:create, dataTableRow:read, dataTableRow:create, dataTableRow:update, dataTableRow:upsert), and its user access to the table's project.",
			};
		}
		if (failure.status === 404 && route === 'table') {
			return {
				message: `The Data Table was not found${said}: could not ${what}`,
				description: 'It was deleted, or its project is no longer open to the API key\'s user. The next run looks it up by name again (and creates it anew when it is gone).',
			};
		}
		if (failure.status === 404 && route === 'list') {
			return {
				message: `This n8n has no Data Table API${said}: could not ${what}`,
				description:
					"The register needs n8n 2.x, whose public API has /api/v1/data-tables (n8n 1.x has none). Check also that the credential's 'n8n API URL' ends with /api/v1 and that the public API is not turned off (N8N_PUBLIC_API_DISABLED).",
			};
		}
		return undefined;
	};
}

async function call(
	ctx: RequestContext,
	api: N8nApi,
	what: string,
	route: 'list' | 'table',
	request: { method: 'GET' | 'POST' | 'PATCH'; path: string; qs?: IDataObject; body?: IDataObject },
): Promise<unknown> {
	return await apiRequest(ctx, N8N_API, {
		method: request.method,
		url: `${api.baseUrl}${request.path}`,
		qs: request.qs,
		body: request.body,
		secrets: api.secrets,
		// The node's Timeout and Max Retries (its first item's, the register being opened once per
		// execution); the trigger has none: the defaults.
		settings: getRequestSettings(ctx, 0),
		// Reads are retried; so are the register's writes, which set values (an update or an upsert
		// sent twice leaves the same row).
		idempotent: true,
		expect: 'json',
		describeError: describeFailure(what, route),
	});
}

function readTable(value: unknown): DataTable | undefined {
	if (!isObject(value) || typeof value.id !== 'string' || typeof value.name !== 'string') return undefined;
	const columns = Array.isArray(value.columns)
		? value.columns.filter(isObject).map((column) => ({ name: String(column.name), type: String(column.type) as ColumnType }))
		: [];
	return { id: value.id, name: value.name, columns };
}

/** The table of exactly this name (n8n's name filter also matches parts of names), if there is one. */
export async function findDataTable(ctx: RequestContext, api: N8nApi, name: string): Promise<DataTable | undefined> {
	let cursor: string | undefined;
	// A project holds few tables; 20 pages of 250 is far more than any instance has.
	for (let page = 0; page < 20; page++) {
		const body = await call(ctx, api, `list the Data Tables to find '${name}'`, 'list', {
			method: 'GET',
			path: '/data-tables',
			qs: { filter: JSON.stringify({ name }), limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) },
		});
		if (!isObject(body) || !Array.isArray(body.data)) throw new InputError(`n8n answered the list of Data Tables with an unexpected shape`, NOT_N8N);
		const found = body.data.map(readTable).find((table) => table?.name === name);
		if (found) return found;
		cursor = typeof body.nextCursor === 'string' && body.nextCursor ? body.nextCursor : undefined;
		if (!cursor) return undefined;
	}
	return undefined;
}

export async function createDataTable(ctx: RequestContext, api: N8nApi, name: string, columns: readonly Column[]): Promise<DataTable> {
	const body = await call(ctx, api, `create the Data Table '${name}'`, 'list', {
		method: 'POST',
		path: '/data-tables',
		body: { name, columns: columns.map(({ name: column, type }) => ({ name: column, type })) },
	});
	const table = readTable(body);
	if (!table) throw new InputError(`n8n answered the creation of the Data Table '${name}' with an unexpected shape`, NOT_N8N);
	return table;
}

export async function addColumn(ctx: RequestContext, api: N8nApi, table: DataTable, column: Column): Promise<void> {
	await call(ctx, api, `add the column '${column.name}' to the Data Table '${table.name}'`, 'table', {
		method: 'POST',
		path: `/data-tables/${pathSegment(table.id, 'Data Table ID')}/columns`,
		body: { name: column.name, type: column.type },
	});
}

/** Every row matching `filter`, oldest first, `maxRows` at most (`truncated` says whether more were there). */
export async function listRows(
	ctx: RequestContext,
	api: N8nApi,
	table: DataTable,
	filter: RowFilter,
	maxRows: number,
): Promise<{ rows: Row[]; truncated: boolean }> {
	const rows: Row[] = [];
	let cursor: string | undefined;
	const pages = Math.ceil(maxRows / PAGE_SIZE) + 1;
	for (let page = 0; page < pages; page++) {
		const body = await call(ctx, api, `read the Data Table '${table.name}'`, 'table', {
			method: 'GET',
			path: `/data-tables/${pathSegment(table.id, 'Data Table ID')}/rows`,
			qs: { filter: JSON.stringify(filter), sortBy: 'id:asc', limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) },
		});
		if (!isObject(body) || !Array.isArray(body.data)) throw new InputError(`n8n answered the rows of the Data Table '${table.name}' with an unexpected shape`, NOT_N8N);
		for (const row of body.data) if (isObject(row)) rows.push(row as Row);
		cursor = typeof body.nextCursor === 'string' && body.nextCursor ? body.nextCursor : undefined;
		if (!cursor) return { rows: rows.slice(0, maxRows), truncated: rows.length > maxRows };
		if (rows.length >= maxRows) return { rows: rows.slice(0, maxRows), truncated: true };
	}
	return { rows: rows.slice(0, maxRows), truncated: true };
}

/** Updates the row matching `filter`, or inserts `data` when none does; returns the row. */
export async function upsertRow(ctx: RequestContext, api: N8nApi, table: DataTable, filter: RowFilter, data: IDataObject): Promise<Row> {
	const body = await call(ctx, api, `write to the Data Table '${table.name}'`, 'table', {
		method: 'POST',
		path: `/data-tables/${pathSegment(table.id, 'Data Table ID')}/rows/upsert`,
		body: { filter: filter as unknown as IDataObject, data, returnData: true },
	});
	const row = Array.isArray(body) ? body[0] : body;
	return isObject(row) ? (row as Row) : {};
}

/** Sets `data` on every row matching `filter`. */
export async function updateRows(ctx: RequestContext, api: N8nApi, table: DataTable, filter: RowFilter, data: IDataObject): Promise<void> {
	await call(ctx, api, `update the Data Table '${table.name}'`, 'table', {
		method: 'PATCH',
		path: `/data-tables/${pathSegment(table.id, 'Data Table ID')}/rows/update`,
		body: { filter: filter as unknown as IDataObject, data, returnData: false },
	});
}
