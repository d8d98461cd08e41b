/**
 * Items in flight at once (Request Options > Concurrency), through n8n's execution engine against
 * the emulators: output order and pairing kept, the bound respected, the first item alone (one
 * rejected login per execution, one FlowerDocs login), a 429 slowing every request of the
 * execution, and the credential read once per execution.
 */
import { useFlowerDocs } from '../flowerdocs/fixture';
import { byId, useMaarch } from '../maarch/fixture';
import { inFlightGate } from '../emulators/shared/server';
import { useNamirial } from '../namirial/fixture';

describe('Maarch Courrier Get, 20 items', () => {
	const maarch = useMaarch({
		users: Array.from({ length: 20 }, (_, index) => ({
			id: 100 + index,
			user_id: `agent${index}`,
			firstname: 'Agent',
			lastname: `N${index}`,
			mail: `agent${index}@mairie.example.fr`,
		})),
	});
	const items = Array.from({ length: 20 }, (_, index) => ({ id: 100 + index }));
	const parameters = { operation: 'get', userId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } };

	test.each([
		[undefined, 16],
		[1, 1],
		[8, 8],
	])('Concurrency %s: at most %i requests at once, the output in input order and paired', async (concurrency, peak) => {
		// Held until `peak` requests are in flight (the first alone), then 40 ms: a node sending more at
		// once shows in peakInFlight, whatever the machine's speed.
		maarch.emulator.server.hold = inFlightGate(maarch.emulator.server, peak, { firstAlone: true });
		const result = await maarch.run(
			{ ...parameters, ...(concurrency === undefined ? {} : { requestOptions: { concurrency } }) },
			{ items },
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(items.map((item) => item.id));
		expect(result.items.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		expect(maarch.emulator.log).toHaveLength(20);
		expect(maarch.emulator.server.peakInFlight).toBe(peak);
		// The first item goes alone: the second request arrives once the first was answered.
		const [first, second] = maarch.emulator.log;
		expect(second.time - first.time).toBeGreaterThanOrEqual(35);
		// Read once for the execution, not once per request.
		expect(result.credentialsHelper.decryptions.filter((type) => type === 'maarchCourrierApi')).toHaveLength(1);
	});

	test('a wrong password: one rejected request, every other item not sent, with Continue On Fail', async () => {
		maarch.emulator.server.delayAllMs = 20;
		const result = await maarch.run(parameters, {
			items,
			credentials: { password: 'wrong-password' },
			node: { onError: 'continueRegularOutput' },
		});
		expect(maarch.emulator.log).toHaveLength(1);
		expect(result.items).toHaveLength(20);
		expect(result.items[0].json.error).toMatch(/rejected the login or password/);
		for (const item of result.items.slice(1)) {
			expect(item.error?.description).toMatch(/Not sent: the credentials were refused for item 1 of this execution/);
		}
	});

	test('a 429 with Retry-After pauses every request of the execution, then all items succeed', async () => {
		// Item 6's request is answered 429: the requests sent after that answer wait a second too.
		maarch.emulator.server.delayAllMs = 20;
		maarch.emulator.injectFault({ status: 429, headers: { 'Retry-After': '1' }, body: { errors: 'Too many requests' } }, 1, { path: '/rest/users/105' });
		const result = await maarch.run({ ...parameters, requestOptions: { concurrency: 4 } }, { items });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(items.map((item) => item.id));
		const log = maarch.emulator.log;
		expect(log).toHaveLength(21);
		const limited = log.find((entry) => entry.fault)!;
		const during = log.filter((entry) => entry.time > limited.time + 100 && entry.time < limited.time + 900);
		expect(during).toEqual([]);
		// The retry, and every item not started when the 429 came back (at most 3 others were in flight).
		expect(log.filter((entry) => entry.time >= limited.time + 900).length).toBeGreaterThanOrEqual(11);
	});

	test('without Continue On Fail, no item is started after the failing one is answered', async () => {
		maarch.emulator.server.delayAllMs = 30;
		const failing = items.map((item, index) => (index === 5 ? { id: 9999 } : item));
		const result = await maarch.run({ ...parameters, requestOptions: { concurrency: 3 } }, { items: failing });
		expect(result.error?.message).toBe('Maarch Courrier user 9999 does not exist');
		expect(result.error?.context?.itemIndex).toBe(5);
		// Item 1 alone, then at most three in flight: item 6 fails while items up to 8 may be sent.
		expect(maarch.emulator.log.length).toBeLessThanOrEqual(9);
		expect(maarch.emulator.log.map((entry) => entry.path)).not.toContain('/rest/users/119');
	});
});

describe('the credential is read once per execution', () => {
	const namirial = useNamirial();

	test('Trust and Sign: 12 operators created, one decryption', async () => {
		const items = Array.from({ length: 12 }, (_, index) => ({ email: `agent${index}@agence.example.fr` }));
		const result = await namirial.run({ operation: 'create', email: '={{ $json.email }}', firstName: 'Agent', lastName: 'Public' }, { items });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(12);
		expect(namirial.emulator.log).toHaveLength(12);
		expect(result.credentialsHelper.decryptions.filter((type) => type === 'namirialTrustAndSignApi')).toHaveLength(1);
	});
});

describe('FlowerDocs, 8 items in flight', () => {
	const fd = useFlowerDocs();
	const items = Array.from({ length: 8 }, () => ({ id: 'mmartin' }));

	test('one login serves every item', async () => {
		fd.emulator.server.delayAllMs = 20;
		const result = await fd.run({ operation: 'get', userIds: '={{ $json.id }}', resolveAuthorities: false, requestOptions: { concurrency: 8 } }, { items });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(8);
		expect(fd.emulator.logins).toHaveLength(1);
	});

	test('tokens revoked mid-execution: the items in flight renew them with one login, not one each', async () => {
		fd.emulator.server.delayAllMs = 20;
		fd.emulator.revokeTokensAfter = 2;
		const result = await fd.run({ operation: 'get', userIds: '={{ $json.id }}', resolveAuthorities: false, requestOptions: { concurrency: 8 } }, { items });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(items.map(() => 'mmartin'));
		expect(fd.emulator.logins).toHaveLength(2);
	});
});

describe('Continue On Fail with items in flight', () => {
	const maarch = useMaarch();

	test('every item has its outcome, in order', async () => {
		maarch.emulator.server.delayAllMs = 10;
		const ids = [10, 42, 12, 43, 11, 44, 10];
		const result = await maarch.run(
			{ operation: 'get', userId: byId('={{ $json.id }}'), requestOptions: { concurrency: 4 } },
			{ items: ids.map((id) => ({ id })), node: { onError: 'continueRegularOutput' } },
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id ?? item.json.error)).toEqual([
			10,
			'Maarch Courrier user 42 does not exist',
			12,
			'Maarch Courrier user 43 does not exist',
			11,
			'Maarch Courrier user 44 does not exist',
			10,
		]);
		expect(result.items.map((item) => item.pairedItem)).toEqual(ids.map((_, item) => ({ item })));
	});
});
