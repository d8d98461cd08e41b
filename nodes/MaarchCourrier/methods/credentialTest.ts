/**
 * The Test of the Maarch Courrier credential: the user list (`GET /rest/users`), which needs a
 * `rest` account with the user administration privilege, as every operation of the node does.
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
import { readMaarchError } from '../helpers/errors';
import type { MaarchCredentials } from '../transport';
import { maarchRestUrl } from '../transport';

export const MAARCH_TEST_MESSAGES = {
	ok: (login: string) => `Connection successful: Maarch Courrier accepted the account '${login}', which may manage users`,
	401: "Maarch Courrier rejected the login or password. Check them, and that the account's mode is 'rest' (web service). Repeated failures lock the account.",
	locked: (login: string) =>
		`Maarch Courrier says the account '${login}' is locked (repeated failed logins). An administrator must unlock it in Maarch Courrier; then check the password.`,
	403: 'The login works, but the account may not manage users: give it the user administration privilege in Maarch Courrier.',
	404: 'No Maarch Courrier API at this address: check the instance URL (the address of Maarch Courrier as in the browser).',
	503: 'Maarch Courrier is unavailable (HTTP 503), probably during an upgrade. Try again later.',
	notMaarch: (address: string) =>
		`${address} answered, but not with Maarch Courrier's user list: check the instance URL (the address of Maarch Courrier as in the browser).`,
};

export const credentialTest = {
	async maarchCourrierApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		const credentials = (credential.data ?? {}) as unknown as MaarchCredentials;
		const login = String(credentials.login ?? '');
		const secrets = secretVariants([credentials.password], login);
		return await credentialTestResult(secrets, async () => {
			const url = `${maarchRestUrl(credentials.url)}/users`;
			const address = shownUrl(url);
			const response = await sendOrDescribe(
				{
					method: 'GET',
					url,
					headers: { authorization: basicAuthorization(login, credentials.password) },
					rejectUnauthorized: credentials.ignoreSslIssues !== true,
				},
				{
					product: 'Maarch Courrier',
					urlHint: 'Check the instance URL in the credential and that Maarch Courrier is running.',
					tlsHint:
						"Install its certificate authority on the n8n host (NODE_EXTRA_CA_CERTS), or, only for a test instance, turn on 'Ignore SSL Issues (Insecure)'.",
				},
			);
			if (typeof response === 'string') return { status: 'Error', message: response };
			const body = parseJson(response.text);
			const vendorMessage = readMaarchError(body).message;
			if (response.status >= 200 && response.status < 300) {
				return Array.isArray((body as { users?: unknown } | undefined)?.users)
					? { status: 'OK', message: MAARCH_TEST_MESSAGES.ok(login) }
					: { status: 'Error', message: MAARCH_TEST_MESSAGES.notMaarch(address) };
			}
			if (response.status === 401) {
				return { status: 'Error', message: /locked/i.test(vendorMessage ?? '') ? MAARCH_TEST_MESSAGES.locked(login) : MAARCH_TEST_MESSAGES[401] };
			}
			if (response.status === 403 || response.status === 404 || response.status === 503) {
				return { status: 'Error', message: MAARCH_TEST_MESSAGES[response.status] };
			}
			return { status: 'Error', message: unexpectedAnswer('Maarch Courrier', address, response, vendorMessage, secrets) };
		});
	},
};
