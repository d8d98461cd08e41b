import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { FastClient } from '../../../transport';
import { documentIdProperty, getDocumentId, outputBinaryProperty } from '../common';
import { downloadCirculationSheet } from './files';

export const description = updateDisplayOptions(
	{ show: { resource: ['document'], operation: ['getCirculationSheet'] } },
	[documentIdProperty, outputBinaryProperty] as INodeProperties[],
);

export async function execute(this: IExecuteFunctions, itemIndex: number, client: FastClient): Promise<INodeExecutionData> {
	const documentId = getDocumentId(this, itemIndex);
	const field = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim() || 'data';
	const data = await downloadCirculationSheet(this, client, documentId, itemIndex);
	return { json: { documentId, fileName: data.fileName, link: client.documentLink(documentId) }, binary: { [field]: data } };
}
