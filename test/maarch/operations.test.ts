/**
 * Every Maarch Courrier operation, run through n8n's WorkflowExecute against the emulator:
 * what the node outputs, and what the emulator received.
 */
import { basicAuth, byId, byLogin, useMaarch } from './fixture';

const maarch = useMaarch();

const received = () => maarch.emulator.log.map(({ method, path, body }) => ({ method, path, body }));

describe('Maarch Courrier user operations', () => {
	test('create sends one request (after the execution\'s one user list), the documented body, and outputs the user as Maarch stores it', async () => {
		const result = await maarch.run({
			operation: 'create',
			login: 'bwayne',
			firstname: 'Bruce',
			lastname: 'Wayne',
			mail: 'bruce.wayne@wcorp.com',
			additionalFields: { phone: '+33120212223', initials: 'BW' },
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toEqual({
			id: 14,
			user_id: 'bwayne',
			firstname: 'Bruce',
			lastname: 'Wayne',
			status: 'OK',
			mail: 'bruce.wayne@wcorp.com',
			mode: 'standard',
			initials: 'BW',
			phone: '+33120212223',
			groups: [],
			entities: [],
			external_id: {},
		});
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		// The user list, once per execution (to tell a restored account by its ID), then the creation. Nothing is read back.
		expect(received()).toEqual([
			{ method: 'GET', path: '/rest/users', body: '' },
			{
				method: 'POST',
				path: '/rest/users',
				body: { userId: 'bwayne', firstname: 'Bruce', lastname: 'Wayne', mail: 'bruce.wayne@wcorp.com', phone: '+33120212223', initials: 'BW' },
			},
		]);
		expect(maarch.emulator.log[1].headers.authorization).toBe(basicAuth);
		expect(maarch.emulator.log[1].headers['content-type']).toMatch(/application\/json/);

		// The same keys, values and types as the account read back (what Create output when it read it back).
		const stored = await maarch.run({ operation: 'get', userId: byId(14) });
		expect(result.items[0].json).toEqual(stored.items[0].json);
	});

	test('create without optional fields outputs what Maarch sets: standard mode, empty initials and phone', async () => {
		const result = await maarch.run({
			operation: 'create',
			login: 'rest.api',
			firstname: 'Robot',
			lastname: 'API',
			mail: 'robot.api@mairie.example.fr',
			additionalFields: { mode: 'rest' },
		});
		expect(result.items[0].json).toMatchObject({ id: 14, user_id: 'rest.api', mode: 'rest', initials: '', phone: '', status: 'OK' });
		const plain = await maarch.run({ operation: 'create', login: 'plain', firstname: 'P', lastname: 'Lain', mail: 'p.lain@mairie.example.fr' });
		expect(plain.items[0].json).toMatchObject({ id: 15, mode: 'standard', initials: '', phone: '' });
		expect(received().map(({ method, path }) => `${method} ${path}`)).toEqual(['GET /rest/users', 'POST /rest/users', 'GET /rest/users', 'POST /rest/users']);
		for (const id of [14, 15]) {
			const stored = await maarch.run({ operation: 'get', userId: byId(id) });
			expect(stored.items[0].json).toEqual(id === 14 ? result.items[0].json : plain.items[0].json);
		}
	});

	test('create processes every input item with expressions, one request each after one user list', async () => {
		const result = await maarch.run(
			{
				operation: 'create',
				login: '={{ $json.login }}',
				firstname: '={{ $json.first }}',
				lastname: '={{ $json.last }}',
				mail: '={{ $json.mail }}',
			},
			{
				items: [
					{ login: 'a.martin', first: 'Alice', last: 'Martin', mail: 'alice.martin@mairie.example.fr' },
					{ login: 'e.petit', first: 'Émile', last: 'Petit', mail: 'emile.petit@mairie.example.fr' },
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.user_id, item.json.firstname, item.pairedItem])).toEqual([
			['a.martin', 'Alice', { item: 0 }],
			['e.petit', 'Émile', { item: 1 }],
		]);
		expect(maarch.emulator.findByLogin('e.petit')?.firstname).toBe('Émile');
		expect(received().map(({ method, path }) => `${method} ${path}`)).toEqual(['GET /rest/users', 'POST /rest/users', 'POST /rest/users']);
		expect(result.nodes['Manual Trigger'].outputs[0]).toHaveLength(2);
	});

	test('1,000 creations cost 1,001 requests (one user list), and each output is the account Maarch stored', async () => {
		const items = Array.from({ length: 1000 }, (_, index) => ({ login: `agent${index}`, last: `Numéro ${index}` }));
		const result = await maarch.run(
			{
				operation: 'create',
				login: '={{ $json.login }}',
				firstname: 'Agent',
				lastname: '={{ $json.last }}',
				mail: '={{ $json.login }}@mairie.example.fr',
			},
			{ items },
		);
		expect(result.error).toBeUndefined();
		expect(maarch.emulator.log).toHaveLength(1001);
		expect(maarch.emulator.log[0]).toMatchObject({ method: 'GET', path: '/rest/users' });
		expect(maarch.emulator.log.slice(1).every((entry) => entry.method === 'POST' && entry.path === '/rest/users')).toBe(true);
		expect(result.items).toHaveLength(1000);
		result.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			const stored = maarch.emulator.findByLogin(`agent${index}`)!;
			// The ID answered for this item's request, whatever order concurrent requests arrived in.
			expect(item.json).toMatchObject({ id: stored.id, user_id: stored.user_id, lastname: stored.lastname, mail: stored.mail, status: stored.status });
		});
	});

	test('get by ID outputs the user with groups and entities', async () => {
		const result = await maarch.run({ operation: 'get', userId: byId(10) });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			id: 10,
			user_id: 'bbain',
			firstname: 'Barbara',
			groups: [{ group_id: 'AGENT', group_desc: 'Agents' }],
		});
		expect(received()).toEqual([{ method: 'GET', path: '/rest/users/10', body: '' }]);
	});

	test('get by login looks the login up in the user list first', async () => {
		const result = await maarch.run({ operation: 'get', userId: byLogin('ccordy') });
		expect(result.items[0].json).toMatchObject({ id: 12, user_id: 'ccordy' });
		expect(received().map(({ method, path }) => `${method} ${path}`)).toEqual([
			'GET /rest/users',
			'GET /rest/users/12',
		]);
	});

	test('users picked by login: the user list is read once for the execution, not once per item', async () => {
		const result = await maarch.run(
			{ operation: 'get', userId: byLogin('={{ $json.login }}') },
			{ items: [{ login: 'bbain' }, { login: 'ccordy' }, { login: 'HLENOIR' }] },
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.user_id)).toEqual(['bbain', 'ccordy', 'hlenoir']);
		const paths = received().map(({ method, path }) => `${method} ${path}`);
		expect(paths.filter((path) => path === 'GET /rest/users')).toHaveLength(1);
		expect(paths.sort()).toEqual(['GET /rest/users', 'GET /rest/users/10', 'GET /rest/users/11', 'GET /rest/users/12']);
	});

	test('a login missing from the list read earlier is looked up in a fresh list before it is reported', async () => {
		const result = await maarch.run(
			{ operation: 'get', userId: byLogin('={{ $json.login }}'), requestOptions: { concurrency: 1 } },
			{ items: [{ login: 'bbain' }, { login: 'ghost' }], node: { onError: 'continueRegularOutput' } },
		);
		expect(result.items[0].json).toMatchObject({ id: 10 });
		expect(result.items[1].json).toEqual({ error: "No Maarch Courrier user has the login 'ghost'" });
		expect(received().map(({ method, path }) => `${method} ${path}`)).toEqual([
			'GET /rest/users',
			'GET /rest/users/10',
			'GET /rest/users',
		]);
	});

	test('get from the list uses the picked ID', async () => {
		const result = await maarch.run({ operation: 'get', userId: { __rl: true, mode: 'list', value: '11', cachedResultName: 'Hélène Lenoir (hlenoir)' } });
		expect(result.items[0].json).toMatchObject({ id: 11, user_id: 'hlenoir' });
	});

	test('getMany returns one item per active user, with a limit', async () => {
		const all = await maarch.run({ operation: 'getMany', returnAll: true });
		expect(all.items.map((item) => item.json.user_id)).toEqual(['ws_n8n', 'bbain', 'hlenoir', 'ccordy']);
		expect(all.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);

		const limited = await maarch.run({ operation: 'getMany', returnAll: false, limit: 2 });
		expect(limited.items.map((item) => item.json.user_id)).toEqual(['ws_n8n', 'bbain']);
	});

	test('getMany filters by status, mode and accent-insensitive search', async () => {
		const absent = await maarch.run({ operation: 'getMany', returnAll: true, filters: { status: ['ABS'] } });
		expect(absent.items.map((item) => item.json.user_id)).toEqual(['hlenoir']);

		const rest = await maarch.run({ operation: 'getMany', returnAll: true, filters: { mode: ['rest'] } });
		expect(rest.items.map((item) => item.json.user_id)).toEqual(['ws_n8n']);

		const search = await maarch.run({ operation: 'getMany', returnAll: true, filters: { search: 'HELENE' } });
		expect(search.items.map((item) => item.json.user_id)).toEqual(['hlenoir']);

		const none = await maarch.run({ operation: 'getMany', returnAll: true, filters: { search: 'nobody' } });
		expect(none.items).toEqual([]);
		expect(none.error).toBeUndefined();
	});

	test('update reads, merges and writes the whole user: fields left empty are kept', async () => {
		const result = await maarch.run({
			operation: 'update',
			userId: byId(10),
			updateFields: { lastname: 'Bain-Martin', firstname: '' },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			id: 10,
			firstname: 'Barbara',
			lastname: 'Bain-Martin',
			mail: 'barbara.bain@mairie.example.fr',
			initials: 'BB',
			phone: '+33102030405',
		});
		expect(received()).toEqual([
			{ method: 'GET', path: '/rest/users/10', body: '' },
			{
				method: 'PUT',
				path: '/rest/users/10',
				body: {
					firstname: 'Barbara',
					lastname: 'Bain-Martin',
					mail: 'barbara.bain@mairie.example.fr',
					initials: 'BB',
					phone: '+33102030405',
					mode: 'standard',
				},
			},
		]);
		// The emulator replaces mail and initials on PUT: they survived because the node sent them.
		expect(maarch.emulator.users.get(10)).toMatchObject({ initials: 'BB', mail: 'barbara.bain@mairie.example.fr', lastname: 'Bain-Martin' });
	});

	test('delete removes the user (soft delete) and outputs its ID', async () => {
		const result = await maarch.run({ operation: 'delete', userId: byLogin('bbain') });
		expect(result.items[0].json).toEqual({ id: 10, deleted: true });
		expect(received().at(-1)).toEqual({ method: 'DELETE', path: '/rest/users/10', body: '' });
		expect(maarch.emulator.users.get(10)?.status).toBe('DEL');
	});

	test('addToGroup and removeFromGroup', async () => {
		const added = await maarch.run({ operation: 'addToGroup', userId: byId(10), groupId: 'ELU' });
		expect(added.items[0].json).toEqual({
			id: 10,
			groupId: 'ELU',
			groups: [
				{ group_id: 'AGENT', group_desc: 'Agents' },
				{ group_id: 'ELU', group_desc: 'Élus' },
			],
		});
		expect(received()).toEqual([{ method: 'POST', path: '/rest/users/10/groups', body: { groupId: 'ELU' } }]);

		const removed = await maarch.run({ operation: 'removeFromGroup', userId: byId(10), groupId: 'AGENT' });
		expect(removed.items[0].json).toEqual({ id: 10, groupId: 'AGENT', groups: [{ group_id: 'ELU', group_desc: 'Élus' }] });
		expect(received().at(-1)).toEqual({ method: 'DELETE', path: '/rest/users/10/groups/AGENT', body: '' });
	});

	test('addToEntity and removeFromEntity', async () => {
		const added = await maarch.run({ operation: 'addToEntity', userId: byId(11), entityId: 'PJS' });
		expect(added.items[0].json).toEqual({
			id: 11,
			entityId: 'PJS',
			entities: [{ entity_id: 'PJS', entity_label: 'Pôle Jeunesse et Sport' }],
		});
		expect(received()).toEqual([{ method: 'POST', path: '/rest/users/11/entities', body: { entityId: 'PJS' } }]);

		const removed = await maarch.run({ operation: 'removeFromEntity', userId: byId(11), entityId: 'PJS' });
		expect(removed.items[0].json).toEqual({ id: 11, entityId: 'PJS', entities: [] });
		expect(received().at(-1)).toEqual({ method: 'DELETE', path: '/rest/users/11/entities/PJS', body: '' });
	});

	test('linkToMaarchParapheur sends the Maarch Parapheur user ID as a number', async () => {
		const result = await maarch.run({ operation: 'linkToMaarchParapheur', userId: byId(10), maarchParapheurUserId: 19 });
		expect(result.items[0].json).toEqual({ id: 10, linked: true, maarchParapheurUserId: 19 });
		expect(received()).toEqual([
			{ method: 'PUT', path: '/rest/users/10/linkToMaarchParapheur', body: { maarchParapheurUserId: 19 } },
		]);
		expect(maarch.emulator.users.get(10)?.maarchParapheurId).toBe(19);
	});

	test('createInMaarchParapheur outputs the new Maarch Parapheur ID', async () => {
		const result = await maarch.run({ operation: 'createInMaarchParapheur', userId: byId(11), maarchParapheurLogin: 'hlenoir' });
		expect(result.items[0].json).toEqual({ id: 11, linked: true, maarchParapheurUserId: 21, maarchParapheurLogin: 'hlenoir' });
		expect(received()).toEqual([
			{ method: 'PUT', path: '/rest/users/11/createInMaarchParapheur', body: { login: 'hlenoir' } },
		]);
	});

	test('unlinkFromMaarchParapheur calls the route Maarch spells unlinkTo', async () => {
		const result = await maarch.run({ operation: 'unlinkFromMaarchParapheur', userId: byId(12) });
		expect(result.items[0].json).toEqual({ id: 12, linked: false });
		expect(received()).toEqual([{ method: 'PUT', path: '/rest/users/12/unlinkToMaarchParapheur', body: '' }]);
		expect(maarch.emulator.users.get(12)?.maarchParapheurId).toBeUndefined();
	});

	test('getMaarchParapheurStatus uses GET and reports linked and unlinked users', async () => {
		const linked = await maarch.run({ operation: 'getMaarchParapheurStatus', userId: byId(12) });
		expect(linked.items[0].json).toEqual({ id: 12, linked: true, maarchParapheurLogin: 'ccordy' });
		expect(received()).toEqual([{ method: 'GET', path: '/rest/users/12/statusInMaarchParapheur', body: '' }]);

		const unlinked = await maarch.run({ operation: 'getMaarchParapheurStatus', userId: byId(10) });
		expect(unlinked.error).toBeUndefined();
		expect(unlinked.items[0].json).toEqual({ id: 10, linked: false, maarchParapheurLogin: null });
	});
});
