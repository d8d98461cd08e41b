/**
 * The pieces every output item is made of: an operation's result turned into items that carry
 * `pairedItem`, errors turned into the NodeApiError/NodeOperationError n8n shows, and the error
 * item Continue On Fail (or the error output) puts in a failed item's place. Errors and outputs
 * are redacted before they leave. The dispatcher (./dispatch) puts them together.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { apiError, operationError, redactError } from './errors';
import { isRejectedLogin, markRejectedLogin } from './request';
import { redactDeep } from './redaction';
import { InputError } from './validation';

/** What an operation gives for an item: JSON, or whole items (binary data), one or several. */
export type ItemResult = IDataObject | IDataObject[] | INodeExecutionData | INodeExecutionData[];

function isExecutionData(value: IDataObject | INodeExecutionData): value is INodeExecutionData {
	return typeof value.json === 'object' && value.json !== null && !Array.isArray(value.json);
}

/** The output items of a result, redacted, each paired with `pairedItem` (one input item, or several). */
export function toExecutionData(
	result: ItemResult,
	pairedItem: IPairedItemData | IPairedItemData[],
	secrets: readonly string[],
): INodeExecutionData[] {
	const list = Array.isArray(result) ? result : [result];
	return (list as Array<IDataObject | INodeExecutionData>).map((entry) => {
		const data = isExecutionData(entry) ? entry : { json: entry };
		return { ...data, json: redactDeep(data.json, secrets), pairedItem };
	});
}

/** Turns whatever an operation threw into the NodeApiError/NodeOperationError n8n shows. */
export function toNodeError(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	error: unknown,
	itemIndex: number | undefined,
	secrets: readonly string[],
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return redactError(error, secrets);
	}
	if (error instanceof InputError) {
		return operationError(ctx.getNode(), { message: error.message, description: error.description }, { itemIndex, secrets });
	}
	const message = error instanceof Error ? error.message : String(error);
	return operationError(ctx.getNode(), { message }, { itemIndex, secrets });
}

/**
 * What Continue On Fail puts in a failed item's place: n8n shows `json.error` and keeps the whole
 * error (description, HTTP code) in `error`.
 */
export function errorItem(error: NodeApiError | NodeOperationError, pairedItem: IPairedItemData | IPairedItemData[]): INodeExecutionData {
	return { json: { error: error.message }, error, pairedItem };
}

/**
 * Runs `operation` for every input item, one after the other. A failing item stops the node, or
 * with Continue On Fail becomes an error item while the others go on. `secrets` are hidden from
 * every output and error.
 */
export async function executePerItem(
	ctx: IExecuteFunctions,
	operation: (itemIndex: number) => Promise<ItemResult>,
	secrets: readonly string[] = [],
): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const output: INodeExecutionData[] = [];
	// A cancelled execution stops here, Continue On Fail or not: no further item is sent.
	const signal = ctx.getExecutionCancelSignal?.();
	// Credentials refused once: the other items get the same error, and nothing more is sent.
	let rejected: { error: NodeApiError | NodeOperationError; itemIndex: number } | undefined;
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		if (signal?.aborted) throw operationError(ctx.getNode(), { message: 'The execution was cancelled' }, { itemIndex });
		if (rejected) {
			const error = sameRejection(ctx, rejected, itemIndex);
			if (!ctx.continueOnFail()) throw error;
			output.push(errorItem(error, { item: itemIndex }));
			continue;
		}
		try {
			output.push(...toExecutionData(await operation(itemIndex), { item: itemIndex }, secrets));
		} catch (caught) {
			const error = toNodeError(ctx, caught, itemIndex, secrets);
			if (isRejectedLogin(caught)) rejected = { error, itemIndex };
			if (!ctx.continueOnFail() || signal?.aborted) throw error;
			output.push(errorItem(error, { item: itemIndex }));
		}
	}
	return output;
}

/**
 * The error of an item not sent because the credentials were refused for an earlier item of the
 * execution: the same message, and why nothing was sent for this one.
 */
function sameRejection(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	rejected: { error: NodeApiError | NodeOperationError; itemIndex: number },
	itemIndex: number,
): NodeApiError {
	const { error } = rejected;
	const note = `Not sent: the credentials were refused for item ${rejected.itemIndex + 1} of this execution, and each new try could lock the account.`;
	const httpCode = (error as NodeApiError).httpCode;
	return markRejectedLogin(
		apiError(
			ctx.getNode(),
			{ message: error.message, description: [error.description, note].filter(Boolean).join(' ') },
			{ itemIndex, httpCode: httpCode ? Number(httpCode) : undefined },
		),
	);
}
