/**
 * The one dispatcher of the action nodes. It reads `resource` and `operation`, opens the vendor's
 * session once per execution (its client and the secrets to hide), runs the operation the way it
 * works — per item, on the whole input, or in batches that answer per item — and applies in one
 * place what every node shares:
 *
 * - every output item carries `pairedItem`;
 * - with Continue On Fail (or the error output) a failed item becomes an error item and the others
 *   go on; without it the node stops with the error;
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

/** Runs once per input item; its result is that item's output. */
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

/**
 * Sends all input items in batches and answers per item (Trust and Sign CSV batches): one outcome
 * per input item, by index. It throws to stop the node (an item that fails its checks before
 * anything is sent, or a report of failed rows, without Continue On Fail).
 */
export interface BatchOperation<Client> {
	executeBatch(this: IExecuteFunctions, client: Client, secrets: readonly string[]): Promise<Array<ItemOutcome | undefined>>;
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
		if ('executeBatch' in operation) {
			let outcomes: Array<ItemOutcome | undefined>;
			try {
				outcomes = await operation.executeBatch.call(ctx, client, secrets);
			} catch (caught) {
				const error = toNodeError(ctx, caught, 0, secrets);
				if (!ctx.continueOnFail()) throw error;
				return [items.map((_, item) => errorItem(error, { item }))];
			}
			const output: INodeExecutionData[] = [];
			outcomes.forEach((outcome, item) => {
				if (!outcome) return;
				if ('result' in outcome) {
					output.push(...toExecutionData(outcome.result, { item }, secrets));
					return;
				}
				const error = toNodeError(ctx, outcome.error, item, secrets);
				if (!ctx.continueOnFail()) throw error;
				output.push(errorItem(error, { item }));
			});
			return [output];
		}
		return [await executePerItem(ctx, async (itemIndex) => await operation.execute.call(ctx, itemIndex, client), secrets)];
	} finally {
		session.close?.();
	}
}
