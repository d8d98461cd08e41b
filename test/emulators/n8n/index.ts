/**
 * n8n's public API for Data Tables (`/api/v1/data-tables`), as n8n 2.41.1 serves it
 * (`packages/cli/src/public-api/v1/openapi.yml` and the data-table handlers): for the register's
 * tests without a running n8n. The real-n8n e2e runs against n8n itself.
 *
 * Strict where the page is: the `X-N8N-API-KEY` header (401 without the right key), the key's
 * scopes (403 `Forbidden`), `limit` at most 250, filters `{type, filters: [{columnName,
 * condition, value}]}` with the eight documented conditions, column names
 * `^[a-zA-Z][a-zA-Z0-9_]*$` and the four types, unknown columns and values of the wrong type
 * refused (400), table names unique (409). Where the page is silent, the emulator is stricter
 * than n8n may be, and says so: a date column takes an ISO 8601 text or null only; the name
 * filter of the table list matches parts of names (as n8n's does), so a client must compare
 * names itself.
 *
 * `apiMissing` answers 404 to every route, as n8n 1.x (no Data Table API) does.
 */
import { EmulatorServer } from '../shared/server';
import type { EmulatorResponse, LoggedRequest } from '../shared/server';

export const N8N_API_PREFIX = '/api/v1';

export const ALL_SCOPES = [
	'dataTable:list',
	'dataTable:create',
	'dataTable:read',
	'dataTable:update',
	'dataTable:delete',
	'dataTableColumn:create',
	'dataTableRow:read',
	'dataTableRow:create',
	'dataTableRow:update',
	'dataTableRow:upsert',
	'dataTableRow:delete',
];

type ColumnType = 'string' | 'number' | 'boolean' | 'date';
type Value = string | number | boolean | null;

interface TableColumn {
	id: string;
	name: string;
	type: ColumnType;
	index: number;
}

interface Table {
	id: string;
	name: string;
	columns: TableColumn[];
	rows: Array<Record<string, Value> & { id: number; createdAt: string; updatedAt: string }>;
	nextRowId: number;
}

interface Filter {
	type?: 'and' | 'or';
	filters: Array<{ columnName: string; condition: string; value: Value }>;
}

const CONDITIONS = ['eq', 'neq', 'like', 'ilike', 'gt', 'gte', 'lt', 'lte'];
const COLUMN_NAME = /^[a-zA-Z][a-zA-Z0-9_]*$/;
const TYPES: ColumnType[] = ['string', 'number', 'boolean', 'date'];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

class BadRequest extends Error {}

const error = (status: number, message: string): EmulatorResponse => ({ status, body: { message } });

export interface N8nApiEmulatorOptions {
	apiKey?: string;
	scopes?: string[];
	/** Answer 404 to everything, as n8n 1.x does. */
	apiMissing?: boolean;
}

export class N8nApiEmulator {
	readonly server: EmulatorServer;
	readonly tables = new Map<string, Table>();
	apiKey: string;
	scopes: Set<string>;
	apiMissing: boolean;
	private nextTableId = 1;

	constructor(options: N8nApiEmulatorOptions = {}) {
		this.apiKey = options.apiKey ?? 'n8n-api-key-for-tests-0123456789';
		this.scopes = new Set(options.scopes ?? ALL_SCOPES);
		this.apiMissing = options.apiMissing === true;
		this.server = new EmulatorServer({ guard: (request) => this.authenticate(request), notFound: () => error(404, 'not found') });
		const route = (method: string, path: string, scope: string, handler: (request: LoggedRequest, params: Record<string, string>) => EmulatorResponse) =>
			this.server.route(method, `${N8N_API_PREFIX}${path}`, (request, params) => {
				if (!this.scopes.has(scope)) return error(403, 'Forbidden');
				try {
					return handler(request, params);
				} catch (caught) {
					if (caught instanceof BadRequest) return error(400, caught.message);
					throw caught;
				}
			});
		route('GET', '/data-tables', 'dataTable:list', (request) => this.listTables(request));
		route('POST', '/data-tables', 'dataTable:create', (request) => this.createTable(request.body));
		route('GET', '/data-tables/:id', 'dataTable:read', (_request, { id }) => {
			const table = this.tables.get(id);
			return table ? { status: 200, body: this.describe(table) } : error(404, `Could not find the data table: '${id}'`);
		});
		route('POST', '/data-tables/:id/columns', 'dataTableColumn:create', (request, { id }) => this.withTable(id, (table) => this.addColumn(table, request.body)));
		route('GET', '/data-tables/:id/rows', 'dataTableRow:read', (request, { id }) => this.withTable(id, (table) => this.listRows(table, request)));
		route('POST', '/data-tables/:id/rows', 'dataTableRow:create', (request, { id }) => this.withTable(id, (table) => this.insertRows(table, request.body)));
		route('PATCH', '/data-tables/:id/rows/update', 'dataTableRow:update', (request, { id }) => this.withTable(id, (table) => this.updateRows(table, request.body)));
		route('POST', '/data-tables/:id/rows/upsert', 'dataTableRow:upsert', (request, { id }) => this.withTable(id, (table) => this.upsertRow(table, request.body)));
	}

	get url(): string {
		return this.server.baseUrl;
	}

	get apiUrl(): string {
		return `${this.server.baseUrl}${N8N_API_PREFIX}`;
	}

	async start(port = 0): Promise<string> {
		await this.server.start(port);
		return this.apiUrl;
	}

	async close(): Promise<void> {
		await this.server.close();
	}

	/** The rows of the table of that name (copies). */
	rows(name: string): Array<Record<string, Value>> {
		const table = [...this.tables.values()].find((candidate) => candidate.name === name);
		return table ? table.rows.map((row) => ({ ...row })) : [];
	}

	table(name: string): Table | undefined {
		return [...this.tables.values()].find((candidate) => candidate.name === name);
	}

	private authenticate(request: LoggedRequest): EmulatorResponse | undefined {
		if (this.apiMissing) return error(404, 'not found');
		if (request.headers['x-n8n-api-key'] !== this.apiKey) return error(401, 'unauthorized');
		return undefined;
	}

	private withTable(id: string, handler: (table: Table) => EmulatorResponse): EmulatorResponse {
		const table = this.tables.get(id);
		return table ? handler(table) : error(404, `Could not find the data table: '${id}'`);
	}

	private describe(table: Table) {
		const now = new Date().toISOString();
		return { id: table.id, name: table.name, columns: table.columns, projectId: 'project-1', createdAt: now, updatedAt: now, sizeBytes: 0 };
	}

	private limit(request: LoggedRequest): { offset: number; limit: number } {
		const limit = request.query.limit === undefined ? 100 : Number(request.query.limit);
		if (!Number.isInteger(limit) || limit < 1 || limit > 250) throw new BadRequest('request/query/limit must be <= 250');
		let offset = 0;
		if (typeof request.query.cursor === 'string') {
			try {
				offset = Number((JSON.parse(Buffer.from(request.query.cursor, 'base64').toString('utf8')) as { offset: number }).offset);
			} catch {
				throw new BadRequest('An invalid cursor was provided');
			}
		}
		return { offset, limit };
	}

	private page<T>(items: T[], { offset, limit }: { offset: number; limit: number }) {
		const next = offset + limit < items.length ? Buffer.from(JSON.stringify({ offset: offset + limit, limit })).toString('base64') : null;
		return { data: items.slice(offset, offset + limit), nextCursor: next };
	}

	private listTables(request: LoggedRequest): EmulatorResponse {
		const paging = this.limit(request);
		let name: string | undefined;
		if (typeof request.query.filter === 'string') {
			const filter = this.parseJson(request.query.filter, 'filter') as { name?: unknown };
			if (filter.name !== undefined) name = String(filter.name).toLowerCase();
		}
		const tables = [...this.tables.values()].filter((table) => name === undefined || table.name.toLowerCase().includes(name));
		return { status: 200, body: this.page(tables.map((table) => this.describe(table)), paging) };
	}

	private checkColumn(column: unknown): { name: string; type: ColumnType } {
		const { name, type } = (column ?? {}) as { name?: unknown; type?: unknown };
		if (typeof name !== 'string' || !COLUMN_NAME.test(name) || name.length > 63) throw new BadRequest(`Invalid column name: ${JSON.stringify(name)}`);
		if (!TYPES.includes(type as ColumnType)) throw new BadRequest(`Invalid column type: ${JSON.stringify(type)}`);
		return { name, type: type as ColumnType };
	}

	private createTable(body: unknown): EmulatorResponse {
		const { name, columns } = (body ?? {}) as { name?: unknown; columns?: unknown };
		if (typeof name !== 'string' || name.length < 1 || name.length > 128) throw new BadRequest('request/body/name must NOT have fewer than 1 characters');
		if (!Array.isArray(columns)) throw new BadRequest("request/body must have required property 'columns'");
		if ([...this.tables.values()].some((table) => table.name === name)) return error(409, `Data table with name '${name}' already exists in this project`);
		const table: Table = { id: `dt${this.nextTableId++}`, name, columns: [], rows: [], nextRowId: 1 };
		for (const column of columns) {
			const checked = this.checkColumn(column);
			table.columns.push({ id: `${table.id}c${table.columns.length + 1}`, ...checked, index: table.columns.length });
		}
		this.tables.set(table.id, table);
		return { status: 201, body: this.describe(table) };
	}

	private addColumn(table: Table, body: unknown): EmulatorResponse {
		const checked = this.checkColumn(body);
		if (table.columns.some((column) => column.name === checked.name)) return error(409, `Column '${checked.name}' already exists`);
		const column = { id: `${table.id}c${table.columns.length + 1}`, ...checked, index: table.columns.length };
		table.columns.push(column);
		for (const row of table.rows) row[checked.name] = null;
		return { status: 201, body: { ...column, dataTableId: table.id } };
	}

	private parseJson(text: string, what: string): unknown {
		try {
			return JSON.parse(text) as unknown;
		} catch {
			throw new BadRequest(`Invalid ${what}: not JSON`);
		}
	}

	private checkValue(table: Table, name: string, value: unknown): Value {
		const column = table.columns.find((candidate) => candidate.name === name);
		if (!column) throw new BadRequest(`unknown column name '${name}'`);
		if (value === null) return null;
		const wrong = () => new BadRequest(`value '${String(value)}' does not match column type '${column.type}': '${name}'`);
		switch (column.type) {
			case 'string':
				if (typeof value !== 'string') throw wrong();
				return value;
			case 'number':
				if (typeof value !== 'number' || !Number.isFinite(value)) throw wrong();
				return value;
			case 'boolean':
				if (typeof value !== 'boolean') throw wrong();
				return value;
			case 'date':
				// Stricter than the page, which is silent: ISO 8601 text only.
				if (typeof value !== 'string' || !ISO_DATE.test(value) || Number.isNaN(Date.parse(value))) throw wrong();
				return new Date(value).toISOString();
		}
	}

	private checkData(table: Table, data: unknown): Record<string, Value> {
		if (!data || typeof data !== 'object' || Array.isArray(data)) throw new BadRequest('request/body/data must be object');
		const checked: Record<string, Value> = {};
		for (const [name, value] of Object.entries(data as Record<string, unknown>)) checked[name] = this.checkValue(table, name, value);
		return checked;
	}

	private checkFilter(table: Table, raw: unknown): Filter {
		const filter = (raw ?? {}) as Filter;
		if (!Array.isArray(filter.filters) || filter.filters.length === 0) throw new BadRequest('filter must have at least one condition');
		if (filter.type !== undefined && filter.type !== 'and' && filter.type !== 'or') throw new BadRequest('filter type must be and or or');
		for (const condition of filter.filters) {
			if (!CONDITIONS.includes(condition.condition)) throw new BadRequest(`Invalid condition: ${JSON.stringify(condition.condition)}`);
			if (!table.columns.some((column) => column.name === condition.columnName) && !['id', 'createdAt', 'updatedAt'].includes(condition.columnName)) {
				throw new BadRequest(`unknown column name '${condition.columnName}'`);
			}
		}
		return filter;
	}

	private matches(table: Table, row: Record<string, Value>, filter: Filter): boolean {
		const test = ({ columnName, condition, value }: Filter['filters'][number]) => {
			const type = table.columns.find((column) => column.name === columnName)?.type;
			const actual = row[columnName] ?? null;
			const [a, b] = type === 'date' && actual !== null && value !== null ? [Date.parse(String(actual)), Date.parse(String(value))] : [actual, value];
			switch (condition) {
				case 'eq':
					return a === b;
				case 'neq':
					return a !== b;
				case 'like':
				case 'ilike': {
					const pattern = new RegExp(`^${String(b).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*')}$`, condition === 'ilike' ? 'i' : '');
					return a !== null && pattern.test(String(a));
				}
				default: {
					if (a === null || b === null) return false;
					const [x, y] = [a as number, b as number];
					return condition === 'gt' ? x > y : condition === 'gte' ? x >= y : condition === 'lt' ? x < y : x <= y;
				}
			}
		};
		return filter.type === 'or' ? filter.filters.some(test) : filter.filters.every(test);
	}

	private listRows(table: Table, request: LoggedRequest): EmulatorResponse {
		const paging = this.limit(request);
		const filter = typeof request.query.filter === 'string' ? this.checkFilter(table, this.parseJson(request.query.filter, 'filter')) : undefined;
		let rows = table.rows.filter((row) => !filter || this.matches(table, row, filter));
		if (request.query.sortBy === 'id:desc') rows = [...rows].reverse();
		return { status: 200, body: this.page(rows.map((row) => ({ ...row })), paging) };
	}

	private newRow(table: Table, data: Record<string, Value>) {
		const now = new Date().toISOString();
		const row = { id: table.nextRowId++, createdAt: now, updatedAt: now } as Table['rows'][number];
		for (const column of table.columns) row[column.name] = data[column.name] ?? null;
		table.rows.push(row);
		return row;
	}

	private insertRows(table: Table, body: unknown): EmulatorResponse {
		const { data, returnType } = (body ?? {}) as { data?: unknown; returnType?: string };
		if (!Array.isArray(data) || data.length === 0) throw new BadRequest('request/body/data must NOT have fewer than 1 items');
		const rows = data.map((entry) => this.checkData(table, entry)).map((checked) => this.newRow(table, checked));
		if (returnType === 'all') return { status: 200, body: rows.map((row) => ({ ...row })) };
		if (returnType === 'id') return { status: 200, body: rows.map((row) => row.id) };
		return { status: 200, body: { count: rows.length } };
	}

	private updateRows(table: Table, body: unknown): EmulatorResponse {
		const { filter, data, returnData } = (body ?? {}) as { filter?: unknown; data?: unknown; returnData?: boolean };
		const checkedFilter = this.checkFilter(table, filter);
		const checked = this.checkData(table, data);
		const updated = [];
		for (const row of table.rows) {
			if (!this.matches(table, row, checkedFilter)) continue;
			Object.assign(row, checked, { updatedAt: new Date().toISOString() });
			updated.push({ ...row });
		}
		return { status: 200, body: returnData ? updated : true };
	}

	private upsertRow(table: Table, body: unknown): EmulatorResponse {
		const { filter, data, returnData } = (body ?? {}) as { filter?: unknown; data?: unknown; returnData?: boolean };
		const checkedFilter = this.checkFilter(table, filter);
		const checked = this.checkData(table, data);
		const existing = table.rows.filter((row) => this.matches(table, row, checkedFilter));
		for (const row of existing) Object.assign(row, checked, { updatedAt: new Date().toISOString() });
		const row = existing[0] ?? this.newRow(table, checked);
		return { status: 200, body: returnData ? { ...row } : true };
	}
}

export async function startN8nApiEmulator(options: N8nApiEmulatorOptions = {}, port = 0): Promise<N8nApiEmulator> {
	const emulator = new N8nApiEmulator(options);
	await emulator.start(port);
	return emulator;
}
