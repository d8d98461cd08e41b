import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { FastClient } from '../../../transport';
import { documentIdProperty, getDocumentId, outputBinaryProperty } from '../common';
import { downloadDocument } from './files';

const properties: INodeProperties[] = [
	documentIdProperty,
	outputBinaryProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Include Fiche De Circulation',
				name: 'circulationSheet',
				type: 'boolean',
				default: false,
				description: "Whether to add the document's routing slip (PDF) in the 'circulationSheet' binary field",
			},
			{
				displayName: 'Include Hélios Acknowledgement',
				name: 'acknowledgement',
				type: 'boolean',
				default: false,
				description: "Whether to add the DGFiP acknowledgement (PES documents only) in the 'acknowledgement' binary field",
			},
			{
				displayName: 'Keep ZIP',
				name: 'keepZip',
				type: 'boolean',
				default: false,
				description:
					"Whether to also keep the ZIP FAST sends when an option above is on, in the '&lt;field&gt;Zip' binary field (the files are unpacked either way)",
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['document'], operation: ['download'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, client: FastClient): Promise<INodeExecutionData> {
	const documentId = getDocumentId(this, itemIndex);
	const field = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim() || 'data';
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const { binary, files } = await downloadDocument(this, client, documentId, itemIndex, {
		field,
		acknowledgement: options.acknowledgement === true,
		circulationSheet: options.circulationSheet === true,
		keepZip: options.keepZip === true,
	});
	return { json: { documentId, files, link: client.documentLink(documentId) }, binary };
}
