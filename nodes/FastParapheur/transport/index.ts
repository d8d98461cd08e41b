/**
 * The one way the package talks to FAST Parapheur: `FastClient`, made once per execution from the
 * credential. Base URL `https://<host>/parapheur-ws/rest/v1`; authentication by TLS client
 * certificate, so requests go through the package's own sender (nodes/shared/http.ts: see tls.ts
 * for why), with the shared pipeline's retries, connection-failure wording, proxy handling (a
 * CONNECT tunnel carrying the certificate end to end) and redaction. What is FAST's own stays
 * here: the TLS material and what a refused handshake means, the check of every answer for
 * FAST's error JSON whatever its HTTP status, and the peek at downloads before they are treated
 * as files.
 */
import { Readable } from 'node:stream';

import type FormData from 'form-data';
import type { IExecuteFunctions, ILoadOptionsFunctions, INode, IPollFunctions } from 'n8n-workflow';

import type { ErrorDetails } from '../../shared/errors';
import { apiError, excerpt, withRetryNote } from '../../shared/errors';
import { parseContentDisposition, sanitizeFileName } from '../../shared/binary';
import type { ConnectionError, StreamResponse } from '../../shared/http';
import { NodeHttpClient, readBounded } from '../../shared/http';
import type { ApiResponse, ConnectionFailureDetails, RequestSettings, Vendor } from '../../shared/request';
import { DEFAULT_REQUEST_SETTINGS, describeHttpFailure, exchangeWithRetries, unexpectedAnswerError } from '../../shared/request';
import { InputError } from '../../shared/validation';
import type { FastError, FastSubject } from '../helpers/errors';
import { describeFastError, readFastError, sniffFastError } from '../helpers/errors';
import { documentLink } from '../helpers/states';
import type { FastUploadForm } from '../helpers/uploadForm';
import { uploadFormOf } from '../helpers/uploadForm';
import type { ClientTls, FastCredentials } from './tls';
import { buildClientTls, credentialSecrets, describeTlsFailure } from './tls';

export const FAST_CREDENTIAL = 'fastParapheurApi';
export const FAST_API_PATH = '/parapheur-ws/rest/v1';

export const FAST: Vendor = {
	name: 'FAST Parapheur',
	credentialType: FAST_CREDENTIAL,
	readError: (body) => {
		const error = readFastError(body);
		return { message: error?.developerMessage ?? error?.userFriendlyMessage, code: error?.errorCode?.toString() };
	},
	hints: { url: "Check the 'Host or URL' in the credential (host and port)." },
};

export type FastContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

/** Bodies longer than this are not read into memory when they should have been small (JSON, errors). */
const MAX_TEXT_BODY = 8 * 1024 * 1024;

/** `demo-parapheur.dfast.fr`, `https://host`, `https://host/parapheur-ws/rest/v1/` -> the host URL. */
export function fastHostUrl(host: string): string {
	let text = String(host ?? '').trim();
	if (!text) throw new InputError("The FAST Parapheur credential has no 'Host or URL'");
	if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `https://${text}`;
	if (!URL.canParse(text)) {
		throw new InputError(
			`The 'Host or URL' in the FAST Parapheur credential is not a valid address: ${JSON.stringify(host)}`,
			'Use the host name, e.g. demo-parapheur.dfast.fr, or https://parapheur.example.fr',
		);
	}
	const url = new URL(text);
	if (url.protocol !== 'https:') {
		throw new InputError(
			"The 'Host or URL' in the FAST Parapheur credential must use https://",
			'FAST Parapheur authenticates with a TLS client certificate, which needs HTTPS.',
		);
	}
	const path = url.pathname.replace(/\/+$/, '').replace(/\/parapheur-ws(?:\/rest(?:\/v1)?)?$/i, '');
	return `${url.origin}${path}`;
}


export interface FastRequest {
	method: 'GET' | 'POST' | 'PUT' | 'DELETE';
	/** Path after /parapheur-ws/rest/v1, e.g. `/documents/v2/123/history`. */
	path: string;
	qs?: Record<string, string | number | boolean | Array<string | number>>;
	/** A JSON body. */
	json?: unknown;
	/** A multipart body; sent once (never retried: its streams are consumed). */
	form?: FormData;
	itemIndex?: number;
	subject?: FastSubject;
	/** Turns a FAST error into an answer for this call (e.g. "no refusal comment"). */
	recover?: (error: FastError) => { value: unknown } | undefined;
}

export interface FastDownload {
	stream: Readable;
	fileName?: string;
	mimeType?: string;
	/** Content-Length when the server sent it. */
	size?: number;
}

/** An answer whose body is still unread, with why it was not retried (for the error). */
type FastResponse = StreamResponse & Pick<ApiResponse, 'retryNote'>;

/**
 * One client per execution, shared by its items, several of them in flight at once: nothing here
 * belongs to one request (the certificate and the connection pool are made once and only read),
 * and connections are kept alive between requests, each one carrying the client certificate.
 */
export class FastClient {
	readonly hostUrl: string;

	readonly apiUrl: string;

	readonly secrets: string[];

	private tls?: ClientTls;

	private http?: NodeHttpClient;

	constructor(
		private readonly node: INode,
		readonly credentials: FastCredentials,
		private readonly settings: (itemIndex: number) => RequestSettings = () => DEFAULT_REQUEST_SETTINGS,
		private readonly signal?: AbortSignal,
	) {
		this.secrets = credentialSecrets(credentials);
		this.hostUrl = fastHostUrl(credentials.host);
		this.apiUrl = `${this.hostUrl}${FAST_API_PATH}`;
	}

	/** The credential's default SIREN. */
	get defaultSiren(): string {
		return String(this.credentials.siren ?? '').trim();
	}

	/** The names the uploads give their parts, from the credential's 'Upload Form'. */
	get uploadForm(): FastUploadForm {
		return uploadFormOf(this.credentials.uploadForm);
	}

	/** The depositor's e-mail: the credential's, else the PEM certificate's subject. */
	get depositorEmail(): string | undefined {
		const given = String(this.credentials.accountEmail ?? '').trim();
		if (given) return given;
		try {
			return this.clientTls().subjectEmail;
		} catch {
			return undefined;
		}
	}

	documentLink(documentId: string): string {
		return documentLink(this.hostUrl, documentId);
	}

	/** Releases the kept-alive connections. */
	close(): void {
		this.http?.close();
		this.http = undefined;
	}

	private clientTls(): ClientTls {
		this.tls ??= buildClientTls(this.credentials);
		return this.tls;
	}

	/** The sender, with the credential's certificate on every connection (direct or tunnelled). */
	private client(): NodeHttpClient {
		const tls = this.clientTls();
		this.http ??= new NodeHttpClient({ tls: tls.options, keepAlive: true, maxSockets: 16 });
		return this.http;
	}

	private error(details: ErrorDetails, itemIndex?: number, httpCode?: number): Error {
		return apiError(this.node, details, { itemIndex, httpCode, secrets: this.secrets });
	}

	private url(request: FastRequest): URL {
		const url = new URL(`${this.apiUrl}${request.path}`);
		for (const [key, value] of Object.entries(request.qs ?? {})) {
			for (const entry of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(entry));
		}
		return url;
	}

	/**
	 * Sends a request through the shared pipeline: idempotent ones (not multipart, whose streams
	 * are consumed) are retried on 429/502/503/504 and resets. Resolves with the answer's head.
	 */
	private async send(request: FastRequest): Promise<FastResponse> {
		const settings = this.settings(request.itemIndex ?? 0);
		// Unreadable certificate material fails here, before anything is sent.
		const client = this.client();
		const url = this.url(request);
		const headers: Record<string, string> = { Accept: 'application/json, */*' };
		let body: Buffer | FormData | undefined = request.form;
		if (!request.form && request.json !== undefined) {
			body = Buffer.from(JSON.stringify(request.json), 'utf8');
			headers['Content-Type'] = 'application/json; charset=utf-8';
		}
		const exchange = {
			vendor: FAST.name,
			method: request.method,
			url: url.href,
			idempotent: request.form ? false : undefined,
			settings,
			signal: this.signal,
			itemIndex: request.itemIndex,
			secrets: this.secrets,
			hints: FAST.hints,
			describeConnectionFailure: (error: unknown, code?: string) => this.describeConnectionError(error as ConnectionError, code),
		};
		const send = async () => await client.exchange({ method: request.method, url, headers, body, timeoutMs: settings.timeoutMs, signal: this.signal });
		return (await exchangeWithRetries(this.node, exchange, send)) as FastResponse;
	}

	/**
	 * What a failed connection means when it is about FAST's TLS: the server's certificate, or
	 * FAST refusing the client certificate (an alert, or a connection closed during or right
	 * after the handshake). These are `refused`: they happen again on every try, so the pipeline
	 * does not retry them (a close right after the handshake: once, see below) nor words them as
	 * worth retrying; what to change is the certificate.
	 * Undefined for the rest, which the pipeline words like every vendor's.
	 */
	private describeConnectionError(error: ConnectionError, networkCode?: string): ConnectionFailureDetails | undefined {
		// On the way to a proxy, nothing is about FAST's certificate yet.
		if (error.proxyPhase) return undefined;
		const tlsDetails = describeTlsFailure(error, this.tls?.notAfter);
		if (tlsDetails) return { ...tlsDetails, refused: true };
		// The pipeline's reading of the failure (networkCode in request.ts: codes and texts alike).
		const code = networkCode ?? error.code ?? '';
		const reset = code === 'ECONNRESET' || code === 'EPIPE';
		if (reset && error.duringHandshake) {
			return {
				message: 'FAST Parapheur closed the connection during the TLS handshake: it most likely refused the client certificate',
				description: CERTIFICATE_REFUSED_HINT,
				code,
				refused: true,
			};
		}
		if (reset && error.freshSocket) {
			// With TLS 1.3 the client's side of the handshake ends before the server has checked the
			// client certificate: a server refusing it just closes the new connection, before any
			// answer. A connection dropped on its first request looks the same, once: tried once
			// more, and the same close again is the refusal ('ifRepeated').
			return {
				message: 'FAST Parapheur closed the connection right after the TLS handshake, without answering: it most likely refused the client certificate',
				description: `A server that checks the client certificate after the handshake (TLS 1.3) closes a new connection this way when it refuses the certificate. ${CERTIFICATE_REFUSED_HINT}`,
				code,
				refused: 'ifRepeated',
			};
		}
		return undefined;
	}

	/** Reads a body that should be small (JSON, text, an error), bounded. */
	private async readText(response: Readable, itemIndex?: number): Promise<string> {
		return (await this.readBytes(response, itemIndex)).toString('utf8');
	}

	/** Reads a body that should be small (JSON, text, an error), bounded, as the bytes sent. */
	private async readBytes(response: Readable, itemIndex?: number): Promise<Buffer> {
		const { buffer, complete } = await readBounded(response, MAX_TEXT_BODY);
		if (!complete) {
			throw this.error(
				{ message: `FAST Parapheur sent an unexpectedly large answer (over ${MAX_TEXT_BODY / 1024 / 1024} MB) where a short one was expected` },
				itemIndex,
			);
		}
		return buffer;
	}

	/** The error for a non-2xx answer or a FAST error body. */
	private failure(request: FastRequest, status: number, text: string, retryNote?: FastResponse['retryNote']): Error {
		const fastError = sniffFastError(text);
		let details: ErrorDetails;
		if (fastError) {
			details = describeFastError(fastError, request.subject);
		} else if ((status === 400 || status === 403) && /certificate|ssl|certificat/i.test(text)) {
			// An HTTPS front (Apache, nginx) refusing the certificate answers with an HTML page.
			details = describeTlsFailure(new Error('unknown ca'))!;
		} else {
			const looksHtml = /^\s*</.test(text);
			details = describeHttpFailure(FAST, {
				status,
				vendorMessage: looksHtml ? '' : excerpt(text, 200, this.secrets),
				body: text,
			});
			if (status === 404 && looksHtml) {
				details.description =
					"No FAST Parapheur API at this address: check the 'Host or URL' in the credential (the node adds /parapheur-ws/rest/v1).";
			}
		}
		return this.error(withRetryNote(details, retryNote), request.itemIndex, status);
	}

	/**
	 * Sends a request and returns the text of a successful answer. A FAST error body fails the
	 * call whatever the HTTP status (FAST sends errors with HTTP 200), unless `recover` accepts it.
	 */
	async text(request: FastRequest): Promise<{ text: string; status: number; recovered?: { value: unknown } }> {
		const response = await this.send(request);
		const status = response.statusCode;
		const text = await this.readText(response.body, request.itemIndex);
		const fastError = sniffFastError(text);
		if (fastError) {
			const recovered = request.recover?.(fastError);
			if (recovered) return { text, status, recovered };
		}
		if (status < 200 || status >= 300 || fastError) {
			throw this.failure(request, status, text, response.retryNote);
		}
		return { text, status };
	}

	/** The error for a successful answer that is not what FAST documents (`what`: what was expected). */
	unexpectedAnswer(what: string, text: string, status: number, itemIndex?: number): Error {
		return unexpectedAnswerError(this.node, FAST.name, { what, text, status, itemIndex, secrets: this.secrets });
	}

	/** A JSON answer (an empty body gives undefined; bare numbers parse as numbers). */
	async json(request: FastRequest): Promise<unknown> {
		const { text, recovered } = await this.text(request);
		if (recovered) return recovered.value;
		const trimmed = text.trim();
		if (trimmed === '') return undefined;
		try {
			return JSON.parse(trimmed);
		} catch {
			throw this.error(
				{
					message: 'FAST Parapheur sent an answer that is not valid JSON',
					description: `The answer began with: ${excerpt(trimmed, 120, this.secrets)}. A proxy or an error page may be answering instead of the API: check the 'Host or URL' in the credential.`,
				},
				request.itemIndex,
			);
		}
	}

	/**
	 * An upload's answer: the new document's id. FAST answers a bare number (`320073963`), the OTP
	 * upload `{id, url}`; ids are Java longs of 9-10 digits, kept as strings.
	 */
	async documentId(request: FastRequest): Promise<{ id: string; url?: string }> {
		const { text } = await this.text(request);
		const trimmed = text.trim().replace(/^"|"$/g, '');
		if (/^\d{1,19}$/.test(trimmed)) return { id: trimmed };
		// Read the id from the text, not through JSON.parse, so a long id keeps every digit.
		const idMatch = /"id"\s*:\s*"?(\d{1,19})"?/.exec(trimmed);
		if (idMatch) {
			const url = /"url"\s*:\s*"([^"]*)"/.exec(trimmed)?.[1];
			return { id: idMatch[1], url };
		}
		throw this.error(
			{
				message: 'FAST Parapheur accepted the upload but did not send a document ID',
				description: `The answer was: ${excerpt(trimmed, 120, this.secrets) || '(empty)'}. Check in FAST whether the document was created before uploading it again.`,
			},
			request.itemIndex,
		);
	}

	/**
	 * A file download, streamed. An answer that is FAST's error JSON (whatever the status) is an
	 * error, not a file: JSON and text answers are read (they are small) and checked; any other
	 * answer is handed over as a stream with the first chunk checked too.
	 */
	async download(request: FastRequest): Promise<FastDownload> {
		const response = await this.send(request);
		const status = response.statusCode;
		const body = response.body;
		if (status < 200 || status >= 300) {
			const text = await this.readText(body, request.itemIndex);
			throw this.failure(request, status, text, response.retryNote);
		}
		// Peek at the first bytes: FAST sends errors with HTTP 200, as JSON or even as
		// application/octet-stream. An error is small; a file that merely starts with "{" (a JSON
		// document) is streamed like any other.
		const head = await peek(body, ERROR_PEEK_BYTES);
		const headText = head.toString('utf8');
		if (/^\s*\{/.test(headText) && /"(?:errorCode|developerMessage)"/.test(headText)) {
			// The file is kept as the bytes FAST sent (a JSON file need not be UTF-8); only the check reads it as text.
			const bytes = Buffer.concat([head, await this.readBytes(body, request.itemIndex)]);
			const text = bytes.toString('utf8');
			if (sniffFastError(text)) throw this.failure(request, status, text);
			return this.describeDownload(response, Readable.from([bytes]), bytes.length);
		}
		const length = Number(response.headers['content-length']);
		const size = Number.isFinite(length) ? length : undefined;
		// A file shorter than the peek is already whole.
		if (body.readableEnded) return this.describeDownload(response, Readable.from([head]), head.length);
		// The answer itself is handed over, its first bytes put back: no copy, no extra stream
		// that could hold data, backpressure straight to the socket (n8n's writer paces the
		// download), and closing it (n8n stops reading) closes the connection.
		if (head.length > 0) body.unshift(head);
		return this.describeDownload(response, body, size);
	}

	private describeDownload(response: FastResponse, stream: Readable, size?: number): FastDownload {
		const disposition = parseContentDisposition(String(response.headers['content-disposition'] ?? ''));
		const mimeType = String(response.headers['content-type'] ?? '').split(';')[0].trim() || undefined;
		return {
			stream,
			fileName: disposition ? sanitizeFileName(disposition, 'document') : undefined,
			mimeType,
			size,
		};
	}
}

/** What to change when FAST closes the connection on the client certificate. */
const CERTIFICATE_REFUSED_HINT =
	"Use the certificate Docaposte issued for this FAST server (demo, integration and production certificates differ), check that it has not expired or been revoked, and put it in the FAST Parapheur credential.";

/** How much of a download is looked at for a FAST error before it is treated as a file. */
const ERROR_PEEK_BYTES = 4096;

/** Reads at least `bytes` (or to the end) from a paused stream and returns them; the rest stays unread. */
async function peek(stream: Readable, bytes: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let total = 0;
	return await new Promise<Buffer>((resolve, reject) => {
		const finish = () => {
			cleanup();
			resolve(Buffer.concat(chunks));
		};
		const onReadable = () => {
			for (let chunk = stream.read() as Buffer | null; chunk !== null; chunk = stream.read() as Buffer | null) {
				chunks.push(chunk);
				total += chunk.length;
				if (total >= bytes) {
					finish();
					return;
				}
			}
		};
		const onError = (error: Error) => {
			cleanup();
			reject(error);
		};
		const cleanup = () => {
			stream.off('readable', onReadable);
			stream.off('end', finish);
			stream.off('error', onError);
		};
		stream.on('readable', onReadable);
		stream.on('end', finish);
		stream.on('error', onError);
	});
}

/** The FAST client of an execution, from the node's credential. */
export async function fastClient(ctx: FastContext, settings?: (itemIndex: number) => RequestSettings): Promise<FastClient> {
	const credentials = (await ctx.getCredentials(FAST_CREDENTIAL)) as unknown as FastCredentials;
	const signal = 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal?.() : undefined;
	return new FastClient(ctx.getNode(), credentials, settings, signal);
}

