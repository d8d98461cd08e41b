/**
 * The credential's Test, run as n8n runs a declarative credential test (it lists operators), and
 * the node's handling of the credential (environments, wrong password, secrets never shown).
 */
import { NAMIRIAL_ADMIN_EMAIL, NAMIRIAL_ADMIN_PASSWORD } from '../emulators/namirial';
import { everyText, testCredential } from '../harness';
import { namirialBaseUrl } from '../../nodes/NamirialTrustAndSign/transport';
import { basicAuth, useNamirial } from './fixture';

const namirial = useNamirial();

// n8n 1.x loses the HTTP status of a failing test and shows its generic text (see test/maarch/credential.test.ts).
const either = (rule: RegExp, generic: string) => new RegExp(`${rule.source}|^${generic}$`);

describe('Trust and Sign credential', () => {
	const data = (overrides: Record<string, unknown> = {}) => ({
		environment: 'custom',
		url: namirial.emulator.url,
		email: NAMIRIAL_ADMIN_EMAIL,
		password: NAMIRIAL_ADMIN_PASSWORD,
		...overrides,
	});

	test('the Test lists operators with Basic auth', async () => {
		expect(await testCredential('namirialTrustAndSignApi', data())).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(namirial.emulator.log.map((entry) => `${entry.method} ${entry.path}`)).toEqual(['GET /contract/management/users']);
		expect(namirial.emulator.log[0].headers.authorization).toBe(basicAuth);
	});

	test('a custom URL with a trailing slash or the API path works', async () => {
		expect((await testCredential('namirialTrustAndSignApi', data({ url: `${namirial.emulator.url}/` }))).status).toBe('OK');
		expect((await testCredential('namirialTrustAndSignApi', data({ url: `${namirial.emulator.url}/contract/management/` }))).status).toBe('OK');
		expect(namirial.emulator.log.map((entry) => entry.path)).toEqual(['/contract/management/users', '/contract/management/users']);
	});

	test('a wrong password fails the Test', async () => {
		const result = await testCredential('namirialTrustAndSignApi', data({ password: 'wrong-password' }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(either(/rejected the e-mail or password/, 'Authorization failed - please check your credentials'));
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
		expect(result.error?.message).toMatch(/refused this action for the admin operator .* \(HTTP 403\): Access denied/);
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
