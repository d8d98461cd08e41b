import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../../../shared/validation';
import type { FastClient } from '../../../transport';
import { documentIdProperty, getDocumentId } from '../common';
import { getOtpSigners, otpSignersProperty, sendOtpInformation } from './otp';

export const description = updateDisplayOptions(
	{ show: { resource: ['document'], operation: ['setOtpInformation'] } },
	[documentIdProperty, { ...otpSignersProperty, required: true }] as INodeProperties[],
);

export async function execute(this: IExecuteFunctions, itemIndex: number, client: FastClient): Promise<IDataObject> {
	const documentId = getDocumentId(this, itemIndex);
	const signers = getOtpSigners(this, itemIndex);
	if (signers.length === 0) throw new InputError("'OTP Signers' is empty: add one signer per OTP step of the document's circuit");
	await sendOtpInformation(client, documentId, signers, itemIndex);
	return { documentId, otpSigners: signers as unknown as IDataObject[] };
}
