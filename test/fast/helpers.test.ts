/** Pure FAST helpers: history states, on-demand circuits, OTP signers and metadata. */
import {
	CIRCUIT_TYPE_OPTIONS,
	STEP_TYPE_OPTIONS,
	checkMetadataEntries,
	checkOtpSigner,
	checkSignerCountMatches,
	normalisePhoneNumber,
	type OnDemandCircuit,
	otpMetadataEntries,
	otpStepCount,
	validateCircuit,
} from '../../nodes/FastParapheur/helpers/circuit';
import type { NormalisedState } from '../../nodes/FastParapheur/helpers/states';
import {
	NORMALISED_STATE_OPTIONS,
	documentLink,
	historyOutcome,
	isFinalState,
	isSettlingState,
	lastMeaningfulEntry,
	normaliseState,
	outcomeOf,
} from '../../nodes/FastParapheur/helpers/states';
import { InputError } from '../../nodes/shared/validation';
import { buildMetaDataListXml } from '../../nodes/shared/xml';
import { describeFastError, readFastError } from '../../nodes/FastParapheur/helpers/errors';

/** The InputError a function throws, to check its message and description together. */
function inputErrorOf(run: () => unknown): InputError {
	try {
		run();
	} catch (error) {
		if (error instanceof InputError) return error;
		throw error;
	}
	throw new Error('expected an InputError');
}

describe('history states', () => {
	test('every spelling of the API page and of real deployments', () => {
		const expected: Array<[string, NormalisedState]> = [
			['Préparé', 'prepared'],
			['Métadonnées définies', 'metadataDefined'],
			['Envoyé pour signature', 'sentForSignature'],
			['Signé', 'signed'],
			['Refusé', 'refused'],
			['Signature validée', 'signatureValidated'],
			['signature rejetée', 'signatureRejected'],
			['Envoyé pour visa', 'sentForVisa'],
			['Validé', 'visaApproved'],
			['Visa approuvé', 'visaApproved'],
			['Rejeté', 'visaRefused'],
			['Visa désapprouvé', 'visaRefused'],
			["En cours d'envoi", 'sendingToFast'],
			['Envoyé à FAST', 'sentToFast'],
			['Transmis à Hélios', 'sentToHelios'],
			['Acquittance Hélios', 'heliosAcknowledged'],
			['Acquittement Hélios', 'heliosAcknowledged'],
			["Échec de l'envoi à FAST", 'error'],
			['Échec du traitement FAST', 'error'],
			["Échec de l'envoi à Hélios", 'error'],
			['Informations OTP définies', 'otpDefined'],
			['OTP validé', 'otpSigned'],
			['OTP signé', 'otpSigned'],
			['Classé', 'classified'],
			['Archivé', 'archived'],
			['Document remplacé', 'replaced'],
		];
		for (const [stateName, state] of expected) expect([stateName, normaliseState(stateName)]).toEqual([stateName, state]);
	});

	test('case, accents, apostrophes and spaces do not matter', () => {
		expect(normaliseState('SIGNE')).toBe('signed');
		expect(normaliseState('signe')).toBe('signed');
		expect(normaliseState('  Signé  ')).toBe('signed');
		expect(normaliseState('Sign\u0065\u0301')).toBe('signed');
		expect(normaliseState('visa   desapprouve')).toBe('visaRefused');
		expect(normaliseState('VISA APPROUVÉ')).toBe('visaApproved');
		expect(normaliseState('Signature Rejetee')).toBe('signatureRejected');
		expect(normaliseState('En cours d’envoi')).toBe('sendingToFast');
		expect(normaliseState("en cours d' envoi")).toBe('sendingToFast');
		expect(normaliseState('ECHEC DE L’ENVOI A HELIOS')).toBe('error');
		expect(normaliseState('Echec inconnu')).toBe('error');
		expect(normaliseState('transmis a helios')).toBe('sentToHelios');
		expect(normaliseState('acquittement\u00a0hélios')).toBe('heliosAcknowledged');
	});

	test('no name is a step boundary, an unknown name is another state in progress', () => {
		expect(normaliseState(null)).toBe('unknown');
		expect(normaliseState(undefined)).toBe('unknown');
		expect(normaliseState('')).toBe('unknown');
		expect(normaliseState('   ')).toBe('unknown');
		expect(normaliseState('Envoyé à Digiposte')).toBe('pending');
	});

	test('final states follow the field notes', () => {
		// Signé is not final (API page 2.6: the signature checker and Classé come after it).
		const final: NormalisedState[] = ['classified', 'archived', 'heliosAcknowledged', 'refused', 'visaRefused', 'signatureRejected', 'error', 'replaced'];
		for (const option of NORMALISED_STATE_OPTIONS) {
			expect([option.value, isFinalState(option.value)]).toEqual([option.value, final.includes(option.value)]);
		}
	});

	test('outcomes', () => {
		expect(outcomeOf('signed')).toBe('success');
		expect(outcomeOf('classified')).toBe('success');
		expect(outcomeOf('archived')).toBe('success');
		expect(outcomeOf('heliosAcknowledged')).toBe('success');
		expect(outcomeOf('refused')).toBe('rejected');
		expect(outcomeOf('visaRefused')).toBe('rejected');
		expect(outcomeOf('signatureRejected')).toBe('rejected');
		expect(outcomeOf('replaced')).toBe('rejected');
		expect(outcomeOf('error')).toBe('error');
		for (const state of ['prepared', 'sentForVisa', 'visaApproved', 'otpSigned', 'pending', 'unknown'] as const) {
			expect(outcomeOf(state)).toBe('inProgress');
		}
		// Every final state has an outcome, every other state is in progress but Signé and
		// Signature validée, whose success is provisional until the document is final.
		for (const option of NORMALISED_STATE_OPTIONS) {
			expect(outcomeOf(option.value) === 'inProgress').toBe(!isFinalState(option.value) && !isSettlingState(option.value));
		}
		expect(outcomeOf('signatureValidated')).toBe('success');
		// Version 1's rule: Signé is final, as real clients have it.
		expect(isFinalState('signed', 'signed')).toBe(true);
		expect(isSettlingState('signed', 'signed')).toBe(false);
		expect(outcomeOf('signatureValidated', 'signed')).toBe('inProgress');
	});

	test('the last entry with a state name', () => {
		const history = [
			{ userFullname: 'Marc Antiome', date: '2019-12-11T09:41:10.000Z', stateName: 'Préparé' },
			{ userFullname: 'boucle sms', date: '2019-12-11T09:59:22.000Z', stateName: 'OTP validé' },
			{ userFullname: 'boucle sms', date: '2019-12-11T09:59:22.000Z', stateName: null },
			{ userFullname: '', date: '2019-12-11T09:59:23.000Z', stateName: '  ' },
		];
		expect(lastMeaningfulEntry(history)).toBe(history[1]);
		expect(lastMeaningfulEntry([])).toBeUndefined();
		expect(lastMeaningfulEntry([{ stateName: null }])).toBeUndefined();
	});

	test('the outcome of a whole history looks behind Classé and Archivé', () => {
		const entries = (...names: Array<string | null>) => names.map((stateName) => ({ stateName }));
		expect(historyOutcome(entries('Préparé', 'Envoyé pour signature'))).toBe('inProgress');
		expect(historyOutcome(entries('Préparé', 'Signé', 'signature rejetée', 'Classé'))).toBe('rejected');
		expect(historyOutcome(entries('Préparé', 'Signé', 'Signature validée', 'Classé'))).toBe('success');
		expect(historyOutcome(entries('Préparé', 'Signé', null, 'Classé'))).toBe('success');
		expect(historyOutcome(entries('Préparé', 'Refusé', null, 'Classé'))).toBe('rejected');
		expect(historyOutcome(entries('Préparé', 'Visa désapprouvé', 'Classé', 'Archivé'))).toBe('rejected');
		expect(historyOutcome(entries('Préparé', 'Informations OTP définies', 'OTP validé', null, 'Classé'))).toBe('success');
		expect(historyOutcome(entries('Préparé', "Échec de l'envoi à FAST", 'Envoyé à FAST', 'Acquittement Hélios', 'Classé'))).toBe('success');
		expect(historyOutcome(entries('Préparé', 'Échec du traitement FAST'))).toBe('error');
		expect(historyOutcome([])).toBe('inProgress');
	});

	test('options: English names, French spellings in the description, every state once', () => {
		const values = NORMALISED_STATE_OPTIONS.map((option) => option.value);
		expect(new Set(values).size).toBe(values.length);
		for (const required of ['pending', 'signed', 'visaApproved', 'refused', 'error', 'archived']) {
			expect(values).toContain(required);
		}
		const byValue = Object.fromEntries(NORMALISED_STATE_OPTIONS.map((option) => [option.value, option]));
		expect(byValue.signed.name).toBe('Signed');
		expect(byValue.visaApproved.name).toBe('Visa Approved');
		expect(byValue.visaApproved.description).toMatch(/Visa approuvé/);
		expect(byValue.visaApproved.description).toMatch(/Validé/);
		// Every French name in an option's description normalises to that option.
		for (const option of NORMALISED_STATE_OPTIONS) {
			const french = /^([^:(]+?)(?: \(or ([^)]+)\))?:/.exec(option.description ?? '');
			if (!french || option.value === 'error') continue;
			expect([french[1], normaliseState(french[1])]).toEqual([french[1], option.value]);
			if (french[2]) expect(normaliseState(french[2])).toBe(option.value);
		}
		const names = NORMALISED_STATE_OPTIONS.map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
	});

	test('web UI link', () => {
		expect(documentLink('demo-parapheur.dfast.fr', '320073963')).toBe(
			'https://demo-parapheur.dfast.fr/parapheur/showDoc.action?documentid=320073963',
		);
		expect(documentLink('https://demo-parapheur.dfast.fr/parapheur-ws/rest/v1/', '42')).toBe(
			'https://demo-parapheur.dfast.fr/parapheur/showDoc.action?documentid=42',
		);
		expect(documentLink('https://127.0.0.1:8443/', ' 42 ')).toBe('https://127.0.0.1:8443/parapheur/showDoc.action?documentid=42');
		expect(documentLink('https://proxy.fr/fast/parapheur-ws/rest/v1', '42')).toBe(
			'https://proxy.fr/fast/parapheur/showDoc.action?documentid=42',
		);
		expect(() => documentLink('https://', '1')).toThrow(InputError);
	});
});

describe('on-demand circuits', () => {
	const pdf = (steps: Array<{ step: unknown; members: unknown }>) => validateCircuit({ type: 'BUREAUTIQUE_PDF', steps });

	test('the example of the API page', () => {
		const circuit = pdf([
			{ step: 'visa', members: ['AAA@domain.fr', 'BBB@domain.fr'] },
			{ step: 'visa', members: ['CCC@domain.fr'] },
			{ step: 'signature', members: ['DDD@domain.fr'] },
			{ step: 'signature', members: ['AAA@domain.fr'] },
		]);
		expect(JSON.parse(JSON.stringify(circuit))).toEqual({
			type: 'BUREAUTIQUE_PDF',
			steps: [
				{ step: 'visa', members: ['AAA@domain.fr', 'BBB@domain.fr'] },
				{ step: 'visa', members: ['CCC@domain.fr'] },
				{ step: 'signature', members: ['DDD@domain.fr'] },
				{ step: 'signature', members: ['AAA@domain.fr'] },
			],
		});
	});

	test('types and steps are matched leniently, members given as lists', () => {
		const circuit = validateCircuit({
			type: ' helios avec teletransmission ',
			steps: [
				{ step: 'Visa', members: 'a@x.fr; b@x.fr\nA@X.FR, a@x.fr' },
				{ step: 'SIGNATURE', members: ['c@x.fr, d@x.fr'] },
				{ step: 'OTP Signature', members: '' },
				{ step: 'otpsignature', members: undefined },
			],
		});
		expect(circuit).toEqual({
			type: 'HELIOS_AVEC_TELETRANSMISSION',
			steps: [
				{ step: 'visa', members: ['a@x.fr', 'b@x.fr'] },
				{ step: 'signature', members: ['c@x.fr', 'd@x.fr'] },
				{ step: 'OTPSignature', members: [] },
				{ step: 'OTPSignature', members: [] },
			],
		});
		expect(otpStepCount(circuit)).toBe(2);
		expect(otpStepCount(pdf([{ step: 'signature', members: 'a@x.fr' }]))).toBe(0);
		for (const option of CIRCUIT_TYPE_OPTIONS) {
			expect(validateCircuit({ type: option.value, steps: [{ step: 'visa', members: 'a@x.fr' }] }).type).toBe(option.value);
		}
	});

	test('circuit type', () => {
		const error = inputErrorOf(() => validateCircuit({ type: 'PDF', steps: [{ step: 'visa', members: 'a@x.fr' }] }));
		expect(error.message).toBe(
			`'Circuit Type' must be one of BUREAUTIQUE_PDF, BUREAUTIQUE_XML, HELIOS_AVEC_TELETRANSMISSION, HELIOS_SANS_TELETRANSMISSION, got "PDF"`,
		);
		expect(error.description).toMatch(/PAdES/);
		expect(() => validateCircuit({ type: undefined, steps: [] })).toThrow(/'Circuit Type' must be one of .*, got ""/);
	});

	test('at least one step, at most 50', () => {
		expect(() => pdf([])).toThrow("The circuit has no steps: add at least one step under 'Steps'");
		expect(() => validateCircuit({ type: 'BUREAUTIQUE_PDF', steps: undefined as never })).toThrow(/add at least one step/);
		const steps = Array.from({ length: 51 }, () => ({ step: 'visa', members: 'a@x.fr' }));
		expect(() => pdf(steps)).toThrow('The circuit has too many steps: at most 50, got 51');
		expect(pdf(steps.slice(0, 50)).steps).toHaveLength(50);
	});

	test('step type, members and e-mails name the step', () => {
		expect(() => pdf([{ step: 'visa', members: 'a@x.fr' }, { step: 'approve', members: 'a@x.fr' }])).toThrow(
			`Step 2: 'Step Type' must be one of visa, signature, OTPSignature, got "approve"`,
		);
		expect(() => pdf([{ step: 'visa', members: 'a@x.fr' }, { step: 'signature', members: ' , ' }])).toThrow(
			"Step 2 ('Signature'): add at least one member",
		);
		expect(() => pdf([{ step: 'visa', members: [] }])).toThrow("Step 1 ('Visa'): add at least one member");
		expect(() => pdf([{ step: 'visa', members: 'a@x.fr, x@' }])).toThrow("Step 1: 'x@' is not a valid e-mail address");
		expect(() => pdf([{ step: 'visa', members: 'a@x.fr' }, { step: 'OTPSignature', members: 'nope' }])).toThrow(
			"Step 2: 'nope' is not a valid e-mail address",
		);
		expect(pdf([{ step: 'OTPSignature', members: 'ext@x.fr' }]).steps[0]).toEqual({ step: 'OTPSignature', members: ['ext@x.fr'] });
	});

	test('the depositor cannot be a member (code 122)', () => {
		const steps = [
			{ step: 'visa', members: 'a@x.fr' },
			{ step: 'visa', members: 'b@x.fr' },
			{ step: 'signature', members: 'c@x.fr, Depot@Mairie.fr' },
		];
		const error = inputErrorOf(() => validateCircuit({ type: 'BUREAUTIQUE_PDF', steps }, { depositorEmail: ' depot@mairie.fr ' }));
		expect(error.message).toBe(
			"The depositor Depot@Mairie.fr (the account of the credential's certificate) cannot be a member of step 3: FAST refuses it (code 122)",
		);
		expect(validateCircuit({ type: 'BUREAUTIQUE_PDF', steps }, { depositorEmail: 'other@mairie.fr' }).steps).toHaveLength(3);
		expect(validateCircuit({ type: 'BUREAUTIQUE_PDF', steps }, {}).steps).toHaveLength(3);
	});

	test('dropdown options', () => {
		expect(CIRCUIT_TYPE_OPTIONS.map((option) => [option.value, option.name])).toEqual([
			['BUREAUTIQUE_PDF', 'PDF (PAdES Signature)'],
			['BUREAUTIQUE_XML', 'XML (Detached XAdES Signature)'],
			['HELIOS_AVEC_TELETRANSMISSION', 'Hélios PES With Transmission to DGFiP'],
			['HELIOS_SANS_TELETRANSMISSION', 'Hélios PES Without Transmission'],
		]);
		expect(STEP_TYPE_OPTIONS.map((option) => option.value)).toEqual(['visa', 'signature', 'OTPSignature']);
		for (const option of [...CIRCUIT_TYPE_OPTIONS, ...STEP_TYPE_OPTIONS]) expect(option.description).toBeTruthy();
	});
});

describe('OTP signers', () => {
	const signer = { firstName: ' John ', lastName: 'Doe', phoneNumber: '06 06 06 06 06', email: 'john.doe@mail.fr' };

	test('phone numbers, French and international', () => {
		expect(normalisePhoneNumber('06 06 06 06 06')).toBe('0606060606');
		expect(normalisePhoneNumber('06.06.06.06.06')).toBe('0606060606');
		expect(normalisePhoneNumber('06-06-06-06-06')).toBe('0606060606');
		expect(normalisePhoneNumber('+33 6 06 06 06 06')).toBe('+33606060606');
		expect(normalisePhoneNumber('+33 (0)6 06 06 06 06')).toBe('+33606060606');
		expect(normalisePhoneNumber('0033 6 06 06 06 06')).toBe('+33606060606');
		expect(normalisePhoneNumber('+1 (202) 555-0143')).toBe('+12025550143');
		for (const bad of ['', '0606', '606060606', '06060606060', '+1234567', '+1234567890123456', 'abc', '06 06 06 06 0x', '++33606060606']) {
			expect(normalisePhoneNumber(bad)).toBeUndefined();
		}
	});

	test('a valid signer', () => {
		expect(checkOtpSigner(signer, 0)).toEqual({ firstName: 'John', lastName: 'Doe', phoneNumber: '0606060606', email: 'john.doe@mail.fr' });
	});

	test('errors name the signer and the field', () => {
		expect(() => checkOtpSigner({ ...signer, firstName: '' }, 0)).toThrow("OTP Signer 1: 'First Name' is required");
		expect(() => checkOtpSigner({ ...signer, lastName: undefined }, 1)).toThrow("OTP Signer 2: 'Last Name' is required");
		expect(() => checkOtpSigner({ ...signer, lastName: 'x'.repeat(256) }, 0)).toThrow(
			"OTP Signer 1: 'Last Name' is too long: at most 255 characters, got 256",
		);
		expect(checkOtpSigner({ ...signer, lastName: 'x'.repeat(255) }, 0).lastName).toHaveLength(255);
		expect(() => checkOtpSigner({ ...signer, phoneNumber: '0606' }, 2)).toThrow(
			`OTP Signer 3: 'Phone Number' must be a mobile number of 10 digits starting with 0 or an international number starting with +, got "0606"`,
		);
		expect(() => checkOtpSigner({ ...signer, phoneNumber: null }, 0)).toThrow("OTP Signer 1: 'Phone Number' is required");
		expect(() => checkOtpSigner({ ...signer, email: 'john' }, 0)).toThrow(`OTP Signer 1: 'Email' is not a valid e-mail address: "john"`);
		expect(() => checkOtpSigner({ ...signer, email: '' }, 0)).toThrow("OTP Signer 1: 'Email' is required");
		expect(() => checkOtpSigner({ ...signer, email: 'john' }, 0, 'External Signer')).toThrow(/^External Signer 1: 'Email'/);
	});

	test('metadata entries count OTP steps only, from 0', () => {
		const second = checkOtpSigner({ firstName: 'Élodie', lastName: "D'Arc", phoneNumber: '+33 7 00 00 00 01', email: 'e@x.fr' }, 1);
		const entries = otpMetadataEntries([checkOtpSigner(signer, 0), second]);
		expect(entries).toEqual([
			{ name: 'OTP_firstname_0', value: 'John' },
			{ name: 'OTP_lastname_0', value: 'Doe' },
			{ name: 'OTP_phonenumber_0', value: '0606060606' },
			{ name: 'OTP_email_0', value: 'john.doe@mail.fr' },
			{ name: 'OTP_firstname_1', value: 'Élodie' },
			{ name: 'OTP_lastname_1', value: "D'Arc" },
			{ name: 'OTP_phonenumber_1', value: '+33700000001' },
			{ name: 'OTP_email_1', value: 'e@x.fr' },
		]);
		expect(buildMetaDataListXml(entries)).toContain('<meta-data name="OTP_lastname_1" value="D&apos;Arc"/>');
		expect(otpMetadataEntries([])).toEqual([]);
	});

	test('one signer per OTP step', () => {
		const circuit: OnDemandCircuit = validateCircuit({
			type: 'BUREAUTIQUE_PDF',
			steps: [
				{ step: 'visa', members: 'a@x.fr' },
				{ step: 'OTPSignature', members: [] },
				{ step: 'signature', members: 'b@x.fr' },
				{ step: 'OTPSignature', members: [] },
			],
		});
		const one = checkOtpSigner(signer, 0);
		expect(() => checkSignerCountMatches(circuit, [one, one])).not.toThrow();
		const error = inputErrorOf(() => checkSignerCountMatches(circuit, [one]));
		expect(error.message).toBe('The circuit has 2 OTP Signature steps (steps 2, 4), so it needs 2 OTP signers, got 1');
		expect(error.description).toMatch(/one OTP signer per OTP Signature step/);
		const single = validateCircuit({ type: 'BUREAUTIQUE_PDF', steps: [{ step: 'OTPSignature', members: [] }] });
		expect(() => checkSignerCountMatches(single, [])).toThrow('The circuit has 1 OTP Signature step (step 1), so it needs 1 OTP signer, got 0');
		const none = validateCircuit({ type: 'BUREAUTIQUE_PDF', steps: [{ step: 'signature', members: 'b@x.fr' }] });
		expect(() => checkSignerCountMatches(none, [])).not.toThrow();
		expect(() => checkSignerCountMatches(none, [one])).toThrow('The circuit has no OTP Signature step, so it takes no OTP signer, got 1');
	});
});

describe('metadata', () => {
	test('names required, at most 255 characters, used once; values as text', () => {
		expect(
			checkMetadataEntries([
				{ name: ' TEXT_001 ', value: 'John' },
				{ name: 'NUM_001', value: 45812 },
				{ name: 'FLAG', value: true },
				{ name: 'EMPTY', value: null },
				{ name: 'KEEP', value: '  spaced  ' },
				{ name: 'OBJECT', value: { a: 1 } },
			]),
		).toEqual([
			{ name: 'TEXT_001', value: 'John' },
			{ name: 'NUM_001', value: '45812' },
			{ name: 'FLAG', value: 'true' },
			{ name: 'EMPTY', value: '' },
			{ name: 'KEEP', value: '  spaced  ' },
			{ name: 'OBJECT', value: '{"a":1}' },
		]);
		expect(checkMetadataEntries([])).toEqual([]);
		expect(() => checkMetadataEntries([{ name: 'A', value: '1' }, { name: ' ', value: '2' }])).toThrow("Metadata 2: 'Name' is required");
		expect(() => checkMetadataEntries([{ name: 'x'.repeat(256), value: '' }])).toThrow(
			"Metadata 1: 'Name' is too long: at most 255 characters, got 256",
		);
		expect(() => checkMetadataEntries([{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: ' A', value: '3' }])).toThrow(
			"Metadata 3: the name 'A' is already used by metadata 1",
		);
	});
});

describe('FAST error codes in words', () => {
	it.each([
		[100, 'Unauthorized', /^The certificate's account is not allowed to work in SIREN 213501232, or FAST Parapheur does not know the certificate's account at all \(code 100\)\. Check the SIREN, then ask Docaposte for access\.$/],
		[102, 'No refusal comment', /^FAST Parapheur has no refusal comment for document 320073900 \(code 102\)$/],
		[111, 'Subscriber not found', /^SIREN 213501232 is not a FAST Parapheur subscriber \(code 111\)\. Check the SIREN: it is the 9-digit number of your FAST subscription\.$/],
		[117, 'Invalid circuit type', /^FAST Parapheur refused the circuit type \(code 117\)\. Choose one of the four circuit types/],
		[118, 'Invalid step type: approval', /^FAST Parapheur refused a step type of the circuit \(code 118\): approval\. Use Visa, Signature or OTP Signature steps\.$/],
		[119, 'Invalid step member: x.y@mairie.fr', /^The circuit member x.y@mairie.fr has no FAST account in SIREN 213501232 \(code 119\)\. Check the e-mail, or create the user first/],
		[120, 'Upload doc error', /^FAST Parapheur could not store the document in circuit Délibérations \(code 120\)\. Check the circuit ID and that the circuit accepts this file type/],
		[121, 'Circuit definition error', /^FAST Parapheur refused the circuit definition \(code 121\)\. Every step needs a type and at least one member\.$/],
		[122, 'The agent cannot be a step member', /^The certificate's account \(the depositor\) cannot be a member of the circuit \(code 122\)\. Remove the depositor/],
		[109, 'Something new: odd', /^FAST Parapheur refused to upload the document \(code 109\): Something new: odd$/],
	])('code %i', (errorCode, developerMessage, message) => {
		const error = readFastError({ generation: 1, errorCode, developerMessage, userFriendlyMessage: 'Texte' })!;
		const details = describeFastError(error, { siren: '213501232', documentId: '320073900', circuitId: 'Délibérations', action: 'upload the document' });
		expect(details.message).toMatch(message);
		expect(details.code).toBe(String(errorCode));
		expect(details.description).toContain(`FAST said: Texte — ${developerMessage}`);
	});

	it("keeps FAST's whole reason, colons included, not what follows its first colon", () => {
		const error = readFastError({
			generation: 1,
			errorCode: 902,
			developerMessage: "Unknown parameter 'content' (expected: doc, label, comment, emailDestinataire)",
			userFriendlyMessage: 'Paramètre inconnu',
		})!;
		expect(describeFastError(error, { action: 'upload the document' }).message).toBe(
			"FAST Parapheur refused to upload the document (code 902): Unknown parameter 'content' (expected: doc, label, comment, emailDestinataire)",
		);
		// Bounded: a long reason is cut (the whole text stays in the description).
		const long = readFastError({ errorCode: 903, developerMessage: `Bad request: ${'x'.repeat(2000)}` })!;
		const details = describeFastError(long, { action: 'do this' });
		expect(details.message.length).toBeLessThan(400);
		expect(details.message).toMatch(/^FAST Parapheur refused to do this \(code 903\): Bad request: x+…$/);
		expect(details.description).toContain('x'.repeat(2000));
	});

	it('puts the reason and a short hint in the message itself, which is all an AI agent sees', () => {
		const error = readFastError({ errorCode: 120, developerMessage: 'Upload doc error: the circuit accepts only PDF files, got text/plain' })!;
		const details = describeFastError(error, { circuitId: 'CIRCUIT_PDF' });
		expect(details.message).toBe(
			'FAST Parapheur could not store the document in circuit CIRCUIT_PDF (code 120): the circuit accepts only PDF files, got text/plain. Check the circuit ID and that the circuit accepts this file type (PDF, XML...).',
		);
		// The description does not repeat the message's hint.
		expect(details.description).toBe('FAST said: Upload doc error: the circuit accepts only PDF files, got text/plain');
	});
});
