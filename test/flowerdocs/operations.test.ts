/**
 * Every FlowerDocs user operation, run through n8n's WorkflowExecute against the emulator: what
 * the node outputs, and what the emulator received.
 */
import { useFlowerDocs } from './fixture';

const fd = useFlowerDocs();

describe('FlowerDocs user operations', () => {
	test('create sends the documented model, without trailing slash, with the token header', async () => {
		const result = await fd.run({
			operation: 'create',
			userId: 'cbernard',
			firstname: 'Claire',
			lastname: 'Bernard',
			displayName: '',
			mail: 'claire.bernard@mairie.example.fr',
			password: 'Initial-Pa55',
			profiles: 'AllUsers, eEnvelope',
			groups: 'DRH',
			additionalFields: {
				credentialsExpired: true,
				attributes: { attribute: [{ name: 'service', values: 'RH, Paie' }] },
			},
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toEqual({
			id: 'cbernard',
			firstname: 'Claire',
			lastname: 'Bernard',
			displayName: 'Claire Bernard',
			mail: 'claire.bernard@mairie.example.fr',
			credentialsExpired: true,
			attributes: [{ name: 'service', values: ['RH', 'Paie'] }],
			groups: ['DRH'],
			profiles: ['AllUsers', 'eEnvelope'],
		});
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(fd.received()).toEqual([
			{
				method: 'POST',
				path: '/rest/users',
				query: {},
				body: {
					id: 'cbernard',
					firstname: 'Claire',
					lastname: 'Bernard',
					displayName: 'Claire Bernard',
					mail: 'claire.bernard@mairie.example.fr',
					password: 'Initial-Pa55',
					credentialsExpired: true,
					attributes: [{ name: 'service', values: ['RH', 'Paie'] }],
					groups: ['DRH'],
					profiles: ['AllUsers', 'eEnvelope'],
				},
			},
		]);
		const [login, create] = fd.emulator.log;
		expect(login.path).toBe('/core/rest/authentication');
		expect(login.body).toEqual({ user: 'n8n', password: 'Fl0wer-S3cret!', scope: 'GEC' });
		expect(typeof fd.emulator.checkToken(create.headers.token as string)).toBe('object');
		expect(fd.emulator.users.get('cbernard')?.password).toBe('Initial-Pa55');
	});

	test('create of an existing id says the user already exists', async () => {
		const result = await fd.run({ operation: 'create', userId: 'jdupont', mail: 'x@mairie.example.fr' });
		expect(result.error?.message).toBe('FlowerDocs user jdupont already exists');
		expect((result.error as { httpCode?: string }).httpCode).toBe('500');
	});

	test('get takes several ids in one request and outputs one item per user, without passwords', async () => {
		const result = await fd.run({ operation: 'get', userIds: 'jdupont, mmartin', resolveAuthorities: true });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(['jdupont', 'mmartin']);
		expect(result.items[0].json.profiles).toEqual(['AllUsers', 'eEnvelope']);
		expect(JSON.stringify(result.items)).not.toContain('Jeanne-Pa55');
		expect(fd.received()).toEqual([
			{ method: 'GET', path: '/rest/users/jdupont,mmartin', query: { resolveAuthorities: 'true' }, body: '' },
		]);
	});

	test('get without resolveAuthorities asks for it', async () => {
		const result = await fd.run({ operation: 'get', userIds: 'jdupont', resolveAuthorities: false });
		expect(result.items[0].json.profiles).toEqual([]);
		expect(fd.received()[0].query).toEqual({ resolveAuthorities: 'false' });
	});

	test('get of an unknown user: "user X does not exist" (HTTP 500 F00206)', async () => {
		const result = await fd.run({ operation: 'get', userIds: 'nobody', resolveAuthorities: true });
		expect(result.error?.message).toBe('FlowerDocs user nobody does not exist');
	});

	test('search sends name= and outputs one item per user, with a limit', async () => {
		const all = await fd.run({ operation: 'search', search: 'ma', returnAll: true });
		expect(all.items.map((item) => item.json.id)).toEqual(['mmartin']);
		const limited = await fd.run({ operation: 'search', search: 'a', returnAll: false, limit: 2 });
		expect(limited.items).toHaveLength(2);
		expect(fd.received().map((entry) => entry.query)).toEqual([{ name: 'ma' }, { name: 'a' }]);
	});

	test('an empty search: every user where the server allows it, else a clear error (the page requires a text)', async () => {
		const result = await fd.run({ operation: 'search', search: '', returnAll: true });
		expect(result.error?.message).toBe(
			"This FlowerDocs server needs a search text: it refused an empty one (HTTP 400: Parameter 'name' is required) and has no list of every user",
		);
		expect(result.error?.description).toMatch(/use Get with the users' IDs/);
		expect(fd.received().map(({ method, path, query }) => ({ method, path, query }))).toEqual([{ method: 'GET', path: '/rest/users/search', query: { name: '' } }]);
		fd.emulator.requireSearchText = false;
		const lenient = await fd.run({ operation: 'search', search: '', returnAll: true });
		expect(lenient.items.map((item) => item.json.id).sort()).toEqual(['jdupont', 'mmartin', 'n8n', 'pdurand']);
		fd.emulator.requireSearchText = true;
		// The emulator follows the page: the text is to be filled in, `?name=` is refused.
		const token = fd.emulator.issueToken('n8n', 'GEC');
		const answer = await fetch(`${fd.emulator.url}/rest/users/search?name=`, { headers: { token } });
		expect(answer.status).toBe(400);
		expect(await answer.json()).toEqual({ code: 'T00400', message: "Parameter 'name' is required" });
		expect((await fetch(`${fd.emulator.url}/rest/users/search`, { headers: { token } })).status).toBe(400);
	});

	test('changePassword sends PUT /rest/users/{id}/password and never outputs the password', async () => {
		const result = await fd.run({ operation: 'changePassword', userId: 'jdupont', newPassword: 'New-Pa55word' });
		expect(result.items[0].json).toEqual({ id: 'jdupont', passwordChanged: true });
		expect(fd.received()).toEqual([
			{ method: 'PUT', path: '/rest/users/jdupont/password', query: {}, body: { password: 'New-Pa55word' } },
		]);
		expect(fd.emulator.users.get('jdupont')?.password).toBe('New-Pa55word');
	});

	test('changePassword of an unknown user (T01002)', async () => {
		const result = await fd.run({ operation: 'changePassword', userId: 'nobody', newPassword: 'New-Pa55word' });
		expect(result.error?.message).toBe('FlowerDocs user nobody does not exist');
	});

	test('delete removes the user; deleting it again says it does not exist', async () => {
		const result = await fd.run({ operation: 'delete', userId: 'pdurand' });
		expect(result.items[0].json).toEqual({ id: 'pdurand', deleted: true });
		expect(fd.emulator.users.has('pdurand')).toBe(false);
		const again = await fd.run({ operation: 'delete', userId: 'pdurand' });
		expect(again.error?.message).toBe('FlowerDocs user pdurand does not exist');
		expect(fd.received().map((entry) => `${entry.method} ${entry.path}`)).toEqual([
			'DELETE /rest/users/pdurand',
			'DELETE /rest/users/pdurand',
		]);
	});

	test('a bad id is refused before anything is sent', async () => {
		const result = await fd.run({ operation: 'delete', userId: 'a/b' });
		expect(result.error?.message).toMatch(/'User ID' has an invalid value/);
		expect(fd.emulator.log).toHaveLength(0);
	});

	test('with Continue On Fail, a failing item becomes an error item and the others go on', async () => {
		const result = await fd.run(
			{ operation: 'delete', userId: '={{ $json.id }}' },
			{ items: [{ id: 'nobody' }, { id: 'mmartin' }], node: { continueOnFail: true } },
		);
		expect(result.items.map((item) => item.json)).toEqual([
			{ error: 'FlowerDocs user nobody does not exist' },
			{ id: 'mmartin', deleted: true },
		]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});

describe('FlowerDocs update (read, merge, write)', () => {
	test('fields, profiles, groups and attributes not mentioned survive', async () => {
		const result = await fd.run({
			operation: 'update',
			userId: 'jdupont',
			updateFields: { lastname: 'Dupont-Moreau', profiles: 'Signataire' },
			listMode: 'add',
		});
		expect(result.error).toBeUndefined();
		const stored = fd.emulator.users.get('jdupont')!;
		expect(stored).toMatchObject({
			firstname: 'Jeanne',
			lastname: 'Dupont-Moreau',
			displayName: 'Jeanne Dupont',
			mail: 'jeanne.dupont@mairie.example.fr',
			profiles: ['AllUsers', 'eEnvelope', 'Signataire'],
			groups: ['DRH'],
			attributes: [{ name: 'service', values: ['RH'] }, { name: 'site', values: ['Hôtel de ville'] }],
			password: 'Jeanne-Pa55',
		});
		expect(result.items[0].json).toMatchObject({ lastname: 'Dupont-Moreau', groups: ['DRH'] });
		expect(fd.received()).toEqual([
			{ method: 'GET', path: '/rest/users/jdupont', query: { resolveAuthorities: 'true' }, body: '' },
			{
				method: 'POST',
				path: '/rest/users/jdupont',
				query: {},
				body: {
					id: 'jdupont',
					firstname: 'Jeanne',
					lastname: 'Dupont-Moreau',
					displayName: 'Jeanne Dupont',
					mail: 'jeanne.dupont@mairie.example.fr',
					credentialsExpired: false,
					profiles: ['AllUsers', 'eEnvelope', 'Signataire'],
					groups: ['DRH'],
					attributes: [{ name: 'service', values: ['RH'] }, { name: 'site', values: ['Hôtel de ville'] }],
				},
			},
		]);
	});

	test('attributes are added to (values merged) or replaced', async () => {
		await fd.run({
			operation: 'update',
			userId: 'jdupont',
			updateFields: { attributes: { attribute: [{ name: 'service', values: 'Paie' }, { name: 'badge', values: '42' }] } },
			listMode: 'add',
		});
		expect(fd.emulator.users.get('jdupont')!.attributes).toEqual([
			{ name: 'service', values: ['RH', 'Paie'] },
			{ name: 'site', values: ['Hôtel de ville'] },
			{ name: 'badge', values: ['42'] },
		]);
		await fd.run({
			operation: 'update',
			userId: 'jdupont',
			updateFields: { groups: 'DGS', attributes: { attribute: [{ name: 'service', values: 'DGS' }] } },
			listMode: 'replace',
		});
		const stored = fd.emulator.users.get('jdupont')!;
		expect(stored.attributes).toEqual([{ name: 'service', values: ['DGS'] }]);
		expect(stored.groups).toEqual(['DGS']);
		expect(stored.profiles).toEqual(['AllUsers', 'eEnvelope']);
	});

	test('nothing to update is refused before anything is sent', async () => {
		const result = await fd.run({ operation: 'update', userId: 'jdupont', updateFields: {}, listMode: 'add' });
		expect(result.error?.message).toBe('Nothing to update');
		expect(fd.emulator.log).toHaveLength(0);
	});

	test('update of an unknown user says it does not exist', async () => {
		const result = await fd.run({ operation: 'update', userId: 'nobody', updateFields: { firstname: 'X' }, listMode: 'add' });
		expect(result.error?.message).toBe('FlowerDocs user nobody does not exist');
	});
});
