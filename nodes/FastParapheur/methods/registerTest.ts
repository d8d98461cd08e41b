/**
 * The Test of the Parapheur Register credential: one read of n8n's Data Table list
 * (`GET /api/v1/data-tables?limit=1`), which needs n8n 2.x's public API and the key's
 * `dataTable:list` scope, as the register does.
 */
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { credentialTestResult, parseJson, sendOrDescribe, shownUrl, unexpectedAnswer } from '../../../credentials/testConnection';
import { apiBaseUrl } from '../../shared/dataTable';

export const REGISTER_TEST_MESSAGES = {
	ok: 'Connection successful: n8n accepted the API key, and its Data Table API answers',
	401: 'n8n refused the API key: create one under Settings > n8n API and paste it here (a key stops working when it expires or is deleted).',
	403: 'n8n accepted the API key, but it may not list Data Tables: give the key the Data Table scopes (dataTable:list, dataTable:create, dataTable:read, dataTableColumn:create, dataTableRow:read, dataTableRow:create, dataTableRow:update, dataTableRow:upsert).',
	404: (address: string) =>
		`No Data Table API at ${address}: the register needs n8n 2.x (n8n 1.x's public API has no Data Tables). Check also that the URL ends with /api/v1 and that the public API is not turned off (N8N_PUBLIC_API_DISABLED).`,
	notN8n: (address: string) => `${address} answered, but not with n8n's list of Data Tables: check the n8n API URL (the address n8n answers on, followed by /api/v1).`,
};

export async function parapheurRegisterApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const credentials = (credential.data ?? {}) as { apiKey?: string; url?: string };
	const apiKey = String(credentials.apiKey ?? '');
	return await credentialTestResult([apiKey], async () => {
		const url = `${apiBaseUrl(credentials.url)}/data-tables?limit=1`;
		const address = shownUrl(url.replace(/\?.*$/, ''));
		const response = await sendOrDescribe(
			{ method: 'GET', url, headers: { 'x-n8n-api-key': apiKey } },
			{
				product: 'n8n',
				urlHint: "Check the n8n API URL: the address this n8n answers on (from the n8n process itself, and from the workers in queue mode), followed by /api/v1.",
				tlsHint: 'Install its certificate authority on the n8n host (NODE_EXTRA_CA_CERTS), or use the plain http address n8n listens on.',
			},
		);
		if (typeof response === 'string') return { status: 'Error', message: response };
		const body = parseJson(response.text) as { data?: unknown; message?: unknown } | undefined;
		if (response.status >= 200 && response.status < 300) {
			return Array.isArray(body?.data) ? { status: 'OK', message: REGISTER_TEST_MESSAGES.ok } : { status: 'Error', message: REGISTER_TEST_MESSAGES.notN8n(address) };
		}
		if (response.status === 401) return { status: 'Error', message: REGISTER_TEST_MESSAGES[401] };
		if (response.status === 403) return { status: 'Error', message: REGISTER_TEST_MESSAGES[403] };
		if (response.status === 404) return { status: 'Error', message: REGISTER_TEST_MESSAGES[404](address) };
		return { status: 'Error', message: unexpectedAnswer('n8n', address, response, typeof body?.message === 'string' ? body.message : undefined, [apiKey]) };
	});
}
