import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Resources, Session } from '../../../shared/dispatch';
import { dispatch } from '../../../shared/dispatch';
import { getRequestSettings } from '../../../shared/request';
import type { FastClient } from '../../transport';
import { fastClient } from '../../transport';
import * as acknowledgement from './acknowledgement/Acknowledgement.resource';
import * as chorus from './chorus/Chorus.resource';
import * as document from './document/Document.resource';
import * as pesRetour from './pesRetour/PesRetour.resource';
import * as user from './user/User.resource';

export const resources = {
	document: document.operations,
	acknowledgement: acknowledgement.operations,
	pesRetour: pesRetour.operations,
	chorus: chorus.operations,
	user: user.operations,
} satisfies Resources<FastClient>;

/** One client per execution: the certificate is read once and connections are kept alive. */
async function openFast(ctx: IExecuteFunctions): Promise<Session<FastClient>> {
	const client = await fastClient(ctx, (itemIndex) => getRequestSettings(ctx, itemIndex));
	return { client, secrets: client.secrets, close: () => client.close() };
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await dispatch(this, resources, openFast);
}
