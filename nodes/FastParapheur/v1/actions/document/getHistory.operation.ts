import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { FastClient } from '../../../transport';
import { describeEntry } from '../../../helpers/history';
import { finalRuleOf } from '../../../helpers/states';
import { documentIdProperty, getDocumentId } from '../common';
import { fetchHistory } from './history';

const properties: INodeProperties[] = [
	documentIdProperty,
	{
		displayName: 'Split Into Items',
		name: 'splitIntoItems',
		type: 'boolean',
		default: false,
		description: 'Whether to output one item per history entry (oldest first) instead of one item holding the whole history',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['document'], operation: ['getHistory'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, client: FastClient): Promise<IDataObject | IDataObject[]> {
	const documentId = getDocumentId(this, itemIndex);
	const entries = (await fetchHistory(client, documentId, itemIndex)).map((entry, index) => describeEntry(entry, index, finalRuleOf(this.getNode().typeVersion)));
	if (this.getNodeParameter('splitIntoItems', itemIndex, false) as boolean) {
		return entries.map((entry) => ({ documentId, ...entry }));
	}
	return { documentId, count: entries.length, history: entries, link: client.documentLink(documentId) };
}
