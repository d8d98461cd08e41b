/**
 * The one dispatcher of the action nodes. It reads `resource` and `operation`, opens the vendor's
 * session once per execution (its client and the secrets to hide), runs the operation the way it
 * works — per item, on the whole input, or in batches that answer per item — and applies in one
 * place what every node shares:
 *
 * - every output item carries `pairedItem`; per-item operations run up to the node's Concurrency
 *   items at a time, the output in input order;
 * - with Continue On Fail (or the error output) a failed item becomes an error item and the others
 *   go on; without it the node stops with the error (a batch: at the first item that fails its
 *   checks, before anything is sent, or once sent, with the error naming every failed item);
 * - an item a batch gives no outcome for fails ("no result for this item"), never vanishes;
 * - outputs and errors are redacted with the session's secrets;
 * - a session that cannot be opened (a credential that cannot be read or used) fails every item
 *   with the same error, each as its own error item with Continue On Fail.
 *
 * The names are typed: a node's resources map (`satisfies Resources<Client>`) is what its
 * Resource field is checked against (`ResourceProperty`), and each resource's operations are what
 * its Operation field is checked against (`OperationProperty`). An option naming an operation
 * that has no implementation, or a misspelt one, fails `npm run typecheck`, not a user's workflow.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions, IPairedItemData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ItemResult } from './execute';
import { errorItem, executePerItem, toExecutionData, toNodeError } from './execute';
import { getConcurrency } from './request';

/** What a vendor opens once per execution. */
export interface Session<Client> {
	client: Client;
	/** Hidden from every output and error. */
	secrets: readonly string[];
	/** Called once the operation is done, whatever its outcome. */
	close?(): void;
}

export type OpenSession<Client> = (ctx: IExecuteFunctions) => Promise<Session<Client>>;

/** A session without a client, for vendors whose transport reads the credential itself. */
export function secretsOnly(readSecrets: (ctx: IExecuteFunctions) => Promise<readonly string[]>): OpenSession<undefined> {
	return async (ctx) => ({ client: undefined, secrets: await readSecrets(ctx) });
}

/**
 * Runs once per input item; its result is that item's output. Items are independent: they run
 * up to the node's Concurrency at a time (Request Options), the output in input order.
 */
export interface ItemOperation<Client> {
	execute(this: IExecuteFunctions, itemIndex: number, client: Client): Promise<ItemResult>;
}

/**
 * Turns all input items into one result (FAST User > Synchronize: one request for all users). The
 * output is paired with every input item; a failure fails them all at once.
 */
export interface WholeInputOperation<Client> {
	executeAll(this: IExecuteFunctions, client: Client): Promise<ItemResult>;
}

/** What became of one input item of a batch. */
export type ItemOutcome = { result: ItemResult } | { error: unknown };

/** An input item that passed its checks, with what its batch sends for it. */
export interface PreparedItem<Row> {
	itemIndex: number;
	row: Row;
}

/** What a batch answers: the outcome of each item it was given, and how to stop if one failed. */
export interface BatchResult {
	/** By input item index: one for every prepared item (a missing one fails its item). */
	outcomes: Array<ItemOutcome | undefined>;
	/**
	 * What the node stops with, without Continue On Fail, when an item of the batch failed: an
	 * error that names every failed item (the dispatcher otherwise stops with the first one's).
	 */
	stopError?: unknown;
}

/**
 * Sends all input items in batches and answers per item (Trust and Sign CSV batches). The
 * dispatcher first runs `prepare` for every item: an item that fails its checks stops the node
 * before anything is sent, or with Continue On Fail becomes an error item while the others are
 * sent. `executeBatch` then sends the prepared items and returns one outcome per item; it applies
 * no Continue On Fail of its own. It throws only when nothing can be sent (every item fails).
 */
export interface BatchOperation<Client, Row = unknown> {
	prepare(this: IExecuteFunctions, itemIndex: number, client: Client): Row | Promise<Row>;
	executeBatch(
		this: IExecuteFunctions,
		prepared: ReadonlyArray<PreparedItem<Row>>,
		client: Client,
		secrets: readonly string[],
	): Promise<BatchResult>;
}

export type Operation<Client> = ItemOperation<Client> | WholeInputOperation<Client> | BatchOperation<Client>;

/** A node's resources and their operations, under the values its Resource and Operation fields offer. */
export type Resources<Client> = Record<string, Record<string, Operation<Client>>>;

/** The Resource field of a node: every option, and the default, is a key of the node's resources map. */
export type ResourceProperty<Names extends string> = Omit<INodeProperties, 'name' | 'type' | 'options' | 'default'> & {
	name: 'resource';
	type: 'options';
	options: Array<INodePropertyOptions & { value: Names }>;
	default: Names;
};

/** The Operation field of a resource: shown for that resource, every option and the default an operation of it. */
export type OperationProperty<Resource extends string, Names extends string> = Omit<
	INodeProperties,
	'name' | 'type' | 'options' | 'default' | 'displayOptions'
> & {
	name: 'operation';
	type: 'options';
	displayOptions: { show: { resource: [Resource] } };
	options: Array<INodePropertyOptions & { value: Names }>;
	default: Names;
};

function everyItem(items: INodeExecutionData[]): IPairedItemData[] {
	return items.map((_, item) => ({ item }));
}

/** Runs the node's operation for the execution; see the top of this file. */
export async function dispatch<Client>(
	ctx: IExecuteFunctions,
	resources: Resources<Client>,
	open: OpenSession<Client>,
): Promise<INodeExecutionData[][]> {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operationName = ctx.getNodeParameter('operation', 0) as string;
	// The names are checked at build time; a workflow edited by hand can still hold anything.
	const operation = Object.hasOwn(resources, resource) && Object.hasOwn(resources[resource], operationName)
		? resources[resource][operationName]
		: undefined;
	if (!operation) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operationName}" of "${resource}" is not supported`);
	}
	const items = ctx.getInputData();
	const wholeInput = 'executeAll' in operation;

	let session: Session<Client>;
	try {
		session = await open(ctx);
	} catch (caught) {
		const error = toNodeError(ctx, caught, 0, []);
		if (!ctx.continueOnFail()) throw error;
		return [wholeInput ? [errorItem(error, everyItem(items))] : items.map((_, item) => errorItem(error, { item }))];
	}

	const { client, secrets } = session;
	try {
		if ('executeAll' in operation) {
			try {
				return [toExecutionData(await operation.executeAll.call(ctx, client), everyItem(items), secrets)];
			} catch (caught) {
				const error = toNodeError(ctx, caught, 0, secrets);
				if (!ctx.continueOnFail()) throw error;
				return [[errorItem(error, everyItem(items))]];
			}
		}
		if ('executeBatch' in operation) return [await runBatch(ctx, operation, client, secrets)];
		return [await executePerItem(ctx, async (itemIndex) => await operation.execute.call(ctx, itemIndex, client), secrets, getConcurrency(ctx))];
	} finally {
		session.close?.();
	}
}

/** The message of an item the batch gave no outcome for (a bug of the operation, never a silent drop). */
export const NO_RESULT_MESSAGE = 'The batch operation gave no result for this item';

/**
 * A batch operation, per item: checks, then one send of the prepared items, then each outcome
 * becomes its item's output or error item. Without Continue On Fail, the node stops at the first
 * item that fails its checks (nothing sent), or once the batch is done with: an item without
 * outcome, else the batch's `stopError`, else the first failed item's error.
 */
async function runBatch<Client>(
	ctx: IExecuteFunctions,
	operation: BatchOperation<Client>,
	client: Client,
	secrets: readonly string[],
): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	const outcomes: Array<ItemOutcome | undefined> = [];
	const prepared: Array<PreparedItem<unknown>> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			prepared.push({ itemIndex, row: await operation.prepare.call(ctx, itemIndex, client) });
		} catch (caught) {
			const error = toNodeError(ctx, caught, itemIndex, secrets);
			if (!continueOnFail) throw error;
			outcomes[itemIndex] = { error };
		}
	}

	if (prepared.length > 0) {
		let batch: BatchResult;
		try {
			batch = await operation.executeBatch.call(ctx, prepared, client, secrets);
		} catch (caught) {
			const error = toNodeError(ctx, caught, prepared[0].itemIndex, secrets);
			if (!continueOnFail) throw error;
			batch = { outcomes: [] };
			for (const { itemIndex } of prepared) batch.outcomes[itemIndex] = { error };
		}
		const answered = prepared.filter(({ itemIndex }) => batch.outcomes[itemIndex]).length;
		const missing: number[] = [];
		const failed: number[] = [];
		for (const { itemIndex } of prepared) {
			const outcome = batch.outcomes[itemIndex];
			if (!outcome) missing.push(itemIndex);
			else if ('error' in outcome) failed.push(itemIndex);
			outcomes[itemIndex] = outcome ?? {
				error: new NodeOperationError(ctx.getNode(), NO_RESULT_MESSAGE, {
					itemIndex,
					description: `The batch answered for ${answered} of the ${prepared.length} items it was given; this item may or may not have been applied.`,
				}),
			};
		}
		if (!continueOnFail && missing.length > 0) {
			throw toNodeError(ctx, (outcomes[missing[0]] as { error: unknown }).error, missing[0], secrets);
		}
		if (!continueOnFail && failed.length > 0) {
			throw toNodeError(ctx, batch.stopError ?? (outcomes[failed[0]] as { error: unknown }).error, failed[0], secrets);
		}
	}

	// Every item has its outcome: it failed its checks, or it was prepared and the batch answered.
	const output: INodeExecutionData[] = [];
	outcomes.forEach((outcome, item) => {
		if (outcome && 'result' in outcome) output.push(...toExecutionData(outcome.result, { item }, secrets));
		else if (outcome) output.push(errorItem(toNodeError(ctx, outcome.error, item, secrets), { item }));
	});
	return output;
}
