import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../../../shared/validation';
import { checkOperatorEmail, checkOperatorFields } from '../../../helpers/operators';
import { namirialApiRequest } from '../../../transport';
import { emailProperty, updateFields } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['operator'], operation: ['update'] } },
	[emailProperty, updateFields(false)] as INodeProperties[],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const email = checkOperatorEmail(this.getNodeParameter('email', itemIndex));
	const changes = checkOperatorFields(this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject) as IDataObject;
	if (Object.keys(changes).length === 0) {
		throw new InputError(
			'Nothing to update',
			"Add at least one field under 'Update Fields' with a value. Fields not added keep their current value.",
		);
	}
	// Only the fields present in the body are updated (API page).
	const body: IDataObject = { email, ...changes };
	await namirialApiRequest(this, 'PUT', '/update', { body, itemIndex, subject: { email } });
	return { ...body, updated: true };
}
