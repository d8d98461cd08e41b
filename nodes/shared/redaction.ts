/**
 * Secrets (passwords, keys, tokens) must never reach an output item, an error or a log. Every
 * text built from a vendor response or an error passes through `redact` before it leaves a node.
 */

export const REDACTED = '[redacted]';

/** Values shorter than this are not searched for: they would match ordinary words. */
const MIN_SECRET_LENGTH = 4;

/**
 * The strings to hide for a set of secret values: each value itself, its URL-encoded and
 * JSON-escaped forms, and the HTTP Basic token it is part of when a login is given.
 */
export function secretVariants(secrets: Array<string | undefined>, login?: string): string[] {
	const variants = new Set<string>();
	for (const secret of secrets) {
		if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
		variants.add(secret);
		variants.add(encodeURIComponent(secret));
		variants.add(JSON.stringify(secret).slice(1, -1));
		if (login !== undefined) {
			variants.add(Buffer.from(`${login}:${secret}`, 'utf8').toString('base64'));
		}
	}
	// Longest first, so that a secret containing another is replaced whole.
	return [...variants].filter((v) => v.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

export function redact(text: string, secrets: readonly string[]): string {
	let result = text;
	for (const secret of secrets) {
		if (result.includes(secret)) result = result.split(secret).join(REDACTED);
	}
	return result;
}

/** A deep copy of a JSON value with every secret replaced in its strings (keys included). */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
	if (secrets.length === 0) return value;
	if (typeof value === 'string') return redact(value, secrets) as T;
	if (Array.isArray(value)) return value.map((entry) => redactDeep(entry, secrets) as unknown) as T;
	if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
		const copy: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
			copy[redact(key, secrets)] = redactDeep(entry, secrets);
		}
		return copy as T;
	}
	return value;
}

/** A URL fit for a message: no user info, no query (a pre-signed URL's signature is a secret too). */
export function shownUrl(url: string): string {
	const parsed = new URL(url);
	return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}
