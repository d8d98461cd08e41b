/**
 * The three per-SIREN file lists (Hélios acknowledgements, PES Retour, Chorus) work alike:
 * `GET /documents/v2/{siren}/<kind>/remaining` lists the ids not yet fetched through the API, and
 * `GET /documents/v2/{id}/<kind>/download` returns the XML (and, per the field notes, consumes
 * the id from the list). One implementation serves the three resources.
 */
import { PassThrough } from 'node:stream';

import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { OperationProperty } from '../../../shared/dispatch';
import type { BinaryOutputContext } from '../../../shared/files';
import { binaryOutput } from '../../../shared/files';
import { parseXml } from '../../../shared/xml';
import type { FastClient } from '../../transport';
import type { FastOperation } from './common';
import { documentIdProperty, getDocumentId, getSiren, outputBinaryProperty, sirenProperty } from './common';
import { pathSegment } from '../../../shared/path';

export type RemainingKind = 'acknowledgement' | 'pesRetour' | 'chorus';

/**
 * `label` names one file in running text, its proper nouns as they are written ("Hélios", "PES
 * Retour", "Chorus"), and `article` goes before it in the action names.
 */
export const REMAINING_KINDS: Record<RemainingKind, { segment: string; label: string; article: 'a' | 'an'; filePrefix: string }> = {
	acknowledgement: { segment: 'ack', label: 'Hélios acknowledgement', article: 'an', filePrefix: 'acquittement-helios' },
	// The page gives /ack/remaining for PES Retour too, a copy-paste slip; by analogy with
	// chorus the route is /pes-retour/remaining (field notes, unconfirmed).
	pesRetour: { segment: 'pes-retour', label: 'PES Retour', article: 'a', filePrefix: 'pes-retour' },
	chorus: { segment: 'chorus', label: 'Chorus file', article: 'a', filePrefix: 'chorus' },
};

/** XML larger than this is stored as a file but not parsed into the item's JSON. */
const MAX_PARSED_XML = 16 * 1024 * 1024;

/**
 * The ids of a remaining list as strings (FAST sends numbers; long ids keep their digits), or
 * undefined when the text is not the documented JSON array of ids (an HTML page, a truncated
 * body, an object): never ids made up from whatever digits the text holds.
 */
export function readRemainingIds(text: string): string[] | undefined {
	const trimmed = text.trim();
	if (!/^\[\s*(?:"?\d{1,19}"?\s*(?:,\s*"?\d{1,19}"?\s*)*)?\]$/.test(trimmed)) return undefined;
	return [...trimmed.matchAll(/\d{1,19}/g)].map((match) => match[0]);
}

export async function listRemainingIds(client: FastClient, kind: RemainingKind, siren: string, itemIndex?: number): Promise<string[]> {
	const { text, status } = await client.text({
		method: 'GET',
		path: `/documents/v2/${pathSegment(siren, 'SIREN')}/${REMAINING_KINDS[kind].segment}/remaining`,
		itemIndex,
		subject: { siren, action: `list the remaining ${REMAINING_KINDS[kind].label}s` },
	});
	const ids = readRemainingIds(text);
	if (!ids) throw client.unexpectedAnswer('a JSON list of document IDs, e.g. [320073963, 320073961]', text, status, itemIndex);
	return ids;
}

/** Downloads one file of a list as binary data, with its XML parsed when it is not huge. */
export async function downloadRemainingFile(
	ctx: BinaryOutputContext,
	client: FastClient,
	kind: RemainingKind,
	documentId: string,
	itemIndex: number | undefined,
	field: string,
): Promise<INodeExecutionData> {
	const { segment, label, filePrefix } = REMAINING_KINDS[kind];
	const download = await client.download({
		method: 'GET',
		path: `/documents/v2/${pathSegment(documentId, 'Document ID')}/${segment}/download`,
		itemIndex,
		subject: { documentId, action: `download the ${label}` },
	});
	// Keep a copy of the first MAX_PARSED_XML bytes for parsing while the file streams to storage.
	const chunks: Buffer[] = [];
	let kept = 0;
	let tooLarge = false;
	const tee = new PassThrough();
	download.stream.on('data', (chunk: Buffer) => {
		if (!tooLarge) {
			kept += chunk.length;
			if (kept > MAX_PARSED_XML) {
				tooLarge = true;
				chunks.length = 0;
			} else chunks.push(chunk);
		}
	});
	download.stream.pipe(tee);
	const data = await binaryOutput(
		ctx,
		{ stream: tee, fileName: download.fileName ?? `${filePrefix}-${documentId}.xml`, mimeType: 'application/xml' },
		`${filePrefix}-${documentId}.xml`,
	);
	const json: IDataObject = { documentId, kind, fileName: data.fileName };
	if (tooLarge) {
		json.xmlNotParsed = `The file is larger than ${MAX_PARSED_XML / 1024 / 1024} MB: it is in the binary field only.`;
	} else {
		try {
			// The bytes, not text: the file gives its own encoding (most PES files are ISO-8859-1).
			json.xml = parseXml(Buffer.concat(chunks));
		} catch (error) {
			json.xmlNotParsed = (error as Error).message;
		}
	}
	return { json, binary: { [field]: data } };
}

/** The `listRemaining` and `download` operations of one kind. */
export function remainingOperations(kind: RemainingKind): { listRemaining: FastOperation; download: FastOperation } {
	const { label } = REMAINING_KINDS[kind];
	return {
		listRemaining: {
			description: updateDisplayOptions({ show: { resource: [kind], operation: ['listRemaining'] } }, [sirenProperty]),
			async execute(this: IExecuteFunctions, itemIndex: number, client: FastClient): Promise<IDataObject[]> {
				const siren = getSiren(this, itemIndex, client);
				const ids = await listRemainingIds(client, kind, siren, itemIndex);
				return ids.map((id) => ({ documentId: id, siren, kind }));
			},
		},
		download: {
			description: updateDisplayOptions({ show: { resource: [kind], operation: ['download'] } }, [
				{ ...documentIdProperty, description: `The document whose ${label} to download (an ID from List Remaining)` },
				outputBinaryProperty,
			] as INodeProperties[]),
			async execute(this: IExecuteFunctions, itemIndex: number, client: FastClient): Promise<INodeExecutionData> {
				const documentId = getDocumentId(this, itemIndex);
				const field = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim() || 'data';
				return await downloadRemainingFile(this, client, kind, documentId, itemIndex, field);
			},
		},
	};
}

/** The Operation dropdown of a list resource. */
export function remainingOperationProperty<Kind extends RemainingKind>(
	kind: Kind,
): OperationProperty<Kind, keyof ReturnType<typeof remainingOperations>> {
	// The label as it is: n8n's sentence case lowers the common nouns only ("Download an Hélios
	// acknowledgement", "List remaining PES Retours").
	const { label, article } = REMAINING_KINDS[kind];
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [kind] } },
		options: [
			{ name: 'Download', value: 'download', action: `Download ${article} ${label}`, description: `Download one ${label} as XML (file and parsed JSON)` },
			{ name: 'List Remaining', value: 'listRemaining', action: `List remaining ${label}s`, description: `List the ${label}s not yet fetched through the API (one item per ID)` },
		],
		default: 'listRemaining',
	};
}
