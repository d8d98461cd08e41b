import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../../../shared/validation';
import { currentState, describeEntry } from '../../../helpers/history';
import type { NormalisedState } from '../../../helpers/states';
import { finalRuleOf, isSettlingState } from '../../../helpers/states';
import type { FastClient } from '../../../transport';
import { documentIdProperty, getDocumentId, outputBinaryProperty } from '../common';
import { downloadCirculationSheet, downloadDocument, fetchRefusalMessage } from './files';
import { fetchHistory } from './history';

const properties: INodeProperties[] = [
	documentIdProperty,
	outputBinaryProperty,
	{
		displayName: 'Only When Finished',
		name: 'onlyWhenFinished',
		type: 'boolean',
		default: true,
		description:
			'Whether to fail when the document is still in its circuit (neither signed nor final). Off: return what there is now (the current file and history).',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['document'], operation: ['getResult'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, client: FastClient): Promise<INodeExecutionData> {
	const documentId = getDocumentId(this, itemIndex);
	const field = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim() || 'data';
	const history = await fetchHistory(client, documentId, itemIndex);
	const rule = finalRuleOf(this.getNode().typeVersion);
	const state = currentState(history, rule);
	// Signé (or Signature validée) has a result to collect, although FAST's checker or Classé may still follow.
	const finished = state.isFinal === true || isSettlingState(state.state as NormalisedState, rule);
	if (!finished && (this.getNodeParameter('onlyWhenFinished', itemIndex, true) as boolean)) {
		throw new InputError(
			`FAST Parapheur document ${documentId} is not finished yet: its state is ${JSON.stringify(state.stateName ?? 'unknown')}`,
			"Wait until it is signed, refused or archived (the FAST Parapheur Trigger or Get Status tell you), or turn off 'Only When Finished'.",
		);
	}
	const rejected = state.outcome === 'rejected';
	const { binary, files } = await downloadDocument(this, client, documentId, itemIndex, { field });
	const sheet = await downloadCirculationSheet(this, client, documentId, itemIndex);
	binary.circulationSheet = sheet;
	files.push({ field: 'circulationSheet', kind: 'circulationSheet', fileName: sheet.fileName });
	const refusalMessage = rejected ? await fetchRefusalMessage(client, documentId, itemIndex) : null;
	return {
		json: {
			documentId,
			...state,
			signed: state.outcome === 'success',
			refusalMessage,
			history: history.map((entry, index) => describeEntry(entry, index, rule)),
			files,
			link: client.documentLink(documentId),
		} as IDataObject,
		binary,
	};
}
