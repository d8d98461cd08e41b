/**
 * File names and MIME types of the files the nodes send and receive. Pure functions: the
 * streaming itself lives with the requests.
 */

/** Longest file name kept, extension included (file systems allow 255 bytes; accents use two). */
const MAX_FILE_NAME_LENGTH = 200;

/**
 * The file name of a `Content-Disposition` header (RFC 6266), or undefined when it has none.
 * `filename*` (RFC 5987: `UTF-8''na%C3%AFve.pdf`, charset UTF-8 or ISO-8859-1) wins over
 * `filename`, quoted (with backslash escapes) or not. The name is returned as sent: sanitise it
 * with `sanitizeFileName` before use.
 */
export function parseContentDisposition(header: string | undefined): string | undefined {
	if (!header) return undefined;
	let plain: string | undefined;
	let extended: string | undefined;
	// `name=value` pairs after a `;`; a quoted value may hold `;` and escaped quotes.
	const parameter = /;\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;
	for (const match of `;${header}`.matchAll(parameter)) {
		const name = match[1].toLowerCase();
		const raw = match[2].trim();
		if (name === 'filename*' && extended === undefined) {
			extended = decodeExtendedValue(unquote(raw));
		} else if (name === 'filename' && plain === undefined) {
			plain = repairMojibake(unquote(raw));
		}
	}
	const fileName = extended || plain;
	return fileName ? fileName : undefined;
}

function unquote(value: string): string {
	if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
		return value.slice(1, -1).replace(/\\(.)/g, '$1');
	}
	return value;
}

/** `charset'language'percent-encoded` (RFC 5987); undefined when it can't be read. */
function decodeExtendedValue(value: string): string | undefined {
	const match = /^([^']*)'[^']*'(.*)$/.exec(value);
	if (!match) return undefined;
	const charset = match[1].trim().toLowerCase();
	const encoded = match[2];
	if (charset === 'utf-8' || charset === 'utf8' || charset === '') {
		try {
			return decodeURIComponent(encoded);
		} catch {
			return undefined;
		}
	}
	if (charset === 'iso-8859-1' || charset === 'latin1') {
		// Every byte is the code point of the same number.
		return encoded.replace(/%([0-9a-f]{2})/gi, (_, hex: string) =>
			String.fromCharCode(parseInt(hex, 16)),
		);
	}
	return undefined;
}

/**
 * Java servers often write a UTF-8 name as raw bytes in `filename="..."`, which Node reads as
 * Latin-1 (`Ã©` for `é`). When the text decodes cleanly as UTF-8 it was such a name.
 */
function repairMojibake(value: string): string {
	if (!/[\u0080-\u00ff]/.test(value) || /[\u0100-\uffff]/.test(value)) return value;
	const decoded = Buffer.from(value, 'latin1').toString('utf8');
	return decoded.includes('\ufffd') ? value : decoded;
}

const RESERVED_WINDOWS_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * A file name safe to store or offer for download: the last path segment only (no `/`, `\` or
 * `..`), without control characters nor `<>:"/\|?*`, without leading or trailing dots and spaces,
 * at most 200 characters with its extension kept. `fallback` when nothing usable is left.
 */
export function sanitizeFileName(name: string | undefined, fallback: string): string {
	if (!name) return fallback;
	const segments = name.normalize('NFC').split(/[/\\]/);
	let clean = (segments[segments.length - 1] ?? '')
		// eslint-disable-next-line no-control-regex
		.replace(/[\u0000-\u001f\u007f-\u009f<>:"|?*]/g, '')
		.replace(/^[.\s]+|[.\s]+$/g, '');
	if (clean === '') return fallback;
	if (RESERVED_WINDOWS_NAMES.test(clean)) clean = `_${clean}`;
	const characters = Array.from(clean);
	if (characters.length > MAX_FILE_NAME_LENGTH) {
		const extension = /\.[^.\s]{1,16}$/.exec(clean)?.[0] ?? '';
		const extensionLength = Array.from(extension).length;
		const base = characters
			.slice(0, MAX_FILE_NAME_LENGTH - extensionLength)
			.join('')
			.replace(/[.\s]+$/, '');
		clean = `${base}${extension}`;
	}
	return clean;
}

/** Extension (lower case, without dot) to MIME type: the files FAST and the others exchange. */
const MIME_TYPES: Record<string, string> = {
	pdf: 'application/pdf',
	xml: 'application/xml',
	zip: 'application/zip',
	json: 'application/json',
	txt: 'text/plain',
	csv: 'text/csv',
	doc: 'application/msword',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	xls: 'application/vnd.ms-excel',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	odt: 'application/vnd.oasis.opendocument.text',
	ods: 'application/vnd.oasis.opendocument.spreadsheet',
	p7s: 'application/pkcs7-signature',
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	html: 'text/html',
	htm: 'text/html',
};

/** MIME type to the extension given to a file that has none; other spellings of the same types. */
const EXTENSIONS: Record<string, string> = {
	...Object.fromEntries(Object.entries(MIME_TYPES).map(([extension, mimeType]) => [mimeType, extension])),
	'image/jpeg': 'jpg',
	'text/html': 'html',
	'text/xml': 'xml',
	'application/x-zip-compressed': 'zip',
	'application/x-pkcs7-signature': 'p7s',
};

/** The extension of a file name, lower case without dot; a purely numeric suffix is none. */
function extensionOf(name: string): string | undefined {
	const match = /\.([0-9a-z]{1,10})$/i.exec(name);
	if (!match || /^[0-9]+$/.test(match[1])) return undefined;
	return match[1].toLowerCase();
}

/** The MIME type of a file name's extension, when it is one of the common document types. */
export function mimeTypeFromFileName(name: string): string | undefined {
	const extension = extensionOf(name);
	return extension ? MIME_TYPES[extension] : undefined;
}

/**
 * Adds the extension of a known MIME type to a name that has none (`Délibération 12` +
 * `application/pdf` gives `Délibération 12.pdf`); other names are returned unchanged.
 */
export function fileNameWithExtension(name: string, mimeType: string | undefined): string {
	if (!mimeType || extensionOf(name)) return name;
	const essence = mimeType.split(';')[0].trim().toLowerCase();
	const extension = EXTENSIONS[essence];
	return extension ? `${name}.${extension}` : name;
}
