/**
 * The XML the vendors take and give: FAST's `meta-data-list` files (metadata and OTP signer
 * details), Hélios acknowledgements, PES Retour and Chorus files read into JSON.
 */
import { TextDecoder } from 'node:util';

import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import type { IDataObject } from 'n8n-workflow';

export interface MetaDataEntry {
	name: string;
	value: string;
}

/** Characters XML 1.0 does not allow at all, and the C1 controls, which have no business in a name. */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g;

/**
 * Escapes an attribute value. A parser turns a literal tab or new line in an attribute into a
 * space (XML attribute-value normalisation), so those are written as character references and
 * survive; `\r\n` counts as one new line.
 */
function escapeAttribute(value: string): string {
	return value
		.replace(FORBIDDEN_CHARACTERS, '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;')
		.replace(/\r\n?|\n/g, '&#10;')
		.replace(/\t/g, '&#9;');
}

/**
 * The metadata file of FAST's `metadata/define` and OTP endpoints, exactly as the API page shows
 * it: an XML declaration with `standalone="yes"`, then `<meta-data-list>` with one self-closing
 * `<meta-data name="..." value="..."/>` per entry, in order. The text is meant to be sent as UTF-8.
 */
export function buildMetaDataListXml(entries: MetaDataEntry[]): string {
	for (const entry of entries) {
		for (const [key, value] of [['name', entry.name], ['value', entry.value]] as const) {
			// Callers give text; an object would be written `[object Object]`.
			if (value !== null && typeof value === 'object') {
				throw new Error(`The ${key} of metadata ${typeof entry.name === 'string' ? JSON.stringify(entry.name.slice(0, 60)) : 'given'} must be text, got ${Array.isArray(value) ? 'a list' : 'an object'}`);
			}
		}
	}
	const builder = new XMLBuilder({
		ignoreAttributes: false,
		attributeNamePrefix: '@_',
		format: true,
		indentBy: '  ',
		suppressEmptyNode: true,
		// Otherwise value="true" is written as a bare `value`, which is not XML.
		suppressBooleanAttributes: false,
		// Escaping is done below, completely (the builder's own misses new lines).
		processEntities: false,
		attributeValueProcessor: (_name: string, value: unknown) => escapeAttribute(String(value)),
	});
	return builder.build({
		'?xml': { '@_version': '1.0', '@_encoding': 'UTF-8', '@_standalone': 'yes' },
		'meta-data-list': {
			'meta-data': entries.map((entry) => ({ '@_name': entry.name, '@_value': entry.value })),
		},
	}) as string;
}

/** Prefix of attributes while parsing; removed afterwards (see `plainAttributes`). */
const ATTRIBUTE_PREFIX = '@_';

/**
 * Windows-1252 in 0x80-0x9F, where it differs from ISO-8859-1 (the five unassigned bytes keep
 * the C1 control of the same number, as the WHATWG Encoding Standard says).
 */
const WINDOWS_1252_HIGH = [
	0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
	0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/**
 * Windows-1252 decoded here rather than by TextDecoder: Node 20's TextDecoder reads 0x80-0x9F
 * as ISO-8859-1 control characters, Node 24's as the Windows characters (€, ’, œ...); this gives
 * the Windows characters on both lines.
 */
function decodeWindows1252(bytes: Uint8Array): string {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
		.toString('latin1')
		.replace(/[\u0080-\u009f]/g, (char) => String.fromCharCode(WINDOWS_1252_HIGH[char.charCodeAt(0) - 0x80]));
}

/** The end of the messages about encodings that cannot be read. */
const READABLE = '(it reads UTF-8, UTF-16, ISO-8859-1, windows-1252 and the other encodings of the WHATWG Encoding Standard)';

/** How far into a file its XML declaration is looked for. */
const DECLARATION_WINDOW = 1024;

/** The `encoding` of an XML declaration at the very start of `head`, if any. */
function declaredEncoding(head: string): string | undefined {
	const declaration = /^<\?xml\s[^>]*?\?>/.exec(head)?.[0];
	return declaration && /\sencoding\s*=\s*(["'])\s*([^"'\s]*)\s*\1/.exec(declaration)?.[2];
}

/** The WHATWG name of an encoding label (`ISO-8859-1` gives `windows-1252`), or undefined when unknown. */
function canonicalEncoding(label: string): string | undefined {
	for (const candidate of [label, label.replace(/_/g, '-').replace(/^latin-(\d)$/i, 'latin$1')]) {
		try {
			return new TextDecoder(candidate).encoding;
		} catch {
			// Not a label this Node knows; try the next spelling.
		}
	}
	return undefined;
}

export interface DecodedXml {
	text: string;
	/** The encoding the bytes were read in (WHATWG name: `utf-8`, `utf-16le`, `windows-1252`...). */
	encoding: string;
	/** What said so: a byte order mark, the XML declaration, or nothing (XML's default, UTF-8). */
	source: 'byte order mark' | 'declaration' | 'default';
}

/**
 * Reads the bytes of an XML file as text in the encoding the file itself gives, as XML says to:
 * a byte order mark first (UTF-8, UTF-16 LE or BE), then the `encoding` of the XML declaration,
 * UTF-8 when neither is there. UTF-16 without a byte order mark is recognised by its first
 * bytes (`<?` in two-byte units). ISO-8859-1, Latin-1 and US-ASCII are read as windows-1252, as
 * the WHATWG Encoding Standard (browsers, Node's TextDecoder) reads them: the two differ only in
 * 0x80-0x9F, control characters in ISO-8859-1, where software that writes "ISO-8859-1" on Windows
 * puts €, ’ or œ. Any other encoding Node's TextDecoder knows (ISO-8859-15, windows-1250...) is
 * read by it. Never guesses: an encoding that cannot be read here (UTF-32, EBCDIC, an unknown
 * name), or bytes that are not valid in the encoding given (a file declared UTF-8 written in
 * ISO-8859-1), throw an Error that says so instead of giving garbled text.
 */
export function decodeXml(bytes: Uint8Array): DecodedXml {
	const [b0, b1, b2, b3] = bytes;
	if ((b0 === 0 && b1 === 0 && (b2 === 0 || b2 === 0xfe)) || (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) || (b0 === 0x3c && b1 === 0 && b2 === 0 && b3 === 0)) {
		throw new Error(`The XML is in UTF-32, which this node cannot read ${READABLE}`);
	}
	if (b0 === 0x4c && b1 === 0x6f && b2 === 0xa7 && b3 === 0x94) throw new Error(`The XML is in EBCDIC, which this node cannot read ${READABLE}`);

	let encoding: string;
	let source: DecodedXml['source'];
	/** How the encoding reads in a message: as the file wrote it. */
	let named: string;
	if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) [encoding, source, named] = ['utf-8', 'byte order mark', 'UTF-8'];
	else if (b0 === 0xff && b1 === 0xfe) [encoding, source, named] = ['utf-16le', 'byte order mark', 'UTF-16LE'];
	else if (b0 === 0xfe && b1 === 0xff) [encoding, source, named] = ['utf-16be', 'byte order mark', 'UTF-16BE'];
	else if (b0 === 0x3c && b1 === 0 && b2 === 0x3f && b3 === 0) [encoding, source, named] = ['utf-16le', 'declaration', 'UTF-16LE'];
	else if (b0 === 0 && b1 === 0x3c && b2 === 0 && b3 === 0x3f) [encoding, source, named] = ['utf-16be', 'declaration', 'UTF-16BE'];
	else {
		// An ASCII-compatible file: its declaration reads byte for byte.
		const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, DECLARATION_WINDOW)).toString('latin1');
		const declared = declaredEncoding(head);
		if (declared === undefined) [encoding, source, named] = ['utf-8', 'default', 'UTF-8'];
		else {
			const canonical = canonicalEncoding(declared);
			if (canonical === undefined || canonical === 'replacement' || canonical === 'x-user-defined') {
				throw new Error(`The XML declares the encoding "${declared}", which this node cannot read ${READABLE}`);
			}
			if (canonical.startsWith('utf-16')) {
				throw new Error(`The XML declares the encoding "${declared}" but is not UTF-16: it has no byte order mark and its declaration is written one byte per character`);
			}
			[encoding, source, named] = [canonical, 'declaration', declared];
		}
	}

	if (encoding === 'windows-1252') return { text: decodeWindows1252(bytes), encoding, source };
	let decoder: TextDecoder | undefined;
	try {
		decoder = new TextDecoder(encoding, { fatal: true });
	} catch {
		decoder = undefined;
	}
	if (!decoder) throw new Error(`The XML is in ${named}, which this Node.js cannot decode (it is built without full ICU data)`);
	let text: string | undefined;
	try {
		// A byte order mark is dropped by the decoder.
		text = decoder.decode(bytes);
	} catch {
		text = undefined;
	}
	if (text !== undefined) return { text, encoding, source };
	const hint = encoding === 'utf-8' ? ' (is it ISO-8859-1 or windows-1252 without saying so?)' : '';
	if (source === 'default') {
		throw new Error(`The XML declares no encoding, so it must be UTF-8, but it holds bytes that are not valid UTF-8${hint}`);
	}
	const says = source === 'byte order mark' ? `starts with a ${named} byte order mark` : `declares the encoding "${named}"`;
	throw new Error(`The XML ${says} but holds bytes that are not valid ${named}${hint}`);
}

/**
 * XML read into JSON that reads well in n8n: an element is a key, attributes are plain keys of
 * their element (`<IdPost V="12"/>` gives `IdPost: { V: '12' }`; an attribute named like a child
 * element of the same element keeps an `@` in front, `@id`, so neither is lost), text sits in
 * `#text` when the element also has attributes or children, repeated elements become arrays.
 * Values stay text: numbers are not converted, so ids and account numbers keep their leading
 * zeros and every digit. Bytes (a downloaded file) are read in the file's own encoding (see
 * `decodeXml`); text is taken as it is. Throws an Error saying where the XML is malformed.
 */
export function parseXml(input: string | Uint8Array): IDataObject {
	// isView, not instanceof: a Buffer made in another realm (a sandbox, a worker) is bytes too.
	const xml = (typeof input !== 'string' && ArrayBuffer.isView(input) ? decodeXml(input).text : String(input ?? '')).replace(/^\ufeff/, '');
	if (xml.trim() === '') throw new Error('The XML is empty');
	const validation = XMLValidator.validate(xml);
	if (validation !== true) {
		const { msg, line, col } = validation.err;
		throw new Error(`The XML is malformed: ${msg} (line ${line}, column ${col})`);
	}
	const parser = new XMLParser({
		ignoreAttributes: false,
		attributeNamePrefix: ATTRIBUTE_PREFIX,
		textNodeName: '#text',
		parseTagValue: false,
		parseAttributeValue: false,
		ignoreDeclaration: true,
		ignorePiTags: true,
		// `htmlEntities` also decodes character references such as `&#10;` and `&#233;`.
		processEntities: true,
		htmlEntities: true,
	});
	return plainAttributes(parser.parse(xml)) as IDataObject;
}

/** Renames `@_name` attributes to `name`, or `@name` when a child element is called `name`. */
function plainAttributes(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(plainAttributes);
	if (value === null || typeof value !== 'object') return value;
	const source = value as Record<string, unknown>;
	const result: Record<string, unknown> = {};
	for (const key of Object.keys(source)) {
		let name = key;
		if (key.startsWith(ATTRIBUTE_PREFIX)) {
			const bare = key.slice(ATTRIBUTE_PREFIX.length);
			name = Object.prototype.hasOwnProperty.call(source, bare) ? `@${bare}` : bare;
		}
		// defineProperty, not assignment: a key such as `__proto__` stays a plain key.
		Object.defineProperty(result, name, {
			value: plainAttributes(source[key]),
			enumerable: true,
			writable: true,
			configurable: true,
		});
	}
	return result;
}
