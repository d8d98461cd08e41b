/**
 * The HTTP side of the credential Tests that the nodes run (`testedBy` + `methods.credentialTest`)
 * for Maarch Courrier, Trust and Sign and FlowerDocs: one request through the shared pipeline
 * (nodes/shared/request.ts, with the package's own Node sender, nodes/shared/http.ts), its answer
 * whatever its status, and a failure in the pipeline's words, as the Test's message.
 *
 * Why the Tests are not declarative (`test` with `rules`): n8n 1.x loses the HTTP status of a
 * failed test request. Its tester reads the status from `error.cause.response`, but n8n-workflow
 * 1.x's ExecutionBaseError redeclares `cause` as a class field and only copies a cause that is not
 * an Error, so the axios error the request failed with is dropped: the tester never matches a rule
 * and shows NodeApiError's generic text ("Authorization failed - please check your credentials").
 * n8n 2.x keeps the cause. A node-level Test returns its own message on both lines, but its context
 * offers only the deprecated `request` helper, so the request goes through the package's own
 * sender, which honours the proxy variables as n8n does (nodes/shared/proxy.ts).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';

import type { INode, INodeCredentialTestResult } from 'n8n-workflow';

import { excerpt } from '../nodes/shared/errors';
import { NodeHttpClient, readBounded } from '../nodes/shared/http';
import { redact, shownUrl } from '../nodes/shared/redaction';
import { exchangeWithRetries } from '../nodes/shared/request';

/** How long a Test waits for each answer. */
export const TEST_TIMEOUT_MS = 20_000;

/** Answers larger than this are cut: a Test only reads small JSON answers. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface TestRequest {
	method: 'GET' | 'POST';
	url: string;
	headers?: Record<string, string>;
	/** JSON text. */
	body?: string;
	/** Verify the server's certificate (default true). */
	rejectUnauthorized?: boolean;
	timeoutMs?: number;
}

export interface TestResponse {
	status: number;
	headers: IncomingHttpHeaders;
	text: string;
}

export interface FailureWording {
	/** The vendor, e.g. "Maarch Courrier". */
	product: string;
	/** Which credential field to check for an unreachable address. */
	urlHint: string;
	/** What to do about a server certificate that is not trusted. */
	tlsHint: string;
}

/** The node a Test's errors are built for (a Test runs outside any workflow). */
function testNode(product: string): INode {
	return { id: 'credential-test', name: product, type: 'credentialTest', typeVersion: 1, position: [0, 0], parameters: {} };
}

/**
 * Sends one request (no redirects followed, not retried: a wrong password is sent once) and
 * returns its answer whatever its status, or the Test's message when there is no answer or a
 * proxy refused it. Never puts the request's headers or body in a message.
 */
export async function sendOrDescribe(request: TestRequest, wording: FailureWording): Promise<TestResponse | string> {
	const url = new URL(request.url);
	const timeoutMs = request.timeoutMs ?? TEST_TIMEOUT_MS;
	const client = new NodeHttpClient({ tls: { rejectUnauthorized: request.rejectUnauthorized !== false }, keepAlive: false });
	const headers: Record<string, string> = { accept: 'application/json', connection: 'close', ...(request.headers ?? {}) };
	if (request.body !== undefined) headers['content-type'] ??= 'application/json';
	const exchange = {
		vendor: wording.product,
		method: request.method,
		url: url.href,
		settings: { timeoutMs, maxRetries: 0 },
		address: shownUrl(request.url),
		hints: { url: wording.urlHint, tls: wording.tlsHint, timeout: wording.urlHint },
	};
	try {
		const response = await exchangeWithRetries(testNode(wording.product), exchange, async () =>
			await client.exchange({ method: request.method, url, headers, body: request.body, timeoutMs }),
		);
		const { buffer } = await readBounded(response.body as Readable, MAX_BODY_BYTES);
		return { status: response.statusCode, headers: response.headers as IncomingHttpHeaders, text: buffer.toString('utf8') };
	} catch (error) {
		return errorText(error);
	} finally {
		client.close();
	}
}

/** The answer's JSON, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/**
 * A message and its description as one text: what went wrong, then what to change. A message that
 * already ends a sentence (one that carries its hint) is not given a second stop.
 */
export function joinMessage(message: string, description?: string | null): string {
	if (!description) return message;
	return /[.!?…]$/.test(message) ? `${message} ${description}` : `${message}. ${description}`;
}

/** An error as a Test's message: what went wrong, then what to change. */
function errorText(error: unknown): string {
	const described = error as Error & { description?: string | null };
	return joinMessage(described.message, described.description);
}

/** `login:password` as an HTTP Basic Authorization header. */
export function basicAuthorization(login: unknown, password: unknown): string {
	return `Basic ${Buffer.from(`${String(login ?? '')}:${String(password ?? '')}`, 'utf8').toString('base64')}`;
}

export { shownUrl } from '../nodes/shared/redaction';

/**
 * The message for an answer a Test has no specific words for: a redirect, another status. The
 * vendor's text is cut short only after `secrets` are removed from it (a cut secret would escape
 * the redaction).
 */
export function unexpectedAnswer(
	product: string,
	address: string,
	response: TestResponse,
	vendorMessage: string | undefined,
	secrets: readonly string[],
): string {
	if (response.status >= 300 && response.status < 400) {
		const location = typeof response.headers.location === 'string' && URL.canParse(response.headers.location, address)
			? ` to ${shownUrl(new URL(response.headers.location, address).href)}`
			: '';
		return `${address} answered with a redirect (HTTP ${response.status})${location}: put the address it leads to in the credential.`;
	}
	const detail = vendorMessage ? `: ${excerpt(redact(vendorMessage, secrets), 200)}` : '';
	return `${product} answered HTTP ${response.status} at ${address}${detail}`;
}

/**
 * Runs a Test and returns its result with every secret removed from the message. An error thrown
 * on the way (an invalid URL in the credential) becomes the Test's message.
 */
export async function credentialTestResult(
	secrets: readonly string[],
	test: () => Promise<INodeCredentialTestResult>,
): Promise<INodeCredentialTestResult> {
	let result: INodeCredentialTestResult;
	try {
		result = await test();
	} catch (error) {
		result = { status: 'Error', message: errorText(error) };
	}
	return { status: result.status, message: redact(result.message, secrets) };
}
