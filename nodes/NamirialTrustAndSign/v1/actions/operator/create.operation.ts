import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkText } from '../../../../shared/validation';
import { checkOperatorEmail, checkOperatorFields } from '../../../helpers/operators';
import { namirialApiRequest } from '../../../transport';
import { additionalFields, newOperatorFields } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['operator'], operation: ['create'] } },
	[...newOperatorFields, additionalFields(false)],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const email = checkOperatorEmail(this.getNodeParameter('email', itemIndex));
	const body: IDataObject = {
		email,
		firstName: checkText(this.getNodeParameter('firstName', itemIndex), { field: 'First Name', required: true, max: 255 }),
		lastName: checkText(this.getNodeParameter('lastName', itemIndex), { field: 'Last Name', required: true, max: 255 }),
		...(checkOperatorFields(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject) as IDataObject),
	};
	// 204 No Content: the output is the operator as sent.
	await namirialApiRequest(this, 'POST', '/create', { body, itemIndex, subject: { email } });
	return { ...body, created: true };
}
