/**
 * Input checks that run before any request: a bad value gives an error naming the field and
 * nothing is sent. Pure functions; `executePerItem` turns an `InputError` into a
 * NodeOperationError for the item.
 */

export class InputError extends Error {
	constructor(
		message: string,
		readonly description?: string,
	) {
		super(message);
		this.name = 'InputError';
	}
}

// Control characters (C0, DEL, C1) are no part of an address: they are excluded with spaces.
// eslint-disable-next-line no-control-regex
const EMAIL_PATTERN = /^[^\s\u0000-\u001f\u007f-\u009f@<>(),;:"[\]\\]+@[^\s\u0000-\u001f\u007f-\u009f@<>(),;:"[\]\\]+\.[^\s\u0000-\u001f\u007f-\u009f@<>(),;:"[\]\\]{2,}$/;

export function isEmail(value: string): boolean {
	return value.length <= 254 && EMAIL_PATTERN.test(value);
}

/**
 * How a value's type reads in a message: "an object", "a list", "a boolean"... (never
 * `[object Object]`).
 */
export function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (Buffer.isBuffer(value)) return 'binary data';
	switch (typeof value) {
		case 'object':
			return 'an object';
		case 'boolean':
			return 'a boolean';
		case 'function':
			return 'a function';
		case 'symbol':
			return 'a symbol';
		case 'bigint':
		case 'number':
			return 'a number';
		case 'undefined':
			return 'nothing';
		default:
			return 'text';
	}
}

/**
 * The text of a value given as text or a number (what an expression or a spreadsheet gives);
 * undefined and null read as ''. Other types (an object, a list, a boolean unless
 * `allowBoolean`) are refused with their type named: "'Document ID' must be text or a number,
 * got an object". A number that is not finite (NaN, Infinity) is refused too.
 */
export function textOf(value: unknown, field: string, options: { allowBoolean?: boolean; numbers?: boolean } = {}): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	const numbers = options.numbers !== false;
	const expected = numbers ? 'text or a number' : 'text';
	if (numbers && typeof value === 'number') {
		if (!Number.isFinite(value)) throw new InputError(`'${field}' must be ${expected}, got the number ${String(value)}`);
		return String(value);
	}
	if (numbers && typeof value === 'bigint') return value.toString();
	if (options.allowBoolean && typeof value === 'boolean') return String(value);
	throw new InputError(
		`'${field}' must be ${expected}, got ${describeType(value)}`,
		'An expression probably gives a whole item or list here: pick the field you mean, e.g. {{ $json.name }}.',
	);
}

export interface TextRule {
	/** Field label as the user sees it. */
	field: string;
	required?: boolean;
	min?: number;
	max?: number;
	pattern?: RegExp;
	/** What the pattern allows, in words. */
	patternHint?: string;
}

/** Trims a text value and checks it; returns '' for an empty optional value. */
export function checkText(value: unknown, rule: TextRule): string {
	const text = textOf(value, rule.field, { allowBoolean: true }).trim();
	if (text === '') {
		if (rule.required) throw new InputError(`'${rule.field}' is required`);
		return '';
	}
	if (rule.min !== undefined && text.length < rule.min) {
		throw new InputError(
			`'${rule.field}' is too short: at least ${rule.min} characters, got ${text.length}`,
		);
	}
	if (rule.max !== undefined && text.length > rule.max) {
		throw new InputError(
			`'${rule.field}' is too long: at most ${rule.max} characters, got ${text.length}`,
		);
	}
	if (rule.pattern && !rule.pattern.test(text)) {
		throw new InputError(
			`'${rule.field}' has an invalid value: ${JSON.stringify(text)}`,
			rule.patternHint,
		);
	}
	return text;
}

export function checkEmail(value: unknown, field: string, required = true): string {
	textOf(value, field, { numbers: false });
	const text = checkText(value, { field, required, max: 254 });
	if (text && !isEmail(text)) {
		throw new InputError(
			`'${field}' is not a valid e-mail address: ${JSON.stringify(text)}`,
			'Use the form name@domain.tld, without spaces or display name.',
		);
	}
	return text;
}

/** A positive whole number given as a number or a string of digits; returned as a string. */
export function checkNumericId(value: unknown, field: string): string {
	const text = textOf(value, field).trim();
	if (!/^[1-9][0-9]{0,18}$/.test(text)) {
		throw new InputError(
			`'${field}' must be a positive whole number, got ${JSON.stringify(text)}`,
		);
	}
	return text;
}

/**
 * Whether a text is a SIREN: 9 digits whose last one is a Luhn check digit (INSEE's rule; La
 * Poste's 356000000 passes it too).
 */
export function isValidSiren(value: string): boolean {
	// 000000000 passes the Luhn check but is no one's SIREN.
	if (!/^[0-9]{9}$/.test(value) || value === '000000000') return false;
	let sum = 0;
	for (let i = 0; i < 9; i++) {
		// From the right, every second digit is doubled: in 9 digits, those at even indexes from
		// the left are kept, those at odd indexes doubled.
		let digit = value.charCodeAt(i) - 48;
		if (i % 2 === 1) {
			digit *= 2;
			if (digit > 9) digit -= 9;
		}
		sum += digit;
	}
	return sum % 10 === 0;
}

const SIREN_HINT =
	"The SIREN is the 9-digit number of the public body in the national register (INSEE); FAST uses it as the customer's subscription number (numéro d'abonnement). Find it in the FAST contract or on annuaire-entreprises.data.gouv.fr.";

/**
 * A SIREN given as text or number, with or without spaces (`213 501 234`); returned as 9 digits.
 * Only the 9 digits are required, as FAST's page asks: a number whose Luhn check digit is wrong
 * is still sent (test subscriptions carry such numbers, and FAST is the one that knows its
 * subscribers); `isValidSiren` tells it apart when FAST answers that it does not know it.
 */
export function checkSiren(value: unknown, field = 'SIREN'): string {
	const text = textOf(value, field)
		.trim()
		// French typography separates digit groups with (narrow) no-break spaces too.
		.replace(/[\s\u00a0\u202f]+/g, '');
	if (text === '') throw new InputError(`'${field}' is required`, SIREN_HINT);
	if (!/^[0-9]{9}$/.test(text)) {
		throw new InputError(`'${field}' must be 9 digits, got ${JSON.stringify(text)}`, SIREN_HINT);
	}
	return text;
}

/**
 * A list given as an array, or as text separated by commas, semicolons, spaces or new lines
 * (what users paste from a spreadsheet or an e-mail client). Items are trimmed; empty items and
 * repeated ones are dropped, the first occurrence keeps its place. For items that may hold spaces
 * (group names, labels), pass `{ splitOnSpaces: false }`: only commas, semicolons and new lines
 * separate them then.
 */
export function splitList(value: unknown, options: { splitOnSpaces?: boolean } = {}): string[] {
	const separator = options.splitOnSpaces === false ? /[,;\r\n]+/ : /[,;\s]+/;
	const items: string[] = [];
	const collect = (part: unknown): void => {
		if (part === undefined || part === null) return;
		if (Array.isArray(part)) {
			for (const element of part) collect(element);
			return;
		}
		// An object has no meaningful text form: show it as JSON so that an error can quote it.
		const text = typeof part === 'object' ? JSON.stringify(part) : String(part);
		for (const item of text.split(separator)) {
			const trimmed = item.trim();
			if (trimmed !== '') items.push(trimmed);
		}
	};
	collect(value);
	return [...new Set(items)];
}

/**
 * Refuses a list (or a value) holding something other than text and numbers: an object given by
 * an expression has no address in it, and its JSON would only make a confusing message.
 */
export function checkListItems(value: unknown, field: string): void {
	const visit = (part: unknown, depth: number): void => {
		if (part === undefined || part === null) return;
		if (Array.isArray(part) && depth < 2) {
			for (const element of part) visit(element, depth + 1);
			return;
		}
		if (typeof part === 'string' || typeof part === 'number') return;
		throw new InputError(
			`'${field}' must be text or a list of text, got ${depth === 0 ? describeType(part) : `a list holding ${describeType(part)}`}`,
			'Give the values separated by commas, or an expression that gives a list of texts.',
		);
	};
	visit(value, 0);
}

/**
 * A list of e-mail addresses (see `splitList`). Addresses that differ only by case count once.
 * `max` bounds the length of the comma-joined list, the form the vendors receive.
 */
export function checkEmailList(
	value: unknown,
	field: string,
	options: { max?: number; required?: boolean } = {},
): string[] {
	checkListItems(value, field);
	const seen = new Set<string>();
	const emails: string[] = [];
	for (const item of splitList(value)) {
		if (!isEmail(item)) {
			throw new InputError(
				`'${field}' contains an invalid e-mail address: ${JSON.stringify(item)}`,
				'Use the form name@domain.tld, without display names; separate addresses with commas.',
			);
		}
		const key = item.toLowerCase();
		if (seen.has(key)) continue;
		seen.add(key);
		emails.push(item);
	}
	if (emails.length === 0 && options.required) {
		throw new InputError(
			`'${field}' is required`,
			'Give one or more e-mail addresses, separated by commas.',
		);
	}
	if (options.max !== undefined) {
		const length = emails.join(',').length;
		if (length > options.max) {
			throw new InputError(
				`'${field}' is too long: at most ${options.max} characters once joined, got ${length}`,
				'Remove some addresses; a mailing list address can stand for several people.',
			);
		}
	}
	return emails;
}
