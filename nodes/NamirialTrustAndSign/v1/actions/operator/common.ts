/**
 * Fields shared by several operator operations. Parameter names are the API's keys.
 */
import type { INodeProperties } from 'n8n-workflow';

import { AUTHORIZATIONS, REPORT_TYPES } from '../../../helpers/operators';

const AUTHORIZATION_LABELS: Record<string, { name: string; description: string }> = {
	ADMINISTRATION: { name: 'Administration', description: 'Manage operators and settings' },
	VALIDATION: { name: 'Validation', description: 'Validate client files' },
	CLIENT_FILES_DOWNLOAD: { name: 'Client Files Download', description: 'Download client files' },
	CLIENT_FILES_TRANSFER: { name: 'Client Files Transfer', description: 'Transfer client files' },
	UPDATE_CLIENT_FILES: { name: 'Update Client Files', description: 'Change client files' },
};

export const emailProperty: INodeProperties = {
	displayName: 'Email',
	name: 'email',
	type: 'string',
	placeholder: 'e.g. jeanne.martin@example.fr',
	required: true,
	default: '',
	description: 'The e-mail address of the operator: Trust and Sign identifies operators by it',
};

export const authorizationsField: INodeProperties = {
	displayName: 'Authorizations',
	name: 'authorizations',
	type: 'multiOptions',
	options: AUTHORIZATIONS.map((value) => ({ value, ...AUTHORIZATION_LABELS[value] })),
	default: [],
	description: 'What the operator may do',
};

export const reportTypesField: INodeProperties = {
	displayName: 'Report Types',
	name: 'reportTypes',
	type: 'multiOptions',
	options: REPORT_TYPES.map((value) => ({
		value,
		name: value === 'ACTIVITY' ? 'Activity' : 'Email',
	})),
	default: [],
	description: 'The activity reports the operator receives',
};

const linkedToAllProducts: INodeProperties = {
	displayName: 'Linked to All Products',
	name: 'linkedToAllProducts',
	type: 'boolean',
	default: false,
	description: 'Whether the operator sees every product',
};

const linkedToAllGroups: INodeProperties = {
	displayName: 'Linked to All Groups',
	name: 'linkedToAllGroups',
	type: 'boolean',
	default: false,
	description: 'Whether the operator sees every group',
};

const externalId: INodeProperties = {
	displayName: 'External ID',
	name: 'externalId',
	type: 'string',
	default: '',
	placeholder: 'e.g. HR-00042',
	description: 'Your own identifier for the operator',
};

const firstName: INodeProperties = {
	displayName: 'First Name',
	name: 'firstName',
	type: 'string',
	default: '',
	placeholder: 'e.g. Jeanne',
};

const lastName: INodeProperties = {
	displayName: 'Last Name',
	name: 'lastName',
	type: 'string',
	default: '',
	placeholder: 'e.g. Martin',
};

export const productsField: INodeProperties = {
	displayName: 'Product Public IDs',
	name: 'productsPublicId',
	type: 'string',
	default: '',
	placeholder: 'e.g. P1, P2',
	description: 'Public IDs of the products the operator can access, separated by commas (or an array from an expression)',
};

export const groupsField: INodeProperties = {
	displayName: 'Group Labels',
	name: 'groupsLabel',
	type: 'string',
	default: '',
	placeholder: 'e.g. DEFAULT, Agence Nord',
	description: 'Labels of the groups the operator can access, separated by commas (or an array from an expression)',
};

/** The required fields of a new operator (create and create in batch). */
export const newOperatorFields: INodeProperties[] = [
	emailProperty,
	{ ...firstName, required: true },
	{ ...lastName, required: true },
];

/** Optional fields of a new operator; the batch can also set products and groups. */
export function additionalFields(withLists: boolean): INodeProperties {
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		options: [
			authorizationsField,
			externalId,
			...(withLists ? [groupsField] : []),
			linkedToAllGroups,
			linkedToAllProducts,
			...(withLists ? [productsField] : []),
			reportTypesField,
		],
	};
}

/** The fields an update may change: only those added are sent (or written in the CSV). */
export function updateFields(withLists: boolean): INodeProperties {
	return {
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		description: 'Only the fields added here are changed; the others keep their value',
		options: [
			authorizationsField,
			externalId,
			firstName,
			...(withLists ? [groupsField] : []),
			lastName,
			linkedToAllGroups,
			linkedToAllProducts,
			...(withLists ? [productsField] : []),
			reportTypesField,
		],
	};
}
