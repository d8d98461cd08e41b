/**
 * FlowerDocs quirks absorbed by the node: no user management, trailing slashes, retries of
 * idempotent requests only, the Core URL with its context path.
 */
import { FLOWERDOCS_API_PASSWORD } from '../emulators/flowerdocs';
import { TestCredentialsHelper, credentialTypes } from '../harness';
import { useFlowerDocs } from './fixture';

const fd = useFlowerDocs();

describe('FlowerDocs errors and resilience', () => {
	test('an instance without user management (405) says so, for every operation', async () => {
		fd.emulator.userManagement = false;
		for (const parameters of [
			{ operation: 'search', search: 'a', returnAll: true },
			{ operation: 'create', userId: 'x', mail: 'x@mairie.example.fr' },
			{ operation: 'delete', userId: 'jdupont' },
		]) {
			const result = await fd.run(parameters);
			expect(result.error?.message).toBe('User management is not available on this FlowerDocs instance');
		}
	});

	test('the Core URL may end with a slash: no request has a trailing slash', async () => {
		const result = await fd.run(
			{ operation: 'get', userIds: 'jdupont', resolveAuthorities: true },
			{ credentials: { url: `${fd.emulator.url}/` } },
		);
		expect(result.error).toBeUndefined();
		expect(fd.emulator.log.every((entry) => !entry.path.endsWith('/'))).toBe(true);
	});

	test('a wrong context path gives a clear login error', async () => {
		const result = await fd.run(
			{ operation: 'get', userIds: 'jdupont', resolveAuthorities: true },
			{ credentials: { url: fd.emulator.url.replace(/\/core$/, '/flower-docs-ws') } },
		);
		expect(result.error?.message).toMatch(/^No FlowerDocs login service at .*\/flower-docs-ws\/rest\/authentication \(HTTP 404\)/);
		expect(JSON.stringify(result.error)).not.toContain(FLOWERDOCS_API_PASSWORD);
	});

	test('a read answered 503 then 200 succeeds; a create answered 503 is reported, not resent', async () => {
		const helper = new TestCredentialsHelper(credentialTypes, fd.credentials());
		await fd.run({ operation: 'search', search: 'x', returnAll: true }, { credentialsHelper: helper });
		fd.emulator.clearLogForTest();
		fd.emulator.injectFault({ status: 503, headers: { 'retry-after': '0' }, body: { code: 'T00503', message: 'Unavailable' } }, 1);
		const get = await fd.run({ operation: 'get', userIds: 'jdupont', resolveAuthorities: true }, { credentialsHelper: helper });
		expect(get.error).toBeUndefined();
		expect(fd.emulator.log.map((entry) => entry.method)).toEqual(['GET', 'GET']);
		fd.emulator.clearLogForTest();
		fd.emulator.injectFault({ status: 503, headers: { 'retry-after': '0' }, body: { code: 'T00503', message: 'Unavailable' } }, 1);
		const create = await fd.run({ operation: 'create', userId: 'newbie', mail: 'n@mairie.example.fr' }, { credentialsHelper: helper });
		expect(create.error?.message).toMatch(/FlowerDocs is temporarily unavailable \(HTTP 503\)/);
		expect(create.error?.description).toMatch(/not retried automatically/);
		expect(fd.emulator.log).toHaveLength(1);
	});
});
