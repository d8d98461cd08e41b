import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkNumericId, InputError, splitList } from '../../../../shared/validation';
import type { FastClient } from '../../../transport';

export const description = updateDisplayOptions({ show: { resource: ['document'], operation: ['getOtpUrl'] } }, [
	{
		displayName: 'Document IDs',
		name: 'documentIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 320073963, 320073964',
		description:
			'OTP documents to sign with one link and one SMS code, separated by commas. They must have exactly the same OTP signer details (phone and e-mail).',
	},
] as INodeProperties[]);

export async function execute(this: IExecuteFunctions, itemIndex: number, client: FastClient): Promise<IDataObject> {
	const ids = splitList(this.getNodeParameter('documentIds', itemIndex, '')).map((id) => checkNumericId(id, 'Document IDs'));
	if (ids.length === 0) throw new InputError("'Document IDs' is empty: give at least one OTP document ID");
	const body = (await client.json({
		method: 'GET',
		path: '/documents/v2/otp/url',
		qs: { id: ids },
		itemIndex,
		subject: { documentId: ids.join(', '), action: 'get the OTP signing link' },
	})) as IDataObject | string | undefined;
	const url = typeof body === 'string' ? body : body?.url;
	if (typeof url !== 'string' || !url) {
		throw new InputError('FAST Parapheur answered without a signing link', 'Check that every document is an OTP document waiting for its signer.');
	}
	return { documentIds: ids, url };
}
