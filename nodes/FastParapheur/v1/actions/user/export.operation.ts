import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readUsers } from '../../../helpers/users';
import type { FastClient } from '../../../transport';
import { getSiren, sirenProperty } from '../common';

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['export'] } }, [sirenProperty] as INodeProperties[]);

/** `GET /exportUsersData?siren=`: the users with their circuits, roles and groups. */
export async function exportUsers(client: FastClient, siren: string, itemIndex?: number): Promise<IDataObject[]> {
	const body = await client.json({ method: 'GET', path: '/exportUsersData', qs: { siren }, itemIndex, subject: { siren, action: 'export the users' } });
	return readUsers(body);
}

export async function execute(this: IExecuteFunctions, itemIndex: number, client: FastClient): Promise<IDataObject[]> {
	const siren = getSiren(this, itemIndex, client);
	return (await exportUsers(client, siren, itemIndex)).map((user) => ({ siren, ...user }));
}
