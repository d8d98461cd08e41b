/**
 * Input is checked before any request: each rule rejects bad input with a message naming the
 * field, and the emulator receives nothing.
 */
import type { INodeParameters } from 'n8n-workflow';

import { DEPOSITOR_EMAIL } from '../emulators/fast/pki';
import { SAMPLE_CIRCUITS, SAMPLE_USERS } from '../emulators/fast/sample';
import { byId, pdfItem, useFast } from './fixture';

const fast = useFast();

const upload = (extra: INodeParameters): INodeParameters => ({ resource: 'document', operation: 'upload', circuitId: byId(SAMPLE_CIRCUITS.signature), ...extra });
const onDemand = (extra: INodeParameters): INodeParameters => ({
	resource: 'document',
	operation: 'uploadOnDemand',
	circuitType: 'BUREAUTIQUE_PDF',
	steps: { step: [{ type: 'signature', members: [SAMPLE_USERS.mayor] }] },
	...extra,
});
const long = 'x'.repeat(256);

const cases: Array<[string, INodeParameters, RegExp, Record<string, string>?]> = [
	['a SIREN that is not 9 digits', upload({ siren: '12345' }), /^'SIREN' must be 9 digits, got "12345"/],
	['a wrong default SIREN in the credential', upload({}), /^'Default SIREN' must be 9 digits/, { siren: '1234' }],
	['no SIREN at all', upload({}), /^'SIREN' is required: the node has none and the credential has no Default SIREN/, { siren: '' }],
	['an empty circuit (from an expression)', upload({ circuitId: byId('={{ "" }}') }), /^'Circuit' is required/],
	['a label over 255 characters', upload({ label: long }), /^'Label' is too long: at most 255 characters, got 256/],
	['a comment over 255 characters', upload({ options: { comment: long } }), /^'Comment' is too long: at most 255 characters, got 256/],
	['a bad recipient e-mail', upload({ options: { recipients: 'a@b.fr, pas-un-email' } }), /^'Recipients' contains an invalid e-mail address: "pas-un-email"/],
	[
		'recipients over 255 characters once joined',
		upload({ options: { recipients: Array.from({ length: 12 }, (_, i) => `destinataire.numero${i}@mairie-exemple.fr`).join(',') } }),
		/^'Recipients' is too long: at most 255 characters once joined/,
	],
	['a missing binary field', upload({ binaryPropertyName: 'fichier' }), /^The input item has no binary field 'fichier'/],
	['a missing annex field', upload({ options: { annexes: 'annexe' } }), /^The input item has no binary field 'annexe'/],
	['base64 content that is not base64', upload({ inputDataSource: 'base64', fileContent: '%%%', fileName: 'a.pdf' }), /^'File Content \(Base64\)' is not base64 text/],
	['base64 content without a file name', upload({ inputDataSource: 'base64', fileContent: 'JVBERg==', fileName: '={{ "" }}' }), /^'File Name' is required with base64 content/],
	['a URL that is not HTTP(S)', upload({ inputDataSource: 'url', fileUrl: 'file:///etc/passwd' }), /^'File URL' must be an http:\/\/ or https:\/\/ address/],
	['an on-demand circuit without steps', onDemand({ steps: {} }), /^The circuit has no steps: add at least one step under 'Steps'/],
	['a step without members', onDemand({ steps: { step: [{ type: 'visa', members: [] }] } }), /^Step 1 \('Visa'\): add at least one member/],
	['a member that is not an e-mail', onDemand({ steps: { step: [{ type: 'signature', members: 'marie.dupont' }] } }), /^Step 1: 'marie.dupont' is not a valid e-mail address/],
	['a bad circuit type', onDemand({ circuitType: 'PDF' }), /^'Circuit Type' must be one of BUREAUTIQUE_PDF/],
	[
		'the depositor as a member (credential e-mail)',
		onDemand({ steps: { step: [{ type: 'visa', members: [SAMPLE_USERS.dgs] }, { type: 'signature', members: [DEPOSITOR_EMAIL] }] } }),
		/^The depositor depot@mairie-exemple.fr \(the account of the credential's certificate\) cannot be a member of step 2: FAST refuses it \(code 122\)/,
		{ accountEmail: DEPOSITOR_EMAIL },
	],
	[
		'OTP steps without their signers',
		onDemand({ steps: { step: [{ type: 'OTPSignature', members: [] }] } }),
		/needs 1 OTP signer/,
	],
	[
		'an OTP signer with a bad phone number',
		onDemand({
			steps: { step: [{ type: 'OTPSignature', members: [] }] },
			otpSigners: { signer: [{ firstName: 'A', lastName: 'B', phoneNumber: '12', email: 'a@b.fr' }] },
		}),
		/^OTP Signers 1: 'Phone Number'/,
	],
	['a bad document ID', { resource: 'document', operation: 'getStatus', documentId: '32007abc' }, /^'Document ID' must be a positive whole number, got "32007abc"/],
	['a bad ID in a list', { resource: 'document', operation: 'getOtpUrl', documentIds: '320073900, x1' }, /^'Document IDs' must be a positive whole number, got "x1"/],
	[
		'duplicate metadata names',
		{ resource: 'document', operation: 'setMetadata', documentId: '320073903', metadata: { entry: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] } },
		/A/,
	],
	['a bad return URL', { resource: 'document', operation: 'uploadOtp', circuitId: byId(SAMPLE_CIRCUITS.otp), otpSigners: { signer: [{ firstName: 'A', lastName: 'B', phoneNumber: '0601020304', email: 'a@b.fr' }] }, options: { referer: 'merci' } }, /^'Return URL' has an invalid value/],
];

describe('validation before any request', () => {
	it.each(cases.map(([name, parameters, message, credentials]) => [name, parameters, message, credentials ?? {}] as const))('rejects %s', async (_name, parameters, message, credentials) => {
		const run = await fast.run(parameters, { items: [pdfItem()], credentials });
		expect(run.error?.message).toMatch(message);
		expect(run.error?.name).toBe('NodeOperationError');
		expect(fast.emulator.server.log).toHaveLength(0);
	});

	it('finds the depositor in a PEM certificate when the credential gives no e-mail', async () => {
		const run = await fast.run(onDemand({ steps: { step: [{ type: 'signature', members: [DEPOSITOR_EMAIL] }] } }), {
			items: [pdfItem()],
			credentials: { certificateFormat: 'pem', certificate: fast.emulator.pki.clientCert, privateKey: fast.emulator.pki.clientKey },
		});
		expect(run.error?.message).toMatch(/^The depositor depot@mairie-exemple.fr .* cannot be a member of step 1/);
		expect(fast.emulator.server.log).toHaveLength(0);
	});

	it('with Continue On Fail, a bad item becomes an error item and the others go on', async () => {
		const run = await fast.run(
			{ resource: 'document', operation: 'getStatus', documentId: '={{ $json.id }}' },
			{ items: [{ id: '320073900' }, { id: 'nope' }, { id: '320073901' }], node: { onError: 'continueRegularOutput' } },
		);
		expect(run.items.map((item) => item.json.state ?? item.json.error)).toEqual(['classified', `'Document ID' must be a positive whole number, got "nope"`, 'refused']);
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});
});
