/**
 * The session token: one login for many requests, renewal before the token's end, one renewal
 * and one retry after a 401, and a clear error after a second 401 (the credential's Test:
 * credential.test.ts).
 */
import { tokenNeedsRenewal } from '../../nodes/FlowerDocs/transport';
import { readJwtTimes, renewalMargin, tokenRenewAt } from '../../credentials/FlowerDocsApi.credentials';
import { FLOWERDOCS_API_PASSWORD } from '../emulators/flowerdocs';
import { TestCredentialsHelper, credentialTypes, everyText } from '../harness';
import { useFlowerDocs } from './fixture';

const fd = useFlowerDocs();

const logins = () => fd.emulator.log.filter((entry) => entry.path === '/core/rest/authentication');
const userCalls = () => fd.emulator.log.filter((entry) => entry.path !== '/core/rest/authentication');

describe('FlowerDocs token', () => {
	test('one login serves many requests, in one execution and the next', async () => {
		const helper = new TestCredentialsHelper(credentialTypes, fd.credentials());
		const items = [{ id: 'jdupont' }, { id: 'mmartin' }, { id: 'pdurand' }, { id: 'jdupont' }];
		const first = await fd.run({ operation: 'get', userIds: '={{ $json.id }}', resolveAuthorities: true }, { items, credentialsHelper: helper });
		expect(first.error).toBeUndefined();
		expect(first.items).toHaveLength(4);
		const second = await fd.run({ operation: 'search', search: 'a', returnAll: true }, { credentialsHelper: helper });
		expect(second.error).toBeUndefined();
		expect(logins()).toHaveLength(1);
		expect(helper.preAuthenticationCalls).toEqual(['flowerDocsApi']);
		const tokens = new Set(userCalls().map((entry) => entry.headers.token));
		expect(tokens.size).toBe(1);
		// n8n keeps the token (encrypted) in the credential, with the moment to renew it.
		const stored = helper.stored('flowerDocsApi')!;
		expect(stored.sessionToken).toBe([...tokens][0]);
		expect(Number(stored.renewAt)).toBeGreaterThan(Date.now() + 3_000_000);
	});

	test('a token that reaches its renewal time mid-workflow is renewed before use, without failing the item', async () => {
		fd.emulator.tokenLifetimeSeconds = 1.5;
		// The first request is slow: the second item finds the token within its renewal margin
		// (1.5 s lifetime, 0.3 s margin).
		const helper = new TestCredentialsHelper(credentialTypes, fd.credentials());
		const items = [{ id: 'jdupont' }, { id: 'mmartin' }, { id: 'pdurand' }];
		fd.emulator.injectFault({ delayMs: 0 }, 1); // the login
		fd.emulator.injectFault({ delayMs: 1_300 }, 1); // item 0: slow answer
		const result = await fd.run(
			{ operation: 'get', userIds: '={{ $json.id }}', resolveAuthorities: true },
			{ items, credentialsHelper: helper },
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(['jdupont', 'mmartin', 'pdurand']);
		// Renewed before it was refused: two logins, three requests, none answered 401.
		expect(fd.emulator.log.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
			'POST /core/rest/authentication',
			'GET /core/rest/users/jdupont',
			'POST /core/rest/authentication',
			'GET /core/rest/users/mmartin',
			'GET /core/rest/users/pdurand',
		]);
		const [a, b, c] = userCalls().map((entry) => entry.headers.token);
		expect(a).not.toBe(b);
		expect(b).toBe(c);
		expect(helper.preAuthenticationCalls).toEqual(['flowerDocsApi', 'flowerDocsApi']);
	});

	test('an expired stored token (renewal time passed) is renewed before the first request', async () => {
		const helper = new TestCredentialsHelper(
			credentialTypes,
			fd.credentials({ sessionToken: fd.emulator.issueToken('n8n', 'GEC', Date.now() - 7_200_000), renewAt: String(Date.now() - 3_700_000) }),
		);
		const result = await fd.run({ operation: 'get', userIds: 'jdupont', resolveAuthorities: true }, { credentialsHelper: helper });
		expect(result.error).toBeUndefined();
		expect(logins()).toHaveLength(1);
		expect(userCalls()).toHaveLength(1);
		expect(typeof fd.emulator.checkToken(userCalls()[0].headers.token as string)).toBe('object');
	});

	test('a 401 triggers one renewal and one retry, and the item succeeds', async () => {
		const helper = new TestCredentialsHelper(credentialTypes, fd.credentials());
		await fd.run({ operation: 'get', userIds: 'jdupont', resolveAuthorities: true }, { credentialsHelper: helper });
		fd.emulator.revokeTokens(); // as after a restart of FlowerDocs Core
		fd.emulator.clearLogForTest();
		const result = await fd.run({ operation: 'create', userId: 'newbie', mail: 'newbie@mairie.example.fr' }, { credentialsHelper: helper });
		expect(result.error).toBeUndefined();
		expect(fd.emulator.log.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
			'POST /core/rest/users',
			'POST /core/rest/authentication',
			'POST /core/rest/users',
		]);
		expect(fd.emulator.users.has('newbie')).toBe(true);
	});

	test('a second 401 fails the item with a clear message, after a single renewal', async () => {
		// The login works; the user service refuses every token.
		fd.emulator.refuseNextTokens = 10;
		const result = await fd.run({ operation: 'delete', userId: 'pdurand' });
		expect(result.error?.message).toBe('FlowerDocs rejected the session token twice, even right after a new login (HTTP 401)');
		expect(fd.emulator.users.has('pdurand')).toBe(true);
		expect(fd.emulator.log.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
			'POST /core/rest/authentication',
			'DELETE /core/rest/users/pdurand',
			'POST /core/rest/authentication',
			'DELETE /core/rest/users/pdurand',
		]);
	});

	test('a password changed since the last login fails the item with the login error', async () => {
		const helper = new TestCredentialsHelper(credentialTypes, fd.credentials());
		await fd.run({ operation: 'get', userIds: 'jdupont', resolveAuthorities: true }, { credentialsHelper: helper });
		fd.emulator.users.get('n8n')!.password = 'changed-elsewhere';
		fd.emulator.revokeTokens();
		const result = await fd.run({ operation: 'get', userIds: 'jdupont', resolveAuthorities: true }, { credentialsHelper: helper });
		expect(result.error?.message).toMatch(/^FlowerDocs refused the login of user 'n8n' in scope 'GEC' \(HTTP 401\)/);
	});

	test('the token and the password never appear in output or errors', async () => {
		fd.emulator.injectFault({ status: 500, body: { code: 'T00500', message: 'boom' } });
		const result = await fd.run({ operation: 'get', userIds: 'jdupont', resolveAuthorities: true });
		const text = everyText(result);
		expect(text).toContain('boom');
		expect(text).not.toContain(FLOWERDOCS_API_PASSWORD);
		for (const entry of fd.emulator.log) {
			const token = entry.headers.token as string | undefined;
			if (token) expect(text).not.toContain(token);
		}
	});
});

describe('FlowerDocs token helpers', () => {
	test('renewal margin: a minute, or a fifth of a short lifetime', () => {
		expect(renewalMargin(3_600_000)).toBe(60_000);
		expect(renewalMargin(10_000)).toBe(2_000);
	});

	test('renewal time from the JWT, or the default lifetime', () => {
		const now = 1_700_000_000_000;
		const payload = Buffer.from(JSON.stringify({ iat: now / 1000, exp: now / 1000 + 3600 })).toString('base64url');
		expect(readJwtTimes(`h.${payload}.s`)).toEqual({ iat: now / 1000, exp: now / 1000 + 3600 });
		expect(tokenRenewAt(`h.${payload}.s`, now)).toBe(now + 3_540_000);
		expect(tokenRenewAt('opaque-token', now)).toBe(now + 3_540_000);
		expect(tokenNeedsRenewal({ url: '', scope: '', user: '', password: '', sessionToken: 't', renewAt: String(now) }, now)).toBe(true);
		expect(tokenNeedsRenewal({ url: '', scope: '', user: '', password: '', sessionToken: 't', renewAt: String(now + 1) }, now)).toBe(false);
		expect(tokenNeedsRenewal({ url: '', scope: '', user: '', password: '', sessionToken: '', renewAt: '' }, now)).toBe(false);
	});
});
