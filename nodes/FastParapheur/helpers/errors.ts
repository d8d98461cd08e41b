/**
 * FAST Parapheur's errors in words a user can act on. FAST answers errors as
 * `{generation, developerMessage, userFriendlyMessage, errorCode}`, often with HTTP 200 (field
 * notes), so every body is read with `readFastError` whatever its status. Pure functions.
 */
import type { ErrorDetails } from '../../shared/errors';
import { isValidSiren } from '../../shared/validation';

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

/** `"Invalid step member: x@y.fr"` -> `x@y.fr`; developer messages often read "<prefix>: text". */
function afterPrefix(message: string | undefined): string {
	if (!message) return '';
	const colon = message.indexOf(':');
	return colon >= 0 ? message.slice(colon + 1).trim() : message.trim();
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

/** The message for a FAST error, with the vendor's own text and code. */
export function describeFastError(error: FastError, subject: FastSubject = {}): ErrorDetails {
	const code = error.errorCode;
	const text = vendorText(error);
	const codeText = code !== undefined ? ` (code ${code})` : '';
	const withCode = (message: string, description?: string): ErrorDetails => ({
		message: `${message}${codeText}`,
		description: [description, text ? `FAST said: ${text}` : undefined].filter(Boolean).join(' '),
		code: code !== undefined ? String(code) : undefined,
	});
	const siren = subject.siren ? `SIREN ${subject.siren}` : 'this SIREN';

	if (isDuplicateError(error)) {
		return withCode(
			`FAST Parapheur refused a duplicate: a document with the same circuit${subject.circuitId ? ` (${subject.circuitId})` : ''}, label${subject.label ? ` ('${subject.label}')` : ' (none)'} and file name${subject.fileName ? ` ('${subject.fileName}')` : ''} already exists`,
			'The circuit / label / file name triple must be unique: give the document another label (folder) or another file name.',
		);
	}
	if (isInvalidDocumentError(error)) {
		return withCode(
			`FAST Parapheur document ${subject.documentId ?? ''} does not exist`.replace(/\s+/g, ' '),
			'Check the Document ID (the number returned by the upload). It may have been deleted.',
		);
	}
	switch (code) {
		case 100:
			// FAST gives 100 both for an account not allowed in the SIREN and for a certificate whose
			// account it does not know at all: the message names both.
			return withCode(
				`The certificate's account is not allowed to work in ${siren}, or FAST Parapheur does not know the certificate's account at all`,
				'Check the SIREN (the node or the credential default) and ask Docaposte to give the account access to it; if no SIREN works, ask Docaposte to link the certificate to a FAST account.',
			);
		case 102:
			return withCode(`FAST Parapheur has no refusal comment for document ${subject.documentId ?? ''}`.trim());
		case 111: {
			const badCheckDigit = subject.siren !== undefined && /^[0-9]{9}$/.test(subject.siren) && !isValidSiren(subject.siren);
			return withCode(
				`${siren.charAt(0).toUpperCase()}${siren.slice(1)} is not a FAST Parapheur subscriber${badCheckDigit ? ', and its check digit is wrong' : ''}`,
				badCheckDigit
					? 'Check the SIREN for a mistyped digit: its last digit does not match the others (Luhn check). It is the 9-digit number of your FAST subscription.'
					: 'Check the SIREN: it is the 9-digit number of your FAST subscription.',
			);
		}
		case 117:
			return withCode(
				'FAST Parapheur refused the circuit type',
				'Choose one of the four circuit types (PDF, XML, Hélios with or without transmission).',
			);
		case 118:
			return withCode('FAST Parapheur refused a step type of the circuit', 'Use Visa, Signature or OTP Signature steps.');
		case 119: {
			const member = EMAIL_IN_TEXT.exec(afterPrefix(error.developerMessage))?.[0] ?? EMAIL_IN_TEXT.exec(text)?.[0];
			return withCode(
				member
					? `The circuit member ${member} has no FAST account in ${siren}`
					: `A circuit member has no FAST account in ${siren}`,
				'Every Visa and Signature member must be a FAST user of this SIREN: check the e-mail, or create the user first (User > Synchronize, or in FAST).',
			);
		}
		case 120:
			return withCode(
				`FAST Parapheur could not store the document${subject.circuitId ? ` in circuit ${subject.circuitId}` : ''}`,
				'Check the circuit ID and that the circuit accepts this file type (PDF, XML...).',
			);
		case 121:
			return withCode(
				'FAST Parapheur refused the circuit definition',
				'Every step needs a type and at least one member.',
			);
		case 122:
			return withCode(
				"The certificate's account (the depositor) cannot be a member of the circuit",
				'Remove the depositor from the Visa and Signature steps, or deposit with another account.',
			);
		default:
			return withCode(
				`FAST Parapheur refused to ${subject.action ?? 'do this'}${text ? `: ${afterPrefix(error.developerMessage) || text}` : ''}`,
			);
	}
}
