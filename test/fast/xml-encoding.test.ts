/**
 * Hélios acknowledgements, PES Retour and Chorus files in the encoding FAST sends them in, through
 * n8n's engine against the HTTPS emulator: the parsed `xml` has the right accented text, and the
 * output binary is byte for byte what the emulator served (operations, the trigger's download,
 * the acknowledgement inside the document download's ZIP).
 */
import { createHash } from 'node:crypto';

import { SAMPLE_CIRCUITS, SAMPLE_PES_RETOUR, SAMPLE_SIREN } from '../emulators/fast/sample';
import { binaryContent, runPoll } from '../harness';
import { useFast } from './fixture';

const fast = useFast();

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const ACK_TEXT = `<?xml version="1.0" encoding="ISO-8859-1"?>
<PES_ACQUIT><EnTetePES><IdColl V="${SAMPLE_SIREN}"/><LibelleColBud V="Mairie d'Exemple-sur-Vilaine"/></EnTetePES><ACQUIT><ElementACQUIT><EtatAck V="1"/><Libelle>Flux reçu et accepté par la Trésorerie de Saint-Étienne</Libelle></ElementACQUIT></ACQUIT></PES_ACQUIT>
`;
const ACK = Buffer.from(ACK_TEXT, 'latin1');
const ACK_JSON = {
	PES_ACQUIT: {
		EnTetePES: { IdColl: { V: SAMPLE_SIREN }, LibelleColBud: { V: "Mairie d'Exemple-sur-Vilaine" } },
		ACQUIT: { ElementACQUIT: { EtatAck: { V: '1' }, Libelle: 'Flux reçu et accepté par la Trésorerie de Saint-Étienne' } },
	},
};
const CHORUS_TEXT = '<?xml version="1.0" encoding="UTF-16"?>\n<CPPFactureChorus><Fournisseur>Éditions Légères</Fournisseur><Objet>Délibération n° 7 — 12 €</Objet></CPPFactureChorus>\n';
const CHORUS = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CHORUS_TEXT, 'utf16le')]);
const CHORUS_JSON = { CPPFactureChorus: { Fournisseur: 'Éditions Légères', Objet: 'Délibération n° 7 — 12 €' } };
const PES_RETOUR_RETOUR = {
	IdUnique: { V: '320073850' },
	Emetteur: { V: 'Trésorerie de Saint-Étienne' },
	Objet: 'Délibération n° 2024-017 : mandat reçu et pris en charge',
};

describe('acknowledgement, pesRetour, chorus: download in the file’s own encoding', () => {
	it('the sample PES Retour, in ISO-8859-1: accents right in the JSON, the binary byte for byte as served', async () => {
		expect(SAMPLE_PES_RETOUR.includes(Buffer.from('Trésorerie', 'utf8'))).toBe(false);
		const run = await fast.run({ resource: 'pesRetour', operation: 'download', documentId: '320073850' });
		expect(run.error).toBeUndefined();
		const item = run.items[0];
		expect(item.json.xmlNotParsed).toBeUndefined();
		expect(item.json.xml).toMatchObject({ PES_Retour: { EnTetePES: { LibelleColBud: { V: "Mairie d'Exemple-sur-Vilaine" } }, Retour: PES_RETOUR_RETOUR } });
		expect(item.binary!.data.mimeType).toBe('application/xml');
		expect(sha256(await binaryContent(item.binary!.data))).toBe(sha256(SAMPLE_PES_RETOUR));
	});

	it.each([
		['acknowledgement', 'ISO-8859-1', 'ack', ACK, ACK_JSON],
		['chorus', 'UTF-16 with a byte order mark', 'chorus', CHORUS, CHORUS_JSON],
		['pesRetour', 'UTF-8 with a byte order mark', 'pesRetour', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CHORUS_TEXT.replace('UTF-16', 'UTF-8'))]), CHORUS_JSON],
	] as const)('%s in %s', async (resource, _encoding, kind, bytes, expected) => {
		const id = fast.emulator.addRemaining(kind, SAMPLE_SIREN, '3200739977', bytes);
		const run = await fast.run({ resource, operation: 'download', documentId: id, binaryPropertyName: 'fichier' });
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.xml).toEqual(expected);
		expect(sha256(await binaryContent(run.items[0].binary!.fichier))).toBe(sha256(bytes));
	});

	it('a file whose bytes contradict its declaration: no garbled JSON, a message saying why, the binary untouched', async () => {
		const mislabelled = Buffer.from(ACK_TEXT.replace('ISO-8859-1', 'UTF-8'), 'latin1');
		const id = fast.emulator.addRemaining('ack', SAMPLE_SIREN, '3200739978', mislabelled);
		const run = await fast.run({ resource: 'acknowledgement', operation: 'download', documentId: id });
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.xml).toBeUndefined();
		expect(run.items[0].json.xmlNotParsed).toBe(
			'The XML declares the encoding "UTF-8" but holds bytes that are not valid UTF-8 (is it ISO-8859-1 or windows-1252 without saying so?)',
		);
		expect(sha256(await binaryContent(run.items[0].binary!.data))).toBe(sha256(mislabelled));
	});

	it('an encoding that cannot be read is named in xmlNotParsed; the binary is kept', async () => {
		const ebcdic = Buffer.from('<?xml version="1.0" encoding="EBCDIC-CP-FR"?><a/>');
		const id = fast.emulator.addRemaining('chorus', SAMPLE_SIREN, '3200739979', ebcdic);
		const run = await fast.run({ resource: 'chorus', operation: 'download', documentId: id });
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.xmlNotParsed).toMatch(/^The XML declares the encoding "EBCDIC-CP-FR", which this node cannot read/);
		expect(sha256(await binaryContent(run.items[0].binary!.data))).toBe(sha256(ebcdic));
	});
});

describe('trigger: the download option reads the file in its own encoding', () => {
	it('newPesRetour and newAcknowledgement with download: accented JSON, binaries byte for byte', async () => {
		const pes = await runPoll({ type: 'fastParapheurTrigger', parameters: { event: 'newPesRetour', download: true }, credentials: fast.credentials(), staticData: {}, mode: 'trigger' });
		const sample = (pes.items ?? []).find((item) => item.json.documentId === '320073850');
		expect(sample?.json.xml).toMatchObject({ PES_Retour: { Retour: PES_RETOUR_RETOUR } });
		expect(sha256(await binaryContent(sample!.binary!.data))).toBe(sha256(SAMPLE_PES_RETOUR));

		const id = fast.emulator.addRemaining('ack', SAMPLE_SIREN, '3200739980', ACK);
		const ack = await runPoll({
			type: 'fastParapheurTrigger',
			parameters: { event: 'newAcknowledgement', download: true, binaryPropertyName: 'acquit' },
			credentials: fast.credentials(),
			staticData: {},
			mode: 'trigger',
		});
		const item = (ack.items ?? []).find((entry) => entry.json.documentId === id);
		expect(item?.json.xml).toEqual(ACK_JSON);
		expect(sha256(await binaryContent(item!.binary!.acquit))).toBe(sha256(ACK));
	});
});

describe('document download: the acknowledgement in the ZIP', () => {
	it('is unpacked byte for byte, in its ISO-8859-1', async () => {
		const id = fast.emulator.seedDocument({
			siren: SAMPLE_SIREN,
			circuitId: SAMPLE_CIRCUITS.helios,
			fileName: 'PES mandats mars.xml',
			states: ['Préparé', 'Signé', 'Transmis à Hélios', 'Acquittement Hélios'],
			acknowledgement: ACK,
		});
		const run = await fast.run({ resource: 'document', operation: 'download', documentId: id, options: { acknowledgement: true } });
		expect(run.error).toBeUndefined();
		const acknowledgement = run.items[0].binary!.acknowledgement;
		expect(acknowledgement.mimeType).toBe('application/xml');
		expect(sha256(await binaryContent(acknowledgement))).toBe(sha256(ACK));
	});
});
