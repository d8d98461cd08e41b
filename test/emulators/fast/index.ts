/**
 * FAST Parapheur (Docaposte) REST API emulator.
 *
 * Follows /work/shared/api-docs/fast-parapheur-rest.txt and the "FAST Parapheur" field notes. HTTPS on
 * 127.0.0.1 with a real TLS client-certificate check against the test PKI (./pki.ts).
 *
 * ─── Start / stop ────────────────────────────────────────────────────────────────────────────────
 *   const fast = await startFastEmulator(options?);   // listening; await fast.close() when done
 *   new FastEmulator(options?) + await fast.start(port?) is the same in two steps.
 *
 * ─── FastEmulatorOptions (all optional) ─────────────────────────────────────────────────────────
 *   seed: FastSeed                 default FAST_SAMPLE (./sample.ts); copied, never mutated.
 *                                  { subscribers: FastSubscriber[], documents?: FastDocumentSeed[],
 *                                    remaining?: Array<{ kind, siren, id?, xml? }> }
 *   port: number                   default random.
 *   clientCertCheck: 'tls'|'http'  default 'tls': requestCert + rejectUnauthorized + ca [test CA], a
 *                                  missing, other-CA or expired certificate fails the TLS handshake.
 *                                  'http': the handshake accepts any certificate (or none) and an
 *                                  unverified one gets HTTP 403 text/html (as an Apache front would).
 *   errorsWithHttpStatus: boolean  default false: FAST business errors come with HTTP 200 (field
 *                                  notes). true: 404 for codes 101 and 111, 400 for the others.
 *                                  Mutable later: fast.errorsWithHttpStatus = true.
 *   autoAdvanceMs: number          default undefined (off). Each uploaded document moves one state
 *                                  along its natural path whenever autoAdvanceMs has passed since its
 *                                  last history entry, evaluated lazily when read (no timers; the new
 *                                  entry is dated last + autoAdvanceMs). Mutable later.
 *   now: () => number              clock in epoch ms (default Date.now): history dates, `generation`,
 *                                  auto-advance.
 *   delayAllMs: number             latency before every request (mutable: fast.server.delayAllMs).
 *   keepLargeUploads: boolean      default true: uploaded files > 16 MB are written to a temp file
 *                                  (deleted by close()/removeDocument) so they download intact.
 *                                  false: they are only hashed, and download as synthetic bytes.
 *   firstDocumentId: number        default 320073900: ids are handed out from there, as strings.
 *   followApiPage: boolean         default false: multipart names as FAST's clients send them are
 *                                  taken (field notes), the page's too. true: strict, as the API page
 *                                  says: only the page's part names are taken on each multipart route
 *                                  (any other, e.g. `content` or `email_cc`, => 902 "Unknown parameter
 *                                  '<name>' (expected: <the page's names>)"), and the on-demand
 *                                  upload needs `circuit_id`, a circuit of the SIREN (missing => 120
 *                                  "Upload doc error: missing parameter 'circuit_id'"; unknown => 120).
 *                                  Mutable later: fast.followApiPage = true.
 *
 * ─── Properties and methods ─────────────────────────────────────────────────────────────────────
 *   url: string                    https://127.0.0.1:<port> — the HOST url (what users type).
 *   apiUrl: string                 url + FAST_API_PREFIX ('/parapheur-ws/rest/v1').
 *   pki: TestPki                   certificates (getTestPki()); DEPOSITOR_EMAIL is the account.
 *   server: EmulatorServer         log, requests(method?, path?), clearLog(), delayAllMs.
 *   log: LoggedRequest[]           every request; multipart ones have `parts: LoggedPart[]`
 *                                  ({ name, fileName?, contentType?, size, sha256, text? }, in order;
 *                                  `text` for fields and for file parts <= 1 MB; a part cut short by
 *                                  a client that went away has its partial size and sha256 ''),
 *                                  and `tls` ({ authorized, authorizationError?, peerCertificate? }).
 *   documents: Map<string, FastDocument>   raw state (no auto-advance applied). FastDocument: { id,
 *        siren, kind: 'static'|'onDemand'|'otp', circuitId?, circuit? (on-demand, parsed),
 *        circuitType, label?, comment?, fileName, contentType, size, sha256? (undefined when
 *        synthetic), content?: Buffer (<= 16 MB), contentPath? (larger), recipients[], cc[],
 *        agents[], annexes: [{ fileName, contentType, size, sha256 }], metadata: Record<string,
 *        string>, otpSigners: [{ index, firstname?, lastname?, phonenumber?, email?, other }],
 *        referer?, otpUrl?, history: [{ userFullname, date, stateName }], refusal?, depositor
 *        (certificate e-mail), acknowledgement? (XML), autoAdvance, pathPosition }.
 *   document(id): FastDocument | undefined applies auto-advance first.
 *   naturalPath(document): string[]  the states auto-advance walks (see the end of this comment).
 *   seedDocument(seed: FastDocumentSeed): string   the id. seed = { id?, siren? (first subscriber),
 *        circuitId?, circuit? (on-demand JSON), kind?, label?, comment?, fileName?, contentType?,
 *        content?: string | Buffer, size? (without content: synthetic bytes of that size, streamed
 *        on download), states?: Array<string | { stateName, userFullname?, date? }> (default
 *        ['Préparé']), refusal?, recipients?, cc?, agents?, metadata?, otpSigners?, acknowledgement?,
 *        autoAdvance? (default false for seeded documents, true for uploaded ones) }.
 *   advance(id, stateName, userFullname = 'parapheur parapheur'): FastHistoryEntry  appends a state
 *        dated now(). A state off the natural path (e.g. 'Refusé') stops auto-advance. Reaching
 *        'Acquittement Hélios' (or 'Acquittance Hélios') creates the acknowledgement and makes it
 *        remaining for the SIREN.
 *   setRefusalMessage(id, text)    the text GET .../comments/refusal returns.
 *   addRemaining(kind: 'ack'|'pesRetour'|'chorus', siren, id?, xml?): string  the id (new one
 *        when omitted); xml defaults to a small UTF-8 stub; a string is sent as UTF-8, bytes
 *        (e.g. an ISO-8859-1 PES Retour) are sent as they are, with no charset in the header.
 *   remaining(kind, siren): string[]   ids not yet downloaded (auto-advance applied first).
 *   users(siren): FastUser[]       live array ([] for an unknown SIREN).
 *   subscribers: Map<string, FastSubscriber>
 *   removeDocument(id): boolean
 *   webUrl(id): string             url + '/parapheur/showDoc.action?documentid=' + id
 *   injectFault(fault, count = 1), clearFaults()          see ../shared/server.ts
 *   errorIn200(errorCode, developerMessage, userFriendlyMessage?, count = 1)  next request(s)
 *        answer HTTP 200 with a FAST error JSON.
 *   errorsWithHttpStatus, autoAdvanceMs, now, followApiPage: mutable fields.
 *   knownAccounts?: string[]       undefined (default): FAST knows every certificate account. A list:
 *                                  any other account gets HTTP 401 + error 100 on every call.
 * Also exported: FAST_API_PREFIX, FAST_ERRORS (codes and messages), FAST_CIRCUIT_TYPES,
 *   DEPOSITOR_EMAIL, getTestPki, syntheticContent(size): Readable, syntheticSha256(size): string,
 *   minimalPdf(lines): Buffer, and the types. ./sample.ts exports FAST_SAMPLE, SAMPLE_SIREN
 *   ('213501232'), FOREIGN_SIREN ('216901231': exists, certificate not allowed => 100),
 *   UNKNOWN_SIREN ('217500560' => 111), SAMPLE_CIRCUITS, SAMPLE_USERS, SAMPLE_DOCUMENTS.
 *   Uploads get ids from 320073904 on with FAST_SAMPLE (320073900-903 are its documents).
 *
 * ─── Routes (prefix /parapheur-ws/rest/v1 unless marked HOST) ──────────────────────────────────
 *   Errors: JSON { generation, developerMessage, userFriendlyMessage, errorCode } (HTTP 200 unless
 *   errorsWithHttpStatus). Every SIREN-bound call checks the SIREN: unknown => 111, not one the
 *   certificate's account (its emailAddress) may deposit in => 100. Document calls: unknown or
 *   deleted id => 101 "Internal error: Invalid docId"; document of another SIREN => 100.
 *   Multipart bodies are streamed through busboy (never buffered whole).
 *   POST /documents/v2/:siren/:circuitId/upload       file part `content` (or `doc`; only `doc` when
 *        followApiPage), fields `label`, `comment`, `emailDestinataire` => 200 text/plain bare id,
 *        e.g. `320073904`.
 *        Unknown circuit, missing file, > 255 chars, format refused, duplicate (same circuit + label +
 *        file name as a live document) => 120.
 *   POST /documents/ondemand/:siren/upload            file part `doc` (or `content`), text field
 *        `circuit` (JSON string), repeated file part `annexes`, `comment`, `email_destinataire`,
 *        `email_cc` (or `email_CC`), `agents`, optional `circuit_id` (kept as the document's
 *        circuitId; required and checked when followApiPage) => bare id. Checks in this order:
 *        902 and `circuit_id` (followApiPage only), 120 (no file),
 *        121 (circuit missing / not JSON / no steps / a step without members), 117 (type not one of
 *        BUREAUTIQUE_PDF, BUREAUTIQUE_XML, HELIOS_AVEC_TELETRANSMISSION,
 *        HELIOS_SANS_TELETRANSMISSION), 118 (step not visa / signature / OTPSignature, any case),
 *        122 (the depositor is a visa/signature member), 119 (a visa/signature member is not a user
 *        of the SIREN; OTPSignature members are free), 120 (> 255 chars).
 *   POST /documents/v2/otp/:siren/:circuitId/upload   parts `doc` (or `content`, not when
 *        followApiPage), `meta` (XML
 *        meta-data-list, file or field), `label`, `comment`, `referer` => JSON { id: number,
 *        url: '<url>/boucle-sms/documentView?id=<opaque>' }. History: Préparé, Informations OTP
 *        définies. Missing meta / bad XML => 120.
 *   PUT  /documents/v2/:id/metadata/define            file part `metadata` (XML) => 200 empty;
 *        merged into document.metadata; history 'Métadonnées définies'. Missing/bad XML => 105.
 *   PUT  /documents/v2/otp/:id/metadata/define        file part `otpinformation` (XML) => 200 empty;
 *        replaces document.otpSigners; history 'Informations OTP définies' (user 'boucle-sms').
 *   GET  /documents/v2/:id/download?acquit=&FdC=      neither "true": the file (uploaded
 *        Content-Type, Content-Length, Content-Disposition attachment; filename="..." plus
 *        filename*=UTF-8''... when not ASCII). Otherwise application/zip `<id>.zip` holding the file,
 *        `fiche-de-circulation-<id>.pdf` when FdC, `ack-<id>.xml` when acquit and the document has
 *        an acknowledgement. Large/synthetic files are streamed (ZIP: stored, no ZIP64).
 *   GET  /documents/v2/:id/getFdc                     application/pdf, fiche-de-circulation-<id>.pdf
 *   GET  /documents/v2/:id/history                    [{ userFullname, date (ISO), stateName }]
 *   DELETE /documents/v2/:id                          200 empty when the last state is Préparé,
 *        Refusé or Rejeté (accents/case ignored); else 103.
 *   GET  /documents/v2/:siren/{ack|pes-retour|chorus}/remaining  JSON array of numbers.
 *   GET  /documents/v2/:id/{ack|pes-retour|chorus}/download      application/xml; consumes the id
 *        from the remaining list (it can still be downloaded afterwards). Unknown id => 101.
 *   GET  /documents/v2/:id/comments/refusal           text/plain; none => 102 "No refusal comment".
 *   GET  /documents/v2/otp/url?id=..&id=..            { url }; no id or an unknown one => 101.
 *   GET  /exportUsersData?siren=                      { users: [{ email, nom, prenom,
 *        authenticationType, groups, circuits: [{ circuit, role }] }] }
 *   PUT  /synchronization/:siren/users                JSON array of { authenticationType, email,
 *        firstName, lastName, groups } replaces the SIREN's users (create / update / delete the
 *        absent). 200 empty body when all are fine, else 200 JSON [{ email, error }] for the skipped
 *        ones (invalid e-mail, authenticationType not CERTIFICAT|BASIC, duplicate). Not an array
 *        => 104.
 *   HOST GET /parapheur/showDoc.action?documentid=<id>  small HTML page (404 HTML if unknown).
 *   HOST GET /boucle-sms/documentView?id=<opaque>       small HTML page.
 *   Anything else: 404 text/html.
 *
 * ─── Natural paths (auto-advance) ───────────────────────────────────────────────────────────────
 *   on-demand: Préparé, then per step — visa: Envoyé pour visa, Visa approuvé; signature: Envoyé
 *   pour signature, Signé; OTPSignature: Informations OTP définies (waits until OTP information is
 *   defined; not repeated when already in the history), OTP signé — then Classé.
 *   static circuit: Préparé, Envoyé pour signature, Signé, Classé; OTP circuit (and OTP upload):
 *   Préparé, Informations OTP définies, OTP signé, Classé.
 *   Type HELIOS_AVEC_TELETRANSMISSION: Classé is replaced by Transmis à Hélios, Acquittement Hélios
 *   (which makes an acknowledgement remaining for the SIREN).
 */
import busboy from 'busboy';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Zip, ZipPassThrough, zipSync } from 'fflate';

import type { EmulatorResponse, LoggedPart, LoggedRequest } from '../shared/server';
import { EmulatorServer, VendorEmulator } from '../shared/server';
import type { TestPki } from './pki';
import { DEPOSITOR_COMMON_NAME, DEPOSITOR_EMAIL, getTestPki } from './pki';
import { FAST_SAMPLE } from './sample';

export { DEPOSITOR_EMAIL, getTestPki };
export type { TestPki };

export const FAST_API_PREFIX = '/parapheur-ws/rest/v1';

export const FAST_CIRCUIT_TYPES = [
	'BUREAUTIQUE_PDF',
	'BUREAUTIQUE_XML',
	'HELIOS_AVEC_TELETRANSMISSION',
	'HELIOS_SANS_TELETRANSMISSION',
] as const;
export type FastCircuitType = (typeof FAST_CIRCUIT_TYPES)[number];

export type FastRemainingKind = 'ack' | 'pesRetour' | 'chorus';

export interface FastUser {
	email: string;
	nom: string;
	prenom: string;
	authenticationType: 'CERTIFICAT' | 'BASIC';
	groups: string[];
	circuits: Array<{ circuit: string; role: string }>;
}

export interface FastStaticCircuit {
	id: string;
	/** Default BUREAUTIQUE_PDF. */
	type?: FastCircuitType;
	/** An OTP (SMS code) circuit: its natural path has the OTP states. */
	otp?: boolean;
	/** Lower-case file extensions the circuit accepts (e.g. ['xml']); any when unset. */
	acceptedExtensions?: string[];
}

export interface FastSubscriber {
	siren: string;
	name: string;
	users: FastUser[];
	circuits: FastStaticCircuit[];
	/** Certificate accounts (e-mails) allowed to use this SIREN. Default [DEPOSITOR_EMAIL]. */
	depositors?: string[];
}

export interface OnDemandStep {
	step: string;
	members: string[];
}

export interface OnDemandCircuit {
	type: string;
	steps: OnDemandStep[];
}

export interface FastHistoryEntry {
	userFullname: string | null;
	date: string;
	stateName: string | null;
}

export interface OtpSigner {
	/** The OTP step index (0..n-1, OTP steps only). */
	index: number;
	firstname?: string;
	lastname?: string;
	phonenumber?: string;
	email?: string;
	/** Any other OTP_<name>_<index> value. */
	other: Record<string, string>;
}

export interface FastAnnex {
	fileName: string;
	contentType: string;
	size: number;
	sha256: string;
}

export interface FastDocument {
	id: string;
	siren: string;
	kind: 'static' | 'onDemand' | 'otp';
	circuitId?: string;
	/** The on-demand circuit as received (parsed JSON). */
	circuit?: OnDemandCircuit;
	circuitType: string;
	label?: string;
	comment?: string;
	fileName: string;
	contentType: string;
	size: number;
	/** Hex SHA-256 of the content; undefined for synthetic content (see syntheticSha256). */
	sha256?: string;
	/** Content in memory (<= 16 MB uploads, seeded content). */
	content?: Buffer;
	/** Content on disk (large uploads). Neither content nor contentPath: synthetic bytes. */
	contentPath?: string;
	recipients: string[];
	cc: string[];
	agents: string[];
	annexes: FastAnnex[];
	metadata: Record<string, string>;
	otpSigners: OtpSigner[];
	referer?: string;
	otpUrl?: string;
	history: FastHistoryEntry[];
	refusal?: string;
	/** E-mail of the certificate account that deposited it. */
	depositor: string;
	acknowledgement?: string | Buffer;
	/** Whether auto-advance moves it (uploads: true; seeded: false unless asked). */
	autoAdvance: boolean;
	/** Index in naturalPath() of the last state reached. */
	pathPosition: number;
}

export interface FastDocumentSeed {
	id?: string;
	siren?: string;
	kind?: FastDocument['kind'];
	circuitId?: string;
	circuit?: OnDemandCircuit;
	label?: string;
	comment?: string;
	fileName?: string;
	contentType?: string;
	content?: string | Buffer;
	size?: number;
	states?: Array<
		string | { stateName: string | null; userFullname?: string | null; date?: string }
	>;
	refusal?: string;
	recipients?: string[];
	cc?: string[];
	agents?: string[];
	metadata?: Record<string, string>;
	otpSigners?: OtpSigner[];
	acknowledgement?: string | Buffer;
	autoAdvance?: boolean;
}

export interface FastSeed {
	subscribers: FastSubscriber[];
	documents?: FastDocumentSeed[];
	remaining?: Array<{ kind: FastRemainingKind; siren: string; id?: string; xml?: string | Buffer }>;
}

export interface FastEmulatorOptions {
	seed?: FastSeed;
	port?: number;
	clientCertCheck?: 'tls' | 'http';
	errorsWithHttpStatus?: boolean;
	autoAdvanceMs?: number;
	now?: () => number;
	delayAllMs?: number;
	keepLargeUploads?: boolean;
	firstDocumentId?: number;
	followApiPage?: boolean;
}

/** The error codes and messages the emulator answers with. */
export const FAST_ERRORS = {
	unauthorized: {
		errorCode: 100,
		developerMessage: 'Unauthorized',
		userFriendlyMessage: "Votre utilisateur n'est pas autorisé à déposer dans ce siren.",
	},
	invalidDocId: {
		errorCode: 101,
		developerMessage: 'Internal error: Invalid docId',
		userFriendlyMessage: "Le document demandé n'existe pas.",
	},
	noRefusalComment: {
		errorCode: 102,
		developerMessage: 'No refusal comment',
		userFriendlyMessage: "Aucun commentaire de refus n'a été saisi pour ce document.",
	},
	/** developerMessage: `Delete error: the document cannot be deleted in state <state>`. */
	deleteState: {
		errorCode: 103,
		developerMessage: 'Delete error: the document cannot be deleted in state',
	},
	/** developerMessage: `Synchronization error: <detail>`. */
	synchronization: { errorCode: 104, developerMessage: 'Synchronization error' },
	/** developerMessage: `Metadata error: <detail>`. */
	metadata: { errorCode: 105, developerMessage: 'Metadata error' },
	subscriberNotFound: {
		errorCode: 111,
		developerMessage: 'Subscriber not found',
		userFriendlyMessage: "Le siren renseigné n'existe pas",
	},
	invalidCircuitType: {
		errorCode: 117,
		developerMessage: 'Invalid circuit type',
		userFriendlyMessage: 'Le type de circuit est incorrect',
	},
	/** developerMessage: `Invalid step type: <step>`. */
	invalidStepType: { errorCode: 118, developerMessage: 'Invalid step type' },
	/** developerMessage: `Invalid step member: <email>`. */
	invalidStepMember: { errorCode: 119, developerMessage: 'Invalid step member' },
	/** developerMessage: `Upload doc error: <detail>`. */
	uploadDoc: { errorCode: 120, developerMessage: 'Upload doc error' },
	duplicate: {
		errorCode: 120,
		developerMessage:
			'Upload doc error: duplicate document: a document with the same circuit, label and file name already exists',
		userFriendlyMessage:
			'Le document est un doublon : un document avec le même circuit, le même libellé et le même nom de fichier existe déjà.',
	},
	/** developerMessage: `Circuit definition error: <detail>`. */
	circuitDefinition: { errorCode: 121, developerMessage: 'Circuit definition error' },
	/** developerMessage: `The agent cannot be a step member: <email>`. */
	depositorIsMember: { errorCode: 122, developerMessage: 'The agent cannot be a step member' },
	/** developerMessage: `Unknown parameter '<name>' (expected: <names>)` (followApiPage). */
	unknownParameter: { errorCode: 902, developerMessage: 'Unknown parameter' },
	/** Unexpected failure inside the emulator (HTTP 500 always). */
	internal: { errorCode: 999, developerMessage: 'Internal error' },
} as const;

const REMAINING_SEGMENTS: Record<FastRemainingKind, string> = {
	ack: 'ack',
	pesRetour: 'pes-retour',
	chorus: 'chorus',
};

/**
 * The part names FAST's API page gives each multipart route, in its order: with followApiPage,
 * any other name is refused (902).
 */
const PAGE_PARTS = {
	upload: ['doc', 'label', 'comment', 'emailDestinataire'],
	onDemand: ['circuit_id', 'doc', 'circuit', 'annexes', 'agents', 'comment', 'email_destinataire', 'email_CC'],
	otp: ['doc', 'meta', 'label', 'comment', 'referer'],
	metadata: ['metadata'],
	otpInformation: ['otpinformation'],
} as const;

const MEMORY_LIMIT = 16 * 1024 * 1024;
const TEXT_LIMIT = 1024 * 1024;
const MAX_FIELD = 255;
const MAIL_PATTERN = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

class FastError extends Error {
	constructor(
		readonly errorCode: number,
		readonly developerMessage: string,
		readonly userFriendlyMessage: string,
	) {
		super(developerMessage);
	}
}

interface ParsedPart extends LoggedPart {
	isFile: boolean;
	content?: Buffer;
	path?: string;
}

/** Lower-case, accents removed: how states and names are compared. */
const lenient = (text: string | null | undefined) =>
	(text ?? '')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.trim()
		.toLowerCase();

const splitList = (text: string | undefined) =>
	(text ?? '')
		.split(/[,;]/)
		.map((item) => item.trim())
		.filter((item) => item.length > 0);

const isTrue = (value: string | string[] | undefined) =>
	(Array.isArray(value) ? value : [value ?? '']).some((item) => item.toLowerCase() === 'true');

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const html = (status: number, title: string, body: string): EmulatorResponse => ({
	status,
	headers: { 'content-type': 'text/html; charset=utf-8' },
	body: `<!DOCTYPE html><html><head><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`,
});

/** RFC 6266 Content-Disposition with an ASCII fallback and an RFC 5987 `filename*` when needed. */
function contentDisposition(name: string): string {
	const ascii = name
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^\x20-\x7e]|["\\]/g, '_');
	if (ascii === name) return `attachment; filename="${name}"`;
	const encoded = encodeURIComponent(name).replace(
		/['()*]/g,
		(char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
	);
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

function contentTypeFor(fileName: string): string {
	const extension = fileName.toLowerCase().split('.').pop() ?? '';
	const types: Record<string, string> = {
		pdf: 'application/pdf',
		xml: 'application/xml',
		zip: 'application/zip',
		txt: 'text/plain',
		doc: 'application/msword',
		docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	};
	return types[extension] ?? 'application/octet-stream';
}

// Synthetic content: a fixed pseudo-random pattern with a prime period, served by slices of one
// buffer, so that a multi-GB download costs no memory and is the same on every run.
const PATTERN_PERIOD = 65_521;
const CHUNK = 64 * 1024;
let patternBuffer: Buffer | undefined;
function pattern(): Buffer {
	if (!patternBuffer) {
		const buffer = Buffer.alloc(PATTERN_PERIOD + CHUNK);
		let state = 0x2545f491;
		for (let index = 0; index < PATTERN_PERIOD; index++) {
			state = (Math.imul(state, 1103515245) + 12345) >>> 0;
			// Printable ASCII, never '{' first: the bytes never look like a JSON error.
			buffer[index] = 0x41 + ((state >>> 16) % 26);
		}
		for (let index = PATTERN_PERIOD; index < buffer.length; index++)
			buffer[index] = buffer[index - PATTERN_PERIOD];
		patternBuffer = buffer;
	}
	return patternBuffer;
}

/** `size` deterministic bytes, generated as they are read. */
export function syntheticContent(size: number): Readable {
	let offset = 0;
	return new Readable({
		read() {
			if (offset >= size) {
				this.push(null);
				return;
			}
			const length = Math.min(CHUNK, size - offset);
			const start = offset % PATTERN_PERIOD;
			offset += length;
			this.push(pattern().subarray(start, start + length));
		},
	});
}

/** Hex SHA-256 of syntheticContent(size) (about 2 s per GB). */
export function syntheticSha256(size: number): string {
	const hash = createHash('sha256');
	for (let offset = 0; offset < size; offset += CHUNK) {
		const start = offset % PATTERN_PERIOD;
		hash.update(pattern().subarray(start, start + Math.min(CHUNK, size - offset)));
	}
	return hash.digest('hex');
}

/** A valid one-page PDF (Helvetica, WinAnsi) showing these lines. */
export function minimalPdf(lines: string[]): Buffer {
	const text = (line: string) =>
		line.replace(/[^\x20-\x7e\xa0-\xff]/g, '?').replace(/[\\()]/g, (char) => `\\${char}`);
	const shown = lines.slice(0, 55).map((line) => `(${text(line)}) Tj T*`);
	const stream = `BT /F1 11 Tf 50 800 Td 14 TL\n${shown.join('\n')}\nET`;
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
		`<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
	];
	let pdf = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
	const offsets: number[] = [];
	objects.forEach((object, index) => {
		offsets.push(Buffer.byteLength(pdf, 'latin1'));
		pdf += `${index + 1} 0 obj\n${object}\nendobj\n`;
	});
	const xref = Buffer.byteLength(pdf, 'latin1');
	pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
	pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(pdf, 'latin1');
}

const xmlParser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '',
	parseAttributeValue: false,
	parseTagValue: false,
	isArray: (name) => name === 'meta-data',
});

/** `<meta-data-list><meta-data name=".." value=".."/>...` as name -> value; throws when not that. */
function parseMetaDataList(xml: string): Record<string, string> {
	if (XMLValidator.validate(xml) !== true) throw new Error('not well-formed XML');
	const parsed = xmlParser.parse(xml) as Record<string, unknown>;
	const list = parsed['meta-data-list'];
	if (list === undefined) throw new Error('no <meta-data-list> root');
	const items =
		list && typeof list === 'object' ? ((list as Record<string, unknown>)['meta-data'] ?? []) : [];
	const result: Record<string, string> = {};
	for (const item of items as Array<Record<string, unknown>>) {
		if (typeof item?.name !== 'string') throw new Error('a <meta-data> has no name');
		result[item.name] = typeof item.value === 'string' ? item.value : String(item.value ?? '');
	}
	return result;
}

/** OTP_<field>_<index> values grouped by index (field notes: indexes count OTP steps only). */
function otpSignersOf(values: Record<string, string>): OtpSigner[] {
	const byIndex = new Map<number, OtpSigner>();
	for (const [name, value] of Object.entries(values)) {
		const match = /^OTP_(.+)_(\d+)$/i.exec(name);
		if (!match) continue;
		const index = Number(match[2]);
		const signer = byIndex.get(index) ?? { index, other: {} };
		const field = match[1].toLowerCase();
		if (
			field === 'firstname' ||
			field === 'lastname' ||
			field === 'phonenumber' ||
			field === 'email'
		)
			signer[field] = value;
		else signer.other[match[1]] = value;
		byIndex.set(index, signer);
	}
	return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

function stubXml(kind: FastRemainingKind, siren: string, id: string, date: string): string {
	const day = date.slice(0, 10);
	if (kind === 'ack')
		return `<?xml version="1.0" encoding="UTF-8"?>\n<PES_ACQUIT><EnTetePES><IdColl V="${siren}"/><DteStr V="${day}"/></EnTetePES><ACQUIT><ElementACQUIT><IdUnique V="${id}"/><EtatAck V="1"/><DateAck V="${day}"/></ElementACQUIT></ACQUIT></PES_ACQUIT>\n`;
	if (kind === 'pesRetour')
		return `<?xml version="1.0" encoding="UTF-8"?>\n<PES_Retour><EnTetePES><IdColl V="${siren}"/><DteStr V="${day}"/></EnTetePES><Retour><IdUnique V="${id}"/></Retour></PES_Retour>\n`;
	return `<?xml version="1.0" encoding="UTF-8"?>\n<CPPFactureChorus><Siren>${siren}</Siren><IdFlux>${id}</IdFlux><DateDepot>${day}</DateDepot></CPPFactureChorus>\n`;
}

export class FastEmulator extends VendorEmulator {
	readonly server: EmulatorServer;

	readonly pki: TestPki;

	readonly subscribers = new Map<string, FastSubscriber>();

	readonly documents = new Map<string, FastDocument>();

	errorsWithHttpStatus: boolean;

	/**
	 * Strict, as FAST's API page says: only the page's part names (others => 902), `circuit_id`
	 * required on demand. Off by default: the names FAST's clients send are taken too.
	 */
	followApiPage: boolean;

	/**
	 * The certificate accounts (e-mails) FAST knows; undefined: every account. A certificate
	 * whose account is not in the list gets HTTP 401 with error 100 on every call, as FAST
	 * answers a certificate linked to no account.
	 */
	knownAccounts?: string[];

	autoAdvanceMs?: number;

	now: () => number;

	readonly clientCertCheck: 'tls' | 'http';

	readonly keepLargeUploads: boolean;

	private readonly port: number;

	private nextId: number;

	private readonly remainingItems: Record<
		FastRemainingKind,
		Map<string, { siren: string; xml: string | Buffer; consumed: boolean }>
	> = { ack: new Map(), pesRetour: new Map(), chorus: new Map() };

	private readonly otpTokens = new Map<string, string[]>();

	private tempDir?: string;

	constructor(options: FastEmulatorOptions = {}) {
		super();
		this.pki = getTestPki();
		this.errorsWithHttpStatus = options.errorsWithHttpStatus ?? false;
		this.followApiPage = options.followApiPage ?? false;
		this.autoAdvanceMs = options.autoAdvanceMs;
		this.now = options.now ?? Date.now;
		this.clientCertCheck = options.clientCertCheck ?? 'tls';
		this.keepLargeUploads = options.keepLargeUploads ?? true;
		this.port = options.port ?? 0;
		this.nextId = options.firstDocumentId ?? 320073900;

		const seed = options.seed ?? FAST_SAMPLE;
		for (const subscriber of seed.subscribers) {
			const copy = structuredClone(subscriber);
			copy.depositors ??= [DEPOSITOR_EMAIL];
			this.subscribers.set(copy.siren, copy);
		}
		for (const document of seed.documents ?? []) this.seedDocument(document);
		for (const item of seed.remaining ?? [])
			this.addRemaining(item.kind, item.siren, item.id, item.xml);

		this.server = new EmulatorServer({
			tls: {
				key: this.pki.serverKey,
				cert: this.pki.serverCert,
				ca: [this.pki.caCert],
				requestCert: true,
				rejectUnauthorized: this.clientCertCheck === 'tls',
			},
			delayAllMs: options.delayAllMs,
			guard: (request) => this.guard(request),
			notFound: (request) =>
				html(
					404,
					'404 Not Found',
					`<h1>Not Found</h1><p>The requested URL ${escapeHtml(request.path)} was not found on this server.</p>`,
				),
		});
		this.registerRoutes();
	}

	get apiUrl(): string {
		return `${this.server.baseUrl}${FAST_API_PREFIX}`;
	}

	async start(port = this.port): Promise<string> {
		return await this.server.start(port);
	}

	async close(): Promise<void> {
		await this.server.close();
		if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
		this.tempDir = undefined;
	}

	clearFaults(): void {
		this.server.clearFaults();
	}

	/** The next `count` requests answer HTTP 200 with this FAST error. */
	errorIn200(
		errorCode: number,
		developerMessage: string,
		userFriendlyMessage = 'Une erreur est survenue.',
		count = 1,
	): void {
		this.server.injectFault(
			{
				status: 200,
				headers: { 'content-type': 'application/json;charset=UTF-8' },
				body: { generation: this.now(), developerMessage, userFriendlyMessage, errorCode },
			},
			count,
		);
	}

	webUrl(id: string): string {
		return `${this.url}/parapheur/showDoc.action?documentid=${id}`;
	}

	users(siren: string): FastUser[] {
		return this.subscribers.get(siren)?.users ?? [];
	}

	/** The document after auto-advance, or undefined. */
	document(id: string): FastDocument | undefined {
		const document = this.documents.get(String(id));
		if (document) this.tick(document);
		return document;
	}

	removeDocument(id: string): boolean {
		const document = this.documents.get(String(id));
		if (!document) return false;
		if (document.contentPath) rmSync(document.contentPath, { force: true });
		return this.documents.delete(String(id));
	}

	seedDocument(seed: FastDocumentSeed): string {
		const id = seed.id ?? this.allocateId();
		this.nextId = Math.max(this.nextId, Number(id) + 1);
		const siren = seed.siren ?? [...this.subscribers.keys()][0] ?? '000000000';
		const subscriber = this.subscribers.get(siren);
		const staticCircuit = subscriber?.circuits.find((circuit) => circuit.id === seed.circuitId);
		const kind = seed.kind ?? (seed.circuit ? 'onDemand' : staticCircuit?.otp ? 'otp' : 'static');
		const fileName = seed.fileName ?? `document-${id}.pdf`;
		const date = new Date(this.now()).toISOString();
		let content: Buffer | undefined;
		if (seed.content !== undefined) content = Buffer.from(seed.content);
		else if (seed.size === undefined)
			content = fileName.toLowerCase().endsWith('.xml')
				? Buffer.from(
						`<?xml version="1.0" encoding="UTF-8"?>\n<PES_Aller><IdUnique V="${id}"/></PES_Aller>\n`,
					)
				: minimalPdf([seed.label ?? fileName, `Document ${id}`]);
		const document: FastDocument = {
			id,
			siren,
			kind,
			circuitId: seed.circuitId,
			circuit: seed.circuit ? structuredClone(seed.circuit) : undefined,
			circuitType: seed.circuit?.type ?? staticCircuit?.type ?? 'BUREAUTIQUE_PDF',
			label: seed.label,
			comment: seed.comment,
			fileName,
			contentType: seed.contentType ?? contentTypeFor(fileName),
			size: content?.length ?? seed.size ?? 0,
			sha256: content ? createHash('sha256').update(content).digest('hex') : undefined,
			content,
			recipients: [...(seed.recipients ?? [])],
			cc: [...(seed.cc ?? [])],
			agents: [...(seed.agents ?? [])],
			annexes: [],
			metadata: { ...(seed.metadata ?? {}) },
			otpSigners: structuredClone(seed.otpSigners ?? []),
			history: [],
			refusal: seed.refusal,
			depositor: DEPOSITOR_EMAIL,
			acknowledgement: seed.acknowledgement,
			autoAdvance: seed.autoAdvance ?? false,
			pathPosition: 0,
		};
		this.documents.set(id, document);
		for (const state of seed.states ?? ['Préparé']) {
			const entry =
				typeof state === 'string'
					? { stateName: state, userFullname: this.defaultActor(document, state), date }
					: {
							stateName: state.stateName,
							userFullname:
								state.userFullname === undefined
									? this.defaultActor(document, state.stateName ?? '')
									: state.userFullname,
							date: state.date ?? date,
						};
			this.appendState(document, entry);
		}
		return id;
	}

	advance(id: string, stateName: string, userFullname = 'parapheur parapheur'): FastHistoryEntry {
		const document = this.documents.get(String(id));
		if (!document) throw new Error(`No document ${id}`);
		const entry = { stateName, userFullname, date: new Date(this.now()).toISOString() };
		this.appendState(document, entry);
		return entry;
	}

	setRefusalMessage(id: string, text: string): void {
		const document = this.documents.get(String(id));
		if (!document) throw new Error(`No document ${id}`);
		document.refusal = text;
	}

	addRemaining(kind: FastRemainingKind, siren: string, id?: string, xml?: string | Buffer): string {
		const itemId = id ?? this.allocateId();
		const text = xml ?? stubXml(kind, siren, itemId, new Date(this.now()).toISOString());
		this.remainingItems[kind].set(itemId, { siren, xml: text, consumed: false });
		if (kind === 'ack') {
			const document = this.documents.get(itemId);
			if (document) document.acknowledgement = text;
		}
		return itemId;
	}

	remaining(kind: FastRemainingKind, siren: string): string[] {
		this.tickSiren(siren);
		return [...this.remainingItems[kind].entries()]
			.filter(([, item]) => item.siren === siren && !item.consumed)
			.map(([id]) => id);
	}

	/** The states a document goes through when nothing goes wrong. */
	naturalPath(document: FastDocument): string[] {
		const path = ['Préparé'];
		if (document.kind === 'onDemand' && document.circuit) {
			for (const step of document.circuit.steps) {
				const type = lenient(step.step);
				if (type === 'visa') path.push('Envoyé pour visa', 'Visa approuvé');
				else if (type === 'signature') path.push('Envoyé pour signature', 'Signé');
				else path.push('Informations OTP définies', 'OTP signé');
			}
		} else if (
			document.kind === 'otp' ||
			this.subscribers
				.get(document.siren)
				?.circuits.find((circuit) => circuit.id === document.circuitId)?.otp
		) {
			path.push('Informations OTP définies', 'OTP signé');
		} else {
			path.push('Envoyé pour signature', 'Signé');
		}
		if (document.circuitType === 'HELIOS_AVEC_TELETRANSMISSION')
			path.push('Transmis à Hélios', 'Acquittement Hélios');
		else path.push('Classé');
		return path;
	}

	// ─── state ──────────────────────────────────────────────────────────────────────────────────

	private allocateId(): string {
		const id = String(this.nextId);
		this.nextId += 1;
		return id;
	}

	private fullName(siren: string, email: string): string | undefined {
		const user = this.users(siren).find((candidate) => lenient(candidate.email) === lenient(email));
		return user ? `${user.prenom} ${user.nom}` : undefined;
	}

	private depositorName(siren: string, email: string): string {
		return (
			this.fullName(siren, email) ??
			(lenient(email) === lenient(DEPOSITOR_EMAIL) ? DEPOSITOR_COMMON_NAME : email)
		);
	}

	/** Who a state is attributed to when nobody says. */
	private defaultActor(document: FastDocument, stateName: string, stepIndex?: number): string {
		const state = lenient(stateName);
		if (state === 'prepare') return this.depositorName(document.siren, document.depositor);
		if (state.includes('otp')) return 'boucle sms';
		if (
			state === 'signe' ||
			state === 'visa approuve' ||
			state === 'refuse' ||
			state === 'rejete'
		) {
			const step = stepIndex !== undefined ? document.circuit?.steps[stepIndex] : undefined;
			const member = step?.members[0];
			if (member) return this.fullName(document.siren, member) ?? member;
			const signer = this.users(document.siren).find((user) =>
				user.circuits.some(
					(link) => link.circuit === document.circuitId && /sign/i.test(link.role),
				),
			);
			if (signer) return `${signer.prenom} ${signer.nom}`;
		}
		return 'parapheur parapheur';
	}

	private appendState(document: FastDocument, entry: FastHistoryEntry): void {
		document.history.push(entry);
		if (entry.stateName === null) return;
		const path = this.naturalPath(document);
		const state = lenient(entry.stateName);
		const ahead = path.findIndex(
			(candidate, index) => index > document.pathPosition && lenient(candidate) === state,
		);
		if (ahead >= 0) document.pathPosition = ahead;
		else if (
			!(state === 'prepare' && document.pathPosition === 0) &&
			!path.slice(0, document.pathPosition + 1).some((candidate) => lenient(candidate) === state)
		)
			// Off the natural path (Refusé, Rejeté, Échec ...): nothing moves it any more.
			document.autoAdvance = false;
		if (
			(state === 'acquittement helios' || state === 'acquittance helios') &&
			!this.remainingItems.ack.has(document.id)
		)
			this.addRemaining('ack', document.siren, document.id, document.acknowledgement);
	}

	/** Lazy auto-advance: the states whose time has come, dated when they were due. */
	private tick(document: FastDocument): void {
		const delay = this.autoAdvanceMs;
		if (delay === undefined || !document.autoAdvance) return;
		const path = this.naturalPath(document);
		const now = this.now();
		for (let guard = 0; guard < path.length && document.autoAdvance; guard++) {
			const next = document.pathPosition + 1;
			if (next >= path.length) return;
			const nextState = path[next];
			if (nextState === 'Informations OTP définies') {
				const needed = path.slice(0, next + 1).filter((state) => state === nextState).length;
				const seen = document.history.filter((entry) => entry.stateName === nextState).length;
				if (seen >= needed) {
					// Already defined through PUT .../otp/{id}/metadata/define: not repeated.
					document.pathPosition = next;
					continue;
				}
				// FAST cannot go on without the OTP signer's details.
				if (document.otpSigners.length === 0) return;
			}
			const last = Date.parse(document.history.at(-1)?.date ?? '') || now;
			if (now - last < delay) return;
			const stepIndex = this.stepIndexOf(document, next);
			this.appendState(document, {
				stateName: nextState,
				userFullname: this.defaultActor(document, nextState, stepIndex),
				date: new Date(last + delay).toISOString(),
			});
		}
	}

	private stepIndexOf(document: FastDocument, position: number): number | undefined {
		if (document.kind !== 'onDemand' || !document.circuit) return undefined;
		const index = Math.floor((position - 1) / 2);
		return index < document.circuit.steps.length && position >= 1 ? index : undefined;
	}

	private tickSiren(siren: string): void {
		for (const document of this.documents.values())
			if (document.siren === siren) this.tick(document);
	}

	// ─── HTTP plumbing ──────────────────────────────────────────────────────────────────────────

	private guard(request: LoggedRequest): EmulatorResponse | undefined {
		if (request.tls && !request.tls.authorized) {
			// clientCertCheck 'http': what an Apache front answers to a missing or refused certificate.
			return html(
				403,
				'403 Forbidden',
				`<h1>Forbidden</h1><p>You don't have permission to access this resource.</p><p>Reason: SSL client certificate verification failed (${escapeHtml(request.tls.authorizationError ?? 'no certificate')}).</p>`,
			);
		}
		if (this.knownAccounts && !this.knownAccounts.some((email) => lenient(email) === lenient(this.account(request)))) {
			return this.errorResponse(this.fail(FAST_ERRORS.unauthorized), 401);
		}
		return undefined;
	}

	/** The FAST account the client certificate names (its emailAddress). */
	private account(request: LoggedRequest): string {
		const certificate = request.tls?.peerCertificate;
		if (!certificate) return '';
		const subject = certificate.subject as unknown as Record<string, string | string[] | undefined>;
		const email = subject.emailAddress;
		if (typeof email === 'string') return email;
		if (Array.isArray(email) && email[0]) return email[0];
		const alt = /email:([^,\s]+)/.exec(certificate.subjectaltname ?? '');
		if (alt) return alt[1];
		const cn = subject.CN;
		return typeof cn === 'string' ? cn : '';
	}

	private fail(
		error: { errorCode: number; developerMessage: string; userFriendlyMessage?: string },
		detail?: string,
		userFriendlyMessage?: string,
	): FastError {
		return new FastError(
			error.errorCode,
			detail === undefined ? error.developerMessage : `${error.developerMessage}: ${detail}`,
			userFriendlyMessage ?? error.userFriendlyMessage ?? 'Une erreur est survenue.',
		);
	}

	private errorResponse(error: FastError, status?: number): EmulatorResponse {
		const httpStatus =
			status ??
			(this.errorsWithHttpStatus
				? error.errorCode === 101 || error.errorCode === 111
					? 404
					: 400
				: 200);
		return {
			status: httpStatus,
			headers: { 'content-type': 'application/json;charset=UTF-8' },
			body: {
				generation: this.now(),
				developerMessage: error.developerMessage,
				userFriendlyMessage: error.userFriendlyMessage,
				errorCode: error.errorCode,
			},
		};
	}

	private api(
		method: string,
		path: string,
		handler: (
			request: LoggedRequest,
			params: Record<string, string>,
		) => EmulatorResponse | Promise<EmulatorResponse>,
		stream = false,
	): void {
		this.server.route(
			method,
			FAST_API_PREFIX + path,
			async (request, params) => {
				try {
					return await handler(request, params);
				} catch (error) {
					if (error instanceof FastError) return this.errorResponse(error);
					const internal = this.fail(
						FAST_ERRORS.internal,
						(error as Error).message,
						'Une erreur interne est survenue.',
					);
					return this.errorResponse(internal, 500);
				}
			},
			{ stream },
		);
	}

	/** The subscriber, if it exists (111) and the certificate's account may use it (100). */
	private subscriberFor(request: LoggedRequest, siren: string | undefined): FastSubscriber {
		const subscriber = siren ? this.subscribers.get(siren) : undefined;
		if (!subscriber) throw this.fail(FAST_ERRORS.subscriberNotFound);
		const account = lenient(this.account(request));
		if (!(subscriber.depositors ?? []).some((email) => lenient(email) === account))
			throw this.fail(FAST_ERRORS.unauthorized);
		return subscriber;
	}

	private documentFor(request: LoggedRequest, id: string): FastDocument {
		const document = /^\d+$/.test(id) ? this.document(id) : undefined;
		if (!document) throw this.fail(FAST_ERRORS.invalidDocId);
		this.subscriberFor(request, document.siren);
		return document;
	}

	private temporaryFile(): string {
		this.tempDir ??= mkdtempSync(join(tmpdir(), 'fast-emulator-'));
		return join(this.tempDir, `upload-${randomBytes(8).toString('hex')}`);
	}

	/**
	 * Streams a multipart body through busboy. Each part is hashed; file parts stay in memory up
	 * to 16 MB, above that they go to a temp file (or are dropped when keepLargeUploads is false).
	 * The logged parts are set on the request log entry.
	 */
	private async multipart(request: LoggedRequest, notMultipart: FastError): Promise<ParsedPart[]> {
		const stream = request.stream;
		if (!stream) throw new Error('route is not streamed');
		if (!/^multipart\/form-data/i.test(request.headers['content-type'] ?? '')) {
			stream.resume();
			throw notMultipart;
		}
		const parts: ParsedPart[] = [];
		const pending: Array<Promise<void>> = [];
		const files: Readable[] = [];
		let parser: ReturnType<typeof busboy> | undefined;
		try {
			await new Promise<void>((resolve, reject) => {
				parser = busboy({
					headers: request.headers,
					// form-data and browsers write raw UTF-8 file names (busboy's default is latin1).
					defParamCharset: 'utf8',
					limits: { fieldSize: MEMORY_LIMIT },
				});
				parser.on('field', (name, value) => {
					const bytes = Buffer.from(value, 'utf8');
					parts.push({
						name,
						size: bytes.length,
						sha256: createHash('sha256').update(bytes).digest('hex'),
						text: value,
						isFile: false,
					});
				});
				parser.on('file', (name, file, info) => {
					const part: ParsedPart = {
						name,
						fileName: info.filename,
						contentType: info.mimeType,
						size: 0,
						sha256: '',
						isFile: true,
					};
					parts.push(part);
					files.push(file);
					pending.push(this.collectFile(file, part));
				});
				parser.on('close', () => resolve());
				parser.on('error', reject);
				stream.on('error', reject);
				stream.on('close', () => {
					if (!stream.readableEnded) reject(new Error('request aborted'));
				});
				stream.pipe(parser);
			});
			await Promise.all(pending);
		} catch (error) {
			// A client that goes away mid-upload: stop the readers so that their temp files close.
			stream.unpipe();
			for (const file of files) file.destroy(error as Error);
			parser?.destroy();
			await Promise.allSettled(pending);
			this.discard(parts);
			throw error;
		} finally {
			request.parts = parts.map(({ name, fileName, contentType, size, sha256, text }) => {
				const logged: LoggedPart = { name, size, sha256 };
				if (fileName !== undefined) logged.fileName = fileName;
				if (contentType !== undefined) logged.contentType = contentType;
				if (text !== undefined) logged.text = text;
				return logged;
			});
		}
		return parts;
	}

	private async collectFile(file: Readable, part: ParsedPart): Promise<void> {
		const hash = createHash('sha256');
		let chunks: Buffer[] = [];
		let writer: WriteStream | undefined;
		let dropped = false;
		try {
			for await (const chunk of file as AsyncIterable<Buffer>) {
				hash.update(chunk);
				part.size += chunk.length;
				if (writer) {
					if (!writer.write(chunk)) await once(writer, 'drain');
				} else if (!dropped) {
					chunks.push(chunk);
					if (part.size > MEMORY_LIMIT) {
						if (this.keepLargeUploads) {
							part.path = this.temporaryFile();
							writer = createWriteStream(part.path);
							for (const held of chunks) writer.write(held);
						} else {
							dropped = true;
						}
						chunks = [];
					}
				}
			}
		} finally {
			if (writer) {
				const finished = writer;
				await new Promise<void>((resolve, reject) => {
					finished.on('error', reject);
					finished.end(() => resolve());
				});
			}
		}
		part.sha256 = hash.digest('hex');
		if (!writer && !dropped) {
			part.content = Buffer.concat(chunks);
			if (part.size <= TEXT_LIMIT) part.text = part.content.toString('utf8');
		}
	}

	private discard(parts: ParsedPart[], keep?: ParsedPart): void {
		for (const part of parts) {
			if (part !== keep && part.path) {
				try {
					unlinkSync(part.path);
				} catch {
					// Already gone.
				}
			}
		}
	}

	private fileOf(parts: ParsedPart[], ...names: string[]): ParsedPart | undefined {
		for (const name of names) {
			const found = parts.find((part) => part.isFile && part.name === name);
			if (found) return found;
		}
		return undefined;
	}

	/** A text value, sent as a field or as a small file part. */
	private textOf(parts: ParsedPart[], ...names: string[]): string | undefined {
		for (const name of names) {
			const found = parts.find((part) => part.name === name);
			if (found) return found.text ?? found.content?.toString('utf8');
		}
		return undefined;
	}

	private checkLengths(values: Record<string, string | undefined>): void {
		for (const [name, value] of Object.entries(values)) {
			if (value !== undefined && value.length > MAX_FIELD)
				throw this.fail(
					FAST_ERRORS.uploadDoc,
					`${name} is longer than ${MAX_FIELD} characters`,
					`Le champ ${name} dépasse ${MAX_FIELD} caractères.`,
				);
		}
	}

	private checkDuplicate(
		siren: string,
		circuitId: string,
		label: string | undefined,
		fileName: string,
	): void {
		for (const document of this.documents.values()) {
			if (
				document.siren === siren &&
				document.circuitId === circuitId &&
				(document.label ?? '') === (label ?? '') &&
				document.fileName === fileName
			)
				throw this.fail(FAST_ERRORS.duplicate);
		}
	}

	private staticCircuit(subscriber: FastSubscriber, circuitId: string): FastStaticCircuit {
		const circuit = subscriber.circuits.find((candidate) => candidate.id === circuitId);
		if (!circuit)
			throw this.fail(
				FAST_ERRORS.uploadDoc,
				`unknown circuit "${circuitId}"`,
				`Le circuit « ${circuitId} » n'existe pas.`,
			);
		return circuit;
	}

	/**
	 * With followApiPage, a part the page does not name for this route is refused as FAST does:
	 * 902 "Unknown parameter '<name>' (expected: ...)".
	 */
	private checkPageParts(parts: ParsedPart[], expected: readonly string[]): void {
		if (!this.followApiPage) return;
		const unknown = parts.find((part) => !expected.includes(part.name));
		if (unknown)
			throw new FastError(
				FAST_ERRORS.unknownParameter.errorCode,
				`${FAST_ERRORS.unknownParameter.developerMessage} '${unknown.name}' (expected: ${expected.join(', ')})`,
				`Paramètre inconnu : ${unknown.name}`,
			);
	}

	/** The file part: the page's name only with followApiPage, else the clients' names too. */
	private documentFile(parts: ParsedPart[], ...names: string[]): ParsedPart {
		return this.followApiPage ? this.requireFile(parts, 'doc') : this.requireFile(parts, ...names);
	}

	private requireFile(parts: ParsedPart[], ...names: string[]): ParsedPart {
		const file = this.fileOf(parts, ...names);
		if (!file)
			throw this.fail(
				FAST_ERRORS.uploadDoc,
				`no document file in the request (file part ${names.map((name) => `"${name}"`).join(' or ')})`,
				'Aucun document à déposer.',
			);
		return file;
	}

	private checkFormat(circuit: FastStaticCircuit, fileName: string): void {
		const extension = fileName.toLowerCase().split('.').pop() ?? '';
		if (circuit.acceptedExtensions && !circuit.acceptedExtensions.includes(extension))
			throw this.fail(
				FAST_ERRORS.uploadDoc,
				`format not accepted by circuit "${circuit.id}": .${extension}`,
				`Le format du fichier n'est pas accepté par le circuit « ${circuit.id} ».`,
			);
	}

	private createDocument(
		request: LoggedRequest,
		subscriber: FastSubscriber,
		file: ParsedPart,
		fields: Partial<FastDocument> & Pick<FastDocument, 'kind' | 'circuitType'>,
	): FastDocument {
		const id = this.allocateId();
		const depositor = this.account(request);
		const fileName = file.fileName || `document-${id}`;
		const document: FastDocument = {
			id,
			siren: subscriber.siren,
			fileName,
			contentType:
				file.contentType && file.contentType !== 'application/octet-stream'
					? file.contentType
					: contentTypeFor(fileName),
			size: file.size,
			sha256: file.sha256,
			content: file.content,
			contentPath: file.path,
			recipients: [],
			cc: [],
			agents: [],
			annexes: [],
			metadata: {},
			otpSigners: [],
			history: [],
			depositor,
			autoAdvance: true,
			pathPosition: 0,
			...fields,
		};
		this.documents.set(id, document);
		this.appendState(document, {
			stateName: 'Préparé',
			userFullname: this.depositorName(subscriber.siren, depositor),
			date: new Date(this.now()).toISOString(),
		});
		return document;
	}

	private bareId(id: string): EmulatorResponse {
		return { status: 200, headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: id };
	}

	private validateCircuit(
		subscriber: FastSubscriber,
		depositor: string,
		text: string | undefined,
	): OnDemandCircuit {
		const definition = FAST_ERRORS.circuitDefinition;
		const friendly = "Le paramètre circuit n'est pas correctement renseigné.";
		if (text === undefined || text.trim() === '')
			throw this.fail(definition, 'missing circuit', friendly);
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			throw this.fail(definition, 'circuit is not valid JSON', friendly);
		}
		if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
			throw this.fail(definition, 'circuit is not a JSON object', friendly);
		const circuit = parsed as { type?: unknown; steps?: unknown };
		if (!Array.isArray(circuit.steps) || circuit.steps.length === 0)
			throw this.fail(definition, 'no steps', friendly);
		const steps = circuit.steps as unknown[];
		steps.forEach((step, index) => {
			const members = (step as { members?: unknown } | null)?.members;
			if (
				!step ||
				typeof step !== 'object' ||
				!Array.isArray(members) ||
				members.length === 0 ||
				members.some((member) => typeof member !== 'string' || member.trim() === '')
			)
				throw this.fail(definition, `step ${index + 1} has no members`, friendly);
		});
		if (
			typeof circuit.type !== 'string' ||
			!(FAST_CIRCUIT_TYPES as readonly string[]).includes(circuit.type)
		)
			throw this.fail(FAST_ERRORS.invalidCircuitType);
		const typed = steps as Array<{ step?: unknown; members: string[] }>;
		for (const step of typed) {
			const type = typeof step.step === 'string' ? step.step.toLowerCase() : '';
			if (type !== 'visa' && type !== 'signature' && type !== 'otpsignature')
				throw this.fail(
					FAST_ERRORS.invalidStepType,
					String(step.step),
					"Le type d'une étape du circuit est incorrect",
				);
		}
		for (const step of typed) {
			if ((step.step as string).toLowerCase() === 'otpsignature') continue;
			for (const member of step.members) {
				if (lenient(member) === lenient(depositor))
					throw this.fail(
						FAST_ERRORS.depositorIsMember,
						member,
						"L'agent déposant ne peut être signataire ou valideur du document.",
					);
				if (!subscriber.users.some((user) => lenient(user.email) === lenient(member)))
					throw this.fail(
						FAST_ERRORS.invalidStepMember,
						member,
						`L'utilisateur ${member} n'existe pas dans ce circuit.`,
					);
			}
		}
		return {
			type: circuit.type,
			steps: typed.map((step) => ({ step: step.step as string, members: [...step.members] })),
		};
	}

	private source(document: FastDocument): Readable | Buffer {
		if (document.content) return document.content;
		if (document.contentPath) return createReadStream(document.contentPath);
		return syntheticContent(document.size);
	}

	private fiche(document: FastDocument): Buffer {
		return minimalPdf([
			'Fiche de circulation',
			`Document ${document.id} - ${document.fileName}`,
			`Circuit : ${document.circuitId ?? document.circuit?.type ?? ''}`,
			`Libellé : ${document.label ?? ''}`,
			'',
			...document.history.map(
				(entry) => `${entry.date}  ${entry.stateName ?? '-'}  ${entry.userFullname ?? ''}`,
			),
			...(document.refusal ? ['', `Motif du refus : ${document.refusal}`] : []),
		]);
	}

	private download(document: FastDocument, acquit: boolean, fdc: boolean): EmulatorResponse {
		if (!acquit && !fdc) {
			return {
				status: 200,
				headers: {
					'content-type': document.contentType,
					'content-length': String(document.size),
					'content-disposition': contentDisposition(document.fileName),
				},
				body: this.source(document),
			};
		}
		const extras: Array<[string, Uint8Array]> = [];
		if (fdc) extras.push([`fiche-de-circulation-${document.id}.pdf`, this.fiche(document)]);
		if (acquit && document.acknowledgement)
			extras.push([`ack-${document.id}.xml`, typeof document.acknowledgement === 'string' ? Buffer.from(document.acknowledgement, 'utf8') : document.acknowledgement]);
		const headers = {
			'content-type': 'application/zip',
			'content-disposition': contentDisposition(`${document.id}.zip`),
		};
		const source = this.source(document);
		if (Buffer.isBuffer(source)) {
			const zipped = zipSync({
				[document.fileName]: [source, { level: 0 }],
				...Object.fromEntries(extras),
			});
			return {
				status: 200,
				headers,
				body: Buffer.from(zipped.buffer, zipped.byteOffset, zipped.byteLength),
			};
		}
		// Large content: a streamed ZIP (stored entries), with back-pressure on the source.
		const output = new PassThrough();
		const zip = new Zip((error, data, final) => {
			if (error) {
				output.destroy(error);
				return;
			}
			output.write(data);
			if (final) output.end();
		});
		for (const [name, data] of extras) {
			const entry = new ZipPassThrough(name);
			zip.add(entry);
			entry.push(data, true);
		}
		const entry = new ZipPassThrough(document.fileName);
		zip.add(entry);
		source.on('data', (chunk: Buffer) => {
			entry.push(chunk);
			if (output.writableNeedDrain) source.pause();
		});
		output.on('drain', () => source.resume());
		source.on('end', () => {
			entry.push(new Uint8Array(0), true);
			zip.end();
		});
		source.on('error', (error) => output.destroy(error));
		output.on('close', () => source.destroy());
		return { status: 200, headers, body: output };
	}

	// ─── routes ─────────────────────────────────────────────────────────────────────────────────

	private registerRoutes(): void {
		const notMultipart = this.fail(
			FAST_ERRORS.uploadDoc,
			'the request is not multipart/form-data',
			'La requête est incorrecte.',
		);

		this.api(
			'POST',
			'/documents/v2/:siren/:circuitId/upload',
			async (request, { siren, circuitId }) => {
				const parts = await this.multipart(request, notMultipart);
				let adopted: ParsedPart | undefined;
				try {
					const subscriber = this.subscriberFor(request, siren);
					this.checkPageParts(parts, PAGE_PARTS.upload);
					const circuit = this.staticCircuit(subscriber, circuitId);
					// Field notes: real clients name the file part `content`; the page says `doc`.
					const file = this.documentFile(parts, 'content', 'doc');
					const label = this.textOf(parts, 'label');
					const comment = this.textOf(parts, 'comment');
					const emailDestinataire = this.textOf(parts, 'emailDestinataire', 'email_destinataire');
					this.checkLengths({ label, comment, emailDestinataire });
					this.checkFormat(circuit, file.fileName ?? '');
					this.checkDuplicate(subscriber.siren, circuitId, label, file.fileName ?? '');
					const document = this.createDocument(request, subscriber, file, {
						kind: circuit.otp ? 'otp' : 'static',
						circuitId,
						circuitType: circuit.type ?? 'BUREAUTIQUE_PDF',
						label,
						comment,
						recipients: splitList(emailDestinataire),
					});
					adopted = file;
					return this.bareId(document.id);
				} finally {
					this.discard(parts, adopted);
				}
			},
			true,
		);

		this.api(
			'POST',
			'/documents/ondemand/:siren/upload',
			async (request, { siren }) => {
				const parts = await this.multipart(request, notMultipart);
				let adopted: ParsedPart | undefined;
				try {
					const subscriber = this.subscriberFor(request, siren);
					this.checkPageParts(parts, PAGE_PARTS.onDemand);
					// Field notes: no client sends `circuit_id`, which the page marks mandatory.
					const circuitId = this.textOf(parts, 'circuit_id')?.trim() || undefined;
					if (this.followApiPage) {
						if (circuitId === undefined)
							throw this.fail(
								FAST_ERRORS.uploadDoc,
								"missing parameter 'circuit_id'",
								'Le paramètre circuit_id est obligatoire.',
							);
						this.staticCircuit(subscriber, circuitId);
					}
					const file = this.documentFile(parts, 'doc', 'content');
					const circuit = this.validateCircuit(
						subscriber,
						this.account(request),
						this.textOf(parts, 'circuit'),
					);
					const comment = this.textOf(parts, 'comment');
					const recipients = this.textOf(parts, 'email_destinataire', 'emailDestinataire');
					// Field notes: lower-case `email_cc` in real use; the page writes `email_CC`.
					const cc = this.followApiPage ? this.textOf(parts, 'email_CC') : this.textOf(parts, 'email_cc', 'email_CC');
					const agents = this.textOf(parts, 'agents');
					this.checkLengths({ comment, email_destinataire: recipients, email_cc: cc, agents });
					const annexes = parts
						.filter((part) => part.isFile && part.name === 'annexes')
						.map((part) => ({
							fileName: part.fileName ?? '',
							contentType: part.contentType ?? 'application/octet-stream',
							size: part.size,
							sha256: part.sha256,
						}));
					const document = this.createDocument(request, subscriber, file, {
						kind: 'onDemand',
						circuitId,
						circuit,
						circuitType: circuit.type,
						comment,
						recipients: splitList(recipients),
						cc: splitList(cc),
						agents: splitList(agents),
						annexes,
					});
					adopted = file;
					return this.bareId(document.id);
				} finally {
					this.discard(parts, adopted);
				}
			},
			true,
		);

		this.api(
			'POST',
			'/documents/v2/otp/:siren/:circuitId/upload',
			async (request, { siren, circuitId }) => {
				const parts = await this.multipart(request, notMultipart);
				let adopted: ParsedPart | undefined;
				try {
					const subscriber = this.subscriberFor(request, siren);
					this.checkPageParts(parts, PAGE_PARTS.otp);
					const circuit = this.staticCircuit(subscriber, circuitId);
					const file = this.documentFile(parts, 'doc', 'content');
					const meta = this.textOf(parts, 'meta');
					if (meta === undefined)
						throw this.fail(
							FAST_ERRORS.uploadDoc,
							'missing OTP meta-data file (part "meta")',
							'Les informations OTP sont manquantes.',
						);
					let signers: OtpSigner[];
					try {
						signers = otpSignersOf(parseMetaDataList(meta));
					} catch (error) {
						throw this.fail(
							FAST_ERRORS.uploadDoc,
							`meta is not a valid meta-data-list: ${(error as Error).message}`,
							'Les informations OTP sont incorrectes.',
						);
					}
					const label = this.textOf(parts, 'label');
					const comment = this.textOf(parts, 'comment');
					const referer = this.textOf(parts, 'referer');
					this.checkLengths({ label, comment, referer });
					this.checkFormat(circuit, file.fileName ?? '');
					this.checkDuplicate(subscriber.siren, circuitId, label, file.fileName ?? '');
					const document = this.createDocument(request, subscriber, file, {
						kind: 'otp',
						circuitId,
						circuitType: circuit.type ?? 'BUREAUTIQUE_PDF',
						label,
						comment,
						referer,
						otpSigners: signers,
					});
					adopted = file;
					document.otpUrl = this.otpUrl([document.id]);
					this.appendState(document, {
						stateName: 'Informations OTP définies',
						userFullname: 'boucle-sms',
						date: new Date(this.now()).toISOString(),
					});
					return { status: 200, body: { id: Number(document.id), url: document.otpUrl } };
				} finally {
					this.discard(parts, adopted);
				}
			},
			true,
		);

		const metadataError = (detail: string) =>
			this.fail(FAST_ERRORS.metadata, detail, 'Le fichier de métadonnées est incorrect.');

		this.api(
			'PUT',
			'/documents/v2/:id/metadata/define',
			async (request, { id }) => {
				const parts = await this.multipart(
					request,
					metadataError('the request is not multipart/form-data'),
				);
				try {
					const document = this.documentFor(request, id);
					this.checkPageParts(parts, PAGE_PARTS.metadata);
					const xml = this.textOf(parts, 'metadata');
					if (xml === undefined) throw metadataError('missing part "metadata"');
					let values: Record<string, string>;
					try {
						values = parseMetaDataList(xml);
					} catch (error) {
						throw metadataError((error as Error).message);
					}
					Object.assign(document.metadata, values);
					document.history.push({
						stateName: 'Métadonnées définies',
						userFullname: this.depositorName(document.siren, this.account(request)),
						date: new Date(this.now()).toISOString(),
					});
					return { status: 200 };
				} finally {
					this.discard(parts);
				}
			},
			true,
		);

		this.api(
			'PUT',
			'/documents/v2/otp/:id/metadata/define',
			async (request, { id }) => {
				const parts = await this.multipart(
					request,
					metadataError('the request is not multipart/form-data'),
				);
				try {
					const document = this.documentFor(request, id);
					this.checkPageParts(parts, PAGE_PARTS.otpInformation);
					const xml = this.textOf(parts, 'otpinformation');
					if (xml === undefined) throw metadataError('missing part "otpinformation"');
					let signers: OtpSigner[];
					try {
						signers = otpSignersOf(parseMetaDataList(xml));
					} catch (error) {
						throw metadataError((error as Error).message);
					}
					document.otpSigners = signers;
					document.otpUrl ??= this.otpUrl([document.id]);
					const path = this.naturalPath(document);
					const entry = {
						stateName: 'Informations OTP définies',
						userFullname: 'boucle-sms',
						date: new Date(this.now()).toISOString(),
					};
					if (path[document.pathPosition + 1] === entry.stateName)
						this.appendState(document, entry);
					// Defined ahead of its step: recorded, and auto-advance will not repeat it.
					else document.history.push(entry);
					return { status: 200 };
				} finally {
					this.discard(parts);
				}
			},
			true,
		);

		this.api('GET', '/documents/v2/otp/url', (request) => {
			const given = request.query.id;
			const ids = (Array.isArray(given) ? given : given === undefined ? [] : [given]).flatMap(
				(id) => id.split(','),
			);
			if (ids.length === 0) throw this.fail(FAST_ERRORS.invalidDocId);
			for (const id of ids) this.documentFor(request, id.trim());
			return { status: 200, body: { url: this.otpUrl(ids.map((id) => id.trim())) } };
		});

		this.api('GET', '/documents/v2/:id/download', (request, { id }) => {
			const document = this.documentFor(request, id);
			return this.download(
				document,
				isTrue(request.query.acquit),
				isTrue(request.query.FdC ?? request.query.fdc ?? request.query.FDC),
			);
		});

		this.api('GET', '/documents/v2/:id/getFdc', (request, { id }) => {
			const document = this.documentFor(request, id);
			const pdf = this.fiche(document);
			return {
				status: 200,
				headers: {
					'content-type': 'application/pdf',
					'content-disposition': contentDisposition(`fiche-de-circulation-${document.id}.pdf`),
				},
				body: pdf,
			};
		});

		this.api('GET', '/documents/v2/:id/history', (request, { id }) => {
			const document = this.documentFor(request, id);
			return {
				status: 200,
				headers: { 'content-type': 'application/json;charset=UTF-8' },
				body: document.history.map((entry) => ({ ...entry })),
			};
		});

		this.api('DELETE', '/documents/v2/:id', (request, { id }) => {
			const document = this.documentFor(request, id);
			const state =
				[...document.history].reverse().find((entry) => entry.stateName !== null)?.stateName ?? '';
			if (!['prepare', 'refuse', 'rejete'].includes(lenient(state)))
				throw new FastError(
					FAST_ERRORS.deleteState.errorCode,
					`${FAST_ERRORS.deleteState.developerMessage} ${state}`,
					`Le document ne peut pas être supprimé dans l'état « ${state} ».`,
				);
			this.removeDocument(document.id);
			return { status: 200 };
		});

		for (const kind of Object.keys(REMAINING_SEGMENTS) as FastRemainingKind[]) {
			const segment = REMAINING_SEGMENTS[kind];
			this.api('GET', `/documents/v2/:siren/${segment}/remaining`, (request, { siren }) => {
				const subscriber = this.subscriberFor(request, siren);
				return { status: 200, body: this.remaining(kind, subscriber.siren).map(Number) };
			});
			this.api('GET', `/documents/v2/:id/${segment}/download`, (request, { id }) => {
				const item = this.remainingItems[kind].get(id);
				if (!item) throw this.fail(FAST_ERRORS.invalidDocId);
				this.subscriberFor(request, item.siren);
				item.consumed = true;
				return {
					status: 200,
					headers: { 'content-type': typeof item.xml === 'string' ? 'application/xml;charset=UTF-8' : 'application/xml' },
					body: item.xml,
				};
			});
		}

		this.api('GET', '/documents/v2/:id/comments/refusal', (request, { id }) => {
			const document = this.documentFor(request, id);
			if (!document.refusal) throw this.fail(FAST_ERRORS.noRefusalComment);
			return {
				status: 200,
				headers: { 'content-type': 'text/plain;charset=UTF-8' },
				body: document.refusal,
			};
		});

		this.api('GET', '/exportUsersData', (request) => {
			const siren = typeof request.query.siren === 'string' ? request.query.siren : undefined;
			const subscriber = this.subscriberFor(request, siren);
			return { status: 200, body: { users: structuredClone(subscriber.users) } };
		});

		this.api('PUT', '/synchronization/:siren/users', (request, { siren }) => {
			const subscriber = this.subscriberFor(request, siren);
			let body = request.body;
			if (typeof body === 'string') {
				try {
					body = JSON.parse(body);
				} catch {
					// Reported below.
				}
			}
			if (!Array.isArray(body))
				throw this.fail(
					FAST_ERRORS.synchronization,
					'the body must be a JSON array of users',
					'Le contenu de la synchronisation est incorrect.',
				);
			const errors: Array<{ email: string; error: string }> = [];
			const kept = new Set<string>();
			const next: FastUser[] = [];
			for (const item of body as unknown[]) {
				const user = (item && typeof item === 'object' ? item : {}) as Record<string, unknown>;
				const email = typeof user.email === 'string' ? user.email.trim() : '';
				if (email) kept.add(lenient(email));
				if (!MAIL_PATTERN.test(email)) {
					errors.push({ email: String(user.email ?? ''), error: 'Invalid email' });
					continue;
				}
				if (user.authenticationType !== 'CERTIFICAT' && user.authenticationType !== 'BASIC') {
					errors.push({ email, error: 'Invalid authenticationType (CERTIFICAT or BASIC)' });
					continue;
				}
				if (next.some((other) => lenient(other.email) === lenient(email))) {
					errors.push({ email, error: 'Duplicate email' });
					continue;
				}
				const existing = subscriber.users.find((other) => lenient(other.email) === lenient(email));
				next.push({
					email,
					nom: typeof user.lastName === 'string' ? user.lastName : (existing?.nom ?? ''),
					prenom: typeof user.firstName === 'string' ? user.firstName : (existing?.prenom ?? ''),
					authenticationType: user.authenticationType,
					groups: Array.isArray(user.groups) ? user.groups.map(String) : [],
					circuits: existing?.circuits ?? [],
				});
			}
			// Users whose entry was refused are left as they were (not deleted).
			const untouched = subscriber.users.filter(
				(user) =>
					kept.has(lenient(user.email)) &&
					!next.some((other) => lenient(other.email) === lenient(user.email)),
			);
			subscriber.users = [...next, ...untouched];
			if (errors.length === 0) return { status: 200 };
			return { status: 200, body: errors };
		});

		// Web UI (HOST, not under the API prefix).
		this.server.route('GET', '/parapheur/showDoc.action', (request) => {
			const id = typeof request.query.documentid === 'string' ? request.query.documentid : '';
			const document = this.document(id);
			if (!document) return html(404, 'Document introuvable', '<h1>Document introuvable</h1>');
			const state = document.history.at(-1)?.stateName ?? '';
			return html(
				200,
				`FAST Parapheur - ${document.fileName}`,
				`<h1>${escapeHtml(document.fileName)}</h1><p>Document ${document.id}</p><p>Circuit : ${escapeHtml(document.circuitId ?? document.circuitType)}</p><p>État : ${escapeHtml(state)}</p>`,
			);
		});
		this.server.route('GET', '/boucle-sms/documentView', (request) => {
			const token = typeof request.query.id === 'string' ? request.query.id : '';
			const ids = this.otpTokens.get(token);
			if (!ids) return html(404, 'Lien invalide', '<h1>Lien invalide ou expiré</h1>');
			return html(
				200,
				'Signature par code SMS',
				`<h1>Signature par code SMS</h1><ul>${ids.map((id) => `<li>${escapeHtml(this.documents.get(id)?.fileName ?? id)}</li>`).join('')}</ul>`,
			);
		});
	}

	private otpUrl(ids: string[]): string {
		const token = `${randomBytes(32).toString('base64url')}=`;
		this.otpTokens.set(token, ids);
		return `${this.url}/boucle-sms/documentView?id=${token}`;
	}
}

export async function startFastEmulator(options: FastEmulatorOptions = {}): Promise<FastEmulator> {
	const emulator = new FastEmulator(options);
	await emulator.start(options.port ?? 0);
	return emulator;
}
