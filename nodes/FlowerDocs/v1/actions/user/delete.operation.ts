import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { flowerDocsApiRequest } from '../../../transport';
import { checkUserId, userIdField } from './common';

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['delete'] } }, [
	userIdField('The identifier of the user to delete'),
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = checkUserId(this.getNodeParameter('userId', itemIndex));
	await flowerDocsApiRequest(this, 'DELETE', `/rest/users/${encodeURIComponent(id)}`, {
		itemIndex,
		subject: { userId: id },
	});
	return { id, deleted: true };
}
