/**
 * The credential's password never appears in any output item or error, whatever the server
 * echoes back and however the node fails.
 */
import { MAARCH_API_LOGIN, MAARCH_API_PASSWORD } from '../emulators/maarch';
import { everyText } from '../harness';
import { byId, useMaarch } from './fixture';

const maarch = useMaarch();
const basicToken = Buffer.from(`${MAARCH_API_LOGIN}:${MAARCH_API_PASSWORD}`).toString('base64');

function expectNoSecret(text: string) {
	expect(text).not.toContain(MAARCH_API_PASSWORD);
	expect(text).not.toContain(encodeURIComponent(MAARCH_API_PASSWORD));
	expect(text).not.toContain(basicToken);
}

describe('the password never leaks', () => {
	test('a server error that echoes the password and the Authorization header', async () => {
		maarch.emulator.injectFault({
			status: 500,
			body: { errors: `SQL error: password '${MAARCH_API_PASSWORD}' from header Basic ${basicToken}` },
		});
		const result = await maarch.run({ operation: 'get', userId: byId(10) });
		expect(result.error?.message).toContain('[redacted]');
		expectNoSecret(everyText(result));
	});

	test('a success body that echoes the password, with Continue On Fail', async () => {
		maarch.emulator.injectFault({
			status: 200,
			body: { id: 10, user_id: 'bbain', note: `created by ${MAARCH_API_LOGIN}/${MAARCH_API_PASSWORD}` },
		});
		maarch.emulator.injectFault({ status: 400, body: { errors: `Bad password ${MAARCH_API_PASSWORD}` } });
		const result = await maarch.run(
			{ operation: 'get', userId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } },
			{ items: [{ id: 10 }, { id: 11 }], node: { onError: 'continueRegularOutput' } },
		);
		expect(result.items[0].json.note).toBe(`created by ${MAARCH_API_LOGIN}/[redacted]`);
		expect(result.items[1].json.error).toContain('[redacted]');
		expectNoSecret(everyText(result));
	});

	test('a rejected login, a timeout, a dropped connection and a malformed body', async () => {
		const failures = [
			await maarch.run({ operation: 'get', userId: byId(10) }, { credentials: { password: `${MAARCH_API_PASSWORD}x` } }),
		];
		maarch.emulator.injectFault({ delayMs: 1500 });
		failures.push(await maarch.run({ operation: 'get', userId: byId(10), requestOptions: { timeout: 1 } }));
		maarch.emulator.injectFault({ drop: true }, 1, { method: 'POST' });
		failures.push(await maarch.run({ operation: 'create', login: 'x', firstname: 'x', lastname: 'x', mail: 'x@x.fr' }));
		maarch.emulator.injectFault({ status: 200, body: `{"broken": "${MAARCH_API_PASSWORD}` });
		failures.push(await maarch.run({ operation: 'getMany', returnAll: true }));
		for (const result of failures) {
			expect(result.error).toBeDefined();
			expectNoSecret(everyText(result));
		}
	});
});
