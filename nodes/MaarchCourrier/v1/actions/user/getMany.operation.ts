import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { applyReturnAll, returnAllProperties } from '../../../../shared/returnAll';
import { filterUsers, listUsers } from '../../../helpers/users';
import { modeOptions, statusOptions } from './common';

const properties: INodeProperties[] = [
	...returnAllProperties,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		options: [
			{
				displayName: 'Mode',
				name: 'mode',
				type: 'multiOptions',
				options: modeOptions,
				default: [],
				description: 'Only users whose account is of one of these kinds',
			},
			{
				displayName: 'Search',
				name: 'search',
				type: 'string',
				default: '',
				placeholder: 'e.g. dupont',
				description:
					'Only users whose login, first name, last name or e-mail contains this text (case and accents ignored)',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				options: statusOptions,
				default: [],
				description: 'Only users with one of these statuses',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['getMany'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	// GET /rest/users is not paginated (field notes): filters apply to the full list.
	const users = filterUsers(await listUsers(this, itemIndex), {
		status: filters.status as string[] | undefined,
		mode: filters.mode as string[] | undefined,
		search: filters.search as string | undefined,
	});
	return applyReturnAll(this, itemIndex, users);
}
