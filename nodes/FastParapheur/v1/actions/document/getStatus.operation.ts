import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { FastClient } from '../../../transport';
import { currentState } from '../../../helpers/history';
import { finalRuleOf } from '../../../helpers/states';
import { documentIdProperty, getDocumentId } from '../common';
import { fetchHistory } from './history';

export const description = updateDisplayOptions(
	{ show: { resource: ['document'], operation: ['getStatus'] } },
	[{ ...documentIdProperty, hint: 'FAST asks clients to read the same document at most every 30 minutes' }] as INodeProperties[],
);

export async function execute(this: IExecuteFunctions, itemIndex: number, client: FastClient): Promise<IDataObject> {
	const documentId = getDocumentId(this, itemIndex);
	const history = await fetchHistory(client, documentId, itemIndex);
	return { documentId, ...currentState(history, finalRuleOf(this.getNode().typeVersion)), historyLength: history.length, link: client.documentLink(documentId) };
}
