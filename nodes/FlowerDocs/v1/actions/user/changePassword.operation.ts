import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkText } from '../../../../shared/validation';
import { flowerDocsApiRequest } from '../../../transport';
import { checkUserId, userIdField } from './common';
import { pathSegment } from '../../../../shared/path';

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['changePassword'] } }, [
	userIdField(),
	{
		displayName: 'New Password',
		name: 'newPassword',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = checkUserId(this.getNodeParameter('userId', itemIndex));
	const password = checkText(this.getNodeParameter('newPassword', itemIndex), {
		field: 'New Password',
		required: true,
		max: 255,
	});
	await flowerDocsApiRequest(this, 'PUT', `/rest/users/${pathSegment(id, 'User ID')}/password`, {
		body: { password },
		itemIndex,
		subject: { userId: id },
	});
	return { id, passwordChanged: true };
}
