/**
 * The harness itself: a polling trigger runs through n8n-core's PollContext, its static data is
 * saved between polls the way n8n saves it, and a manual run ("Fetch test event") saves nothing.
 */
import type { IDataObject, INodeType, IPollFunctions } from 'n8n-workflow';

import { registerNodeType, runPoll } from '.';

class CountingTrigger implements INodeType {
	description = {
		displayName: 'Counting Trigger',
		name: 'countingTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Emits the next number at each poll',
		defaults: { name: 'Counting Trigger' },
		polling: true,
		inputs: [],
		outputs: ['main'],
		properties: [{ displayName: 'Step', name: 'step', type: 'number', default: 1 }],
	} as unknown as INodeType['description'];

	async poll(this: IPollFunctions) {
		const data = this.getWorkflowStaticData('node') as IDataObject;
		const next = Number(data.count ?? 0) + (this.getNodeParameter('step') as number);
		data.count = next;
		return [[{ json: { count: next, mode: this.getMode() } }]];
	}
}

registerNodeType('countingTrigger', new CountingTrigger());

test('static data survives between polls and manual runs move nothing', async () => {
	const first = await runPoll({ type: 'countingTrigger', parameters: { step: 2 } });
	expect(first.items?.[0].json).toEqual({ count: 2, mode: 'trigger' });
	expect(first.staticData).toEqual({ count: 2 });

	const second = await runPoll({ type: 'countingTrigger', parameters: { step: 2 }, staticData: first.staticData });
	expect(second.items?.[0].json.count).toBe(4);

	const manual = await runPoll({ type: 'countingTrigger', parameters: { step: 2 }, staticData: second.staticData, mode: 'manual' });
	expect(manual.items?.[0].json).toEqual({ count: 6, mode: 'manual' });
	expect(manual.staticData).toEqual({ count: 4 });
});

describe('the n8n line under test', () => {
	// `npm test` runs against the 1.x libraries of devDependencies; `npm run test:n8n2` maps
	// n8n-workflow and n8n-core to those of the installed n8n 2.x (jest.config.js).
	const line = process.env.N8N_TEST_N8N_DIR ? '2' : '1';

	test(`the nodes and the engine load n8n-workflow and n8n-core ${line}.x`, () => {
		const workflow = require('n8n-workflow/package.json') as { version: string };
		const core = require('n8n-core/package.json') as { version: string };
		expect(workflow.version.split('.')[0]).toBe(line);
		expect(core.version.split('.')[0]).toBe(line);
		expect(require.resolve('n8n-workflow')).toBe(require.resolve('n8n-workflow', { paths: [require.resolve('n8n-core')] }));
	});
});
