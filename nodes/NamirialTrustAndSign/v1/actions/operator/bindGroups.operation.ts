import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkListItems, checkOperatorEmail } from '../../../helpers/operators';
import { namirialApiRequest } from '../../../transport';
import { emailProperty, groupsField } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['operator'], operation: ['bindGroups'] } },
	[
		emailProperty,
		{
			...groupsField,
			description:
				'Labels of the groups the operator can access, separated by commas (or an array from an expression). They replace the current ones; leave empty to remove all.',
		},
	] as INodeProperties[],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const email = checkOperatorEmail(this.getNodeParameter('email', itemIndex));
	const groupsLabel = checkListItems(this.getNodeParameter('groupsLabel', itemIndex, ''), 'Group Labels');
	const body = { email, groupsLabel };
	await namirialApiRequest(this, 'PUT', '/groups/bind', { body, itemIndex, subject: { email } });
	return body;
}
