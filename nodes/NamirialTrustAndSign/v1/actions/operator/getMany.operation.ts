import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { applyReturnAll, returnAllProperties } from '../../../../shared/returnAll';
import { apiError } from '../../../../shared/errors';
import { namirialApiRequest } from '../../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Include Inactive',
		name: 'withInactive',
		type: 'boolean',
		default: false,
		description: 'Whether to include deleted operators (state DELETE)',
	},
	...returnAllProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['operator'], operation: ['getMany'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const withInactive = this.getNodeParameter('withInactive', itemIndex, false) as boolean;
	// The API returns the whole list at once (no paging).
	const body = await namirialApiRequest(this, 'GET', '', { qs: { withInactive }, itemIndex });
	const list = Array.isArray(body) ? body : (body as IDataObject | undefined)?.users;
	if (!Array.isArray(list)) {
		throw apiError(
			this.getNode(),
			{ message: 'Trust and Sign answered the operator list with something that is not a list' },
			{ itemIndex },
		);
	}
	return applyReturnAll(this, itemIndex, list as IDataObject[]);
}
