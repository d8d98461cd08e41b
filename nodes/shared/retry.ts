/**
 * When a request may be sent again, and how long to wait first. Pure functions.
 *
 * Only idempotent requests (GET, HEAD, PUT, DELETE) are retried, on 429, 502, 503, 504 and on a
 * connection reset. Uploads and other POSTs are never retried blindly: the first one may have
 * been applied. 401 is never retried (Maarch locks an account after repeated failed logins).
 */

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Connection failures after which the server may not have seen the request complete. */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE']);

const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** First backoff step when the server gives no Retry-After. */
export const BASE_DELAY_MS = 500;

/** A wait longer than this is not worth holding an execution for: the error is reported instead. */
export const MAX_RETRY_WAIT_MS = 60_000;

export function isIdempotent(method: string): boolean {
	return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/**
 * Milliseconds asked by a Retry-After header (delta-seconds or an HTTP date), or undefined when
 * the header is absent or unreadable.
 */
export function parseRetryAfter(header: unknown, now = Date.now()): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/** Exponential backoff for attempt 0, 1, 2... with up to 20% jitter, capped. */
export function backoffDelay(attempt: number, random = Math.random): number {
	const delay = Math.min(BASE_DELAY_MS * 2 ** attempt, MAX_RETRY_WAIT_MS);
	return Math.round(delay * (1 + 0.2 * random()));
}

export interface RetryDecision {
	retry: boolean;
	delayMs: number;
	/** Why the request is not retried, in words for an error description. */
	reason?: string;
	/** The same in a few words for the error's message, where the user must know it. */
	summary?: string;
}

/**
 * Whether to retry after `attempt` failed tries (0-based) out of `maxRetries` allowed retries.
 * `status` is the HTTP status, or undefined for a connection failure with `networkCode`.
 */
export function decideRetry(input: {
	method: string;
	idempotent?: boolean;
	attempt: number;
	maxRetries: number;
	status?: number;
	networkCode?: string;
	retryAfter?: unknown;
	now?: number;
}): RetryDecision {
	const retryable =
		input.status !== undefined
			? RETRYABLE_STATUSES.has(input.status)
			: RETRYABLE_NETWORK_CODES.has(input.networkCode ?? '');
	if (!retryable) return { retry: false, delayMs: 0 };
	if (!(input.idempotent ?? isIdempotent(input.method))) {
		return {
			retry: false,
			delayMs: 0,
			reason:
				'This request creates or sends data, so it was not retried automatically: check whether it was applied before running it again.',
			summary: 'not retried, as it may have been applied',
		};
	}
	if (input.attempt >= input.maxRetries) {
		return {
			retry: false,
			delayMs: 0,
			reason: `Tried ${input.attempt === 0 ? 'once' : `${input.attempt + 1} times`} without success. Try again later, or raise 'Max Retries' in the node's Request Options.`,
		};
	}
	const asked = parseRetryAfter(input.retryAfter, input.now);
	if (asked !== undefined && asked > MAX_RETRY_WAIT_MS) {
		return {
			retry: false,
			delayMs: 0,
			reason: `The server asked to wait ${Math.ceil(asked / 1000)} seconds before trying again (Retry-After), longer than this node waits. Try again later.`,
		};
	}
	return { retry: true, delayMs: asked ?? backoffDelay(input.attempt) };
}
