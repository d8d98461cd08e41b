/**
 * Catalogue, paths: every value placed in a URL path, per vendor and per path parameter. A valid
 * value that needs encoding reaches exactly the intended route; a value that would change the
 * route is refused with an error naming the field, and nothing at all reaches the emulator.
 */
import type { INodeParameters } from 'n8n-workflow';

import { FLOWERDOCS_API_PASSWORD } from '../emulators/flowerdocs';
import { SAMPLE_CIRCUITS, SAMPLE_DOCUMENTS, SAMPLE_SIREN } from '../emulators/fast/sample';
import { MAARCH_API_PASSWORD } from '../emulators/maarch';
import { NAMIRIAL_ADMIN_PASSWORD } from '../emulators/namirial';
import type { RunResult } from '../harness';
import { runPoll } from '../harness';
import { byId as fastById, pdfItem, useFast } from '../fast/fixture';
import { SEED as FLOWERDOCS_SEED, useFlowerDocs } from '../flowerdocs/fixture';
import { byId, byLogin, useMaarch } from '../maarch/fixture';
import { useNamirial } from '../namirial/fixture';
import { entry, expectNoSecret } from './catalogue';

const FAST_API = '/parapheur-ws/rest/v1';

/** The run failed before sending anything, with a message naming the field. */
function expectRefused(run: RunResult, field: string, log: readonly unknown[], secrets: readonly string[]): void {
	expect(run.error).toBeDefined();
	expect(run.error!.message).toContain(`'${field}'`);
	expect(run.error!.name).toBe('NodeOperationError');
	expect(log).toEqual([]);
	expectNoSecret(run, secrets);
}

describe('Maarch Courrier path values', () => {
	const maarch = useMaarch();
	const routes = () => maarch.emulator.log.map((e) => `${e.method} ${e.path}`);
	const secrets = [MAARCH_API_PASSWORD];

	entry('path', 'Maarch Remove From Group: a group id with accents and spaces reaches its own route', async () => {
		const run = await maarch.run({ operation: 'removeFromGroup', userId: byId(11), groupId: 'Élus 2026' });
		expect(routes()).toEqual(['DELETE /rest/users/11/groups/%C3%89lus%202026']);
		expectNoSecret(run, secrets);
	});

	entry('path', 'Maarch Remove From Entity: an entity id with accents and spaces reaches its own route', async () => {
		const run = await maarch.run({ operation: 'removeFromEntity', userId: byId(11), entityId: 'Pôle Jeunesse' });
		expect(routes()).toEqual(['DELETE /rest/users/11/entities/P%C3%B4le%20Jeunesse']);
		expectNoSecret(run, secrets);
	});

	entry('path', 'Maarch Get: the user id reaches its own route', async () => {
		const run = await maarch.run({ operation: 'get', userId: byId(10) });
		expect(run.error).toBeUndefined();
		expect(routes()).toEqual(['GET /rest/users/10']);
		expectNoSecret(run, secrets);
	});

	entry('path', 'Maarch Get by login: the looked-up id reaches its own route', async () => {
		const run = await maarch.run({ operation: 'get', userId: byLogin('hlenoir') });
		expect(run.error).toBeUndefined();
		expect(routes()).toEqual(['GET /rest/users', 'GET /rest/users/11']);
		expectNoSecret(run, secrets);
	});

	for (const [value, operation, parameter, field] of [
		['..', 'removeFromGroup', 'groupId', 'Group ID'],
		['.', 'removeFromGroup', 'groupId', 'Group ID'],
		['ELU/../../1', 'removeFromGroup', 'groupId', 'Group ID'],
		['a\\b', 'removeFromGroup', 'groupId', 'Group ID'],
		['%2e%2e', 'removeFromGroup', 'groupId', 'Group ID'],
		['EL\u0007U', 'removeFromGroup', 'groupId', 'Group ID'],
		['..', 'removeFromEntity', 'entityId', 'Entity ID'],
		['%2F', 'removeFromEntity', 'entityId', 'Entity ID'],
		['={{ "" }}', 'removeFromEntity', 'entityId', 'Entity ID'],
	]) {
		entry('path', `Maarch ${operation}: ${JSON.stringify(value)} as ${field} is refused, nothing sent`, async () => {
			const run = await maarch.run({ operation, userId: byId(11), [parameter]: value });
			expectRefused(run, field, routes(), secrets);
		});
	}

	entry('path', 'Maarch Remove From Group by login: a group id ".." is refused before the user is looked up', async () => {
		const run = await maarch.run({ operation: 'removeFromGroup', userId: byLogin('hlenoir'), groupId: '..' });
		expectRefused(run, 'Group ID', routes(), secrets);
		expect(run.error!.message).toMatch(/cannot go into the request address/);
	});

	entry('path', 'Maarch Delete: a user id "11/.." is refused, nothing sent', async () => {
		const run = await maarch.run({ operation: 'delete', userId: byId('={{ "11/.." }}') });
		expectRefused(run, 'User', routes(), secrets);
	});
});

describe('FlowerDocs path values', () => {
	const flowerDocs = useFlowerDocs({
		users: [...(FLOWERDOCS_SEED.users ?? []), { id: 'hélène.lenoir', firstname: 'Hélène', lastname: 'Lenoir', mail: 'helene.lenoir@mairie.example.fr' }],
	});
	const routes = () => flowerDocs.received().map((e) => `${e.method} ${e.path}`);
	const secrets = [FLOWERDOCS_API_PASSWORD];

	entry('path', 'FlowerDocs Get: several ids, one with accents, reach one route, each encoded', async () => {
		const run = await flowerDocs.run({ operation: 'get', userIds: 'jdupont, hélène.lenoir' });
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.id)).toEqual(['jdupont', 'hélène.lenoir']);
		expect(routes()).toEqual(['GET /rest/users/jdupont,h%C3%A9l%C3%A8ne.lenoir']);
		expectNoSecret(run, secrets);
	});

	entry('path', 'FlowerDocs Delete: an id with accents reaches its own route', async () => {
		const run = await flowerDocs.run({ operation: 'delete', userId: 'hélène.lenoir' });
		expect(run.error).toBeUndefined();
		expect(routes()).toEqual(['DELETE /rest/users/h%C3%A9l%C3%A8ne.lenoir']);
		expectNoSecret(run, secrets);
	});

	entry('path', 'FlowerDocs Change Password: an id with accents reaches its own route', async () => {
		const run = await flowerDocs.run({ operation: 'changePassword', userId: 'hélène.lenoir', newPassword: 'N0uveau-Pa55!' });
		expect(run.error).toBeUndefined();
		expect(routes()).toEqual(['PUT /rest/users/h%C3%A9l%C3%A8ne.lenoir/password']);
		expectNoSecret(run, [...secrets, 'N0uveau-Pa55!']);
	});

	for (const [operation, value, field, extra] of [
		['get', 'jdupont,..', 'User IDs', {}],
		['get', '..', 'User IDs', {}],
		['get', '%2e%2e', 'User IDs', {}],
		['get', 'jdupont,%2F', 'User IDs', {}],
		['delete', '..', 'User ID', {}],
		['delete', '.', 'User ID', {}],
		['delete', '%252e%252e', 'User ID', {}],
		['changePassword', '..', 'User ID', { newPassword: 'N0uveau-Pa55!' }],
		['update', '%2e%2e', 'User ID', { updateFields: { displayName: 'X' } }],
		['delete', 'a\\b', 'User ID', {}],
	] as Array<[string, string, string, INodeParameters]>) {
		entry('path', `FlowerDocs ${operation}: ${JSON.stringify(value)} is refused, no login and nothing else sent`, async () => {
			const run = await flowerDocs.run({ operation, [operation === 'get' ? 'userIds' : 'userId']: value, ...extra });
			expectRefused(run, field, flowerDocs.emulator.log, secrets);
		});
	}
});

describe('FAST Parapheur path values', () => {
	const fast = useFast();
	const routes = () => fast.emulator.log.map((e) => `${e.method} ${e.path.replace(FAST_API, '')}`);
	const secrets = () => [fast.emulator.pki.clientPfxPassword];

	entry('path', 'FAST Upload: a circuit id with accents and spaces reaches its own route', async () => {
		const run = await fast.run({ resource: 'document', operation: 'upload', circuitId: fastById(SAMPLE_CIRCUITS.signature) }, { items: [pdfItem()] });
		expect(run.error).toBeUndefined();
		expect(routes()).toEqual([`POST /documents/v2/${SAMPLE_SIREN}/Signature%20Maire/upload`]);
		expectNoSecret(run, secrets());
	});

	entry('path', 'FAST Upload OTP: a circuit id with accents reaches its own route', async () => {
		const run = await fast.run(
			{ resource: 'document', operation: 'uploadOtp', circuitId: fastById('Circuit Élus'), otpSigners: { signer: [{ firstName: 'Marie', lastName: 'Dupont', phoneNumber: '06 12 34 56 78', email: 'marie.dupont@mairie-exemple.fr' }] } },
			{ items: [pdfItem()] },
		);
		expect(routes()).toEqual([`POST /documents/v2/otp/${SAMPLE_SIREN}/Circuit%20%C3%89lus/upload`]);
		expectNoSecret(run, secrets());
	});

	entry('path', 'FAST Get Status: the document id reaches its own route', async () => {
		const run = await fast.run({ resource: 'document', operation: 'getStatus', documentId: SAMPLE_DOCUMENTS.signed });
		expect(run.error).toBeUndefined();
		expect(routes()).toEqual([`GET /documents/v2/${SAMPLE_DOCUMENTS.signed}/history`]);
		expectNoSecret(run, secrets());
	});

	for (const [parameters, field, items] of [
		[{ resource: 'document', operation: 'getStatus', documentId: '%2e%2e' }, 'Document ID', undefined],
		[{ resource: 'document', operation: 'delete', documentId: '..' }, 'Document ID', undefined],
		[{ resource: 'document', operation: 'download', documentId: `${SAMPLE_DOCUMENTS.signed}/../1` }, 'Document ID', undefined],
		[{ resource: 'acknowledgement', operation: 'download', documentId: '.' }, 'Document ID', undefined],
		[{ resource: 'document', operation: 'upload', circuitId: fastById('..') }, 'Circuit', [pdfItem()]],
		[{ resource: 'document', operation: 'upload', circuitId: fastById('Signature/../Maire') }, 'Circuit', [pdfItem()]],
		[{ resource: 'document', operation: 'uploadOtp', circuitId: fastById('%2e%2e') }, 'Circuit', [pdfItem()]],
		[{ resource: 'document', operation: 'upload', siren: '../213501232', circuitId: fastById(SAMPLE_CIRCUITS.signature) }, 'SIREN', [pdfItem()]],
	] as Array<[INodeParameters, string, undefined | ReturnType<typeof pdfItem>[]]>) {
		entry('path', `FAST ${String(parameters.operation)}: a hostile ${field} (${JSON.stringify((parameters.siren ?? parameters.documentId ?? (parameters.circuitId as { value?: string })?.value) as string)}) is refused, nothing sent`, async () => {
			const run = await fast.run(parameters, { items });
			expectRefused(run, field, routes(), secrets());
		});
	}

	entry('path', 'FAST Trigger: a watched document id reaches its own history route', async () => {
		await runPoll({ type: 'fastParapheurTrigger', parameters: { event: 'documentStateChanged', documentIds: SAMPLE_DOCUMENTS.prepared, options: {} }, credentials: fast.credentials() });
		expect(routes()).toEqual([`GET /documents/v2/${SAMPLE_DOCUMENTS.prepared}/history`]);
	});

	entry('path', 'FAST Trigger: a watched document id ".." is refused, nothing sent', async () => {
		const error = await runPoll({ type: 'fastParapheurTrigger', parameters: { event: 'documentStateChanged', documentIds: `${SAMPLE_DOCUMENTS.prepared}, ..`, options: {} }, credentials: fast.credentials() }).then(
			() => undefined,
			(caught: Error) => caught,
		);
		expect(error?.message).toContain("'Document IDs'");
		expect(routes()).toEqual([]);
		expect(String(error?.message)).not.toContain(fast.emulator.pki.clientPfxPassword);
	});
});

describe('Namirial Trust and Sign path values', () => {
	const namirial = useNamirial();
	const routes = () => namirial.emulator.log.map((e) => `${e.method} ${e.path}`);
	const secrets = [NAMIRIAL_ADMIN_PASSWORD];

	entry('path', 'Trust and Sign Delete: an e-mail with dots and slashes stays in the body; the route is fixed', async () => {
		const email = 'a/../jeanne.martin@agence.example.fr';
		const run = await namirial.run({ operation: 'delete', email });
		expect(routes()).toEqual(['DELETE /contract/management/users/delete']);
		expect(namirial.emulator.log[0].body).toEqual({ email });
		expectNoSecret(run, secrets);
	});
});
