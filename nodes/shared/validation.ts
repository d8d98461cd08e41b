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
