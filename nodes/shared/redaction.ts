/**
 * Secrets (passwords, keys, tokens) must never reach an output item, an error or a log. Every
 * text built from a vendor response or an error passes through `redact` before it leaves a node.
 */

export const REDACTED = '[redacted]';

/** Values shorter than this are not searched for: they would match ordinary words. */
const MIN_SECRET_LENGTH = 4;

/**
 * The strings to hide for a set of secret values: each value itself; the forms a server echoing
 * it may give it: URL-encoded (path or query, and form encoding), JSON-escaped (also as PHP
 * writes it: `\/` and `\uXXXX`), HTML-escaped and base64 (standard and URL-safe); the pieces
 * of its base64 that any longer base64 text holding it contains (a whole request body echoed in
 * base64); the same for its JSON-escaped form (a JSON login body echoed URL-encoded or in
 * base64); and the HTTP Basic token it is part of when a login is given.
 */
export function secretVariants(secrets: Array<string | undefined>, login?: string): string[] {
	const variants = new Set<string>();
	for (const secret of secrets) {
		if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
		const json = JSON.stringify(secret).slice(1, -1);
		// The secret as sent, and as it stands inside a JSON body (a login body echoed whole).
		for (const text of new Set([secret, json])) {
			variants.add(text);
			variants.add(encodeURIComponent(text));
			variants.add(new URLSearchParams({ s: text }).toString().slice(2));
			const bytes = Buffer.from(text, 'utf8');
			variants.add(bytes.toString('base64'));
			variants.add(bytes.toString('base64url'));
			for (const core of embeddedBase64(bytes)) variants.add(core);
		}
		variants.add(json.replace(/\//g, '\\/'));
		variants.add(json.replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(/\//g, '\\/'));
		variants.add(secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'));
		if (login !== undefined) {
			variants.add(Buffer.from(`${login}:${secret}`, 'utf8').toString('base64'));
		}
	}
	// Longest first, so that a secret containing another is replaced whole.
	return [...variants].filter((v) => v.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** Secrets shorter than this (in bytes) have no base64 piece long enough to be told from chance. */
const MIN_EMBEDDED_BYTES = 8;

/**
 * The base64 characters that encode only the secret's own bytes, for each of the three places the
 * secret can start in a longer text (its offset modulo 3): whatever surrounds it, a base64 text
 * holding the secret holds one of these.
 */
function embeddedBase64(bytes: Buffer): string[] {
	if (bytes.length < MIN_EMBEDDED_BYTES) return [];
	const cores: string[] = [];
	for (let offset = 0; offset < 3; offset++) {
		// Start at the first whole 3-byte group of the secret, end at its last whole group.
		const start = (3 - offset) % 3;
		const end = start + Math.floor((bytes.length - start) / 3) * 3;
		const core = bytes.subarray(start, end).toString('base64');
		if (core.length >= MIN_SECRET_LENGTH * 2) cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
	}
	return cores;
}

/**
 * Below this length a secret is only replaced where it stands alone (not inside a longer word or
 * number): a 4-digit PKCS#12 password must not garble the document IDs and SIRENs around it.
 */
const SHORT_SECRET_LENGTH = 8;

export function redact(text: string, secrets: readonly string[]): string {
	let result = text;
	for (const secret of secrets) {
		if (!result.includes(secret)) continue;
		if (secret.length >= SHORT_SECRET_LENGTH || !/^[\p{L}\p{N}]+$/u.test(secret)) {
			result = result.split(secret).join(REDACTED);
			continue;
		}
		const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		result = result.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'gu'), REDACTED);
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
