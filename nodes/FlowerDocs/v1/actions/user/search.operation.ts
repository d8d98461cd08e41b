import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { applyReturnAll, returnAllProperties } from '../../../../shared/returnAll';
import { checkText } from '../../../../shared/validation';
import { isObject } from '../../../../shared/request';
import { flowerDocsApiRequest } from '../../../transport';
import { outputUser } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Search Text',
		name: 'search',
		type: 'string',
		default: '',
		placeholder: 'e.g. dupont',
		description:
			'Text searched, whole or partial, in the ID, first name, last name and display name. Left empty: every user, where the server allows it; a server that follows FlowerDocs\' page requires a text (it has no list of every user).',
	},
	...returnAllProperties,
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['search'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const search = checkText(this.getNodeParameter('search', itemIndex, ''), { field: 'Search Text', max: 255 });
	// The API page names the parameter `search` in its prose and `name` in its example; real
	// clients send `name` (field notes).
	const response = await flowerDocsApiRequest(this, 'GET', '/rest/users/search', {
		qs: { name: search },
		itemIndex,
		// The page has the text to fill in and no route that lists every user: an empty text is sent
		// as saved workflows have it (servers that allow it answer every user), and a server that
		// follows the page refuses it with 400, which the error then explains.
		subject: { search },
		// A list, even when empty: anything else is not "no user found".
		shape: { what: 'a list of users', test: (value) => Array.isArray(value) && value.every(isObject) },
	});
	const users = response as IDataObject[];
	return applyReturnAll(this, itemIndex, users).map(outputUser);
}
