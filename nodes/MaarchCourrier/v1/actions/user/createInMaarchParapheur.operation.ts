import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkText } from '../../../../shared/validation';
import { resolveUserId } from '../../../helpers/users';
import { maarchApiRequest } from '../../../transport';
import { userLocator } from './common';
import { pathSegment } from '../../../../shared/path';

const properties: INodeProperties[] = [
	userLocator,
	{
		displayName: 'Maarch Parapheur Login',
		name: 'maarchParapheurLogin',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. bbain',
		description: 'Login of the new Maarch Parapheur account, linked to this user once created',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['createInMaarchParapheur'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const userId = await resolveUserId(this, itemIndex);
	const login = checkText(this.getNodeParameter('maarchParapheurLogin', itemIndex), {
		field: 'Maarch Parapheur Login',
		required: true,
		max: 128,
	});
	const response = (await maarchApiRequest(this, 'PUT', `/users/${pathSegment(userId, 'User')}/createInMaarchParapheur`, {
		body: { login },
		itemIndex,
		subject: { userId, maarchParapheurLogin: login },
	})) as { externalId?: number } | undefined;
	return {
		id: Number(userId),
		linked: true,
		maarchParapheurUserId: response?.externalId ?? null,
		maarchParapheurLogin: login,
	};
}
