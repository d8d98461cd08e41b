import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { excerpt } from '../nodes/shared/errors';
import { describeProxyRefusal, proxyFor } from '../nodes/shared/proxy';

/** Lifetime assumed when the token is not a readable JWT (FlowerDocs' default, field notes). */
const DEFAULT_TOKEN_LIFETIME_MS = 3_600_000;

/** How long before its end a token is renewed: a minute, or a fifth of a short lifetime. */
export function renewalMargin(lifetimeMs: number): number {
	return Math.min(60_000, Math.floor(lifetimeMs / 5));
}

/** The `exp` and `iat` claims (seconds) of a JWT, without checking its signature. */
export function readJwtTimes(token: string): { exp?: number; iat?: number } {
	const payload = token.split('.')[1];
	if (!payload) return {};
	try {
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
		return {
			exp: typeof claims.exp === 'number' ? claims.exp : undefined,
			iat: typeof claims.iat === 'number' ? claims.iat : undefined,
		};
	} catch {
		return {};
	}
}

/**
 * The moment (epoch ms) after which the node renews a token obtained at `now`: its JWT `exp`
 * less a margin, or the default lifetime when the token says nothing.
 */
export function tokenRenewAt(token: string, now = Date.now()): number {
	const { exp, iat } = readJwtTimes(token);
	const expiresAt = exp !== undefined ? exp * 1000 : now + DEFAULT_TOKEN_LIFETIME_MS;
	const lifetime = Math.max(0, expiresAt - (iat !== undefined ? iat * 1000 : now));
	return expiresAt - renewalMargin(lifetime);
}

/** `https://host/core/` -> `https://host/core` (FlowerDocs 2026 rejects trailing slashes). */
export function flowerDocsCoreUrl(url: unknown): string {
	return String(url ?? '')
		.trim()
		.replace(/\/+$/, '');
}

/**
 * Why a login (`POST /rest/authentication`) did not give a token, in words: used by the node's
 * preAuthentication and by the credential Test (nodes/FlowerDocs/methods/credentialTest.ts).
 */
export function describeLoginFailure(
	status: number,
	body: unknown,
	credentials: { user?: unknown; scope?: unknown },
	url: string,
): string {
	const message = (body as { message?: unknown } | undefined)?.message;
	const vendor = typeof message === 'string' ? `: ${message}` : '';
	// n8n's helper carries the login through the proxy variables: a proxy's refusal names the proxy.
	const proxy = status === 407 || status === 502 ? proxyFor(url) : undefined;
	if (proxy) {
		const refusal = describeProxyRefusal('FlowerDocs', proxy, status);
		return `${refusal.message}. ${refusal.description}`;
	}
	if (status === 401 || status === 403) {
		// A proxy blocking the host answers 403 too, and n8n's helper cannot tell it from FlowerDocs.
		const through = status === 403 ? proxyFor(url) : undefined;
		const maybeProxy = through ? ` n8n reaches FlowerDocs through the proxy ${through.shown}: the refusal may be the proxy's (a host it does not let through).` : '';
		return `FlowerDocs refused the login of user '${String(credentials.user)}' in scope '${String(credentials.scope)}' (HTTP ${status})${vendor}. Check the user, password and scope in the credential.${maybeProxy}`;
	}
	if (status === 404 || status === 405) {
		return `No FlowerDocs login service at ${url} (HTTP ${status}). Check the Core URL: it includes the context path, e.g. https://host/core.`;
	}
	return `FlowerDocs login failed (HTTP ${status})${vendor}`;
}

/**
 * Tested by the FlowerDocs node (`testedBy`, nodes/FlowerDocs/methods/credentialTest.ts): it logs in
 * and asks the user service, with its own message for each failure on n8n 1.x and 2.x alike (a
 * declarative `test` loses them on 1.x: see credentials/testConnection.ts).
 */
// eslint-disable-next-line @n8n/community-nodes/credential-test-required -- tested by its nodes (testedBy, methods.credentialTest of each version): the rule reads only the registered entry files, VersionedNodeTypes whose versions it does not open; test/package.test.ts checks the tests exist
export class FlowerDocsApi implements ICredentialType {
	name = 'flowerDocsApi';

	displayName = 'FlowerDocs API';

	icon: Icon = { light: 'file:flowerDocs.svg', dark: 'file:flowerDocs.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-parapheur/n8n-nodes-parapheur#flowerdocs-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Core URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://ged.example.fr/core',
			description:
				'The address of the FlowerDocs Core web application, with its context path (often /core, or /flower-docs-ws on older installs)',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. GEC',
			description: 'The FlowerDocs scope (tenant) to log into',
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. n8n',
			description: 'A FlowerDocs user allowed to manage users in this scope',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description:
				'Whether to connect even if the server certificate cannot be verified. Only for test instances with a self-signed certificate.',
		},
		// The session token, filled by preAuthentication and stored (encrypted) by n8n. n8n logs in
		// again when it is empty; the node empties it itself before the token's end and after a 401
		// (see nodes/FlowerDocs/transport).
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		// When the node renews the token (epoch milliseconds, as text).
		{
			displayName: 'Token Renewal Time',
			name: 'renewAt',
			type: 'hidden',
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const url = `${flowerDocsCoreUrl(credentials.url)}/rest/authentication`;
		let response: { statusCode?: number; body?: unknown };
		try {
			response = (await this.helpers.httpRequest({
				method: 'POST',
				url,
				body: { user: credentials.user, password: credentials.password, scope: credentials.scope },
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				skipSslCertificateValidation: credentials.ignoreSslIssues === true,
			})) as { statusCode?: number; body?: unknown };
		} catch (error) {
			// Never the library's error: it carries the request body, password included.
			throw new Error(
				`Could not reach FlowerDocs to log in at ${url}: ${String((error as { code?: string }).code ?? 'no answer')}`,
			);
		}
		const body = response.body as { value?: unknown } | undefined;
		const status = response.statusCode ?? 0;
		if (status >= 200 && status < 300 && typeof body?.value === 'string' && body.value !== '') {
			return { sessionToken: body.value, renewAt: String(tokenRenewAt(body.value)) };
		}
		if (status >= 200 && status < 300) {
			// The documented answer is `{ "value": "<token>" }`; anything else (a login portal's HTML
			// page, an empty body) is not a login, whatever its status.
			const text = typeof response.body === 'string' ? response.body : (JSON.stringify(response.body) ?? '');
			const secrets = [String(credentials.password ?? '')].filter(Boolean);
			throw new Error(
				`FlowerDocs answered the login without a token (HTTP ${status}): ${excerpt(text, 120, secrets) || '(empty)'}. Check the Core URL: it includes the context path, e.g. https://host/core.`,
			);
		}
		throw new Error(describeLoginFailure(status, response.body, credentials, url));
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { token: '={{$credentials.sessionToken}}' },
		},
	};
}
