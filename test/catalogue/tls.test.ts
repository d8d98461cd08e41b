/**
 * Catalogue, TLS: the client certificate and what FAST Parapheur says about its account. An
 * expired certificate (PKCS#12 or PEM) is refused before anything is sent, with its own message,
 * not the one for a certificate from another authority; a wrong password likewise; FAST's code 100
 * names both of its causes; code 111 adds that the check digit is wrong when it is; the credential
 * Test never reports success on a 401 or a FAST error code. Each case asserts the message and what
 * the emulator received (nothing, or exactly the intended route).
 */
import { NO_FAST_ACCOUNT } from '../../nodes/FastParapheur/methods';
import { startFastEmulator } from '../emulators/fast';
import { FOREIGN_SIREN, SAMPLE_DOCUMENTS, SAMPLE_SIREN, UNKNOWN_SIREN } from '../emulators/fast/sample';
import { fastCredentialData, useFast } from '../fast/fixture';
import { testCredentialWithNode } from '../harness';
import { entry, expectNoSecret } from './catalogue';

const fast = useFast();
const API = '/parapheur-ws/rest/v1';

const credentialTest = async (overrides: Record<string, unknown> = {}) =>
	await testCredentialWithNode('fastParapheur', 'fastParapheurApi', fastCredentialData(fast.emulator, overrides as never));

/** What the emulator received: method and path (query included). */
const received = () => fast.emulator.log.map((request) => `${request.method} ${request.path}${Object.keys(request.query).length ? `?${new URLSearchParams(request.query as Record<string, string>).toString()}` : ''}`);

const EXPIRED = /^The client certificate expired on 2021-01-01\. Ask Docaposte for a new certificate/;
const BOTH_CAUSES = (siren: string) =>
	`The certificate's account is not allowed to work in SIREN ${siren}, or FAST Parapheur does not know the certificate's account at all (code 100). Check the SIREN, then ask Docaposte for access.`;

describe('the client certificate', () => {
	entry('tls', 'an expired PKCS#12 certificate: its own message in the credential Test, nothing sent', async () => {
		const result = await credentialTest({ pfx: fast.emulator.pki.expiredClientPfxBase64 });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(EXPIRED);
		expect(result.message).not.toMatch(/another authority|does not know it|closed the connection/);
		expect(received()).toEqual([]);
	});

	entry('tls', 'an expired PKCS#12 certificate in a node run: the item fails before any request', async () => {
		const run = await fast.run(
			{ resource: 'document', operation: 'getStatus', documentId: SAMPLE_DOCUMENTS.signed },
			{ credentials: { pfx: fast.emulator.pki.expiredClientPfxBase64 } },
		);
		expect(run.error?.message).toBe('The client certificate expired on 2021-01-01');
		expect(run.error?.description).toBe('Ask Docaposte for a new certificate and put it in the FAST Parapheur credential.');
		expect(received()).toEqual([]);
		expectNoSecret(run, [fast.emulator.pki.clientPfxPassword, fast.emulator.pki.expiredClientPfxBase64]);
	});

	entry('tls', 'an expired PEM certificate: the same message, nothing sent', async () => {
		const result = await credentialTest({ certificateFormat: 'pem', pfx: '', certificate: fast.emulator.pki.expiredClientCert, privateKey: fast.emulator.pki.expiredClientKey });
		expect(result.message).toMatch(EXPIRED);
		expect(received()).toEqual([]);
	});

	entry('tls', 'a PKCS#12 certificate from another authority: refused by FAST, told apart from an expired one', async () => {
		const result = await credentialTest({ pfx: fast.emulator.pki.otherCaClientPfxBase64 });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^FAST Parapheur closed the connection right after the TLS handshake, without answering: it most likely refused the client certificate\. A server that checks the client certificate after the handshake \(TLS 1\.3\)/);
		// Retrying cannot help: nothing says to try again or to raise 'Max Retries'.
		expect(result.message).not.toMatch(/Tried|Max Retries|later/);
		expect(result.message).not.toMatch(/expired on/);
		// The handshake failed: no request reached the API.
		expect(received()).toEqual([]);
	});

	entry('tls', 'a certificate from another authority behind an HTTPS front answering 403', async () => {
		const front = await startFastEmulator({ clientCertCheck: 'http' });
		try {
			const result = await testCredentialWithNode('fastParapheur', 'fastParapheurApi', fastCredentialData(front, { pfx: front.pki.otherCaClientPfxBase64 }));
			expect(result.message).toMatch(/^FAST Parapheur refused the client certificate: it does not know it \(unknown, revoked or from another authority\)/);
			expect(front.log.map((request) => request.path)).toEqual([`${API}/documents/v2/${SAMPLE_SIREN}/ack/remaining`]);
		} finally {
			await front.close();
		}
	});

	entry('tls', 'a wrong PKCS#12 password: said so, nothing sent, the password not shown', async () => {
		const result = await credentialTest({ pfxPassword: 'Not-The-P12-Password' });
		expect(result).toEqual({
			status: 'Error',
			message: 'The certificate password is wrong: the .p12/.pfx file could not be opened with it. Check the password that came with the certificate. Fix it in the FAST Parapheur credential.',
		});
		expect(received()).toEqual([]);
	});

	entry('tls', 'a wrong password on the expired PKCS#12: the password is named, not the dates', async () => {
		const result = await credentialTest({ pfx: fast.emulator.pki.expiredClientPfxBase64, pfxPassword: 'Not-The-P12-Password' });
		expect(result.message).toMatch(/^The certificate password is wrong/);
		expect(received()).toEqual([]);
	});
});

describe("FAST's code 100: the account is not allowed in the SIREN, or FAST does not know it", () => {
	entry('tls', 'code 100 for a SIREN the account may not use: both causes named, one request', async () => {
		const run = await fast.run({ resource: 'acknowledgement', operation: 'listRemaining', siren: FOREIGN_SIREN });
		expect(run.error?.message).toBe(BOTH_CAUSES(FOREIGN_SIREN));
		expect(run.error?.description).toMatch(/^Check the SIREN .* if no SIREN works, ask Docaposte to link the certificate to a FAST account\. FAST said: /);
		expect(received()).toEqual([`GET ${API}/documents/v2/${FOREIGN_SIREN}/ack/remaining`]);
	});

	entry('tls', 'code 100 for a certificate whose account FAST does not know (HTTP 401): both causes named', async () => {
		fast.emulator.knownAccounts = [];
		const run = await fast.run({ resource: 'acknowledgement', operation: 'listRemaining', siren: SAMPLE_SIREN });
		expect(run.error?.message).toBe(BOTH_CAUSES(SAMPLE_SIREN));
		expect(received()).toEqual([`GET ${API}/documents/v2/${SAMPLE_SIREN}/ack/remaining`]);
	});

	entry('tls', 'the credential Test with a Default SIREN the account may not use: an error naming both causes', async () => {
		const result = await credentialTest({ siren: FOREIGN_SIREN });
		expect(result.status).toBe('Error');
		expect(result.message.startsWith(`${BOTH_CAUSES(FOREIGN_SIREN)} Check the SIREN (the node or the credential default)`)).toBe(true);
		expect(received()).toEqual([`GET ${API}/documents/v2/${FOREIGN_SIREN}/ack/remaining`]);
	});
});

describe('the credential Test without a Default SIREN never reports success on a 401 or an error code', () => {
	entry('tls', 'a certificate linked to no FAST account (HTTP 401, code 100): an error, not "Connection successful"', async () => {
		fast.emulator.knownAccounts = [];
		expect(await credentialTest({ siren: '' })).toEqual({ status: 'Error', message: NO_FAST_ACCOUNT });
		expect(received()).toEqual([`GET ${API}/documents/v2/0/history`]);
	});

	entry('tls', 'a bare HTTP 401 without a FAST body: the same error', async () => {
		fast.emulator.injectFault({ status: 401, body: '', headers: { 'content-type': 'text/plain' } });
		expect(await credentialTest({ siren: '' })).toEqual({ status: 'Error', message: NO_FAST_ACCOUNT });
		expect(received()).toEqual([`GET ${API}/documents/v2/0/history`]);
	});

	entry('tls', 'code 100 in an HTTP 200 answer: the same error', async () => {
		fast.emulator.errorIn200(100, 'Unauthorized', "Votre utilisateur n'est pas autorisé à déposer dans ce siren.");
		expect(await credentialTest({ siren: '' })).toEqual({ status: 'Error', message: NO_FAST_ACCOUNT });
	});

	entry('tls', 'another FAST error code: an error with its code, not a success', async () => {
		fast.emulator.errorIn200(120, 'Upload doc error: service unavailable');
		const result = await credentialTest({ siren: '' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/\(code 120\)/);
	});

	entry('tls', "FAST's \"no such document\" for document 0 proves the account: success", async () => {
		expect(await credentialTest({ siren: '' })).toEqual({
			status: 'OK',
			message: 'Connection successful: the certificate is accepted (add a Default SIREN to check access to it)',
		});
		expect(received()).toEqual([`GET ${API}/documents/v2/0/history`]);
	});
});

describe("FAST's code 111: the SIREN is not a subscriber", () => {
	entry('tls', 'a SIREN whose check digit is wrong is sent, and the message says its check digit is wrong', async () => {
		const run = await fast.run({ resource: 'acknowledgement', operation: 'listRemaining', siren: '123456789' });
		expect(run.error?.message).toMatch(/^SIREN 123456789 is not a FAST Parapheur subscriber, and its check digit is wrong \(code 111\)\. Check the SIREN for a mistyped digit/);
		expect(run.error?.message).toMatch(/\(code 111\)\. Check the SIREN for a mistyped digit: its last digit does not match the others \(Luhn check\)\./);
		expect(received()).toEqual([`GET ${API}/documents/v2/123456789/ack/remaining`]);
	});

	entry('tls', 'a well-formed SIREN FAST does not know: no word about the check digit', async () => {
		const run = await fast.run({ resource: 'acknowledgement', operation: 'listRemaining', siren: UNKNOWN_SIREN });
		expect(run.error?.message).toBe(`SIREN ${UNKNOWN_SIREN} is not a FAST Parapheur subscriber (code 111). Check the SIREN: it is the 9-digit number of your FAST subscription.`);
		expect(run.error?.description).not.toMatch(/check digit/);
		expect(received()).toEqual([`GET ${API}/documents/v2/${UNKNOWN_SIREN}/ack/remaining`]);
	});

	entry('tls', 'the credential Test with a Default SIREN whose check digit is wrong', async () => {
		const result = await credentialTest({ siren: '123456789' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^SIREN 123456789 is not a FAST Parapheur subscriber, and its check digit is wrong \(code 111\)\. Check the SIREN for a mistyped digit/);
		expect(received()).toEqual([`GET ${API}/documents/v2/123456789/ack/remaining`]);
	});
});
