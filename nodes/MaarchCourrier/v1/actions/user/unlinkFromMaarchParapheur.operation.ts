import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { resolveUserId } from '../../../helpers/users';
import { maarchApiRequest } from '../../../transport';
import { userLocator } from './common';
import { pathSegment } from '../../../../shared/path';

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['unlinkFromMaarchParapheur'] } },
	[userLocator] as INodeProperties[],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const userId = await resolveUserId(this, itemIndex);
	// The route is spelled "unlinkTo" by Maarch.
	await maarchApiRequest(this, 'PUT', `/users/${pathSegment(userId, 'User')}/unlinkToMaarchParapheur`, {
		itemIndex,
		subject: { userId },
	});
	return { id: Number(userId), linked: false };
}
