/**
 * Operator fields as Trust and Sign expects them, checked before any request, and their CSV form
 * for the batch routes. Pure functions.
 *
 * Keys are case-sensitive: the JSON examples' spelling is the one the API reads (`firstName`,
 * `reportTypes`, ...), not the tables' (`FirstName`, ...) (field notes).
 */
import type { IDataObject } from 'n8n-workflow';

import { InputError, checkEmail, checkText, splitList } from '../../shared/validation';

export const AUTHORIZATIONS = [
	'ADMINISTRATION',
	'VALIDATION',
	'CLIENT_FILES_DOWNLOAD',
	'CLIENT_FILES_TRANSFER',
	'UPDATE_CLIENT_FILES',
] as const;

export const REPORT_TYPES = ['ACTIVITY', 'EMAIL'] as const;

/** The columns of the create and update CSV, in the documented order. */
export const OPERATOR_CSV_COLUMNS = [
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
] as const;

/** The one column of the delete CSV. */
export const DELETE_CSV_COLUMNS = ['email'] as const;

export interface OperatorFields {
	email: string;
	firstName?: string;
	lastName?: string;
	authorizations?: string[];
	reportTypes?: string[];
	linkedToAllProducts?: boolean;
	linkedToAllGroups?: boolean;
	productsPublicId?: string[];
	groupsLabel?: string[];
	externalId?: string;
}

/** Values of a multi-select (an array, or text from an expression) checked against the documented ones. */
export function checkChoices(value: unknown, allowed: readonly string[], field: string): string[] {
	const items = splitList(value).map((item) => item.toUpperCase());
	const unknown = items.filter((item) => !allowed.includes(item));
	if (unknown.length > 0) {
		throw new InputError(
			`'${field}' has an unknown value: ${unknown.map((item) => JSON.stringify(item)).join(', ')}`,
			`Allowed values: ${allowed.join(', ')}.`,
		);
	}
	return items;
}

/**
 * A list of product public IDs or group labels. In the CSV a list is written `[a|b]`, so an item
 * holding `|`, `[` or `]` could not be read back: it is rejected here rather than sent.
 */
export function checkListItems(value: unknown, field: string): string[] {
	const items = splitList(value, { splitOnSpaces: false });
	const bad = items.find((item) => /[|[\]]/.test(item));
	if (bad !== undefined) {
		throw new InputError(
			`'${field}' has an item with a list delimiter ('|', '[' or ']'): ${JSON.stringify(bad)}`,
			'Trust and Sign writes lists as [a|b] in its CSV batches: product IDs and group labels cannot contain these characters.',
		);
	}
	return items;
}

export function checkBoolean(value: unknown, field: string): boolean | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'boolean') return value;
	const text = String(value).trim().toLowerCase();
	if (text === 'true') return true;
	if (text === 'false') return false;
	throw new InputError(`'${field}' must be true or false, got ${JSON.stringify(value)}`);
}

/**
 * Checks the optional fields given (names as in the API) and returns the ones set. Text left empty
 * is dropped; a list or multi-select that was added but left empty is kept as [] (it clears).
 */
export function checkOperatorFields(fields: IDataObject): Omit<OperatorFields, 'email'> {
	const checked: Omit<OperatorFields, 'email'> = {};
	const text = (key: 'firstName' | 'lastName' | 'externalId', field: string) => {
		if (fields[key] === undefined) return;
		const value = checkText(fields[key], { field, max: 255 });
		if (value) checked[key] = value;
	};
	text('firstName', 'First Name');
	text('lastName', 'Last Name');
	text('externalId', 'External ID');
	if (fields.authorizations !== undefined) {
		checked.authorizations = checkChoices(fields.authorizations, AUTHORIZATIONS, 'Authorizations');
	}
	if (fields.reportTypes !== undefined) {
		checked.reportTypes = checkChoices(fields.reportTypes, REPORT_TYPES, 'Report Types');
	}
	const linkedToAllProducts = checkBoolean(fields.linkedToAllProducts, 'Linked to All Products');
	if (linkedToAllProducts !== undefined) checked.linkedToAllProducts = linkedToAllProducts;
	const linkedToAllGroups = checkBoolean(fields.linkedToAllGroups, 'Linked to All Groups');
	if (linkedToAllGroups !== undefined) checked.linkedToAllGroups = linkedToAllGroups;
	if (fields.productsPublicId !== undefined) {
		checked.productsPublicId = checkListItems(fields.productsPublicId, 'Product Public IDs');
	}
	if (fields.groupsLabel !== undefined) {
		checked.groupsLabel = checkListItems(fields.groupsLabel, 'Group Labels');
	}
	return checked;
}

/** An operator's e-mail: required; its format is checked by `checkEmail`. */
export function checkOperatorEmail(value: unknown): string {
	return checkEmail(value, 'Email');
}

/** `[a|b]`, `[]` for an empty list, '' (column left empty) for a list not given. */
export function csvList(items: readonly string[] | undefined): string {
	return items === undefined ? '' : `[${items.join('|')}]`;
}

/** One row of the create/update CSV: fields not given stay empty (not modified on update). */
export function operatorCsvRow(operator: OperatorFields): string[] {
	const bool = (value: boolean | undefined) => (value === undefined ? '' : String(value));
	return [
		operator.email,
		operator.firstName ?? '',
		operator.lastName ?? '',
		csvList(operator.authorizations),
		csvList(operator.reportTypes),
		bool(operator.linkedToAllProducts),
		bool(operator.linkedToAllGroups),
		csvList(operator.productsPublicId),
		csvList(operator.groupsLabel),
		operator.externalId ?? '',
	];
}

/** Splits a list into consecutive chunks of at most `size` elements. */
export function chunk<T>(list: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1) throw new Error(`chunk size must be a positive integer, got ${size}`);
	const chunks: T[][] = [];
	for (let start = 0; start < list.length; start += size) chunks.push(list.slice(start, start + size));
	return chunks;
}

export interface BatchRowError {
	email?: string;
	/** The 0-based data row in the CSV sent. */
	index?: number;
	reason?: string;
	errorCode?: number | string;
}

export interface BatchReport {
	action?: string;
	usersSend?: number;
	usersSuccess?: number;
	usersError?: number;
	errors: BatchRowError[];
}

/** Reads a batch report leniently (undocumented fields may appear; `errors` may be missing, or hold entries that are not objects). */
export function readBatchReport(body: unknown): BatchReport | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const data = body as IDataObject;
	const number = (value: unknown) => (typeof value === 'number' ? value : undefined);
	const errors = Array.isArray(data.errors) ? (data.errors as unknown[]) : [];
	return {
		action: typeof data.action === 'string' ? data.action : undefined,
		usersSend: number(data.usersSend),
		usersSuccess: number(data.usersSuccess),
		usersError: number(data.usersError),
		// An entry that is not an object names no row: kept as its text, so that it fails its request's rows.
		errors: errors
			.map((entry): IDataObject => (entry && typeof entry === 'object' && !Array.isArray(entry) ? (entry as IDataObject) : { reason: typeof entry === 'string' ? entry : JSON.stringify(entry) }))
			.map((entry) => ({
				email: typeof entry.email === 'string' ? entry.email : undefined,
				index: typeof entry.index === 'number' ? entry.index : Number.isInteger(Number(entry.index)) && entry.index !== null && entry.index !== '' ? Number(entry.index) : undefined,
				reason: typeof entry.reason === 'string' ? entry.reason : undefined,
				errorCode: typeof entry.errorCode === 'number' || typeof entry.errorCode === 'string' ? entry.errorCode : undefined,
			})),
	};
}

/**
 * Which row each report error belongs to: by its `index` (0-based data row) when it points at a
 * row with the same e-mail (or gives no e-mail), else by its e-mail. Returns row -> error.
 */
export function matchReportErrors(
	emails: readonly string[],
	errors: readonly BatchRowError[],
): { byRow: Map<number, BatchRowError>; unmatched: BatchRowError[] } {
	const byRow = new Map<number, BatchRowError>();
	const unmatched: BatchRowError[] = [];
	for (const error of errors) {
		const index = error.index;
		if (
			index !== undefined &&
			index >= 0 &&
			index < emails.length &&
			!byRow.has(index) &&
			(error.email === undefined || error.email === emails[index])
		) {
			byRow.set(index, error);
			continue;
		}
		const byEmail = emails.findIndex((email, row) => email === error.email && !byRow.has(row));
		if (error.email !== undefined && byEmail >= 0) byRow.set(byEmail, error);
		else unmatched.push(error);
	}
	return { byRow, unmatched };
}
