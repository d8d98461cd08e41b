import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { apiError } from '../../../../shared/errors';
import { checkEmail, checkText } from '../../../../shared/validation';
import { maarchApiRequest } from '../../../transport';
import { checkPersonFields, optionalPersonFields } from './common';
import { pathSegment } from '../../../../shared/path';

const properties: INodeProperties[] = [
	{
		displayName: 'Login',
		name: 'login',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. bwayne',
		description:
			'The login the user signs in with (1 to 128 letters, digits, dots, @, _ or -). It cannot be changed later.',
	},
	{
		displayName: 'First Name',
		name: 'firstname',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Bruce',
	},
	{
		displayName: 'Last Name',
		name: 'lastname',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Wayne',
	},
	{
		displayName: 'Email',
		name: 'mail',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. bruce.wayne@mairie.example.fr',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		options: optionalPersonFields,
	},
	{
		displayName: 'If the Login Belonged to a Deleted User',
		name: 'deletedLogin',
		type: 'options',
		default: 'update',
		description:
			'Maarch Courrier restores a deleted account when its login is used again, with its old details, and ignores the ones sent',
		options: [
			{
				name: 'Apply the Given Details',
				value: 'update',
				description: 'Restore the account and update it with the details above',
			},
			{
				name: 'Fail',
				value: 'error',
				description: 'Report it as an error (the account is restored all the same)',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['create'] } },
	properties,
);

const COMPARED_FIELDS = ['firstname', 'lastname', 'mail', 'initials', 'phone', 'mode'];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const login = checkText(this.getNodeParameter('login', itemIndex), {
		field: 'Login',
		required: true,
		max: 128,
		pattern: /^[\w.@-]+$/,
		patternHint: 'A login has only letters, digits, dots, @, _ and -, without spaces or accents.',
	});
	const person: IDataObject = {
		firstname: checkText(this.getNodeParameter('firstname', itemIndex), {
			field: 'First Name',
			required: true,
			max: 255,
		}),
		lastname: checkText(this.getNodeParameter('lastname', itemIndex), {
			field: 'Last Name',
			required: true,
			max: 255,
		}),
		mail: checkEmail(this.getNodeParameter('mail', itemIndex), 'Email'),
		...checkPersonFields(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
	};
	const onDeletedLogin = this.getNodeParameter('deletedLogin', itemIndex, 'update') as string;

	const created = (await maarchApiRequest(this, 'POST', '/users', {
		body: { userId: login, ...person },
		itemIndex,
		subject: { login },
	})) as { id?: number };
	const id = String(created?.id ?? '');
	if (!/^\d+$/.test(id)) {
		throw apiError(
			this.getNode(),
			{ message: 'Maarch Courrier created the user but did not return its ID' },
			{ itemIndex },
		);
	}

	// Reusing a deleted login revives the old account and ignores the body (field notes), so the
	// account is read back: details that differ from the ones sent reveal a revived account.
	const subject = { userId: id, login };
	const stored = (await maarchApiRequest(this, 'GET', `/users/${pathSegment(id, 'User')}`, { itemIndex, subject })) as IDataObject;
	const differs = COMPARED_FIELDS.some(
		(key) => person[key] !== undefined && String(stored[key] ?? '') !== String(person[key]),
	);
	if (!differs) return stored;

	if (onDeletedLogin === 'error') {
		throw apiError(
			this.getNode(),
			{
				message: `The login '${login}' belonged to a deleted Maarch Courrier user (ID ${id}): Maarch restored that account with its old details`,
				description:
					"The account is active again with its former name and e-mail, groups and entities; the details sent were ignored. Update it with the Update operation, or set 'If the Login Belonged to a Deleted User' to 'Apply the Given Details'.",
			},
			{ itemIndex },
		);
	}
	const merged: IDataObject = {
		firstname: stored.firstname,
		lastname: stored.lastname,
		mail: stored.mail,
		initials: stored.initials,
		phone: stored.phone,
		mode: stored.mode,
		...person,
	};
	await maarchApiRequest(this, 'PUT', `/users/${pathSegment(id, 'User')}`, { body: merged, itemIndex, subject });
	return { ...stored, ...merged, revivedDeletedUser: true };
}
