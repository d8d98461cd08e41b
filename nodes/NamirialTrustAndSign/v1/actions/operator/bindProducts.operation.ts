import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkListItems, checkOperatorEmail } from '../../../helpers/operators';
import { namirialApiRequest } from '../../../transport';
import { emailProperty, productsField } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['operator'], operation: ['bindProducts'] } },
	[
		emailProperty,
		{
			...productsField,
			description:
				'Public IDs of the products the operator can access, separated by commas (or an array from an expression). They replace the current ones; leave empty to remove all.',
		},
	] as INodeProperties[],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const email = checkOperatorEmail(this.getNodeParameter('email', itemIndex));
	const productsPublicId = checkListItems(this.getNodeParameter('productsPublicId', itemIndex, ''), 'Product Public IDs');
	const body = { email, productsPublicId };
	await namirialApiRequest(this, 'PUT', '/products/bind', { body, itemIndex, subject: { email } });
	return body;
}
