/**
 * The credential's Test, run as n8n runs a declarative credential test, and the user list of the
 * resource locator.
 */
import { MAARCH_API_LOGIN, MAARCH_API_PASSWORD } from '../emulators/maarch';
import { runListSearch, testCredential } from '../harness';
import { basicAuth, useMaarch } from './fixture';

const maarch = useMaarch();

// n8n 2.x shows the credential's own message for a failing status (its rules). n8n 1.x loses the
// HTTP status on the way (its NodeApiError drops `cause`) and shows its generic text instead; the
// harness runs n8n-core 1.x exactly as the CLI does, so both texts are accepted here.
const either = (rule: RegExp, generic: string) => new RegExp(`${rule.source}|^${generic}$`);

describe('Maarch Courrier credential test', () => {
	const data = (overrides: Record<string, unknown> = {}) => ({
		url: maarch.emulator.url,
		login: MAARCH_API_LOGIN,
		password: MAARCH_API_PASSWORD,
		ignoreSslIssues: false,
		...overrides,
	});

	test('succeeds with a rest account and lists users with Basic auth', async () => {
		expect(await testCredential('maarchCourrierApi', data())).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(maarch.emulator.log.map((entry) => `${entry.method} ${entry.path}`)).toEqual(['GET /rest/users']);
		expect(maarch.emulator.log[0].headers.authorization).toBe(basicAuth);
	});

	test('accepts the instance URL with a trailing slash or /rest', async () => {
		expect((await testCredential('maarchCourrierApi', data({ url: `${maarch.emulator.url}/` }))).status).toBe('OK');
		expect((await testCredential('maarchCourrierApi', data({ url: `${maarch.emulator.url}/rest/` }))).status).toBe('OK');
		expect(maarch.emulator.log.map((entry) => entry.path)).toEqual(['/rest/users', '/rest/users']);
	});

	test('a wrong password says so, and mentions the rest mode', async () => {
		const result = await testCredential('maarchCourrierApi', data({ password: 'wrong' }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(either(/rejected the login or password.*'rest'/, 'Authorization failed - please check your credentials'));
	});

	test('an account without the right to manage users', async () => {
		maarch.emulator.findByLogin(MAARCH_API_LOGIN)!.canManageUsers = false;
		const result = await testCredential('maarchCourrierApi', data());
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(either(/account may not manage users/, 'Forbidden - perhaps check your credentials\\?'));
	});

	test('a URL that is not Maarch Courrier', async () => {
		const result = await testCredential('maarchCourrierApi', data({ url: `${maarch.emulator.url}/elsewhere` }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(either(/No Maarch Courrier API at this address/, 'The resource you are requesting could not be found'));
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
