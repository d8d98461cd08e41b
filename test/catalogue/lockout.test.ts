/**
 * Catalogue, lockout: after the first rejected login (HTTP 401) of an execution, the other items
 * fail with the same error and nothing more is sent, Continue On Fail or not, so a wrong password
 * costs one rejected login per execution (Maarch Courrier locks accounts after a few).
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { FLOWERDOCS_API_PASSWORD } from '../emulators/flowerdocs';
import { MAARCH_API_PASSWORD } from '../emulators/maarch';
import { NAMIRIAL_ADMIN_PASSWORD } from '../emulators/namirial';
import { inFlightGate } from '../emulators/shared/server';
import type { RunResult } from '../harness';
import { useFlowerDocs } from '../flowerdocs/fixture';
import { byId, useMaarch } from '../maarch/fixture';
import { useNamirial } from '../namirial/fixture';
import { entry, expectNoSecret } from './catalogue';

const WRONG = 'Wrong-Pa55word!';
const THREE = [{ n: 1 }, { n: 2 }, { n: 3 }];

/** Three error items, one per input item, all with the same message, in order. */
function expectSameErrorPerItem(items: INodeExecutionData[], message: string | RegExp): void {
	expect(items).toHaveLength(3);
	expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	const messages = items.map((item) => String(item.json.error));
	for (const text of messages) {
		if (typeof message === 'string') expect(text).toBe(message);
		else expect(text).toMatch(message);
	}
	expect(new Set(messages).size).toBe(1);
}

function expectStopped(run: RunResult, message: string | RegExp): void {
	expect(run.error).toBeDefined();
	if (typeof message === 'string') expect(run.error!.message).toBe(message);
	else expect(run.error!.message).toMatch(message);
}

describe('Maarch Courrier lockout', () => {
	const maarch = useMaarch();
	const secrets = [MAARCH_API_PASSWORD, WRONG];
	const REJECTED = /^Maarch Courrier rejected .*\(HTTP 401\)/;

	entry('lockout', 'Maarch: a wrong password with Continue On Fail costs one rejected request for three items', async () => {
		const run = await maarch.run({ operation: 'get', userId: byId(10) }, { items: THREE, credentials: { password: WRONG }, node: { continueOnFail: true } });
		expect(run.error).toBeUndefined();
		expectSameErrorPerItem(run.items, REJECTED);
		expect(maarch.emulator.log).toHaveLength(1);
		expectNoSecret(run, secrets);
	});

	entry('lockout', 'Maarch: the items not sent say why in the description', async () => {
		const run = await maarch.run({ operation: 'get', userId: byId(10) }, { items: THREE, credentials: { password: WRONG }, node: { continueOnFail: true } });
		const description = (run.items[2].error as { description?: string } | undefined)?.description ?? '';
		expect(description).toContain('Not sent: the credentials were refused for item 1 of this execution');
		expect(maarch.emulator.log).toHaveLength(1);
	});

	entry('lockout', 'Maarch: with the error output, every item is on it and one request was made', async () => {
		const run = await maarch.run({ operation: 'get', userId: byId(10) }, { items: THREE, credentials: { password: WRONG }, node: { onError: 'continueErrorOutput' } });
		expect(run.outputs[0] ?? []).toEqual([]);
		expectSameErrorPerItem(run.outputs[1], REJECTED);
		expect(maarch.emulator.log).toHaveLength(1);
		expectNoSecret(run, secrets);
	});

	entry('lockout', 'Maarch: without Continue On Fail, the node stops after the one rejected request', async () => {
		const run = await maarch.run({ operation: 'get', userId: byId(10) }, { items: THREE, credentials: { password: WRONG } });
		expectStopped(run, REJECTED);
		expect(maarch.emulator.log).toHaveLength(1);
		expectNoSecret(run, secrets);
	});

	entry('lockout', 'Maarch, Concurrency 1: a 401 on the second item stops the third, the first kept', async () => {
		maarch.emulator.injectFault({ status: 401, body: { errors: 'Authentication Failed' } }, 1, { when: () => maarch.emulator.log.length === 2 });
		const run = await maarch.run({ operation: 'get', userId: byId(10), requestOptions: { concurrency: 1 } }, { items: THREE, node: { continueOnFail: true } });
		expect(run.items[0].json.id).toBe(10);
		expect(String(run.items[1].json.error)).toMatch(REJECTED);
		expect(run.items[2].json.error).toBe(run.items[1].json.error);
		expect(maarch.emulator.log).toHaveLength(2);
	});

	entry('lockout', 'Maarch, Concurrency 3: nothing is sent once a 401 came back, the items in flight kept', async () => {
		// Items 2, 3 and 4 are held until all three are in flight, whatever the machine's speed.
		maarch.emulator.server.hold = inFlightGate(maarch.emulator.server, 3, { firstAlone: true, windowMs: 30 });
		maarch.emulator.injectFault({ status: 401, body: { errors: 'Authentication Failed' } }, 1, { when: () => maarch.emulator.log.length === 2 });
		const items = Array.from({ length: 10 }, () => ({}));
		const run = await maarch.run({ operation: 'get', userId: byId(10), requestOptions: { concurrency: 3 } }, { items, node: { continueOnFail: true } });
		// Item 1 alone, then items 2, 3 and 4 together: item 2 is refused, 3 and 4 were already sent.
		expect(maarch.emulator.log).toHaveLength(4);
		expect(run.items.map((item) => item.json.id ?? 'error')).toEqual([10, 'error', 10, 10, ...Array(6).fill('error')]);
		expect(String(run.items[1].json.error)).toMatch(REJECTED);
		for (const item of run.items.slice(4)) {
			expect(item.json.error).toBe(run.items[1].json.error);
			expect(item.error?.description).toMatch(/Not sent: the credentials were refused for item 2 of this execution/);
		}
	});

	entry('lockout', 'Maarch: an error other than 401 does not stop the other items', async () => {
		maarch.emulator.injectFault({ status: 503, body: { errors: 'busy' } }, 4);
		const run = await maarch.run({ operation: 'get', userId: byId(10) }, { items: THREE, node: { continueOnFail: true } });
		expect(String(run.items[0].json.error)).toMatch(/HTTP 503/);
		expect(run.items[1].json.id).toBe(10);
		expect(run.items[2].json.id).toBe(10);
	});
});

describe('Trust and Sign lockout', () => {
	const namirial = useNamirial();
	const secrets = [NAMIRIAL_ADMIN_PASSWORD, WRONG];

	entry('lockout', 'Trust and Sign: a wrong password with Continue On Fail costs one rejected request for three items', async () => {
		const run = await namirial.run(
			{ operation: 'delete', email: 'paul.durand@agence.example.fr' },
			{ items: THREE, credentials: { password: WRONG }, node: { continueOnFail: true } },
		);
		expectSameErrorPerItem(run.items, /^Trust and Sign rejected the e-mail or password of the admin operator admin@trust\.example\.fr \(HTTP 401\)/);
		expect(namirial.emulator.log).toHaveLength(1);
		expectNoSecret(run, secrets);
	});

	entry('lockout', 'Trust and Sign: without Continue On Fail, one rejected request', async () => {
		const run = await namirial.run({ operation: 'getMany' }, { items: THREE, credentials: { password: WRONG } });
		expectStopped(run, /^Trust and Sign rejected the e-mail or password of the admin operator admin@trust\.example\.fr \(HTTP 401\)/);
		expect(namirial.emulator.log).toHaveLength(1);
		expectNoSecret(run, secrets);
	});

	entry('lockout', 'Trust and Sign: with the error output, three error items and one request', async () => {
		const run = await namirial.run({ operation: 'getMany' }, { items: THREE, credentials: { password: WRONG }, node: { onError: 'continueErrorOutput' } });
		expectSameErrorPerItem(run.outputs[1], /^Trust and Sign rejected the e-mail or password of the admin operator admin@trust\.example\.fr \(HTTP 401\)/);
		expect(namirial.emulator.log).toHaveLength(1);
	});
});

describe('FlowerDocs lockout', () => {
	const fd = useFlowerDocs();
	const secrets = [FLOWERDOCS_API_PASSWORD, WRONG];
	const logins = () => fd.emulator.log.filter((e) => e.path.endsWith('/rest/authentication'));
	const REFUSED = /^FlowerDocs refused the login of user 'n8n' in scope 'GEC' \(HTTP 401\)/;

	entry('lockout', 'FlowerDocs: a wrong password with Continue On Fail costs one login for three items', async () => {
		const run = await fd.run({ operation: 'get', userIds: 'jdupont' }, { items: THREE, credentials: { password: WRONG }, node: { continueOnFail: true } });
		expectSameErrorPerItem(run.items, REFUSED);
		expect(logins()).toHaveLength(1);
		expect(fd.received()).toEqual([]);
		expectNoSecret(run, secrets);
	});

	entry('lockout', 'FlowerDocs: without Continue On Fail, one login', async () => {
		const run = await fd.run({ operation: 'delete', userId: 'pdurand' }, { items: THREE, credentials: { password: WRONG } });
		expectStopped(run, REFUSED);
		expect(logins()).toHaveLength(1);
		expect(fd.received()).toEqual([]);
		expectNoSecret(run, secrets);
	});

	entry('lockout', 'FlowerDocs: with the error output, three error items and one login', async () => {
		const run = await fd.run({ operation: 'get', userIds: 'jdupont' }, { items: THREE, credentials: { password: WRONG }, node: { onError: 'continueErrorOutput' } });
		expectSameErrorPerItem(run.outputs[1], REFUSED);
		expect(logins()).toHaveLength(1);
	});

	entry('lockout', 'FlowerDocs: a login refused for another reason (no login service) does not lock the other items out', async () => {
		fd.emulator.injectFault({ status: 404, body: { message: 'Not Found' } }, 1, { path: /\/rest\/authentication$/ });
		const run = await fd.run({ operation: 'get', userIds: 'jdupont' }, { items: THREE, node: { continueOnFail: true } });
		expect(String(run.items[0].json.error)).toMatch(/^No FlowerDocs login service/);
		expect(run.items.slice(1).map((item) => item.json.id)).toEqual(['jdupont', 'jdupont']);
		expect(logins().length).toBeGreaterThanOrEqual(2);
	});
});
