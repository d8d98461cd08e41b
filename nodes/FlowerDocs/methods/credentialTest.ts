/**
 * The Test of the FlowerDocs credential: a login (`POST /rest/authentication`, as the node's
 * preAuthentication does), then a read of the credential's own user on the user service
 * (`GET /rest/users/{user}?resolveAuthorities=true`, read-only), which every operation of the node
 * needs. FlowerDocs lets any logged-in user read users but only a user with the ADMIN profile
 * write them: a read that works proves nothing about the writes (issue 16), so the profiles read
 * back decide. The token it gets is not kept.
 */
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { describeLoginFailure } from '../../../credentials/FlowerDocsApi.credentials';
import {
	credentialTestResult,
	parseJson,
	sendOrDescribe,
	shownUrl,
	unexpectedAnswer,
} from '../../../credentials/testConnection';
import { secretVariants } from '../../shared/redaction';
import { readFlowerDocsError } from '../helpers/errors';
import type { FlowerDocsCredentials } from '../transport';
import { flowerDocsBaseUrl } from '../transport';

export const FLOWERDOCS_TEST_MESSAGES = {
	ok: (user: string, scope: string) =>
		`Connection successful: user '${user}' logged into scope '${scope}' and has the ADMIN profile, which may manage users`,
	/** Profiles not resolved in the answer: the writes cannot be foretold. */
	okUnknownProfiles: (user: string, scope: string) =>
		`Connection successful: user '${user}' logged into scope '${scope}' and the user service answers`,
	noAdmin: (user: string, scope: string, profiles: readonly string[]) =>
		`The login works and user '${user}' may read users, but it has no ADMIN profile in scope '${scope}' (profiles: ${profiles.length > 0 ? profiles.join(', ') : 'none'}): FlowerDocs will refuse every Create, Update, Change Password and Delete (HTTP 403). Give it the ADMIN profile in FlowerDocs, or use another account.`,
	401: 'FlowerDocs rejected the session token: check the user, password and scope.',
	403: (user: string, scope: string) =>
		`The login works, but user '${user}' may not manage users in scope '${scope}' (HTTP 403): give it a profile allowed to manage users (e.g. ADMIN) in FlowerDocs.`,
	404: 'The login works, but user management is not available on this FlowerDocs instance (no /rest/users: users may come from a directory). Check the Core URL.',
	405: 'The login works, but user management is not available on this FlowerDocs instance.',
	notFlowerDocs: (address: string) =>
		`${address} answered, but not with FlowerDocs' user service: check the Core URL (with its context path, e.g. https://host/core).`,
};

export const credentialTest = {
	async flowerDocsApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		const credentials = (credential.data ?? {}) as unknown as FlowerDocsCredentials;
		const user = String(credentials.user ?? '');
		const scope = String(credentials.scope ?? '');
		// The token joins the secrets once there is one: a vendor message could quote it.
		const secrets = secretVariants([credentials.password]);
		return await credentialTestResult(secrets, async () => {
			const base = flowerDocsBaseUrl(credentials.url);
			const rejectUnauthorized = credentials.ignoreSslIssues !== true;
			const wording = {
				product: 'FlowerDocs',
				urlHint: 'Check the Core URL in the credential and that FlowerDocs is running.',
				tlsHint:
					"Install its certificate authority on the n8n host (NODE_EXTRA_CA_CERTS), or, only for a test instance, turn on 'Ignore SSL Issues (Insecure)'.",
			};
			const failed = (message: string): INodeCredentialTestResult => ({ status: 'Error', message });

			const loginUrl = `${base}/rest/authentication`;
			const login = await sendOrDescribe(
				{ method: 'POST', url: loginUrl, body: JSON.stringify({ user, password: credentials.password, scope }), rejectUnauthorized },
				wording,
			);
			if (typeof login === 'string') return failed(login);
			const value = (parseJson(login.text) as { value?: unknown } | undefined)?.value;
			if (login.status < 200 || login.status >= 300 || typeof value !== 'string' || value === '') {
				return failed(describeLoginFailure(login.status, parseJson(login.text), credentials, loginUrl));
			}
			const token = value;
			// Rebuilt rather than appended: the longest form must still be replaced first.
			secrets.splice(0, secrets.length, ...secretVariants([credentials.password, token]));

			const readUrl = `${base}/rest/users/${encodeURIComponent(user)}?resolveAuthorities=true`;
			const search = await sendOrDescribe({ method: 'GET', url: readUrl, headers: { token }, rejectUnauthorized }, wording);
			if (typeof search === 'string') return failed(search);
			const body = parseJson(search.text);
			const searchUrl = readUrl.replace(/\?.*$/, '');
			if (search.status >= 200 && search.status < 300) {
				// One element for one id (field notes).
				const self = Array.isArray(body) ? (body[0] as { id?: unknown; profiles?: unknown } | undefined) : undefined;
				if (!self || typeof self !== 'object') return failed(FLOWERDOCS_TEST_MESSAGES.notFlowerDocs(shownUrl(searchUrl)));
				if (!Array.isArray(self.profiles)) return { status: 'OK', message: FLOWERDOCS_TEST_MESSAGES.okUnknownProfiles(user, scope) };
				const profiles = self.profiles.map(String);
				return profiles.includes('ADMIN')
					? { status: 'OK', message: FLOWERDOCS_TEST_MESSAGES.ok(user, scope) }
					: failed(FLOWERDOCS_TEST_MESSAGES.noAdmin(user, scope, profiles));
			}
			if (search.status === 401 || search.status === 404 || search.status === 405) {
				return failed(FLOWERDOCS_TEST_MESSAGES[search.status]);
			}
			if (search.status === 403) return failed(FLOWERDOCS_TEST_MESSAGES[403](user, scope));
			return failed(unexpectedAnswer('FlowerDocs', shownUrl(searchUrl), search, readFlowerDocsError(body).message, secrets));
		});
	},
};
