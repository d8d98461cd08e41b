/** The input helpers: types named, base64 decoded strictly, URLs parsed, files checked. */
import { Readable } from 'node:stream';

import { csvField } from '../../nodes/shared/csv';
import { base64InputFile, checkInputFile, decodeBase64Strict, looksLikePdf, looksLikeXml, parseHttpUrl } from '../../nodes/shared/files';
import { InputError, checkEmailList, checkListItems, checkNumericId, checkSiren, checkText, describeType, isEmail, isValidSiren, textOf } from '../../nodes/shared/validation';
import { buildMetaDataListXml } from '../../nodes/shared/xml';

const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n%%EOF\n');

describe('types named', () => {
	test('describeType', () => {
		expect([{}, [], null, true, 1, 'a', undefined, Buffer.from('')].map(describeType)).toEqual(['an object', 'a list', 'null', 'a boolean', 'a number', 'text', 'nothing', 'binary data']);
	});

	test('textOf takes text and numbers, names any other type', () => {
		expect(textOf('x', 'F')).toBe('x');
		expect(textOf(12, 'F')).toBe('12');
		expect(textOf(undefined, 'F')).toBe('');
		expect(textOf(null, 'F')).toBe('');
		expect(() => textOf({ a: 1 }, 'Document ID')).toThrow("'Document ID' must be text or a number, got an object");
		expect(() => textOf(['a'], 'Label')).toThrow("'Label' must be text or a number, got a list");
		expect(() => textOf(true, 'F')).toThrow("'F' must be text or a number, got a boolean");
		expect(textOf(true, 'F', { allowBoolean: true })).toBe('true');
		expect(() => textOf(5, 'Email', { numbers: false })).toThrow("'Email' must be text, got a number");
		expect(() => textOf(Number.NaN, 'F')).toThrow("'F' must be text or a number, got the number NaN");
	});

	test('checkText, checkNumericId and checkSiren never say [object Object]', () => {
		for (const check of [() => checkText({}, { field: 'Label' }), () => checkNumericId({}, 'Document ID'), () => checkSiren({})]) {
			const error = (() => {
				try {
					check();
				} catch (caught) {
					return caught as InputError;
				}
				throw new Error('expected an error');
			})();
			expect(error).toBeInstanceOf(InputError);
			expect(error.message).toMatch(/got an object$/);
			expect(error.message).not.toContain('[object Object]');
		}
	});

	test('lists refuse objects and lists of objects, take text and numbers', () => {
		expect(() => checkListItems({ email: 'a@b.fr' }, 'Recipients')).toThrow("'Recipients' must be text or a list of text, got an object");
		expect(() => checkListItems([{ email: 'a@b.fr' }], 'Recipients')).toThrow("'Recipients' must be text or a list of text, got a list holding an object");
		expect(() => checkListItems(['a', 1, ['b']], 'X')).not.toThrow();
		expect(() => checkEmailList([true], 'CC')).toThrow("'CC' must be text or a list of text, got a list holding a boolean");
	});
});

describe('SIREN', () => {
	test('9 digits are enough: a wrong check digit is sent, isValidSiren still tells it', () => {
		expect(checkSiren('123456789')).toBe('123456789');
		expect(isValidSiren('123456789')).toBe(false);
		expect(checkSiren(213501232)).toBe('213501232');
		expect(() => checkSiren('12345678')).toThrow(`'SIREN' must be 9 digits, got "12345678"`);
	});
});

describe('e-mail addresses', () => {
	test('control characters, backslashes and display names are refused', () => {
		for (const bad of ['a\u0000@b.fr', 'a@b\u0007.fr', 'a\u0085@b.fr', 'a\\b@c.fr', '"A" <a@b.fr>', 'a@b.fr\r\nBcc: c@d.fr']) expect(isEmail(bad)).toBe(false);
		expect(isEmail('jean-pierre.o.dupont+rh@mairie-exemple.fr')).toBe(true);
	});
});

describe('base64, strictly', () => {
	const field = /^'File Content \(Base64\)'/;
	test('decodes standard, URL-safe, wrapped and unpadded text', () => {
		expect(decodeBase64Strict(PDF.toString('base64')).bytes.equals(PDF)).toBe(true);
		expect(decodeBase64Strict(PDF.toString('base64url')).bytes.equals(PDF)).toBe(true);
		expect(decodeBase64Strict(PDF.toString('base64').replace(/(.{76})/g, '$1\n')).bytes.equals(PDF)).toBe(true);
		expect(decodeBase64Strict(`  ${PDF.toString('base64').replace(/(.{64})/g, '$1\r\n')}\r\n`).bytes.equals(PDF)).toBe(true);
		expect(decodeBase64Strict('YWI').bytes.toString()).toBe('ab');
	});

	test('a data URL prefix is removed and gives the MIME type', () => {
		expect(decodeBase64Strict('data:application/pdf;base64,JVBERi0=')).toEqual({ bytes: Buffer.from('%PDF-'), mimeType: 'application/pdf' });
		expect(decodeBase64Strict('DATA:Application/PDF;name=a.pdf;base64,JVBERi0=').mimeType).toBe('application/pdf');
		expect(decodeBase64Strict('data:;base64,JVBERi0=').mimeType).toBeUndefined();
		expect(() => decodeBase64Strict('data:text/plain,hello')).toThrow(/is a data URL that is not base64/);
		const file = base64InputFile('data:application/pdf;base64,JVBERi0=', 'Délibération');
		expect(file).toMatchObject({ fileName: 'Délibération.pdf', mimeType: 'application/pdf', size: 5 });
		expect(base64InputFile('data:application/pdf;base64,JVBERi0=', 'a.bin', 'application/x-given').mimeType).toBe('application/x-given');
	});

	test.each([
		['plain words', 'see attached file', /not base64 text/],
		['one word that is no encoder output', 'seeattachedfile', /not base64 text: its last character/],
		['empty', '', /is empty/],
		['only spaces', ' \n ', /is empty/],
		['only padding', '==', /decodes to 0 bytes/],
		['padding in the middle', 'JVBE=Ri0', /'=' padding appears before the end/],
		['three padding characters', 'JVBERi0===', /wrong base64 padding/],
		['padding that gives no multiple of 4', 'JVBERi0==', /wrong base64 padding/],
		['a length no byte count gives', 'JVBER', /no whole number of bytes/],
		['a character outside the alphabet', 'JVBE.Ri0=', /it holds "\."/],
		['mixed alphabets', 'ab+/cd-_', /mixes the standard/],
		['an object', { base64: 'JVBERi0=' }, /must be text, got an object/],
	])('refuses %s', (_name, value, message) => {
		expect(() => decodeBase64Strict(value)).toThrow(field);
		expect(() => decodeBase64Strict(value)).toThrow(message);
	});
});

describe('URLs', () => {
	test('http and https are taken, as URL objects', () => {
		expect(parseHttpUrl('https://example.fr/a%20b.pdf').pathname).toBe('/a%20b.pdf');
		expect(parseHttpUrl(' http://127.0.0.1:8080/x ').port).toBe('8080');
	});

	test.each([
		['no URL', 'deliberation.pdf', /^'File URL' is not a valid URL: "deliberation.pdf"/],
		['broken %-encoding', 'https://example.fr/d%E9lib%ration.pdf', /^'File URL' is not a valid URL: .*broken %-encoding/],
		['broken %-encoding in the query', 'https://example.fr/a.pdf?n=%ZZ', /broken %-encoding/],
		['ftp', 'ftp://example.fr/a.pdf', /^'File URL' must be an http:\/\/ or https:\/\/ address/],
		['file', 'file:///etc/passwd', /must be an http/],
		['javascript', 'javascript:alert(1)', /must be an http/],
		['empty', '  ', /^'File URL' is empty/],
		['an object', { url: 'https://example.fr' }, /^'File URL' must be text, got an object/],
	])('refuses %s', (_name, value, message) => {
		expect(() => parseHttpUrl(value)).toThrow(message);
	});

	test('credentials in a URL are not repeated in the message', () => {
		expect(() => parseHttpUrl('https://user:s3cret@exa mple.fr/%')).toThrow(/^(?!.*s3cret)/);
	});
});

describe('file checks', () => {
	test('first bytes: PDF and XML', () => {
		expect(looksLikePdf(PDF)).toBe(true);
		expect(looksLikePdf(Buffer.concat([Buffer.from('junk before\n'), PDF]))).toBe(true);
		expect(looksLikePdf(Buffer.from('<?xml version="1.0"?><a/>'))).toBe(false);
		expect(looksLikeXml(Buffer.from('<?xml version="1.0"?><a/>'))).toBe(true);
		expect(looksLikeXml(Buffer.from('\ufeff\r\n  <PES_Aller/>'))).toBe(true);
		expect(looksLikeXml(Buffer.from('\ufeff<a/>', 'utf16le'))).toBe(true);
		expect(looksLikeXml(Buffer.from('<a/>', 'utf16le'))).toBe(true);
		expect(looksLikeXml(Buffer.from('<a/>', 'utf16le').swap16())).toBe(true);
		expect(looksLikeXml(PDF)).toBe(false);
		expect(looksLikeXml(Buffer.from('{"a":1}'))).toBe(false);
	});

	test('a stream read for the check is sent whole', async () => {
		const big = Buffer.concat([PDF, Buffer.alloc(200_000, 7)]);
		const chunks = Array.from({ length: 200 }, (_, i) => big.subarray(i * 1001, (i + 1) * 1001)).filter((chunk) => chunk.length > 0);
		const file = await checkInputFile({ content: Readable.from(chunks), fileName: 'a.pdf', mimeType: 'application/pdf' }, 'The file', 'pdf');
		const received: Buffer[] = [];
		for await (const chunk of file.content as Readable) received.push(chunk as Buffer);
		expect(Buffer.concat(received).equals(big)).toBe(true);
	});

	test('a short stream becomes a buffer; an empty one is refused', async () => {
		const file = await checkInputFile({ content: Readable.from([Buffer.from('<a/>')]), fileName: 'a.xml', mimeType: 'application/xml' }, 'The file', 'xml');
		expect(file).toMatchObject({ content: Buffer.from('<a/>'), size: 4 });
		await expect(checkInputFile({ content: Readable.from([]), fileName: 'a.pdf', mimeType: 'application/pdf' }, 'The file at X')).rejects.toThrow('The file at X is empty: it has 0 bytes');
		await expect(checkInputFile({ content: Buffer.alloc(0), fileName: 'a.pdf', mimeType: 'application/pdf' }, 'F')).rejects.toThrow(/empty/);
	});

	test('a file of the wrong format is refused with its first bytes and the reason', async () => {
		await expect(checkInputFile({ content: Buffer.from('Hello'), fileName: 'a.pdf', mimeType: 'application/pdf' }, "'File Content (Base64)'", 'pdf', 'the circuit type BUREAUTIQUE_PDF signs PDF files')).rejects.toThrow(
			`'File Content (Base64)' is not a PDF: it does not start with %PDF- (it starts with "Hello"); the circuit type BUREAUTIQUE_PDF signs PDF files`,
		);
	});
});

describe('CSV and XML values', () => {
	test('a CSV field never reads [object Object]', () => {
		expect(() => csvField({} as unknown as string)).toThrow('A CSV field must be text, a number or a boolean, got an object');
		expect(csvField('a,b')).toBe('"a,b"');
		expect(csvField('=1+1')).toBe('=1+1');
	});

	test('an XML metadata value never reads [object Object]', () => {
		expect(() => buildMetaDataListXml([{ name: 'A', value: { x: 1 } as unknown as string }])).toThrow('The value of metadata "A" must be text, got an object');
		expect(buildMetaDataListXml([{ name: 'A', value: 'a<b&c\u0000' }])).toContain('value="a&lt;b&amp;c"');
	});
});
