import FormData from 'form-data';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { appendFile, fileSourceProperties, inputFile } from '../../../../shared/files';
import { checkText, InputError } from '../../../../shared/validation';
import { UPLOAD_FORMS } from '../../../helpers/uploadForm';
import type { FastClient } from '../../../transport';
import { circuitLocator, commentOption, getCircuitId, getSiren, optionalText, sirenProperty } from '../common';
import { getOtpSigners, otpSignersProperty, otpXml } from './otp';
import { pathSegment } from '../../../../shared/path';

const properties: INodeProperties[] = [
	sirenProperty,
	{ ...circuitLocator, description: 'An OTP circuit of FAST (signature by a code received by SMS)' },
	...fileSourceProperties({ what: 'document' }),
	{ ...otpSignersProperty, required: true },
	{
		displayName: 'Label',
		name: 'label',
		type: 'string',
		default: '',
		description: 'The folder the document is filed under in FAST (255 characters at most)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			commentOption,
			{
				displayName: 'Return URL',
				name: 'referer',
				type: 'string',
				default: '',
				placeholder: 'https://www.mairie.example.fr/merci',
				description: 'Where the signer is sent after signing',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['document'], operation: ['uploadOtp'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, client: FastClient): Promise<IDataObject> {
	const siren = getSiren(this, itemIndex, client);
	const circuitId = getCircuitId(this, itemIndex);
	// Checked before the files are read: nothing is sent for a value that would change the route.
	const route = `/documents/v2/otp/${pathSegment(siren, 'SIREN')}/${pathSegment(circuitId, 'Circuit')}/upload`;
	const signers = getOtpSigners(this, itemIndex);
	if (signers.length === 0) throw new InputError("'OTP Signers' is empty: add the signer who receives the SMS code");
	const label = optionalText({ label: this.getNodeParameter('label', itemIndex, '') }, 'label', 'Label');
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const comment = optionalText(options, 'comment', 'Comment');
	const referer = checkText(options.referer, {
		field: 'Return URL',
		max: 255,
		pattern: /^https?:\/\/\S+$/i,
		patternHint: 'Use a full http:// or https:// address.',
	});
	const document = await inputFile(this, itemIndex);

	const xml = otpXml(signers);
	const form = new FormData();
	// `doc` in both upload forms: the page's name, the one this upload has always sent (the field
	// notes know no other here).
	const uploadForm = client.uploadForm;
	appendFile(form, UPLOAD_FORMS[uploadForm].file, document);
	form.append('meta', xml, { filename: 'meta.xml', contentType: 'application/xml', knownLength: xml.length });
	if (label) form.append('label', label);
	if (comment) form.append('comment', comment);
	if (referer) form.append('referer', referer);

	const { id, url } = await client.documentId({
		method: 'POST',
		path: route,
		form,
		itemIndex,
		subject: { siren, circuitId, label, fileName: document.fileName, action: 'upload the OTP document', uploadForm },
	});
	return { documentId: id, signingUrl: url ?? null, siren, circuitId, fileName: document.fileName, link: client.documentLink(id) };
}
