import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkNumericId } from '../../../../shared/validation';
import { resolveUserId } from '../../../helpers/users';
import { maarchApiRequest } from '../../../transport';
import { userLocator } from './common';
import { pathSegment } from '../../../../shared/path';

const properties: INodeProperties[] = [
	userLocator,
	{
		displayName: 'Maarch Parapheur User ID',
		name: 'maarchParapheurUserId',
		type: 'number',
		required: true,
		default: 0,
		typeOptions: { minValue: 1 },
		placeholder: 'e.g. 19',
		description: 'Technical ID of the existing Maarch Parapheur user to link',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['linkToMaarchParapheur'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const userId = await resolveUserId(this, itemIndex);
	const maarchParapheurUserId = Number(
		checkNumericId(this.getNodeParameter('maarchParapheurUserId', itemIndex), 'Maarch Parapheur User ID'),
	);
	await maarchApiRequest(this, 'PUT', `/users/${pathSegment(userId, 'User')}/linkToMaarchParapheur`, {
		body: { maarchParapheurUserId },
		itemIndex,
		subject: { userId, maarchParapheurUserId },
	});
	return { id: Number(userId), linked: true, maarchParapheurUserId };
}
