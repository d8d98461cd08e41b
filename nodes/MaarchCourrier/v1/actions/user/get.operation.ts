import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { resolveUserId } from '../../../helpers/users';
import { maarchApiRequest } from '../../../transport';
import { userLocator } from './common';
import { pathSegment } from '../../../../shared/path';
import { isObject } from '../../../../shared/request';

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['get'] } },
	[userLocator] as INodeProperties[],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const userId = await resolveUserId(this, itemIndex);
	return (await maarchApiRequest(this, 'GET', `/users/${pathSegment(userId, 'User')}`, {
		itemIndex,
		subject: { userId },
		// One user: a list or a bare value is not a user, even with HTTP 200.
		shape: { what: 'a user (a JSON object with its id)', test: (value) => isObject(value) && value.id !== undefined },
	})) as IDataObject;
}
