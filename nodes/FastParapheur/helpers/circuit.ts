/**
 * On-demand circuits (`POST /documents/ondemand/{siren}/upload`), OTP signer details and
 * metadata: checked before anything is sent, so a mistake names the field and the step instead
 * of coming back as FAST's code 117-122.
 */
import type { INodePropertyOptions } from 'n8n-workflow';

import { InputError, isEmail, splitList } from '../../shared/validation';

export type CircuitType =
	| 'BUREAUTIQUE_PDF'
	| 'BUREAUTIQUE_XML'
	| 'HELIOS_AVEC_TELETRANSMISSION'
	| 'HELIOS_SANS_TELETRANSMISSION';

export type StepType = 'visa' | 'signature' | 'OTPSignature';

export interface CircuitStep {
	step: StepType;
	members: string[];
}

/** The `circuit` field of the on-demand upload, sent as a JSON string. */
export interface OnDemandCircuit {
	type: CircuitType;
	steps: CircuitStep[];
}

export const MAX_CIRCUIT_STEPS = 50;

export const CIRCUIT_TYPE_OPTIONS: Array<INodePropertyOptions & { value: CircuitType }> = [
	{
		name: 'PDF (PAdES Signature)',
		value: 'BUREAUTIQUE_PDF',
		description: 'Office documents: the signature is embedded in the PDF (BUREAUTIQUE_PDF)',
	},
	{
		name: 'XML (Detached XAdES Signature)',
		value: 'BUREAUTIQUE_XML',
		description: 'XML documents signed with a separate XAdES signature file (BUREAUTIQUE_XML)',
	},
	{
		name: 'Hélios PES With Transmission to DGFiP',
		value: 'HELIOS_AVEC_TELETRANSMISSION',
		description:
			'PES files signed, then sent to Hélios (DGFiP), which returns an acknowledgement (HELIOS_AVEC_TELETRANSMISSION)',
	},
	{
		name: 'Hélios PES Without Transmission',
		value: 'HELIOS_SANS_TELETRANSMISSION',
		description: 'PES files signed only; you send them to Hélios yourself (HELIOS_SANS_TELETRANSMISSION)',
	},
];

export const STEP_TYPE_OPTIONS: Array<INodePropertyOptions & { value: StepType }> = [
	{
		name: 'Visa',
		value: 'visa',
		description: 'A member approves or rejects the document, without signing it',
	},
	{
		name: 'Signature',
		value: 'signature',
		description: 'A member signs the document with their certificate',
	},
	{
		name: 'OTP Signature',
		value: 'OTPSignature',
		description:
			'A person without a FAST account signs with a code received by SMS; give their details in the OTP signers, one per OTP step',
	},
];

const CIRCUIT_TYPES = CIRCUIT_TYPE_OPTIONS.map((option) => option.value);
const STEP_TYPES = STEP_TYPE_OPTIONS.map((option) => option.value);

/** Upper case with underscores: `bureautique pdf` is `BUREAUTIQUE_PDF`. */
function circuitTypeOf(value: unknown): CircuitType | undefined {
	const key = String(value ?? '')
		.trim()
		.toUpperCase()
		.replace(/[\s-]+/g, '_');
	return CIRCUIT_TYPES.find((type) => type === key);
}

/** Case and spaces do not matter: `Signature`, `OTP Signature`, `otpsignature`. */
function stepTypeOf(value: unknown): StepType | undefined {
	const key = String(value ?? '')
		.trim()
		.toLowerCase()
		.replace(/[\s_-]+/g, '');
	return STEP_TYPES.find((type) => type.toLowerCase() === key);
}

function stepLabel(step: StepType): string {
	return STEP_TYPE_OPTIONS.find((option) => option.value === step)?.name ?? step;
}

/**
 * Checks a circuit built in the node and returns the one FAST takes. Step types and the circuit
 * type are matched without regard to case; members are e-mail addresses, as an array or a list
 * (commas, semicolons, spaces, new lines), each kept once per step.
 *
 * Visa and signature steps need members (an empty step is a circuit definition error, code 121).
 * OTP Signature steps may have none: their signer is an outside person, given by the OTP details
 * sent after the upload (field notes). Neither the API page nor the field notes say what
 * `members` holds for such a step, so it is sent empty, or with the members given, checked.
 *
 * `depositorEmail` is the account of the credential's certificate: FAST refuses it as a member of
 * any step (code 122), so that is caught here when it is known.
 */
export function validateCircuit(
	input: { type: unknown; steps: Array<{ step: unknown; members: unknown }> },
	options: { depositorEmail?: string } = {},
): OnDemandCircuit {
	const type = circuitTypeOf(input.type);
	if (!type) {
		throw new InputError(
			`'Circuit Type' must be one of ${CIRCUIT_TYPES.join(', ')}, got ${JSON.stringify(
				String(input.type ?? ''),
			)}`,
			CIRCUIT_TYPE_OPTIONS.map((option) => `${option.value}: ${option.name}`).join('; '),
		);
	}
	const rawSteps = Array.isArray(input.steps) ? input.steps : [];
	if (rawSteps.length === 0) {
		throw new InputError(
			"The circuit has no steps: add at least one step under 'Steps'",
			'Each step is a visa, a signature or an OTP signature, with the e-mail addresses of its members.',
		);
	}
	if (rawSteps.length > MAX_CIRCUIT_STEPS) {
		throw new InputError(
			`The circuit has too many steps: at most ${MAX_CIRCUIT_STEPS}, got ${rawSteps.length}`,
		);
	}
	const depositor = options.depositorEmail?.trim().toLowerCase();
	const steps = rawSteps.map((raw, index): CircuitStep => {
		const number = index + 1;
		const step = stepTypeOf(raw?.step);
		if (!step) {
			throw new InputError(
				`Step ${number}: 'Step Type' must be one of ${STEP_TYPES.join(', ')}, got ${JSON.stringify(
					String(raw?.step ?? ''),
				)}`,
			);
		}
		const members: string[] = [];
		const seen = new Set<string>();
		for (const member of splitList(raw?.members)) {
			if (!isEmail(member)) {
				throw new InputError(
					`Step ${number}: '${member}' is not a valid e-mail address`,
					'Members are the e-mail addresses of FAST accounts, separated by commas.',
				);
			}
			const key = member.toLowerCase();
			if (seen.has(key)) continue;
			seen.add(key);
			if (depositor && key === depositor) {
				throw new InputError(
					`The depositor ${member} (the account of the credential's certificate) cannot be a member of step ${number}: FAST refuses it (code 122)`,
					'Remove this address from the step, or deposit with the certificate of another account.',
				);
			}
			members.push(member);
		}
		if (members.length === 0 && step !== 'OTPSignature') {
			throw new InputError(
				`Step ${number} ('${stepLabel(step)}'): add at least one member`,
				'Give the e-mail address of at least one FAST account; any one member of a step can act on it.',
			);
		}
		return { step, members };
	});
	return { type, steps };
}

/** How many OTP signature steps a circuit has: OTP details are indexed over these only. */
export function otpStepCount(circuit: OnDemandCircuit): number {
	return circuit.steps.filter((step) => step.step === 'OTPSignature').length;
}

/**
 * The circuit as sent: an OTP Signature step given without members gets its signer's e-mail (the
 * n-th OTP signer for the n-th OTP step), since FAST refuses a step without members (code 121).
 */
export function withOtpMembers(circuit: OnDemandCircuit, signers: readonly OtpSigner[]): OnDemandCircuit {
	let otpIndex = 0;
	return {
		type: circuit.type,
		steps: circuit.steps.map((step) => {
			if (step.step !== 'OTPSignature') return step;
			const signer = signers[otpIndex++];
			return step.members.length > 0 || !signer ? step : { step: step.step, members: [signer.email] };
		}),
	};
}

/** The person who signs an OTP step, as FAST's `OTP_*_<index>` metadata describe them. */
export interface OtpSigner {
	firstName: string;
	lastName: string;
	phoneNumber: string;
	email: string;
}

/** A required text of at most `max` characters; errors start with `prefix` ("OTP Signer 1: ..."). */
function requiredText(value: unknown, prefix: string, field: string, max = 255): string {
	const text = value === undefined || value === null ? '' : String(value).trim();
	if (text === '') throw new InputError(`${prefix}: '${field}' is required`);
	if (text.length > max) {
		throw new InputError(
			`${prefix}: '${field}' is too long: at most ${max} characters, got ${text.length}`,
		);
	}
	return text;
}

/**
 * A mobile phone number as FAST's SMS gateway takes it: French (`06 06 06 06 06`, 10 digits from
 * a 0) or international (`+33 6 06 06 06 06`, `0033 6...`, `+33 (0)6 ...`: a + and 8 to 15
 * digits). Spaces, dots, dashes and brackets are removed; undefined when it is neither.
 */
export function normalisePhoneNumber(value: string): string | undefined {
	let text = value.trim().replace(/\(0\)/g, '');
	text = text.replace(/[\s\u00a0\u202f.\-()/]+/g, '');
	if (text.startsWith('00')) text = `+${text.slice(2)}`;
	if (/^0[0-9]{9}$/.test(text) || /^\+[0-9]{8,15}$/.test(text)) return text;
	return undefined;
}

/**
 * Checks the details of the signer of the OTP step at `index` (0 for the first OTP step);
 * messages count from 1: "OTP Signer 1: 'Phone Number' ...".
 */
export function checkOtpSigner(
	signer: { firstName?: unknown; lastName?: unknown; phoneNumber?: unknown; email?: unknown },
	index: number,
	field = 'OTP Signer',
): OtpSigner {
	const prefix = `${field} ${index + 1}`;
	const firstName = requiredText(signer?.firstName, prefix, 'First Name');
	const lastName = requiredText(signer?.lastName, prefix, 'Last Name');
	const phoneText = requiredText(signer?.phoneNumber, prefix, 'Phone Number');
	const phoneNumber = normalisePhoneNumber(phoneText);
	if (!phoneNumber) {
		throw new InputError(
			`${prefix}: 'Phone Number' must be a mobile number of 10 digits starting with 0 or an international number starting with +, got ${JSON.stringify(phoneText)}`,
			'For example 06 12 34 56 78 or +33 6 12 34 56 78; FAST sends the signing code to it by SMS.',
		);
	}
	const email = requiredText(signer?.email, prefix, 'Email', 254);
	if (!isEmail(email)) {
		throw new InputError(
			`${prefix}: 'Email' is not a valid e-mail address: ${JSON.stringify(email)}`,
			'Use the form name@domain.tld, without spaces or display name.',
		);
	}
	return { firstName, lastName, phoneNumber, email };
}

/**
 * The OTP details as FAST's metadata: `OTP_firstname_<i>`, `OTP_lastname_<i>`,
 * `OTP_phonenumber_<i>`, `OTP_email_<i>`, where i counts the OTP steps only, from 0 (API page
 * and field notes).
 */
export function otpMetadataEntries(signers: OtpSigner[]): Array<{ name: string; value: string }> {
	return signers.flatMap((signer, index) => [
		{ name: `OTP_firstname_${index}`, value: signer.firstName },
		{ name: `OTP_lastname_${index}`, value: signer.lastName },
		{ name: `OTP_phonenumber_${index}`, value: signer.phoneNumber },
		{ name: `OTP_email_${index}`, value: signer.email },
	]);
}

/**
 * One OTP signer per OTP step, in the order of the steps. A circuit without OTP steps takes no
 * signer: FAST would have no step to give the details to.
 */
export function checkSignerCountMatches(circuit: OnDemandCircuit, signers: readonly OtpSigner[]): void {
	const otpSteps = circuit.steps
		.map((step, index) => (step.step === 'OTPSignature' ? index + 1 : 0))
		.filter((number) => number > 0);
	if (otpSteps.length === signers.length) return;
	if (otpSteps.length === 0) {
		throw new InputError(
			`The circuit has no OTP Signature step, so it takes no OTP signer, got ${signers.length}`,
			'Remove the OTP signers, or add an OTP Signature step for each of them.',
		);
	}
	const steps = otpSteps.length === 1 ? `step ${otpSteps[0]}` : `steps ${otpSteps.join(', ')}`;
	throw new InputError(
		`The circuit has ${otpSteps.length} OTP Signature step${otpSteps.length === 1 ? '' : 's'} (${steps}), so it needs ${otpSteps.length} OTP signer${otpSteps.length === 1 ? '' : 's'}, got ${signers.length}`,
		'Give one OTP signer per OTP Signature step, in the order of the steps.',
	);
}

/**
 * Metadata given as name/value pairs: names are required, at most 255 characters and used once;
 * values are text (numbers and booleans written as text, missing values empty).
 */
export function checkMetadataEntries(
	entries: Array<{ name: unknown; value: unknown }>,
): Array<{ name: string; value: string }> {
	const firstIndexByName = new Map<string, number>();
	return entries.map((entry, index) => {
		const prefix = `Metadata ${index + 1}`;
		const name = requiredText(entry?.name, prefix, 'Name');
		const first = firstIndexByName.get(name);
		if (first !== undefined) {
			throw new InputError(
				`${prefix}: the name '${name}' is already used by metadata ${first + 1}`,
				'Each metadata name can be given once.',
			);
		}
		firstIndexByName.set(name, index);
		const raw = entry?.value;
		const value =
			raw === undefined || raw === null
				? ''
				: typeof raw === 'object'
					? JSON.stringify(raw)
					: String(raw);
		return { name, value };
	});
}
