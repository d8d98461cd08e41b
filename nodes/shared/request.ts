/**
 * The request pipeline every vendor transport goes through: authenticated request through n8n's
 * `httpRequestWithAuthentication`, a timeout, retries of idempotent requests with backoff that
 * honours Retry-After, JSON parsing that reports malformed bodies, and error mapping to
 * NodeApiError with secrets redacted.
 */
import type {
	IAdditionalCredentialOptions,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INodeProperties,
	IPollFunctions,
} from 'n8n-workflow';

import type FormData from 'form-data';
import type { ErrorDetails } from './errors';
import { sleep } from './compat';

import { apiError, excerpt, withRetryNote } from './errors';
import { decideRetry } from './retry';

export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export interface RequestSettings {
	timeoutMs: number;
	maxRetries: number;
}

export const DEFAULT_REQUEST_SETTINGS: RequestSettings = { timeoutMs: 30_000, maxRetries: 3 };

/** The "Request Options" collection every action node offers. */
export const requestOptionsProperty: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 3,
			description:
				'How many times a read, update or delete is tried again when the server is busy or unavailable (HTTP 429, 502, 503, 504) or the connection drops. Creations are never retried automatically.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 30,
			description: 'How long to wait for the server to answer each request before giving up',
		},
	],
};

/** The node's Request Options for an item, or the defaults where the node has none. */
export function getRequestSettings(ctx: RequestContext, itemIndex: number): RequestSettings {
	let options: IDataObject = {};
	try {
		options = (ctx as IExecuteFunctions).getNodeParameter('requestOptions', itemIndex, {}) as IDataObject;
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
	/**
	 * Passed to `httpRequestWithAuthentication` (e.g. `credentialsDecrypted` with an emptied
	 * expirable field, which makes n8n log in again: see the FlowerDocs transport).
	 */
	credentialOptions?: IAdditionalCredentialOptions;
}

export interface ApiResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	/** Why a failed answer was not retried (not idempotent, retries used up), for the error. */
	retryNote?: { reason?: string; summary?: string };
}

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
function causeMessage(error: unknown): string {
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

/** "<vendor> did not answer within 1 second" / "... within 30 seconds". */
export function timeoutMessage(vendorName: string, timeoutMs: number): string {
	const seconds = Math.round(timeoutMs / 1000);
	return `${vendorName} did not answer within ${seconds} second${seconds === 1 ? '' : 's'}`;
}

/** What a connection failure means, in words. */
function describeNetworkFailure(
	vendor: Vendor,
	code: string | undefined,
	error: unknown,
	timeoutMs: number,
	secrets: readonly string[] = [],
): ErrorDetails {
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
		return {
			message: timeoutMessage(vendor.name, timeoutMs),
			description:
				"Raise 'Timeout (Seconds)' in the node's Request Options, or check that the server is reachable from n8n.",
		};
	}
	if (code === 'ECONNREFUSED') {
		return {
			message: `Could not connect to ${vendor.name}: the connection was refused`,
			description: 'Check the URL in the credential (host and port) and that the server is running.',
		};
	}
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		return {
			message: `Could not find the ${vendor.name} server: its host name does not resolve`,
			description: 'Check the host name in the credential URL.',
		};
	}
	if (code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
		return {
			message: `The TLS certificate of the ${vendor.name} server is not trusted`,
			description:
				"The server's certificate could not be verified. Install its CA on the n8n host, or, only if you trust this server, turn on 'Ignore SSL Issues' in the credential.",
		};
	}
	if (code === 'ECONNRESET' || code === 'EPIPE') {
		return {
			message: `The connection to ${vendor.name} was closed before it answered`,
		};
	}
	return {
		message: `The request to ${vendor.name} failed: ${excerpt(causeMessage(error), 200, secrets) || 'no answer'}`,
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
 * Sends a request, retrying idempotent ones on 429/502/503/504 and connection resets. Returns
 * the final response whatever its status; throws only when no response could be obtained.
 */
export async function sendRequest(ctx: RequestContext, vendor: Vendor, request: ApiRequest): Promise<ApiResponse> {
	const settings = request.settings ?? DEFAULT_REQUEST_SETTINGS;
	const node = ctx.getNode();
	const signal = 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
	const multipart = request.multipart
		? { body: request.multipart.getBuffer(), headers: request.multipart.getHeaders() as IDataObject }
		: undefined;
	for (let attempt = 0; ; attempt++) {
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
		let raw: { statusCode: number; headers: ApiResponse['headers']; body: unknown };
		try {
			raw = await (ctx as IExecuteFunctions).helpers.httpRequestWithAuthentication.call(
				ctx as IExecuteFunctions,
				vendor.credentialType,
				options,
				request.credentialOptions,
			);
		} catch (error) {
			if (signal?.aborted) {
				throw apiError(node, { message: 'The execution was cancelled' }, { itemIndex: request.itemIndex });
			}
			const code = networkCode(error);
			const decision = decideRetry({
				method: request.method,
				idempotent: request.idempotent,
				attempt,
				maxRetries: settings.maxRetries,
				networkCode: code,
			});
			if (decision.retry) {
				await sleep(decision.delayMs, signal);
				continue;
			}
			const details = withRetryNote(describeNetworkFailure(vendor, code, error, settings.timeoutMs, request.secrets), decision);
			throw apiError(node, details, { itemIndex: request.itemIndex, secrets: request.secrets });
		}

		const response: ApiResponse = {
			statusCode: raw.statusCode,
			headers: raw.headers ?? {},
			body: raw.body,
		};
		const decision = decideRetry({
			method: request.method,
			idempotent: request.idempotent,
			attempt,
			maxRetries: settings.maxRetries,
			status: response.statusCode,
			retryAfter: header(response.headers, 'retry-after') || undefined,
		});
		if (decision.retry) {
			await sleep(decision.delayMs, signal);
			continue;
		}
		response.retryNote = decision;
		return response;
	}
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
		if (parsed.malformed) {
			throw apiError(
				ctx.getNode(),
				{
					message: `${vendor.name} sent a response that is not valid JSON (HTTP ${response.statusCode})`,
					description: `The response began with: ${excerpt(text, 120, request.secrets)}. A proxy or an error page may be answering instead of the API: check the URL in the credential.`,
				},
				context,
			);
		}
		return parsed.value;
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
	throw apiError(ctx.getNode(), details, context);
}
