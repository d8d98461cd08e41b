import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperation } from '../../../shared/execute';
import { maarchSecrets } from '../../transport';
import * as user from './user/User.resource';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation(this, { user: user.operations }, await maarchSecrets(this));
}
