/**
 * Catalogue, secrets: servers that echo a secret back (in an error, an error description, a
 * success body, a credential Test's answer, the trigger's output), in every form a server may give
 * it: as sent, URL-encoded, JSON-escaped (as PHP writes it too), base64, inside a Basic token, or
 * inside a whole request body in base64. Each case asserts what the user sees and that no form of
 * the secret reached any output, error or message.
 */
import type { INodeCredentialTestResult } from 'n8n-workflow';

import { FLOWERDOCS_API_PASSWORD, FLOWERDOCS_API_USER } from '../emulators/flowerdocs';
import { SAMPLE_DOCUMENTS } from '../emulators/fast/sample';
import { MAARCH_API_LOGIN } from '../emulators/maarch';
import { NAMIRIAL_ADMIN_EMAIL } from '../emulators/namirial';
import { useFast } from '../fast/fixture';
import { useFlowerDocs } from '../flowerdocs/fixture';
import type { RunResult } from '../harness';
import { runPoll, testCredentialWithNode } from '../harness';
import { byId, useMaarch } from '../maarch/fixture';
import { useNamirial } from '../namirial/fixture';
import { entry, expectNoSecret } from './catalogue';

/** A password whose forms all differ: a slash, a quote, an ampersand, a plus, a non-ASCII letter. */
const SECRET = 'Pa55/wörd"&+Zx!';

/** The forms a careless server echoes a secret in (`login`: the Basic token's). */
function forms(secret: string, login: string): Array<[name: string, text: string]> {
	const json = JSON.stringify(secret).slice(1, -1);
	return [
		['as sent', secret],
		['URL-encoded', encodeURIComponent(secret)],
		['form-encoded', new URLSearchParams({ p: secret }).toString().slice(2)],
		['JSON-escaped as PHP writes it', json.replace(/\//g, '\\/').replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)],
		['in base64', Buffer.from(secret).toString('base64')],
		['in a Basic token', Buffer.from(`${login}:${secret}`).toString('base64')],
		['inside a JSON body echoed in base64', Buffer.from(JSON.stringify({ login, password: secret, at: 1 })).toString('base64')],
	];
}

/** Every form of the secret the catalogue checks, plus the Basic token and the echoed body. */
function allForms(secret: string, login: string): string[] {
	return [secret, ...forms(secret, login).slice(3).map(([, text]) => text)];
}

/** An empty run: a Test's message is checked as a log line beside it. */
function testText(_result: INodeCredentialTestResult): RunResult {
	return { run: { data: { resultData: {} } }, outputs: [], items: [], nodes: {} } as unknown as RunResult;
}

function expectNoSecretIn(run: RunResult, texts: string[]): void {
	expectNoSecret(run, [SECRET], texts);
	for (const form of allForms(SECRET, 'x')) expect(texts.join('\n')).not.toContain(form);
}

describe('Maarch Courrier: a server error echoing the password', () => {
	const maarch = useMaarch();
	for (const [name, text] of forms(SECRET, MAARCH_API_LOGIN)) {
		entry('secret', `Maarch Courrier: a 500 echoing the password ${name}`, async () => {
			maarch.emulator.injectFault({ status: 500, body: { errors: `SQL error near '${text}'` } });
			const run = await maarch.run({ operation: 'get', userId: byId(10) }, { credentials: { password: SECRET } });
			expect(run.error?.message).toMatch(/\[redacted\]/);
			expectNoSecret(run, [SECRET]);
			expect(JSON.stringify([run.error?.message, run.error?.description])).not.toContain(text);
			expect(maarch.emulator.log).toHaveLength(1);
		});
	}
});

describe('Trust and Sign: an error echoing the password', () => {
	const namirial = useNamirial();
	for (const [name, text] of forms(SECRET, NAMIRIAL_ADMIN_EMAIL).filter(([name]) => ['as sent', 'in base64', 'in a Basic token'].includes(name))) {
		entry('secret', `Trust and Sign: a 400 echoing the password ${name}`, async () => {
			namirial.emulator.injectFault({ status: 400, body: { error: { message: `Invalid credentials ${text}`, code: 1005 } } });
			const run = await namirial.run({ operation: 'getMany', returnAll: true }, { credentials: { password: SECRET } });
			expect(run.error).toBeDefined();
			expectNoSecret(run, [SECRET]);
			expect(JSON.stringify([run.error?.message, run.error?.description])).not.toContain(text);
		});
	}

	entry('secret', 'Trust and Sign: the credential Test quotes an answer echoing the Basic token', async () => {
		namirial.emulator.injectFault({ status: 500, body: { error: { message: `header was Basic ${Buffer.from(`${NAMIRIAL_ADMIN_EMAIL}:${SECRET}`).toString('base64')}`, code: 1000 } } });
		const result = await testCredentialWithNode('namirialTrustAndSign', 'namirialTrustAndSignApi', namirial.credentials({ password: SECRET }).namirialTrustAndSignApi);
		expect(result.status).toBe('Error');
		expectNoSecretIn(testText(result), [result.message]);
	});
});

describe('FlowerDocs: the login body echoed in a 401', () => {
	const fd = useFlowerDocs();
	const credentials = () => fd.credentials({ password: SECRET }).flowerDocsApi;
	const echoes: Array<[string, (body: string) => string]> = [
		['as sent (JSON)', (body) => body],
		['URL-encoded', (body) => encodeURIComponent(body)],
		['in base64', (body) => Buffer.from(body).toString('base64')],
		['with the password alone in base64', (body) => Buffer.from(String((JSON.parse(body) as { password: string }).password)).toString('base64')],
	];
	for (const [name, echo] of echoes) {
		entry('secret', `FlowerDocs credential Test: a 401 quoting the login body ${name}`, async () => {
			fd.emulator.echoLoginBodyOn401 = echo;
			const result = await testCredentialWithNode('flowerDocs', 'flowerDocsApi', credentials());
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/^FlowerDocs refused the login of user 'n8n' in scope 'GEC' \(HTTP 401\): Authentication failed: bad credentials for /);
			expect(result.message).toContain('[redacted]');
			expectNoSecretIn(testText(result), [result.message]);
		});
	}

	entry('secret', 'FlowerDocs node run: the login refused with the body echoed, the token never shown', async () => {
		fd.emulator.echoLoginBodyOn401 = true;
		const run = await fd.run({ operation: 'get', userIds: 'jdupont' }, { credentials: { password: SECRET } });
		expect(run.error?.message).toMatch(/FlowerDocs refused the login/);
		expectNoSecret(run, [SECRET]);
		expect(fd.received()).toEqual([]);
	});

	entry('secret', 'FlowerDocs node run: a user-service error quoting the session token and the password', async () => {
		fd.emulator.echoLoginBodyOn401 = false;
		const token = fd.emulator.issueToken(FLOWERDOCS_API_USER, 'GEC');
		fd.emulator.server.injectFault(
			{ status: 500, body: { code: 'T00500', message: `Internal error for ${FLOWERDOCS_API_PASSWORD} / ${encodeURIComponent(FLOWERDOCS_API_PASSWORD)}` } },
			1,
			{ path: /\/rest\/users\// },
		);
		const run = await fd.run({ operation: 'get', userIds: 'jdupont' }, { credentials: { sessionToken: token, renewAt: String(Date.now() + 3_600_000) } });
		expect(run.error?.message).toMatch(/\[redacted\]/);
		expectNoSecret(run, [FLOWERDOCS_API_PASSWORD, token]);
	});

	entry('secret', 'FlowerDocs node run: a success body echoing the password is redacted in the output', async () => {
		fd.emulator.server.injectFault(
			{ status: 200, body: [{ id: 'jdupont', firstname: 'Jeanne', lastname: 'Dupont', displayName: `pw ${FLOWERDOCS_API_PASSWORD}`, mail: 'j@x.fr', profiles: [], groups: [], attributes: [] }] },
			1,
			{ path: /\/rest\/users\/jdupont$/ },
		);
		const run = await fd.run({ operation: 'get', userIds: 'jdupont' });
		expect(run.error).toBeUndefined();
		expect(JSON.stringify(run.items)).toContain('pw [redacted]');
		expectNoSecret(run, [FLOWERDOCS_API_PASSWORD]);
	});
});

describe('Maarch Courrier credential Test', () => {
	const maarch = useMaarch();
	entry('secret', 'Maarch Courrier credential Test: an answer quoting the password in JSON and URL forms', async () => {
		maarch.emulator.injectFault({ status: 500, body: { errors: `login ${MAARCH_API_LOGIN} ${JSON.stringify(SECRET)} ${encodeURIComponent(SECRET)}` } });
		const result = await testCredentialWithNode('maarchCourrier', 'maarchCourrierApi', maarch.credentials({ password: SECRET }).maarchCourrierApi);
		expect(result.status).toBe('Error');
		expectNoSecretIn(testText(result), [result.message]);
	});
});

describe('FAST Parapheur: an error echoing the certificate password or the private key', () => {
	const fast = useFast();
	const status = { resource: 'document', operation: 'getStatus', documentId: SAMPLE_DOCUMENTS.signed };

	for (const [name, pick] of [
		['the PKCS#12 password as sent', (password: string) => password],
		['the PKCS#12 password in base64', (password: string) => Buffer.from(password).toString('base64')],
		['the PKCS#12 password JSON-escaped', (password: string) => JSON.stringify(password).slice(1, -1)],
	] as const) {
		entry('secret', `FAST Parapheur: an error JSON in a 200 quoting ${name}`, async () => {
			const password = fast.emulator.pki.clientPfxPassword;
			fast.emulator.errorIn200(120, `Upload doc error: keystore ${pick(password)} refused`);
			const run = await fast.run(status);
			expect(run.error?.description).toMatch(/\[redacted\]/);
			expectNoSecret(run, [password]);
		});
	}

	entry('secret', 'FAST Parapheur: a 500 quoting the PEM private key and its passphrase', async () => {
		const { clientCert, clientKeyEncrypted, clientKeyPassphrase } = fast.emulator.pki;
		fast.emulator.injectFault({ status: 500, body: `key ${clientKeyEncrypted} pass ${clientKeyPassphrase}`, headers: { 'content-type': 'text/plain' } });
		const run = await fast.run(
			{ ...status, requestOptions: { maxRetries: 0 } },
			{ credentials: { certificateFormat: 'pem', certificate: clientCert, privateKey: clientKeyEncrypted, privateKeyPassphrase: clientKeyPassphrase } },
		);
		expect(run.error).toBeDefined();
		expectNoSecret(run, [clientKeyPassphrase, clientKeyEncrypted.trim()]);
	});

	entry('secret', 'FAST Parapheur credential Test: an error quoting the PKCS#12 password', async () => {
		const password = fast.emulator.pki.clientPfxPassword;
		fast.emulator.errorIn200(120, `Internal: keystore password ${password} / ${encodeURIComponent(password)}`);
		const result = await testCredentialWithNode('fastParapheur', 'fastParapheurApi', fast.credentials().fastParapheurApi);
		expect(result.status).toBe('Error');
		expect(result.message).toContain('[redacted]');
		expect(result.message).not.toContain(password);
		expect(result.message).not.toContain(encodeURIComponent(password));
	});

	entry('secret', 'FAST trigger: a history entry quoting the PKCS#12 password is redacted in the output', async () => {
		const password = fast.emulator.pki.clientPfxPassword;
		fast.emulator.injectFault(
			{ status: 200, body: [{ userFullname: `n8n ${password}`, date: '2026-01-05 10:00:00', stateName: 'Signé' }] },
			1,
			{ path: /\/history$/ },
		);
		const result = await runPoll({
			type: 'fastParapheurTrigger',
			parameters: { event: 'documentStateChanged', documentIds: SAMPLE_DOCUMENTS.signed, options: {} },
			credentials: fast.credentials(),
			mode: 'manual',
		});
		const text = JSON.stringify(result.items);
		expect(text).toContain('[redacted]');
		expect(text).not.toContain(password);
	});

	entry('secret', 'FAST trigger: a poll error quoting the PKCS#12 password in base64', async () => {
		const password = fast.emulator.pki.clientPfxPassword;
		fast.emulator.errorIn200(120, `Internal: ${Buffer.from(password).toString('base64')}`);
		const error = await runPoll({ type: 'fastParapheurTrigger', parameters: { event: 'newAcknowledgement' }, credentials: fast.credentials(), mode: 'manual' }).then(
			() => undefined,
			(caught: unknown) => caught as Error & { description?: string },
		);
		expect(error).toBeDefined();
		const text = JSON.stringify([error?.message, error?.description]);
		expect(text).toContain('[redacted]');
		expect(text).not.toContain(Buffer.from(password).toString('base64'));
	});
});
