import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { flowerDocsApiRequest } from '../../../transport';
import { checkUserId, userIdField } from './common';
import { pathSegment } from '../../../../shared/path';

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['delete'] } }, [
	userIdField('The identifier of the user to delete'),
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = checkUserId(this.getNodeParameter('userId', itemIndex));
	await flowerDocsApiRequest(this, 'DELETE', `/rest/users/${pathSegment(id, 'User ID')}`, {
		itemIndex,
		subject: { userId: id },
	});
	return { id, deleted: true };
}
