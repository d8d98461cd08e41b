/**
 * Files in and out of a node without holding them in memory: an input file is read from n8n's
 * binary data as a stream (or from base64 text, or fetched from a URL through n8n's own HTTP
 * helper, for AI-agent use where binary data cannot pass) and appended to a multipart body with
 * its name, type and length; a downloaded stream becomes n8n binary data through
 * `prepareBinaryData`.
 */
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';

import type FormData from 'form-data';
import type { BinaryHelperFunctions, IBinaryData, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fileNameWithExtension, mimeTypeFromFileName, parseContentDisposition, sanitizeFileName } from './binary';
import { shownUrl } from './redaction';
import { InputError } from './validation';

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
	const name = String(property ?? '').trim();
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
	if (binary.id) {
		const metadata = await ctx.helpers.getBinaryMetadata(binary.id);
		const stream = await ctx.helpers.getBinaryStream(binary.id);
		const size = Number(metadata.fileSize);
		return { content: stream, fileName, mimeType, size: Number.isFinite(size) ? size : undefined };
	}
	const buffer = Buffer.from(binary.data, 'base64');
	return { content: buffer, fileName, mimeType, size: buffer.length };
}

/** A file given as base64 text. */
export function base64InputFile(content: unknown, fileName: unknown, mimeType?: string): InputFile {
	const text = String(content ?? '').replace(/^data:([^;,]*)(;base64)?,/, '').replace(/\s+/g, '');
	if (!text) throw new InputError("'File Content (Base64)' is empty");
	if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
		throw new InputError("'File Content (Base64)' is not base64 text", 'Give the file encoded in base64, without any other text.');
	}
	const name = sanitizeFileName(String(fileName ?? ''), '');
	if (!name) throw new InputError("'File Name' is required with base64 content (FAST uses its extension)");
	const buffer = Buffer.from(text, 'base64');
	return { content: buffer, fileName: name, mimeType: mimeType || mimeTypeFromFileName(name) || 'application/octet-stream', size: buffer.length };
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
 * redirects (followed here, each checked), streamed with a size limit.
 */
export async function urlInputFile(ctx: IExecuteFunctions, url: unknown, fileName?: unknown, limit = MAX_URL_FILE_BYTES): Promise<InputFile> {
	let current = String(url ?? '').trim();
	if (!current) throw new InputError("'File URL' is empty");
	for (let hop = 0; hop <= MAX_URL_REDIRECTS; hop++) {
		if (!URL.canParse(current) || !/^https?:$/.test(new URL(current).protocol)) {
			throw new InputError(`'File URL' must be an http:// or https:// address, got ${JSON.stringify(current)}`);
		}
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
			current = new URL(headers.location, current).toString();
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
		const lastSegment = decodeURIComponent(new URL(current).pathname.split('/').pop() ?? '');
		const mimeType = String(headers['content-type'] ?? '').split(';')[0].trim() || undefined;
		const name = fileNameWithExtension(
			sanitizeFileName(String(fileName ?? '').trim() || parseContentDisposition(fromHeader) || lastSegment, 'document'),
			mimeType,
		);
		const limited = body.pipe(sizeLimit(limit, current));
		body.on('error', (error) => limited.destroy(error));
		return {
			content: limited,
			fileName: name,
			mimeType: mimeType && mimeType !== 'application/octet-stream' ? mimeType : (mimeTypeFromFileName(name) ?? 'application/octet-stream'),
			size: Number.isFinite(length) ? length : undefined,
		};
	}
	throw new InputError(`'File URL' redirects more than ${MAX_URL_REDIRECTS} times: ${String(url)}`);
}

/** The input file of an upload, from the node's Input Data Source fields. */
export async function inputFile(ctx: IExecuteFunctions, itemIndex: number): Promise<InputFile> {
	const source = ctx.getNodeParameter('inputDataSource', itemIndex, 'binary') as FileSource;
	if (source === 'base64') {
		return base64InputFile(ctx.getNodeParameter('fileContent', itemIndex, ''), ctx.getNodeParameter('fileName', itemIndex, ''));
	}
	if (source === 'url') {
		return await urlInputFile(ctx, ctx.getNodeParameter('fileUrl', itemIndex, ''), ctx.getNodeParameter('fileName', itemIndex, ''));
	}
	return await binaryInputFile(ctx, itemIndex, ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string);
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
