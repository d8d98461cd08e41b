/**
 * Downloaded XML read in its own encoding: byte order mark, then the declaration, then UTF-8;
 * the same text on Node 20 and Node 24; a clear error, never garbled text, when it cannot be read.
 */
import { decodeXml, parseXml } from '../../nodes/shared/xml';

const PES = (encoding: string) =>
	`<?xml version="1.0" encoding="${encoding}"?>\n<PES_Retour><Retour><Emetteur V="Trésorerie de Saint-Étienne"/><Objet>Délibération n° 12 : reçu</Objet></Retour></PES_Retour>\n`;
const PES_JSON = { PES_Retour: { Retour: { Emetteur: { V: 'Trésorerie de Saint-Étienne' }, Objet: 'Délibération n° 12 : reçu' } } };

function utf16be(text: string): Buffer {
	const bytes = Buffer.from(text, 'utf16le');
	for (let i = 0; i + 1 < bytes.length; i += 2) [bytes[i], bytes[i + 1]] = [bytes[i + 1], bytes[i]];
	return bytes;
}

describe('decodeXml', () => {
	it('reads ISO-8859-1 as its declaration says, whatever the spelling of the name', () => {
		for (const name of ['ISO-8859-1', 'iso-8859-1', 'ISO8859-1', 'ISO_8859-1', 'latin1', 'Latin-1', 'l1']) {
			const bytes = Buffer.from(PES(name), 'latin1');
			expect(bytes.includes(Buffer.from('Trésorerie', 'utf8'))).toBe(false);
			expect(decodeXml(bytes)).toEqual({ text: PES(name), encoding: 'windows-1252', source: 'declaration' });
			expect(parseXml(bytes)).toEqual(PES_JSON);
		}
		// Single quotes and spaces around the equals sign.
		const spaced = Buffer.from(`<?xml version='1.0' encoding = 'ISO-8859-1' standalone='yes'?><a>é</a>`, 'latin1');
		expect(parseXml(spaced)).toEqual({ a: 'é' });
	});

	it('reads 0x80-0x9F of ISO-8859-1 and windows-1252 as the Windows characters, on every Node line', () => {
		const high = Buffer.from(Array.from({ length: 32 }, (_, i) => 0x80 + i));
		const expected = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
		for (const name of ['ISO-8859-1', 'windows-1252', 'cp1252', 'US-ASCII']) {
			const bytes = Buffer.concat([Buffer.from(`<?xml version="1.0" encoding="${name}"?><a>`), high, Buffer.from('</a>')]);
			expect(decodeXml(bytes).text).toBe(`<?xml version="1.0" encoding="${name}"?><a>${expected}</a>`);
		}
		const montant = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><Montant>'), Buffer.from([0x31, 0x32, 0x20, 0x80]), Buffer.from('</Montant>')]);
		expect(parseXml(montant)).toEqual({ Montant: '12 €' });
	});

	it('reads the other single-byte encodings through TextDecoder (ISO-8859-15, windows-1250)', () => {
		const euro = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-15"?><a>'), Buffer.from([0xa4, 0xe9]), Buffer.from('</a>')]);
		expect(decodeXml(euro)).toMatchObject({ text: '<?xml version="1.0" encoding="ISO-8859-15"?><a>€é</a>', encoding: 'iso-8859-15' });
		const czech = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="windows-1250"?><a>'), Buffer.from([0x8a, 0xe8]), Buffer.from('</a>')]);
		expect(parseXml(czech)).toEqual({ a: 'Šč' });
	});

	it('reads UTF-8 with a byte order mark, with a declaration and with neither', () => {
		const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(PES('UTF-8'))]);
		expect(decodeXml(bom)).toEqual({ text: PES('UTF-8'), encoding: 'utf-8', source: 'byte order mark' });
		expect(parseXml(bom)).toEqual(PES_JSON);
		expect(decodeXml(Buffer.from(PES('utf8')))).toEqual({ text: PES('utf8'), encoding: 'utf-8', source: 'declaration' });
		expect(decodeXml(Buffer.from('<a>Étienne</a>'))).toEqual({ text: '<a>Étienne</a>', encoding: 'utf-8', source: 'default' });
		// A byte order mark wins over a declaration that contradicts it.
		const contradicting = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(PES('ISO-8859-1'))]);
		expect(parseXml(contradicting)).toEqual(PES_JSON);
	});

	it('reads UTF-16 little and big endian, with a byte order mark or recognised by its first bytes', () => {
		const text = PES('UTF-16');
		const cases: Array<[Buffer, string, string]> = [
			[Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'utf-16le', 'byte order mark'],
			[Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)]), 'utf-16be', 'byte order mark'],
			[Buffer.from(text, 'utf16le'), 'utf-16le', 'declaration'],
			[utf16be(text), 'utf-16be', 'declaration'],
		];
		for (const [bytes, encoding, source] of cases) {
			expect(decodeXml(bytes)).toEqual({ text, encoding, source });
			expect(parseXml(bytes)).toEqual(PES_JSON);
		}
	});

	it('reads a Uint8Array and a slice of a larger buffer', () => {
		const whole = Buffer.concat([Buffer.from('ignored'), Buffer.from(PES('ISO-8859-1'), 'latin1'), Buffer.from('ignored')]);
		const slice = whole.subarray(7, whole.length - 7);
		expect(parseXml(slice)).toEqual(PES_JSON);
		expect(parseXml(new Uint8Array(slice))).toEqual(PES_JSON);
	});

	it('refuses, with a clear message, bytes that are not valid in the encoding given', () => {
		const latin1 = Buffer.from(PES('UTF-8'), 'latin1');
		expect(() => decodeXml(latin1)).toThrow('The XML declares the encoding "UTF-8" but holds bytes that are not valid UTF-8 (is it ISO-8859-1 or windows-1252 without saying so?)');
		expect(() => parseXml(Buffer.from('<a>Étienne</a>', 'latin1'))).toThrow(
			'The XML declares no encoding, so it must be UTF-8, but it holds bytes that are not valid UTF-8 (is it ISO-8859-1 or windows-1252 without saying so?)',
		);
		const odd = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<a/>', 'utf16le'), Buffer.from([0x3c])]);
		expect(() => decodeXml(odd)).toThrow('The XML starts with a UTF-16LE byte order mark but holds bytes that are not valid UTF-16LE');
	});

	it('refuses encodings it cannot read instead of guessing', () => {
		expect(() => decodeXml(Buffer.from('<?xml version="1.0" encoding="EBCDIC-CP-FR"?><a/>'))).toThrow(
			/^The XML declares the encoding "EBCDIC-CP-FR", which this node cannot read \(it reads UTF-8, UTF-16, ISO-8859-1, windows-1252 and the other encodings of the WHATWG Encoding Standard\)$/,
		);
		expect(() => decodeXml(Buffer.from('<?xml version="1.0" encoding="ISO-2022-KR"?><a/>'))).toThrow(/declares the encoding "ISO-2022-KR", which this node cannot read/);
		expect(() => decodeXml(Buffer.from('<?xml version="1.0" encoding="UTF-16"?><a/>'))).toThrow(
			'The XML declares the encoding "UTF-16" but is not UTF-16: it has no byte order mark and its declaration is written one byte per character',
		);
		expect(() => decodeXml(Buffer.from([0x00, 0x00, 0xfe, 0xff, 0, 0, 0, 0x3c]))).toThrow(/^The XML is in UTF-32, which this node cannot read/);
		expect(() => decodeXml(Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x3c, 0, 0, 0]))).toThrow(/^The XML is in UTF-32/);
		expect(() => decodeXml(Buffer.from([0x4c, 0x6f, 0xa7, 0x94]))).toThrow(/^The XML is in EBCDIC/);
	});

	it('an empty file is an empty text, which parseXml calls empty', () => {
		expect(decodeXml(Buffer.alloc(0))).toEqual({ text: '', encoding: 'utf-8', source: 'default' });
		expect(() => parseXml(Buffer.alloc(0))).toThrow('The XML is empty');
		expect(() => parseXml(Buffer.from([0xef, 0xbb, 0xbf]))).toThrow('The XML is empty');
	});

	it('text given to parseXml is taken as it is, its declaration notwithstanding', () => {
		expect(parseXml(PES('ISO-8859-1'))).toEqual(PES_JSON);
	});
});
