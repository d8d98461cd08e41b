import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkOperatorEmail } from '../../../helpers/operators';
import { namirialApiRequest } from '../../../transport';
import { emailProperty } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['operator'], operation: ['delete'] } },
	[emailProperty] as INodeProperties[],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const email = checkOperatorEmail(this.getNodeParameter('email', itemIndex));
	// A DELETE with a JSON body (field notes); the operator then has the state DELETE.
	await namirialApiRequest(this, 'DELETE', '/delete', { body: { email }, itemIndex, subject: { email } });
	return { email, deleted: true };
}
