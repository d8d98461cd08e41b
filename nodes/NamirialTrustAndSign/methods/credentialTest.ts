/**
 * The Test of the Trust and Sign credential: the operator list (`GET /contract/management/users`),
 * which needs an admin operator (ADMINISTRATION authorization), as every operation of the node does.
 */
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import {
	basicAuthorization,
	credentialTestResult,
	parseJson,
	sendOrDescribe,
	shownUrl,
	unexpectedAnswer,
} from '../../../credentials/testConnection';
import { secretVariants } from '../../shared/redaction';
import { readNamirialError } from '../helpers/errors';
import type { NamirialCredentials } from '../transport';
import { USERS_PATH, namirialBaseUrl } from '../transport';

export const NAMIRIAL_TEST_MESSAGES = {
	ok: (email: string) => `Connection successful: Trust and Sign accepted the admin operator ${email}, who may manage operators`,
	401: 'Trust and Sign rejected the e-mail or password. Check them, and the environment: integration, pre-production and production have separate accounts.',
	403: 'The login works, but this operator may not manage operators: it needs the ADMINISTRATION authorization.',
	404: 'No Trust and Sign management API at this address: check the environment or the custom URL.',
	notNamirial: (address: string) =>
		`${address} answered, but not with Trust and Sign's operator list: check the environment or the custom URL.`,
};

export const credentialTest = {
	async namirialTrustAndSignApiTest(
		this: ICredentialTestFunctions,
		credential: ICredentialsDecrypted,
	): Promise<INodeCredentialTestResult> {
		const credentials = (credential.data ?? {}) as unknown as NamirialCredentials;
		const email = String(credentials.email ?? '');
		const secrets = secretVariants([credentials.password], email);
		return await credentialTestResult(secrets, async () => {
			const url = `${namirialBaseUrl(credentials)}${USERS_PATH}`;
			const address = shownUrl(url);
			const response = await sendOrDescribe(
				{ method: 'GET', url, headers: { authorization: basicAuthorization(email, credentials.password) } },
				{
					product: 'Trust and Sign',
					urlHint: 'Check the environment or the custom URL in the credential.',
					tlsHint: 'Install its certificate authority on the n8n host (NODE_EXTRA_CA_CERTS).',
				},
			);
			if (typeof response === 'string') return { status: 'Error', message: response };
			const body = parseJson(response.text);
			if (response.status >= 200 && response.status < 300) {
				// An array, as documented; some instances wrap it in `users` (the node reads both).
				return Array.isArray(body) || Array.isArray((body as { users?: unknown } | undefined)?.users)
					? { status: 'OK', message: NAMIRIAL_TEST_MESSAGES.ok(email) }
					: { status: 'Error', message: NAMIRIAL_TEST_MESSAGES.notNamirial(address) };
			}
			if (response.status === 401 || response.status === 403 || response.status === 404) {
				return { status: 'Error', message: NAMIRIAL_TEST_MESSAGES[response.status] };
			}
			return { status: 'Error', message: unexpectedAnswer('Trust and Sign', address, response, readNamirialError(body).message, secrets) };
		});
	},
};
