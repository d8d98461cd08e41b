/**
 * A node's credential, read once per execution. n8n's `getCredentials` loads and decrypts the
 * credential on every call (a database read and a decryption in a real n8n), and so does
 * `httpRequestWithAuthentication` unless it is handed the decrypted credential: a thousand items
 * would read it two thousand times. The transports read it here, and `sendRequest` hands the same
 * object to n8n's helper (`credentialsDecrypted`).
 *
 * The object is shared on purpose: where n8n's helper logs in by itself (FlowerDocs'
 * preAuthentication), it writes the new token into this object, so the next request of the
 * execution uses it instead of logging in again.
 *
 * The credential is resolved for the execution, not for each item: a credential field written as
 * an expression of the item's data (rare) takes the first item's value.
 */
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted } from 'n8n-workflow';

import type { RequestContext } from './request';

const cache = new WeakMap<object, Map<string, Promise<ICredentialDataDecryptedObject>>>();

/** The decrypted credential of `type`, read on the context's first call and kept for the execution. */
export async function readCredentials<T = ICredentialDataDecryptedObject>(ctx: RequestContext, type: string): Promise<T> {
	let byType = cache.get(ctx);
	if (!byType) {
		byType = new Map();
		cache.set(ctx, byType);
	}
	let pending = byType.get(type);
	if (!pending) {
		pending = ctx.getCredentials(type);
		byType.set(type, pending);
		// A credential that could not be read is read again by the next call, not cached as a failure.
		pending.catch(() => byType.delete(type));
	}
	return (await pending) as T;
}

/**
 * Forgets what was read for this context. n8n's classic poller keeps one poll context for as long
 * as the workflow is active: a trigger calls this at the start of each poll, so that a changed
 * credential counts from the next poll.
 */
export function forgetCredentials(ctx: RequestContext): void {
	cache.delete(ctx);
	wrapped.delete(ctx);
}

const wrapped = new WeakMap<object, ICredentialsDecrypted>();

/**
 * The decrypted credential in the form n8n's request helper takes instead of reading it again
 * (`credentialsDecrypted`): the same wrapper for the same data, so what n8n writes into it is kept.
 */
export function decryptedCredentials(ctx: RequestContext, type: string, data: object): ICredentialsDecrypted {
	let credentials = wrapped.get(data);
	if (!credentials) {
		const reference = ctx.getNode().credentials?.[type];
		credentials = { id: reference?.id ?? '', name: reference?.name ?? '', type, data: data as ICredentialDataDecryptedObject };
		wrapped.set(data, credentials);
	}
	return credentials;
}
