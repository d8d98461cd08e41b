/**
 * Trust and Sign's error answers, in words a user can act on. Errors come as
 * `{"error": {"message", "code", ...}}`; only codes 1000 (server error) and 1005 (invalid
 * parameter format) are publicly documented, so other codes and messages are passed through
 * (field notes).
 */
import type { ErrorDetails } from '../../shared/errors';
import type { HttpFailure } from '../../shared/request';

/** What the request was about, so that messages can name it. */
export interface NamirialSubject {
	email?: string;
}

export function readNamirialError(body: unknown): { message?: string; code?: string } {
	if (!body || typeof body !== 'object') return {};
	const data = body as Record<string, unknown>;
	const error = (data.error && typeof data.error === 'object' ? data.error : data) as Record<string, unknown>;
	const message = [error.message, data.message].find(
		(value) => typeof value === 'string' && value.trim() !== '',
	) as string | undefined;
	const code = error.code ?? data.code;
	return {
		message: message?.trim(),
		code: typeof code === 'number' || typeof code === 'string' ? String(code) : undefined,
	};
}

const codeSuffix = (failure: HttpFailure) => (failure.vendorCode ? ` (code ${failure.vendorCode})` : '');

export function describeNamirialError(
	failure: HttpFailure,
	subject: NamirialSubject,
	adminEmail?: string,
): ErrorDetails | undefined {
	const who = subject.email ? `operator ${subject.email}` : 'the request';
	if (failure.status === 401) {
		return {
			message: `Trust and Sign rejected the e-mail or password of the admin operator ${adminEmail ?? ''} (HTTP 401)`.replace('  ', ' '),
			description:
				'Check the credential: the e-mail and password of an operator with the ADMINISTRATION authorization, and the environment (integration, pre-production and production have separate accounts).',
		};
	}
	if (failure.status === 403) {
		return {
			// A 403 means the login worked but the operator is not an admin operator (a viewer, a
			// validator...): it is named for what it is, the credential's operator.
			message: `Trust and Sign refused this action to the credential's operator${adminEmail ? ` ${adminEmail}` : ''}, who is not an admin operator (HTTP 403)${failure.vendorMessage ? `: ${failure.vendorMessage}` : ''}`,
			description:
				'Managing operators takes an admin operator: give this operator the ADMINISTRATION authorization in Trust and Sign, or put the e-mail and password of an admin operator in the credential.',
		};
	}
	if (failure.status === 404 && !failure.vendorCode) {
		return {
			message: 'Trust and Sign has no such route (HTTP 404)',
			description:
				'Check the environment or the custom URL in the credential: it is the root of the API (e.g. https://api.ekeynox.net); the node adds /contract/management/users.',
		};
	}
	if (failure.vendorMessage && failure.status >= 400 && failure.status < 500) {
		return {
			message: `Trust and Sign rejected ${who}: ${failure.vendorMessage}${codeSuffix(failure)}`,
			description:
				failure.vendorCode === '1005'
					? 'A value has the wrong format (code 1005): correct it and run the node again.'
					: undefined,
			code: failure.vendorCode,
		};
	}
	return undefined;
}
