/**
 * Fields and helpers shared by the user operations. The FlowerDocs user model (API page):
 * `{id, firstname, lastname, displayName, mail, password, credentialsExpired, attributes:
 * [{name, values}], groups, profiles}`.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { InputError, checkEmail, checkText, splitList } from '../../../../shared/validation';
import { pathSegment } from '../../../../shared/path';

export const userIdField = (description = 'The unique identifier of the FlowerDocs user'): INodeProperties => ({
	displayName: 'User ID',
	name: 'userId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. jdupont',
	description,
});

/** A user ID: it goes into a URL path, so no slash, comma or spaces around it. */
export function checkUserId(value: unknown, field = 'User ID'): string {
	const id = checkText(value, {
		field,
		required: true,
		max: 255,
		pattern: /^[^/\\,?#\s]+$/,
		patternHint: 'A FlowerDocs user ID has no spaces, slashes, commas, ? or #.',
	});
	// Refuses ".", ".." and encoded separators here too, before any request (the login included).
	pathSegment(id, field);
	return id;
}

export const personFields: INodeProperties[] = [
	{ displayName: 'Display Name', name: 'displayName', type: 'string', default: '', placeholder: 'e.g. Jeanne Dupont' },
	{ displayName: 'Email', name: 'mail', type: 'string', default: '', placeholder: 'e.g. jeanne.dupont@mairie.example.fr' },
	{ displayName: 'First Name', name: 'firstname', type: 'string', default: '' },
	{ displayName: 'Last Name', name: 'lastname', type: 'string', default: '' },
];

export const credentialsExpiredField: INodeProperties = {
	displayName: 'Password Expired',
	name: 'credentialsExpired',
	type: 'boolean',
	default: false,
	description: 'Whether the user must change the password at the next login',
};

export const listField = (name: 'profiles' | 'groups', displayName: string, example: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	placeholder: `e.g. ${example}`,
	description: `Identifiers of the ${displayName.toLowerCase()}, separated by commas`,
});

export const attributesField: INodeProperties = {
	displayName: 'Attributes',
	name: 'attributes',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	default: {},
	placeholder: 'Add attribute',
	description: 'Additional attributes of the user, each with one or more values',
	options: [
		{
			displayName: 'Attribute',
			name: 'attribute',
			values: [
				{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. service' },
				{
					displayName: 'Values',
					name: 'values',
					type: 'string',
					default: '',
					placeholder: 'e.g. DRH, Paie',
					description: 'One or more values, separated by commas',
				},
			],
		},
	],
};

export interface FlowerDocsAttribute {
	name: string;
	values: string[];
}

/** Checks the person fields given (names, display name, e-mail) and returns those with a value. */
export function checkPersonFields(fields: IDataObject): IDataObject {
	const checked: IDataObject = {};
	for (const [key, label] of [
		['firstname', 'First Name'],
		['lastname', 'Last Name'],
		['displayName', 'Display Name'],
	] as const) {
		const value = checkText(fields[key], { field: label, max: 255 });
		if (value) checked[key] = value;
	}
	const mail = checkEmail(fields.mail, 'Email', false);
	if (mail) checked.mail = mail;
	return checked;
}

/** A comma-separated list (or an array from an expression) of identifiers. */
export function checkList(value: unknown, field: string): string[] {
	const items = splitList(value, { splitOnSpaces: false });
	for (const item of items) checkText(item, { field, max: 255 });
	return items;
}

/** The attributes of the fixed collection, with their values split; names must be unique. */
export function checkAttributes(value: unknown): FlowerDocsAttribute[] {
	const rows = ((value as IDataObject | undefined)?.attribute ?? []) as IDataObject[];
	const attributes: FlowerDocsAttribute[] = [];
	for (const row of rows) {
		const name = checkText(row.name, { field: 'Attribute Name', required: true, max: 255 });
		if (attributes.some((attribute) => attribute.name === name)) {
			throw new InputError(`The attribute '${name}' is given twice`, 'Give each attribute once, with all its values.');
		}
		attributes.push({ name, values: splitList(row.values, { splitOnSpaces: false }) });
	}
	return attributes;
}

/** A user as the node outputs it: never its password, lists always present. */
export function outputUser(user: IDataObject): IDataObject {
	const rest = { ...user };
	delete rest.password;
	return rest;
}
