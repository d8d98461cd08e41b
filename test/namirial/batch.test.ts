/**
 * The CSV batch operations through WorkflowExecute: the CSV the emulator received (RFC 4180,
 * quoting, list columns, empty columns on update), the per-item outcome mapped back from the
 * report, failing rows with and without Continue On Fail, and batches split into several requests.
 */
import { fromItem, useNamirial } from './fixture';

const namirial = useNamirial();

const HEADER = 'email,firstName,lastName,authorizations,reportTypes,linkedToAllProducts,linkedToAllGroups,productsPublicId,groupsLabel,externalId\r\n';

const createParameters = {
	operation: 'createBatch',
	email: fromItem('email'),
	firstName: fromItem('first'),
	lastName: fromItem('last'),
	additionalFields: {
		authorizations: fromItem('authorizations'),
		groupsLabel: fromItem('groups'),
		productsPublicId: fromItem('products'),
		externalId: fromItem('externalId'),
	},
};

const person = (n: number, overrides: Record<string, unknown> = {}) => ({
	email: `agent${n}@agence.example.fr`,
	first: `Agent${n}`,
	last: 'Test',
	authorizations: ['VALIDATION'],
	groups: ['DEFAULT'],
	products: [],
	externalId: `E${n}`,
	...overrides,
});

describe('createBatch', () => {
	test('sends one RFC 4180 CSV as the multipart part csv, quoting names with commas, quotes, accents and line breaks', async () => {
		const items = [
			{ email: 'lea.dupont@agence.example.fr', first: 'Léa', last: 'Dupont, née Martin', authorizations: ['VALIDATION', 'CLIENT_FILES_DOWNLOAD'], groups: ['DEFAULT', 'Agence Nord'], products: 'P1,P2', externalId: 'HR-1' },
			{ email: 'jo.oconnor@agence.example.fr', first: 'Jo "Joe"', last: "O'Connor", authorizations: [], groups: [], products: [], externalId: '' },
			{ email: 'zoe.muller@agence.example.fr', first: 'Zoë', last: 'Müller\nSchmidt', authorizations: ['ADMINISTRATION'], groups: 'G2', products: ['P3'], externalId: ' padded ' /* trimmed */ },
		];
		const result = await namirial.run(createParameters, { items });
		expect(result.error).toBeUndefined();

		expect(namirial.emulator.log.map(({ method, path }) => `${method} ${path}`)).toEqual(['POST /contract/management/users/create/csv']);
		const [batch] = namirial.emulator.batches;
		expect(batch.fileName).toBe('operators.csv');
		expect(batch.text).toBe(
			HEADER +
				'lea.dupont@agence.example.fr,Léa,"Dupont, née Martin",[VALIDATION|CLIENT_FILES_DOWNLOAD],[],false,false,[P1|P2],[DEFAULT|Agence Nord],HR-1\r\n' +
				'jo.oconnor@agence.example.fr,"Jo ""Joe""",O\'Connor,[],[],false,false,[],[],\r\n' +
				'zoe.muller@agence.example.fr,Zoë,"Müller\nSchmidt",[ADMINISTRATION],[],false,false,[P3],[G2],padded\r\n',
		);
		expect(namirial.emulator.log[0].headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);

		expect(namirial.emulator.operator('lea.dupont@agence.example.fr')).toMatchObject({ lastName: 'Dupont, née Martin', groupsLabel: ['DEFAULT', 'Agence Nord'], productsPublicId: ['P1', 'P2'] });
		expect(namirial.emulator.operator('jo.oconnor@agence.example.fr')).toMatchObject({ firstName: 'Jo "Joe"', lastName: "O'Connor" });
		expect(namirial.emulator.operator('zoe.muller@agence.example.fr')).toMatchObject({ firstName: 'Zoë', lastName: 'Müller\nSchmidt', externalId: 'padded' });

		expect(result.items.map((item) => [item.json.email, item.json.success, item.pairedItem])).toEqual([
			['lea.dupont@agence.example.fr', true, { item: 0 }],
			['jo.oconnor@agence.example.fr', true, { item: 1 }],
			['zoe.muller@agence.example.fr', true, { item: 2 }],
		]);
		expect(result.items[0].json).toMatchObject({ action: 'create', firstName: 'Léa', authorizations: ['VALIDATION', 'CLIENT_FILES_DOWNLOAD'] });
	});

	test('with Continue On Fail, each bad row gets its own error from the report, the others succeed', async () => {
		const items = [person(1), person(2, { email: 'john3.d@@@namirial.com' }), person(3), person(4, { groups: ['NOPE'] }), person(5)];
		const result = await namirial.run(createParameters, { items, node: { continueOnFail: true } });
		expect(result.error).toBeUndefined();
		expect(namirial.emulator.log).toHaveLength(1);
		expect(result.items.map((item) => [item.pairedItem, item.json.success ?? false, item.json.error ?? null])).toEqual([
			[{ item: 0 }, true, null],
			[{ item: 1 }, false, "Trust and Sign rejected operator john3.d@@@namirial.com: Invalid parameter 'email' format (Invalid email format) (code 1005)"],
			[{ item: 2 }, true, null],
			[{ item: 3 }, false, "Trust and Sign rejected operator agent4@agence.example.fr: Invalid parameter 'groupsLabel' format (Unknown group NOPE) (code 1005)"],
			[{ item: 4 }, true, null],
		]);
		expect(result.items[1].error).toMatchObject({ description: expect.stringMatching(/^Row 2 of request 1 of 1 of the create batch/) });
		expect((result.items[1].error as unknown as { context: { itemIndex: number } }).context.itemIndex).toBe(1);
		expect(namirial.emulator.operator('agent5@agence.example.fr')).toBeDefined();
		expect(namirial.emulator.operator('agent4@agence.example.fr')).toBeUndefined();
	});

	test('with the error output, failed rows land on the second output', async () => {
		const items = [person(1), person(2, { email: 'bad@@example' }), person(3)];
		const result = await namirial.run(createParameters, { items, node: { onError: 'continueErrorOutput' } });
		expect(result.error).toBeUndefined();
		expect(result.outputs[0].map((item) => item.json.email)).toEqual(['agent1@agence.example.fr', 'agent3@agence.example.fr']);
		expect(result.outputs[1].map((item) => [item.json.error, item.pairedItem])).toEqual([
			["Trust and Sign rejected operator bad@@example: Invalid parameter 'email' format (Invalid email format) (code 1005)", { item: 1 }],
		]);
	});

	test('without Continue On Fail, the node fails naming every failed row (the other rows are created)', async () => {
		const items = [person(1), person(2, { email: 'john3.d@@@namirial.com' }), person(3), person(4, { email: 'x@y' })];
		const result = await namirial.run(createParameters, { items });
		expect(result.error?.message).toBe(
			"Trust and Sign rejected 2 of 4 operators in the create batch: item 1 (john3.d@@@namirial.com): Invalid parameter 'email' format (Invalid email format) (code 1005); item 3 (x@y): Invalid parameter 'email' format (Invalid email format) (code 1005)",
		);
		expect(result.error?.description).toMatch(/The other rows were created/);
		expect(namirial.emulator.operator('agent3@agence.example.fr')).toBeDefined();
	});

	test('an item value holding a list delimiter is rejected before sending', async () => {
		const items = [person(1), person(2, { groups: ['Nord|Sud'] })];
		const failed = await namirial.run(createParameters, { items });
		expect(failed.error?.message).toBe('\'Group Labels\' has an item with a list delimiter (\'|\', \'[\' or \']\'): "Nord|Sud"');
		expect(namirial.emulator.log).toHaveLength(0);

		const continued = await namirial.run(createParameters, { items, node: { continueOnFail: true } });
		expect(continued.items.map((item) => [item.pairedItem, item.json.success ?? item.json.error])).toEqual([
			[{ item: 0 }, true],
			[{ item: 1 }, expect.stringMatching(/list delimiter/)],
		]);
		expect(namirial.emulator.batches[0].rows.map((row) => row[0])).toEqual(['agent1@agence.example.fr']);
	});

	test('a batch larger than the batch size is split into several requests whose reports are merged', async () => {
		const items = Array.from({ length: 7 }, (_, n) => person(n + 1, n === 5 ? { email: 'bad@' } : {}));
		const result = await namirial.run({ ...createParameters, batchOptions: { batchSize: 3 } }, { items, node: { continueOnFail: true } });
		expect(result.error).toBeUndefined();
		expect(namirial.emulator.batches.map((batch) => batch.rows.map((row) => row[0]))).toEqual([
			['agent1@agence.example.fr', 'agent2@agence.example.fr', 'agent3@agence.example.fr'],
			['agent4@agence.example.fr', 'agent5@agence.example.fr', 'bad@'],
			['agent7@agence.example.fr'],
		]);
		// Row 2 of the second request is item 5.
		expect(result.items.map((item) => item.json.success ?? false)).toEqual([true, true, true, true, true, false, true]);
		expect(result.items[5]).toMatchObject({ json: { error: expect.stringMatching(/operator bad@: .*\(code 1005\)$/) }, pairedItem: { item: 5 } });
		expect(result.items[5].error?.description).toMatch(/Row 3 of request 2 of 3/);
	});

	test('the default batch size is 1,000 rows', async () => {
		const items = Array.from({ length: 2500 }, (_, n) => person(n + 1));
		const result = await namirial.run(createParameters, { items });
		expect(result.error).toBeUndefined();
		expect(namirial.emulator.batches.map((batch) => batch.rows.length)).toEqual([1000, 1000, 500]);
		expect(result.items).toHaveLength(2500);
		expect(result.items[2499].pairedItem).toEqual({ item: 2499 });
	});

	test('a failed request gives every item of its batch the error with Continue On Fail; POST is not retried', async () => {
		namirial.emulator.injectFault({ status: 503, body: { error: { message: 'Maintenance', code: 1000 } }, headers: { 'retry-after': '0' } });
		const result = await namirial.run(createParameters, { items: [person(1), person(2)], node: { continueOnFail: true } });
		expect(namirial.emulator.log).toHaveLength(1);
		expect(result.items.map((item) => [item.pairedItem, item.json.error])).toEqual([
			[{ item: 0 }, expect.stringMatching(/temporarily unavailable \(HTTP 503\): Maintenance/)],
			[{ item: 1 }, expect.stringMatching(/temporarily unavailable \(HTTP 503\): Maintenance/)],
		]);
	});
});

describe('a failed request without Continue On Fail', () => {
	test('stops the node with its error when it was the only request', async () => {
		namirial.emulator.injectFault({ status: 503, body: { error: { message: 'Maintenance', code: 1000 } }, headers: { 'retry-after': '0' } });
		const result = await namirial.run(createParameters, { items: [person(1), person(2)] });
		expect(result.error?.message).toMatch(/^Trust and Sign is temporarily unavailable \(HTTP 503\): Maintenance/);
		expect(namirial.emulator.log).toHaveLength(1);
	});

	test('the other requests are still sent; the node then fails naming every failed row', async () => {
		namirial.emulator.injectFault({ status: 503, body: { error: { message: 'Maintenance', code: 1000 } }, headers: { 'retry-after': '0' } });
		const result = await namirial.run({ ...createParameters, batchOptions: { batchSize: 1 } }, { items: [person(1), person(2, { email: 'bad@@example' }), person(3)] });
		expect(namirial.emulator.log).toHaveLength(3);
		expect(result.error?.message).toMatch(
			/^2 of 3 operators failed in the create batch: item 0 \(agent1@agence\.example\.fr\): Trust and Sign is temporarily unavailable \(HTTP 503\): Maintenance.*; item 1 \(bad@@example\): Invalid parameter 'email' format \(Invalid email format\) \(code 1005\)$/,
		);
		expect(result.error?.description).toMatch(/The other rows were created/);
		expect(namirial.emulator.operator('agent3@agence.example.fr')).toBeDefined();
	});
});

describe('report errors that name no row', () => {
	const UNATTRIBUTED =
		"Trust and Sign reported an error it did not attribute to a row: Invalid parameter 'email' format (Invalid email format) (code 1005); this row may not have been applied";

	test('fail every row of their request that has no error of its own: never a false success', async () => {
		namirial.emulator.unattributedRows.add('ghost@@agence.example.fr');
		const items = [person(1), person(2, { email: 'bad@@example' }), person(3, { email: 'ghost@@agence.example.fr' }), person(4)];
		const result = await namirial.run(createParameters, { items, node: { continueOnFail: true } });
		expect(result.error).toBeUndefined();
		expect(namirial.emulator.log).toHaveLength(1);
		expect(result.items.map((item) => [item.pairedItem, item.json.success ?? false, item.json.error])).toEqual([
			[{ item: 0 }, false, UNATTRIBUTED],
			[{ item: 1 }, false, "Trust and Sign rejected operator bad@@example: Invalid parameter 'email' format (Invalid email format) (code 1005)"],
			[{ item: 2 }, false, UNATTRIBUTED],
			[{ item: 3 }, false, UNATTRIBUTED],
		]);
		expect(result.items[0].error?.description).toMatch(/^Request 1 of 1 of the create batch: its report has errors that name no row/);
		expect((result.items[3].error as unknown as { context: { itemIndex: number } }).context.itemIndex).toBe(3);
		// Trust and Sign did create them: the node could not tell.
		expect(namirial.emulator.operator('agent1@agence.example.fr')).toBeDefined();
	});

	test('only the request whose report has them: the rows of the other requests keep their outcome', async () => {
		namirial.emulator.unattributedRows.add('ghost@@agence.example.fr');
		const items = [person(1), person(2), person(3), person(4, { email: 'ghost@@agence.example.fr' })];
		const result = await namirial.run({ ...createParameters, batchOptions: { batchSize: 2 } }, { items, node: { onError: 'continueErrorOutput' } });
		expect(result.error).toBeUndefined();
		expect(namirial.emulator.batches).toHaveLength(2);
		expect(result.outputs[0].map((item) => [item.pairedItem, item.json.success])).toEqual([
			[{ item: 0 }, true],
			[{ item: 1 }, true],
		]);
		expect(result.outputs[1].map((item) => [item.pairedItem, item.json.error])).toEqual([
			[{ item: 2 }, UNATTRIBUTED],
			[{ item: 3 }, UNATTRIBUTED],
		]);
		expect(result.outputs[1][0].error?.description).toMatch(/^Request 2 of 2 of the create batch/);
	});

	test('without Continue On Fail, the node fails naming every failed row', async () => {
		namirial.emulator.unattributedRows.add('ghost@@agence.example.fr');
		const items = [person(1), person(2, { email: 'ghost@@agence.example.fr' })];
		const result = await namirial.run(createParameters, { items });
		expect(result.error?.message).toBe(
			`2 of 2 operators failed in the create batch: item 0 (agent1@agence.example.fr): ${UNATTRIBUTED}; item 1 (ghost@@agence.example.fr): ${UNATTRIBUTED}`,
		);
		expect(result.error?.description).toMatch(/The other rows were created\. Turn on 'Continue On Fail'/);
	});

	test('a report that counts failures it does not list, or lists one that is not an object, fails its rows', async () => {
		namirial.emulator.injectFault({ status: 200, body: { action: 'create', usersSend: 2, usersSuccess: 1, usersError: 1, errors: [] } });
		const counted = await namirial.run(createParameters, { items: [person(1), person(2)], node: { continueOnFail: true } });
		expect(counted.items.map((item) => item.json.error)).toEqual([
			'Trust and Sign reported an error it did not attribute to a row: 1 failed row(s) counted in the report (usersError 1) but not listed; this row may not have been applied',
			'Trust and Sign reported an error it did not attribute to a row: 1 failed row(s) counted in the report (usersError 1) but not listed; this row may not have been applied',
		]);

		namirial.emulator.injectFault({ status: 200, body: { action: 'create', usersSend: 2, errors: ['Line 2: duplicate operator', { email: 'someone@else.fr', reason: 'Unknown' }] } });
		const listed = await namirial.run(createParameters, { items: [person(3), person(4)], node: { continueOnFail: true } });
		expect(listed.items.map((item) => item.json.error)).toEqual([
			'Trust and Sign reported 2 errors it did not attribute to a row: Line 2: duplicate operator; Unknown (for e-mail someone@else.fr); this row may not have been applied',
			'Trust and Sign reported 2 errors it did not attribute to a row: Line 2: duplicate operator; Unknown (for e-mail someone@else.fr); this row may not have been applied',
		]);
	});
});

describe('updateBatch', () => {
	test('leaves the columns of fields not set empty, so that they are not modified', async () => {
		const result = await namirial.run(
			{
				operation: 'updateBatch',
				email: fromItem('email'),
				updateFields: { firstName: fromItem('first'), authorizations: fromItem('authorizations'), linkedToAllGroups: fromItem('allGroups') },
			},
			{
				items: [
					{ email: 'jeanne.martin@agence.example.fr', first: '', authorizations: ['VALIDATION', 'UPDATE_CLIENT_FILES'], allGroups: true },
					{ email: 'paul.durand@agence.example.fr', first: 'Pâùl, "le grand"', authorizations: [], allGroups: '' },
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(namirial.emulator.log.map(({ method, path }) => `${method} ${path}`)).toEqual(['POST /contract/management/users/update/csv']);
		expect(namirial.emulator.batches[0].text).toBe(
			HEADER +
				'jeanne.martin@agence.example.fr,,,[VALIDATION|UPDATE_CLIENT_FILES],,,true,,,\r\n' +
				'paul.durand@agence.example.fr,"Pâùl, ""le grand""",,[],,,,,,\r\n',
		);
		expect(namirial.emulator.operator('jeanne.martin@agence.example.fr')).toMatchObject({
			firstName: 'Jeanne',
			lastName: 'Martin',
			authorizations: ['VALIDATION', 'UPDATE_CLIENT_FILES'],
			reportTypes: ['ACTIVITY'],
			linkedToAllGroups: true,
			externalId: 'HR-001',
			groupsLabel: ['DEFAULT'],
		});
		expect(namirial.emulator.operator('paul.durand@agence.example.fr')).toMatchObject({ firstName: 'Pâùl, "le grand"', lastName: 'Durand', authorizations: [], productsPublicId: ['P1'] });
		expect(result.items.map((item) => item.json)).toEqual([
			{ action: 'update', email: 'jeanne.martin@agence.example.fr', authorizations: ['VALIDATION', 'UPDATE_CLIENT_FILES'], linkedToAllGroups: true, success: true },
			{ action: 'update', email: 'paul.durand@agence.example.fr', firstName: 'Pâùl, "le grand"', authorizations: [], success: true },
		]);
	});

	test('an unknown operator is its row\'s error', async () => {
		const result = await namirial.run(
			{ operation: 'updateBatch', email: fromItem('email'), updateFields: { lastName: 'X' } },
			{ items: [{ email: 'nobody@agence.example.fr' }, { email: 'paul.durand@agence.example.fr' }], node: { continueOnFail: true } },
		);
		expect(result.items.map((item) => item.json.error ?? 'ok')).toEqual([
			"Trust and Sign rejected operator nobody@agence.example.fr: Operator 'nobody@agence.example.fr' not found (code 1000)",
			'ok',
		]);
	});
});

describe('deleteBatch', () => {
	test('sends DELETE with a one-column CSV and maps the report back', async () => {
		const result = await namirial.run(
			{ operation: 'deleteBatch', email: fromItem('email') },
			{ items: [{ email: 'jeanne.martin@agence.example.fr' }, { email: 'john3.d@@@namirial.com' }, { email: 'paul.durand@agence.example.fr' }], node: { continueOnFail: true } },
		);
		expect(result.error).toBeUndefined();
		expect(namirial.emulator.log.map(({ method, path }) => `${method} ${path}`)).toEqual(['DELETE /contract/management/users/delete/csv']);
		expect(namirial.emulator.batches[0].text).toBe('email\r\njeanne.martin@agence.example.fr\r\njohn3.d@@@namirial.com\r\npaul.durand@agence.example.fr\r\n');
		expect(result.items.map((item) => [item.pairedItem, item.json.success ?? item.json.error])).toEqual([
			[{ item: 0 }, true],
			[{ item: 1 }, "Trust and Sign rejected operator john3.d@@@namirial.com: Invalid parameter 'email' format (Invalid email format) (code 1005)"],
			[{ item: 2 }, true],
		]);
		expect(namirial.emulator.operators.get('paul.durand@agence.example.fr')?.state).toBe('DELETE');
	});

	test('DELETE is idempotent: retried after a 503 with Retry-After, with the same CSV', async () => {
		namirial.emulator.injectFault({ status: 503, headers: { 'retry-after': '0' }, body: { error: { message: 'Busy', code: 1000 } } });
		const result = await namirial.run({ operation: 'deleteBatch', email: fromItem('email') }, { items: [{ email: 'paul.durand@agence.example.fr' }] });
		expect(result.error).toBeUndefined();
		expect(namirial.emulator.log).toHaveLength(2);
		expect(namirial.emulator.log[1].rawBody.equals(namirial.emulator.log[0].rawBody)).toBe(true);
		expect(result.items[0].json).toEqual({ action: 'delete', email: 'paul.durand@agence.example.fr', deleted: true, success: true });
	});
});

describe('Data Mode "Auto-Map Input Data"', () => {
	test('createBatch reads the API-named fields of each item and ignores the others', async () => {
		const result = await namirial.run(
			{ operation: 'createBatch', dataMode: 'autoMapInputData' },
			{
				items: [
					{ email: 'a.b@agence.example.fr', firstName: 'Ànne', lastName: 'B, C', authorizations: 'VALIDATION, ADMINISTRATION', groupsLabel: ['G2'], linkedToAllGroups: 'true', department: 'ignored' },
					{ email: 'c.d@agence.example.fr', firstName: 'C', lastName: 'D', externalId: null },
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(namirial.emulator.batches[0].text).toBe(
			HEADER +
				'a.b@agence.example.fr,Ànne,"B, C",[VALIDATION|ADMINISTRATION],[],false,true,[],[G2],\r\n' +
				'c.d@agence.example.fr,C,D,[],[],false,false,[],[],\r\n',
		);
	});

	test('a key in the wrong case is named with the expected one, not ignored, and nothing is sent', async () => {
		const result = await namirial.run(
			{ operation: 'createBatch', dataMode: 'autoMapInputData' },
			{
				items: [
					{ email: 'a.b@agence.example.fr', FirstName: 'Anne', lastName: 'B' },
					{ email: 'c.d@agence.example.fr', firstName: 'C', lastName: 'D', ReportTypes: 'EMAIL' },
					{ email: 'e.f@agence.example.fr', firstName: 'E', lastName: 'F' },
				],
				node: { continueOnFail: true },
			},
		);
		expect(result.items.map((item) => item.json.error ?? item.json.success)).toEqual([
			"The item has 'FirstName' (expected 'firstName'): Auto-Map reads the API names, which are case-sensitive",
			"The item has 'ReportTypes' (expected 'reportTypes'): Auto-Map reads the API names, which are case-sensitive",
			true,
		]);
		expect(namirial.emulator.batches[0].rows.map((row) => row[0])).toEqual(['e.f@agence.example.fr']);
		const stopped = await namirial.run({ operation: 'deleteBatch', dataMode: 'autoMapInputData' }, { items: [{ Email: 'paul.durand@agence.example.fr' }] });
		expect(stopped.error?.message).toBe("The item has 'Email' (expected 'email'): Auto-Map reads the API names, which are case-sensitive");
		expect(stopped.error?.message).not.toMatch(/is required/);
	});

	test('updateBatch writes only the fields present; deleteBatch reads email', async () => {
		const updated = await namirial.run(
			{ operation: 'updateBatch', dataMode: 'autoMapInputData' },
			{ items: [{ email: 'paul.durand@agence.example.fr', lastName: 'Durand-Roy', firstName: '' }] },
		);
		expect(updated.error).toBeUndefined();
		expect(namirial.emulator.batches[0].rows).toEqual([['paul.durand@agence.example.fr', '', 'Durand-Roy', '', '', '', '', '', '', '']]);
		const deleted = await namirial.run({ operation: 'deleteBatch', dataMode: 'autoMapInputData' }, { items: [{ email: 'paul.durand@agence.example.fr' }, {}], node: { continueOnFail: true } });
		expect(deleted.items.map((item) => item.json.success ?? item.json.error)).toEqual([true, "'Email' is required"]);
		expect(namirial.emulator.batches[1].rows).toEqual([['paul.durand@agence.example.fr']]);
	});
});
