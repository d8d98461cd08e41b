/**
 * A strict RFC 4180 parser for the emulator: quoted fields (with embedded commas, doubled quotes
 * and line breaks), CRLF or LF line ends, and errors for what RFC 4180 forbids (a quote inside an
 * unquoted field, text after a closing quote, an unterminated quoted field).
 */

export class CsvSyntaxError extends Error {
	constructor(
		message: string,
		readonly line: number,
	) {
		super(`${message} (line ${line})`);
		this.name = 'CsvSyntaxError';
	}
}

/** Records of fields; a final line break does not start an empty record. */
export function parseCsv(text: string): string[][] {
	const records: string[][] = [];
	let record: string[] = [];
	let field = '';
	let line = 1;
	let i = 0;
	const length = text.length;
	// A record is only pushed when something was read on its line.
	let started = false;
	const endField = () => {
		record.push(field);
		field = '';
	};
	const endRecord = () => {
		endField();
		records.push(record);
		record = [];
		started = false;
	};
	while (i < length) {
		const char = text[i];
		if (char === '"') {
			if (field !== '') throw new CsvSyntaxError('A quote inside an unquoted field', line);
			started = true;
			i++;
			let closed = false;
			while (i < length) {
				const inner = text[i];
				if (inner === '"') {
					if (text[i + 1] === '"') {
						field += '"';
						i += 2;
						continue;
					}
					closed = true;
					i++;
					break;
				}
				if (inner === '\n') line++;
				field += inner;
				i++;
			}
			if (!closed) throw new CsvSyntaxError('An unterminated quoted field', line);
			const next = text[i];
			if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
				throw new CsvSyntaxError('Text after a closing quote', line);
			}
			continue;
		}
		if (char === ',') {
			started = true;
			endField();
			i++;
			continue;
		}
		if (char === '\r' || char === '\n') {
			i += char === '\r' && text[i + 1] === '\n' ? 2 : 1;
			if (started || field !== '' || record.length > 0) endRecord();
			else records.push(['']);
			line++;
			continue;
		}
		started = true;
		field += char;
		i++;
	}
	if (started || field !== '' || record.length > 0) endRecord();
	return records;
}
