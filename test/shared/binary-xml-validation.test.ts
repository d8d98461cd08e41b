/** Pure functions of nodes/shared: SIREN and list checks, file names and MIME types, XML. */
import {
	fileNameWithExtension,
	mimeTypeFromFileName,
	parseContentDisposition,
	sanitizeFileName,
} from '../../nodes/shared/binary';
import {
	InputError,
	checkEmailList,
	checkSiren,
	isValidSiren,
	splitList,
} from '../../nodes/shared/validation';
import { buildMetaDataListXml, parseXml } from '../../nodes/shared/xml';

/** The InputError a function throws, to check its message and description together. */
function inputErrorOf(run: () => unknown): InputError {
	try {
		run();
	} catch (error) {
		if (error instanceof InputError) return error;
		throw error;
	}
	throw new Error('expected an InputError');
}

describe('SIREN', () => {
	test('Luhn check digit', () => {
		for (const valid of ['732829320', '552100554', '217500016', '200066793', '213501232', '356000000']) {
			expect(isValidSiren(valid)).toBe(true);
		}
		for (const invalid of ['213501235', '732829321', '123456789', '000000000', '21350123', '2135012321', '21350123a', ' 213501232']) {
			expect(isValidSiren(invalid)).toBe(false);
		}
	});

	test('accepts spaces and numbers, returns 9 digits', () => {
		expect(checkSiren('213 501 232')).toBe('213501232');
		expect(checkSiren(' 213\u00a0501\u202f232 ')).toBe('213501232');
		expect(checkSiren(213501232)).toBe('213501232');
	});

	test('errors name the field and tell where to find the number', () => {
		const wrongLength = inputErrorOf(() => checkSiren('12345'));
		expect(wrongLength.message).toBe(`'SIREN' must be 9 digits, got "12345"`);
		expect(wrongLength.description).toMatch(/subscription number/);
		expect(wrongLength.description).toMatch(/public body/);
		// A wrong check digit is FAST's to judge: the 9 digits are sent.
		expect(checkSiren('213 501 235')).toBe('213501235');
		expect(checkSiren('123456789')).toBe('123456789');
		expect(() => checkSiren({ siren: '213501232' })).toThrow("'SIREN' must be text or a number, got an object");
		expect(() => checkSiren('21350123A', 'Customer SIREN')).toThrow(`'Customer SIREN' must be 9 digits, got "21350123A"`);
		expect(() => checkSiren('')).toThrow("'SIREN' is required");
		expect(() => checkSiren(undefined)).toThrow("'SIREN' is required");
	});
});

describe('lists', () => {
	test('from text with any separator, or from arrays; trimmed, without empties or repeats', () => {
		expect(splitList('a@x.fr, b@x.fr;c@x.fr d@x.fr\ne@x.fr\r\n\tf@x.fr')).toEqual(['a@x.fr', 'b@x.fr', 'c@x.fr', 'd@x.fr', 'e@x.fr', 'f@x.fr']);
		expect(splitList(' ;, a ,, a;b ')).toEqual(['a', 'b']);
		expect(splitList(['b', ' a ', 'b', '', 'c;d', ['e']])).toEqual(['b', 'a', 'c', 'd', 'e']);
		expect(splitList([1, null, undefined, 2])).toEqual(['1', '2']);
		expect(splitList(undefined)).toEqual([]);
		expect(splitList(null)).toEqual([]);
		expect(splitList('')).toEqual([]);
		expect(splitList({ email: 'a' })).toEqual(['{"email":"a"}']);
		expect(splitList('Service Finances; Élus,\n Direction  générale ', { splitOnSpaces: false })).toEqual(['Service Finances', 'Élus', 'Direction  générale']);
		expect(splitList(['Service Finances', 'Élus'], { splitOnSpaces: false })).toEqual(['Service Finances', 'Élus']);
	});

	test('e-mail lists', () => {
		expect(checkEmailList('a@x.fr; B@x.fr, b@X.fr', 'Recipients')).toEqual(['a@x.fr', 'B@x.fr']);
		expect(checkEmailList('', 'Recipients')).toEqual([]);
		expect(checkEmailList(['a@x.fr'], 'Recipients', { required: true })).toEqual(['a@x.fr']);
		expect(() => checkEmailList(' , ', 'Recipients', { required: true })).toThrow("'Recipients' is required");
		expect(() => checkEmailList('a@x.fr, bob@', 'CC')).toThrow(`'CC' contains an invalid e-mail address: "bob@"`);
		expect(() => checkEmailList('Bob <bob@x.fr>', 'CC')).toThrow(/'CC' contains an invalid e-mail address: "<bob@x.fr>"|"Bob"/);
	});

	test('joined length limit', () => {
		// 17 addresses of 17 characters and 16 commas: 305 characters.
		const emails = Array.from({ length: 17 }, (_, i) => `user${String(i).padStart(3, '0')}@mairie.fr`);
		expect(emails.join(',').length).toBe(305);
		expect(checkEmailList(emails, 'Recipients', { max: 305 })).toEqual(emails);
		expect(() => checkEmailList(emails, 'Recipients', { max: 255 })).toThrow(
			"'Recipients' is too long: at most 255 characters once joined, got 305",
		);
		// Repeated addresses are counted once.
		expect(checkEmailList([...emails, ...emails], 'Recipients', { max: 305 })).toHaveLength(17);
	});
});

describe('Content-Disposition', () => {
	test('filename* (RFC 5987) wins over filename', () => {
		expect(parseContentDisposition(`attachment; filename="fallback.pdf"; filename*=UTF-8''D%C3%A9lib%C3%A9ration%20n%C2%B012.pdf`)).toBe('Délibération n°12.pdf');
		expect(parseContentDisposition(`attachment; filename*=utf-8'fr'%E2%82%AC%20rates.pdf; filename="rates.pdf"`)).toBe('€ rates.pdf');
		expect(parseContentDisposition(`attachment; filename*=ISO-8859-1''d%E9lib%E9ration.pdf`)).toBe('délibération.pdf');
		expect(parseContentDisposition(`attachment;filename*="UTF-8''a%20b.pdf"`)).toBe('a b.pdf');
	});

	test('a filename* that cannot be read falls back to filename', () => {
		expect(parseContentDisposition(`attachment; filename*=UTF-8''%E9%ZZ; filename="plain.pdf"`)).toBe('plain.pdf');
		expect(parseContentDisposition(`attachment; filename*=KOI8-R''%C1; filename=plain.pdf`)).toBe('plain.pdf');
		expect(parseContentDisposition(`attachment; filename*=no-quotes; filename=plain.pdf`)).toBe('plain.pdf');
	});

	test('quoted with escapes, unquoted, odd spacing and case', () => {
		expect(parseContentDisposition('attachment; filename="say \\"hi\\"; now.pdf"')).toBe('say "hi"; now.pdf');
		expect(parseContentDisposition('attachment; filename=report.pdf')).toBe('report.pdf');
		expect(parseContentDisposition('inline ;  FILENAME = report.pdf ; size=12')).toBe('report.pdf');
		expect(parseContentDisposition('attachment; name="field"; filename="a.pdf"')).toBe('a.pdf');
	});

	test('raw UTF-8 read as Latin-1 is repaired', () => {
		const header = `attachment; filename="${Buffer.from('Délibération.pdf', 'utf8').toString('latin1')}"`;
		expect(parseContentDisposition(header)).toBe('Délibération.pdf');
		expect(parseContentDisposition('attachment; filename="d\u00e9lib.pdf"')).toBe('d\u00e9lib.pdf');
	});

	test('no file name', () => {
		expect(parseContentDisposition(undefined)).toBeUndefined();
		expect(parseContentDisposition('')).toBeUndefined();
		expect(parseContentDisposition('attachment')).toBeUndefined();
		expect(parseContentDisposition('attachment; filename=""')).toBeUndefined();
	});
});

describe('file names', () => {
	test('path traversal keeps the last segment only', () => {
		expect(sanitizeFileName('../../etc/passwd', 'file')).toBe('passwd');
		expect(sanitizeFileName('..\\..\\Windows\\win.ini', 'file')).toBe('win.ini');
		expect(sanitizeFileName('/abs/path/doc.pdf', 'file')).toBe('doc.pdf');
		expect(sanitizeFileName('..', 'file')).toBe('file');
		expect(sanitizeFileName('dir/..', 'file')).toBe('file');
		expect(sanitizeFileName('dir/', 'file')).toBe('file');
	});

	test('forbidden and control characters, dots and spaces at the ends', () => {
		expect(sanitizeFileName('a<b>c:d"e|f?g*h.pdf', 'file')).toBe('abcdefgh.pdf');
		expect(sanitizeFileName('line\nbreak\u0000\u007f.pdf', 'file')).toBe('linebreak.pdf');
		expect(sanitizeFileName('  .hidden.pdf. . ', 'file')).toBe('hidden.pdf');
		expect(sanitizeFileName('Délibération n°12.pdf', 'file')).toBe('Délibération n°12.pdf');
		expect(sanitizeFileName('De\u0301libe\u0301ration.pdf', 'file')).toBe('Délibération.pdf');
		expect(sanitizeFileName('CON.txt', 'file')).toBe('_CON.txt');
	});

	test('empty gives the fallback', () => {
		expect(sanitizeFileName(undefined, 'document.pdf')).toBe('document.pdf');
		expect(sanitizeFileName('', 'document.pdf')).toBe('document.pdf');
		expect(sanitizeFileName(' ?*: ', 'document.pdf')).toBe('document.pdf');
	});

	test('at most 200 characters, extension kept', () => {
		const long = sanitizeFileName(`${'é'.repeat(300)}.pdf`, 'file');
		expect(Array.from(long)).toHaveLength(200);
		expect(long.endsWith('é.pdf')).toBe(true);
		const noExtension = sanitizeFileName('x'.repeat(250), 'file');
		expect(noExtension).toBe('x'.repeat(200));
		// Emoji are not cut in half.
		const emoji = sanitizeFileName(`${'😀'.repeat(250)}.pdf`, 'file');
		expect(Array.from(emoji)).toHaveLength(200);
		expect(emoji).not.toMatch(/\ufffd/);
		expect(sanitizeFileName(`${'a'.repeat(195)}      .pdf`.padEnd(210, 'b'), 'file').length).toBeLessThanOrEqual(200);
	});

	test('MIME types from names', () => {
		const expected: Record<string, string> = {
			'a.pdf': 'application/pdf',
			'a.PDF': 'application/pdf',
			'PES.xml': 'application/xml',
			'a.zip': 'application/zip',
			'a.json': 'application/json',
			'a.txt': 'text/plain',
			'a.csv': 'text/csv',
			'a.doc': 'application/msword',
			'a.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			'a.xls': 'application/vnd.ms-excel',
			'a.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'a.odt': 'application/vnd.oasis.opendocument.text',
			'a.ods': 'application/vnd.oasis.opendocument.spreadsheet',
			'a.pdf.p7s': 'application/pkcs7-signature',
			'a.png': 'image/png',
			'a.jpg': 'image/jpeg',
			'a.jpeg': 'image/jpeg',
			'a.html': 'text/html',
		};
		for (const [name, mimeType] of Object.entries(expected)) expect(mimeTypeFromFileName(name)).toBe(mimeType);
		expect(mimeTypeFromFileName('a.exe')).toBeUndefined();
		expect(mimeTypeFromFileName('README')).toBeUndefined();
		expect(mimeTypeFromFileName('.pdf.')).toBeUndefined();
	});

	test('extension added only when missing', () => {
		expect(fileNameWithExtension('Délibération 12', 'application/pdf')).toBe('Délibération 12.pdf');
		expect(fileNameWithExtension('ack', 'text/xml; charset=UTF-8')).toBe('ack.xml');
		expect(fileNameWithExtension('photo', 'IMAGE/JPEG')).toBe('photo.jpg');
		expect(fileNameWithExtension('bundle', 'application/x-zip-compressed')).toBe('bundle.zip');
		expect(fileNameWithExtension('report 2024.12', 'application/pdf')).toBe('report 2024.12.pdf');
		expect(fileNameWithExtension('a.pdf', 'application/zip')).toBe('a.pdf');
		expect(fileNameWithExtension('blob', 'application/octet-stream')).toBe('blob');
		expect(fileNameWithExtension('blob', undefined)).toBe('blob');
	});
});

describe('XML', () => {
	test('meta-data-list exactly as FAST documents it', () => {
		expect(
			buildMetaDataListXml([
				{ name: 'TEXT_001', value: 'John' },
				{ name: 'NUM_001', value: '45812' },
			]),
		).toBe(
			'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
				'<meta-data-list>\n' +
				'  <meta-data name="TEXT_001" value="John"/>\n' +
				'  <meta-data name="NUM_001" value="45812"/>\n' +
				'</meta-data-list>\n',
		);
	});

	test('values are escaped, control characters removed, new lines kept', () => {
		const xml = buildMetaDataListXml([
			{ name: 'a&b', value: `<Tom & "Jerry"> l'ami\u0001\u000b` },
			{ name: 'multi', value: 'line 1\r\nline 2\nline\t3' },
			{ name: 'flag', value: 'true' },
			{ name: 'empty', value: '' },
		]);
		expect(xml).toContain('<meta-data name="a&amp;b" value="&lt;Tom &amp; &quot;Jerry&quot;&gt; l&apos;ami"/>');
		expect(xml).toContain('<meta-data name="multi" value="line 1&#10;line 2&#10;line&#9;3"/>');
		expect(xml).toContain('<meta-data name="flag" value="true"/>');
		expect(xml).toContain('<meta-data name="empty" value=""/>');
	});

	test('round trip through parseXml, accents included', () => {
		const entries = [
			{ name: 'OTP_firstname_0', value: 'Élodie' },
			{ name: 'OTP_lastname_0', value: `D'Artagnan & <Fils> "aîné"` },
			{ name: 'note', value: 'ligne 1\nligne 2 — 10 €' },
		];
		const parsed = parseXml(buildMetaDataListXml(entries));
		expect(parsed).toEqual({ 'meta-data-list': { 'meta-data': entries } });
		expect(Buffer.from(buildMetaDataListXml(entries), 'utf8').toString('utf8')).toContain('Élodie');
	});

	test('readable JSON: attributes as keys, text kept as text', () => {
		const parsed = parseXml(
			'\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<PES_ACQUIT><EnTete><IdColl V="21350123200012"/>' +
				'<Montant V="0012.50"/></EnTete><ACQUIT><ElementACQUIT><EtatAck V="1"/><Id>007</Id></ElementACQUIT>' +
				'<ElementACQUIT><EtatAck V="2">ok</EtatAck><Id>12345678901234567890</Id></ElementACQUIT></ACQUIT></PES_ACQUIT>',
		);
		expect(parsed).toEqual({
			PES_ACQUIT: {
				EnTete: { IdColl: { V: '21350123200012' }, Montant: { V: '0012.50' } },
				ACQUIT: {
					ElementACQUIT: [
						{ EtatAck: { V: '1' }, Id: '007' },
						{ EtatAck: { V: '2', '#text': 'ok' }, Id: '12345678901234567890' },
					],
				},
			},
		});
	});

	test('an attribute named like a child element is kept under @name', () => {
		expect(parseXml('<a id="1"><id>2</id></a>')).toEqual({ a: { id: '2', '@id': '1' } });
		const parsed = parseXml('<a><c __proto__="x"/></a>');
		expect(Object.getPrototypeOf(parsed.a)).toBe(Object.prototype);
		expect(({} as Record<string, unknown>).x).toBeUndefined();
	});

	test('character references and CDATA', () => {
		expect(parseXml('<a v="&#233;&#xE9;&amp;lt;">&lt;b&gt; &amp; c</a>')).toEqual({
			a: { v: 'éé&lt;', '#text': '<b> & c' },
		});
		expect(parseXml('<a><![CDATA[<raw & text>]]></a>')).toEqual({ a: '<raw & text>' });
	});

	test('malformed XML gives a plain Error saying where', () => {
		expect(() => parseXml('<a><b></a>')).toThrow(/^The XML is malformed: .*closing tag.*\(line 1, column \d+\)$/);
		expect(() => parseXml('<a>')).toThrow(/The XML is malformed: Unclosed tag 'a'/);
		expect(() => parseXml('{"errorCode": 102}')).toThrow(/The XML is malformed/);
		expect(() => parseXml('<a>\n<b x="1" x="2"/></a>')).toThrow(/line 2/);
		expect(() => parseXml('   ')).toThrow('The XML is empty');
		expect(() => parseXml('<a>')).not.toThrow(InputError);
	});
});
