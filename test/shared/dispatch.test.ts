/**
 * The one dispatcher (nodes/shared/dispatch.ts), run by n8n's own engine through a probe node:
 * per-item, whole-input and batch operations (checks before sending, an outcome per item, a
 * missing outcome an error, the batch's stop error); one session per execution, closed whatever
 * happens; pairing, Continue On Fail and the error output; secrets hidden; a session that cannot
 * be opened (a credential that cannot be read) fails every item, each with its own error item.
 */
import type { IDataObject, IExecuteFunctions, INodeType } from 'n8n-workflow';

import type { BatchResult, ItemOutcome, PreparedItem, Resources, Session } from '../../nodes/shared/dispatch';
import { NO_RESULT_MESSAGE, dispatch } from '../../nodes/shared/dispatch';
import { registerNodeType, runNode } from '../harness';
import type { NodeUnderTest } from '../harness';

const SECRET = 'pr0be-s3cret';

/** What the probe's sessions went through, across the runs of one test. */
const sessions: Array<{ opened: number; closed: number }> = [];

/** The items each batch was given, across the runs of one test. */
const sent: number[][] = [];

interface ProbeClient {
	label: string;
}

const resources = {
	thing: {
		echo: {
			async execute(this: IExecuteFunctions, itemIndex: number, client: ProbeClient) {
				const json = this.getInputData()[itemIndex].json;
				if (json.fail) throw new Error(`Item ${itemIndex} refused (${SECRET})`);
				return { item: itemIndex, client: client.label, note: `the secret is ${SECRET}` };
			},
		},
		split: {
			async execute(this: IExecuteFunctions, itemIndex: number) {
				return [{ part: `${itemIndex}a` }, { part: `${itemIndex}b` }];
			},
		},
		summarise: {
			async executeAll(this: IExecuteFunctions, client: ProbeClient) {
				const items = this.getInputData();
				if (items.some((item) => item.json.fail)) throw new Error(`The whole input was refused (${SECRET})`);
				return { count: items.length, client: client.label };
			},
		},
		batch: {
			prepare(this: IExecuteFunctions, itemIndex: number) {
				if (this.getInputData()[itemIndex].json.invalid) throw new Error(`Item ${itemIndex} is invalid (${SECRET})`);
				return { row: itemIndex };
			},
			async executeBatch(this: IExecuteFunctions, prepared: ReadonlyArray<PreparedItem<{ row: number }>>, client: ProbeClient, secrets: readonly string[]): Promise<BatchResult> {
				sent.push(prepared.map(({ itemIndex }) => itemIndex));
				const items = this.getInputData();
				if (items.some((item) => item.json.stop)) throw new Error(`The batch stopped (${secrets.length} secret)`);
				const outcomes: ItemOutcome[] = [];
				for (const { itemIndex, row } of prepared) {
					const json = items[itemIndex].json;
					if (json.skip) continue;
					outcomes[itemIndex] = json.fail ? { error: new Error(`Row ${itemIndex} rejected`) } : { result: { row: row.row, client: client.label } };
				}
				const failed = prepared.filter(({ itemIndex }) => items[itemIndex].json.fail).map(({ itemIndex }) => itemIndex);
				const stopError = this.getNodeParameter('stopError', 0) ? new Error(`Rows ${failed.join(' and ')} rejected (${SECRET})`) : undefined;
				return { outcomes, stopError };
			},
		},
	},
} satisfies Resources<ProbeClient>;

class DispatchProbe implements INodeType {
	description = {
		displayName: 'Dispatch Probe',
		name: 'dispatchProbe',
		group: ['transform'],
		version: 1,
		description: 'Runs the dispatcher with test operations',
		defaults: { name: 'Dispatch Probe' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'Resource', name: 'resource', type: 'options', options: [{ name: 'Thing', value: 'thing' }], default: 'thing' },
			{ displayName: 'Operation', name: 'operation', type: 'string', default: 'echo' },
			{ displayName: 'Session Fails', name: 'sessionFails', type: 'boolean', default: false },
			{ displayName: 'Stop Error', name: 'stopError', type: 'boolean', default: false },
		],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions) {
		return await dispatch(this, resources, async (ctx): Promise<Session<ProbeClient>> => {
			if (ctx.getNodeParameter('sessionFails', 0)) throw new Error(`The credential could not be read (${SECRET})`);
			const record = { opened: 1, closed: 0 };
			sessions.push(record);
			return { client: { label: 'probe client' }, secrets: [SECRET], close: () => record.closed++ };
		});
	}
}

registerNodeType('dispatchProbe', new DispatchProbe());

async function probe(operation: string, items: IDataObject[], node: Partial<NodeUnderTest> = {}, parameters: IDataObject = {}) {
	return await runNode({ node: { type: 'dispatchProbe', parameters: { resource: 'thing', operation, ...parameters }, ...node }, items });
}

beforeEach(() => {
	sessions.length = 0;
	sent.length = 0;
});

describe('per-item operations', () => {
	test('every item runs with the execution\'s one client; outputs are paired and redacted', async () => {
		const result = await probe('echo', [{}, {}, {}]);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json, item.pairedItem])).toEqual(
			[0, 1, 2].map((item) => [{ item, client: 'probe client', note: 'the secret is [redacted]' }, { item }]),
		);
		expect(sessions).toEqual([{ opened: 1, closed: 1 }]);
	});

	test('several outputs for one item are each paired with it', async () => {
		const result = await probe('split', [{}, {}]);
		expect(result.items.map((item) => [item.json.part, item.pairedItem])).toEqual([
			['0a', { item: 0 }],
			['0b', { item: 0 }],
			['1a', { item: 1 }],
			['1b', { item: 1 }],
		]);
	});

	test('with Continue On Fail, a failing item becomes an error item, redacted and paired, and the others go on', async () => {
		const result = await probe('echo', [{}, { fail: true }, {}], { continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[1].json).toEqual({ error: 'Item 1 refused ([redacted])' });
		expect(result.items[1].error?.message).toBe('Item 1 refused ([redacted])');
		expect(sessions).toEqual([{ opened: 1, closed: 1 }]);
	});

	test('with the error output, the failing item goes to the second output', async () => {
		const result = await probe('echo', [{}, { fail: true }], { onError: 'continueErrorOutput' });
		expect(result.outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(result.outputs[1].map((item) => [item.json.error, item.pairedItem])).toEqual([['Item 1 refused ([redacted])', { item: 1 }]]);
	});

	test('without Continue On Fail, the node stops with the item\'s error, and the session is still closed', async () => {
		const result = await probe('echo', [{}, { fail: true }, {}]);
		expect(result.error?.message).toBe('Item 1 refused ([redacted])');
		expect(result.error?.name).toBe('NodeOperationError');
		expect((result.error as unknown as { context: IDataObject }).context.itemIndex).toBe(1);
		expect(sessions).toEqual([{ opened: 1, closed: 1 }]);
	});
});

describe('whole-input operations', () => {
	test('one output item, paired with every input item', async () => {
		const result = await probe('summarise', [{}, {}, {}]);
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toEqual({ count: 3, client: 'probe client' });
		expect(result.items[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(sessions).toEqual([{ opened: 1, closed: 1 }]);
	});

	test('a failure fails the whole input: one error item paired with every input item, or the node stops', async () => {
		const continued = await probe('summarise', [{}, { fail: true }], { continueOnFail: true });
		expect(continued.items).toHaveLength(1);
		expect(continued.items[0].json).toEqual({ error: 'The whole input was refused ([redacted])' });
		expect(continued.items[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);

		const stopped = await probe('summarise', [{}, { fail: true }]);
		expect(stopped.error?.message).toBe('The whole input was refused ([redacted])');
		expect(sessions).toEqual([
			{ opened: 1, closed: 1 },
			{ opened: 1, closed: 1 },
		]);
	});
});

describe('batch operations', () => {
	test('each outcome becomes its item\'s output or error item, paired with it', async () => {
		const result = await probe('batch', [{}, { fail: true }, {}], { continueOnFail: true });
		expect(result.items.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ row: 0, client: 'probe client' }, { item: 0 }],
			[{ error: 'Row 1 rejected' }, { item: 1 }],
			[{ row: 2, client: 'probe client' }, { item: 2 }],
		]);
		expect(sent).toEqual([[0, 1, 2]]);
	});

	test('an item the batch gives no outcome for becomes an error item ("no result for this item"), never vanishes', async () => {
		const result = await probe('batch', [{}, { skip: true }, {}], { continueOnFail: true });
		expect(result.items.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ row: 0, client: 'probe client' }, { item: 0 }],
			[{ error: NO_RESULT_MESSAGE }, { item: 1 }],
			[{ row: 2, client: 'probe client' }, { item: 2 }],
		]);
		expect(result.items[1].error?.description).toBe('The batch answered for 2 of the 3 items it was given; this item may or may not have been applied.');
		expect((result.items[1].error as unknown as { context: IDataObject }).context.itemIndex).toBe(1);

		const errorOutput = await probe('batch', [{ skip: true }, {}], { onError: 'continueErrorOutput' });
		expect(errorOutput.outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(errorOutput.outputs[1].map((item) => [item.json.error, item.pairedItem])).toEqual([[NO_RESULT_MESSAGE, { item: 0 }]]);
	});

	test('without Continue On Fail, an item without outcome stops the node, before the batch\'s own stop error', async () => {
		const result = await probe('batch', [{}, { fail: true }, { skip: true }], {}, { stopError: true });
		expect(result.error?.message).toBe(NO_RESULT_MESSAGE);
		expect(result.error?.name).toBe('NodeOperationError');
		expect((result.error as unknown as { context: IDataObject }).context.itemIndex).toBe(2);
	});

	test('without Continue On Fail, a failed outcome stops the node with that item\'s error, or the batch\'s stop error', async () => {
		const result = await probe('batch', [{}, { fail: true }, { fail: true }]);
		expect(result.error?.message).toBe('Row 1 rejected');
		expect((result.error as unknown as { context: IDataObject }).context.itemIndex).toBe(1);

		const named = await probe('batch', [{}, { fail: true }, { fail: true }], {}, { stopError: true });
		expect(named.error?.message).toBe('Rows 1 and 2 rejected ([redacted])');
		expect((named.error as unknown as { context: IDataObject }).context.itemIndex).toBe(1);

		const succeeded = await probe('batch', [{}, {}], {}, { stopError: true });
		expect(succeeded.error).toBeUndefined();
		expect(succeeded.items).toHaveLength(2);

		const continued = await probe('batch', [{}, { fail: true }], { continueOnFail: true }, { stopError: true });
		expect(continued.items.map((item) => item.json.error ?? 'ok')).toEqual(['ok', 'Row 1 rejected']);
	});

	test('an item that fails its checks stops the node before anything is sent, or with Continue On Fail is left out of the batch', async () => {
		const stopped = await probe('batch', [{}, { invalid: true }, {}]);
		expect(stopped.error?.message).toBe('Item 1 is invalid ([redacted])');
		expect((stopped.error as unknown as { context: IDataObject }).context.itemIndex).toBe(1);
		expect(sent).toEqual([]);

		const continued = await probe('batch', [{}, { invalid: true }, {}], { continueOnFail: true });
		expect(continued.items.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ row: 0, client: 'probe client' }, { item: 0 }],
			[{ error: 'Item 1 is invalid ([redacted])' }, { item: 1 }],
			[{ row: 2, client: 'probe client' }, { item: 2 }],
		]);
		expect(sent).toEqual([[0, 2]]);

		const none = await probe('batch', [{ invalid: true }], { continueOnFail: true });
		expect(none.items.map((item) => item.json.error)).toEqual(['Item 0 is invalid ([redacted])']);
		expect(sent).toEqual([[0, 2]]);
		expect(sessions.every((session) => session.closed === 1)).toBe(true);
	});

	test('a batch that throws fails every item it was given (one error item each with Continue On Fail)', async () => {
		const continued = await probe('batch', [{}, { stop: true }, { invalid: true }], { continueOnFail: true });
		expect(continued.items.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ error: 'The batch stopped (1 secret)' }, { item: 0 }],
			[{ error: 'The batch stopped (1 secret)' }, { item: 1 }],
			[{ error: 'Item 2 is invalid ([redacted])' }, { item: 2 }],
		]);
		const stopped = await probe('batch', [{}, { stop: true }]);
		expect(stopped.error?.message).toBe('The batch stopped (1 secret)');
		expect(sessions.every((session) => session.closed === 1)).toBe(true);
	});
});

describe('a session that cannot be opened', () => {
	test('stops the node with a NodeOperationError, without Continue On Fail', async () => {
		const result = await probe('echo', [{}, {}], {}, { sessionFails: true });
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe(`The credential could not be read (${SECRET})`);
		expect(sessions).toEqual([]);
	});

	test('fails every item with Continue On Fail: one error item per item, or one for a whole-input operation', async () => {
		const perItem = await probe('echo', [{}, {}, {}], { continueOnFail: true }, { sessionFails: true });
		expect(perItem.items.map((item) => [item.json.error, item.pairedItem])).toEqual(
			[0, 1, 2].map((item) => [`The credential could not be read (${SECRET})`, { item }]),
		);
		const batch = await probe('batch', [{}, {}], { onError: 'continueErrorOutput' }, { sessionFails: true });
		expect(batch.outputs[0]).toEqual([]);
		expect(batch.outputs[1].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const whole = await probe('summarise', [{}, {}], { continueOnFail: true }, { sessionFails: true });
		expect(whole.items).toHaveLength(1);
		expect(whole.items[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
	});

	test('a vendor node whose credential is missing reports it per item with Continue On Fail', async () => {
		const result = await runNode({
			node: { type: 'maarchCourrier', parameters: { resource: 'user', operation: 'getMany', returnAll: true }, continueOnFail: true },
			items: [{}, {}],
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of result.items) {
			expect(item.error?.name).toBe('NodeOperationError');
			expect(item.json.error).toMatch(/credential/i);
		}
	});
});

test('an operation the node does not have is refused before any session is opened', async () => {
	const result = await probe('teleport', [{}], { continueOnFail: true });
	expect(result.error?.message).toBe('The operation "teleport" of "thing" is not supported');
	expect(sessions).toEqual([]);
	const inherited = await probe('toString', [{}]);
	expect(inherited.error?.message).toBe('The operation "toString" of "thing" is not supported');
});
