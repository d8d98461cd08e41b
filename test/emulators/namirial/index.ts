/**
 * Namirial Trust and Sign management API (V6) emulator: the operator routes.
 *
 * Follows ../shared/api-docs/namirial-trust-and-sign-management-api.txt and the Namirial part of
 * the field notes: HTTP Basic with an admin operator, case-sensitive keys (an unknown key such as
 * `FirstName` is rejected, so that a wrong spelling shows in tests), operators keyed by e-mail,
 * DELETE with a JSON body, CSV batches as the multipart part `csv` parsed strictly (RFC 4180),
 * reports answered 200 with per-row errors (`index` is the 0-based data row, code 1005 for a bad
 * e-mail), errors as `{"error": {"message", "code"}}`. Every request is logged; faults can be injected.
 */
import { randomUUID } from 'node:crypto';

import busboy from 'busboy';

import type { EmulatorResponse, LoggedRequest } from '../shared/server';
import { EmulatorServer, VendorEmulator, basicCredentials } from '../shared/server';
import { CsvSyntaxError, parseCsv } from './csv';

export const NAMIRIAL_ADMIN_EMAIL = 'admin@trust.example.fr';
export const NAMIRIAL_ADMIN_PASSWORD = 'Adm1n-Tru5t-Pa55!';

export const AUTHORIZATIONS = ['ADMINISTRATION', 'VALIDATION', 'CLIENT_FILES_DOWNLOAD', 'CLIENT_FILES_TRANSFER', 'UPDATE_CLIENT_FILES'];
export const REPORT_TYPES = ['ACTIVITY', 'EMAIL'];
export const CSV_COLUMNS = [
	'email',
	'firstName',
	'lastName',
	'authorizations',
	'reportTypes',
	'linkedToAllProducts',
	'linkedToAllGroups',
	'productsPublicId',
	'groupsLabel',
	'externalId',
];

const OPERATOR_KEYS = ['email', 'firstName', 'lastName', 'authorizations', 'reportTypes', 'linkedToAllProducts', 'linkedToAllGroups', 'externalId'];
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PREFIX = '/contract/management/users';

export interface NamirialOperator {
	uuid: string;
	firstName: string;
	lastName: string;
	email: string;
	state: 'ACTIVE' | 'DELETE';
	authorizations: string[];
	reportTypes: string[];
	linkedToAllProducts: boolean;
	linkedToAllGroups: boolean;
	externalId?: string;
	productsPublicId: string[];
	groupsLabel: string[];
	/** Only for operators that call the API. */
	password?: string;
}

export interface NamirialSeed {
	operators?: Array<Partial<NamirialOperator> & { email: string }>;
	products?: string[];
	groups?: string[];
}

/** A CSV batch as the emulator read it. */
export interface ReceivedBatch {
	action: 'create' | 'update' | 'delete';
	fileName?: string;
	contentType?: string;
	/** The CSV text as received. */
	text: string;
	header: string[];
	rows: string[][];
}

export interface RowError {
	/** Both left out for a row in `unattributedRows`. */
	email?: string;
	index?: number;
	reason: string;
	errorCode: number;
}

const error = (status: number, message: string, code: number, parameters?: string[]): EmulatorResponse => ({
	status,
	body: { error: { message, code, ...(parameters ? { parameters } : {}) } },
});

class RowRejected extends Error {
	constructor(
		message: string,
		readonly code = 1005,
	) {
		super(message);
	}
}

const invalidFormat = (parameter: string, why: string) => new RowRejected(`Invalid parameter '${parameter}' format (${why})`);

export class NamirialEmulator extends VendorEmulator {
	readonly server: EmulatorServer;

	/** By e-mail. */
	readonly operators = new Map<string, NamirialOperator>();

	readonly products = new Set<string>();

	readonly groups = new Set<string>();

	/** Every CSV batch received, in order. */
	readonly batches: ReceivedBatch[] = [];

	/** E-mails whose rejected row is reported with neither its e-mail nor its index (an error no row can be matched to). */
	readonly unattributedRows = new Set<string>();

	constructor(seed: NamirialSeed = {}) {
		super();
		for (const product of seed.products ?? ['P1', 'P2', 'P3']) this.products.add(product);
		for (const group of seed.groups ?? ['DEFAULT', 'G2', 'Agence Nord']) this.groups.add(group);
		this.addOperator({
			email: NAMIRIAL_ADMIN_EMAIL,
			firstName: 'Admin',
			lastName: 'Trust',
			authorizations: ['ADMINISTRATION'],
			password: NAMIRIAL_ADMIN_PASSWORD,
		});
		for (const operator of seed.operators ?? []) this.addOperator(operator);
		this.server = new EmulatorServer({
			guard: (request) => this.guard(request),
			notFound: () => error(404, 'Not found', 1000),
		});
		this.registerRoutes();
	}

	addOperator(operator: Partial<NamirialOperator> & { email: string }): NamirialOperator {
		const created: NamirialOperator = {
			uuid: randomUUID(),
			firstName: '',
			lastName: '',
			state: 'ACTIVE',
			authorizations: [],
			reportTypes: [],
			linkedToAllProducts: false,
			linkedToAllGroups: false,
			productsPublicId: [],
			groupsLabel: [],
			...operator,
		};
		this.operators.set(created.email, created);
		return created;
	}

	/** An active operator by e-mail. */
	operator(email: string): NamirialOperator | undefined {
		const found = this.operators.get(email);
		return found && found.state === 'ACTIVE' ? found : undefined;
	}

	private guard(request: LoggedRequest): EmulatorResponse | undefined {
		const given = basicCredentials(request);
		const account = given ? this.operator(given.login) : undefined;
		if (!given || !account || account.password === undefined || account.password !== given.password) {
			return error(401, 'Bad credentials', 1000);
		}
		if (!account.authorizations.includes('ADMINISTRATION')) return error(403, 'Access denied', 1000);
		return undefined;
	}

	private view(operator: NamirialOperator) {
		return {
			uuid: operator.uuid,
			firstName: operator.firstName,
			lastName: operator.lastName,
			email: operator.email,
			state: operator.state,
			authorizations: operator.authorizations,
			reportTypes: operator.reportTypes,
			linkedToAllProducts: operator.linkedToAllProducts,
			linkedToAllGroups: operator.linkedToAllGroups,
			externalId: operator.externalId ?? '',
		};
	}

	/** Checks a JSON operator body (create or update) and returns the fields given. */
	private checkJson(body: unknown, allowed: string[]): Record<string, unknown> {
		if (!body || typeof body !== 'object' || Array.isArray(body)) throw new RowRejected('The body must be a JSON object');
		const data = body as Record<string, unknown>;
		for (const key of Object.keys(data)) {
			// Keys are case-sensitive: `FirstName` is not `firstName`.
			if (!allowed.includes(key)) throw new RowRejected(`Unknown parameter '${key}'`);
		}
		if (typeof data.email !== 'string' || !EMAIL_PATTERN.test(data.email)) throw invalidFormat('email', 'Invalid email format');
		const list = (key: string, values: string[]) => {
			if (data[key] === undefined) return;
			if (!Array.isArray(data[key]) || (data[key] as unknown[]).some((item) => !values.includes(item as string))) {
				throw invalidFormat(key, `Expected values among ${values.join(', ')}`);
			}
		};
		list('authorizations', AUTHORIZATIONS);
		list('reportTypes', REPORT_TYPES);
		for (const key of ['linkedToAllProducts', 'linkedToAllGroups']) {
			if (data[key] !== undefined && typeof data[key] !== 'boolean') throw invalidFormat(key, 'Expected a boolean');
		}
		for (const key of ['firstName', 'lastName', 'externalId']) {
			if (data[key] !== undefined && typeof data[key] !== 'string') throw invalidFormat(key, 'Expected a string');
		}
		return data;
	}

	private create(fields: Record<string, unknown>): void {
		const email = fields.email as string;
		if (this.operator(email)) throw new RowRejected(`Operator '${email}' already exists`, 1000);
		if (!fields.firstName) throw invalidFormat('firstName', 'Mandatory');
		if (!fields.lastName) throw invalidFormat('lastName', 'Mandatory');
		this.checkBindings(fields);
		this.addOperator({
			email,
			firstName: fields.firstName as string,
			lastName: fields.lastName as string,
			authorizations: (fields.authorizations as string[]) ?? [],
			reportTypes: (fields.reportTypes as string[]) ?? [],
			linkedToAllProducts: (fields.linkedToAllProducts as boolean) ?? false,
			linkedToAllGroups: (fields.linkedToAllGroups as boolean) ?? false,
			externalId: fields.externalId as string | undefined,
			productsPublicId: (fields.productsPublicId as string[]) ?? [],
			groupsLabel: (fields.groupsLabel as string[]) ?? [],
		});
	}

	private update(fields: Record<string, unknown>): void {
		const operator = this.operator(fields.email as string);
		if (!operator) throw new RowRejected(`Operator '${String(fields.email)}' not found`, 1000);
		this.checkBindings(fields);
		// Only the fields present are updated.
		for (const key of [...OPERATOR_KEYS, 'productsPublicId', 'groupsLabel']) {
			if (key !== 'email' && fields[key] !== undefined) (operator as unknown as Record<string, unknown>)[key] = fields[key];
		}
	}

	private remove(email: string): void {
		if (!EMAIL_PATTERN.test(email)) throw invalidFormat('email', 'Invalid email format');
		const operator = this.operator(email);
		if (!operator) throw new RowRejected(`Operator '${email}' not found`, 1000);
		operator.state = 'DELETE';
	}

	private checkBindings(fields: Record<string, unknown>): void {
		const unknownProducts = ((fields.productsPublicId as string[] | undefined) ?? []).filter((id) => !this.products.has(id));
		if (unknownProducts.length > 0) throw invalidFormat('productsPublicId', `Unknown product ${unknownProducts.join(', ')}`);
		const unknownGroups = ((fields.groupsLabel as string[] | undefined) ?? []).filter((label) => !this.groups.has(label));
		if (unknownGroups.length > 0) throw invalidFormat('groupsLabel', `Unknown group ${unknownGroups.join(', ')}`);
	}

	/** The `csv` part of a multipart body, read with busboy. */
	private async readCsvPart(request: LoggedRequest): Promise<{ text: string; fileName?: string; contentType?: string } | undefined> {
		const contentType = request.headers['content-type'] ?? '';
		if (!/^multipart\/form-data/i.test(contentType)) return undefined;
		return await new Promise((resolve, reject) => {
			let found: { text: string; fileName?: string; contentType?: string } | undefined;
			const parser = busboy({ headers: request.headers, defParamCharset: 'utf8' });
			parser.on('file', (name, stream, info) => {
				const chunks: Buffer[] = [];
				stream.on('data', (chunk: Buffer) => chunks.push(chunk));
				stream.on('end', () => {
					if (name === 'csv') found = { text: Buffer.concat(chunks).toString('utf8'), fileName: info.filename, contentType: info.mimeType };
				});
			});
			parser.on('field', (name, value) => {
				if (name === 'csv') found = { text: value };
			});
			parser.on('error', reject);
			parser.on('close', () => resolve(found));
			parser.end(request.rawBody);
		});
	}

	/** A list column: `[a|b]`, `[]`, or '' (not given). */
	private static list(value: string, column: string): string[] | undefined {
		if (value === '') return undefined;
		if (!value.startsWith('[') || !value.endsWith(']')) throw invalidFormat(column, 'Expected a list like [a|b]');
		const inner = value.slice(1, -1);
		return inner === '' ? [] : inner.split('|');
	}

	private static bool(value: string, column: string): boolean | undefined {
		if (value === '') return undefined;
		if (value !== 'true' && value !== 'false') throw invalidFormat(column, 'Expected true or false');
		return value === 'true';
	}

	private rowFields(header: string[], row: string[]): Record<string, unknown> {
		if (row.length !== header.length) throw new RowRejected(`Invalid line: ${row.length} columns instead of ${header.length}`);
		const value = (column: string) => row[header.indexOf(column)];
		const email = value('email');
		if (!EMAIL_PATTERN.test(email)) throw invalidFormat('email', 'Invalid email format');
		const fields: Record<string, unknown> = { email };
		for (const column of ['firstName', 'lastName', 'externalId']) if (value(column) !== '') fields[column] = value(column);
		for (const column of ['productsPublicId', 'groupsLabel']) fields[column] = NamirialEmulator.list(value(column), column);
		for (const [column, allowed] of [
			['authorizations', AUTHORIZATIONS],
			['reportTypes', REPORT_TYPES],
		] as const) {
			const items = NamirialEmulator.list(value(column), column);
			if (items?.some((item) => !allowed.includes(item))) throw invalidFormat(column, `Expected values among ${allowed.join(', ')}`);
			fields[column] = items;
		}
		for (const column of ['linkedToAllProducts', 'linkedToAllGroups']) fields[column] = NamirialEmulator.bool(value(column), column);
		return fields;
	}

	private async batch(request: LoggedRequest, action: ReceivedBatch['action']): Promise<EmulatorResponse> {
		let part: Awaited<ReturnType<NamirialEmulator['readCsvPart']>>;
		try {
			part = await this.readCsvPart(request);
		} catch (caught) {
			return error(400, `Invalid multipart body: ${(caught as Error).message}`, 1000);
		}
		if (!part) return error(400, "Missing parameter 'csv'", 1005, ['csv']);
		let records: string[][];
		try {
			records = parseCsv(part.text);
		} catch (caught) {
			if (caught instanceof CsvSyntaxError) return error(400, `Invalid CSV file: ${caught.message}`, 1005, ['csv']);
			throw caught;
		}
		const [header = [], ...rows] = records;
		const expected = action === 'delete' ? ['email'] : CSV_COLUMNS;
		const missing = expected.filter((column) => !header.includes(column));
		const extra = header.filter((column) => !expected.includes(column));
		if (missing.length > 0 || extra.length > 0) {
			return error(400, `Invalid CSV header: missing [${missing.join(', ')}], unknown [${extra.join(', ')}]`, 1005, ['csv']);
		}
		this.batches.push({ action, fileName: part.fileName, contentType: part.contentType, text: part.text, header, rows });
		const errors: RowError[] = [];
		for (const [index, row] of rows.entries()) {
			try {
				if (action === 'delete') {
					if (row.length !== 1) throw new RowRejected(`Invalid line: ${row.length} columns instead of 1`);
					this.remove(row[0]);
				} else {
					const fields = this.rowFields(header, row);
					if (action === 'create') this.create(fields);
					else this.update(fields);
				}
			} catch (caught) {
				if (!(caught instanceof RowRejected)) throw caught;
				const email = row[header.indexOf('email')] ?? '';
				errors.push(this.unattributedRows.has(email) ? { reason: caught.message, errorCode: caught.code } : { email, index, reason: caught.message, errorCode: caught.code });
			}
		}
		return {
			status: 200,
			body: { action, usersSend: rows.length, usersSuccess: rows.length - errors.length, usersError: errors.length, errors },
		};
	}

	/** Runs a JSON route, turning a rejected value into the documented error JSON. */
	private static json(run: () => EmulatorResponse): EmulatorResponse {
		try {
			return run();
		} catch (caught) {
			if (!(caught instanceof RowRejected)) throw caught;
			return error(caught.code === 1005 ? 400 : /not found/.test(caught.message) ? 404 : 409, caught.message, caught.code);
		}
	}

	private registerRoutes(): void {
		const s = this.server;
		s.route('GET', PREFIX, (request) => {
			const withInactive = request.query.withInactive === 'true';
			const list = [...this.operators.values()].filter((operator) => withInactive || operator.state === 'ACTIVE');
			return { status: 200, body: list.map((operator) => this.view(operator)) };
		});
		s.route('POST', `${PREFIX}/create`, (request) =>
			NamirialEmulator.json(() => {
				this.create(this.checkJson(request.body, OPERATOR_KEYS));
				return { status: 204 };
			}),
		);
		s.route('PUT', `${PREFIX}/update`, (request) =>
			NamirialEmulator.json(() => {
				this.update(this.checkJson(request.body, OPERATOR_KEYS));
				return { status: 204 };
			}),
		);
		s.route('DELETE', `${PREFIX}/delete`, (request) =>
			NamirialEmulator.json(() => {
				const fields = this.checkJson(request.body, ['email']);
				this.remove(fields.email as string);
				return { status: 204 };
			}),
		);
		const bind = (key: 'productsPublicId' | 'groupsLabel') => (request: LoggedRequest) =>
			NamirialEmulator.json(() => {
				const fields = this.checkJson(request.body, ['email', key]);
				const values = fields[key];
				if (!Array.isArray(values) || values.some((value) => typeof value !== 'string')) throw invalidFormat(key, 'Expected a list of strings');
				const operator = this.operator(fields.email as string);
				if (!operator) throw new RowRejected(`Operator '${String(fields.email)}' not found`, 1000);
				this.checkBindings(fields);
				operator[key] = values as string[];
				return { status: 204 };
			});
		s.route('PUT', `${PREFIX}/products/bind`, bind('productsPublicId'));
		s.route('PUT', `${PREFIX}/groups/bind`, bind('groupsLabel'));
		s.route('POST', `${PREFIX}/create/csv`, async (request) => await this.batch(request, 'create'));
		s.route('POST', `${PREFIX}/update/csv`, async (request) => await this.batch(request, 'update'));
		s.route('DELETE', `${PREFIX}/delete/csv`, async (request) => await this.batch(request, 'delete'));
	}
}

export async function startNamirialEmulator(seed: NamirialSeed = {}, port = 0): Promise<NamirialEmulator> {
	const emulator = new NamirialEmulator(seed);
	await emulator.start(port);
	return emulator;
}
