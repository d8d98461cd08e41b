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
 * Runs `operation` for every input item, up to `concurrency` items at a time, and returns their
 * output in input order, each paired with its item. `secrets` are hidden from every output and
 * error.
 *
 * - Items go one at a time until one has been answered by the server (a success, or an error
 *   that is not a refused login): a wrong password costs one rejected request, and a login made
 *   by the first item serves the others. Then up to `concurrency` are in flight.
 * - A failing item stops the node with its error: no new item is started, those in flight are
 *   waited for, and the node fails with the error of the first failed item in input order (as
 *   one-at-a-time processing would). With Continue On Fail it becomes an error item and the
 *   others go on.
 * - Credentials refused once: the items not yet started get the same error, and nothing more is
 *   sent.
 * - A cancelled execution starts no new item, Continue On Fail or not.
 */
export async function executePerItem(
	ctx: IExecuteFunctions,
	operation: (itemIndex: number) => Promise<ItemResult>,
	secrets: readonly string[] = [],
	concurrency = 1,
): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	const signal = ctx.getExecutionCancelSignal?.();
	const outcomes: Array<{ output: INodeExecutionData[] } | { error: NodeApiError | NodeOperationError } | undefined> = [];
	let rejected: { error: NodeApiError | NodeOperationError; itemIndex: number } | undefined;
	let failed = false;
	let answered = false;
	const halted = () => signal?.aborted === true || (failed && !continueOnFail);

	const runItem = async (itemIndex: number): Promise<void> => {
		if (rejected) {
			outcomes[itemIndex] = { error: sameRejection(ctx, rejected, itemIndex) };
			failed = true;
			return;
		}
		try {
			outcomes[itemIndex] = { output: toExecutionData(await operation(itemIndex), { item: itemIndex }, secrets) };
			answered = true;
		} catch (caught) {
			const error = toNodeError(ctx, caught, itemIndex, secrets);
			if (isRejectedLogin(caught)) rejected ??= { error, itemIndex };
			// An error the server gave (not a check of the node's own, sent nothing) ends the one-at-a-time start.
			else if (caught instanceof NodeApiError) answered = true;
			outcomes[itemIndex] = { error };
			failed = true;
		}
	};

	let next = 0;
	while (next < items.length && !answered && !rejected && !halted()) await runItem(next++);
	const workers = Math.min(Math.max(1, Math.floor(concurrency)), items.length - next);
	// Each worker takes the next item until none is left or the node stops: items.length turns at most.
	const worker = async (): Promise<void> => {
		while (next < items.length && !halted()) await runItem(next++);
	};
	await Promise.all(Array.from({ length: workers }, async () => await worker()));

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const outcome = outcomes[itemIndex];
		// Not started: the execution was cancelled (an earlier failed item has been thrown).
		if (!outcome) throw operationError(ctx.getNode(), { message: 'The execution was cancelled' }, { itemIndex });
		if ('output' in outcome) {
			output.push(...outcome.output);
			continue;
		}
		if (!continueOnFail || signal?.aborted) throw withConcurrentNote(outcome.error, outcomes, itemIndex, concurrency);
		output.push(errorItem(outcome.error, { item: itemIndex }));
	}
	return output;
}

/**
 * The error that stops the node, saying which later items were sent at the same time and went
 * through (they may have been applied: the user must not send them twice).
 */
function withConcurrentNote(
	error: NodeApiError | NodeOperationError,
	outcomes: Array<{ output: INodeExecutionData[] } | { error: unknown } | undefined>,
	failedIndex: number,
	concurrency: number,
): NodeApiError | NodeOperationError {
	const done = outcomes.flatMap((outcome, itemIndex) => (itemIndex > failedIndex && outcome && 'output' in outcome ? [itemIndex + 1] : []));
	if (done.length === 0) return error;
	const list = done.length > 10 ? `${done.slice(0, 10).join(', ')} and ${done.length - 10} more` : done.join(', ');
	const note = `Meanwhile item${done.length === 1 ? '' : 's'} ${list}, sent at the same time as this one (Concurrency ${concurrency}), went through: do not send ${done.length === 1 ? 'it' : 'them'} again.`;
	error.description = [error.description, note].filter(Boolean).join(' ');
	return error;
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
