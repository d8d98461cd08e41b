/** Pure functions of nodes/shared and the Maarch helpers. */
import { describeMaarchError, readMaarchError } from '../../nodes/MaarchCourrier/helpers/errors';
import { filterUsers, matchesSearch, normalizeText } from '../../nodes/MaarchCourrier/helpers/users';
import { maarchRestUrl } from '../../nodes/MaarchCourrier/transport';
import { readRemainingIds } from '../../nodes/FastParapheur/v1/actions/remaining';
import { excerpt, withRetryNote } from '../../nodes/shared/errors';
import { REDACTED, redact, redactDeep, secretVariants } from '../../nodes/shared/redaction';
import { backoffDelay, decideRetry, isIdempotent, parseRetryAfter } from '../../nodes/shared/retry';
import { InputError, checkEmail, checkNumericId, checkText, isEmail } from '../../nodes/shared/validation';

describe('validation', () => {
	test('e-mail addresses', () => {
		expect(isEmail('bruce.wayne@wcorp.com')).toBe(true);
		expect(isEmail('élodie@mairie-saint-étienne.fr')).toBe(true);
		for (const bad of ['bruce', 'bruce@', '@wcorp.com', 'bruce wayne@wcorp.com', 'Bruce <b@w.com>', 'a@b.c', 'a@b,c.fr']) {
			expect(isEmail(bad)).toBe(false);
		}
		expect(checkEmail(' b@w.fr ', 'Email')).toBe('b@w.fr');
		expect(checkEmail('', 'Email', false)).toBe('');
		expect(() => checkEmail('', 'Email')).toThrow("'Email' is required");
	});

	test('text lengths and patterns name the field', () => {
		expect(checkText('  abc ', { field: 'Login', max: 3 })).toBe('abc');
		expect(() => checkText('abcd', { field: 'Login', max: 3 })).toThrow("'Login' is too long: at most 3 characters, got 4");
		expect(() => checkText('a', { field: 'Login', min: 2 })).toThrow("'Login' is too short: at least 2 characters, got 1");
		expect(() => checkText('a b', { field: 'Login', pattern: /^\S+$/, patternHint: 'No spaces' })).toThrow(InputError);
		expect(() => checkText(undefined, { field: 'Login', required: true })).toThrow("'Login' is required");
	});

	test('numeric IDs', () => {
		expect(checkNumericId(42, 'User')).toBe('42');
		expect(checkNumericId(' 7 ', 'User')).toBe('7');
		for (const bad of ['0', '-1', '1.5', 'abc', '', '12345678901234567890']) {
			expect(() => checkNumericId(bad, 'User')).toThrow("'User' must be a positive whole number");
		}
	});
});

describe('redaction', () => {
	const secrets = secretVariants(['pa:ss wörd', 'abc'], 'ws');
	test('hides the secret, its encodings and the Basic token, ignores very short values', () => {
		expect(secrets).toContain('pa:ss wörd');
		expect(secrets).toContain(encodeURIComponent('pa:ss wörd'));
		expect(secrets).toContain(Buffer.from('ws:pa:ss wörd').toString('base64'));
		expect(secrets).not.toContain('abc');
		expect(redact('x pa:ss wörd y', secrets)).toBe(`x ${REDACTED} y`);
		expect(redact(`Basic ${Buffer.from('ws:pa:ss wörd').toString('base64')}`, secrets)).toBe(`Basic ${REDACTED}`);
	});

	test('walks objects and arrays without changing what holds no secret', () => {
		const value = { a: ['pa:ss wörd', 1, null], b: { c: 'ok pa%3Ass%20w%C3%B6rd' }, d: true };
		expect(redactDeep(value, secrets)).toEqual({ a: [REDACTED, 1, null], b: { c: `ok ${REDACTED}` }, d: true });
		expect(redactDeep(value, [])).toBe(value);
	});
});

describe('short secrets', () => {
	test('a short secret is redacted where it stands alone, never inside an ID or a SIREN', () => {
		const secrets = secretVariants(['1234']);
		expect(redact('document 320012345 of SIREN 212345678', secrets)).toBe('document 320012345 of SIREN 212345678');
		expect(redact('the password 1234 was refused', secrets)).toBe(`the password ${REDACTED} was refused`);
		expect(redact('{"password":"1234"}', secrets)).toBe(`{"password":"${REDACTED}"}`);
	});
});

describe('FAST remaining lists', () => {
	test('only a JSON list of IDs is a list: an empty body, null, HTML or another shape is not', () => {
		expect(readRemainingIds('[]')).toEqual([]);
		expect(readRemainingIds('')).toBeUndefined();
		expect(readRemainingIds('null')).toBeUndefined();
		expect(readRemainingIds('[320073963, "320073961"]')).toEqual(['320073963', '320073961']);
		expect(readRemainingIds('<html>maintenance</html>')).toBeUndefined();
		expect(readRemainingIds('{"ids":[1]}')).toBeUndefined();
	});
});

describe('error texts', () => {
	test('an excerpt removes secrets before cutting, so no part of one survives the cut', () => {
		const secret = 'S3cr3t-T0ken-Value';
		const text = `${'x'.repeat(190)} token=${secret} and more`;
		const cut = excerpt(text, 200, secretVariants([secret]));
		expect(cut).not.toMatch(/S3c/);
		expect(excerpt(text, 200)).toMatch(/S3c…$/); // without the secrets, the cut keeps a piece
	});

	test('withRetryNote puts the short note in the message and the reason in the description', () => {
		expect(withRetryNote({ message: 'Busy (HTTP 503)', description: 'Try later.' }, { reason: 'Not retried: check.', summary: 'not retried' })).toEqual({
			message: 'Busy (HTTP 503) (not retried)',
			description: 'Try later. Not retried: check.',
		});
		expect(withRetryNote({ message: 'Busy' }, { reason: 'Tried 4 times.' })).toEqual({ message: 'Busy', description: 'Tried 4 times.' });
		expect(withRetryNote({ message: 'Busy' }, undefined)).toEqual({ message: 'Busy' });
	});
});

describe('retry decisions', () => {
	test('Retry-After as seconds or HTTP date', () => {
		expect(parseRetryAfter('2')).toBe(2000);
		expect(parseRetryAfter(['0'])).toBe(0);
		expect(parseRetryAfter(new Date(10_000 + 5000).toUTCString(), 10_000)).toBe(5000);
		expect(parseRetryAfter('soon')).toBeUndefined();
		expect(parseRetryAfter(undefined)).toBeUndefined();
	});

	test('backoff grows and is capped', () => {
		expect(backoffDelay(0, () => 0)).toBe(500);
		expect(backoffDelay(3, () => 0)).toBe(4000);
		expect(backoffDelay(20, () => 1)).toBe(72_000);
	});

	test('only idempotent requests on 429/502/503/504 or a reset, within the budget', () => {
		expect(isIdempotent('put')).toBe(true);
		expect(isIdempotent('POST')).toBe(false);
		const base = { method: 'GET', attempt: 0, maxRetries: 3 };
		expect(decideRetry({ ...base, status: 503, retryAfter: '1' })).toEqual({ retry: true, delayMs: 1000 });
		expect(decideRetry({ ...base, status: 401 }).retry).toBe(false);
		expect(decideRetry({ ...base, status: 500 }).retry).toBe(false);
		expect(decideRetry({ ...base, networkCode: 'ECONNRESET' }).retry).toBe(true);
		expect(decideRetry({ ...base, networkCode: 'ECONNREFUSED' }).retry).toBe(false);
		expect(decideRetry({ ...base, method: 'POST', status: 503 }).reason).toMatch(/not retried automatically/);
		expect(decideRetry({ ...base, method: 'POST', idempotent: true, status: 503 }).retry).toBe(true);
		expect(decideRetry({ ...base, attempt: 3, status: 503 }).reason).toMatch(/Tried 4 times/);
		expect(decideRetry({ ...base, maxRetries: 0, attempt: 0, status: 503 }).reason).toMatch(/^Tried once without success/);
		expect(decideRetry({ ...base, method: 'POST', status: 503 }).summary).toBe('not retried, as it may have been applied');
		expect(decideRetry({ ...base, status: 429, retryAfter: '120' }).reason).toMatch(/wait 120 seconds/);
	});
});

describe('Maarch helpers', () => {
	test('instance URL to REST base', () => {
		expect(maarchRestUrl('https://h.fr/maarch')).toBe('https://h.fr/maarch/rest');
		expect(maarchRestUrl(' https://h.fr/maarch/rest/ ')).toBe('https://h.fr/maarch/rest');
		expect(maarchRestUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/rest');
		expect(() => maarchRestUrl('ftp://h.fr')).toThrow(/must start with https/);
		expect(() => maarchRestUrl('h.fr')).toThrow(/not a valid URL/);
	});

	test('error bodies and their meaning', () => {
		expect(readMaarchError({ errors: 'User not found', lang: 'fr' })).toEqual({ message: 'User not found' });
		expect(readMaarchError({ title: 'Oops', detail: 'Detail', status: 500 })).toEqual({ message: 'Detail' });
		expect(readMaarchError('<html>')).toEqual({});
		const failure = (status: number, vendorMessage: string) => ({ status, vendorMessage, body: {} });
		expect(describeMaarchError(failure(400, 'User not found'), { userId: '7' })?.message).toBe('Maarch Courrier user 7 does not exist');
		expect(describeMaarchError(failure(401, 'Authentication Failed'), {}, 'ws')?.message).toMatch(/account 'ws'/);
		expect(describeMaarchError(failure(418, 'I am a teapot'), {})).toBeUndefined();
	});

	test('search ignores case and accents', () => {
		const user = { id: 1, user_id: 'hlenoir', firstname: 'Hélène', lastname: 'Lenoir', status: 'OK', mail: 'h@x.fr', mode: 'standard' };
		expect(normalizeText(' HÉLÈNE ')).toBe('helene');
		expect(matchesSearch(user, 'helene lenoir')).toBe(true);
		expect(matchesSearch(user, 'lenoir hél')).toBe(true);
		expect(matchesSearch(user, 'dupont')).toBe(false);
		expect(filterUsers([user], { status: ['ABS'] })).toEqual([]);
		expect(filterUsers([user], { mode: ['standard'], search: '' })).toEqual([user]);
	});
});
