import FormData from 'form-data';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { InputFile } from '../../../../shared/files';
import { appendFile, binaryInputFile, fileSourceProperties, inputFile } from '../../../../shared/files';
import { checkEmailList, splitList } from '../../../../shared/validation';
import { zipFiles } from '../../../../shared/zip';
import { UPLOAD_FORMS } from '../../../helpers/uploadForm';
import type { FastClient } from '../../../transport';
import { annexesOption, circuitLocator, commentOption, getCircuitId, getSiren, optionalText, recipientsOption, sirenProperty } from '../common';
import { pathSegment } from '../../../../shared/path';

const properties: INodeProperties[] = [
	sirenProperty,
	circuitLocator,
	...fileSourceProperties({ what: 'document' }),
	{
		displayName: 'Label',
		name: 'label',
		type: 'string',
		default: '',
		placeholder: 'e.g. Conseil municipal 2026-11',
		description:
			'The folder the document is filed under in FAST (255 characters at most). FAST refuses a second document with the same circuit, label and file name.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			annexesOption(
				'Input binary fields holding annexes, separated by commas. FAST takes them in one ZIP with the main document, named after the main file (&lt;file&gt;.zip).',
			),
			commentOption,
			recipientsOption,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['document'], operation: ['upload'] } }, properties);

/** Input files of the annex binary fields. */
export async function annexFiles(ctx: IExecuteFunctions, itemIndex: number, value: unknown): Promise<InputFile[]> {
	const names = splitList(value);
	const files: InputFile[] = [];
	for (const name of names) files.push(await binaryInputFile(ctx, itemIndex, name, 'Annexes (Binary Fields)'));
	return files;
}

export async function execute(this: IExecuteFunctions, itemIndex: number, client: FastClient): Promise<IDataObject> {
	const siren = getSiren(this, itemIndex, client);
	const circuitId = getCircuitId(this, itemIndex);
	// Checked before the files are read: nothing is sent for a value that would change the route.
	const route = `/documents/v2/${pathSegment(siren, 'SIREN')}/${pathSegment(circuitId, 'Circuit')}/upload`;
	const label = optionalText({ label: this.getNodeParameter('label', itemIndex, '') }, 'label', 'Label');
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const comment = optionalText(options, 'comment', 'Comment');
	const recipients = checkEmailList(options.recipients, 'Recipients', { max: 255 });
	const annexes = await annexFiles(this, itemIndex, options.annexes);
	const document = await inputFile(this, itemIndex);

	// Both working clients name the file part `content` (the page says `doc`: the credential's
	// 'Upload Form' chooses) and send annexes as one ZIP named after the main file, holding the
	// main document and the annexes (field notes).
	const uploadForm = client.uploadForm;
	let sent: InputFile = document;
	if (annexes.length > 0) {
		sent = {
			content: zipFiles([document, ...annexes].map((file) => ({ name: file.fileName, content: file.content }))),
			fileName: `${document.fileName}.zip`,
			mimeType: 'application/zip',
		};
	}
	const form = new FormData();
	appendFile(form, UPLOAD_FORMS[uploadForm].staticFile, sent);
	if (label) form.append('label', label);
	if (comment) form.append('comment', comment);
	if (recipients.length > 0) form.append('emailDestinataire', recipients.join(','));

	const { id } = await client.documentId({
		method: 'POST',
		path: route,
		form,
		itemIndex,
		subject: { siren, circuitId, label, fileName: sent.fileName, action: 'upload the document', uploadForm },
	});
	return {
		documentId: id,
		siren,
		circuitId,
		fileName: sent.fileName,
		label,
		annexes: annexes.map((file) => file.fileName),
		link: client.documentLink(id),
	};
}
