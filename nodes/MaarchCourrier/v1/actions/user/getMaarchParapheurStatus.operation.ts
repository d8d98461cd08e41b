import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { resolveUserId } from '../../../helpers/users';
import { maarchApiRequest } from '../../../transport';
import { userLocator } from './common';
import { pathSegment } from '../../../../shared/path';

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['getMaarchParapheurStatus'] } },
	[userLocator] as INodeProperties[],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const userId = await resolveUserId(this, itemIndex);
	// GET in real use; the page says PUT (field notes).
	const response = (await maarchApiRequest(this, 'GET', `/users/${pathSegment(userId, 'User')}/statusInMaarchParapheur`, {
		itemIndex,
		subject: { userId },
		// "Not linked" answers the question asked: it is not a failure.
		recover: (failure) =>
			failure.status === 400 && /does not have maarch parapheur id/i.test(failure.vendorMessage)
				? { value: null }
				: undefined,
	})) as { link?: string } | null;
	if (response === null) return { id: Number(userId), linked: false, maarchParapheurLogin: null };
	return { id: Number(userId), linked: true, maarchParapheurLogin: response?.link ?? null };
}
