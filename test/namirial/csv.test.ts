/**
 * The RFC 4180 writer (nodes/shared/csv.ts), the operator row helpers, and the emulator's strict
 * parser reading back what the writer wrote.
 */
import { csvField, csvRecord, writeCsv } from '../../nodes/shared/csv';
import { checkListItems, chunk, csvList, matchReportErrors, operatorCsvRow, readBatchReport } from '../../nodes/NamirialTrustAndSign/helpers/operators';
import { CsvSyntaxError, parseCsv } from '../emulators/namirial/csv';

describe('csv writer', () => {
	test.each([
		['plain', 'plain'],
		['', ''],
		['a,b', '"a,b"'],
		['say "hi"', '"say ""hi"""'],
		['two\nlines', '"two\nlines"'],
		['cr\r\nlf', '"cr\r\nlf"'],
		[' lead', '" lead"'],
		['trail ', '"trail "'],
		['Zoë Müller-Ñúñez', 'Zoë Müller-Ñúñez'],
		['[A|B]', '[A|B]'],
	])('%j is written %j', (value, written) => {
		expect(csvField(value)).toBe(written);
	});

	test('writes a header and CRLF-terminated records, and refuses ragged rows', () => {
		expect(writeCsv(['a', 'b'], [['1', 'x,y'], ['', '']])).toBe('a,b\r\n1,"x,y"\r\n,\r\n');
		expect(csvRecord([true, 3, undefined, null])).toBe('true,3,,');
		expect(() => writeCsv(['a', 'b'], [['1']])).toThrow('CSV row 0 has 1 fields, the header 2');
	});

	test('what the writer writes, the strict parser reads back unchanged', () => {
		const rows = [
			['a', 'b,c', 'd"e', 'f\ng', '', ' h '],
			['"', '""', ',', '\r\n', 'é', '[x|y]'],
			['', '', '', '', '', ''],
		];
		expect(parseCsv(writeCsv(['1', '2', '3', '4', '5', '6'], rows))).toEqual([['1', '2', '3', '4', '5', '6'], ...rows]);
	});
});

describe('the emulator CSV parser is strict', () => {
	test.each([
		['a,b"c\r\n', 'A quote inside an unquoted field'],
		['"abc\r\n', 'An unterminated quoted field'],
		['"a"b,c\r\n', 'Text after a closing quote'],
	])('%j is rejected', (text, message) => {
		expect(() => parseCsv(text)).toThrow(CsvSyntaxError);
		expect(() => parseCsv(text)).toThrow(message);
	});

	test('accepts LF line ends and a missing final line break', () => {
		expect(parseCsv('a,b\nc,d')).toEqual([['a', 'b'], ['c', 'd']]);
	});
});

describe('operator rows', () => {
	test('lists are [a|b], [] when empty, an empty column when not given', () => {
		expect(csvList(['A', 'B'])).toBe('[A|B]');
		expect(csvList([])).toBe('[]');
		expect(csvList(undefined)).toBe('');
		expect(operatorCsvRow({ email: 'a@b.fr', firstName: 'A', linkedToAllGroups: false, groupsLabel: ['G'] })).toEqual(['a@b.fr', 'A', '', '', '', '', 'false', '', '[G]', '']);
	});

	test('list items holding a delimiter are refused', () => {
		expect(checkListItems('P1, P2', 'Products')).toEqual(['P1', 'P2']);
		expect(() => checkListItems(['a]'], 'Products')).toThrow(/list delimiter/);
		expect(() => checkListItems('x[1]', 'Products')).toThrow(/list delimiter/);
	});

	test('chunks keep order and bound their size', () => {
		expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
		expect(chunk([], 1000)).toEqual([]);
		expect(() => chunk([1], 0)).toThrow();
	});

	test('report errors are matched by index, or by e-mail when the index disagrees', () => {
		const report = readBatchReport({ action: 'create', usersSend: 3, errors: [{ email: 'c@x.fr', index: 0, reason: 'r', errorCode: 1005 }, { email: 'a@x.fr', index: '0', reason: 's' }], extra: true });
		expect(report?.errors[1].index).toBe(0);
		const { byRow, unmatched } = matchReportErrors(['a@x.fr', 'b@x.fr', 'c@x.fr'], report!.errors);
		expect([...byRow.entries()].map(([row, error]) => [row, error.reason])).toEqual([[2, 'r'], [0, 's']]);
		expect(unmatched).toEqual([]);
		expect(readBatchReport([])).toBeUndefined();
	});
});
