/**
 * Catalogue, answers: a server that answers 2xx with something other than what its API documents
 * (an HTML page, truncated JSON, an empty body, JSON of another shape) gives a clear error quoting
 * the status and the start of the body, never a success and never made-up data. Each case also
 * checks what the emulator received and that no secret was shown.
 */
import { FLOWERDOCS_API_PASSWORD } from '../emulators/flowerdocs';
import { SAMPLE_SIREN } from '../emulators/fast/sample';
import { MAARCH_API_PASSWORD } from '../emulators/maarch';
import { NAMIRIAL_ADMIN_PASSWORD } from '../emulators/namirial';
import type { RunResult } from '../harness';
import { runPoll } from '../harness';
import { useFast } from '../fast/fixture';
import { useFlowerDocs } from '../flowerdocs/fixture';
import { byId, useMaarch } from '../maarch/fixture';
import { useNamirial } from '../namirial/fixture';
import { entry, expectNoSecret } from './catalogue';

const HTML = '<!DOCTYPE html><html><head><title>Portail de connexion</title></head><body>Veuillez vous connecter</body></html>';
const HTML_FAULT = { status: 200, body: HTML, headers: { 'content-type': 'text/html; charset=utf-8' } };
const EMPTY_FAULT = { status: 200, body: '', headers: { 'content-type': 'application/json' } };

/** The run failed with this message (exact or pattern), produced no output item, and showed no secret. */
function expectAnswerError(run: RunResult, message: string | RegExp, secrets: readonly string[]): void {
	expect(run.error).toBeDefined();
	if (typeof message === 'string') expect(run.error!.message).toBe(message);
	else expect(run.error!.message).toMatch(message);
	expect(run.items).toEqual([]);
	expectNoSecret(run, secrets);
}

describe('Maarch Courrier answers', () => {
	const maarch = useMaarch();
	const routes = () => maarch.emulator.log.map((e) => `${e.method} ${e.path}`);
	const secrets = [MAARCH_API_PASSWORD];

	entry('answer', 'Maarch Add to Group: an HTML page with HTTP 200 is an error, not a success', async () => {
		maarch.emulator.injectFault(HTML_FAULT, 1, { method: 'POST' });
		const run = await maarch.run({ operation: 'addToGroup', userId: byId(10), groupId: 'ELU' });
		expectAnswerError(run, 'Maarch Courrier answered with an HTML page instead of JSON (HTTP 200)', secrets);
		expect(run.error!.description).toContain('The response began with: <!DOCTYPE html><html><head><title>Portail de connexion');
		expect(routes()).toEqual(['POST /rest/users/10/groups']);
	});

	entry('answer', 'Maarch Get: truncated JSON is an error quoting its start', async () => {
		maarch.emulator.injectFault({ malformed: true });
		const run = await maarch.run({ operation: 'get', userId: byId(10) });
		expectAnswerError(run, 'Maarch Courrier sent a response that is not valid JSON (HTTP 200)', secrets);
		expect(run.error!.description).toMatch(/began with: \{"users": \[\{"id": 1/);
		expect(routes()).toEqual(['GET /rest/users/10']);
	});

	entry('answer', 'Maarch Get: an empty body with HTTP 200 is an error', async () => {
		maarch.emulator.injectFault(EMPTY_FAULT);
		const run = await maarch.run({ operation: 'get', userId: byId(10) });
		expectAnswerError(run, 'Maarch Courrier sent an empty response where its API documents JSON (HTTP 200)', secrets);
		expect(routes()).toHaveLength(1);
	});

	entry('answer', 'Maarch Get: a list where one user is documented is an error, not a success', async () => {
		maarch.emulator.injectFault({ status: 200, body: [{ id: 10 }, { id: 11 }] });
		const run = await maarch.run({ operation: 'get', userId: byId(10) });
		expectAnswerError(run, 'Maarch Courrier sent an answer that is not what its API documents (HTTP 200): expected a user (a JSON object with its id)', secrets);
		expect(run.error!.description).toContain('[{"id":10},{"id":11}]');
		expect(routes()).toEqual(['GET /rest/users/10']);
	});

	entry('answer', 'Maarch Get Many: an HTML page labelled JSON is an error', async () => {
		maarch.emulator.injectFault({ status: 200, body: HTML });
		const run = await maarch.run({ operation: 'getMany', returnAll: true });
		expectAnswerError(run, 'Maarch Courrier sent a response that is not valid JSON (HTTP 200)', secrets);
		expect(run.error!.description).toContain('<!DOCTYPE html>');
		expect(routes()).toEqual(['GET /rest/users']);
	});

	entry('answer', 'Maarch Remove From Group: an HTML page with HTTP 200 is an error', async () => {
		maarch.emulator.injectFault(HTML_FAULT, 1, { method: 'DELETE' });
		const run = await maarch.run({ operation: 'removeFromGroup', userId: byId(13), groupId: 'ELU' });
		expectAnswerError(run, 'Maarch Courrier answered with an HTML page instead of JSON (HTTP 200)', secrets);
		expect(routes()).toEqual(['DELETE /rest/users/13/groups/ELU']);
	});

	entry('answer', 'Maarch Add to Group: plain text with HTTP 200 is an error', async () => {
		maarch.emulator.injectFault({ status: 200, body: 'OK', headers: { 'content-type': 'text/plain' } }, 1, { method: 'POST' });
		const run = await maarch.run({ operation: 'addToGroup', userId: byId(10), groupId: 'ELU' });
		expectAnswerError(run, 'Maarch Courrier sent a response that is not JSON (HTTP 200)', secrets);
		expect(run.error!.description).toContain('The response began with: OK.');
		expect(routes()).toEqual(['POST /rest/users/10/groups']);
	});
});

describe('Trust and Sign answers', () => {
	const namirial = useNamirial();
	const routes = () => namirial.emulator.log.map((e) => `${e.method} ${e.path}`);
	const secrets = [NAMIRIAL_ADMIN_PASSWORD];

	entry('answer', 'Trust and Sign Create: an HTML page with HTTP 200 is an error, not a success', async () => {
		namirial.emulator.injectFault(HTML_FAULT);
		const run = await namirial.run({ operation: 'create', email: 'nouveau@agence.example.fr', firstName: 'Léa', lastName: 'Nouveau', additionalFields: {} });
		expectAnswerError(run, 'Trust and Sign answered with an HTML page instead of JSON (HTTP 200)', secrets);
		expect(run.error!.description).toContain('Portail de connexion');
		expect(routes()).toEqual(['POST /contract/management/users/create']);
	});

	entry('answer', 'Trust and Sign Get Many: truncated JSON is an error', async () => {
		namirial.emulator.injectFault({ malformed: true });
		const run = await namirial.run({ operation: 'getMany' });
		expectAnswerError(run, 'Trust and Sign sent a response that is not valid JSON (HTTP 200)', secrets);
		expect(routes()).toEqual(['GET /contract/management/users']);
	});

	entry('answer', 'Trust and Sign Get Many: an empty body is an error, not an empty list', async () => {
		namirial.emulator.injectFault(EMPTY_FAULT);
		const run = await namirial.run({ operation: 'getMany' });
		expectAnswerError(run, 'Trust and Sign sent an empty response where its API documents JSON (HTTP 200)', secrets);
		expect(routes()).toEqual(['GET /contract/management/users']);
	});

	entry('answer', 'Trust and Sign Get Many: an object where a list is documented is an error', async () => {
		namirial.emulator.injectFault({ status: 200, body: { status: 'ok' } });
		const run = await namirial.run({ operation: 'getMany' });
		expectAnswerError(run, /^Trust and Sign answered the operator list with something that is not a list/, secrets);
		expect(routes()).toHaveLength(1);
	});

	entry('answer', 'Trust and Sign Delete: an HTML page with HTTP 200 is an error', async () => {
		namirial.emulator.injectFault(HTML_FAULT);
		const run = await namirial.run({ operation: 'delete', email: 'paul.durand@agence.example.fr' });
		expectAnswerError(run, 'Trust and Sign answered with an HTML page instead of JSON (HTTP 200)', secrets);
		expect(routes()).toEqual(['DELETE /contract/management/users/delete']);
	});
});

describe('FlowerDocs answers', () => {
	const fd = useFlowerDocs();
	const secrets = [FLOWERDOCS_API_PASSWORD];
	const logins = () => fd.emulator.log.filter((e) => e.path.endsWith('/rest/authentication'));
	const apiCall = { when: (request: { path: string }) => !request.path.endsWith('/rest/authentication') };

	entry('answer', 'FlowerDocs Create: an HTML page with HTTP 200 is an error, not a success', async () => {
		fd.emulator.injectFault(HTML_FAULT, 1, apiCall);
		const run = await fd.run({ operation: 'create', userId: 'newbie', mail: 'newbie@mairie.example.fr' });
		expectAnswerError(run, 'FlowerDocs answered with an HTML page instead of JSON (HTTP 200)', secrets);
		expect(fd.received().map((e) => `${e.method} ${e.path}`)).toEqual(['POST /rest/users']);
	});

	entry('answer', 'FlowerDocs Get: an id asked for and not returned is an error', async () => {
		fd.emulator.injectFault({ status: 200, body: [] }, 1, apiCall);
		const run = await fd.run({ operation: 'get', userIds: 'jdupont' });
		expectAnswerError(run, /^FlowerDocs did not return the user 'jdupont': it does not exist/, secrets);
		expect(fd.received().map((e) => `${e.method} ${e.path}`)).toEqual(['GET /rest/users/jdupont']);
	});

	entry('answer', 'FlowerDocs Get: of two ids, the one not returned is named', async () => {
		fd.emulator.injectFault({ status: 200, body: [{ id: 'jdupont', firstname: 'Jeanne' }] }, 1, apiCall);
		const run = await fd.run({ operation: 'get', userIds: 'jdupont, mmartin' });
		expectAnswerError(run, /^FlowerDocs did not return the user 'mmartin'/, secrets);
		expect(fd.received()).toHaveLength(1);
	});

	entry('answer', 'FlowerDocs Get: users without ids are not what the API documents', async () => {
		fd.emulator.injectFault({ status: 200, body: { message: 'ok' } }, 1, apiCall);
		const run = await fd.run({ operation: 'get', userIds: 'jdupont' });
		expectAnswerError(run, 'FlowerDocs sent an answer that is not what its API documents (HTTP 200): expected a list of users, each with its id', secrets);
		expect(run.error!.description).toContain('{"message":"ok"}');
	});

	entry('answer', 'FlowerDocs Search: an object where a list is documented is an error, not "no user found"', async () => {
		fd.emulator.injectFault({ status: 200, body: { users: [] } }, 1, apiCall);
		const run = await fd.run({ operation: 'search', search: 'dupont', returnAll: true });
		expectAnswerError(run, 'FlowerDocs sent an answer that is not what its API documents (HTTP 200): expected a list of users', secrets);
		expect(fd.received().map((e) => `${e.method} ${e.path}`)).toEqual(['GET /rest/users/search']);
	});

	entry('answer', 'FlowerDocs Get: truncated JSON is an error', async () => {
		fd.emulator.injectFault({ malformed: true }, 1, apiCall);
		const run = await fd.run({ operation: 'get', userIds: 'jdupont' });
		expectAnswerError(run, 'FlowerDocs sent a response that is not valid JSON (HTTP 200)', secrets);
		expect(fd.received()).toHaveLength(1);
	});

	entry('answer', 'FlowerDocs Get: an empty body is an error', async () => {
		fd.emulator.injectFault(EMPTY_FAULT, 1, apiCall);
		const run = await fd.run({ operation: 'get', userIds: 'jdupont' });
		expectAnswerError(run, 'FlowerDocs sent an empty response where its API documents JSON (HTTP 200)', secrets);
	});

	entry('answer', 'FlowerDocs login answered 200 without a token says so (no [object Object])', async () => {
		fd.emulator.injectFault({ status: 200, body: { user: 'n8n', scope: 'GEC' } }, 1, { path: /\/rest\/authentication$/ });
		const run = await fd.run({ operation: 'get', userIds: 'jdupont' });
		expectAnswerError(run, /^FlowerDocs answered the login without a token \(HTTP 200\): \{"user":"n8n","scope":"GEC"\}/, secrets);
		expect(run.error!.message).not.toContain('[object Object]');
		expect(logins()).toHaveLength(1);
		expect(fd.received()).toEqual([]);
	});

	entry('answer', 'FlowerDocs login answered with an HTML page says the login answer had no token', async () => {
		fd.emulator.injectFault(HTML_FAULT, 1, { path: /\/rest\/authentication$/ });
		const run = await fd.run({ operation: 'get', userIds: 'jdupont' });
		expectAnswerError(run, /^FlowerDocs answered the login without a token \(HTTP 200\): <!DOCTYPE html>/, secrets);
		expect(fd.received()).toEqual([]);
	});
});

describe('FAST Parapheur answers', () => {
	const fast = useFast();
	const routes = () => fast.emulator.server.log.map((e) => `${e.method} ${e.path.replace('/parapheur-ws/rest/v1', '')}`);
	const secrets = () => [fast.emulator.pki.clientPfxPassword];
	const EXPECTED = /^FAST Parapheur sent an answer that is not what its API documents \(HTTP 200\): expected a JSON list of document IDs/;

	entry('answer', 'FAST Acknowledgement List Remaining: an HTML page gives no invented ids', async () => {
		fast.emulator.injectFault({ status: 200, body: '<html><body>Erreur 1 sur 2</body></html>', headers: { 'content-type': 'text/html' } });
		const run = await fast.run({ resource: 'acknowledgement', operation: 'listRemaining' });
		expectAnswerError(run, EXPECTED, secrets());
		expect(run.error!.description).toContain('<html><body>Erreur 1 sur 2');
		expect(routes()).toEqual([`GET /documents/v2/${SAMPLE_SIREN}/ack/remaining`]);
	});

	entry('answer', 'FAST PES Retour List Remaining: truncated JSON is an error', async () => {
		fast.emulator.injectFault({ malformed: true });
		const run = await fast.run({ resource: 'pesRetour', operation: 'listRemaining' });
		expectAnswerError(run, EXPECTED, secrets());
		expect(routes()).toEqual([`GET /documents/v2/${SAMPLE_SIREN}/pes-retour/remaining`]);
	});

	entry('answer', 'FAST Chorus List Remaining: an object where a list is documented is an error', async () => {
		fast.emulator.injectFault({ status: 200, body: { ids: [320073963, 320073961] } });
		const run = await fast.run({ resource: 'chorus', operation: 'listRemaining' });
		expectAnswerError(run, EXPECTED, secrets());
		expect(routes()).toEqual([`GET /documents/v2/${SAMPLE_SIREN}/chorus/remaining`]);
	});

	entry('answer', 'FAST List Remaining: an empty body is an error, not an empty list', async () => {
		fast.emulator.injectFault(EMPTY_FAULT);
		const run = await fast.run({ resource: 'acknowledgement', operation: 'listRemaining' });
		expectAnswerError(run, EXPECTED, secrets());
	});

	entry('answer', 'FAST List Remaining: the documented list still reads, long ids kept whole', async () => {
		fast.emulator.injectFault({ status: 200, body: '[320073963, 9007199254740993]' });
		const run = await fast.run({ resource: 'acknowledgement', operation: 'listRemaining' });
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.documentId)).toEqual(['320073963', '9007199254740993']);
		expectNoSecret(run, secrets());
	});

	entry('answer', 'FAST Trigger newAcknowledgement: an HTML answer fails the poll, no invented ids', async () => {
		fast.emulator.injectFault({ status: 200, body: '<html>1 2</html>', headers: { 'content-type': 'text/html' } });
		const error = await runPoll({ type: 'fastParapheurTrigger', parameters: { event: 'newAcknowledgement', options: {} }, credentials: fast.credentials() }).then(
			() => undefined,
			(caught: Error) => caught,
		);
		expect(error?.message).toMatch(EXPECTED);
		expect(routes()).toEqual([`GET /documents/v2/${SAMPLE_SIREN}/ack/remaining`]);
		expect(String(error?.message)).not.toContain(fast.emulator.pki.clientPfxPassword);
	});
});
