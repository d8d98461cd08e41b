import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { changeMembership, membershipField } from '../../../helpers/membership';
import { userLocator } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['addToEntity'] } },
	[userLocator, membershipField('entity')],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await changeMembership(this, itemIndex, 'entity', 'add');
}
