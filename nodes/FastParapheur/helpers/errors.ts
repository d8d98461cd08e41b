/**
 * FAST Parapheur's errors in words a user can act on. FAST answers errors as
 * `{generation, developerMessage, userFriendlyMessage, errorCode}`, often with HTTP 200 (field
 * notes), so every body is read with `readFastError` whatever its status. Pure functions.
 */
import type { ErrorDetails } from '../../shared/errors';
import { excerpt } from '../../shared/errors';
import { isValidSiren } from '../../shared/validation';
import type { FastUploadForm } from './uploadForm';
import { UPLOAD_FORM_NAMES } from './uploadForm';

export interface FastError {
	errorCode?: number;
	developerMessage?: string;
	userFriendlyMessage?: string;
}

/** What a request was about, for messages. */
export interface FastSubject {
	documentId?: string;
	siren?: string;
	circuitId?: string;
	fileName?: string;
	label?: string;
	/** What the node was doing, e.g. "upload the document". */
	action?: string;
	/** The credential's upload form, for an upload (a refused part name then names the other form). */
	uploadForm?: FastUploadForm;
}

/** A FAST error object in a parsed body, or undefined when the body is not one. */
export function readFastError(body: unknown): FastError | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const record = body as Record<string, unknown>;
	const hasCode = record.errorCode !== undefined && record.errorCode !== null;
	if (!hasCode && typeof record.developerMessage !== 'string') return undefined;
	const code = Number(record.errorCode);
	return {
		errorCode: Number.isFinite(code) ? code : undefined,
		developerMessage: typeof record.developerMessage === 'string' ? record.developerMessage : undefined,
		userFriendlyMessage: typeof record.userFriendlyMessage === 'string' ? record.userFriendlyMessage : undefined,
	};
}

/** Parses a text body as a FAST error when it looks like one. */
export function sniffFastError(text: string): FastError | undefined {
	const trimmed = text.trim();
	if (!trimmed.startsWith('{') || !/errorCode|developerMessage/.test(trimmed)) return undefined;
	try {
		return readFastError(JSON.parse(trimmed));
	} catch {
		return undefined;
	}
}

/**
 * The labels FAST's page gives its error codes ("Codes d'erreurs"). A developer message often
 * reads "<label>: reason" (field notes): the label is what the node's own words already say, the
 * reason after it is kept whole (a colon inside the reason is no end).
 */
const CODE_LABELS: Record<number, string> = {
	100: 'Unauthorized',
	111: 'Subscriber not found',
	117: 'Invalid circuit type',
	118: 'Invalid step type',
	119: 'Invalid step member',
	120: 'Upload doc error',
	121: 'Circuit definition error',
	122: 'The agent cannot be a step member',
};

/** At most this many characters of FAST's reason go into a message (the whole text is in the description). */
const REASON_IN_MESSAGE = 300;

/**
 * FAST's reason, for a message: the developer message (else the user-friendly one) without the
 * code's documented label, whole but bounded; empty when FAST said nothing beyond the label.
 */
export function fastReason(error: FastError): string {
	const text = [error.developerMessage, error.userFriendlyMessage].find((part) => typeof part === 'string' && part.trim() !== '')?.trim() ?? '';
	const label = error.errorCode !== undefined ? CODE_LABELS[error.errorCode] : undefined;
	let reason = text;
	if (label && reason.toLowerCase().startsWith(label.toLowerCase())) {
		const rest = reason.slice(label.length);
		if (rest.trim() === '' || /^\s*[:\-–—]/.test(rest)) reason = rest.replace(/^\s*[:\-–—]\s*/, '');
	}
	return excerpt(reason, REASON_IN_MESSAGE);
}

function vendorText(error: FastError): string {
	const parts = [error.userFriendlyMessage, error.developerMessage].filter(
		(part): part is string => typeof part === 'string' && part.trim() !== '',
	);
	return [...new Set(parts)].join(' — ');
}

const EMAIL_IN_TEXT = /[^\s:;,'"<>()]+@[^\s:;,'"<>()]+\.[A-Za-z]{2,}/;

export function isDuplicateError(error: FastError): boolean {
	return /doublon|duplicate|already exist|existe d[ée]j[àa]/i.test(vendorText(error));
}

export function isInvalidDocumentError(error: FastError): boolean {
	return /invalid doc ?id|document (?:not found|introuvable|inexistant)|no such document/i.test(vendorText(error));
}

/** What the node says of one FAST error. */
interface Meaning {
	/** The node's own words. */
	summary: string;
	/** A short hint, in the message (an AI agent sees only the message). */
	hint?: string;
	/** More than the hint, for the description only. */
	more?: string;
	/** False when the summary already says all FAST's reason says (the reason stays in the description). */
	reason?: boolean;
}

const sentence = (text: string) => (/[.!?…]$/.test(text) ? text : `${text}.`);

/**
 * The message for a FAST error: the node's words, FAST's code, FAST's own reason (whole, bounded)
 * and a short hint, so that the message alone (what the error list and an AI agent get) says what
 * went wrong and what to change; the description adds the longer hint and FAST's texts as given.
 */
export function describeFastError(error: FastError, subject: FastSubject = {}): ErrorDetails {
	const code = error.errorCode;
	const text = vendorText(error);
	const codeText = code !== undefined ? ` (code ${code})` : '';
	const reason = fastReason(error);
	const build = ({ summary, hint, more, reason: withReason = true }: Meaning): ErrorDetails => {
		// A reason the summary already holds (a member's e-mail) is not said twice.
		const shown = withReason && reason !== '' && !summary.toLowerCase().includes(reason.toLowerCase()) ? `: ${reason}` : '';
		const head = `${summary}${codeText}${shown}`;
		return {
			message: hint ? `${sentence(head)} ${hint}` : head,
			description: [more, text ? `FAST said: ${text}` : undefined].filter(Boolean).join(' '),
			code: code !== undefined ? String(code) : undefined,
		};
	};
	return build(meaning(error, subject));
}

function meaning(error: FastError, subject: FastSubject): Meaning {
	const code = error.errorCode;
	const text = vendorText(error);
	const siren = subject.siren ? `SIREN ${subject.siren}` : 'this SIREN';

	if (isDuplicateError(error)) {
		return {
			summary: `FAST Parapheur refused a duplicate: a document with the same circuit${subject.circuitId ? ` (${subject.circuitId})` : ''}, label${subject.label ? ` ('${subject.label}')` : ' (none)'} and file name${subject.fileName ? ` ('${subject.fileName}')` : ''} already exists`,
			hint: 'Give the document another label (folder) or another file name.',
			more: 'The circuit / label / file name triple must be unique in FAST.',
			reason: false,
		};
	}
	if (isInvalidDocumentError(error)) {
		return {
			summary: `FAST Parapheur document ${subject.documentId ?? ''} does not exist`.replace(/\s+/g, ' '),
			hint: 'Check the Document ID (the number returned by the upload); it may have been deleted.',
			reason: false,
		};
	}
	if (subject.uploadForm && (code === 902 || /unknown param|param[eè]tre inconnu|missing param/i.test(text))) {
		// A part name this server does not take (FAST's 902 "Unknown parameter"), or one it misses
		// (the page's mandatory circuit_id): the other upload form is the way out.
		const other: FastUploadForm = subject.uploadForm === 'clients' ? 'apiPage' : 'clients';
		return {
			summary: `FAST Parapheur refused to ${subject.action ?? 'upload the document'}`,
			hint:
				other === 'apiPage'
					? `This server follows FAST's API page: set the credential's Upload Form to '${UPLOAD_FORM_NAMES.apiPage}'${/circuit_id/i.test(text) ? " and give the upload's Circuit" : ''}.`
					: `Set the credential's Upload Form to '${UPLOAD_FORM_NAMES.clients}'.`,
		};
	}
	switch (code) {
		case 100:
			// FAST gives 100 both for an account not allowed in the SIREN and for a certificate whose
			// account it does not know at all: the message names both.
			return {
				summary: `The certificate's account is not allowed to work in ${siren}, or FAST Parapheur does not know the certificate's account at all`,
				hint: 'Check the SIREN, then ask Docaposte for access.',
				more: 'Check the SIREN (the node or the credential default) and ask Docaposte to give the account access to it; if no SIREN works, ask Docaposte to link the certificate to a FAST account.',
			};
		case 102:
			return { summary: `FAST Parapheur has no refusal comment for document ${subject.documentId ?? ''}`.trim(), reason: false };
		case 111: {
			const badCheckDigit = subject.siren !== undefined && /^[0-9]{9}$/.test(subject.siren) && !isValidSiren(subject.siren);
			return {
				summary: `${siren.charAt(0).toUpperCase()}${siren.slice(1)} is not a FAST Parapheur subscriber${badCheckDigit ? ', and its check digit is wrong' : ''}`,
				hint: badCheckDigit
					? 'Check the SIREN for a mistyped digit: its last digit does not match the others (Luhn check). It is the 9-digit number of your FAST subscription.'
					: 'Check the SIREN: it is the 9-digit number of your FAST subscription.',
			};
		}
		case 117:
			return {
				summary: 'FAST Parapheur refused the circuit type',
				hint: 'Choose one of the four circuit types (PDF, XML, Hélios with or without transmission).',
			};
		case 118:
			return { summary: 'FAST Parapheur refused a step type of the circuit', hint: 'Use Visa, Signature or OTP Signature steps.' };
		case 119: {
			const member = EMAIL_IN_TEXT.exec(fastReason(error))?.[0] ?? EMAIL_IN_TEXT.exec(text)?.[0];
			return {
				summary: member ? `The circuit member ${member} has no FAST account in ${siren}` : `A circuit member has no FAST account in ${siren}`,
				hint: 'Check the e-mail, or create the user first (User > Synchronize, or in FAST).',
				more: 'Every Visa and Signature member must be a FAST user of this SIREN.',
			};
		}
		case 120:
			return {
				summary: `FAST Parapheur could not store the document${subject.circuitId ? ` in circuit ${subject.circuitId}` : ''}`,
				hint: 'Check the circuit ID and that the circuit accepts this file type (PDF, XML...).',
			};
		case 121:
			return { summary: 'FAST Parapheur refused the circuit definition', hint: 'Every step needs a type and at least one member.' };
		case 122:
			return {
				summary: "The certificate's account (the depositor) cannot be a member of the circuit",
				hint: 'Remove the depositor from the Visa and Signature steps, or deposit with another account.',
			};
		default:
			return { summary: `FAST Parapheur refused to ${subject.action ?? 'do this'}` };
	}
}
