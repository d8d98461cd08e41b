/**
 * The credential's Test, run as n8n runs it (the node's `credentialTest` named by `testedBy`, the
 * same on n8n 1.x and 2.x): a login, then a read of the credential's own user and its profiles.
 */
import { FLOWERDOCS_API_USER } from '../emulators/flowerdocs';
import { testCredentialWithNode } from '../harness';
import { FLOWERDOCS_TEST_MESSAGES } from '../../nodes/FlowerDocs/methods/credentialTest';
import { useFlowerDocs } from './fixture';

const fd = useFlowerDocs();

const testCredential = async (data: Record<string, unknown>) =>
	await testCredentialWithNode('flowerDocs', 'flowerDocsApi', data as never);

describe('FlowerDocs credential test', () => {
	const data = (overrides: Record<string, string | boolean> = {}) => ({ ...fd.credentials().flowerDocsApi, ...overrides });

	test('logs in, then reads its own user and profiles with the token (read-only)', async () => {
		expect(await testCredential(data())).toEqual({
			status: 'OK',
			message: "Connection successful: user 'n8n' logged into scope 'GEC' and has the ADMIN profile, which may manage users",
		});
		expect(fd.emulator.log.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
			'POST /core/rest/authentication',
			'GET /core/rest/users/n8n',
		]);
		expect(fd.emulator.log[0].body).toEqual({ user: 'n8n', password: data().password, scope: 'GEC' });
		expect(fd.emulator.log[1].query).toEqual({ resolveAuthorities: 'true' });
		expect(fd.emulator.checkToken(fd.emulator.log[1].headers.token as string)).toMatchObject({ sub: 'n8n', scope: 'GEC' });
	});

	test('a wrong password fails with a clear message, and nothing else is asked', async () => {
		const result = await testCredential(data({ password: 'Wr0ng-Pa55' }));
		expect(result).toEqual({
			status: 'Error',
			message:
				"FlowerDocs refused the login of user 'n8n' in scope 'GEC' (HTTP 401): Authentication failed: bad credentials. Check the user, password and scope in the credential.",
		});
		expect(result.message).not.toContain('Wr0ng');
		expect(fd.emulator.log.filter((entry) => !entry.path.endsWith('/authentication'))).toHaveLength(0);
	});

	test('a scope the user may not use fails with a clear message', async () => {
		const result = await testCredential(data({ scope: 'OTHER' }));
		expect(result.message).toMatch(/refused the login .* scope 'OTHER'/);
	});

	test('a user who may read users but not manage them fails the Test, which writes nothing', async () => {
		fd.emulator.users.get(FLOWERDOCS_API_USER)!.profiles = ['AllUsers'];
		// The reads a user without ADMIN may do pass; the writes of the node would all fail.
		expect((await fd.run({ operation: 'search', search: 'dupont', returnAll: true })).error).toBeUndefined();
		expect((await fd.run({ operation: 'delete', userId: 'jdupont' })).error?.message).toMatch(/may not do this \(HTTP 403\)/);
		fd.emulator.clearLogForTest();
		expect(await testCredential(data())).toEqual({
			status: 'Error',
			message:
				"The login works and user 'n8n' may read users, but it has no ADMIN profile in scope 'GEC' (profiles: AllUsers): FlowerDocs will refuse every Create, Update, Change Password and Delete (HTTP 403). Give it the ADMIN profile in FlowerDocs, or use another account.",
		});
		expect(fd.emulator.log.map((entry) => entry.method)).toEqual(['POST', 'GET']);
		expect(fd.emulator.users.has('jdupont')).toBe(true);
	});

	test('a user service that refuses even the read (403)', async () => {
		fd.emulator.injectFault({ status: 403, body: { code: 'T00403', message: 'Access denied' } }, 1, { path: '/core/rest/users/n8n' });
		expect(await testCredential(data())).toEqual({ status: 'Error', message: FLOWERDOCS_TEST_MESSAGES[403]('n8n', 'GEC') });
	});

	test('a token refused by the user service (401)', async () => {
		fd.emulator.refuseNextTokens = 1;
		expect(await testCredential(data())).toEqual({ status: 'Error', message: FLOWERDOCS_TEST_MESSAGES[401] });
	});

	test('a wrong context path: no login service (404)', async () => {
		const url = fd.emulator.url.replace(/\/core$/, '/flower-docs-ws');
		expect(await testCredential(data({ url }))).toEqual({
			status: 'Error',
			message: `No FlowerDocs login service at ${url}/rest/authentication (HTTP 404). Check the Core URL: it includes the context path, e.g. https://host/core.`,
		});
	});

	test('an instance without user management says so (405)', async () => {
		fd.emulator.userManagement = false;
		expect(await testCredential(data())).toEqual({ status: 'Error', message: FLOWERDOCS_TEST_MESSAGES[405] });
	});

	test('an unexpected answer is quoted, without the token', async () => {
		fd.emulator.injectFault({ status: 500, body: { code: 'T00500', message: 'Internal error' } }, 1, { path: '/core/rest/users/n8n' });
		expect((await testCredential(data())).message).toBe(`FlowerDocs answered HTTP 500 at ${fd.emulator.url}/rest/users/n8n: Internal error`);
		const token = fd.emulator.issueToken(FLOWERDOCS_API_USER, 'GEC');
		fd.emulator.issueToken = () => token;
		fd.emulator.injectFault({ status: 500, body: { code: 'T00500', message: `token ${token} refused` } }, 1, { path: '/core/rest/users/n8n' });
		expect((await testCredential(data())).message).toBe(`FlowerDocs answered HTTP 500 at ${fd.emulator.url}/rest/users/n8n: token [redacted] refused`);
	});
});
