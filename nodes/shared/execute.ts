/**
 * The per-item loop every action node runs: each input item is processed, every output item
 * carries `pairedItem`, and with "Continue On Fail" (or the error output) a failing item becomes
 * an error item while the others go on. Errors and outputs are redacted before they leave.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { operationError, redactError } from './errors';
import { redactDeep } from './redaction';
import { InputError } from './validation';

export type ItemResult = IDataObject | IDataObject[] | INodeExecutionData | INodeExecutionData[];

function isExecutionData(value: IDataObject | INodeExecutionData): value is INodeExecutionData {
	return typeof value.json === 'object' && value.json !== null && !Array.isArray(value.json);
}

function toExecutionData(result: ItemResult, itemIndex: number, secrets: readonly string[]): INodeExecutionData[] {
	const list = Array.isArray(result) ? result : [result];
	return (list as Array<IDataObject | INodeExecutionData>).map((entry) => {
		const data = isExecutionData(entry) ? entry : { json: entry };
		return { ...data, json: redactDeep(data.json, secrets), pairedItem: { item: itemIndex } };
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
 * Runs `operation` for every input item. `secrets` are hidden from every output and error.
 */
export async function executePerItem(
	ctx: IExecuteFunctions,
	operation: (itemIndex: number) => Promise<ItemResult>,
	secrets: readonly string[] = [],
): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			output.push(...toExecutionData(await operation(itemIndex), itemIndex, secrets));
		} catch (caught) {
			const error = toNodeError(ctx, caught, itemIndex, secrets);
			if (!ctx.continueOnFail()) throw error;
			// n8n shows `json.error` and keeps the whole error (description, HTTP code) in `error`.
			output.push({ json: { error: error.message }, error, pairedItem: { item: itemIndex } });
		}
	}
	return output;
}

/** One operation file: runs the operation for one item. */
export interface Operation {
	execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemResult>;
}

/** Dispatches on the node's `resource` and `operation` and runs the operation for every item. */
export async function routeOperation(
	ctx: IExecuteFunctions,
	resources: Record<string, Record<string, Operation>>,
	secrets: readonly string[],
): Promise<INodeExecutionData[][]> {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const handler = resources[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	return [await executePerItem(ctx, async (itemIndex) => await handler.execute.call(ctx, itemIndex), secrets)];
}
