import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperation } from '../../../shared/execute';
import { namirialSecrets } from '../../transport';
import * as operator from './operator/Operator.resource';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const secrets = await namirialSecrets(this);
	const operation = this.getNodeParameter('operation', 0) as string;
	// The batch operations turn all items into CSV requests at once; the others run per item.
	const batch = operator.batchOperations[operation as keyof typeof operator.batchOperations];
	if (batch) return [await batch.executeAll.call(this, secrets)];
	return await routeOperation(this, { operator: operator.operations }, secrets);
}
