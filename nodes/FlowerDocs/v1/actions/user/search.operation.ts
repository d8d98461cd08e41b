import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { applyReturnAll, returnAllProperties } from '../../../../shared/returnAll';
import { InputError, checkText } from '../../../../shared/validation';
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
			'Text searched, whole or partial, in the ID, first name, last name and display name. Required: FlowerDocs has no list of every user (use Get with IDs for known users).',
	},
	...returnAllProperties,
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['search'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const search = checkText(this.getNodeParameter('search', itemIndex, ''), { field: 'Search Text', max: 255 });
	// The page has the search text to fill in and no route that lists every user; a server that
	// follows it answers `?name=` with 400 "Parameter 'name' is required". Said here, before sending.
	if (search === '') {
		throw new InputError(
			"'Search Text' is required: FlowerDocs has no list of every user, its search needs a text",
			'Give the whole or part of an ID, first name, last name or display name (one letter is enough to match every user whose names contain it), or use Get with the users\' IDs.',
		);
	}
	// The API page names the parameter `search` in its prose and `name` in its example; real
	// clients send `name` (field notes).
	const response = await flowerDocsApiRequest(this, 'GET', '/rest/users/search', {
		qs: { name: search },
		itemIndex,
		// A list, even when empty: anything else is not "no user found".
		shape: { what: 'a list of users', test: (value) => Array.isArray(value) && value.every(isObject) },
	});
	const users = response as IDataObject[];
	return applyReturnAll(this, itemIndex, users).map(outputUser);
}
