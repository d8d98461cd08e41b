/**
 * The FAST Parapheur credential's Test (the node's `credentialTest` named by `testedBy`, the same
 * on n8n 1.x and 2.x) beyond the certificate itself (certificate.test.ts): an account without the
 * right (HTTP 403, or FAST's error 100 for a SIREN), and an address that is not the API.
 */
import { FOREIGN_SIREN } from '../emulators/fast/sample';
import { testCredentialWithNode } from '../harness';
import { fastCredentialData, useFast } from './fixture';

const fast = useFast();

const test = async (overrides: Record<string, unknown>) =>
	await testCredentialWithNode('fastParapheur', 'fastParapheurApi', fastCredentialData(fast.emulator, overrides as never));

describe('FAST Parapheur credential test: rights and address', () => {
	it('an account refused with HTTP 403 is told to get the rights', async () => {
		fast.emulator.injectFault({ status: 403, body: '<html><body><h1>403 Forbidden</h1></body></html>', headers: { 'content-type': 'text/html' } });
		expect(await test({})).toEqual({
			status: 'Error',
			message:
				"FAST Parapheur refused this action for the credential's account (HTTP 403). Give the account the rights this operation needs, or use another account.",
		});
		expect(fast.emulator.log).toHaveLength(1);
	});

	it('a default SIREN the account may not use (error 100) is named', async () => {
		const result = await test({ siren: FOREIGN_SIREN });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^The certificate's account is not allowed to work in SIREN 216901231, or FAST Parapheur does not know the certificate's account at all \(code 100\)\. Check the SIREN/);
	});

	it('an address without the API (404) says where the node looks', async () => {
		for (const siren of ['', undefined]) {
			const result = await test({ host: `${fast.emulator.url}/parapheur-wrong`, ...(siren === undefined ? {} : { siren }) });
			expect(result).toEqual({
				status: 'Error',
				message:
					"FAST Parapheur has no such resource (HTTP 404). No FAST Parapheur API at this address: check the 'Host or URL' in the credential (the node adds /parapheur-ws/rest/v1).",
			});
		}
		expect(fast.emulator.log.map((entry) => entry.path)).toEqual([
			'/parapheur-wrong/parapheur-ws/rest/v1/documents/v2/0/history',
			'/parapheur-wrong/parapheur-ws/rest/v1/documents/v2/213501232/ack/remaining',
		]);
	});
});
