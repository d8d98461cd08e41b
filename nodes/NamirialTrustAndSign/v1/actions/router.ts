import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Resources } from '../../../shared/dispatch';
import { dispatch, secretsOnly } from '../../../shared/dispatch';
import { namirialSecrets } from '../../transport';
import * as operator from './operator/Operator.resource';

export const resources = { operator: operator.operations } satisfies Resources<undefined>;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await dispatch(this, resources, secretsOnly(namirialSecrets));
}
