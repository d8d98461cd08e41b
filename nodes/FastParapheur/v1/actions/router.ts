import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { executePerItem, toNodeError } from '../../../shared/execute';
import { getRequestSettings } from '../../../shared/request';
import type { FastClient } from '../../transport';
import { fastClient } from '../../transport';
import * as acknowledgement from './acknowledgement/Acknowledgement.resource';
import * as chorus from './chorus/Chorus.resource';
import type { FastOperation } from './common';
import * as document from './document/Document.resource';
import * as pesRetour from './pesRetour/PesRetour.resource';
import * as user from './user/User.resource';

/** An operation that turns all input items into one request (User > Synchronize). */
interface WholeInputOperation {
	executeAll(this: IExecuteFunctions, client: FastClient): Promise<INodeExecutionData[]>;
}

const resources: Record<string, Record<string, FastOperation | WholeInputOperation>> = {
	document: document.operations,
	acknowledgement: acknowledgement.operations,
	pesRetour: pesRetour.operations,
	chorus: chorus.operations,
	user: user.operations,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = resources[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	// One client per execution: the certificate is read once and connections are kept alive.
	let client: FastClient;
	try {
		client = await fastClient(this, (itemIndex) => getRequestSettings(this, itemIndex));
	} catch (caught) {
		throw toNodeError(this, caught, 0, []);
	}
	try {
		if ('executeAll' in handler) {
			try {
				return [await handler.executeAll.call(this, client)];
			} catch (caught) {
				const error = toNodeError(this, caught, 0, client.secrets);
				if (!this.continueOnFail()) throw error;
				const items = this.getInputData();
				return [[{ json: { error: error.message }, error, pairedItem: items.map((_, item) => ({ item })) }]];
			}
		}
		return [await executePerItem(this, async (itemIndex) => await handler.execute.call(this, itemIndex, client), client.secrets)];
	} finally {
		client.close();
	}
}
