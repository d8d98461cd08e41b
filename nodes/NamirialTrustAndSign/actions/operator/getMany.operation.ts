import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { apiError } from '../../../shared/errors';
import { namirialApiRequest } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Include Inactive',
		name: 'withInactive',
		type: 'boolean',
		default: false,
		description: 'Whether to include deleted operators (state DELETE)',
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['operator'], operation: ['getMany'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const withInactive = this.getNodeParameter('withInactive', itemIndex, false) as boolean;
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
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
	return (list as IDataObject[]).slice(0, limit);
}
