/**
 * The `newAcknowledgement`, `newPesRetour` and `newChorus` events: one item per id newly in the
 * SIREN's "remaining" list (files not yet fetched through the API). One request per poll.
 *
 * An id stays listed until its file is downloaded (field notes: downloading consumes it). The
 * trigger remembers when it delivered each listed id; one still listed after the grace period
 * is delivered again, marked `redelivery: true`, so a workflow that failed before fetching the
 * file does not lose it.
 */
import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { apiError } from '../../../shared/errors';
import type { BinaryOutputContext } from '../../../shared/files';
import { settleWithConcurrency } from '../../../shared/pool';
import { InputError } from '../../../shared/validation';
import type { RemainingKind } from '../actions/remaining';
import { downloadRemainingFile, listRemainingIds, REMAINING_KINDS } from '../actions/remaining';
import type { FastClient } from '../../transport';
import { checkStateVersion, compareIds, readDelivered, selectDeliveries, writeDelivered } from '../../trigger/state';

/** Files downloaded at once. */
export const DOWNLOAD_CONCURRENCY = 4;

export const DEFAULT_REDELIVERY_HOURS = 24;

export const LIST_EVENTS: Record<string, RemainingKind> = {
	newAcknowledgement: 'acknowledgement',
	newPesRetour: 'pesRetour',
	newChorus: 'chorus',
};

export interface ListWatch {
	kind: RemainingKind;
	siren: string;
	/** Put the file (binary) and its parsed XML into the item. */
	download: boolean;
	binaryPropertyName: string;
	/** Seconds after which an id still listed is delivered again; 0: never. */
	graceSeconds: number;
}

/** The redelivery option, checked before any request. */
export function readGraceSeconds(value: unknown): number {
	if (value === undefined || value === null || value === '') return DEFAULT_REDELIVERY_HOURS * 3600;
	const hours = Number(value);
	if (!Number.isFinite(hours) || hours < 0) {
		throw new InputError(`'Redeliver After (Hours)' must be a number of at least 0, got ${JSON.stringify(value)}`);
	}
	return Math.round(hours * 3600);
}

function listItem(watch: ListWatch, id: string, redelivery: boolean): IDataObject {
	return { documentId: id, siren: watch.siren, kind: watch.kind, redelivery };
}

/**
 * One poll of an active workflow. Without download every delivery is emitted; with download,
 * only the files that downloaded (the others stay undelivered and are tried at the next poll;
 * if none downloads, the poll throws and changes nothing).
 */
export async function pollRemainingList(
	node: INode,
	ctx: BinaryOutputContext,
	client: FastClient,
	staticData: IDataObject,
	watch: ListWatch,
	nowMs: number,
): Promise<INodeExecutionData[]> {
	checkStateVersion(staticData);
	const now = Math.floor(nowMs / 1000);
	const list = `${watch.kind}:${watch.siren}`;
	const listed = await listRemainingIds(client, watch.kind, watch.siren);
	const { deliveries, kept } = selectDeliveries(listed, readDelivered(staticData, list), now, watch.graceSeconds);
	const items: INodeExecutionData[] = [];
	if (!watch.download) {
		for (const { id, redelivery } of deliveries) {
			items.push({ json: listItem(watch, id, redelivery) });
			kept[id] = now;
		}
	} else {
		const results = await settleWithConcurrency(
			deliveries,
			async ({ id }) => await downloadRemainingFile(ctx, client, watch.kind, id, undefined, watch.binaryPropertyName),
			{ concurrency: DOWNLOAD_CONCURRENCY, keepGoing: ({ succeeded, failed }) => succeeded > 0 || failed < DOWNLOAD_CONCURRENCY },
		);
		const failures: unknown[] = [];
		results.forEach((result, index) => {
			const { id, redelivery } = deliveries[index];
			if (result.ok) {
				// The download's JSON adds the file name and the parsed XML.
				items.push({ json: { ...listItem(watch, id, redelivery), ...result.value.json }, binary: result.value.binary });
				kept[id] = now;
			} else if ('error' in result) failures.push(result.error);
		});
		if (items.length === 0 && failures.length > 0) {
			const first = failures[0] as Error & { description?: string | null };
			throw apiError(node, {
				message: `Could not download ${deliveries.length === 1 ? 'the new' : `any of the ${deliveries.length} new`} ${REMAINING_KINDS[watch.kind].label}${deliveries.length === 1 ? '' : 's'}: ${first?.message ?? String(first)}`,
				description: [first?.description, 'Nothing was changed: they are tried again at the next poll.'].filter(Boolean).join(' '),
			});
		}
	}
	writeDelivered(staticData, list, kept);
	return items;
}

/** "Fetch test event": the ids listed now, nothing downloaded (a download would consume them) and nothing remembered. */
export async function listedNow(client: FastClient, watch: ListWatch): Promise<INodeExecutionData[]> {
	const listed = [...new Set(await listRemainingIds(client, watch.kind, watch.siren))].sort(compareIds);
	return listed.map((id) => ({ json: listItem(watch, id, false) }));
}
