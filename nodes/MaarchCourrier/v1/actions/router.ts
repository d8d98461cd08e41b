import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Resources } from '../../../shared/dispatch';
import { dispatch, secretsOnly } from '../../../shared/dispatch';
import { maarchSecrets } from '../../transport';
import * as user from './user/User.resource';

export const resources = { user: user.operations } satisfies Resources<undefined>;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await dispatch(this, resources, secretsOnly(maarchSecrets));
}
