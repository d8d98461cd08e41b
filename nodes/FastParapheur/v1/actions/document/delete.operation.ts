import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { apiError } from '../../../../shared/errors';
import type { FastError } from '../../../helpers/errors';
import { describeFastError, isInvalidDocumentError } from '../../../helpers/errors';

import { currentState } from '../../../helpers/history';
import type { FastClient } from '../../../transport';
import { documentIdProperty, getDocumentId } from '../common';
import { fetchHistory } from './history';
import { pathSegment } from '../../../../shared/path';

export const description = updateDisplayOptions({ show: { resource: ['document'], operation: ['delete'] } }, [
	{ ...documentIdProperty, description: 'The document to delete for good. FAST allows it only in the states Préparé, Refusé and Rejeté.' },
] as INodeProperties[]);

export async function execute(this: IExecuteFunctions, itemIndex: number, client: FastClient): Promise<IDataObject> {
	const documentId = getDocumentId(this, itemIndex);
	const subject = { documentId, action: 'delete the document' };
	// A refusal is read here (not thrown) so that the message can give the document's state:
	// FAST deletes only prepared, refused or rejected documents.
	const { recovered, status } = await client.text({
		method: 'DELETE',
		path: `/documents/v2/${pathSegment(documentId, 'Document ID')}`,
		itemIndex,
		subject,
		recover: (error) => (isInvalidDocumentError(error) ? undefined : { value: error }),
	});
	if (recovered) {
		const refusal = recovered.value as FastError;
		const stateName = currentState(await fetchHistory(client, documentId, itemIndex)).stateName as string | null;
		const details = describeFastError(refusal, subject);
		throw apiError(
			this.getNode(),
			{
				// The hint in the message: it is all an AI agent sees of the error.
				message: `FAST Parapheur refused to delete document ${documentId}: its state is ${JSON.stringify(stateName ?? 'unknown')}${details.code ? ` (code ${details.code})` : ''}. FAST deletes only a document that is Préparé, Refusé or Rejeté.`,
				description: [
					'Préparé means not yet sent; a document still in its circuit must be refused in FAST first.',
					details.description,
				]
					.filter(Boolean)
					.join(' '),
				code: details.code,
			},
			// The HTTP status of FAST's answer (often 200), not FAST's code, which would be taken otherwise.
			{ itemIndex, httpCode: status, secrets: client.secrets },
		);
	}
	return { documentId, deleted: true };
}
