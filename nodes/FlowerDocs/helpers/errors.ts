/**
 * FlowerDocs' error answers, in words a user can act on. FlowerDocs answers not-found as HTTP
 * 500 with a code (field notes): the code decides the meaning, not the status.
 */
import type { ErrorDetails } from '../../shared/errors';
import type { HttpFailure } from '../../shared/request';

/** What the request was about, so that messages can name it. */
export interface FlowerDocsSubject {
	userId?: string;
	/** Whether the request went to the user service (`/rest/users...`). */
	users?: boolean;
	/** The text of a user search. */
	search?: string;
}

/** Codes FlowerDocs uses for "no such user" (field notes). */
export const NOT_FOUND_CODES: ReadonlySet<string> = new Set(['F00206', 'F00012', 'T01002']);

export const ALREADY_EXISTS_CODE = 'F00903';

/** Reads `{code, message}` from a FlowerDocs error body. */
export function readFlowerDocsError(body: unknown): { message?: string; code?: string } {
	if (!body || typeof body !== 'object') return {};
	const data = body as Record<string, unknown>;
	const message = [data.message, data.error, data.description].find(
		(value) => typeof value === 'string' && value.trim() !== '',
	) as string | undefined;
	const code = typeof data.code === 'string' && data.code.trim() !== '' ? data.code.trim() : undefined;
	return { message: message?.trim(), code };
}

export function describeFlowerDocsError(
	failure: HttpFailure,
	subject: FlowerDocsSubject,
): ErrorDetails | undefined {
	const code = failure.vendorCode;
	const user = subject.userId !== undefined ? `FlowerDocs user ${subject.userId}` : 'The FlowerDocs user';
	if (code && NOT_FOUND_CODES.has(code)) {
		return {
			message: `${user} does not exist`,
			description: `Check the user ID (FlowerDocs said: ${failure.vendorMessage || code}).`,
			code,
		};
	}
	if (code === ALREADY_EXISTS_CODE) {
		return {
			message: `${user} already exists`,
			description: 'Use the Update operation to change it, or choose another ID.',
			code,
		};
	}
	if (subject.users && (failure.status === 404 || failure.status === 405)) {
		return {
			message: 'User management is not available on this FlowerDocs instance',
			description: `FlowerDocs has no writable user service here (HTTP ${failure.status}): users probably come from a directory (LDAP, Active Directory) and are managed there. Also check the Core URL in the credential (with its context path, e.g. https://host/core).`,
			code,
		};
	}
	if (subject.search === '' && failure.status === 400) {
		return {
			message: `This FlowerDocs server needs a search text: it refused an empty one (HTTP 400${failure.vendorMessage ? `: ${failure.vendorMessage}` : ''}) and has no list of every user`,
			description:
				"Give the whole or part of an ID, first name, last name or display name in 'Search Text' (one letter matches every user whose names contain it), or use Get with the users' IDs.",
			code,
		};
	}
	if (failure.status === 401) {
		return {
			message: 'FlowerDocs rejected the session token twice, even right after a new login (HTTP 401)',
			description:
				'The login works but the token is refused: check that the user may use the API in this scope, and that the clocks of n8n and FlowerDocs agree.',
			code,
		};
	}
	if (failure.status === 403) {
		return {
			message: `The FlowerDocs user of the credential may not do this (HTTP 403)${failure.vendorMessage ? `: ${failure.vendorMessage}` : ''}`,
			description: 'Give that user the right to manage users in this scope, or use another account.',
			code,
		};
	}
	return undefined;
}
