import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { changeMembership, membershipField } from '../../../helpers/membership';
import { userLocator } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['addToGroup'] } },
	[userLocator, membershipField('group')],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await changeMembership(this, itemIndex, 'group', 'add');
}
