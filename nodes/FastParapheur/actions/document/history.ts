/** Reading a document's history, shared by the operations that need its state. */
import type { FastClient } from '../../transport';
import type { HistoryEntry } from '../../helpers/history';
import { readHistory } from '../../helpers/history';

export async function fetchHistory(client: FastClient, documentId: string, itemIndex: number): Promise<HistoryEntry[]> {
	const body = await client.json({
		method: 'GET',
		path: `/documents/v2/${documentId}/history`,
		itemIndex,
		subject: { documentId, action: 'read the history' },
	});
	return readHistory(body);
}
