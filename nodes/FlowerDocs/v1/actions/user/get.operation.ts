import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { InputError, splitList } from '../../../../shared/validation';
import type { Shape } from '../../../../shared/request';
import { isObject } from '../../../../shared/request';
import { flowerDocsApiRequest } from '../../../transport';
import { checkUserId, outputUser } from './common';
import { pathSegment } from '../../../../shared/path';

const properties: INodeProperties[] = [
	{
		displayName: 'User IDs',
		name: 'userIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. jdupont, mmartin',
		description: 'One or more user identifiers, separated by commas. The node outputs one item per user.',
	},
	{
		displayName: 'Resolve Authorities',
		name: 'resolveAuthorities',
		type: 'boolean',
		default: true,
		description: 'Whether to include the profiles and groups of each user',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const ids = splitList(this.getNodeParameter('userIds', itemIndex), { splitOnSpaces: false }).map((id) =>
		checkUserId(id, 'User IDs'),
	);
	if (ids.length === 0) throw new InputError("'User IDs' is required");
	const resolveAuthorities = this.getNodeParameter('resolveAuthorities', itemIndex, true) as boolean;
	const users = await getUsers(this, ids, resolveAuthorities, itemIndex);
	return users.map(outputUser);
}

/** GET /rest/users/{ids}: comma-separated ids, an array back (field notes). */
export async function getUsers(
	ctx: IExecuteFunctions,
	ids: string[],
	resolveAuthorities: boolean,
	itemIndex: number,
): Promise<IDataObject[]> {
	const response = await flowerDocsApiRequest(ctx, 'GET', `/rest/users/${ids.map((id) => pathSegment(id, 'User IDs')).join(',')}`, {
		qs: { resolveAuthorities },
		itemIndex,
		subject: { userId: ids.join(', ') },
		shape: USERS_ANSWER,
	});
	// One element may come back bare on some versions: accept both shapes.
	const users = (Array.isArray(response) ? response : [response]) as IDataObject[];
	// Every id asked for must come back: a user left out is an error, never a missing item.
	// A directory behind FlowerDocs (LDAP, AD) may answer an id in its own case: JDupont -> jdupont.
	const returned = new Set(users.map((user) => String(user.id).toLowerCase()));
	const missing = ids.filter((id) => !returned.has(id.toLowerCase()));
	if (missing.length > 0) {
		const names = missing.map((id) => `'${id}'`).join(', ');
		throw new NodeApiError(ctx.getNode(), { message: `FlowerDocs did not return the user${missing.length > 1 ? 's' : ''} ${names}` }, {
			message: `FlowerDocs did not return the user${missing.length > 1 ? 's' : ''} ${names}: ${missing.length > 1 ? 'they do' : 'it does'} not exist or cannot be seen by the credential's account`,
			description: 'Check the user IDs (they are case-sensitive) and the scope in the credential.',
			itemIndex,
		});
	}
	return users;
}

/** What GET /rest/users/{ids} documents: a list of users (or, on some versions, one user), each with its id. */
const USERS_ANSWER: Shape = {
	what: 'a list of users, each with its id',
	test: (value) => (Array.isArray(value) ? value : [value]).every((user) => isObject(user) && typeof user.id === 'string'),
};
