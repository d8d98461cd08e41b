/**
 * Every documented Maarch Courrier error becomes a message a user can act on, and bad input is
 * refused before anything is sent.
 */
import { byId, useMaarch } from './fixture';

const maarch = useMaarch();

async function failure(parameters: Record<string, unknown>) {
	const result = await maarch.run(parameters as never);
	expect(result.error).toBeDefined();
	return result.error!;
}

describe('Maarch Courrier errors', () => {
	test('an unknown user ID (HTTP 400 in Maarch) says the user does not exist', async () => {
		const error = await failure({ operation: 'get', userId: byId(42) });
		expect(error.message).toBe('Maarch Courrier user 42 does not exist');
		expect(error.name).toBe('NodeApiError');
		expect((error as { httpCode?: string }).httpCode).toBe('400');
	});

	test('a deleted user cannot be updated', async () => {
		const error = await failure({ operation: 'update', userId: byId(13), updateFields: { lastname: 'X' } });
		expect(error.message).toBe('Maarch Courrier user 13 does not exist');
	});

	test('an unknown login says no user has it, before any change', async () => {
		const error = await failure({ operation: 'delete', userId: { __rl: true, mode: 'login', value: 'ghost' } });
		expect(error.message).toBe("No Maarch Courrier user has the login 'ghost'");
		expect(maarch.emulator.log.map((entry) => entry.method)).toEqual(['GET']);
	});

	test('an existing login is reported as such', async () => {
		const error = await failure({ operation: 'create', login: 'bbain', firstname: 'B', lastname: 'B', mail: 'b@example.fr' });
		expect(error.message).toBe("A Maarch Courrier user with the login 'bbain' already exists");
	});

	const newcomer = {
		operation: 'create',
		login: 'ancien',
		firstname: 'Nouvelle',
		lastname: 'Recrue',
		mail: 'nouvelle.recrue@mairie.example.fr',
	};
	const paths = () => maarch.emulator.log.map((entry) => `${entry.method} ${entry.path}`);

	test('by default a deleted login restored by Maarch is noticed by its ID and given the details sent', async () => {
		// An account newer than the deleted one (ID 14): the restored ID 13 is below it.
		await maarch.run({ operation: 'create', login: 'bwayne', firstname: 'Bruce', lastname: 'Wayne', mail: 'bruce.wayne@wcorp.com' });
		maarch.emulator.log.length = 0;
		const result = await maarch.run(newcomer);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ id: 13, user_id: 'ancien', firstname: 'Nouvelle', lastname: 'Recrue', mail: 'nouvelle.recrue@mairie.example.fr', status: 'OK', revivedDeletedUser: true });
		expect(paths()).toEqual(['GET /rest/users', 'POST /rest/users', 'GET /rest/users/13', 'PUT /rest/users/13']);
		expect(maarch.emulator.users.get(13)).toMatchObject({ status: 'OK', firstname: 'Nouvelle', mail: 'nouvelle.recrue@mairie.example.fr' });
	});

	test('by default a new account costs the user list (once per execution) and its creation, nothing read back', async () => {
		const result = await maarch.run({ operation: 'create', login: 'bwayne', firstname: 'Bruce', lastname: 'Wayne', mail: 'bruce.wayne@wcorp.com' });
		expect(result.items[0].json).toMatchObject({ id: 14, user_id: 'bwayne' });
		expect(result.items[0].json.revivedDeletedUser).toBeUndefined();
		expect(paths()).toEqual(['GET /rest/users', 'POST /rest/users']);
	});

	test('the limit of the default, as documented: a restored account newer than every listed one is not noticed', async () => {
		// The seed's deleted user (ID 13) is the newest account: its ID is above every listed one (10 to 12).
		const result = await maarch.run(newcomer);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.revivedDeletedUser).toBeUndefined();
		expect(paths()).toEqual(['GET /rest/users', 'POST /rest/users']);
		expect(maarch.emulator.users.get(13)).toMatchObject({ status: 'OK', firstname: 'Ancien' });
	});

	test("'Fail' reads the account back and reports a deleted login restored by Maarch", async () => {
		const error = await failure({ ...newcomer, deletedLogin: 'error' });
		expect(error.message).toBe(
			"The login 'ancien' belonged to a deleted Maarch Courrier user (ID 13): Maarch restored that account with its old details",
		);
		expect(error.description).toMatch(/details sent were ignored/);
		expect(paths()).toEqual(['POST /rest/users', 'GET /rest/users/13']);
	});

	test("'Fail' with a new login: two requests, the same output as the default", async () => {
		const parameters = { operation: 'create', login: 'bwayne', firstname: 'Bruce', lastname: 'Wayne', mail: 'bruce.wayne@wcorp.com', additionalFields: { initials: 'BW', mode: 'standard' } };
		const checked = await maarch.run({ ...parameters, deletedLogin: 'error' });
		expect(checked.error).toBeUndefined();
		expect(paths()).toEqual(['POST /rest/users', 'GET /rest/users/14']);
		const plain = await maarch.run({ ...parameters, login: 'bwayne2' });
		expect(plain.items[0].json).toEqual({ ...checked.items[0].json, id: 15, user_id: 'bwayne2' });
		expect(paths().slice(2)).toEqual(['GET /rest/users', 'POST /rest/users']);
	});

	test("'Fail' compares only the fields the account read back holds", async () => {
		// GET /rest/users/{id} is documented as {id, firstname, lastname, mail, phone?, ...}: initials,
		// mode or a null phone left out of it are not differences.
		maarch.emulator.injectFault(
			{ status: 200, body: { id: 14, firstname: 'Bruce', lastname: 'Wayne', mail: 'bruce.wayne@wcorp.com', phone: null, enabled: true, department: null } },
			1,
			{ method: 'GET' },
		);
		const result = await maarch.run({
			operation: 'create',
			login: 'bwayne',
			firstname: 'Bruce',
			lastname: 'Wayne',
			mail: 'bruce.wayne@wcorp.com',
			additionalFields: { initials: 'BW', mode: 'rest', phone: '+33120212223' },
			deletedLogin: 'error',
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ id: 14, initials: 'BW', mode: 'rest', phone: '+33120212223' });
	});

	test("'Fail': a read-back that is not a user is an error, not a success", async () => {
		maarch.emulator.injectFault({ status: 200, body: [{ id: 14 }] }, 1, { method: 'GET' });
		const error = await failure({ operation: 'create', login: 'bwayne', firstname: 'B', lastname: 'W', mail: 'b@w.fr', deletedLogin: 'error' });
		expect(error.message).toBe(
			'Maarch Courrier sent an answer that is not what its API documents (HTTP 200): expected a user (a JSON object with its id)',
		);
	});

	test('a creation answered without an ID is an error, and nothing is sent after it', async () => {
		maarch.emulator.injectFault({ status: 200, body: { success: true } }, 1, { method: 'POST' });
		const error = await failure({ operation: 'create', login: 'bwayne', firstname: 'B', lastname: 'W', mail: 'b@w.fr' });
		expect(error.message).toBe('Maarch Courrier created the user but did not return its ID');
		expect(paths()).toEqual(['GET /rest/users', 'POST /rest/users']);
	});

	test('Maarch Parapheur not enabled', async () => {
		maarch.emulator.parapheurEnabled = false;
		const error = await failure({ operation: 'getMaarchParapheurStatus', userId: byId(12) });
		expect(error.message).toBe('Maarch Parapheur is not enabled on this Maarch Courrier instance');
		expect((error as { httpCode?: string }).httpCode).toBe('403');
	});

	test('linking to an unknown or already linked Maarch Parapheur user', async () => {
		const unknown = await failure({ operation: 'linkToMaarchParapheur', userId: byId(10), maarchParapheurUserId: 99 });
		expect(unknown.message).toBe('Maarch Parapheur has no user with ID 99');
		const taken = await failure({ operation: 'linkToMaarchParapheur', userId: byId(10), maarchParapheurUserId: 20 });
		expect(taken.message).toBe('Maarch Parapheur user 20 is already linked to another Maarch Courrier user');
	});

	test('unlinking a user that is not linked', async () => {
		const error = await failure({ operation: 'unlinkFromMaarchParapheur', userId: byId(10) });
		expect(error.message).toBe('Maarch Courrier user 10 is not linked to a Maarch Parapheur account');
	});

	test('creating a Maarch Parapheur login that exists', async () => {
		const error = await failure({ operation: 'createInMaarchParapheur', userId: byId(10), maarchParapheurLogin: 'bbain' });
		expect(error.message).toBe("Maarch Parapheur already has a user with the login 'bbain'");
	});

	test('unknown group and entity, and memberships that exist', async () => {
		expect((await failure({ operation: 'addToGroup', userId: byId(10), groupId: 'Élus' })).message).toBe(
			"Maarch Courrier group 'Élus' does not exist",
		);
		expect((await failure({ operation: 'removeFromEntity', userId: byId(10), entityId: 'NOPE' })).message).toBe(
			"Maarch Courrier entity 'NOPE' does not exist",
		);
		expect((await failure({ operation: 'addToGroup', userId: byId(10), groupId: 'AGENT' })).message).toBe(
			"Maarch Courrier user 10 is already in group 'AGENT'",
		);
	});

	test('a duplicate login answered in French (an instance set to French) keeps the "use Update" hint', async () => {
		maarch.emulator.lang = 'fr';
		const error = await failure({ operation: 'create', login: 'bbain', firstname: 'B', lastname: 'B', mail: 'b@example.fr' });
		expect(error.message).toBe("A Maarch Courrier user with the login 'bbain' already exists");
		expect((error as { description?: string }).description).toBe('Use the Update operation to change it, or choose another login.');
		expect((await failure({ operation: 'get', userId: byId(42) })).message).toBe('Maarch Courrier user 42 does not exist');
		expect((await failure({ operation: 'update', userId: byId(42), updateFields: { lastname: 'X' } })).message).toBe(
			'Maarch Courrier user 42 does not exist',
		);
	});

	test('a super-administrator mode refused to the web service account says what is refused and why', async () => {
		const error = await failure({
			operation: 'create',
			login: 'bwayne',
			firstname: 'Bruce',
			lastname: 'Wayne',
			mail: 'bruce.wayne@wcorp.com',
			additionalFields: { mode: 'root_visible' },
		});
		expect(error.message).toBe(
			"Maarch Courrier refused the super-administrator mode 'root_visible' for 'bwayne' (Service forbidden): only a super administrator may give this mode, and the web service account 'ws_n8n' is not one",
		);
		expect(error.message).not.toMatch(/not allowed to manage users/);
		expect((error as { description?: string }).description).toMatch(/Standard or Web Service/);
		const update = await failure({ operation: 'update', userId: byId(10), updateFields: { mode: 'root_invisible' } });
		expect(update.message).toMatch(/^Maarch Courrier refused the super-administrator mode 'root_invisible' for user 10 \(Service forbidden\)/);
		// The other modes are the account's to give.
		const rest = await maarch.run({ operation: 'create', login: 'ws_other', firstname: 'W', lastname: 'S', mail: 'ws2@example.fr', additionalFields: { mode: 'rest' } });
		expect(rest.error).toBeUndefined();
	});

	test('an account without the user administration right', async () => {
		maarch.emulator.findByLogin('ws_n8n')!.canManageUsers = false;
		const error = await failure({ operation: 'getMany', returnAll: true });
		expect(error.message).toBe("The Maarch Courrier account 'ws_n8n' is not allowed to manage users (Service forbidden)");
	});

	test('a wrong instance URL', async () => {
		const result = await maarch.run(
			{ operation: 'getMany', returnAll: true },
			{ credentials: { url: `${maarch.emulator.url}/not-maarch` } },
		);
		expect(result.error?.message).toBe('Maarch Courrier has no such route (HTTP 404)');
		const invalid = await maarch.run({ operation: 'getMany', returnAll: true }, { credentials: { url: 'courrier.example.fr' } });
		expect(invalid.error?.message).toBe(
			'The Maarch Courrier instance URL in the credential is not a valid URL: "courrier.example.fr"',
		);
	});

	test('a field Maarch rejects is named', async () => {
		maarch.emulator.injectFault({ status: 400, body: { errors: 'Body mail is empty or not a valid email' } });
		const error = await failure({ operation: 'update', userId: byId(10), updateFields: { phone: '01' } });
		expect(error.message).toBe("Maarch Courrier rejected the value of 'mail': Body mail is empty or not a valid email");
	});

	test('an unexpected Maarch error keeps its own text', async () => {
		maarch.emulator.injectFault({ status: 500, body: { title: 'Internal error', detail: 'SQLSTATE[08006] connection lost', status: 500 } });
		const error = await failure({ operation: 'get', userId: byId(10) });
		expect(error.message).toBe('Maarch Courrier failed with an internal error (HTTP 500): SQLSTATE[08006] connection lost');
	});

	describe('input is checked before anything is sent', () => {
		test.each([
			[{ operation: 'create', login: 'b wayne', firstname: 'B', lastname: 'W', mail: 'b@w.fr' }, "'Login' has an invalid value: \"b wayne\""],
			// Expressions, because n8n itself refuses a workflow whose required field is empty.
			[{ operation: 'create', login: 'bw', firstname: '={{ $json.missing }}', lastname: 'W', mail: 'b@w.fr' }, "'First Name' is required"],
			[{ operation: 'create', login: 'bw', firstname: 'B', lastname: 'x'.repeat(256), mail: 'b@w.fr' }, "'Last Name' is too long: at most 255 characters, got 256"],
			[{ operation: 'create', login: 'bw', firstname: 'B', lastname: 'W', mail: 'bruce at wcorp' }, "'Email' is not a valid e-mail address: \"bruce at wcorp\""],
			[{ operation: 'create', login: 'bw', firstname: 'B', lastname: 'W', mail: 'b@w.fr', additionalFields: { initials: 'x'.repeat(33) } }, "'Initials' is too long: at most 32 characters, got 33"],
			[{ operation: 'get', userId: { __rl: true, mode: 'id', value: '={{ "abc" }}' } }, "'User' must be a positive whole number, got \"abc\""],
			[{ operation: 'update', userId: byId(10), updateFields: {} }, 'Nothing to update'],
			[{ operation: 'update', userId: byId(10), updateFields: { mail: 'nope' } }, "'Email' is not a valid e-mail address: \"nope\""],
			[{ operation: 'addToGroup', userId: byId(10), groupId: '  ' }, "'Group ID' is required"],
			[{ operation: 'linkToMaarchParapheur', userId: byId(10), maarchParapheurUserId: 0 }, "'Maarch Parapheur User ID' must be a positive whole number, got \"0\""],
		])('%j', async (parameters, message) => {
			const error = await failure(parameters);
			expect(error.message).toBe(message);
			expect(error.name).toBe('NodeOperationError');
			expect(maarch.emulator.log).toEqual([]);
		});
	});
});
