/**
 * RFC 4180 CSV writing: a header line and records separated by CRLF, a field quoted when it holds
 * a comma, a double quote, a line break or leading/trailing spaces, double quotes doubled inside
 * a quoted field. Pure functions.
 */

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One field, quoted when RFC 4180 requires it (or when spaces at its ends must survive). */
export function csvField(value: string | number | boolean | undefined | null): string {
	// Callers check their values; an object here would be written `[object Object]`.
	if (value !== undefined && value !== null && typeof value === 'object') {
		throw new Error(`A CSV field must be text, a number or a boolean, got ${Array.isArray(value) ? 'a list' : 'an object'}`);
	}
	const text = value === undefined || value === null ? '' : String(value);
	return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, without its line break. */
export function csvRecord(fields: ReadonlyArray<string | number | boolean | undefined | null>): string {
	return fields.map(csvField).join(',');
}

/** A whole document: the header line, then one record per row; every line ends with CRLF. */
export function writeCsv(
	header: readonly string[],
	rows: ReadonlyArray<ReadonlyArray<string | number | boolean | undefined | null>>,
): string {
	for (const [index, row] of rows.entries()) {
		if (row.length !== header.length) {
			throw new Error(`CSV row ${index} has ${row.length} fields, the header ${header.length}`);
		}
	}
	return [header, ...rows].map((fields) => `${csvRecord(fields)}\r\n`).join('');
}
