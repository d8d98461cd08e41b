/** Reading a document's history, shared by the operations that need its state and the trigger. */
import type { FastClient, FastRequest } from '../../../transport';
import type { HistoryEntry } from '../../../helpers/history';
import { readHistory } from '../../../helpers/history';
import { isInvalidDocumentError } from '../../../helpers/errors';
import { pathSegment } from '../../../../shared/path';

function historyRequest(documentId: string, itemIndex?: number): FastRequest {
	return {
		method: 'GET',
		path: `/documents/v2/${pathSegment(documentId, 'Document ID')}/history`,
		itemIndex,
		subject: { documentId, action: 'read the history' },
	};
}

/** Marks the "no such document" answer (a JSON body can never be this). */
const NO_DOCUMENT = Symbol('no such document');

export async function fetchHistory(client: FastClient, documentId: string, itemIndex: number): Promise<HistoryEntry[]> {
	return readHistory(await client.json(historyRequest(documentId, itemIndex)));
}

/**
 * The history, or null when FAST says the document does not exist (deleted, or never was:
 * "Internal error: Invalid docId", field notes). Any other error is thrown.
 */
export async function fetchHistoryIfExists(client: FastClient, documentId: string): Promise<HistoryEntry[] | null> {
	const body = await client.json({
		...historyRequest(documentId),
		recover: (error) => (isInvalidDocumentError(error) ? { value: NO_DOCUMENT } : undefined),
	});
	return body === NO_DOCUMENT ? null : readHistory(body);
}
