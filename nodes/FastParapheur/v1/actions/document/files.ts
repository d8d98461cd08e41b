/** Downloading a document's files into n8n binary data, shared by Download and Get Result. */
import { PassThrough } from 'node:stream';

import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { binaryOutput } from '../../../../shared/files';
import { sanitizeFileName } from '../../../../shared/binary';
import { unzipStream } from '../../../../shared/zip';
import type { FastClient } from '../../../transport';
import { pathSegment } from '../../../../shared/path';

export interface DocumentFiles {
	binary: Record<string, IBinaryData>;
	files: IDataObject[];
}

/** What a file of the download ZIP is, from its name. */
export function zipEntryKind(name: string): 'circulationSheet' | 'acknowledgement' | 'document' {
	const lower = name.toLowerCase();
	if (/fiche|fdc|circulation/.test(lower)) return 'circulationSheet';
	if (/\.xml$/.test(lower) && /ack|acquit|ar[-_]/.test(lower)) return 'acknowledgement';
	return 'document';
}

/**
 * `GET /documents/v2/{id}/download`: the file itself, or with `acquit`/`FdC` a ZIP that is unpacked
 * into one binary field per file (`<field>` for the document, `circulationSheet`,
 * `acknowledgement`), the ZIP itself kept in `<field>Zip` on request. Streamed throughout.
 */
export async function downloadDocument(
	ctx: IExecuteFunctions,
	client: FastClient,
	documentId: string,
	itemIndex: number,
	options: { field: string; acknowledgement?: boolean; circulationSheet?: boolean; keepZip?: boolean },
): Promise<DocumentFiles> {
	const wantsZip = options.acknowledgement === true || options.circulationSheet === true;
	const download = await client.download({
		method: 'GET',
		path: `/documents/v2/${pathSegment(documentId, 'Document ID')}/download`,
		qs: wantsZip ? { acquit: options.acknowledgement === true, FdC: options.circulationSheet === true } : undefined,
		itemIndex,
		subject: { documentId, action: 'download the document' },
	});
	const binary: Record<string, IBinaryData> = {};
	const files: IDataObject[] = [];
	const isZip = wantsZip && (/zip/i.test(download.mimeType ?? '') || /\.zip$/i.test(download.fileName ?? ''));
	if (!isZip) {
		binary[options.field] = await binaryOutput(ctx, download, `document-${documentId}`);
		files.push({ field: options.field, kind: 'document', fileName: binary[options.field].fileName });
		return { binary, files };
	}

	let zipStored: Promise<IBinaryData> | undefined;
	let source = download.stream;
	if (options.keepZip) {
		// Tee: the ZIP goes both to its own binary field and to the unpacker.
		const zipCopy = new PassThrough();
		const unpack = new PassThrough();
		download.stream.on('data', (chunk: Buffer) => {
			const a = zipCopy.write(chunk);
			const b = unpack.write(chunk);
			if (!a || !b) {
				download.stream.pause();
				let waiting = (a ? 0 : 1) + (b ? 0 : 1);
				const resume = () => {
					waiting -= 1;
					if (waiting === 0) download.stream.resume();
				};
				if (!a) zipCopy.once('drain', resume);
				if (!b) unpack.once('drain', resume);
			}
		});
		download.stream.on('end', () => {
			zipCopy.end();
			unpack.end();
		});
		download.stream.on('error', (error) => {
			zipCopy.destroy(error);
			unpack.destroy(error);
		});
		zipStored = binaryOutput(ctx, { stream: zipCopy, fileName: download.fileName ?? `${documentId}.zip`, mimeType: 'application/zip' }, `${documentId}.zip`);
		// Awaited after unpacking; if unpacking fails first, its error is the one reported.
		zipStored.catch(() => undefined);
		source = unpack;
	}
	const used = new Set<string>();
	// Files are listed in archive order, whichever finished storing first.
	const unpacked = await unzipStream(source, async (entry) => {
		const kind = zipEntryKind(entry.name);
		let field = kind === 'document' ? options.field : kind;
		for (let n = 2; used.has(field) && n < 1000; n++) field = `${kind === 'document' ? options.field : kind}${n}`;
		used.add(field);
		const data = await binaryOutput(ctx, { stream: entry.stream, fileName: sanitizeFileName(entry.name, `${kind}-${documentId}`) }, `${kind}-${documentId}`);
		return { field, kind, data };
	});
	for (const { field, kind, data } of unpacked) {
		binary[field] = data;
		files.push({ field, kind, fileName: data.fileName });
	}
	if (zipStored) {
		const zipField = `${options.field}Zip`;
		binary[zipField] = await zipStored;
		files.push({ field: zipField, kind: 'zip', fileName: binary[zipField].fileName });
	}
	return { binary, files };
}

/** `GET /documents/v2/{id}/getFdc`: the fiche de circulation PDF (used by real clients, not in the page). */
export async function downloadCirculationSheet(ctx: IExecuteFunctions, client: FastClient, documentId: string, itemIndex: number): Promise<IBinaryData> {
	const download = await client.download({
		method: 'GET',
		path: `/documents/v2/${pathSegment(documentId, 'Document ID')}/getFdc`,
		itemIndex,
		subject: { documentId, action: 'download the fiche de circulation' },
	});
	return await binaryOutput(
		ctx,
		{ ...download, fileName: download.fileName ?? `fiche-de-circulation-${documentId}.pdf`, mimeType: download.mimeType ?? 'application/pdf' },
		`fiche-de-circulation-${documentId}.pdf`,
	);
}

/** The refusal comment, or null when FAST has none (code 102 is an answer, not an error). */
export async function fetchRefusalMessage(client: FastClient, documentId: string, itemIndex?: number): Promise<string | null> {
	const { text, recovered } = await client.text({
		method: 'GET',
		path: `/documents/v2/${pathSegment(documentId, 'Document ID')}/comments/refusal`,
		itemIndex,
		subject: { documentId, action: 'read the refusal comment' },
		recover: (error) => (error.errorCode === 102 ? { value: null } : undefined),
	});
	if (recovered) return null;
	const trimmed = text.trim();
	if (!trimmed) return null;
	// Plain text in practice; accept a JSON string or an object with a comment too.
	if (/^["{]/.test(trimmed)) {
		try {
			const parsed = JSON.parse(trimmed) as unknown;
			if (typeof parsed === 'string') return parsed || null;
			const record = parsed as IDataObject;
			const value = record.comment ?? record.message ?? record.refusalMessage ?? record.text;
			if (typeof value === 'string') return value || null;
		} catch {
			return trimmed;
		}
	}
	return trimmed;
}
