import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError, splitList } from '../../../../shared/validation';
import { flowerDocsApiRequest } from '../../../transport';
import { checkUserId, outputUser } from './common';

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
	const response = await flowerDocsApiRequest(ctx, 'GET', `/rest/users/${ids.map(encodeURIComponent).join(',')}`, {
		qs: { resolveAuthorities },
		itemIndex,
		subject: { userId: ids.join(', ') },
	});
	// One element may come back bare on some versions: accept both shapes.
	const users = Array.isArray(response) ? response : response && typeof response === 'object' ? [response] : [];
	return users as IDataObject[];
}
