import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { FastClient } from '../../../transport';
import { documentIdProperty, getDocumentId } from '../common';
import { fetchRefusalMessage } from './files';

export const description = updateDisplayOptions(
	{ show: { resource: ['document'], operation: ['getRefusalMessage'] } },
	[documentIdProperty] as INodeProperties[],
);

export async function execute(this: IExecuteFunctions, itemIndex: number, client: FastClient): Promise<IDataObject> {
	const documentId = getDocumentId(this, itemIndex);
	const refusalMessage = await fetchRefusalMessage(client, documentId, itemIndex);
	return { documentId, hasRefusalMessage: refusalMessage !== null, refusalMessage };
}
