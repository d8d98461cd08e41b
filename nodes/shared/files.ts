/**
 * Files in and out of a node without holding them in memory: an input file is read from n8n's
 * binary data as a stream (or from base64 text, or fetched from a URL through n8n's own HTTP
 * helper, for AI-agent use where binary data cannot pass) and appended to a multipart body with
 * its name, type and length; a downloaded stream becomes n8n binary data through
 * `prepareBinaryData`.
 */
import type { Readable } from 'node:stream';
import { PassThrough, Transform } from 'node:stream';

import type FormData from 'form-data';
import type { BinaryHelperFunctions, IBinaryData, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fileNameWithExtension, mimeTypeFromFileName, parseContentDisposition, sanitizeFileName } from './binary';
import { shownUrl } from './redaction';
import { InputError, textOf } from './validation';

/** What storing a file as n8n binary data needs: an action node's or a polling trigger's context. */
export interface BinaryOutputContext {
	helpers: Pick<BinaryHelperFunctions, 'prepareBinaryData'>;
}

export interface InputFile {
	content: Readable | Buffer;
	fileName: string;
	mimeType: string;
	/** Byte length when known (multipart with a known length); unknown sends the body chunked. */
	size?: number;
}

export type FileSource = 'binary' | 'base64' | 'url';

/** Largest file fetched from a URL. */
export const MAX_URL_FILE_BYTES = 2 * 1024 * 1024 * 1024;

/** Redirects followed when fetching a file from a URL. */
export const MAX_URL_REDIRECTS = 5;

/** The "Input Data Source" fields of an upload: binary property, base64 text or URL. */
export function fileSourceProperties(options: { what: string; displayOptions?: INodeProperties['displayOptions'] }): INodeProperties[] {
	const { what, displayOptions } = options;
	const show = (source: FileSource): INodeProperties['displayOptions'] => ({
		...(displayOptions ?? {}),
		show: { ...(displayOptions?.show ?? {}), inputDataSource: [source] },
	});
	return [
		{
			displayName: 'Input Data Source',
			name: 'inputDataSource',
			type: 'options',
			options: [
				{ name: 'Binary File', value: 'binary', description: 'A file from a previous node (e.g. Read Files From Disk, an e-mail attachment)' },
				{ name: 'Base64 Text', value: 'base64', description: 'The file as base64 text, e.g. given by an AI agent' },
				{ name: 'URL', value: 'url', description: 'Download the file from an HTTP(S) address first' },
			],
			default: 'binary',
			description: `Where the ${what} comes from`,
			displayOptions,
		},
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the input binary field holding the file',
			description: `The binary field of the input item that holds the ${what}`,
			displayOptions: show('binary'),
		},
		{
			displayName: 'File Content (Base64)',
			name: 'fileContent',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			required: true,
			description: `The ${what} encoded in base64`,
			displayOptions: show('base64'),
		},
		{
			displayName: 'File URL',
			name: 'fileUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.fr/deliberation.pdf',
			description: `HTTP(S) address of the ${what}. At most ${MAX_URL_REDIRECTS} redirects are followed and 2 GB read.`,
			displayOptions: show('url'),
		},
		{
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. deliberation-2026-042.pdf',
			description: 'The file name FAST shows (with its extension: it decides the file type)',
			displayOptions: show('base64'),
		},
		{
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			placeholder: 'e.g. deliberation-2026-042.pdf',
			description: "The file name FAST shows. Empty: the name the server gives, or the URL's last segment.",
			displayOptions: show('url'),
		},
	];
}

/** A binary property's file as a stream (filesystem or database storage) or a buffer (memory). */
export async function binaryInputFile(ctx: IExecuteFunctions, itemIndex: number, property: string, field = 'Input Binary Field'): Promise<InputFile> {
	const name = textOf(property, field, { numbers: false }).trim();
	if (!name) throw new InputError(`'${field}' is empty: give the name of the binary field that holds the file (usually data)`);
	const item = ctx.getInputData()[itemIndex];
	if (!item?.binary?.[name]) {
		const available = Object.keys(item?.binary ?? {});
		throw new InputError(
			`The input item has no binary field '${name}'`,
			available.length > 0
				? `Its binary fields are: ${available.join(', ')}. Set '${field}' to one of them.`
				: 'The input item carries no file: add a node that reads or downloads the file before this one, or use another Input Data Source.',
		);
	}
	const binary: IBinaryData = ctx.helpers.assertBinaryData(itemIndex, name);
	const fileName = sanitizeFileName(binary.fileName, `${name}${binary.fileExtension ? `.${binary.fileExtension}` : ''}`);
	const mimeType = binary.mimeType || mimeTypeFromFileName(fileName) || 'application/octet-stream';
	const empty = () =>
		new InputError(
			`The file in binary field '${name}' ('${field}') is empty: it has 0 bytes`,
			'Nothing was sent. Check the node that produced the file: an empty file cannot be signed.',
		);
	if (binary.id) {
		const metadata = await ctx.helpers.getBinaryMetadata(binary.id);
		const size = Number(metadata.fileSize);
		if (size === 0) throw empty();
		const stream = await ctx.helpers.getBinaryStream(binary.id);
		return { content: stream, fileName, mimeType, size: Number.isFinite(size) ? size : undefined };
	}
	const buffer = Buffer.from(binary.data, 'base64');
	if (buffer.length === 0) throw empty();
	return { content: buffer, fileName, mimeType, size: buffer.length };
}

const BASE64_FIELD = "'File Content (Base64)'";
const BASE64_HINT = 'Give the file encoded in base64 (RFC 4648, standard or URL-safe alphabet), without any other text; a data:<type>;base64, prefix is accepted.';

/**
 * Base64 text decoded strictly (RFC 4648): one alphabet (standard `+/` or URL-safe `-_`, not
 * both), `=` padding only at the end and only to a multiple of 4, no length that no byte count
 * gives, unused bits of the last character zero (what an encoder writes). Whitespace is allowed
 * between lines only where a line of base64 can end (after a multiple of 4 characters), so words
 * separated by spaces ("see attached file") are refused instead of decoded into garbage.
 * A `data:<type>;base64,` prefix is removed and its MIME type returned.
 */
export function decodeBase64Strict(value: unknown, field = BASE64_FIELD): { bytes: Buffer; mimeType?: string } {
	let text = textOf(value, field.replace(/^'|'$/g, ''), { numbers: false }).trim();
	let mimeType: string | undefined;
	const dataUrl = /^data:([^,]*),/i.exec(text);
	if (dataUrl) {
		const parameters = dataUrl[1].split(';').map((part) => part.trim());
		if (!parameters.slice(1).some((part) => part.toLowerCase() === 'base64')) {
			throw new InputError(`${field} is a data URL that is not base64 (no ;base64 before the comma)`, BASE64_HINT);
		}
		mimeType = parameters[0] ? parameters[0].toLowerCase() : undefined;
		text = text.slice(dataUrl[0].length).trim();
	}
	if (text === '') throw new InputError(`${field} is empty: it holds no file`, BASE64_HINT);
	const lines = text.split(/\s+/);
	for (let index = 0; index < lines.length - 1; index++) {
		if (lines[index].length % 4 !== 0) {
			throw new InputError(`${field} is not base64 text: it holds spaces or line breaks inside a group of 4 characters (near ${JSON.stringify(lines.slice(0, index + 2).join(' ').slice(0, 40))})`, BASE64_HINT);
		}
	}
	const compact = lines.join('');
	const invalid = /[^A-Za-z0-9+/_=-]/.exec(compact);
	if (invalid) {
		throw new InputError(`${field} is not base64 text: it holds ${JSON.stringify(invalid[0])}, which base64 does not use`, BASE64_HINT);
	}
	if (/[+/]/.test(compact) && /[-_]/.test(compact)) {
		throw new InputError(`${field} is not base64 text: it mixes the standard (+/) and URL-safe (-_) alphabets`, BASE64_HINT);
	}
	const padding = /=*$/.exec(compact)?.[0].length ?? 0;
	const body = compact.slice(0, compact.length - padding);
	if (body.length === 0) throw new InputError(`${field} is empty: it decodes to 0 bytes`, BASE64_HINT);
	if (body.includes('=')) throw new InputError(`${field} is not base64 text: '=' padding appears before the end`, BASE64_HINT);
	if (padding > 2 || (padding > 0 && compact.length % 4 !== 0)) {
		throw new InputError(`${field} has wrong base64 padding: ${padding} '=' after ${body.length} characters`, BASE64_HINT);
	}
	if (body.length % 4 === 1) {
		throw new InputError(`${field} is not base64 text: ${body.length} characters is no whole number of bytes (it is cut or has a character too many)`, BASE64_HINT);
	}
	const alphabet = /[-_]/.test(body) ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_' : 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
	const last = alphabet.indexOf(body[body.length - 1]);
	const unusedBits = body.length % 4 === 2 ? 4 : body.length % 4 === 3 ? 2 : 0;
	if (unusedBits > 0 && (last & ((1 << unusedBits) - 1)) !== 0) {
		throw new InputError(`${field} is not base64 text: its last character is not one an encoder writes (is it cut, or plain text?)`, BASE64_HINT);
	}
	const bytes = Buffer.from(body, /[-_]/.test(body) ? 'base64url' : 'base64');
	return { bytes, mimeType };
}

/**
 * A file given as base64 text (see `decodeBase64Strict`). The MIME type is the one given, else
 * the data URL's, else the file name's; a name without extension gets the one of its type.
 */
export function base64InputFile(content: unknown, fileName: unknown, mimeType?: string): InputFile {
	const decoded = decodeBase64Strict(content);
	const type = mimeType || decoded.mimeType;
	const baseName = sanitizeFileName(textOf(fileName, 'File Name', { numbers: false }), '');
	const name = baseName ? fileNameWithExtension(baseName, type) : '';
	if (!name) throw new InputError("'File Name' is required with base64 content (FAST uses its extension)");
	return {
		content: decoded.bytes,
		fileName: name,
		mimeType: type || mimeTypeFromFileName(name) || 'application/octet-stream',
		size: decoded.bytes.length,
	};
}

/** Whether a URL's %-encoding decodes (each % followed by the hex digits of UTF-8 bytes). */
function percentDecodes(text: string): boolean {
	try {
		decodeURIComponent(text);
		return true;
	} catch {
		return false;
	}
}

/**
 * A URL given to a node, parsed: only http and https, no broken %-encoding. Errors say "'File
 * URL' is not a valid URL: ..." rather than `URI malformed` or `Invalid URL`.
 */
export function parseHttpUrl(value: unknown, field = 'File URL'): URL {
	const text = textOf(value, field, { numbers: false }).trim();
	if (!text) throw new InputError(`'${field}' is empty`);
	let shown: string;
	try {
		shown = JSON.stringify(shownUrl(text).slice(0, 200));
	} catch {
		// Not a URL at all: shown as given, cut (it holds no host whose credentials could leak).
		shown = JSON.stringify(text.replace(/^[^/]*\/\/[^/@]*@/, '').slice(0, 200));
	}
	if (!URL.canParse(text)) {
		throw new InputError(`'${field}' is not a valid URL: ${shown}`, 'Give a full address such as https://example.fr/file.pdf.');
	}
	const url = new URL(text);
	if (!/^https?:$/.test(url.protocol)) {
		throw new InputError(`'${field}' must be an http:// or https:// address, got ${shown}`);
	}
	if (!percentDecodes(url.pathname) || !percentDecodes(url.search)) {
		throw new InputError(`'${field}' is not a valid URL: ${shown} has a broken %-encoding (a % must be followed by the two hex digits of a UTF-8 byte)`, 'Write a literal % as %25.');
	}
	return url;
}

/** Counts bytes and fails past a limit. */
function sizeLimit(limit: number, url: string): Transform {
	let total = 0;
	return new Transform({
		transform(chunk: Buffer, _encoding, callback) {
			total += chunk.length;
			if (total > limit) {
				callback(new InputError(`The file at ${url} is larger than ${Math.round(limit / 1024 / 1024)} MB`));
				return;
			}
			callback(null, chunk);
		},
	});
}

/**
 * A file fetched from a URL through n8n's HTTP helper: HTTP(S) only, at most MAX_URL_REDIRECTS
 * redirects (followed here, each checked), streamed with a size limit. An empty answer is refused.
 */
export async function urlInputFile(ctx: IExecuteFunctions, url: unknown, fileName?: unknown, limit = MAX_URL_FILE_BYTES): Promise<InputFile> {
	let current = parseHttpUrl(url).toString();
	const givenName = textOf(fileName, 'File Name', { numbers: false }).trim();
	for (let hop = 0; hop <= MAX_URL_REDIRECTS; hop++) {
		const response = (await ctx.helpers.httpRequest({
			method: 'GET',
			url: current,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: 60_000,
		})) as { statusCode: number; headers: Record<string, string | undefined>; body: Readable };
		const { statusCode, headers, body } = response;
		if (statusCode >= 300 && statusCode < 400 && headers.location) {
			body.resume();
			if (!URL.canParse(headers.location, current)) {
				throw new InputError(`'File URL' redirects to an address that is not a valid URL: ${JSON.stringify(String(headers.location).slice(0, 200))}`);
			}
			current = parseHttpUrl(new URL(headers.location, current).toString(), 'File URL').toString();
			continue;
		}
		if (statusCode < 200 || statusCode >= 300) {
			body.resume();
			throw new InputError(`Could not download the file at ${shownUrl(current)}: HTTP ${statusCode}`, "Check 'File URL'.");
		}
		const length = Number(headers['content-length']);
		if (Number.isFinite(length) && length > limit) {
			body.destroy();
			throw new InputError(`The file at ${shownUrl(current)} is larger than ${Math.round(limit / 1024 / 1024)} MB`);
		}
		const fromHeader = headers['content-disposition'];
		const rawSegment = new URL(current).pathname.split('/').pop() ?? '';
		let lastSegment = rawSegment;
		try {
			lastSegment = decodeURIComponent(rawSegment);
		} catch {
			// Kept as written: a redirect target may carry a stray %.
		}
		const mimeType = String(headers['content-type'] ?? '').split(';')[0].trim() || undefined;
		const name = fileNameWithExtension(sanitizeFileName(givenName || parseContentDisposition(fromHeader) || lastSegment, 'document'), mimeType);
		const limited = body.pipe(sizeLimit(limit, current));
		body.on('error', (error) => limited.destroy(error));
		const file: InputFile = {
			content: limited,
			fileName: name,
			mimeType: mimeType && mimeType !== 'application/octet-stream' ? mimeType : (mimeTypeFromFileName(name) ?? 'application/octet-stream'),
			size: Number.isFinite(length) ? length : undefined,
		};
		if (file.size === 0) {
			body.destroy();
			throw new InputError(`The file at 'File URL' (${shownUrl(current)}) is empty: the server answered 0 bytes`, 'Nothing was sent. Check the address.');
		}
		return file;
	}
	throw new InputError(`'File URL' redirects more than ${MAX_URL_REDIRECTS} times: ${shownUrl(String(url))}`);
}

/** What the first bytes of a file must be for a circuit type: `pdf` or `xml`. */
export type FileFormat = 'pdf' | 'xml';

/** How many first bytes are read to check a file's format (PDF readers look this far for %PDF-). */
const HEAD_BYTES = 1024;

/**
 * The first `bytes` of a stream, and the stream to send in its place (the same bytes then the
 * rest), or the whole file as a Buffer when it is shorter than that.
 */
async function peek(stream: Readable, bytes: number): Promise<{ head: Buffer; content: Readable | Buffer }> {
	const chunks: Buffer[] = [];
	let total = 0;
	const ended = await new Promise<boolean>((resolve, reject) => {
		const cleanup = () => {
			stream.off('data', onData);
			stream.off('end', onEnd);
			stream.off('error', onError);
		};
		const onData = (chunk: Buffer | string) => {
			const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			chunks.push(buffer);
			total += buffer.length;
			if (total >= bytes) {
				stream.pause();
				cleanup();
				resolve(false);
			}
		};
		const onEnd = () => {
			cleanup();
			resolve(true);
		};
		const onError = (error: Error) => {
			cleanup();
			reject(error);
		};
		stream.on('data', onData);
		stream.on('end', onEnd);
		stream.on('error', onError);
	});
	const head = Buffer.concat(chunks);
	if (ended) return { head, content: head };
	const replay = new PassThrough();
	replay.write(head);
	stream.on('error', (error) => replay.destroy(error));
	stream.pipe(replay);
	return { head: head.subarray(0, bytes), content: replay };
}

/** Whether the first bytes are those of a PDF: `%PDF-` within the first 1024 bytes. */
export function looksLikePdf(head: Buffer): boolean {
	return head.subarray(0, HEAD_BYTES).includes('%PDF-');
}

/**
 * Whether the first bytes are those of an XML document: after a byte order mark (UTF-8, UTF-16)
 * and white space, a `<`.
 */
export function looksLikeXml(head: Buffer): boolean {
	let utf16: Buffer | undefined;
	if (head[0] === 0xff && head[1] === 0xfe) utf16 = head.subarray(2);
	else if (head[0] === 0xfe && head[1] === 0xff) utf16 = swapped(head.subarray(2));
	else if (head[0] === 0x3c && head[1] === 0) utf16 = head;
	else if (head[0] === 0 && head[1] === 0x3c) utf16 = swapped(head);
	if (utf16) return /^\s*</.test(utf16.subarray(0, utf16.length - (utf16.length % 2)).toString('utf16le'));
	let start = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
	while (start < head.length && [0x20, 0x09, 0x0a, 0x0d].includes(head[start])) start++;
	return head[start] === 0x3c;
}

/** The bytes of UTF-16BE text in UTF-16LE order (a copy; an odd last byte dropped). */
function swapped(bytes: Buffer): Buffer {
	return Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2))).swap16();
}

/**
 * Checks that a file has content and, when a format is given, that its first bytes are of that
 * format; `label` names the file in messages ("'File Content (Base64)'", "The file in binary
 * field 'data'"). Returns the file to send (a stream read for the check is replayed).
 */
export async function checkInputFile(file: InputFile, label: string, format?: FileFormat, formatReason = ''): Promise<InputFile> {
	let head: Buffer;
	let content = file.content;
	if (Buffer.isBuffer(file.content)) head = file.content.subarray(0, HEAD_BYTES);
	else {
		if (!format && file.size !== undefined && file.size > 0) return file;
		const peeked = await peek(file.content, HEAD_BYTES);
		head = peeked.head;
		content = peeked.content;
	}
	if (head.length === 0) {
		throw new InputError(`${label} is empty: it has 0 bytes`, 'Nothing was sent. An empty file cannot be signed.');
	}
	const ok = format === 'pdf' ? looksLikePdf(head) : format === 'xml' ? looksLikeXml(head) : true;
	if (!ok) {
		if (!Buffer.isBuffer(content)) content.destroy();
		const what = format === 'pdf' ? 'a PDF: it does not start with %PDF-' : 'XML: it does not start with <';
		const starts = head.subarray(0, 16).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
		throw new InputError(`${label} is not ${what} (it starts with ${JSON.stringify(starts)})${formatReason ? `; ${formatReason}` : ''}`, 'Nothing was sent. Give the file in the format the circuit signs, or choose another circuit type.');
	}
	return Buffer.isBuffer(content) ? { ...file, content, size: content.length } : { ...file, content };
}

/**
 * The input file of an upload, from the node's Input Data Source fields, checked: not empty, and
 * of `format` when the circuit type implies one (see `checkInputFile`).
 */
export async function inputFile(ctx: IExecuteFunctions, itemIndex: number, check: { format?: FileFormat; reason?: string } = {}): Promise<InputFile> {
	const source = ctx.getNodeParameter('inputDataSource', itemIndex, 'binary') as FileSource;
	if (source === 'base64') {
		const file = base64InputFile(ctx.getNodeParameter('fileContent', itemIndex, ''), ctx.getNodeParameter('fileName', itemIndex, ''));
		return await checkInputFile(file, BASE64_FIELD, check.format, check.reason);
	}
	if (source === 'url') {
		const file = await urlInputFile(ctx, ctx.getNodeParameter('fileUrl', itemIndex, ''), ctx.getNodeParameter('fileName', itemIndex, ''));
		return await checkInputFile(file, "The file at 'File URL'", check.format, check.reason);
	}
	const property = ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
	const file = await binaryInputFile(ctx, itemIndex, property);
	return await checkInputFile(file, `The file in binary field '${String(property).trim()}'`, check.format, check.reason);
}

/** Appends a file part with its name, type and (when known) length. */
export function appendFile(form: FormData, partName: string, file: InputFile): void {
	form.append(partName, file.content, {
		filename: file.fileName,
		contentType: file.mimeType,
		...(file.size !== undefined ? { knownLength: file.size } : {}),
	});
}

/** Turns a downloaded stream into n8n binary data, with a sanitised name and a MIME type. */
export async function binaryOutput(
	ctx: BinaryOutputContext,
	file: { stream: Readable | Buffer; fileName?: string; mimeType?: string },
	fallbackName: string,
): Promise<IBinaryData> {
	const mimeType =
		file.mimeType && file.mimeType !== 'application/octet-stream'
			? file.mimeType
			: (mimeTypeFromFileName(file.fileName ?? fallbackName) ?? file.mimeType ?? 'application/octet-stream');
	const fileName = fileNameWithExtension(sanitizeFileName(file.fileName, fallbackName), mimeType);
	return await ctx.helpers.prepareBinaryData(file.stream as Buffer, fileName, mimeType);
}
