/**
 * The client certificate, end to end: PKCS#12 and PEM accepted by the emulator's real TLS check;
 * another CA, a wrong password, no certificate, an expired one and an untrusted server each give
 * their own message, through the credential's Test and through a node run. A certificate FAST
 * refuses is not retried (retrying cannot help), and its message says to change the certificate.
 */
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';

import type { INode } from 'n8n-workflow';

import { DEFAULT_REQUEST_SETTINGS } from '../../nodes/shared/request';
import { FastClient } from '../../nodes/FastParapheur/transport';

import { describeTlsFailure } from '../../nodes/FastParapheur/transport/tls';
import { startFastEmulator } from '../emulators/fast';
import { SAMPLE_SIREN, UNKNOWN_SIREN } from '../emulators/fast/sample';
import { testCredentialWithNode } from '../harness';
import { fastCredentialData, useFast } from './fixture';

const fast = useFast();

/** What a node says when FAST (a TLS 1.3 server, as Node's) closes the connection on the certificate. */
const AFTER_HANDSHAKE = 'FAST Parapheur closed the connection right after the TLS handshake, without answering: it most likely refused the client certificate';
const AFTER_HANDSHAKE_HINT =
	'A server that checks the client certificate after the handshake (TLS 1.3) closes a new connection this way when it refuses the certificate. Use the certificate Docaposte issued for this FAST server (demo, integration and production certificates differ), check that it has not expired or been revoked, and put it in the FAST Parapheur credential.';

const test = async (overrides: Record<string, unknown>) =>
	await testCredentialWithNode('fastParapheur', 'fastParapheurApi', fastCredentialData(fast.emulator, overrides as never));

describe('FAST Parapheur credential test', () => {
	it('accepts the PKCS#12 certificate and reaches the SIREN', async () => {
		const result = await test({});
		expect(result).toEqual({ status: 'OK', message: `Connection successful: the certificate is accepted and SIREN ${SAMPLE_SIREN} is reachable` });
		const [request] = fast.emulator.server.requests('GET');
		expect(request.path).toBe(`/parapheur-ws/rest/v1/documents/v2/${SAMPLE_SIREN}/ack/remaining`);
	});

	it('accepts the PEM certificate and key, plain or encrypted', async () => {
		const pem = { certificateFormat: 'pem', pfx: '', certificate: fast.emulator.pki.clientCert };
		expect((await test({ ...pem, privateKey: fast.emulator.pki.clientKey })).status).toBe('OK');
		expect(
			(await test({ ...pem, privateKey: fast.emulator.pki.clientKeyEncrypted, privateKeyPassphrase: fast.emulator.pki.clientKeyPassphrase })).status,
		).toBe('OK');
	});

	it('works without a default SIREN (any API answer proves the certificate)', async () => {
		expect(await test({ siren: '' })).toMatchObject({ status: 'OK', message: expect.stringMatching(/certificate is accepted/) });
	});

	it('says the PKCS#12 password is wrong', async () => {
		expect(await test({ pfxPassword: 'not-the-password' })).toEqual({
			status: 'Error',
			message: 'The certificate password is wrong: the .p12/.pfx file could not be opened with it. Check the password that came with the certificate. Fix it in the FAST Parapheur credential.',
		});
		expect(fast.emulator.server.log).toHaveLength(0);
	});

	it('says the PEM passphrase is wrong, or missing', async () => {
		const pem = { certificateFormat: 'pem', certificate: fast.emulator.pki.clientCert, privateKey: fast.emulator.pki.clientKeyEncrypted };
		expect((await test({ ...pem, privateKeyPassphrase: 'not-the-passphrase' })).message).toMatch(/^The private key passphrase is wrong/);
		expect((await test({ ...pem, privateKeyPassphrase: '' })).message).toMatch(/^The private key is encrypted but the credential has no passphrase/);
	});

	it('says when the key does not belong to the certificate', async () => {
		const result = await test({ certificateFormat: 'pem', certificate: fast.emulator.pki.clientCert, privateKey: fast.emulator.pki.otherCaClientKey });
		expect(result.message).toMatch(/^The private key does not belong to the certificate/);
	});

	it('says the certificate from another CA is refused by FAST', async () => {
		const result = await test({ pfx: fast.emulator.pki.otherCaClientPfxBase64 });
		expect(result.status).toBe('Error');
		// Node's TLS 1.3 server closes the connection without an alert; a front that sends the
		// alert ("unknown ca") gives the plainer message, checked below.
		expect(result.message).toBe(`${AFTER_HANDSHAKE}. ${AFTER_HANDSHAKE_HINT}`);
		expect(describeTlsFailure(Object.assign(new Error('tlsv1 alert unknown ca'), { code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA' }))?.message).toMatch(
			/^FAST Parapheur refused the client certificate: it does not know it/,
		);
	});

	it('says an expired certificate has expired, before connecting', async () => {
		const result = await test({ certificateFormat: 'pem', certificate: fast.emulator.pki.expiredClientCert, privateKey: fast.emulator.pki.expiredClientKey });
		expect(result.message).toMatch(/^The client certificate expired on 2021-01-01/);
		expect(fast.emulator.server.log).toHaveLength(0);
	});

	it('says the credential has no certificate', async () => {
		expect((await test({ pfx: '' })).message).toMatch(/^The credential has no certificate/);
		expect((await test({ pfx: 'this is not base64!' })).message).toMatch(/is not base64 text/);
		expect((await test({ pfx: Buffer.from('not a p12').toString('base64') })).message).toMatch(/not a readable PKCS#12/);
	});

	it("says the server's certificate is not trusted without the CA, and connects when told to ignore it", async () => {
		// PEM: the PKCS#12 file carries the CA, which Node then trusts for the server too.
		const pem = { certificateFormat: 'pem', certificate: fast.emulator.pki.clientCert, privateKey: fast.emulator.pki.clientKey, caCertificates: '' };
		expect((await test(pem)).message).toMatch(/^The FAST Parapheur server's certificate is not trusted/);
		expect((await test({ ...pem, ignoreTlsErrors: true })).status).toBe('OK');
	});

	it('says the SIREN is not a subscriber', async () => {
		expect((await test({ siren: UNKNOWN_SIREN })).message).toMatch(new RegExp(`^SIREN ${UNKNOWN_SIREN} is not a FAST Parapheur subscriber \\(code 111\\)`));
	});

	it('classifies a connection made without any certificate', async () => {
		const error = await new Promise<Error>((resolve) => {
			const req = request(`${fast.emulator.apiUrl}/exportUsersData?siren=${SAMPLE_SIREN}`, { ca: fast.emulator.pki.caCert }, (response) => {
				response.resume();
				resolve(new Error(`answered ${response.statusCode}`));
			});
			req.on('error', resolve);
			req.end();
		});
		expect(describeTlsFailure(error)?.message).toBe('FAST Parapheur asked for a client certificate and did not get one it accepts');
	});
});

describe('client certificate in a node run', () => {
	it('fails the item with the certificate explanation for a certificate from another CA, never suggesting retries', async () => {
		for (const requestOptions of [{ maxRetries: 0 }, {}, { maxRetries: 5 }]) {
			const run = await fast.run(
				{ resource: 'document', operation: 'getStatus', documentId: '320073900', requestOptions },
				{ credentials: { pfx: fast.emulator.pki.otherCaClientPfxBase64 } },
			);
			expect(run.error?.message).toBe(AFTER_HANDSHAKE);
			expect(run.error?.description).toBe(AFTER_HANDSHAKE_HINT);
			expect(`${run.error?.message} ${run.error?.description}`).not.toMatch(/tr(y|ied)|retr|later/i);
		}
	});

	it('an upload refused on the certificate says what to change, nothing about retries', async () => {
		const run = await fast.run(
			{ resource: 'document', operation: 'upload', circuitId: { __rl: true, mode: 'id', value: 'Signature Maire' } },
			{ credentials: { pfx: fast.emulator.pki.otherCaClientPfxBase64 }, items: [{ $binary: { data: { base64: Buffer.from('%PDF-1.4').toString('base64'), fileName: 'a.pdf', mimeType: 'application/pdf' } } }] },
		);
		// A new connection closed before any answer may also be one dropped after FAST took the
		// upload: the upload still says it may have been applied, never to try again later.
		expect(run.error?.message).toBe(`${AFTER_HANDSHAKE} (not retried, as it may have been applied)`);
		expect(run.error?.description).toBe(`${AFTER_HANDSHAKE_HINT} This request creates or sends data, so it was not retried automatically: check whether it was applied before running it again.`);
		expect(`${run.error?.message} ${run.error?.description}`).not.toMatch(/try again|retries|later/i);
	});

	it('works with PEM material', async () => {
		const run = await fast.run(
			{ resource: 'document', operation: 'getStatus', documentId: '320073900' },
			{ credentials: { certificateFormat: 'pem', certificate: fast.emulator.pki.clientCert, privateKey: fast.emulator.pki.clientKey } },
		);
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.state).toBe('classified');
	});

	it('never shows the key, the password or the PKCS#12 file', async () => {
		const run = await fast.run(
			{ resource: 'document', operation: 'getStatus', documentId: '320073900' },
			{ credentials: { pfxPassword: 'wrong-password-123' } },
		);
		const text = JSON.stringify({ message: run.error?.message, description: run.error?.description, items: run.items });
		expect(text).not.toContain('wrong-password-123');
		expect(text).not.toContain(fast.emulator.pki.clientPfxBase64.slice(0, 40));
	});
});

describe('a refused certificate is not worth retrying', () => {
	const node: INode = { id: 'fast', name: 'FAST Parapheur', type: 'n8n-nodes-parapheur.fastParapheur', typeVersion: 1, position: [0, 0], parameters: {} };

	/** A TLS server that wants a client certificate from the test CA, counting connections. */
	async function strictServer(maxVersion: 'TLSv1.2' | 'TLSv1.3') {
		const pki = fast.emulator.pki;
		const server = createServer({ key: pki.serverKey, cert: pki.serverCert, ca: [pki.caCert], requestCert: true, rejectUnauthorized: true, maxVersion }, (_request, response) => {
			response.end('[]');
		});
		const counter = { connections: 0 };
		server.on('connection', () => (counter.connections += 1));
		server.on('tlsClientError', () => undefined);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		return { url: `https://127.0.0.1:${port}`, counter, close: async () => await new Promise<void>((resolve) => server.close(() => resolve())) };
	}

	it.each([
		['TLS 1.3: the connection closed right after the handshake, once more to tell it from a drop', 'TLSv1.3', 2, AFTER_HANDSHAKE],
		['TLS 1.2: the connection closed during the handshake', 'TLSv1.2', 1, 'FAST Parapheur closed the connection during the TLS handshake: it most likely refused the client certificate'],
	] as const)('%s', async (_name, maxVersion, connections, message) => {
		const server = await strictServer(maxVersion);
		const pki = fast.emulator.pki;
		const client = new FastClient(
			node,
			{ host: server.url, siren: SAMPLE_SIREN, certificateFormat: 'pkcs12', pfx: pki.otherCaClientPfxBase64, pfxPassword: pki.clientPfxPassword, caCertificates: pki.caCert },
			() => ({ ...DEFAULT_REQUEST_SETTINGS, maxRetries: 3 }),
		);
		try {
			const error = (await client.json({ method: 'GET', path: `/documents/v2/${SAMPLE_SIREN}/ack/remaining` }).catch((caught: unknown) => caught)) as Error & { description?: string };
			expect(error.message).toBe(message);
			expect(error.description).toMatch(/^(A server that checks .* )?Use the certificate Docaposte issued for this FAST server .* put it in the FAST Parapheur credential\.$/);
			// Not the 4 connections of 3 retries, and no word of trying again.
			expect(server.counter.connections).toBe(connections);
			expect(error.description).not.toMatch(/Tried|Max Retries|later/);
		} finally {
			client.close();
			await server.close();
		}
	});
});

describe('an HTTPS front that answers 403 to an unknown certificate', () => {
	it('turns the HTML page into the certificate message', async () => {
		const front = await startFastEmulator({ clientCertCheck: 'http' });
		try {
			const result = await testCredentialWithNode(
				'fastParapheur',
				'fastParapheurApi',
				fastCredentialData(front, { pfx: front.pki.otherCaClientPfxBase64 }),
			);
			expect(result.message).toMatch(/^FAST Parapheur refused the client certificate: it does not know it/);
		} finally {
			await front.close();
		}
	});
});
