/**
 * The one function that talks HTTP to FlowerDocs Core. Base URL: the Core URL of the credential,
 * context path included (field notes), without trailing slash. Authentication: a `token` header
 * holding the session token of the credential.
 *
 * How the token is kept fresh. The credential has a hidden expirable field, `sessionToken`, and
 * a `preAuthentication` that logs in (`POST /rest/authentication`). n8n calls preAuthentication
 * only when that field is empty (and stores the result, encrypted, so that every request of every
 * execution reuses one token), or when a request it made threw a 401. Two cases are not covered by
 * n8n itself:
 * - A token about to expire: n8n does not look at lifetimes. preAuthentication also stores
 *   `renewAt` (the JWT's `exp` less a margin); once that moment has passed, this transport
 *   hands `httpRequestWithAuthentication` the credential with `sessionToken` emptied
 *   (`credentialsDecrypted`), so n8n runs preAuthentication again and stores the new token, as it
 *   does for a first login.
 * - A 401: the shared pipeline asks for every answer (`ignoreHttpStatusErrors`, to map vendor
 *   errors), so n8n's own refresh-on-401 never fires. The transport does the same thing itself:
 *   one renewal through the same path, and one retry. A second 401 is reported.
 */
import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import type { ErrorDetails } from '../../shared/errors';
import { decryptedCredentials, readCredentials } from '../../shared/credentials';
import { secretVariants } from '../../shared/redaction';
import type { ApiRequest, ConnectionFailureDetails, RequestContext, Vendor } from '../../shared/request';
import { apiRequest, errorText, getRequestSettings } from '../../shared/request';
import { InputError } from '../../shared/validation';
import type { FlowerDocsSubject } from '../helpers/errors';
import { describeFlowerDocsError, readFlowerDocsError } from '../helpers/errors';

export const FLOWERDOCS_CREDENTIAL = 'flowerDocsApi';

export const FLOWERDOCS: Vendor = {
	name: 'FlowerDocs',
	credentialType: FLOWERDOCS_CREDENTIAL,
	readError: readFlowerDocsError,
};

export interface FlowerDocsCredentials {
	url: string;
	scope: string;
	user: string;
	password: string;
	ignoreSslIssues?: boolean;
	sessionToken?: string;
	renewAt?: string;
}

/** `https://host/core/` -> `https://host/core` (FlowerDocs 2026 rejects trailing slashes). */
export function flowerDocsBaseUrl(url: string): string {
	const trimmed = String(url ?? '')
		.trim()
		.replace(/\/+$/, '');
	if (!URL.canParse(trimmed) || !/^https?:$/.test(new URL(trimmed).protocol)) {
		throw new InputError(
			`The Core URL in the FlowerDocs credential is not a valid URL: ${JSON.stringify(trimmed)}`,
			'Use the address of FlowerDocs Core with its context path, e.g. https://ged.example.fr/core',
		);
	}
	return trimmed;
}

/** The credential, read once per execution (shared/credentials). */
export async function flowerDocsCredentials(ctx: RequestContext): Promise<FlowerDocsCredentials> {
	return await readCredentials<FlowerDocsCredentials>(ctx, FLOWERDOCS_CREDENTIAL);
}

/** The password and the current token, in every form they could take in a message. */
export async function flowerDocsSecrets(ctx: RequestContext): Promise<string[]> {
	const credentials = await flowerDocsCredentials(ctx);
	return secretVariants([credentials.password, credentials.sessionToken]);
}

/** Whether the stored token must be renewed before it is used. */
export function tokenNeedsRenewal(credentials: FlowerDocsCredentials, now = Date.now()): boolean {
	if (!credentials.sessionToken) return false; // n8n logs in by itself when the field is empty
	const renewAt = Number(credentials.renewAt);
	return Number.isFinite(renewAt) && renewAt > 0 && now >= renewAt;
}

/**
 * Makes n8n log in again for this request: a copy of the credential with its token emptied, which
 * n8n's helper fills with the new token (and stores).
 */
function renewalCopy(ctx: RequestContext, credentials: FlowerDocsCredentials) {
	const copy = { ...credentials, sessionToken: '', renewAt: '' };
	return { copy, options: { credentialsDecrypted: decryptedCredentials(ctx, FLOWERDOCS_CREDENTIAL, copy) } };
}

/** One renewal at a time per execution: items in flight together log in once, not once each. */
const renewals = new WeakMap<object, Promise<unknown>>();

async function oneAtATime<T>(ctx: RequestContext, task: () => Promise<T>): Promise<T> {
	const previous = renewals.get(ctx) ?? Promise.resolve();
	const current = previous.catch(() => undefined).then(task);
	renewals.set(ctx, current);
	return await current;
}

export interface FlowerDocsRequest {
	body?: IDataObject;
	qs?: IDataObject;
	itemIndex?: number;
	subject?: FlowerDocsSubject;
	/** What the answer must be (see ApiRequest). */
	expect?: ApiRequest['expect'];
	shape?: ApiRequest['shape'];
}

const UNAUTHORIZED = Symbol('unauthorized');

/**
 * A failed login: thrown by the credential's preAuthentication inside n8n's request helper, it
 * reaches the pipeline as a request that got no answer. Its text already says what to fix
 * (describeLoginFailure: a refused login, no login service, a proxy's refusal): it becomes the
 * message and description as they are. A login that could not connect at all is left to the
 * pipeline's wording of connection failures.
 */
function describeLoginError(error: unknown, code: string | undefined): ConnectionFailureDetails | undefined {
	const text = errorText(error);
	if (/^Could not reach FlowerDocs to log in/.test(text) && code) return undefined;
	if (!/^(?:FlowerDocs refused the login|FlowerDocs answered the login|No FlowerDocs login service|FlowerDocs login failed|Could not reach FlowerDocs to log in|The proxy |FlowerDocs could not be reached through the proxy)/.test(text)) {
		return undefined;
	}
	// A refused login: the dispatcher sends nothing more this execution (see markRejectedLogin).
	// describeLoginFailure words a login refused with 401 or 403 alike: both are rejected credentials.
	const rejectedLogin = /^FlowerDocs refused the login .*\(HTTP 40[13]\)/.test(text);
	const [first, ...rest] = text.split(/(?<=\)[^.]*\.) (?=Check)/);
	const details: ErrorDetails = rest.length > 0 ? { message: first.replace(/\.$/, ''), description: rest.join(' ') } : { message: first };
	return { ...details, rejectedLogin };
}

/** `path` starts with `/rest/...`, without trailing slash. */
export async function flowerDocsApiRequest(
	ctx: RequestContext,
	method: IHttpRequestMethods,
	path: string,
	{ body, qs, itemIndex, subject = {}, expect, shape }: FlowerDocsRequest = {},
): Promise<unknown> {
	let renewed = false;
	// At most two tries: the second one only after a 401 and a new login.
	for (let attempt = 0; attempt < 2; attempt++) {
		// The execution's credential (shared/credentials): n8n's first login fills its token.
		const credentials = await flowerDocsCredentials(ctx);
		const tokenUsed = credentials.sessionToken;
		const send = async (renew: boolean) => {
			const renewal = renew ? renewalCopy(ctx, credentials) : undefined;
			const secrets = secretVariants([credentials.password, credentials.sessionToken]);
			const result = await apiRequest(ctx, FLOWERDOCS, {
				method,
				url: `${flowerDocsBaseUrl(credentials.url)}${path}`,
				body,
				qs,
				itemIndex,
				settings: getRequestSettings(ctx, itemIndex ?? 0),
				skipSslCertificateValidation: credentials.ignoreSslIssues === true,
				secrets,
				credentialOptions: renewal?.options,
				// A 401 on the first try: the token was refused (expired early, revoked, server restarted).
				recover: (failure) => (failure.status === 401 && attempt === 0 ? { value: UNAUTHORIZED } : undefined),
				describeError: (failure) => describeFlowerDocsError(failure, { users: path.startsWith('/rest/users'), ...subject }),
				describeConnectionFailure: describeLoginError,
				expect,
				shape,
			});
			// The new token serves the execution's next requests.
			if (renewal?.copy.sessionToken) Object.assign(credentials, { sessionToken: renewal.copy.sessionToken, renewAt: renewal.copy.renewAt });
			return result;
		};
		let result: unknown;
		if (attempt > 0 || tokenNeedsRenewal(credentials)) {
			renewed = true;
			// Renewed by another request of this execution while this one waited: use its token.
			result = await oneAtATime(ctx, async () => await send(!(credentials.sessionToken && credentials.sessionToken !== tokenUsed)));
		} else {
			result = await send(false);
		}
		if (result !== UNAUTHORIZED) return result;
	}
	// Not reached: the second try throws on a 401.
	throw new InputError(`FlowerDocs refused the session token${renewed ? ' after a new login' : ''}`);
}
