/**
 * The shared request pipeline seen through the Maarch node: Continue On Fail and the error
 * output, retries (bounded, Retry-After honoured, never on 401 or POST), timeouts, malformed
 * bodies and dropped connections.
 */
import { MAARCH_API_LOGIN } from '../emulators/maarch';
import { byId, useMaarch } from './fixture';

const maarch = useMaarch();

const paths = () => maarch.emulator.log.map((entry) => `${entry.method} ${entry.path}`);

describe('per-item errors', () => {
	const items = [{ id: 10 }, { id: 42 }, { id: 12 }];
	const parameters = { operation: 'get', userId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } };

	test('with Continue On Fail, the failing item becomes an error item paired to its input', async () => {
		const result = await maarch.run(parameters, { items, node: { onError: 'continueRegularOutput' } });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items[0].json).toMatchObject({ id: 10 });
		expect(result.items[1].json).toEqual({ error: 'Maarch Courrier user 42 does not exist' });
		expect(result.items[1].error?.description).toMatch(/Check the user ID/);
		expect((result.items[1].error as { httpCode?: string }).httpCode).toBe('400');
		expect(result.items[1].pairedItem).toEqual({ item: 1 });
		expect(result.items[2].json).toMatchObject({ id: 12 });
		expect(paths()).toEqual(['GET /rest/users/10', 'GET /rest/users/42', 'GET /rest/users/12']);
	});

	test('with the error output, failing items go to the second output', async () => {
		const result = await maarch.run(parameters, { items, node: { onError: 'continueErrorOutput' } });
		expect(result.outputs[0].map((item) => item.json.id)).toEqual([10, 12]);
		expect(result.outputs[1]).toHaveLength(1);
		expect(result.outputs[1][0].json.error).toBe('Maarch Courrier user 42 does not exist');
		expect(result.outputs[1][0].pairedItem).toEqual({ item: 1 });
	});

	test('without Continue On Fail and with Concurrency 1, the node stops at the failing item and names it', async () => {
		const result = await maarch.run({ ...parameters, requestOptions: { concurrency: 1 } }, { items });
		expect(result.error?.message).toBe('Maarch Courrier user 42 does not exist');
		expect(result.error?.context?.itemIndex).toBe(1);
		expect(paths()).toEqual(['GET /rest/users/10', 'GET /rest/users/42']);
	});

	test('without Continue On Fail, an item sent at the same time as the failing one is named as gone through', async () => {
		const result = await maarch.run(parameters, { items });
		expect(result.error?.message).toBe('Maarch Courrier user 42 does not exist');
		expect(result.error?.context?.itemIndex).toBe(1);
		expect(result.error?.description).toMatch(/Meanwhile item 3, sent at the same time as this one \(Concurrency 16\), went through: do not send it again\.$/);
		// Item 1 alone (the first answer), then items 2 and 3 together.
		expect(paths()).toEqual(['GET /rest/users/10', 'GET /rest/users/42', 'GET /rest/users/12']);
	});
});

describe('retries', () => {
	test('a GET answered 503 with Retry-After is retried after the asked delay', async () => {
		maarch.emulator.injectFault({ status: 503, headers: { 'retry-after': '1' }, body: { errors: 'Service unavailable' } }, 2);
		const result = await maarch.run({ operation: 'get', userId: byId(10) });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.id).toBe(10);
		const log = maarch.emulator.log;
		expect(log).toHaveLength(3);
		expect(log[1].at - log[0].at).toBeGreaterThanOrEqual(900);
		expect(log[2].at - log[1].at).toBeGreaterThanOrEqual(900);
	});

	test('cancelling the execution during a Retry-After wait stops it: no request is sent again', async () => {
		maarch.emulator.injectFault({ status: 503, headers: { 'retry-after': '2' }, body: { errors: 'Service unavailable' } });
		const started = Date.now();
		await maarch.run({ operation: 'get', userId: byId(10) }, { cancelAfterMs: 300 });
		expect(Date.now() - started).toBeLessThan(1500);
		// Past the asked wait: a wait that ignored the cancellation would have sent the retry by now.
		await new Promise((resolve) => setTimeout(resolve, 2500));
		expect(paths()).toEqual(['GET /rest/users/10']);
	});

	test('retries are bounded, then the error says the server is unavailable', async () => {
		maarch.emulator.maintenanceRetryAfter = 0;
		const result = await maarch.run({ operation: 'get', userId: byId(10), requestOptions: { maxRetries: 2 } });
		expect(result.error?.message).toBe(
			'Maarch Courrier is temporarily unavailable (HTTP 503): Service unavailable: an upgrade is in progress',
		);
		expect(result.error?.description).toMatch(/Tried 3 times without success/);
		expect(maarch.emulator.log).toHaveLength(3);
	});

	test('a Retry-After longer than a minute is not waited for', async () => {
		maarch.emulator.maintenanceRetryAfter = 3600;
		const started = Date.now();
		const result = await maarch.run({ operation: 'get', userId: byId(10) });
		expect(Date.now() - started).toBeLessThan(5000);
		expect(result.error?.description).toMatch(/asked to wait 3600 seconds/);
		expect(maarch.emulator.log).toHaveLength(1);
	});

	test('429, 502 and 504 are retried for idempotent requests (PUT, DELETE)', async () => {
		maarch.emulator.injectFault({ status: 429, headers: { 'retry-after': '0' } });
		maarch.emulator.injectFault({ status: 502, headers: { 'retry-after': '0' } });
		maarch.emulator.injectFault({ status: 504, headers: { 'retry-after': '0' } });
		const result = await maarch.run({ operation: 'unlinkFromMaarchParapheur', userId: byId(12) });
		expect(result.error).toBeUndefined();
		expect(paths()).toEqual(Array(4).fill('PUT /rest/users/12/unlinkToMaarchParapheur'));
	});

	test('a POST answered 503 is not retried', async () => {
		maarch.emulator.injectFault({ status: 503, headers: { 'retry-after': '0' }, body: { errors: 'Service unavailable' } });
		const result = await maarch.run({ operation: 'addToGroup', userId: byId(10), groupId: 'ELU' });
		// The message itself says it (an AI agent gets only the message): the description says what to check.
		expect(result.error?.message).toBe(
			'Maarch Courrier is temporarily unavailable (HTTP 503): Service unavailable (not retried, as it may have been applied)',
		);
		expect(result.error?.description).toMatch(/not retried automatically/);
		expect(paths()).toEqual(['POST /rest/users/10/groups']);
		expect(maarch.emulator.users.get(10)?.groups).toEqual(['AGENT']);
	});

	test('a 401 is never retried, so the account is not locked by the node', async () => {
		const result = await maarch.run({ operation: 'get', userId: byId(10) }, { credentials: { password: 'wrong-password' } });
		expect(result.error?.message).toBe(
			`Maarch Courrier rejected the login or password of the account '${MAARCH_API_LOGIN}' (HTTP 401)`,
		);
		expect(maarch.emulator.log).toHaveLength(1);
		expect(maarch.emulator.findByLogin(MAARCH_API_LOGIN)?.failedLogins).toBe(1);
	});

	test('a locked account is reported as locked', async () => {
		maarch.emulator.lockAfter = 2;
		for (let attempt = 0; attempt < 2; attempt++) {
			await maarch.run({ operation: 'get', userId: byId(10) }, { credentials: { password: 'wrong-password' } });
		}
		const result = await maarch.run({ operation: 'get', userId: byId(10) });
		expect(result.error?.message).toBe(`The Maarch Courrier account '${MAARCH_API_LOGIN}' is locked`);
	});

	test('a dropped connection is retried for a GET', async () => {
		maarch.emulator.injectFault({ drop: true });
		const result = await maarch.run({ operation: 'get', userId: byId(10) });
		expect(result.error).toBeUndefined();
		expect(paths()).toEqual(['GET /rest/users/10', 'GET /rest/users/10']);
	});

	test('a dropped connection is not retried for a POST', async () => {
		maarch.emulator.injectFault({ drop: true }, 1, { method: 'POST' });
		const result = await maarch.run({ operation: 'create', login: 'bw', firstname: 'B', lastname: 'W', mail: 'b@w.fr' });
		expect(result.error?.message).toBe(
			'The connection to Maarch Courrier was closed before it answered (not retried, as it may have been applied)',
		);
		expect(result.error?.description).toMatch(/not retried automatically/);
		// The user list (read once per execution, to tell a restored account), then the creation.
		expect(paths()).toEqual(['GET /rest/users', 'POST /rest/users']);
	});
});

describe('slow and broken answers', () => {
	test('a request slower than the timeout fails with a clear message and is not retried', async () => {
		maarch.emulator.injectFault({ delayMs: 6000 });
		const started = Date.now();
		const result = await maarch.run({ operation: 'get', userId: byId(10), requestOptions: { timeout: 1 } });
		// Well under the server's 6 s: the node gave up after its 1 s timeout.
		expect(Date.now() - started).toBeLessThan(5000);
		expect(result.error?.message).toBe('Maarch Courrier did not answer within 1 second');
		expect(result.error?.description).toMatch(/Timeout \(Seconds\)/);
		expect(maarch.emulator.log).toHaveLength(1);
	});

	test('a malformed JSON body is reported, not passed on', async () => {
		maarch.emulator.injectFault({ malformed: true });
		const result = await maarch.run({ operation: 'getMany', returnAll: true });
		expect(result.error?.message).toBe('Maarch Courrier sent a response that is not valid JSON (HTTP 200)');
		expect(result.error?.description).toMatch(/began with: \{"users": \[\{"id": 1/);
	});

	test('a server that cannot be reached', async () => {
		const url = maarch.emulator.url;
		await maarch.emulator.close();
		const result = await maarch.run({ operation: 'get', userId: byId(10) }, { credentials: { url } });
		expect(result.error?.message).toBe('Could not connect to Maarch Courrier: the connection was refused');
		await maarch.emulator.start();
	});
});
