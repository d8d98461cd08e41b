/**
 * Catalogue, inputs: values from expressions, spreadsheets and AI agents. A value the vendor
 * accepts is sent (a SIREN whose check digit is wrong); a bad one gives an error naming the field
 * and nothing reaches the emulator; hostile text is sent escaped, exactly as intended.
 */
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import type { Server } from 'node:http';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { SAMPLE_CIRCUITS, SAMPLE_USERS } from '../emulators/fast/sample';
import { FLOWERDOCS_API_PASSWORD } from '../emulators/flowerdocs';
import { MAARCH_API_PASSWORD } from '../emulators/maarch';
import { NAMIRIAL_ADMIN_PASSWORD } from '../emulators/namirial';
import type { RunResult } from '../harness';
import { byId, pdfItem, useFast } from '../fast/fixture';
import { useFlowerDocs } from '../flowerdocs/fixture';
import { byId as maarchById, useMaarch } from '../maarch/fixture';
import { fromItem, useNamirial } from '../namirial/fixture';
import { entry, expectNoSecret } from './catalogue';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PES = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<PES_Aller><EnTetePES/></PES_Aller>\n');

/** A local server for the URL source: path => [status, headers, body]. */
let files: Server;
let filesUrl = '';
const served: Record<string, { status?: number; type?: string; body: Buffer | string; chunked?: boolean }> = {
	'/empty.pdf': { type: 'application/pdf', body: '' },
	'/empty-chunked.pdf': { type: 'application/pdf', body: '', chunked: true },
	'/deliberation.pdf': { type: 'application/pdf', body: PDF },
	'/notice.txt': { type: 'text/plain', body: 'Le fichier a été déplacé.', chunked: true },
};
beforeAll(async () => {
	files = createServer((request, response) => {
		const file = served[(request.url ?? '').split('?')[0]];
		if (!file) {
			response.writeHead(404).end();
			return;
		}
		const body = Buffer.from(file.body);
		response.writeHead(file.status ?? 200, { 'content-type': file.type ?? 'application/octet-stream', ...(file.chunked ? {} : { 'content-length': String(body.length) }) });
		if (file.chunked && body.length > 0) response.write(body);
		response.end(file.chunked ? undefined : body);
	});
	await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
	filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});
afterAll(async () => {
	await new Promise<void>((resolve) => files.close(() => resolve()));
});

describe('FAST Parapheur', () => {
	const fast = useFast();
	const secrets = () => [fast.emulator.pki.clientPfxPassword];
	const upload = (extra: INodeParameters): INodeParameters => ({ resource: 'document', operation: 'upload', circuitId: byId(SAMPLE_CIRCUITS.signature), ...extra });
	const onDemand = (circuitType: string, extra: INodeParameters = {}): INodeParameters => ({
		resource: 'document',
		operation: 'uploadOnDemand',
		circuitType,
		steps: { step: [{ type: 'signature', members: [SAMPLE_USERS.mayor] }] },
		...extra,
	});
	const base64 = (fileContent: string, fileName = 'deliberation.pdf'): INodeParameters => ({ inputDataSource: 'base64', fileContent, fileName });
	const fromUrl = (fileUrl: string): INodeParameters => ({ inputDataSource: 'url', fileUrl });
	const emptyItem = (): IDataObject => ({ $binary: { data: { base64: '', fileName: 'vide.pdf', mimeType: 'application/pdf' } } });

	/** The run failed before anything was sent, with this message; no secret anywhere. */
	function refused(run: RunResult, message: RegExp | string): void {
		if (typeof message === 'string') expect(run.error?.message).toBe(message);
		else expect(run.error?.message).toMatch(message);
		expect(run.error?.name).toBe('NodeOperationError');
		expect(fast.emulator.server.log).toHaveLength(0);
		expectNoSecret(run, secrets());
	}

	/** The upload reached FAST once, with this file. */
	function uploaded(run: RunResult, content: Buffer, fileName?: string): void {
		expect(run.error).toBeUndefined();
		expect(fast.emulator.server.log).toHaveLength(1);
		const part = fast.emulator.server.log[0].parts?.find((logged) => logged.name === 'content' || logged.name === 'doc');
		expect(part?.sha256).toBe(createHash('sha256').update(content).digest('hex'));
		if (fileName) expect(part?.fileName).toBe(fileName);
		expectNoSecret(run, secrets());
	}

	entry('input', 'FAST: a SIREN whose check digit is wrong (123456789) is sent, and FAST answers', async () => {
		const run = await fast.run(upload({ siren: '123456789' }), { items: [pdfItem()] });
		expect(fast.emulator.server.log.map((request) => `${request.method} ${request.path}`)).toEqual([
			`POST /parapheur-ws/rest/v1/documents/v2/123456789/${encodeURIComponent(SAMPLE_CIRCUITS.signature)}/upload`,
		]);
		expect(run.error?.message).toMatch(/111/);
		expect(run.error?.message).toMatch(/check digit is wrong/);
		expect(run.error?.message).not.toMatch(/must be 9 digits/);
		expectNoSecret(run, secrets());
	});

	entry('input', 'FAST: a SIREN of 8 digits is refused before sending', async () => {
		refused(await fast.run(upload({ siren: '12345678' }), { items: [pdfItem()] }), /^'SIREN' must be 9 digits, got "12345678"/);
	});

	entry('input', 'FAST: a SIREN given as an object names its type', async () => {
		refused(await fast.run(upload({ siren: '={{ { "siren": "213501232" } }}' }), { items: [pdfItem()] }), "'SIREN' must be text or a number, got an object");
	});

	entry('input', 'FAST: an empty binary file is refused', async () => {
		refused(await fast.run(upload({}), { items: [emptyItem()] }), /^The file in binary field 'data' \('Input Binary Field'\) is empty: it has 0 bytes/);
	});

	entry('input', 'FAST: an empty annex is refused', async () => {
		const item = pdfItem('a.pdf', { $binary: { annexe: { base64: '', fileName: 'annexe.pdf', mimeType: 'application/pdf' } } });
		refused(await fast.run(upload({ options: { annexes: 'annexe' } }), { items: [item] }), /^The file in binary field 'annexe' \('Annexes \(Binary Fields\)'\) is empty/);
	});

	entry('input', 'FAST: base64 that decodes to nothing (only padding) is refused', async () => {
		refused(await fast.run(upload(base64('==')), { items: [{}] }), /^'File Content \(Base64\)'/);
	});

	entry('input', 'FAST: an empty data URL is refused as empty', async () => {
		refused(await fast.run(upload(base64('data:application/pdf;base64,')), { items: [{}] }), /^'File Content \(Base64\)' is empty/);
	});

	entry('input', "FAST: 'see attached file' is refused, not decoded to garbage", async () => {
		refused(await fast.run(upload(base64('see attached file')), { items: [{}] }), /^'File Content \(Base64\)' is not base64 text/);
	});

	entry('input', 'FAST: base64 with bad padding is refused', async () => {
		refused(await fast.run(upload(base64('JVBERi0=x')), { items: [{}] }), /^'File Content \(Base64\)' is not base64 text: '=' padding appears before the end/);
	});

	entry('input', 'FAST: base64 with a padding that makes no length is refused', async () => {
		refused(await fast.run(upload(base64('JVBERi0===')), { items: [{}] }), /^'File Content \(Base64\)' has wrong base64 padding/);
	});

	entry('input', 'FAST: base64 with characters outside the alphabet is refused', async () => {
		refused(await fast.run(upload(base64('JVBER*i0=')), { items: [{}] }), /^'File Content \(Base64\)' is not base64 text: it holds "\*"/);
	});

	entry('input', 'FAST: base64 given as an object names its type', async () => {
		refused(await fast.run(upload({ inputDataSource: 'base64', fileContent: '={{ { "data": "JVBERi0=" } }}', fileName: 'a.pdf' }), { items: [{}] }), /^'File Content \(Base64\)' must be text, got an object/);
	});

	entry('input', 'FAST: base64 wrapped on lines of 76 characters is accepted', async () => {
		const text = PDF.toString('base64').replace(/(.{76})/g, '$1\r\n');
		uploaded(await fast.run(upload(base64(text)), { items: [{}] }), PDF, 'deliberation.pdf');
	});

	entry('input', 'FAST: a data-URL prefix is accepted and its MIME type used', async () => {
		const run = await fast.run(upload(base64(`data:application/pdf;base64,${PDF.toString('base64')}`, 'Délibération 12')), { items: [{}] });
		uploaded(run, PDF, 'Délibération 12.pdf');
		const part = fast.emulator.server.log[0].parts?.find((logged) => logged.name === 'content');
		expect(part?.contentType).toBe('application/pdf');
	});

	entry('input', 'FAST on demand: BUREAUTIQUE_PDF refuses a file that is not a PDF', async () => {
		const item = { $binary: { data: { base64: Buffer.from('Bonjour, voici le texte').toString('base64'), fileName: 'a.pdf', mimeType: 'application/pdf' } } };
		refused(await fast.run(onDemand('BUREAUTIQUE_PDF'), { items: [item] }), /^The file in binary field 'data' is not a PDF: it does not start with %PDF- .*BUREAUTIQUE_PDF/);
	});

	entry('input', 'FAST on demand: BUREAUTIQUE_PDF sends a PDF', async () => {
		uploaded(await fast.run(onDemand('BUREAUTIQUE_PDF', base64(PDF.toString('base64'))), { items: [{}] }), PDF);
	});

	entry('input', 'FAST on demand: a Hélios circuit refuses a PDF (a PES is XML)', async () => {
		refused(await fast.run(onDemand('HELIOS_SANS_TELETRANSMISSION', base64(PDF.toString('base64'), 'pes.xml')), { items: [{}] }), /^'File Content \(Base64\)' is not XML: it does not start with < .*HELIOS_SANS_TELETRANSMISSION/);
	});

	entry('input', 'FAST on demand: a Hélios circuit sends an XML PES (with a byte order mark)', async () => {
		const pes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), PES]);
		uploaded(await fast.run(onDemand('HELIOS_AVEC_TELETRANSMISSION', base64(pes.toString('base64'), 'pes.xml')), { items: [{}] }), pes);
	});

	entry('input', 'FAST on demand: a Hélios circuit checks the first bytes of a URL source too', async () => {
		refused(await fast.run(onDemand('HELIOS_AVEC_TELETRANSMISSION', fromUrl(`${filesUrl}/notice.txt`)), { items: [{}] }), /^The file at 'File URL' is not XML/);
	});

	entry('input', 'FAST: a file URL with broken %-encoding is not a valid URL', async () => {
		refused(await fast.run(upload(fromUrl(`${filesUrl}/d%E9lib%ration.pdf`)), { items: [{}] }), /^'File URL' is not a valid URL: .* has a broken %-encoding/);
	});

	entry('input', 'FAST: a file URL that is no URL at all', async () => {
		refused(await fast.run(upload(fromUrl('deliberation.pdf')), { items: [{}] }), /^'File URL' is not a valid URL: "deliberation.pdf"/);
	});

	entry('input', 'FAST: a non-HTTP file URL is refused', async () => {
		refused(await fast.run(upload(fromUrl('ftp://127.0.0.1/deliberation.pdf')), { items: [{}] }), /^'File URL' must be an http:\/\/ or https:\/\/ address/);
	});

	entry('input', 'FAST: a file URL answering an empty body is refused', async () => {
		refused(await fast.run(upload(fromUrl(`${filesUrl}/empty.pdf`)), { items: [{}] }), /^The file at 'File URL' \(.*\) is empty: the server answered 0 bytes/);
	});

	entry('input', 'FAST: a file URL answering an empty chunked body is refused', async () => {
		refused(await fast.run(upload(fromUrl(`${filesUrl}/empty-chunked.pdf`)), { items: [{}] }), /^The file at 'File URL' is empty: it has 0 bytes/);
	});

	entry('input', 'FAST: a file URL given as a list names its type', async () => {
		refused(await fast.run(upload({ inputDataSource: 'url', fileUrl: `={{ ["${filesUrl}/deliberation.pdf"] }}` }), { items: [{}] }), /^'File URL' must be text, got a list/);
	});

	entry('input', 'FAST: a Document ID given as an object names its type', async () => {
		refused(await fast.run({ resource: 'document', operation: 'getStatus', documentId: '={{ { "id": 1 } }}' }, { items: [{}] }), "'Document ID' must be text or a number, got an object");
	});

	entry('input', 'FAST: a label given as a list names its type', async () => {
		refused(await fast.run(upload({ label: '={{ ["a", "b"] }}' }), { items: [pdfItem()] }), /^'Label' must be text or a number, got a list/);
	});

	entry('input', 'FAST: a label of 256 characters is refused, 255 sent', async () => {
		refused(await fast.run(upload({ label: 'é'.repeat(256) }), { items: [pdfItem()] }), /^'Label' is too long: at most 255 characters, got 256/);
	});

	entry('input', 'FAST: a label of exactly 255 characters is sent as given', async () => {
		const run = await fast.run(upload({ label: 'é'.repeat(255) }), { items: [pdfItem()] });
		expect(run.error).toBeUndefined();
		expect(fast.emulator.server.log[0].parts?.find((part) => part.name === 'label')?.text).toBe('é'.repeat(255));
		expectNoSecret(run, secrets());
	});

	entry('input', 'FAST: recipients with a header injection are refused', async () => {
		refused(await fast.run(upload({ options: { recipients: 'dgs@mairie.example.fr\r\nBcc: espion@example.com' } }), { items: [pdfItem()] }), /^'Recipients' contains an invalid e-mail address: "Bcc:"/);
	});

	entry('input', 'FAST: recipients with a control character inside an address are refused', async () => {
		refused(await fast.run(upload({ options: { recipients: 'dgs\u0000@mairie.example.fr' } }), { items: [pdfItem()] }), /^'Recipients' contains an invalid e-mail address/);
	});

	entry('input', 'FAST: recipients with a display name and angle brackets are refused', async () => {
		refused(await fast.run(upload({ options: { recipients: '"DGS" <dgs@mairie.example.fr>' } }), { items: [pdfItem()] }), /^'Recipients' contains an invalid e-mail address/);
	});

	entry('input', 'FAST: recipients given as objects name their type', async () => {
		refused(await fast.run(upload({ options: { recipients: '={{ [{ "email": "dgs@mairie.example.fr" }] }}' } }), { items: [pdfItem()] }), "'Recipients' must be text or a list of text, got a list holding an object");
	});

	entry('input', 'FAST: recipients as a list of addresses are sent joined by commas', async () => {
		const run = await fast.run(upload({ options: { recipients: '={{ ["dgs@mairie.example.fr", "DGS@mairie.example.fr", "elus@mairie.example.fr"] }}' } }), { items: [pdfItem()] });
		expect(run.error).toBeUndefined();
		expect(fast.emulator.server.log[0].parts?.find((part) => part.name === 'emailDestinataire')?.text).toBe('dgs@mairie.example.fr,elus@mairie.example.fr');
		expectNoSecret(run, secrets());
	});

	entry('input', 'FAST: agents over 255 characters once joined are refused', async () => {
		const agents = Array.from({ length: 10 }, (_, i) => `agent.numero.${i}@secretariat-mairie.example.fr`).join(';');
		refused(await fast.run(onDemand('BUREAUTIQUE_PDF', { options: { agents } }), { items: [pdfItem()] }), /^'Agents' is too long: at most 255 characters once joined/);
	});

	entry('input', 'FAST: XML metadata with <, &, quotes and control characters is sent escaped', async () => {
		const id = fast.emulator.seedDocument({ states: ['Préparé'] });
		const value = 'A < B & "C" \'D\'\u0001\u0007 > E';
		const run = await fast.run({ resource: 'document', operation: 'setMetadata', documentId: id, metadata: { entry: [{ name: 'TEXT_001', value }] } }, { items: [{}] });
		expect(run.error).toBeUndefined();
		const xml = fast.emulator.server.log[0].parts?.find((part) => part.name === 'metadata')?.text ?? '';
		expect(xml).toContain('value="A &lt; B &amp; &quot;C&quot; &apos;D&apos; &gt; E"');
		expect(xml).not.toMatch(/[\u0001\u0007]/);
		expect(fast.emulator.document(id)?.metadata.TEXT_001).toBe('A < B & "C" \'D\' > E');
		expectNoSecret(run, secrets());
	});

	entry('input', 'FAST: an XML metadata name that is too long is refused', async () => {
		refused(await fast.run({ resource: 'document', operation: 'setMetadata', documentId: '320073900', metadata: { entry: [{ name: 'N'.repeat(256), value: 'x' }] } }, { items: [{}] }), /^Metadata 1: 'Name' is too long/);
	});
});

describe('Maarch Courrier', () => {
	const maarch = useMaarch();

	entry('input', 'Maarch: a user ID given as an object names its type, nothing sent', async () => {
		const run = await maarch.run({ operation: 'get', userId: maarchById('={{ { "id": 11 } }}') }, { items: [{}] });
		expect(run.error?.message).toMatch(/must be text or a number, got an object/);
		expect(run.error?.message).not.toContain('[object Object]');
		expect(maarch.emulator.log).toHaveLength(0);
		expectNoSecret(run, [MAARCH_API_PASSWORD]);
	});

	entry('input', 'Maarch: an e-mail with a control character is refused, nothing sent', async () => {
		const run = await maarch.run({ operation: 'create', login: 'jdupont2', firstname: 'Jeanne', lastname: 'Dupont', mail: 'jeanne\u0007@mairie.example.fr' }, { items: [{}] });
		expect(run.error?.message).toMatch(/^'Email' is not a valid e-mail address/);
		expect(maarch.emulator.log).toHaveLength(0);
		expectNoSecret(run, [MAARCH_API_PASSWORD]);
	});

	entry('input', 'Maarch: a first name of 256 characters is refused, nothing sent', async () => {
		const run = await maarch.run({ operation: 'create', login: 'jdupont2', firstname: 'J'.repeat(256), lastname: 'Dupont', mail: 'j@mairie.example.fr' }, { items: [{}] });
		expect(run.error?.message).toMatch(/too long: at most 255 characters, got 256/);
		expect(maarch.emulator.log).toHaveLength(0);
		expectNoSecret(run, [MAARCH_API_PASSWORD]);
	});
});

describe('Namirial Trust and Sign', () => {
	const namirial = useNamirial();
	const batch: INodeParameters = { operation: 'createBatch', email: fromItem('email'), firstName: fromItem('first'), lastName: fromItem('last') };

	entry('input', 'Namirial: CSV values with commas, quotes and line breaks are quoted, exactly as intended', async () => {
		const run = await namirial.run(batch, { items: [{ email: 'lea.dupont@agence.example.fr', first: 'Léa "L"', last: 'Dupont, née\r\nMartin' }] });
		expect(run.error).toBeUndefined();
		expect(namirial.emulator.batches).toHaveLength(1);
		expect(namirial.emulator.batches[0].text).toContain('lea.dupont@agence.example.fr,"Léa ""L""","Dupont, née\r\nMartin"');
		expectNoSecret(run, [NAMIRIAL_ADMIN_PASSWORD]);
	});

	entry('input', 'Namirial: a CSV value given as an object names its type, nothing sent', async () => {
		const run = await namirial.run(batch, { items: [{ email: 'lea.dupont@agence.example.fr', first: { name: 'Léa' }, last: 'Dupont' }] });
		expect(JSON.stringify(run.error?.message ?? run.items)).toMatch(/'First Name' must be text or a number, got an object/);
		expect(namirial.emulator.batches).toHaveLength(0);
		expectNoSecret(run, [NAMIRIAL_ADMIN_PASSWORD]);
	});

	entry('input', 'Namirial: an operator e-mail given as a number names its type, nothing sent', async () => {
		const run = await namirial.run({ operation: 'create', email: '={{ 42 }}', firstName: 'A', lastName: 'B' }, { items: [{}] });
		expect(run.error?.message).toBe("'Email' must be text, got a number");
		expect(namirial.emulator.log).toHaveLength(0);
		expectNoSecret(run, [NAMIRIAL_ADMIN_PASSWORD]);
	});
});

describe('FlowerDocs', () => {
	const flowerDocs = useFlowerDocs();

	entry('input', 'FlowerDocs: a user ID given as a list names its type, nothing sent', async () => {
		const run = await flowerDocs.run({ resource: 'user', operation: 'delete', userId: '={{ ["jdupont"] }}' }, { items: [{}] });
		expect(run.error?.message).toMatch(/must be text or a number, got a list/);
		expect(flowerDocs.received()).toHaveLength(0);
		expectNoSecret(run, [FLOWERDOCS_API_PASSWORD]);
	});
});
