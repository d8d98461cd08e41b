/**
 * Fields shared by several user operations.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { checkEmail, checkText } from '../../../../shared/validation';

export const userLocator: INodeProperties = {
	displayName: 'User',
	name: 'userId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Maarch Courrier user to act on',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a user...',
			typeOptions: { searchListMethod: 'searchUsers', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 42',
			hint: 'The technical ID (users.id), a number',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^[0-9]+$', errorMessage: 'The technical ID is a number, e.g. 42' },
				},
			],
		},
		{
			displayName: 'By Login',
			name: 'login',
			type: 'string',
			placeholder: 'e.g. bbain',
			hint: 'The login the user signs in with (user_id)',
		},
	],
};

export const modeOptions = [
	{ name: 'Standard', value: 'standard', description: 'A person using Maarch Courrier' },
	{ name: 'Web Service (REST)', value: 'rest', description: 'An account for API access' },
	{
		name: 'Super Administrator, Assignable',
		value: 'root_invisible',
		description: 'A super administrator who can be assigned mail in workflows',
	},
	{
		name: 'Super Administrator, Not Assignable',
		value: 'root_visible',
		description: 'A super administrator who cannot be assigned mail in workflows',
	},
];

export const statusOptions = [
	{ name: 'Active', value: 'OK' },
	{ name: 'Absent', value: 'ABS' },
	{ name: 'Suspended', value: 'SPD' },
];

/** Optional person fields, in one place for Create's "Additional Fields" and Update's fields. */
export const optionalPersonFields: INodeProperties[] = [
	{
		displayName: 'Initials',
		name: 'initials',
		type: 'string',
		default: '',
		placeholder: 'e.g. BW',
		description: 'At most 32 characters',
	},
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		options: modeOptions,
		default: 'standard',
		description: 'The kind of account',
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: '',
		placeholder: 'e.g. +33120212223',
	},
];

/** Checks person fields as Maarch does (lengths, e-mail) and returns the trimmed values given. */
export function checkPersonFields(fields: IDataObject): IDataObject {
	const checked: IDataObject = {};
	const text = (key: string, field: string, max: number) => {
		if (fields[key] === undefined) return;
		const value = checkText(fields[key], { field, max });
		if (value) checked[key] = value;
	};
	text('firstname', 'First Name', 255);
	text('lastname', 'Last Name', 255);
	text('initials', 'Initials', 32);
	text('phone', 'Phone', 255);
	if (fields.mail !== undefined) {
		const mail = checkEmail(fields.mail, 'Email', false);
		if (mail) checked.mail = mail;
	}
	if (fields.mode !== undefined && fields.mode !== '') checked.mode = fields.mode;
	return checked;
}
