/**
 * The credential's Test, run as n8n runs it (the node's `credentialTest` named by `testedBy`, the
 * same on n8n 1.x and 2.x), and the user list of the resource locator.
 */
import { MAARCH_API_LOGIN, MAARCH_API_PASSWORD } from '../emulators/maarch';
import { runListSearch, testCredentialWithNode } from '../harness';
import { MAARCH_TEST_MESSAGES } from '../../nodes/MaarchCourrier/methods/credentialTest';
import { basicAuth, useMaarch } from './fixture';

const maarch = useMaarch();

const testCredential = async (data: Record<string, unknown>) =>
	await testCredentialWithNode('maarchCourrier', 'maarchCourrierApi', data as never);

describe('Maarch Courrier credential test', () => {
	const data = (overrides: Record<string, unknown> = {}) => ({
		url: maarch.emulator.url,
		login: MAARCH_API_LOGIN,
		password: MAARCH_API_PASSWORD,
		ignoreSslIssues: false,
		...overrides,
	});

	test('succeeds with a rest account and lists users with Basic auth', async () => {
		expect(await testCredential(data())).toEqual({
			status: 'OK',
			message: "Connection successful: Maarch Courrier accepted the account 'ws_n8n', which may manage users",
		});
		expect(maarch.emulator.log.map((entry) => `${entry.method} ${entry.path}`)).toEqual(['GET /rest/users']);
		expect(maarch.emulator.log[0].headers.authorization).toBe(basicAuth);
	});

	test('accepts the instance URL with a trailing slash or /rest', async () => {
		expect((await testCredential(data({ url: `${maarch.emulator.url}/` }))).status).toBe('OK');
		expect((await testCredential(data({ url: `${maarch.emulator.url}/rest/` }))).status).toBe('OK');
		expect(maarch.emulator.log.map((entry) => entry.path)).toEqual(['/rest/users', '/rest/users']);
	});

	test('a wrong password says so, and mentions the rest mode; the password is never shown', async () => {
		const result = await testCredential(data({ password: 'Wr0ng-Pa55' }));
		expect(result).toEqual({ status: 'Error', message: MAARCH_TEST_MESSAGES[401] });
		expect(result.message).toMatch(/rejected the login or password.*'rest'/);
		expect(result.message).not.toContain('Wr0ng-Pa55');
		expect(maarch.emulator.log).toHaveLength(1);
	});

	test('a locked account is named as such', async () => {
		maarch.emulator.findByLogin(MAARCH_API_LOGIN)!.locked = true;
		expect(await testCredential(data())).toEqual({ status: 'Error', message: MAARCH_TEST_MESSAGES.locked('ws_n8n') });
	});

	test('an account without the right to manage users (403)', async () => {
		maarch.emulator.findByLogin(MAARCH_API_LOGIN)!.canManageUsers = false;
		expect(await testCredential(data())).toEqual({ status: 'Error', message: MAARCH_TEST_MESSAGES[403] });
	});

	test('a URL that is not Maarch Courrier (404)', async () => {
		expect(await testCredential(data({ url: `${maarch.emulator.url}/elsewhere` }))).toEqual({
			status: 'Error',
			message: MAARCH_TEST_MESSAGES[404],
		});
	});

	test('Maarch Courrier during an upgrade (503)', async () => {
		maarch.emulator.maintenanceRetryAfter = 30;
		expect(await testCredential(data())).toEqual({ status: 'Error', message: MAARCH_TEST_MESSAGES[503] });
	});

	test('a page that is not the user list, another status, a redirect', async () => {
		maarch.emulator.injectFault({ status: 200, body: '<html>Portail</html>', headers: { 'content-type': 'text/html' } });
		expect((await testCredential(data())).message).toBe(`${maarch.emulator.url}/rest/users answered, but not with Maarch Courrier's user list: check the instance URL (the address of Maarch Courrier as in the browser).`);
		maarch.emulator.injectFault({ status: 500, body: { errors: 'Database error' } });
		expect((await testCredential(data())).message).toBe(`Maarch Courrier answered HTTP 500 at ${maarch.emulator.url}/rest/users: Database error`);
		maarch.emulator.injectFault({ status: 301, headers: { location: 'https://courrier.example.fr/maarch/rest/users' } });
		expect((await testCredential(data())).message).toBe(
			`${maarch.emulator.url}/rest/users answered with a redirect (HTTP 301) to https://courrier.example.fr/maarch/rest/users: put the address it leads to in the credential.`,
		);
	});

	test('no server at the address, an invalid URL', async () => {
		const closed = maarch.emulator.url;
		await maarch.emulator.close();
		const refused = await testCredential(data({ url: closed }));
		expect(refused.status).toBe('Error');
		expect(refused.message).toMatch(/^Could not connect to Maarch Courrier at http:\/\/127\.0\.0\.1:\d+\/rest\/users: the connection was refused\. Check the instance URL in the credential/);
		expect(await testCredential(data({ url: 'courrier' }))).toEqual({
			status: 'Error',
			message:
				'The Maarch Courrier instance URL in the credential is not a valid URL: "courrier". Use the address of Maarch Courrier as in the browser, e.g. https://courrier.example.fr/maarch',
		});
	});
});

describe('user list of the resource locator', () => {
	test('lists active users sorted by name, searchable without accents, with their admin page', async () => {
		const credentials = maarch.credentials();
		const all = await runListSearch({ type: 'maarchCourrier', method: 'searchUsers', credentials });
		expect(all.results.map((result) => result.name)).toEqual([
			'Barbara Bain (bbain)',
			'Charles Cordy (ccordy)',
			'Hélène Lenoir (hlenoir)',
			'Web Service (ws_n8n)',
		]);
		expect(all.results[0]).toEqual({
			name: 'Barbara Bain (bbain)',
			value: '10',
			url: `${maarch.emulator.url}/dist/index.html#/administration/users/10`,
		});
		const search = await runListSearch({ type: 'maarchCourrier', method: 'searchUsers', credentials, filter: 'helene' });
		expect(search.results.map((result) => result.value)).toEqual(['11']);
	});
});
