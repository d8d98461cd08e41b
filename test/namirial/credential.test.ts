/**
 * The credential's Test, run as n8n runs it (the node's `credentialTest` named by `testedBy`, the
 * same on n8n 1.x and 2.x: it lists operators), and the node's handling of the credential
 * (environments, wrong password, secrets never shown).
 */
import { NAMIRIAL_ADMIN_EMAIL, NAMIRIAL_ADMIN_PASSWORD } from '../emulators/namirial';
import { everyText, testCredentialWithNode } from '../harness';
import { NAMIRIAL_TEST_MESSAGES } from '../../nodes/NamirialTrustAndSign/methods/credentialTest';
import { namirialBaseUrl } from '../../nodes/NamirialTrustAndSign/transport';
import { basicAuth, useNamirial } from './fixture';

const namirial = useNamirial();

const testCredential = async (data: Record<string, unknown>) =>
	await testCredentialWithNode('namirialTrustAndSign', 'namirialTrustAndSignApi', data as never);

describe('Trust and Sign credential', () => {
	const data = (overrides: Record<string, unknown> = {}) => ({
		environment: 'custom',
		url: namirial.emulator.url,
		email: NAMIRIAL_ADMIN_EMAIL,
		password: NAMIRIAL_ADMIN_PASSWORD,
		...overrides,
	});

	test('the Test lists operators with Basic auth', async () => {
		expect(await testCredential(data())).toEqual({
			status: 'OK',
			message: `Connection successful: Trust and Sign accepted the admin operator ${NAMIRIAL_ADMIN_EMAIL}, who may manage operators`,
		});
		expect(namirial.emulator.log.map((entry) => `${entry.method} ${entry.path}`)).toEqual(['GET /contract/management/users']);
		expect(namirial.emulator.log[0].headers.authorization).toBe(basicAuth);
	});

	test('a custom URL with a trailing slash or the API path works', async () => {
		expect((await testCredential(data({ url: `${namirial.emulator.url}/` }))).status).toBe('OK');
		expect((await testCredential(data({ url: `${namirial.emulator.url}/contract/management/` }))).status).toBe('OK');
		expect(namirial.emulator.log.map((entry) => entry.path)).toEqual(['/contract/management/users', '/contract/management/users']);
	});

	test('a wrong password fails the Test with its own message', async () => {
		const result = await testCredential(data({ password: 'wrong-password' }));
		expect(result).toEqual({ status: 'Error', message: NAMIRIAL_TEST_MESSAGES[401] });
		expect(result.message).toMatch(/rejected the e-mail or password/);
	});

	test('an operator without ADMINISTRATION (403)', async () => {
		namirial.emulator.operator(NAMIRIAL_ADMIN_EMAIL)!.authorizations = ['VALIDATION'];
		expect(await testCredential(data())).toEqual({ status: 'Error', message: NAMIRIAL_TEST_MESSAGES[403] });
	});

	test('an address without the management API (404), or answering something else', async () => {
		expect(await testCredential(data({ url: `${namirial.emulator.url}/ekeynox` }))).toEqual({
			status: 'Error',
			message: NAMIRIAL_TEST_MESSAGES[404],
		});
		namirial.emulator.injectFault({ status: 200, body: { status: 'up' } });
		expect((await testCredential(data())).message).toBe(
			`${namirial.emulator.url}/contract/management/users answered, but not with Trust and Sign's operator list: check the environment or the custom URL.`,
		);
		namirial.emulator.injectFault({ status: 500, body: { error: { message: 'Internal error', code: 1000 } } });
		expect((await testCredential(data())).message).toBe(`Trust and Sign answered HTTP 500 at ${namirial.emulator.url}/contract/management/users: Internal error`);
	});

	test('the environments map to the documented base URLs', () => {
		expect(namirialBaseUrl({ environment: 'integration' })).toBe('https://integration-api.ekeynox.net');
		expect(namirialBaseUrl({ environment: 'preproduction' })).toBe('https://preprod-api.ekeynox.net');
		expect(namirialBaseUrl({ environment: 'production' })).toBe('https://api.ekeynox.net');
		expect(namirialBaseUrl({ environment: 'custom', url: ' http://127.0.0.1:9/contract/management/users/ ' })).toBe('http://127.0.0.1:9');
		expect(() => namirialBaseUrl({ environment: 'custom', url: 'not a url' })).toThrow(/not a valid URL/);
	});

	test('a wrong password in the node is a clear 401 error, never retried, and the password is never shown', async () => {
		const result = await namirial.run({ operation: 'getMany', returnAll: true }, { credentials: { password: 'Wr0ng-Pa55word' } });
		expect(result.error?.message).toBe(`Trust and Sign rejected the e-mail or password of the admin operator ${NAMIRIAL_ADMIN_EMAIL} (HTTP 401)`);
		expect(namirial.emulator.log).toHaveLength(1);
		expect(everyText(result)).not.toContain('Wr0ng-Pa55word');
		expect(everyText(result)).not.toContain(Buffer.from(`${NAMIRIAL_ADMIN_EMAIL}:Wr0ng-Pa55word`).toString('base64'));
	});

	test('an operator without ADMINISTRATION is told why', async () => {
		namirial.emulator.operator(NAMIRIAL_ADMIN_EMAIL)!.authorizations = ['VALIDATION'];
		const result = await namirial.run({ operation: 'getMany', returnAll: true });
		expect(result.error?.message).toBe(
			`Trust and Sign refused this action to the credential's operator ${NAMIRIAL_ADMIN_EMAIL}, who is not an admin operator (HTTP 403): Access denied`,
		);
		expect(result.error?.message).not.toMatch(/the admin operator/);
		expect(result.error?.description).toMatch(/ADMINISTRATION/);
	});

	test('GET is retried on 503 honouring Retry-After; a malformed body is reported', async () => {
		namirial.emulator.injectFault({ status: 503, headers: { 'retry-after': '0' } });
		const retried = await namirial.run({ operation: 'getMany', returnAll: true });
		expect(retried.error).toBeUndefined();
		expect(namirial.emulator.log).toHaveLength(2);
		namirial.emulator.injectFault({ malformed: true });
		const malformed = await namirial.run({ operation: 'getMany', returnAll: true });
		expect(malformed.error?.message).toBe('Trust and Sign sent a response that is not valid JSON (HTTP 200)');
	});
});
