/**
 * The request pipeline every vendor goes through, whatever carries the bytes:
 *
 *   build the request -> send it through a sender -> retry (one policy: retry.ts) -> map proxy
 *   refusals -> parse and sniff the answer -> map errors -> redact
 *
 * Two senders plug into `exchangeWithRetries`:
 * - n8n's `httpRequestWithAuthentication` (`sendRequest`, `apiRequest`: Maarch Courrier, Trust and
 *   Sign, FlowerDocs), which applies the credential and honours the proxy variables itself;
 * - the package's own Node HTTP client (http.ts) where n8n's helper cannot serve: FAST
 *   Parapheur's client certificate (its transport reads and sniffs FAST's answers itself) and the
 *   credential Tests run by the nodes (credentials/testConnection.ts).
 * Either way the retries, the wording of connection failures, the meaning of a proxy's refusal
 * and the redaction of secrets (the proxy's password included) are the ones below.
 */
import type {
	IAdditionalCredentialOptions,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	INodeProperties,
	IPollFunctions,
	NodeApiError,
} from 'n8n-workflow';

import type FormData from 'form-data';
import type { ErrorDetails } from './errors';
import { sleep } from './compat';
import { decryptedCredentials, readCredentials } from './credentials';

import { apiError, excerpt, withRetryNote } from './errors';
import type { Proxy } from './proxy';
import { PROXY_HINT, describeProxyRefusal, proxyFor } from './proxy';
import { MAX_RETRY_WAIT_MS, RETRYABLE_STATUSES, backoffDelay, decideRetry, parseRetryAfter } from './retry';

export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export interface RequestSettings {
	timeoutMs: number;
	maxRetries: number;
}

/** The Request Options' defaults: written once, read by the fields below and by the pipeline. */
const DEFAULT_MAX_RETRIES = 3;
const DEFAULT_TIMEOUT_SECONDS = 30;
/**
 * Items in flight at once. n8n spends a few milliseconds of its own on every item (its expression
 * sandbox, the execution's bookkeeping): with about sixteen requests in flight that work, not the
 * network, sets the pace, and a server sees at most sixteen requests of a node at once (n8n's
 * HTTP Request node sends every item at once). See the README and BENCHMARKS.md.
 */
export const DEFAULT_CONCURRENCY = 16;
export const MAX_CONCURRENCY = 32;

export const DEFAULT_REQUEST_SETTINGS: RequestSettings = { timeoutMs: DEFAULT_TIMEOUT_SECONDS * 1000, maxRetries: DEFAULT_MAX_RETRIES };

/** The "Request Options" collection every action node offers. */
export const requestOptionsProperty: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
			default: DEFAULT_CONCURRENCY,
			description:
				'How many items are sent to the server at the same time (the first one goes alone). The output keeps the order of the input; a server asking to slow down (HTTP 429, Retry-After) pauses them all. Set 1 to send them strictly one after the other.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: DEFAULT_MAX_RETRIES,
			description:
				'How many times a read, update or delete is tried again when the server is busy or unavailable (HTTP 429, 502, 503, 504) or the connection drops. Creations are never retried automatically.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_TIMEOUT_SECONDS,
			description: 'How long to wait for the server to answer each request before giving up',
		},
	],
};

/** The node's Request Options for an item, or the defaults where the node has none. */
export function getRequestSettings(ctx: RequestContext, itemIndex: number): RequestSettings {
	let options: IDataObject = {};
	try {
		const value = (ctx as IExecuteFunctions).getNodeParameter('requestOptions', itemIndex, {}) as unknown;
		// A trigger has no Request Options (its getNodeParameter takes a fallback, not an item index).
		options = isObject(value) ? (value as IDataObject) : {};
	} catch {
		options = {};
	}
	const timeout = Number(options.timeout);
	const maxRetries = Number(options.maxRetries);
	return {
		timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout * 1000 : DEFAULT_REQUEST_SETTINGS.timeoutMs,
		maxRetries:
			Number.isInteger(maxRetries) && maxRetries >= 0 ? Math.min(maxRetries, 10) : DEFAULT_REQUEST_SETTINGS.maxRetries,
	};
}

/**
 * The node's Concurrency for the execution (read from the first item): the default when it is
 * not set or not a number, 1 when the node's Request Options cannot be read at all.
 */
export function getConcurrency(ctx: IExecuteFunctions): number {
	let options: IDataObject | undefined;
	try {
		options = ctx.getNodeParameter('requestOptions', 0, {}) as IDataObject;
	} catch {
		return 1;
	}
	const wanted = options?.concurrency === undefined || options.concurrency === '' ? DEFAULT_CONCURRENCY : Math.floor(Number(options.concurrency));
	return Number.isFinite(wanted) && wanted >= 1 ? Math.min(wanted, MAX_CONCURRENCY) : DEFAULT_CONCURRENCY;
}

export interface HttpFailure {
	status: number;
	/** The vendor's own error text, or an excerpt of the body when it has none. */
	vendorMessage: string;
	vendorCode?: string;
	body: unknown;
}

export interface Vendor {
	/** Product name used in messages, e.g. "Maarch Courrier". */
	name: string;
	credentialType: string;
	/** Reads the vendor's error text and code from an error body. */
	readError(body: unknown): { message?: string; code?: string };
	/** What to check when the server cannot be reached, in this vendor's words. */
	hints?: ConnectionHints;
	/**
	 * The HTTP Basic login and password of the credential, for vendors whose credential is only
	 * that: `sendRequest` applies them itself from the credential read once per execution
	 * (shared/credentials). n8n's helper would evaluate the credential's `authenticate`
	 * expressions again for every request (n8n 2.x runs each in its expression sandbox: about
	 * half a millisecond per field, measured, so a second of n8n's time for 1,000 requests).
	 */
	basicAuth?: (credentials: Record<string, unknown>) => { username: string; password: string };
}

/** What to tell the user to check, per kind of connection failure (defaults: the node's words). */
export interface ConnectionHints {
	/** The server refused the connection, or its name does not resolve. */
	url?: string;
	/** The server's certificate is not trusted. */
	tls?: string;
	/** The server did not answer in time. */
	timeout?: string;
}

export interface ApiRequest {
	method: IHttpRequestMethods;
	url: string;
	qs?: IDataObject;
	body?: IDataObject | IDataObject[] | string;
	/**
	 * A multipart body (the `form-data` package) of in-memory parts, sent instead of `body`. It is
	 * serialised once to a buffer with its own Content-Type (boundary), so a retry sends the same
	 * bytes again and n8n's own `instanceof FormData` check (against its copy of the package) does
	 * not matter.
	 */
	multipart?: FormData;
	headers?: IDataObject;
	/** Defaults to true for GET, HEAD, PUT, DELETE: only those are retried. */
	idempotent?: boolean;
	itemIndex?: number;
	settings?: RequestSettings;
	skipSslCertificateValidation?: boolean;
	/** Values to hide from anything that reaches an error. */
	secrets?: readonly string[];
	/**
	 * Accepts an error response as an answer for this call (e.g. "not linked" when asking for a
	 * link status): return `{ value }` to have `apiRequest` return `value` instead of throwing.
	 */
	recover?: (failure: HttpFailure) => { value: unknown } | undefined;
	/** Turns an error response into a message for this call; undefined falls back to the generic one. */
	describeError?: (failure: HttpFailure) => ErrorDetails | undefined;
	/** Words for a request that got no answer, before the generic ones (see Exchange). */
	describeConnectionFailure?: Exchange['describeConnectionFailure'];
	/**
	 * Passed to `httpRequestWithAuthentication` (e.g. `credentialsDecrypted` with an emptied
	 * expirable field, which makes n8n log in again: see the FlowerDocs transport).
	 */
	credentialOptions?: IAdditionalCredentialOptions;
	/**
	 * What a 2xx answer must hold: `json` a JSON body (an empty one is an error), `empty` nothing
	 * read (empty, or JSON that is ignored; any other text, such as an HTML page, is an error),
	 * `any` whatever comes. Defaults: `json` for GET, `empty` for the other methods.
	 */
	expect?: 'json' | 'empty' | 'any';
	/** The JSON shape the API documents for this call; anything else is an error naming `what`. */
	shape?: Shape;
}

/** A documented answer shape: `test` tells whether a parsed answer has it, `what` names it. */
export interface Shape {
	what: string;
	test(value: unknown): boolean;
}

/** Shapes most calls document. */
export const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An answer whose JSON is not what the API documents: the clear error every reader of answers
 * throws (never a success with made-up data). `text` is the body as received, quoted in part.
 */
export function unexpectedAnswerError(
	node: INode,
	vendor: string,
	details: { what: string; status?: number; text: string; itemIndex?: number; secrets?: readonly string[] },
): NodeApiError {
	const status = details.status !== undefined ? ` (HTTP ${details.status})` : '';
	const quoted = excerpt(details.text, 120, details.secrets) || '(empty)';
	return apiError(
		node,
		{
			message: `${vendor} sent an answer that is not what its API documents${status}: expected ${details.what}`,
			description: `The answer began with: ${quoted}. A proxy, an error page or another version of the API may be answering: check the URL in the credential.`,
		},
		{ httpCode: details.status, itemIndex: details.itemIndex, secrets: details.secrets },
	);
}

/**
 * Checks a parsed answer against the shape its API documents and returns it typed; anything else
 * is the error of `unexpectedAnswerError`. For answers read outside `apiRequest`'s `shape`.
 */
export function requireShape<T>(
	node: INode,
	vendor: string,
	value: unknown,
	predicate: (value: unknown) => value is T,
	what: string,
	context: { itemIndex?: number; secrets?: readonly string[] } = {},
): T {
	if (predicate(value)) return value;
	const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
	throw unexpectedAnswerError(node, vendor, { what, text, ...context });
}

/**
 * Credentials refused (HTTP 401, or a refused login): the dispatcher fails the execution's
 * remaining items with this error without sending anything more, so a wrong password costs one
 * rejected login per execution, not one per item (Maarch Courrier locks accounts).
 */
const REJECTED_LOGIN = Symbol.for('n8n-nodes-parapheur.rejectedLogin');

export function markRejectedLogin<T extends object>(error: T): T {
	Object.defineProperty(error, REJECTED_LOGIN, { value: true, enumerable: false });
	return error;
}

export function isRejectedLogin(error: unknown): boolean {
	return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[REJECTED_LOGIN] === true;
}

/** An answer as a sender hands it to the pipeline. */
export interface RawResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	/** The body: text or parsed JSON (n8n's helper), or a stream still unread (http.ts). */
	body: unknown;
	/** Drops an unread body, so that its connection can serve the next try. */
	discard?: () => void;
	/** The answer is the proxy's own (it refused a CONNECT), not the server's. */
	fromProxy?: boolean;
}

export interface ApiResponse extends RawResponse {
	/** Why a failed answer was not retried (not idempotent, retries used up), for the error. */
	retryNote?: { reason?: string; summary?: string };
}

/** One logical request, as the pipeline sees it: what it may retry, and how to word a failure. */
export interface Exchange {
	/** The product, for messages. */
	vendor: string;
	method: string;
	/** The URL the request goes to (its host and port pick the proxy). */
	url: string;
	/** Defaults to true for GET, HEAD, PUT, DELETE: only those are retried. */
	idempotent?: boolean;
	settings: RequestSettings;
	signal?: AbortSignal;
	itemIndex?: number;
	/** Values to hide from anything that reaches an error (the proxy's are added). */
	secrets?: readonly string[];
	/** The address named in connection failures (the credential Tests say what they tried). */
	address?: string;
	hints?: ConnectionHints;
	/**
	 * A vendor's own meaning for a request that got no answer (FAST: TLS refusals; FlowerDocs: a
	 * login refused inside n8n's helper), tried before the generic words. `code` is the
	 * connection error's code, when there is one.
	 */
	describeConnectionFailure?: (error: unknown, code: string | undefined) => ConnectionFailureDetails | undefined;
}

/**
 * A vendor's words for a request that got no answer; `rejectedLogin` when it is a refused login.
 * `refused` when the server refused the connection itself (a client certificate, typically):
 * trying again cannot help, so the error never suggests it. `true`: not retried either;
 * `'ifRepeated'`: a refusal that a dropped connection also gives (a new TLS 1.3 connection closed
 * before any answer), tried once more to tell the two apart and not again after the same failure.
 */
export type ConnectionFailureDetails = ErrorDetails & { rejectedLogin?: boolean; refused?: boolean | 'ifRepeated' };

/**
 * Texts that identify a connection failure. n8n wraps the HTTP library's error in a NodeApiError
 * that drops its `code` and may replace its message with a generic sentence (n8n-workflow's
 * COMMON_ERRORS), so the code is read from the cause when there is one, else from the texts.
 */
const NETWORK_TEXTS: Array<[RegExp, string]> = [
	[/\b(ECONNRESET|EPIPE|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNABORTED|EHOSTUNREACH)\b/, '$1'],
	[/socket hang up|closed unexpectedly/i, 'ECONNRESET'],
	[/timeout of \d+ms exceeded|connection was aborted|timed out/i, 'ECONNABORTED'],
	[/refused the connection/i, 'ECONNREFUSED'],
	[/incorrect host|DNS server returned an error/i, 'ENOTFOUND'],
	[/certificate|self[- ]signed|CERT_/i, 'CERT_UNTRUSTED'],
];

function networkCode(error: unknown): string | undefined {
	let current = error as { code?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && depth < 4; depth++) {
		if (typeof current.code === 'string' && /^[A-Z_]+$/.test(current.code)) return current.code;
		current = current.cause as typeof current;
	}
	const texts = [
		(error as Error)?.message,
		...(((error as { messages?: unknown[] })?.messages ?? []) as unknown[]),
	].map((text) => String(text ?? ''));
	for (const [pattern, code] of NETWORK_TEXTS) {
		for (const text of texts) {
			const match = pattern.exec(text);
			if (match) return code === '$1' ? match[1] : code;
		}
	}
	return undefined;
}

/** The original error text (n8n keeps it in `messages` when it rewrites the message). */
export function errorText(error: unknown): string {
	const cause = (error as { cause?: { message?: string } }).cause;
	const messages = (error as { messages?: unknown[] }).messages;
	return String(cause?.message ?? messages?.[0] ?? (error as Error).message ?? '');
}

function parseBody(text: string, contentType: string): { value: unknown; malformed: boolean } {
	const trimmed = text.trim();
	if (trimmed === '') return { value: undefined, malformed: false };
	const looksJson = /json/i.test(contentType) || /^[[{]/.test(trimmed);
	if (!looksJson) return { value: text, malformed: false };
	try {
		return { value: JSON.parse(trimmed), malformed: false };
	} catch {
		return { value: text, malformed: true };
	}
}

function header(headers: ApiResponse['headers'], name: string): string {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

/** "1 second", "30 seconds": how long a request waited. */
function seconds(ms: number): string {
	const count = Math.max(1, Math.round(ms / 1000));
	return `${count} second${count === 1 ? '' : 's'}`;
}

/**
 * What a connection failure means, in words: the one wording for every vendor and every sender
 * (nodes and credential Tests alike). `address` names what was tried (the Tests), `proxy` the
 * proxy the request went through.
 */
export function describeConnectionFailure(
	vendor: string,
	error: unknown,
	context: {
		code?: string;
		timeoutMs: number;
		address?: string;
		proxy?: Proxy;
		hints?: ConnectionHints;
		secrets?: readonly string[];
	},
): ErrorDetails {
	const { code, address, proxy, hints = {} } = context;
	const at = address ? ` at ${address}` : '';
	const via = proxy ? ` through the proxy ${proxy.shown}` : '';
	const checkProxy = (description: string) => (proxy ? `${description} ${PROXY_HINT}` : description);
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') {
		return {
			message: `${vendor} did not answer${at}${via} within ${seconds(context.timeoutMs)}`,
			description: checkProxy(
				hints.timeout ?? "Raise 'Timeout (Seconds)' in the node's Request Options, or check that the server is reachable from n8n.",
			),
		};
	}
	// Through a proxy, these are about the proxy: the server's own name and port are its business.
	if (proxy && (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')) {
		return {
			message:
				code === 'ECONNREFUSED'
					? `Could not connect to the proxy ${proxy.shown} to reach ${vendor}${at}: the connection was refused`
					: `Could not find the proxy ${proxy.shown} to reach ${vendor}${at}: its host name does not resolve`,
			description: checkProxy('The proxy named in the proxy variables is not reachable from n8n.'),
		};
	}
	if (code === 'ECONNREFUSED') {
		return {
			message: `Could not connect to ${vendor}${at}: the connection was refused`,
			description: hints.url ?? 'Check the URL in the credential (host and port) and that the server is running.',
		};
	}
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		return {
			message: `Could not find the ${vendor} server${at}: its host name does not resolve`,
			description: hints.url ?? 'Check the host name in the credential URL.',
		};
	}
	if (code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME/.test(code)) {
		return {
			message: `The TLS certificate of the ${vendor} server${at} is not trusted`,
			description:
				hints.tls ??
				"The server's certificate could not be verified. Install its CA on the n8n host, or, only if you trust this server, turn on 'Ignore SSL Issues' in the credential.",
		};
	}
	if (code === 'ECONNRESET' || code === 'EPIPE') {
		return {
			message: `The connection to ${vendor}${at}${via} was closed before it answered`,
			description: proxy ? PROXY_HINT : undefined,
		};
	}
	return {
		message: `The request to ${vendor}${at}${via} failed: ${excerpt(errorText(error), 200, context.secrets) || 'no answer'}`,
		description: proxy ? PROXY_HINT : undefined,
	};
}

/** The generic meaning of an HTTP error status, used when the vendor mapping has nothing better. */
export function describeHttpFailure(vendor: Vendor, failure: HttpFailure): ErrorDetails {
	const detail = failure.vendorMessage ? `: ${failure.vendorMessage}` : '';
	const code = failure.vendorCode;
	switch (failure.status) {
		case 401:
			return {
				message: `${vendor.name} rejected the credentials (HTTP 401)${detail}`,
				description: 'Check the login and password (or certificate) in the credential.',
				code,
			};
		case 403:
			return {
				message: `${vendor.name} refused this action for the credential's account (HTTP 403)${detail}`,
				description: 'Give the account the rights this operation needs, or use another account.',
				code,
			};
		case 404:
			return {
				message: `${vendor.name} has no such resource (HTTP 404)${detail}`,
				description: 'Check the IDs given to the node and the URL in the credential.',
				code,
			};
		case 429:
			return { message: `${vendor.name} is limiting the request rate (HTTP 429)${detail}`, code };
		case 502:
		case 503:
		case 504:
			return {
				message: `${vendor.name} is temporarily unavailable (HTTP ${failure.status})${detail}`,
				description: 'The server may be restarting or being upgraded. Try again later.',
				code,
			};
		default:
			return {
				message:
					failure.status >= 500
						? `${vendor.name} failed with an internal error (HTTP ${failure.status})${detail}`
						: `${vendor.name} rejected the request (HTTP ${failure.status})${detail}`,
				code,
			};
	}
}

/**
 * The one retry loop. `send` makes one try through its sender; idempotent requests are tried
 * again on 429/502/503/504 and connection resets (retry.ts), waiting through the abortable sleep.
 * Returns the final answer whatever its status, except a proxy's refusal (407, or a 502 and any
 * refused CONNECT through a proxy), which becomes an error naming the proxy. Throws when no
 * answer could be obtained, in the words of `describeConnectionFailure`.
 */
export async function exchangeWithRetries(node: INode, exchange: Exchange, send: () => Promise<RawResponse>): Promise<ApiResponse> {
	const { settings, signal, itemIndex } = exchange;
	const pause = serverPause(signal, exchange.url);
	const proxy = proxyFor(exchange.url);
	const secrets = [...(exchange.secrets ?? []), ...(proxy?.secrets ?? [])];
	const retry = { method: exchange.method, idempotent: exchange.idempotent, maxRetries: settings.maxRetries };
	const cancelled = () => apiError(node, { message: 'The execution was cancelled' }, { itemIndex });
	const wait = async (ms: number) => {
		try {
			await sleep(ms, signal);
		} catch {
			throw cancelled();
		}
	};
	// The previous try failed in a way the vendor reads as a refusal when it happens again.
	let refusedBefore = false;
	for (let attempt = 0; ; attempt++) {
		// A cancelled execution sends nothing more, whatever the item loop does with the error.
		if (signal?.aborted) throw cancelled();
		// A pause the server asked of another request of this execution holds this one too.
		for (let turn = 0; pause && turn < 10 && pause.until > Date.now(); turn++) await wait(pause.until - Date.now());
		let response: RawResponse;
		try {
			response = await send();
		} catch (error) {
			if (signal?.aborted || (error as { code?: unknown }).code === 'ABORTED') throw cancelled();
			const code = networkCode(error);
			const vendorDetails = exchange.describeConnectionFailure?.(error, code);
			// A connection closed during the TLS handshake is a refusal (of a client certificate,
			// typically), not a transient drop; so is what the vendor reads as one, at once or
			// when it happens again (see ConnectionFailureDetails): not retried.
			const refusal = vendorDetails?.refused;
			const refused =
				(error as { duringHandshake?: boolean }).duringHandshake === true ||
				refusal === true ||
				(refusal === 'ifRepeated' && refusedBefore);
			refusedBefore = refusal === 'ifRepeated';
			const decision = decideRetry({ ...retry, attempt, networkCode: refused ? undefined : code });
			if (decision.retry) {
				await wait(decision.delayMs);
				continue;
			}
			const details =
				vendorDetails ??
				describeConnectionFailure(exchange.vendor, error, {
					code,
					timeoutMs: settings.timeoutMs,
					address: exchange.address,
					proxy,
					hints: exchange.hints,
					secrets,
				});
			// Trying again cannot help a refusal: its error says what to change, never to try again
			// later or raise 'Max Retries'. Only a request that may have been applied (a summary:
			// an upload whose connection may just have dropped) still says so.
			const note = refusal && !decision.summary ? undefined : decision;
			const failed = apiError(node, withRetryNote(details, note), { itemIndex, secrets });
			throw (details as ConnectionFailureDetails).rejectedLogin ? markRejectedLogin(failed) : failed;
		}
		const status = response.statusCode;
		const retryAfter = header(response.headers, 'retry-after') || undefined;
		const decision = decideRetry({ ...retry, attempt, status, retryAfter });
		// Slowed down (429) or told when to come back: the whole execution waits, not only this request.
		// (A wait longer than the node's limit fails every request anyway: each one says so itself.)
		if (pause && (status === 429 || (retryAfter !== undefined && RETRYABLE_STATUSES.has(status)))) {
			const asked = parseRetryAfter(retryAfter) ?? (decision.retry ? decision.delayMs : backoffDelay(attempt));
			if (asked <= MAX_RETRY_WAIT_MS) pause.until = Math.max(pause.until, Date.now() + asked);
		}
		if (decision.retry) {
			response.discard?.();
			await wait(decision.delayMs);
			continue;
		}
		// The Node sender knows whether the proxy answered; n8n's helper does not, and a proxy's
		// refusal of a CONNECT reaches it as an answer: 407 and 502 are then read as the proxy's.
		if (proxy && (response.fromProxy ?? (status === 407 || status === 502))) {
			response.discard?.();
			const details = withRetryNote(describeProxyRefusal(exchange.vendor, proxy, status), decision);
			throw apiError(node, details, { itemIndex, httpCode: status, secrets });
		}
		return { ...response, retryNote: decision };
	}
}

/**
 * Pauses asked by servers, per execution (its cancel signal) and per server (origin): when one
 * request is answered 429, or 503 with Retry-After, the execution's other requests to that server
 * wait as long before they are sent, so concurrent items slow down together.
 */
const pauses = new WeakMap<AbortSignal, Map<string, { until: number }>>();

function serverPause(signal: AbortSignal | undefined, url: string): { until: number } | undefined {
	if (!signal || !URL.canParse(url)) return undefined;
	let byServer = pauses.get(signal);
	if (!byServer) {
		byServer = new Map();
		pauses.set(signal, byServer);
	}
	const origin = new URL(url).origin;
	let pause = byServer.get(origin);
	if (!pause) {
		pause = { until: 0 };
		byServer.set(origin, pause);
	}
	return pause;
}

/**
 * Sends a request through n8n's `httpRequestWithAuthentication` (which applies the credential
 * and the proxy variables), with the pipeline's retries. Returns the final response whatever its
 * status; throws only when no response could be obtained, or when a proxy refused it.
 */
export async function sendRequest(ctx: RequestContext, vendor: Vendor, request: ApiRequest): Promise<ApiResponse> {
	const settings = request.settings ?? DEFAULT_REQUEST_SETTINGS;
	const signal = 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
	const multipart = request.multipart
		? { body: request.multipart.getBuffer(), headers: request.multipart.getHeaders() as IDataObject }
		: undefined;
	const exchange: Exchange = {
		vendor: vendor.name,
		method: request.method,
		url: request.url,
		idempotent: request.idempotent,
		settings,
		signal,
		itemIndex: request.itemIndex,
		secrets: request.secrets,
		hints: vendor.hints,
		describeConnectionFailure: request.describeConnectionFailure,
	};
	return await exchangeWithRetries(ctx.getNode(), exchange, async () => {
		// A fresh object per try: n8n writes the authentication into it.
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			qs: request.qs,
			body: multipart ? multipart.body : request.body,
			headers: {
				Accept: 'application/json',
				...(request.headers ?? {}),
				...(multipart ? { ...multipart.headers, 'content-length': String(multipart.body.length) } : {}),
			},
			json: multipart ? false : typeof request.body === 'object',
			encoding: 'text',
			timeout: settings.timeoutMs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			skipSslCertificateValidation: request.skipSslCertificateValidation,
		};
		const helpers = (ctx as IExecuteFunctions).helpers;
		const credentials = await readCredentials<Record<string, unknown>>(ctx, vendor.credentialType);
		let raw: { statusCode: number; headers?: RawResponse['headers']; body: unknown };
		if (vendor.basicAuth && !request.credentialOptions) {
			// What n8n's helper does for this credential (its `authenticate` is this Basic login), without
			// evaluating it again: the same proxy handling and cancel signal.
			raw = (await helpers.httpRequest({ ...options, auth: vendor.basicAuth(credentials), abortSignal: signal })) as typeof raw;
		} else {
			raw = (await helpers.httpRequestWithAuthentication.call(
				ctx as IExecuteFunctions,
				vendor.credentialType,
				options,
				request.credentialOptions ?? { credentialsDecrypted: decryptedCredentials(ctx, vendor.credentialType, credentials) },
			)) as typeof raw;
		}
		return { statusCode: raw.statusCode, headers: raw.headers ?? {}, body: raw.body };
	});
}

/**
 * Sends a request and returns the parsed body of a 2xx answer. Any other answer becomes a
 * NodeApiError: the call's `describeError`, else the generic meaning of the status.
 */
export async function apiRequest(ctx: RequestContext, vendor: Vendor, request: ApiRequest): Promise<unknown> {
	const response = await sendRequest(ctx, vendor, request);
	const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? '');
	const parsed = parseBody(text, header(response.headers, 'content-type'));
	const context = { httpCode: response.statusCode, itemIndex: request.itemIndex, secrets: request.secrets };

	if (response.statusCode >= 200 && response.statusCode < 300) {
		return checkAnswer(ctx.getNode(), vendor, request, response, text, parsed);
	}

	const vendorError = parsed.malformed ? {} : vendor.readError(parsed.value);
	const failure: HttpFailure = {
		status: response.statusCode,
		vendorMessage: vendorError.message ?? (typeof parsed.value === 'string' ? excerpt(parsed.value, 200, request.secrets) : ''),
		vendorCode: vendorError.code,
		body: parsed.value,
	};
	const recovered = request.recover?.(failure);
	if (recovered) return recovered.value;
	const described = request.describeError?.(failure) ?? describeHttpFailure(vendor, failure);
	const details = withRetryNote({ ...described, code: described.code ?? failure.vendorCode }, response.retryNote);
	// n8n's helper hands over a proxy's refusal of a tunnel (a blocked host: 403) as the server's
	// answer; it cannot be told apart, so the description says it may be the proxy's.
	const proxy = proxyFor(request.url);
	if (proxy && response.fromProxy === undefined && response.statusCode === 403) {
		details.description = [details.description, `The request to ${vendor.name} went through the proxy ${proxy.shown}: the refusal may be the proxy's (a host it does not let through). ${PROXY_HINT}`]
			.filter(Boolean)
			.join(' ');
	}
	const error = apiError(ctx.getNode(), details, context);
	// A 401 is the credentials refused, whatever the call: nothing more is sent this execution.
	throw response.statusCode === 401 ? markRejectedLogin(error) : error;
}

/**
 * A 2xx answer checked against what the call expects (`expect`, `shape`): a body that is not
 * JSON where JSON is documented (an HTML page from a proxy or a login portal, a truncated body),
 * an empty one, or JSON of another shape is an error quoting the status and the body's start,
 * never a success.
 */
function checkAnswer(
	node: INode,
	vendor: Vendor,
	request: ApiRequest,
	response: ApiResponse,
	text: string,
	parsed: { value: unknown; malformed: boolean },
): unknown {
	const status = response.statusCode;
	const expect = request.expect ?? (request.method === 'GET' || request.shape ? 'json' : 'empty');
	if (expect === 'any') return parsed.value;
	const context = { httpCode: status, itemIndex: request.itemIndex, secrets: request.secrets };
	const began = `The response began with: ${excerpt(text, 120, request.secrets) || '(empty)'}.`;
	const check = 'A proxy, a login page or an error page may be answering instead of the API: check the URL in the credential.';
	const contentType = header(response.headers, 'content-type');
	const trimmed = text.trim();
	if (parsed.malformed) {
		throw apiError(node, { message: `${vendor.name} sent a response that is not valid JSON (HTTP ${status})`, description: `${began} ${check}` }, context);
	}
	// A JSON body labelled text/html (PHP's default content type) is still JSON; an HTML page is not.
	const htmlType = /html/i.test(contentType) && !/^[[{]/.test(trimmed);
	let value = parsed.value;
	let isJson = false;
	if (trimmed !== '' && !htmlType) {
		if (typeof value !== 'string') isJson = true;
		else {
			// A bare JSON value the parser left as text (a number, a quoted string).
			try {
				value = JSON.parse(trimmed);
				isJson = true;
			} catch {
				isJson = false;
			}
		}
	}
	if (trimmed === '' && expect === 'empty') return undefined;
	if (trimmed === '') {
		throw apiError(
			node,
			{ message: `${vendor.name} sent an empty response where its API documents JSON (HTTP ${status})`, description: check },
			context,
		);
	}
	if (!isJson) {
		const html = htmlType || /^<(?:!doctype|html|head|body)\b/i.test(trimmed);
		throw apiError(
			node,
			{
				message: html
					? `${vendor.name} answered with an HTML page instead of JSON (HTTP ${status})`
					: `${vendor.name} sent a response that is not JSON (HTTP ${status})`,
				description: `${began} ${check}`,
			},
			context,
		);
	}
	if (request.shape && !request.shape.test(value)) {
		throw unexpectedAnswerError(node, vendor.name, { what: request.shape.what, status, text, itemIndex: request.itemIndex, secrets: request.secrets });
	}
	return expect === 'empty' ? parsed.value : value;
}
