import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { apiError } from '../../../../shared/errors';
import { checkEmail, checkText } from '../../../../shared/validation';
import { maarchApiRequest } from '../../../transport';
import { checkPersonFields, optionalPersonFields } from './common';
import { createdUser, executionUserList, isRestoredAccount } from '../../../helpers/users';
import { pathSegment } from '../../../../shared/path';
import { isObject } from '../../../../shared/request';

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
		// The values and their order are frozen (v1): 'update' is the default of every saved workflow.
		options: [
			{
				name: 'Apply the Given Details',
				value: 'update',
				description:
					'Update the restored account with the details sent. Noticed from its ID, older than the accounts listed once per execution; a restored account newer than every active one is not noticed (use Fail to read each creation back).',
			},
			{
				name: 'Fail',
				value: 'error',
				description:
					'Read every created account back (one more request per user) and report a restored account as an error (it is restored all the same)',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['create'] } },
	properties,
);

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
	// The IDs the instance held before this execution's creations (one list per execution).
	const before = onDeletedLogin === 'error' ? undefined : await executionUserList(this, itemIndex);

	const created = (await maarchApiRequest(this, 'POST', '/users', {
		body: { userId: login, ...person },
		itemIndex,
		subject: { login, mode: typeof person.mode === 'string' ? person.mode : undefined },
	})) as { id?: unknown } | undefined;
	// The ID is the one thing the output cannot take from what was sent: an answer without it is
	// not the documented `{"id": <int>}` (users page, field notes) and is an error, not a guess.
	const id = String(created?.id ?? '');
	if (!/^\d+$/.test(id)) {
		throw apiError(
			this.getNode(),
			{ message: 'Maarch Courrier created the user but did not return its ID' },
			{ itemIndex },
		);
	}
	const subject = { userId: id, login };
	if (before) {
		// A new account gets an ID above every existing one (an auto-increment), deleted ones
		// included. An ID at or below the highest listed one is an existing account: the login of
		// a deleted user (not listed), restored with its old details. Only then is it read back
		// and given the details sent; otherwise the output is built from what was sent.
		const highest = Math.max(0, ...before.map((user) => Number(user.id)).filter(Number.isFinite));
		if (Number(id) > highest) return createdUser(Number(id), login, person);
		const stored = await readUser(this, id, itemIndex, subject);
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
		return { ...createdUser(Number(id), login, person), ...stored, ...merged, revivedDeletedUser: true };
	}

	// 'Fail': every creation read back, a restored account (details other than the ones sent) an error.
	const stored = await readUser(this, id, itemIndex, subject);
	if (isRestoredAccount(stored, person)) {
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
	return createdUser(Number(id), login, person);
}

async function readUser(ctx: IExecuteFunctions, id: string, itemIndex: number, subject: { userId: string; login: string }): Promise<IDataObject> {
	return (await maarchApiRequest(ctx, 'GET', `/users/${pathSegment(id, 'User')}`, {
		itemIndex,
		subject,
		shape: { what: 'a user (a JSON object with its id)', test: (value) => isObject(value) && value.id !== undefined },
	})) as IDataObject;
}
