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

const EMAIL_PATTERN = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]{2,}$/;

export function isEmail(value: string): boolean {
	return value.length <= 254 && EMAIL_PATTERN.test(value);
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
	const text = value === undefined || value === null ? '' : String(value).trim();
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
	const text = String(value ?? '').trim();
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
 */
export function checkSiren(value: unknown, field = 'SIREN'): string {
	const text = String(value ?? '')
		.trim()
		// French typography separates digit groups with (narrow) no-break spaces too.
		.replace(/[\s\u00a0\u202f]+/g, '');
	if (text === '') throw new InputError(`'${field}' is required`, SIREN_HINT);
	if (!/^[0-9]{9}$/.test(text)) {
		throw new InputError(`'${field}' must be 9 digits, got ${JSON.stringify(text)}`, SIREN_HINT);
	}
	if (!isValidSiren(text)) {
		throw new InputError(
			`'${field}' ${text} is not a valid SIREN: its check digit is wrong`,
			`Check for a typing error. ${SIREN_HINT}`,
		);
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
 * A list of e-mail addresses (see `splitList`). Addresses that differ only by case count once.
 * `max` bounds the length of the comma-joined list, the form the vendors receive.
 */
export function checkEmailList(
	value: unknown,
	field: string,
	options: { max?: number; required?: boolean } = {},
): string[] {
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
