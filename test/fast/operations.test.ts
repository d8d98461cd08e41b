/**
 * Every FAST Parapheur operation through n8n's WorkflowExecute against the HTTPS emulator: the
 * node's output and what the emulator received (multipart parts, file names, content types,
 * the circuit JSON, the XML).
 */
import { createHash } from 'node:crypto';

import { unzipSync } from 'fflate';

import { DEPOSITOR_EMAIL } from '../emulators/fast/pki';
import { SAMPLE_CIRCUITS, SAMPLE_DOCUMENTS, SAMPLE_SIREN, SAMPLE_USERS } from '../emulators/fast/sample';
import { binaryContent } from '../harness';
import { byId, fileBinary, pdfItem, useFast } from './fixture';

const fast = useFast();

const parts = (entry: { parts?: Array<{ name: string; fileName?: string; contentType?: string; text?: string; size: number }> }) => entry.parts ?? [];

describe('document: upload', () => {
	it('sends the file as the `content` part with label, comment and recipients, and returns the id as a string', async () => {
		const run = await fast.run(
			{
				resource: 'document',
				operation: 'upload',
				circuitId: byId(SAMPLE_CIRCUITS.signature),
				label: 'Conseil 2026-11',
				options: { comment: 'Pour signature', recipients: 'dgs@mairie-exemple.fr; elus@mairie-exemple.fr' },
			},
			{ items: [pdfItem()] },
		);
		expect(run.error).toBeUndefined();
		const json = run.items[0].json;
		expect(typeof json.documentId).toBe('string');
		expect(json.documentId).toMatch(/^\d{9,10}$/);
		expect(json.link).toBe(`${fast.emulator.url}/parapheur/showDoc.action?documentid=${json.documentId}`);
		const [request] = fast.emulator.server.requests('POST', /\/upload$/);
		expect(request.path).toBe(`/parapheur-ws/rest/v1/documents/v2/${SAMPLE_SIREN}/${encodeURIComponent(SAMPLE_CIRCUITS.signature)}/upload`);
		const byName = Object.fromEntries(parts(request).map((part) => [part.name, part]));
		expect(byName.content).toMatchObject({ fileName: 'Délibération 2026-042.pdf', contentType: 'application/pdf' });
		expect(byName.label.text).toBe('Conseil 2026-11');
		expect(byName.comment.text).toBe('Pour signature');
		expect(byName.emailDestinataire.text).toBe('dgs@mairie-exemple.fr,elus@mairie-exemple.fr');
		expect(fast.emulator.documents.get(String(json.documentId))?.fileName).toBe('Délibération 2026-042.pdf');
	});

	it('zips the main document and the annexes into <file>.zip', async () => {
		const run = await fast.run(
			{ resource: 'document', operation: 'upload', circuitId: byId(SAMPLE_CIRCUITS.signature), options: { annexes: 'annexe1, annexe2' } },
			{ items: [pdfItem('Budget.pdf', { $binary: { annexe1: fileBinary('Annexe A.pdf', 'annex A'), annexe2: fileBinary('Plan.png', 'png', 'image/png') } })] },
		);
		expect(run.error).toBeUndefined();
		const [request] = fast.emulator.server.requests('POST', /\/upload$/);
		const content = parts(request).find((part) => part.name === 'content')!;
		expect(content).toMatchObject({ fileName: 'Budget.pdf.zip', contentType: 'application/zip' });
		const document = fast.emulator.documents.get(String(run.items[0].json.documentId))!;
		const download = await fast.run({ resource: 'document', operation: 'download', documentId: document.id });
		const zip = unzipSync(new Uint8Array(await binaryContent(download.items[0].binary!.data)));
		expect(Object.keys(zip).sort()).toEqual(['Annexe A.pdf', 'Budget.pdf', 'Plan.png']);
		expect(Buffer.from(zip['Annexe A.pdf']).toString()).toBe('annex A');
	});

	it('reports the duplicate rule (circuit, label, file name) as such', async () => {
		const parameters = { resource: 'document', operation: 'upload', circuitId: byId(SAMPLE_CIRCUITS.signature), label: 'Arrêtés' };
		expect((await fast.run(parameters, { items: [pdfItem('Même nom.pdf')] })).error).toBeUndefined();
		const second = await fast.run(parameters, { items: [pdfItem('Même nom.pdf')] });
		expect(second.error?.message).toMatch(/duplicate.*circuit \(Signature Maire\), label \('Arrêtés'\) and file name \('Même nom.pdf'\)/);
		expect(second.error?.message).toMatch(/another label/);
	});

	it('takes the file as base64 text', async () => {
		const run = await fast.run({
			resource: 'document',
			operation: 'upload',
			circuitId: byId(SAMPLE_CIRCUITS.signature),
			inputDataSource: 'base64',
			fileContent: Buffer.from('%PDF-1.4 base64').toString('base64'),
			fileName: 'depuis-agent.pdf',
		});
		expect(run.error).toBeUndefined();
		const document = fast.emulator.documents.get(String(run.items[0].json.documentId))!;
		expect(document.fileName).toBe('depuis-agent.pdf');
		expect(document.sha256).toBe(createHash('sha256').update('%PDF-1.4 base64').digest('hex'));
	});
});

describe('document: uploadOnDemand', () => {
	const steps = {
		step: [
			{ type: 'visa', members: [SAMPLE_USERS.dgs] },
			{ type: 'signature', members: `${SAMPLE_USERS.mayor}, ${SAMPLE_USERS.finance}` },
		],
	};

	it('sends doc, the circuit JSON, repeated annexes, agents, recipients and CC; returns id and link', async () => {
		const run = await fast.run(
			{
				resource: 'document',
				operation: 'uploadOnDemand',
				circuitType: 'BUREAUTIQUE_PDF',
				steps,
				options: { annexes: 'a1,a2', agents: SAMPLE_USERS.agent, recipients: 'archives@mairie-exemple.fr', cc: 'dgs@mairie-exemple.fr', comment: 'Urgent' },
			},
			{ items: [pdfItem('Contrat.pdf', { $binary: { a1: fileBinary('A1.pdf', 'one'), a2: fileBinary('A2.pdf', 'two') } })] },
		);
		expect(run.error).toBeUndefined();
		const json = run.items[0].json;
		expect(json.documentId).toMatch(/^\d+$/);
		expect(json.link).toContain(`documentid=${json.documentId}`);
		const [request] = fast.emulator.server.requests('POST', /ondemand/);
		const list = parts(request);
		expect(list.find((part) => part.name === 'doc')).toMatchObject({ fileName: 'Contrat.pdf', contentType: 'application/pdf' });
		expect(JSON.parse(list.find((part) => part.name === 'circuit')!.text!)).toEqual({
			type: 'BUREAUTIQUE_PDF',
			steps: [
				{ step: 'visa', members: [SAMPLE_USERS.dgs] },
				{ step: 'signature', members: [SAMPLE_USERS.mayor, SAMPLE_USERS.finance] },
			],
		});
		expect(list.filter((part) => part.name === 'annexes').map((part) => part.fileName)).toEqual(['A1.pdf', 'A2.pdf']);
		expect(list.find((part) => part.name === 'agents')?.text).toBe(SAMPLE_USERS.agent);
		expect(list.find((part) => part.name === 'email_destinataire')?.text).toBe('archives@mairie-exemple.fr');
		expect(list.find((part) => part.name === 'email_cc')?.text).toBe('dgs@mairie-exemple.fr');
		expect(list.some((part) => part.name === 'circuit_id')).toBe(false);
	});

	it('sends the OTP details as XML after the upload when the circuit has OTP steps', async () => {
		const run = await fast.run(
			{
				resource: 'document',
				operation: 'uploadOnDemand',
				circuitType: 'BUREAUTIQUE_PDF',
				steps: { step: [{ type: 'visa', members: [SAMPLE_USERS.dgs] }, { type: 'OTPSignature', members: [] }] },
				otpSigners: { signer: [{ firstName: 'Zoé', lastName: "O'Brien & Fils", phoneNumber: '06 12 34 56 78', email: 'zoe@example.fr' }] },
			},
			{ items: [pdfItem()] },
		);
		expect(run.error).toBeUndefined();
		const id = String(run.items[0].json.documentId);
		const [otp] = fast.emulator.server.requests('PUT', `/parapheur-ws/rest/v1/documents/v2/otp/${id}/metadata/define`);
		const part = parts(otp).find((entry) => entry.name === 'otpinformation')!;
		expect(part.contentType).toBe('application/xml');
		expect(part.text).toContain('<meta-data name="OTP_lastname_0" value="O&apos;Brien &amp; Fils"/>');
		expect(fast.emulator.documents.get(id)?.otpSigners).toEqual([
			expect.objectContaining({ firstname: 'Zoé', lastname: "O'Brien & Fils", phonenumber: '0612345678', email: 'zoe@example.fr' }),
		]);
	});

	it('an OTP information refused after the upload keeps the HTTP status as httpCode, not FAST\'s code', async () => {
		fast.emulator.injectFault(
			{ status: 400, body: { generation: 1, developerMessage: 'Metadata error: bad phone number', errorCode: 105 } },
			1,
			{ method: 'PUT', path: /\/metadata\/define$/ },
		);
		const run = await fast.run(
			{
				resource: 'document',
				operation: 'uploadOnDemand',
				circuitType: 'BUREAUTIQUE_PDF',
				steps: { step: [{ type: 'OTPSignature', members: [] }] },
				otpSigners: { signer: [{ firstName: 'Zoé', lastName: 'Client', phoneNumber: '06 12 34 56 78', email: 'zoe@example.fr' }] },
			},
			{ items: [pdfItem()] },
		);
		expect(run.error?.message).toMatch(/^The document was uploaded \(ID \d+\) but its OTP information was not set: FAST Parapheur refused to .*\(code 105\): Metadata error: bad phone number$/);
		expect((run.error as { httpCode?: string | null } | undefined)?.httpCode).toBe('400');
	});

	it('names the member FAST does not know (code 119)', async () => {
		const run = await fast.run(
			{ resource: 'document', operation: 'uploadOnDemand', circuitType: 'BUREAUTIQUE_PDF', steps: { step: [{ type: 'signature', members: ['inconnu@mairie-exemple.fr'] }] } },
			{ items: [pdfItem()] },
		);
		expect(run.error?.message).toBe(`The circuit member inconnu@mairie-exemple.fr has no FAST account in SIREN ${SAMPLE_SIREN} (code 119). Check the e-mail, or create the user first (User > Synchronize, or in FAST).`);
	});
});

describe('document: uploadOtp, setMetadata, setOtpInformation, getOtpUrl', () => {
	it('uploadOtp sends doc and the meta XML, returns the id and the signing URL', async () => {
		const run = await fast.run(
			{
				resource: 'document',
				operation: 'uploadOtp',
				circuitId: byId(SAMPLE_CIRCUITS.otp),
				label: 'Contrats',
				otpSigners: { signer: [{ firstName: 'Jean', lastName: 'Client', phoneNumber: '+33 6 12 34 56 78', email: 'jean@client.fr' }] },
				options: { referer: 'https://www.mairie-exemple.fr/merci' },
			},
			{ items: [pdfItem('Contrat OTP.pdf')] },
		);
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.documentId).toMatch(/^\d+$/);
		expect(run.items[0].json.signingUrl).toMatch(/\/boucle-sms\/documentView\?id=/);
		const [request] = fast.emulator.server.requests('POST', /\/otp\/.*\/upload$/);
		const list = parts(request);
		expect(list.find((part) => part.name === 'doc')?.fileName).toBe('Contrat OTP.pdf');
		const meta = list.find((part) => part.name === 'meta')!;
		expect(meta).toMatchObject({ fileName: 'meta.xml', contentType: 'application/xml' });
		expect(meta.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8" standalone="yes"\?>/);
		expect(meta.text).toContain('<meta-data name="OTP_phonenumber_0" value="+33612345678"/>');
		expect(list.find((part) => part.name === 'referer')?.text).toBe('https://www.mairie-exemple.fr/merci');
	});

	it('setMetadata sends the name/value pairs as the documented XML, escaped', async () => {
		const run = await fast.run({
			resource: 'document',
			operation: 'setMetadata',
			documentId: SAMPLE_DOCUMENTS.prepared,
			metadata: { entry: [{ name: 'TEXT_001', value: 'Dupont <& Fils>' }, { name: 'NUM_001', value: '45812' }] },
		});
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toEqual({ documentId: SAMPLE_DOCUMENTS.prepared, metadata: { TEXT_001: 'Dupont <& Fils>', NUM_001: '45812' } });
		const [request] = fast.emulator.server.requests('PUT', /metadata\/define$/);
		expect(parts(request)[0].text).toContain('<meta-data name="TEXT_001" value="Dupont &lt;&amp; Fils&gt;"/>');
		expect(fast.emulator.documents.get(SAMPLE_DOCUMENTS.prepared)?.metadata).toMatchObject({ TEXT_001: 'Dupont <& Fils>', NUM_001: '45812' });
	});

	it('setOtpInformation sends one signer per OTP step', async () => {
		const run = await fast.run({
			resource: 'document',
			operation: 'setOtpInformation',
			documentId: SAMPLE_DOCUMENTS.prepared,
			otpSigners: {
				signer: [
					{ firstName: 'A', lastName: 'Un', phoneNumber: '0601020304', email: 'a@x.fr' },
					{ firstName: 'B', lastName: 'Deux', phoneNumber: '0605060708', email: 'b@x.fr' },
				],
			},
		});
		expect(run.error).toBeUndefined();
		expect(fast.emulator.documents.get(SAMPLE_DOCUMENTS.prepared)?.otpSigners).toHaveLength(2);
		const [request] = fast.emulator.server.requests('PUT', /otp\/.*\/metadata\/define$/);
		expect(parts(request)[0].text).toContain('OTP_email_1');
	});

	it('getOtpUrl asks one link for several documents', async () => {
		const run = await fast.run({ resource: 'document', operation: 'getOtpUrl', documentIds: `${SAMPLE_DOCUMENTS.prepared}, ${SAMPLE_DOCUMENTS.signed}` });
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.url).toMatch(/^https:\/\//);
		const [request] = fast.emulator.server.requests('GET', /otp\/url$/);
		expect(request.query.id).toEqual([SAMPLE_DOCUMENTS.prepared, SAMPLE_DOCUMENTS.signed]);
	});
});

describe('document: reading', () => {
	it('download returns the file with its name and type', async () => {
		const run = await fast.run({ resource: 'document', operation: 'download', documentId: SAMPLE_DOCUMENTS.signed });
		expect(run.error).toBeUndefined();
		const binary = run.items[0].binary!.data;
		expect(binary.fileName).toBe('Arrêté voirie 2024-112.pdf');
		expect(binary.mimeType).toBe('application/pdf');
		expect((await binaryContent(binary)).subarray(0, 5).toString()).toBe('%PDF-');
	});

	it('download with the acknowledgement and the fiche de circulation unpacks the ZIP, and keeps it on request', async () => {
		const run = await fast.run({
			resource: 'document',
			operation: 'download',
			documentId: SAMPLE_DOCUMENTS.helios,
			options: { acknowledgement: true, circulationSheet: true, keepZip: true },
		});
		expect(run.error).toBeUndefined();
		const binary = run.items[0].binary!;
		expect(Object.keys(binary).sort()).toEqual(['acknowledgement', 'circulationSheet', 'data', 'dataZip']);
		expect(binary.circulationSheet.mimeType).toBe('application/pdf');
		expect(binary.acknowledgement.mimeType).toBe('application/xml');
		expect(binary.dataZip.mimeType).toBe('application/zip');
		const [request] = fast.emulator.server.requests('GET', /\/download$/);
		expect(request.query).toEqual({ acquit: 'true', FdC: 'true' });
		expect((await binaryContent(binary.circulationSheet)).subarray(0, 5).toString()).toBe('%PDF-');
	});

	it('getCirculationSheet returns the PDF from getFdc', async () => {
		const run = await fast.run({ resource: 'document', operation: 'getCirculationSheet', documentId: SAMPLE_DOCUMENTS.signed });
		expect(run.error).toBeUndefined();
		expect(run.items[0].binary!.data).toMatchObject({ mimeType: 'application/pdf', fileName: expect.stringMatching(/\.pdf$/) });
		expect(fast.emulator.server.requests('GET', `/parapheur-ws/rest/v1/documents/v2/${SAMPLE_DOCUMENTS.signed}/getFdc`)).toHaveLength(1);
	});

	it('getHistory gives raw and normalised states, oldest first, as one item or split', async () => {
		const one = await fast.run({ resource: 'document', operation: 'getHistory', documentId: SAMPLE_DOCUMENTS.signed });
		const history = one.items[0].json.history as Array<Record<string, unknown>>;
		expect(history.map((entry) => entry.stateName)).toEqual(['Préparé', 'Envoyé pour signature', 'Signé', null, 'Classé']);
		expect(history[2]).toMatchObject({ state: 'signed', isFinal: true, position: 3, userFullname: 'Marie Dupont' });
		expect(history[4]).toMatchObject({ state: 'classified', isFinal: true, position: 5 });
		// Version 2 follows the API page: Signé is not final, Classé is.
		const v2 = await fast.run({ resource: 'document', operation: 'getHistory', documentId: SAMPLE_DOCUMENTS.signed }, { node: { typeVersion: 2 } });
		const v2History = v2.items[0].json.history as Array<Record<string, unknown>>;
		expect(v2History[2]).toMatchObject({ state: 'signed', isFinal: false });
		expect(v2History[4]).toMatchObject({ state: 'classified', isFinal: true });
		const split = await fast.run({ resource: 'document', operation: 'getHistory', documentId: SAMPLE_DOCUMENTS.signed, splitIntoItems: true });
		expect(split.items).toHaveLength(5);
	});

	it('getStatus gives the last state, raw and normalised, isFinal and the link', async () => {
		const run = await fast.run({ resource: 'document', operation: 'getStatus', documentId: SAMPLE_DOCUMENTS.refused });
		expect(run.items[0].json).toMatchObject({ documentId: SAMPLE_DOCUMENTS.refused, stateName: 'Refusé', state: 'refused', isFinal: true, outcome: 'rejected' });
		expect(run.items[0].json.link).toContain(SAMPLE_DOCUMENTS.refused);
	});

	it('getResult puts the file, the fiche de circulation, the history and the refusal message in one item', async () => {
		const run = await fast.run({ resource: 'document', operation: 'getResult', documentId: SAMPLE_DOCUMENTS.refused });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		expect(run.items[0].json).toMatchObject({ refusalMessage: "Merci de corriger l'article 3 (durée) avant signature.", signed: false, state: 'refused' });
		expect(Object.keys(run.items[0].binary!).sort()).toEqual(['circulationSheet', 'data']);
	});

	it('getResult refuses a document still in its circuit, unless asked', async () => {
		const id = fast.emulator.seedDocument({ circuitId: SAMPLE_CIRCUITS.signature, fileName: 'en-cours.pdf', states: ['Préparé', 'Envoyé pour signature'] });
		const run = await fast.run({ resource: 'document', operation: 'getResult', documentId: id });
		expect(run.error?.message).toBe(`FAST Parapheur document ${id} is not finished yet: its state is "Envoyé pour signature"`);
		const partial = await fast.run({ resource: 'document', operation: 'getResult', documentId: id, onlyWhenFinished: false });
		expect(partial.error).toBeUndefined();
	});

	it('getRefusalMessage: the comment, or null without error when there is none (code 102)', async () => {
		const refused = await fast.run({ resource: 'document', operation: 'getRefusalMessage', documentId: SAMPLE_DOCUMENTS.refused });
		expect(refused.items[0].json).toEqual({ documentId: SAMPLE_DOCUMENTS.refused, hasRefusalMessage: true, refusalMessage: "Merci de corriger l'article 3 (durée) avant signature." });
		const none = await fast.run({ resource: 'document', operation: 'getRefusalMessage', documentId: SAMPLE_DOCUMENTS.signed });
		expect(none.error).toBeUndefined();
		expect(none.items[0].json).toEqual({ documentId: SAMPLE_DOCUMENTS.signed, hasRefusalMessage: false, refusalMessage: null });
	});
});

describe('document: delete', () => {
	it('deletes a prepared document', async () => {
		const run = await fast.run({ resource: 'document', operation: 'delete', documentId: SAMPLE_DOCUMENTS.prepared });
		expect(run.items[0].json).toEqual({ documentId: SAMPLE_DOCUMENTS.prepared, deleted: true });
		expect(fast.emulator.documents.has(SAMPLE_DOCUMENTS.prepared)).toBe(false);
	});

	it('explains a refused deletion with the current state', async () => {
		const run = await fast.run({ resource: 'document', operation: 'delete', documentId: SAMPLE_DOCUMENTS.signed });
		expect(run.error?.message).toBe(
			`FAST Parapheur refused to delete document ${SAMPLE_DOCUMENTS.signed}: its state is "Classé" (code 103). FAST deletes only a document that is Préparé, Refusé or Rejeté.`,
		);
		expect(run.error?.description).toMatch(/must be refused in FAST first/);
	});

	it('says a missing document does not exist', async () => {
		const run = await fast.run({ resource: 'document', operation: 'delete', documentId: '999999999' });
		expect(run.error?.message).toMatch(/document 999999999 does not exist/);
	});
});

describe('acknowledgement, pesRetour, chorus', () => {
	it.each([
		['acknowledgement', 'ack'],
		['pesRetour', 'pes-retour'],
		['chorus', 'chorus'],
	])('%s: listRemaining gives one item per id; download gives the XML as binary and JSON and consumes the id', async (resource, segment) => {
		const kind = resource === 'acknowledgement' ? 'ack' : (resource as 'pesRetour' | 'chorus');
		const id = fast.emulator.addRemaining(kind, SAMPLE_SIREN, '3200739999', '<Retour><Id V="3200739999"/><Etat>OK</Etat></Retour>');
		const list = await fast.run({ resource, operation: 'listRemaining' });
		expect(list.error).toBeUndefined();
		expect(list.items.map((item) => item.json.documentId)).toContain(id);
		expect(fast.emulator.server.requests('GET', `/parapheur-ws/rest/v1/documents/v2/${SAMPLE_SIREN}/${segment}/remaining`)).toHaveLength(1);

		const download = await fast.run({ resource, operation: 'download', documentId: id });
		expect(download.error).toBeUndefined();
		const item = download.items[0];
		expect(item.binary!.data.mimeType).toBe('application/xml');
		expect(item.binary!.data.fileName).toMatch(/\.xml$/);
		expect(item.json.xml).toEqual({ Retour: { Id: { V: '3200739999' }, Etat: 'OK' } });
		expect(fast.emulator.remaining(kind, SAMPLE_SIREN)).not.toContain(id);
	});
});

describe('user', () => {
	it('export gives one item per user', async () => {
		const run = await fast.run({ resource: 'user', operation: 'export' });
		expect(run.items.map((item) => item.json.email)).toContain(SAMPLE_USERS.mayor);
		expect(run.items[0].json.siren).toBe(SAMPLE_SIREN);
	});

	const people = [
		{ email: DEPOSITOR_EMAIL, firstName: 'Compte', lastName: 'Dépôt', groups: 'Agents' },
		{ email: SAMPLE_USERS.mayor, firstName: 'Marie', lastName: 'Dupont-Leroy', groups: 'Élus' },
		{ email: 'nouvelle.recrue@mairie-exemple.fr', firstName: 'Nina', lastName: 'Recrue', groups: 'Service Finances' },
	];
	const mapping = {
		resource: 'user',
		operation: 'synchronize',
		email: '={{ $json.email }}',
		firstName: '={{ $json.firstName }}',
		lastName: '={{ $json.lastName }}',
		groups: '={{ $json.groups }}',
	};

	it('synchronize in dry run (the default) reports creations, updates and deletions and changes nothing', async () => {
		const before = JSON.stringify(fast.emulator.users(SAMPLE_SIREN));
		const run = await fast.run(mapping, { items: people });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		const json = run.items[0].json;
		expect(json.dryRun).toBe(true);
		expect(json.toCreate).toEqual(['nouvelle.recrue@mairie-exemple.fr']);
		expect((json.toUpdate as Array<{ email: string }>).map((entry) => entry.email)).toEqual([SAMPLE_USERS.mayor]);
		expect((json.toDelete as string[]).sort()).toEqual([SAMPLE_USERS.agent, SAMPLE_USERS.dgs, SAMPLE_USERS.finance].sort());
		expect(fast.emulator.server.requests('PUT')).toHaveLength(0);
		expect(JSON.stringify(fast.emulator.users(SAMPLE_SIREN))).toBe(before);
		expect(run.items[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('synchronize for real sends all items in one request', async () => {
		const run = await fast.run({ ...mapping, dryRun: false }, { items: people });
		expect(run.error).toBeUndefined();
		const puts = fast.emulator.server.requests('PUT', `/parapheur-ws/rest/v1/synchronization/${SAMPLE_SIREN}/users`);
		expect(puts).toHaveLength(1);
		expect(puts[0].body).toEqual(
			people.map((person) => ({ authenticationType: 'CERTIFICAT', email: person.email, firstName: person.firstName, lastName: person.lastName, groups: [person.groups] })),
		);
		expect(fast.emulator.users(SAMPLE_SIREN).map((user) => user.email).sort()).toEqual(people.map((person) => person.email).sort());
	});

	it("synchronize never proposes deleting the certificate's own account (the Account E-Mail), and keeps it for real", async () => {
		const others = people.filter((person) => person.email !== DEPOSITOR_EMAIL);
		const credentials = { accountEmail: DEPOSITOR_EMAIL.toUpperCase() };
		const dry = await fast.run(mapping, { items: others, credentials });
		expect(dry.error).toBeUndefined();
		expect(dry.items[0].json.toDelete).not.toContain(DEPOSITOR_EMAIL);
		expect((dry.items[0].json.toDelete as string[]).sort()).toEqual([SAMPLE_USERS.agent, SAMPLE_USERS.dgs, SAMPLE_USERS.finance].sort());
		expect(dry.items[0].json.keptAccount).toBe(DEPOSITOR_EMAIL);
		const before = fast.emulator.users(SAMPLE_SIREN).find((user) => user.email === DEPOSITOR_EMAIL)!;
		const real = await fast.run({ ...mapping, dryRun: false }, { items: others, credentials });
		expect(real.error).toBeUndefined();
		const sent = fast.emulator.server.requests('PUT')[0].body as Array<{ email: string; firstName: string; lastName: string }>;
		expect(sent.map((user) => user.email)).toEqual([...others.map((person) => person.email), DEPOSITOR_EMAIL]);
		expect(sent[2]).toEqual({ authenticationType: before.authenticationType, email: DEPOSITOR_EMAIL, firstName: before.prenom, lastName: before.nom, groups: before.groups });
		expect(fast.emulator.users(SAMPLE_SIREN).map((user) => user.email)).toContain(DEPOSITOR_EMAIL);
	});

	it('synchronize refuses the whole batch when one item is invalid, and sends nothing', async () => {
		const run = await fast.run({ ...mapping, dryRun: false }, { items: [...people, { email: 'pas-un-email', firstName: 'X', lastName: 'Y' }] });
		expect(run.error?.message).toMatch(/^'Email \(item 4\)' is not a valid e-mail address/);
		expect(fast.emulator.server.log).toHaveLength(0);
	});
});
