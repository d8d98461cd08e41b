/** Values placed in a URL path: refused when they would change the route, encoded otherwise. */
import { pathSegment } from '../../nodes/shared/path';
import { InputError } from '../../nodes/shared/validation';

function refusal(value: unknown, field = 'Group ID'): InputError {
	try {
		pathSegment(value, field);
	} catch (error) {
		expect(error).toBeInstanceOf(InputError);
		return error as InputError;
	}
	throw new Error(`${JSON.stringify(value)} was accepted`);
}

describe('pathSegment', () => {
	test.each([
		['ELU', 'ELU'],
		['ELU 2', 'ELU%202'],
		['Hélène', 'H%C3%A9l%C3%A8ne'],
		['jean+test@mairie.fr', 'jean%2Btest%40mairie.fr'],
		['50%', '50%25'],
		['a%20b', 'a%2520b'],
		['a,b', 'a%2Cb'],
		['a?b#c', 'a%3Fb%23c'],
		['...', '...'],
		['.hidden', '.hidden'],
		['a;b', 'a%3Bb'],
		['%e9', '%25e9'],
	])('%j is encoded as %j', (value, encoded) => {
		expect(pathSegment(value, 'Group ID')).toBe(encoded);
	});

	test('numbers are accepted as their digits', () => {
		expect(pathSegment(42, 'User')).toBe('42');
		expect(pathSegment(BigInt('9007199254740993'), 'User')).toBe('9007199254740993');
	});

	test.each([
		['', /'Group ID' is required|is empty/],
		['.', /"\." is "\."/],
		['..', /"\.\." is "\.\."/],
		['a/b', /path separator/],
		['ELU/../../1', /path separator/],
		['a\\b', /path separator/],
		['a\u0000b', /control character/],
		['a\nb', /control character/],
		['a\u007fb', /control character/],
		['a\u0085b', /control character/],
		['%2e%2e', /once percent-decoded \("\.\."\)/],
		['%2E', /once percent-decoded \("\."\)/],
		['%2F', /path separator/],
		['a%2fb', /path separator/],
		['%5C', /path separator/],
		['%00', /control character/],
		['%252e%252e', /once percent-decoded/],
		['%25252F', /once percent-decoded/],
		['\uff0e\uff0e', /once normalised/],
		['a\uff0fb', /once normalised/],
		['..;jsessionid=1', /starts with "\.\.;"/],
		['%2e%2e;x', /starts with "\.\.;"/],
	])('%j is refused', (value, message) => {
		const error = refusal(value);
		expect(error.message).toMatch(/^'Group ID' /);
		expect(error.message).toMatch(message);
		expect(error.description).toMatch(/address of the request/);
	});

	test('values of the wrong type are refused, naming their type', () => {
		expect(refusal({ id: 1 }, 'User').message).toBe("'User' must be a text or a number, got an object");
		expect(refusal(['a'], 'User').message).toBe("'User' must be a text or a number, got an array");
		expect(refusal(true, 'User').message).toBe("'User' must be a text or a number, got a boolean");
		expect(refusal(Number.NaN, 'User').message).toBe("'User' must be a text or a number, got a number");
		expect(refusal(undefined, 'User').message).toBe("'User' is required");
		expect(refusal(null, 'User').message).toBe("'User' is required");
	});

	test('the message quotes the value as given', () => {
		expect(refusal('%2e%2e', 'User IDs').message).toBe(
			`'User IDs' cannot go into the request address: "%2e%2e" once percent-decoded ("..") is "..", which points at another route`,
		);
	});
});
