/**
 * Self-test of the FAST Parapheur emulator with plain `https.request` and the test PKI: the real
 * TLS client-certificate check, streamed multipart, errors in HTTP 200, remaining lists, ZIP.
 */
import FormData from 'form-data';
import { unzipSync } from 'fflate';
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';

import type { FastEmulator } from '../emulators/fast';
import {
	FAST_API_PREFIX,
	getTestPki,
	startFastEmulator,
	syntheticContent,
	syntheticSha256,
} from '../emulators/fast';
import { SAMPLE_CIRCUITS, SAMPLE_DOCUMENTS, SAMPLE_SIREN, SAMPLE_USERS } from '../emulators/fast/sample';

const pki = getTestPki();

interface Identity {
	cert?: string;
	key?: string;
	pfx?: Buffer;
	passphrase?: string;
}

interface Reply {
	status: number;
	headers: IncomingHttpHeaders;
	body: Buffer;
	sha256: string;
	size: number;
}

const depositor: Identity = { cert: pki.clientCert, key: pki.clientKey };

/** One request; the body is hashed as it arrives and kept only when `keep` (the default). */
async function call(
	emulator: FastEmulator,
	method: string,
	path: string,
	options: { identity?: Identity; form?: FormData; keep?: boolean } = {},
): Promise<Reply> {
	const { identity = depositor, form, keep = true } = options;
	return await new Promise<Reply>((resolve, reject) => {
		const request = https.request(
			`${emulator.url}${path.startsWith('/parapheur') ? '' : FAST_API_PREFIX}${path}`,
			{ method, ca: pki.caCert, ...identity, agent: false, headers: form?.getHeaders() },
			(response) => {
				const hash = createHash('sha256');
				const chunks: Buffer[] = [];
				let size = 0;
				response.on('data', (chunk: Buffer) => {
					hash.update(chunk);
					size += chunk.length;
					if (keep) chunks.push(chunk);
				});
				response.on('end', () =>
					resolve({
						status: response.statusCode ?? 0,
						headers: response.headers,
						body: Buffer.concat(chunks),
						sha256: hash.digest('hex'),
						size,
					}),
				);
				response.on('error', reject);
			},
		);
		request.on('error', reject);
		if (form) form.pipe(request);
		else request.end();
	});
}

const json = (reply: Reply): Record<string, unknown> => JSON.parse(reply.body.toString('utf8'));

describe('FAST Parapheur emulator', () => {
	let emulator: FastEmulator;

	beforeEach(async () => {
		emulator = await startFastEmulator();
	});

	afterEach(async () => {
		await emulator.close();
	});

	it('answers a static upload with a bare id and logs the parts', async () => {
		const form = new FormData();
		form.append('content', Buffer.from('%PDF-1.4 test'), { filename: 'Délibération n°12.pdf', contentType: 'application/pdf' });
		form.append('label', 'Délibérations');
		form.append('emailDestinataire', 'a@exemple.fr;b@exemple.fr');
		const reply = await call(emulator, 'POST', `/documents/v2/${SAMPLE_SIREN}/${encodeURIComponent(SAMPLE_CIRCUITS.signature)}/upload`, { form });

		expect(reply.status).toBe(200);
		expect(reply.headers['content-type']).toMatch(/^text\/plain/);
		const id = reply.body.toString();
		expect(id).toMatch(/^\d{9,10}$/);
		const document = emulator.documents.get(id)!;
		expect(document).toMatchObject({ fileName: 'Délibération n°12.pdf', label: 'Délibérations', recipients: ['a@exemple.fr', 'b@exemple.fr'] });
		expect(emulator.log.at(-1)?.parts?.map((part) => part.name)).toEqual(['content', 'label', 'emailDestinataire']);

		const download = await call(emulator, 'GET', `/documents/v2/${id}/download`);
		expect(download.body.toString()).toBe('%PDF-1.4 test');
		expect(download.headers['content-disposition']).toContain("filename*=UTF-8''D%C3%A9lib%C3%A9ration%20n%C2%B012.pdf");
	});

	it('streams a 50 MB upload through and logs its size and SHA-256', async () => {
		const size = 50 * 1024 * 1024;
		const form = new FormData();
		form.append('content', syntheticContent(size), { filename: 'gros.pdf', contentType: 'application/pdf' });
		const reply = await call(emulator, 'POST', `/documents/v2/${SAMPLE_SIREN}/${encodeURIComponent(SAMPLE_CIRCUITS.signature)}/upload`, { form });

		const id = reply.body.toString();
		expect(id).toMatch(/^\d+$/);
		const expected = syntheticSha256(size);
		expect(emulator.log.at(-1)?.parts?.[0]).toMatchObject({ name: 'content', fileName: 'gros.pdf', size, sha256: expected });
		expect(emulator.log.at(-1)?.parts?.[0].text).toBeUndefined();
		expect(emulator.documents.get(id)?.contentPath).toBeDefined();

		const download = await call(emulator, 'GET', `/documents/v2/${id}/download`, { keep: false });
		expect(download).toMatchObject({ status: 200, size, sha256: expected });
	});

	it('refuses a missing, other-CA or expired client certificate during the TLS handshake', async () => {
		const path = `/documents/v2/${SAMPLE_SIREN}/ack/remaining`;
		await expect(call(emulator, 'GET', path, { identity: {} })).rejects.toThrow();
		await expect(call(emulator, 'GET', path, { identity: { cert: pki.otherCaClientCert, key: pki.otherCaClientKey } })).rejects.toThrow();
		await expect(call(emulator, 'GET', path, { identity: { cert: pki.expiredClientCert, key: pki.expiredClientKey } })).rejects.toThrow();
		// The PKCS#12 and the encrypted PEM key of the depositor both work.
		const pfx = Buffer.from(pki.clientPfxBase64, 'base64');
		expect(() => tls.createSecureContext({ pfx, passphrase: pki.clientPfxPassword })).not.toThrow();
		expect((await call(emulator, 'GET', path, { identity: { pfx, passphrase: pki.clientPfxPassword } })).status).toBe(200);
		expect((await call(emulator, 'GET', path, { identity: { cert: pki.clientCert, key: pki.clientKeyEncrypted, passphrase: pki.clientKeyPassphrase } })).status).toBe(200);
	});

	it('answers 403 HTML for a refused certificate when the check is done over HTTP', async () => {
		const front = await startFastEmulator({ clientCertCheck: 'http' });
		try {
			const reply = await call(front, 'GET', `/documents/v2/${SAMPLE_SIREN}/ack/remaining`, { identity: { cert: pki.otherCaClientCert, key: pki.otherCaClientKey } });
			expect(reply.status).toBe(403);
			expect(reply.headers['content-type']).toMatch(/text\/html/);
		} finally {
			await front.close();
		}
	});

	it('answers an on-demand circuit with an unknown member with error 119 in HTTP 200', async () => {
		const form = new FormData();
		form.append('doc', Buffer.from('%PDF-1.4'), { filename: 'contrat.pdf', contentType: 'application/pdf' });
		form.append('circuit', JSON.stringify({ type: 'BUREAUTIQUE_PDF', steps: [{ step: 'visa', members: [SAMPLE_USERS.dgs] }, { step: 'signature', members: ['inconnu@exemple.fr'] }] }));
		const reply = await call(emulator, 'POST', `/documents/ondemand/${SAMPLE_SIREN}/upload`, { form });

		expect(reply.status).toBe(200);
		expect(json(reply)).toMatchObject({ errorCode: 119, developerMessage: 'Invalid step member: inconnu@exemple.fr' });
		expect(typeof json(reply).generation).toBe('number');
	});

	it("in strict mode takes only the API page's part names and needs circuit_id on demand; off by default", async () => {
		const upload = `/documents/v2/${SAMPLE_SIREN}/${encodeURIComponent(SAMPLE_CIRCUITS.signature)}/upload`;
		const staticForm = (filePart: string) => {
			const form = new FormData();
			form.append(filePart, Buffer.from('%PDF-1.4'), { filename: `${filePart}.pdf`, contentType: 'application/pdf' });
			form.append('label', 'Strict');
			return form;
		};
		const onDemandForm = (fields: Record<string, string>) => {
			const form = new FormData();
			for (const [name, value] of Object.entries(fields)) form.append(name, value);
			form.append('doc', Buffer.from('%PDF-1.4'), { filename: `${Object.keys(fields).join('-')}.pdf`, contentType: 'application/pdf' });
			form.append('circuit', JSON.stringify({ type: 'BUREAUTIQUE_PDF', steps: [{ step: 'signature', members: [SAMPLE_USERS.mayor] }] }));
			return form;
		};
		const onDemand = `/documents/ondemand/${SAMPLE_SIREN}/upload`;
		expect(emulator.followApiPage).toBe(false);
		expect((await call(emulator, 'POST', upload, { form: staticForm('content') })).body.toString()).toMatch(/^\d+$/);
		expect((await call(emulator, 'POST', onDemand, { form: onDemandForm({ email_cc: SAMPLE_USERS.dgs }) })).body.toString()).toMatch(/^\d+$/);

		emulator.followApiPage = true;
		expect(json(await call(emulator, 'POST', upload, { form: staticForm('content') }))).toMatchObject({
			errorCode: 902,
			developerMessage: "Unknown parameter 'content' (expected: doc, label, comment, emailDestinataire)",
		});
		expect((await call(emulator, 'POST', upload, { form: staticForm('doc') })).body.toString()).toMatch(/^\d+$/);
		expect(json(await call(emulator, 'POST', onDemand, { form: onDemandForm({}) }))).toMatchObject({
			errorCode: 120,
			developerMessage: "Upload doc error: missing parameter 'circuit_id'",
		});
		expect(json(await call(emulator, 'POST', onDemand, { form: onDemandForm({ circuit_id: 'Inconnu' }) }))).toMatchObject({
			errorCode: 120,
			developerMessage: 'Upload doc error: unknown circuit "Inconnu"',
		});
		expect(json(await call(emulator, 'POST', onDemand, { form: onDemandForm({ circuit_id: SAMPLE_CIRCUITS.signature, email_cc: SAMPLE_USERS.dgs }) }))).toMatchObject({
			errorCode: 902,
			developerMessage: "Unknown parameter 'email_cc' (expected: circuit_id, doc, circuit, annexes, agents, comment, email_destinataire, email_CC)",
		});
		const id = (await call(emulator, 'POST', onDemand, { form: onDemandForm({ circuit_id: SAMPLE_CIRCUITS.signature, email_CC: SAMPLE_USERS.dgs }) })).body.toString();
		expect(emulator.documents.get(id)).toMatchObject({ kind: 'onDemand', circuitId: SAMPLE_CIRCUITS.signature, cc: [SAMPLE_USERS.dgs] });
	});

	it('consumes a remaining acknowledgement when it is downloaded', async () => {
		const list = async () => json(await call(emulator, 'GET', `/documents/v2/${SAMPLE_SIREN}/ack/remaining`)) as unknown as number[];
		expect(await list()).toEqual([Number(SAMPLE_DOCUMENTS.helios)]);
		const ack = await call(emulator, 'GET', `/documents/v2/${SAMPLE_DOCUMENTS.helios}/ack/download`);
		expect(ack.headers['content-type']).toMatch(/^application\/xml/);
		expect(ack.body.toString()).toContain('<PES_ACQUIT>');
		expect(await list()).toEqual([]);
	});

	it('downloads a ZIP with the document, the fiche de circulation and the acknowledgement', async () => {
		const id = SAMPLE_DOCUMENTS.helios;
		const reply = await call(emulator, 'GET', `/documents/v2/${id}/download?acquit=true&FdC=true`);

		expect(reply.headers['content-type']).toBe('application/zip');
		expect(reply.headers['content-disposition']).toBe(`attachment; filename="${id}.zip"`);
		const entries = unzipSync(new Uint8Array(reply.body));
		expect(Object.keys(entries).sort()).toEqual([`PES mandats janvier.xml`, `ack-${id}.xml`, `fiche-de-circulation-${id}.pdf`].sort());
		expect(Buffer.from(entries[`fiche-de-circulation-${id}.pdf`]).subarray(0, 5).toString()).toBe('%PDF-');
	});
});
