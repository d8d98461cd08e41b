/**
 * Values placed in a URL path. A value never changes the route: empty, `.`, `..`, separators,
 * control characters and percent-encoded forms of these (which a server or proxy may decode) are
 * refused before anything is sent; any other value is percent-encoded.
 */
import { InputError } from './validation';

const HINT =
	'An ID goes into the address of the request: it cannot be empty, "." or "..", nor contain "/", "\\", control characters or percent-encoded forms of these. Check the value, or the expression that gives it.';

/** How many rounds of percent-decoding a server and the proxies before it might apply. */
const DECODE_ROUNDS = 4;

function typeName(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	if (typeof value === 'object') return 'an object';
	return `a ${typeof value}`;
}

/** Why a text, as a server would read it, changes the route; undefined when it does not. */
function routeProblem(text: string): string | undefined {
	if (text === '') return 'is empty';
	if (text === '.' || text === '..') return `is ${JSON.stringify(text)}, which points at another route`;
	if (/[/\\]/.test(text)) return 'contains a path separator ("/" or "\\")';
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u001f\u007f-\u009f]/.test(text)) return 'contains a control character';
	// Servlet containers drop what follows ";" in a segment before resolving "." and "..".
	const beforeParameters = text.split(';')[0];
	if (beforeParameters === '.' || beforeParameters === '..') return `starts with ${JSON.stringify(`${beforeParameters};`)}, which points at another route`;
	return undefined;
}

/** One round of percent-decoding; bytes that are not UTF-8 are decoded one by one. */
function percentDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
	}
}

/**
 * The value as one URL path segment, percent-encoded; an InputError naming `field` when the value
 * is not text or a number, or would change the route as given, once decoded, or once normalised
 * (full-width dots and slashes).
 */
export function pathSegment(value: unknown, field: string): string {
	let text: string;
	if (typeof value === 'string') text = value;
	else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint') text = String(value);
	else if (value === undefined || value === null || value === '') throw new InputError(`'${field}' is required`, HINT);
	else throw new InputError(`'${field}' must be a text or a number, got ${typeName(value)}`, HINT);

	let form = text;
	for (let round = 0; round <= DECODE_ROUNDS; round++) {
		for (const candidate of [form, form.normalize('NFKC')]) {
			const problem = routeProblem(candidate);
			if (problem) {
				const decoded = round > 0 || candidate !== form ? ` once ${round > 0 ? 'percent-decoded' : 'normalised'} (${JSON.stringify(candidate)})` : '';
				throw new InputError(`'${field}' cannot go into the request address: ${JSON.stringify(text)}${decoded} ${problem}`, HINT);
			}
		}
		const next = percentDecode(form);
		if (next === form) break;
		form = next;
	}
	return encodeURIComponent(text);
}
