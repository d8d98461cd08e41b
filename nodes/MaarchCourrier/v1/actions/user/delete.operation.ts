import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { resolveUserId } from '../../../helpers/users';
import { maarchApiRequest } from '../../../transport';
import { userLocator } from './common';
import { pathSegment } from '../../../../shared/path';

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['delete'] } },
	[userLocator] as INodeProperties[],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const userId = await resolveUserId(this, itemIndex);
	// A soft delete: Maarch keeps the account with status DEL, and creating a user with the same
	// login later restores it.
	await maarchApiRequest(this, 'DELETE', `/users/${pathSegment(userId, 'User')}`, { itemIndex, subject: { userId } });
	return { id: Number(userId), deleted: true };
}
