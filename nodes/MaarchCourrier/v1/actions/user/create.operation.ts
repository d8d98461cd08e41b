import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { apiError } from '../../../../shared/errors';
import { checkEmail, checkText } from '../../../../shared/validation';
import { maarchApiRequest } from '../../../transport';
import { checkPersonFields, optionalPersonFields } from './common';
import { createdUser, isRestoredAccount } from '../../../helpers/users';
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
			'Maarch Courrier restores a deleted account when its login is used again, with its old details, and ignores the ones sent. It answers exactly as for a new account, so only reading the account back tells.',
		// The values and their order are frozen (v1): 'update' is the default of every saved workflow.
		options: [
			{
				name: 'Assume a New Account',
				value: 'update',
				description:
					'One request per user; the output holds the details sent. A restored account is not noticed and keeps its old details.',
			},
			{
				name: 'Check and Fail',
				value: 'error',
				description:
					'Read the account back (one more request per user) and report a restored account as an error (it is restored all the same)',
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

	const created = (await maarchApiRequest(this, 'POST', '/users', {
		body: { userId: login, ...person },
		itemIndex,
		subject: { login },
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
	// One request: the output is built from the details sent, the ID answered and what Maarch
	// sets on a new account (createdUser), with the keys and types of the account read back.
	const user = createdUser(Number(id), login, person);
	if (onDeletedLogin !== 'error') return user;

	// The one read-back: a login that belonged to a deleted user revives the old account, ignores
	// the details sent (field notes) and gets the same `{"id"}` answer as a new account, so only
	// the account itself tells. Asked for ('Check and Fail'), it costs one GET per creation.
	const stored = (await maarchApiRequest(this, 'GET', `/users/${pathSegment(id, 'User')}`, {
		itemIndex,
		subject: { userId: id, login },
		shape: { what: 'a user (a JSON object with its id)', test: (value) => isObject(value) && value.id !== undefined },
	})) as IDataObject;
	if (isRestoredAccount(stored, person)) {
		throw apiError(
			this.getNode(),
			{
				message: `The login '${login}' belonged to a deleted Maarch Courrier user (ID ${id}): Maarch restored that account with its old details`,
				description:
					"The account is active again with its former name and e-mail, groups and entities; the details sent were ignored. Update it with the Update operation if it is the right person.",
			},
			{ itemIndex },
		);
	}
	return user;
}
