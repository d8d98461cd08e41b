/**
 * The one function that talks HTTP to Maarch Courrier. Base URL: the instance root followed by
 * `/rest` (installs can live under a sub-path). Authentication: HTTP Basic with a `rest`-mode
 * account, applied by the credential.
 */
import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { readCredentials } from '../../shared/credentials';
import { secretVariants } from '../../shared/redaction';
import type { ApiRequest, RequestContext, Vendor } from '../../shared/request';
import { apiRequest, getRequestSettings } from '../../shared/request';
import { InputError } from '../../shared/validation';
import type { MaarchSubject } from '../helpers/errors';
import { describeMaarchError, readMaarchError } from '../helpers/errors';
import { pathSegment } from '../../shared/path';

export const MAARCH_CREDENTIAL = 'maarchCourrierApi';

export const MAARCH: Vendor = {
	name: 'Maarch Courrier',
	credentialType: MAARCH_CREDENTIAL,
	readError: readMaarchError,
	// The credential's `authenticate` is this Basic login (credentials/*.credentials.ts).
	basicAuth: (credentials) => ({ username: String(credentials.login ?? ''), password: String(credentials.password ?? '') }),
};

export interface MaarchCredentials {
	url: string;
	login: string;
	password: string;
	ignoreSslIssues?: boolean;
}

/** `https://host/maarch/` or `https://host/maarch/rest` -> `https://host/maarch/rest`. */
export function maarchRestUrl(instanceUrl: string): string {
	const trimmed = String(instanceUrl ?? '').trim();
	if (!URL.canParse(trimmed)) {
		throw new InputError(
			`The Maarch Courrier instance URL in the credential is not a valid URL: ${JSON.stringify(trimmed)}`,
			'Use the address of Maarch Courrier as in the browser, e.g. https://courrier.example.fr/maarch',
		);
	}
	const parsed = new URL(trimmed);
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		throw new InputError('The Maarch Courrier instance URL must start with https:// or http://');
	}
	const path = parsed.pathname.replace(/\/+$/, '').replace(/\/rest$/i, '');
	return `${parsed.origin}${path}/rest`;
}

/** The address of a user's page in Maarch Courrier's administration. */
export function maarchUserUrl(instanceUrl: string, id: number | string): string {
	return `${maarchRestUrl(instanceUrl).replace(/\/rest$/, '')}/dist/index.html#/administration/users/${pathSegment(id, 'User')}`;
}

/** The credential, read once per execution (shared/credentials). */
export async function maarchCredentials(ctx: RequestContext): Promise<MaarchCredentials> {
	return await readCredentials<MaarchCredentials>(ctx, MAARCH_CREDENTIAL);
}

/** The password in every form it could take in a message (plain, encoded, in the Basic token). */
export async function maarchSecrets(ctx: RequestContext): Promise<string[]> {
	const credentials = await maarchCredentials(ctx);
	return secretVariants([credentials.password], credentials.login);
}

export interface MaarchRequest {
	body?: IDataObject;
	qs?: IDataObject;
	itemIndex?: number;
	/** What the request is about, for error messages. */
	subject?: MaarchSubject;
	recover?: ApiRequest['recover'];
	/** What the answer must be (see ApiRequest). */
	expect?: ApiRequest['expect'];
	shape?: ApiRequest['shape'];
}

export async function maarchApiRequest(
	ctx: RequestContext,
	method: IHttpRequestMethods,
	path: string,
	{ body, qs, itemIndex, subject = {}, recover, expect, shape }: MaarchRequest = {},
): Promise<unknown> {
	const credentials = await maarchCredentials(ctx);
	return await apiRequest(ctx, MAARCH, {
		method,
		url: `${maarchRestUrl(credentials.url)}${path}`,
		body,
		qs,
		itemIndex,
		settings: getRequestSettings(ctx, itemIndex ?? 0),
		skipSslCertificateValidation: credentials.ignoreSslIssues === true,
		secrets: secretVariants([credentials.password], credentials.login),
		recover,
		expect,
		shape,
		describeError: (failure) => describeMaarchError(failure, subject, credentials.login),
	});
}
