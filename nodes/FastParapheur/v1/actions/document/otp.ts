/** The OTP signer fields shared by the OTP operations, and the OTP XML part they send. */
import FormData from 'form-data';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { buildMetaDataListXml } from '../../../../shared/xml';
import type { OtpSigner } from '../../../helpers/circuit';
import { checkOtpSigner, otpMetadataEntries } from '../../../helpers/circuit';
import type { FastClient } from '../../../transport';
import { pathSegment } from '../../../../shared/path';

export const otpSignersProperty: INodeProperties = {
	displayName: 'OTP Signers',
	name: 'otpSigners',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	placeholder: 'Add OTP signer',
	default: {},
	description:
		'The external signers who sign with a code received by SMS, one per OTP step, in the order of the OTP steps',
	options: [
		{
			displayName: 'Signer',
			name: 'signer',
			values: [
				{ displayName: 'First Name', name: 'firstName', type: 'string', default: '', required: true },
				{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '', required: true },
				{
					displayName: 'Phone Number',
					name: 'phoneNumber',
					type: 'string',
					default: '',
					required: true,
					placeholder: 'e.g. 06 12 34 56 78',
					description: 'The mobile phone that receives the signing code',
				},
				{
					displayName: 'Email',
					name: 'email',
					type: 'string',
					placeholder: 'name@email.com',
					default: '',
					required: true,
					description: 'Where the signing link is sent',
				},
			],
		},
	],
};

/** The OTP signers of an item, checked (names, phone, e-mail). */
export function getOtpSigners(ctx: IExecuteFunctions, itemIndex: number): OtpSigner[] {
	const collection = ctx.getNodeParameter('otpSigners', itemIndex, {}) as IDataObject;
	const rows = (collection.signer ?? []) as IDataObject[];
	return rows.map((row, index) => checkOtpSigner(row, index, 'OTP Signers'));
}

/** The OTP details as the XML file FAST expects (`OTP_<field>_<index>` meta-data). */
export function otpXml(signers: OtpSigner[]): Buffer {
	return Buffer.from(buildMetaDataListXml(otpMetadataEntries(signers)), 'utf8');
}

/** Sends the OTP details of a document (`PUT /documents/v2/otp/{id}/metadata/define`). */
export async function sendOtpInformation(
	client: FastClient,
	documentId: string,
	signers: OtpSigner[],
	itemIndex: number,
): Promise<void> {
	const form = new FormData();
	const xml = otpXml(signers);
	form.append('otpinformation', xml, { filename: 'otpinformation.xml', contentType: 'application/xml', knownLength: xml.length });
	await client.text({
		method: 'PUT',
		path: `/documents/v2/otp/${pathSegment(documentId, 'Document ID')}/metadata/define`,
		form,
		itemIndex,
		subject: { documentId, action: 'set the OTP information' },
	});
}
