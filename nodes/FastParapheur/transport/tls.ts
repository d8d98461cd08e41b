/**
 * The TLS side of FAST Parapheur: the client certificate from the credential (PKCS#12 or PEM),
 * the CAs to trust, and what a failed handshake means in words.
 *
 * Why the node opens TLS connections itself: n8n's `httpRequest` helper ignores client
 * certificates before n8n 2.20 (only the deprecated `request` helper passes them), and a ready-made
 * agent is ignored on every line. Node's own `https.request` with `pfx` or `cert`/`key` works on
 * n8n 1.x and 2.x alike, streams both ways, and is used for every FAST call.
 */
import { secretVariants } from '../../shared/redaction';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { SecureContextOptions } from 'node:tls';
import { createSecureContext, rootCertificates } from 'node:tls';

import type { ErrorDetails } from '../../shared/errors';
import { InputError } from '../../shared/validation';

export interface FastCredentials {
	host: string;
	siren?: string;
	accountEmail?: string;
	certificateFormat?: 'pkcs12' | 'pem';
	pfx?: string;
	pfxPassword?: string;
	certificate?: string;
	privateKey?: string;
	privateKeyPassphrase?: string;
	caCertificates?: string;
	ignoreTlsErrors?: boolean;
	/** 'clients' (default, also for credentials saved without it) or 'apiPage': see helpers/uploadForm.ts. */
	uploadForm?: string;
}

export interface ClientTls {
	options: SecureContextOptions & { rejectUnauthorized: boolean };
	/** Expiry of the client certificate (PEM, or read from the PKCS#12), for messages. */
	notAfter?: Date;
	/** The e-mail in the certificate's subject, when there is one (PEM). */
	subjectEmail?: string;
}

/** Every value of the credential that must never appear in output, errors or logs. */
export function credentialSecrets(credentials: FastCredentials): string[] {
	const values = [credentials.pfx, credentials.pfxPassword, credentials.privateKey, credentials.privateKeyPassphrase].map((value) =>
		String(value ?? '').trim(),
	);
	// A pasted PKCS#12 may be wrapped over lines: hide it without its line breaks too.
	const pfx = String(credentials.pfx ?? '').replace(/\s+/g, '');
	return secretVariants([...values, pfx]);
}

const CREDENTIAL_HINT = 'Fix it in the FAST Parapheur credential.';

function pemBlocks(text: string, label: RegExp): string[] {
	const pattern = new RegExp(`-----BEGIN (${label.source})-----[\\s\\S]+?-----END \\1-----`, 'g');
	return text.match(pattern) ?? [];
}

function decodeBase64File(text: string): Buffer {
	// People paste base64 with line breaks, or a data URL.
	const cleaned = text.replace(/^data:[^,]*,/, '').replace(/\s+/g, '');
	if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(cleaned)) {
		throw new InputError(
			"The 'Certificate File (Base64)' in the credential is not base64 text",
			`Paste the .p12/.pfx file encoded in base64 (e.g. base64 -w0 certificate.p12). ${CREDENTIAL_HINT}`,
		);
	}
	return Buffer.from(cleaned, 'base64');
}

/** What Node's TLS layer says about unreadable certificate material, in words. */
export function describeCertificateMaterialError(error: Error, format: 'pkcs12' | 'pem'): InputError {
	const text = `${(error as { code?: string }).code ?? ''} ${error.message}`;
	if (/mac verify failure|bad decrypt|wrong password|bad password|BAD_DECRYPT|interrupted or cancelled/i.test(text)) {
		return new InputError(
			format === 'pkcs12'
				? 'The certificate password is wrong: the .p12/.pfx file could not be opened with it'
				: 'The private key passphrase is wrong: the encrypted private key could not be opened with it',
			`Check the password that came with the certificate. ${CREDENTIAL_HINT}`,
		);
	}
	if (/unsupported|RC2|algorithm|digital envelope routines/i.test(text) && format === 'pkcs12') {
		return new InputError(
			'The .p12/.pfx file uses an old encryption that this version of Node.js cannot read',
			'Convert it once: openssl pkcs12 -legacy -in old.p12 -nodes -out all.pem, then use the PEM format in the credential (or re-export the .p12 with AES).',
		);
	}
	if (/key values mismatch|KEY_VALUES_MISMATCH/i.test(text)) {
		return new InputError(
			'The private key does not belong to the certificate',
			`Paste the private key that was generated with this certificate. ${CREDENTIAL_HINT}`,
		);
	}
	if (format === 'pkcs12') {
		return new InputError(
			'The certificate file is not a readable PKCS#12 (.p12/.pfx) file',
			`Paste the whole file in base64, or choose the PEM format if you have PEM text. ${CREDENTIAL_HINT}`,
		);
	}
	return new InputError(
		`The PEM certificate or private key could not be read (${error.message})`,
		`Paste the blocks including their -----BEGIN ...----- and -----END ...----- lines. ${CREDENTIAL_HINT}`,
	);
}

function subjectEmailOf(certificate: X509Certificate): string | undefined {
	return /(?:emailAddress|E)=([^\s,\n/]+@[^\s,\n/]+)/i.exec(certificate.subject)?.[1];
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/** An expired client certificate is refused before anything is sent. */
function checkValidity(certificate: X509Certificate, now: Date): void {
	const notAfter = new Date(certificate.validTo);
	if (Number.isFinite(notAfter.getTime()) && notAfter.getTime() < now.getTime()) {
		throw new InputError(
			`The client certificate expired on ${day(notAfter)}`,
			'Ask Docaposte for a new certificate and put it in the FAST Parapheur credential.',
		);
	}
}

/**
 * Builds and checks the TLS options of the credential. Throws an InputError with a plain message
 * for a wrong password, a key that does not match, unreadable material or an expired
 * certificate, before anything is sent.
 */
export function buildClientTls(credentials: FastCredentials, now = new Date()): ClientTls {
	const format = credentials.certificateFormat === 'pem' ? 'pem' : 'pkcs12';
	const options: ClientTls['options'] = { rejectUnauthorized: credentials.ignoreTlsErrors !== true };
	let notAfter: Date | undefined;
	let subjectEmail: string | undefined;

	if (format === 'pkcs12') {
		const pfxText = String(credentials.pfx ?? '').trim();
		if (!pfxText) {
			throw new InputError("The credential has no certificate: 'Certificate File (Base64)' is empty", CREDENTIAL_HINT);
		}
		options.pfx = decodeBase64File(pfxText);
		options.passphrase = String(credentials.pfxPassword ?? '');
		// Node's crypto cannot read a PKCS#12 file, but a secure context made from it hands back
		// the client certificate it loaded (DER), whose dates are then checked as for PEM.
		let leaf: X509Certificate | undefined;
		try {
			const der = (createSecureContext(options).context as { getCertificate?: () => Buffer | null }).getCertificate?.();
			leaf = der ? new X509Certificate(der) : undefined;
		} catch (error) {
			throw describeCertificateMaterialError(error as Error, 'pkcs12');
		}
		if (leaf) {
			// Its subject e-mail is not taken as the depositor's: the PEM format alone does that.
			notAfter = new Date(leaf.validTo);
			checkValidity(leaf, now);
		}
	} else {
		const certificate = String(credentials.certificate ?? '');
		const key = String(credentials.privateKey ?? '');
		const certificates = pemBlocks(certificate, /CERTIFICATE/);
		if (certificates.length === 0) {
			throw new InputError(
				"The 'Certificate (PEM)' in the credential holds no -----BEGIN CERTIFICATE----- block",
				CREDENTIAL_HINT,
			);
		}
		const keys = pemBlocks(key, /(?:RSA |EC |ENCRYPTED )?PRIVATE KEY/);
		if (keys.length === 0) {
			throw new InputError(
				"The 'Private Key (PEM)' in the credential holds no -----BEGIN PRIVATE KEY----- block",
				CREDENTIAL_HINT,
			);
		}
		const passphrase = String(credentials.privateKeyPassphrase ?? '');
		if (/ENCRYPTED/.test(keys[0]) && !passphrase) {
			throw new InputError(
				'The private key is encrypted but the credential has no passphrase',
				`Fill in 'Private Key Passphrase'. ${CREDENTIAL_HINT}`,
			);
		}
		try {
			createPrivateKey({ key: keys[0], passphrase: passphrase || undefined });
		} catch (error) {
			throw describeCertificateMaterialError(error as Error, 'pem');
		}
		options.cert = certificates.join('\n');
		options.key = keys[0];
		if (passphrase) options.passphrase = passphrase;
		let leaf: X509Certificate;
		try {
			leaf = new X509Certificate(certificates[0]);
		} catch (error) {
			throw describeCertificateMaterialError(error as Error, 'pem');
		}
		notAfter = new Date(leaf.validTo);
		subjectEmail = subjectEmailOf(leaf);
		checkValidity(leaf, now);
	}

	const extraCa = pemBlocks(String(credentials.caCertificates ?? ''), /CERTIFICATE/);
	if (String(credentials.caCertificates ?? '').trim() && extraCa.length === 0) {
		throw new InputError(
			"The 'CA Certificates (PEM)' in the credential hold no -----BEGIN CERTIFICATE----- block",
			CREDENTIAL_HINT,
		);
	}
	// Setting `ca` replaces Node's trust store: keep the public roots beside the extra CAs.
	if (extraCa.length > 0) options.ca = [...rootCertificates, ...extraCa];

	try {
		createSecureContext(options);
	} catch (error) {
		throw describeCertificateMaterialError(error as Error, format);
	}
	return { options, notAfter, subjectEmail };
}

/** Texts of the TLS alerts a server sends when it refuses the client certificate. */
const CLIENT_CERTIFICATE_REFUSALS: Array<[RegExp, (notAfter?: Date) => ErrorDetails]> = [
	[
		/certificate required|CERTIFICATE_REQUIRED|handshake failure|no required ssl certificate|no certificate/i,
		() => ({
			message: 'FAST Parapheur asked for a client certificate and did not get one it accepts',
			description:
				'Check that the credential holds the certificate Docaposte issued for the API (not the server certificate, not a signing certificate).',
		}),
	],
	[
		/certificate expired|CERTIFICATE_EXPIRED/i,
		(notAfter) => ({
			message: `FAST Parapheur refused the client certificate: it has expired${notAfter ? ` (on ${notAfter.toISOString().slice(0, 10)})` : ''}`,
			description: 'Ask Docaposte for a new certificate and put it in the FAST Parapheur credential.',
		}),
	],
	[
		/unknown ca|UNKNOWN_CA|bad certificate|BAD_CERTIFICATE|certificate unknown|CERTIFICATE_UNKNOWN|unsupported certificate|certificate revoked|access denied|ssl certificate error/i,
		() => ({
			message: 'FAST Parapheur refused the client certificate: it does not know it (unknown, revoked or from another authority)',
			description:
				'Use the certificate Docaposte issued for this FAST server (demo, integration and production certificates differ), and check that it is registered for your SIREN.',
		}),
	],
];

/** Codes Node gives when the server's own certificate cannot be verified. */
const SERVER_CERTIFICATE_CODES =
	/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT|CERT_UNTRUSTED|CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID|CERT_NOT_YET_VALID|CERT_SIGNATURE_FAILURE/;

/**
 * What a connection failure means. Returns undefined for failures that are not about TLS (the
 * caller describes those).
 */
export function describeTlsFailure(error: Error & { code?: string }, notAfter?: Date): ErrorDetails | undefined {
	const text = `${error.code ?? ''} ${error.message ?? ''}`;
	if (SERVER_CERTIFICATE_CODES.test(text)) {
		const hostMismatch = /ALTNAME/.test(text);
		return {
			message: hostMismatch
				? "The FAST Parapheur server's certificate does not match its host name"
				: "The FAST Parapheur server's certificate is not trusted",
			description: hostMismatch
				? 'Check the host in the credential: use the name the server certificate was issued for.'
				: "Its certificate authority is not known to n8n. Paste that authority in 'CA Certificates (PEM)' in the credential (or install it on the n8n host with NODE_EXTRA_CA_CERTS). Only for a test server: turn on 'Ignore TLS Certificate Errors'.",
			code: error.code,
		};
	}
	for (const [pattern, describe] of CLIENT_CERTIFICATE_REFUSALS) {
		if (pattern.test(text)) return { ...describe(notAfter), code: error.code };
	}
	return undefined;
}
