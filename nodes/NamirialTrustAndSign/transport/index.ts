/**
 * The one function that talks HTTP to Trust and Sign's management API (V6). Base URL: one of the
 * three documented environments or a custom URL; paths hang off it (`/contract/management/users`).
 * Authentication: HTTP Basic with an admin operator's e-mail and password, applied by the credential.
 */
import type FormData from 'form-data';
import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { readCredentials } from '../../shared/credentials';
import { secretVariants } from '../../shared/redaction';
import type { ApiRequest, RequestContext, Vendor } from '../../shared/request';
import { apiRequest, getRequestSettings } from '../../shared/request';
import { InputError } from '../../shared/validation';
import type { NamirialSubject } from '../helpers/errors';
import { describeNamirialError, readNamirialError } from '../helpers/errors';

export const NAMIRIAL_CREDENTIAL = 'namirialTrustAndSignApi';

export const NAMIRIAL: Vendor = {
	name: 'Trust and Sign',
	credentialType: NAMIRIAL_CREDENTIAL,
	readError: readNamirialError,
	// The credential's `authenticate` is this Basic login (credentials/*.credentials.ts).
	basicAuth: (credentials) => ({ username: String(credentials.email ?? ''), password: String(credentials.password ?? '') }),
};

/** The documented environments (field notes). */
export const NAMIRIAL_ENVIRONMENTS: Record<string, string> = {
	integration: 'https://integration-api.ekeynox.net',
	preproduction: 'https://preprod-api.ekeynox.net',
	production: 'https://api.ekeynox.net',
};

/** Where the operator routes live, under the base URL. */
export const USERS_PATH = '/contract/management/users';

export interface NamirialCredentials {
	environment: string;
	url?: string;
	email: string;
	password: string;
}

/** The base URL of an environment, or the custom URL without trailing slashes. */
export function namirialBaseUrl(credentials: Pick<NamirialCredentials, 'environment' | 'url'>): string {
	const known = NAMIRIAL_ENVIRONMENTS[credentials.environment];
	if (known) return known;
	const trimmed = String(credentials.url ?? '').trim();
	if (!URL.canParse(trimmed) || !/^https?:$/.test(new URL(trimmed).protocol)) {
		throw new InputError(
			`The custom URL in the Trust and Sign credential is not a valid URL: ${JSON.stringify(trimmed)}`,
			'Use the address of the management API, e.g. https://api.ekeynox.net, without /contract/management.',
		);
	}
	return trimmed.replace(/\/+$/, '').replace(/\/contract\/management(\/users)?$/i, '');
}

/** The credential, read once per execution (shared/credentials). */
export async function namirialCredentials(ctx: RequestContext): Promise<NamirialCredentials> {
	return await readCredentials<NamirialCredentials>(ctx, NAMIRIAL_CREDENTIAL);
}

/** The password in every form it could take in a message (plain, encoded, in the Basic token). */
export async function namirialSecrets(ctx: RequestContext): Promise<string[]> {
	const credentials = await namirialCredentials(ctx);
	return secretVariants([credentials.password], credentials.email);
}

export interface NamirialRequest {
	body?: IDataObject;
	qs?: IDataObject;
	/** A multipart body (the CSV batches). */
	multipart?: FormData;
	itemIndex?: number;
	subject?: NamirialSubject;
	/** What the answer must be (see ApiRequest). */
	expect?: ApiRequest['expect'];
	shape?: ApiRequest['shape'];
}

/** `path` is relative to `/contract/management/users` ('' for the list itself). */
export async function namirialApiRequest(
	ctx: RequestContext,
	method: IHttpRequestMethods,
	path: string,
	{ body, qs, multipart, itemIndex, subject = {}, expect, shape }: NamirialRequest = {},
): Promise<unknown> {
	const credentials = await namirialCredentials(ctx);
	return await apiRequest(ctx, NAMIRIAL, {
		method,
		url: `${namirialBaseUrl(credentials)}${USERS_PATH}${path}`,
		body,
		qs,
		multipart,
		expect,
		shape,
		itemIndex,
		settings: getRequestSettings(ctx, itemIndex ?? 0),
		secrets: secretVariants([credentials.password], credentials.email),
		describeError: (failure) => describeNamirialError(failure, subject, credentials.email),
	});
}
