import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../../../shared/validation';
import { resolveUserId } from '../../../helpers/users';
import { maarchApiRequest } from '../../../transport';
import { checkPersonFields, optionalPersonFields, userLocator } from './common';
import { pathSegment } from '../../../../shared/path';

const properties: INodeProperties[] = [
	userLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		description: 'Only the fields added here change; every other field keeps its value',
		options: [
			{
				displayName: 'Email',
				name: 'mail',
				type: 'string',
				default: '',
				placeholder: 'e.g. bruce.wayne@mairie.example.fr',
			},
			{
				displayName: 'First Name',
				name: 'firstname',
				type: 'string',
				default: '',
			},
			...optionalPersonFields.slice(0, 1),
			{
				displayName: 'Last Name',
				name: 'lastname',
				type: 'string',
				default: '',
			},
			...optionalPersonFields.slice(1),
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['update'] } },
	properties,
);

/** The fields PUT /rest/users/{id} replaces. */
const WRITABLE_FIELDS = ['firstname', 'lastname', 'mail', 'initials', 'phone', 'mode'];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const userId = await resolveUserId(this, itemIndex);
	const changes = checkPersonFields(this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject);
	if (Object.keys(changes).length === 0) {
		throw new InputError(
			'Nothing to update',
			"Add at least one field under 'Update Fields' with a value. Fields left empty keep their current value.",
		);
	}
	const subject = { userId };
	// PUT is a full replace that clears an omitted mail or initials and needs the names every
	// time (field notes): read the user, merge the changes, write the whole.
	const current = (await maarchApiRequest(this, 'GET', `/users/${pathSegment(userId, 'User')}`, {
		itemIndex,
		subject,
	})) as IDataObject;
	const body: IDataObject = {};
	for (const key of WRITABLE_FIELDS) {
		const value = changes[key] ?? current[key];
		if (value !== undefined && value !== null) body[key] = value;
	}
	await maarchApiRequest(this, 'PUT', `/users/${pathSegment(userId, 'User')}`, {
		body,
		itemIndex,
		subject: { ...subject, mode: typeof body.mode === 'string' ? body.mode : undefined },
	});
	// Nothing is read back after the write: Maarch answers 204 and stores the body as sent (a full
	// replace), so the user read before, with the body over it, is the user as stored. The read
	// before the write is the one this operation cannot do without (2 requests per item).
	return { ...current, ...body };
}
