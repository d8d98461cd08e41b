/**
 * The XML the vendors take and give: FAST's `meta-data-list` files (metadata and OTP signer
 * details), Hélios acknowledgements, PES Retour and Chorus files read into JSON.
 */
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
 * XML read into JSON that reads well in n8n: an element is a key, attributes are plain keys of
 * their element (`<IdPost V="12"/>` gives `IdPost: { V: '12' }`; an attribute named like a child
 * element of the same element keeps an `@` in front, `@id`, so neither is lost), text sits in
 * `#text` when the element also has attributes or children, repeated elements become arrays.
 * Values stay text: numbers are not converted, so ids and account numbers keep their leading
 * zeros and every digit. Throws an Error saying where the XML is malformed.
 */
export function parseXml(text: string): IDataObject {
	const xml = String(text ?? '').replace(/^\ufeff/, '');
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
