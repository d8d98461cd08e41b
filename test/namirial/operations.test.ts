/**
 * Every Trust and Sign operator operation, run through n8n's WorkflowExecute against the emulator:
 * what the node outputs, and what the emulator received.
 */
import { basicAuth, useNamirial } from './fixture';

const namirial = useNamirial();

const received = () => namirial.emulator.log.map(({ method, path, query, body }) => ({ method, path, query, body }));

describe('Trust and Sign operator operations', () => {
	test('getMany lists active operators, one item each, with Basic auth', async () => {
		const result = await namirial.run({ operation: 'getMany', returnAll: true });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.email)).toEqual([
			'admin@trust.example.fr',
			'jeanne.martin@agence.example.fr',
			'paul.durand@agence.example.fr',
		]);
		expect(result.items[1].json).toMatchObject({ firstName: 'Jeanne', lastName: 'Martin', state: 'ACTIVE', authorizations: ['VALIDATION'], reportTypes: ['ACTIVITY'], externalId: 'HR-001' });
		expect(result.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(received()).toEqual([{ method: 'GET', path: '/contract/management/users', query: { withInactive: 'false' }, body: '' }]);
		expect(namirial.emulator.log[0].headers.authorization).toBe(basicAuth);
	});

	test('getMany includes inactive operators on request and honours the limit', async () => {
		const all = await namirial.run({ operation: 'getMany', returnAll: true, withInactive: true });
		expect(all.items.map((item) => [item.json.email, item.json.state])).toContainEqual(['ancien.agent@agence.example.fr', 'DELETE']);
		expect(namirial.emulator.log[0].query).toEqual({ withInactive: 'true' });
		const limited = await namirial.run({ operation: 'getMany', returnAll: false, limit: 2 });
		expect(limited.items).toHaveLength(2);
	});

	test('create sends the documented keys (case-sensitive) and answers with the operator sent', async () => {
		const result = await namirial.run({
			operation: 'create',
			email: 'léa.dupont@agence.example.fr'.replace('é', 'e'),
			firstName: 'Léa',
			lastName: "D'Argent, Dupont",
			additionalFields: {
				authorizations: ['VALIDATION', 'CLIENT_FILES_DOWNLOAD'],
				reportTypes: ['ACTIVITY', 'EMAIL'],
				linkedToAllProducts: true,
				externalId: 'HR-77',
			},
		});
		expect(result.error).toBeUndefined();
		const body = {
			email: 'lea.dupont@agence.example.fr',
			firstName: 'Léa',
			lastName: "D'Argent, Dupont",
			authorizations: ['VALIDATION', 'CLIENT_FILES_DOWNLOAD'],
			reportTypes: ['ACTIVITY', 'EMAIL'],
			linkedToAllProducts: true,
			externalId: 'HR-77',
		};
		expect(received()).toEqual([{ method: 'POST', path: '/contract/management/users/create', query: {}, body }]);
		expect(result.items[0].json).toEqual({ ...body, created: true });
		expect(namirial.emulator.operator('lea.dupont@agence.example.fr')).toMatchObject({ firstName: 'Léa', linkedToAllProducts: true, linkedToAllGroups: false });
	});

	test('update sends only the fields set', async () => {
		const result = await namirial.run({
			operation: 'update',
			email: 'jeanne.martin@agence.example.fr',
			updateFields: { lastName: 'Martin-Roux', reportTypes: [] },
		});
		expect(result.error).toBeUndefined();
		expect(received()).toEqual([
			{ method: 'PUT', path: '/contract/management/users/update', query: {}, body: { email: 'jeanne.martin@agence.example.fr', lastName: 'Martin-Roux', reportTypes: [] } },
		]);
		expect(namirial.emulator.operator('jeanne.martin@agence.example.fr')).toMatchObject({ firstName: 'Jeanne', lastName: 'Martin-Roux', reportTypes: [], authorizations: ['VALIDATION'], externalId: 'HR-001' });
		expect(result.items[0].json).toEqual({ email: 'jeanne.martin@agence.example.fr', lastName: 'Martin-Roux', reportTypes: [], updated: true });
	});

	test('update with nothing to change sends nothing', async () => {
		const result = await namirial.run({ operation: 'update', email: 'jeanne.martin@agence.example.fr', updateFields: {} });
		expect(result.error?.message).toBe('Nothing to update');
		expect(namirial.emulator.log).toHaveLength(0);
	});

	test('delete sends a DELETE with the e-mail in a JSON body', async () => {
		const result = await namirial.run({ operation: 'delete', email: 'paul.durand@agence.example.fr' });
		expect(result.error).toBeUndefined();
		expect(received()).toEqual([{ method: 'DELETE', path: '/contract/management/users/delete', query: {}, body: { email: 'paul.durand@agence.example.fr' } }]);
		expect(namirial.emulator.log[0].headers['content-type']).toMatch(/application\/json/);
		expect(result.items[0].json).toEqual({ email: 'paul.durand@agence.example.fr', deleted: true });
		expect(namirial.emulator.operators.get('paul.durand@agence.example.fr')?.state).toBe('DELETE');
	});

	test('bindProducts and bindGroups send lists, from text or arrays', async () => {
		const products = await namirial.run({ operation: 'bindProducts', email: 'jeanne.martin@agence.example.fr', productsPublicId: 'P1, P2' });
		expect(products.error).toBeUndefined();
		const groups = await namirial.run(
			{ operation: 'bindGroups', email: '={{ $json.email }}', groupsLabel: '={{ $json.groups }}' },
			{ items: [{ email: 'paul.durand@agence.example.fr', groups: ['DEFAULT', 'Agence Nord'] }] },
		);
		expect(groups.error).toBeUndefined();
		expect(received()).toEqual([
			{ method: 'PUT', path: '/contract/management/users/products/bind', query: {}, body: { email: 'jeanne.martin@agence.example.fr', productsPublicId: ['P1', 'P2'] } },
			{ method: 'PUT', path: '/contract/management/users/groups/bind', query: {}, body: { email: 'paul.durand@agence.example.fr', groupsLabel: ['DEFAULT', 'Agence Nord'] } },
		]);
		expect(products.items[0].json).toEqual({ email: 'jeanne.martin@agence.example.fr', productsPublicId: ['P1', 'P2'] });
		expect(namirial.emulator.operator('paul.durand@agence.example.fr')?.groupsLabel).toEqual(['DEFAULT', 'Agence Nord']);
	});

	test('an unknown product is the API error, with its code, on the item', async () => {
		const result = await namirial.run({ operation: 'bindProducts', email: 'jeanne.martin@agence.example.fr', productsPublicId: 'P9' });
		expect(result.error?.message).toBe("Trust and Sign rejected operator jeanne.martin@agence.example.fr: Invalid parameter 'productsPublicId' format (Unknown product P9) (code 1005)");
	});

	test('single operations check the e-mail and the list delimiters before sending', async () => {
		const badEmail = await namirial.run({ operation: 'delete', email: 'john3.d@@@namirial.com' });
		expect(badEmail.error?.message).toBe("'Email' is not a valid e-mail address: \"john3.d@@@namirial.com\"");
		const badGroup = await namirial.run({ operation: 'bindGroups', email: 'paul.durand@agence.example.fr', groupsLabel: 'A|B' });
		expect(badGroup.error?.message).toMatch(/'Group Labels' has an item with a list delimiter/);
		expect(namirial.emulator.log).toHaveLength(0);
	});

	test('per-item operations process every item; Continue On Fail keeps going', async () => {
		const result = await namirial.run(
			{ operation: 'delete', email: '={{ $json.email }}' },
			{
				items: [{ email: 'paul.durand@agence.example.fr' }, { email: 'nobody@agence.example.fr' }, { email: 'jeanne.martin@agence.example.fr' }],
				node: { continueOnFail: true },
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.deleted ?? item.json.error, item.pairedItem])).toEqual([
			[true, { item: 0 }],
			["Trust and Sign rejected operator nobody@agence.example.fr: Operator 'nobody@agence.example.fr' not found (code 1000)", { item: 1 }],
			[true, { item: 2 }],
		]);
	});
});
