/**
 * FAST history states: the French `stateName` of each history entry, matched leniently and
 * given a stable English name that workflows can branch on. The raw `stateName` is always kept
 * beside it in the output: names vary between FAST deployments and versions (field notes).
 */
import type { INodePropertyOptions } from 'n8n-workflow';

import { InputError } from '../../shared/validation';

export type NormalisedState =
	| 'prepared'
	| 'metadataDefined'
	| 'otpDefined'
	| 'sentForVisa'
	| 'visaApproved'
	| 'visaRefused'
	| 'sentForSignature'
	| 'signed'
	| 'refused'
	| 'otpSigned'
	| 'signatureValidated'
	| 'signatureRejected'
	| 'sendingToFast'
	| 'sentToFast'
	| 'sentToHelios'
	| 'heliosAcknowledged'
	| 'classified'
	| 'archived'
	| 'replaced'
	| 'error'
	| 'pending'
	| 'unknown';

export type StateOutcome = 'success' | 'rejected' | 'error' | 'inProgress';

/** Lower case, without accents, typographic apostrophes or repeated spaces. */
function stateKey(stateName: string): string {
	return stateName
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[\u2018\u2019\u02bc`\u00b4]/g, "'")
		.replace(/[\s\u00a0\u202f]+/g, ' ')
		.replace(/\s*'\s*/g, "'")
		.replace(/[\s.]+$/, '')
		.trim();
}

/**
 * Every spelling seen, by key. The API page and the real clients disagree (field notes): the page
 * writes `Validé`, `Rejeté`, `Acquittance Hélios`, `OTP validé`; real deployments send `Visa
 * approuvé`, `Visa désapprouvé`, `Acquittement Hélios`, `OTP signé`. Both are accepted.
 */
const STATES_BY_KEY: Record<string, NormalisedState> = {
	prepare: 'prepared',
	'metadonnees definies': 'metadataDefined',
	'informations otp definies': 'otpDefined',
	'envoye pour visa': 'sentForVisa',
	valide: 'visaApproved',
	'visa approuve': 'visaApproved',
	'visa valide': 'visaApproved',
	rejete: 'visaRefused',
	'visa desapprouve': 'visaRefused',
	'visa rejete': 'visaRefused',
	'visa refuse': 'visaRefused',
	'envoye pour signature': 'sentForSignature',
	signe: 'signed',
	refuse: 'refused',
	'otp valide': 'otpSigned',
	'otp signe': 'otpSigned',
	'signature validee': 'signatureValidated',
	'signature rejetee': 'signatureRejected',
	"en cours d'envoi": 'sendingToFast',
	'envoye a fast': 'sentToFast',
	'transmis a helios': 'sentToHelios',
	'acquittance helios': 'heliosAcknowledged',
	'acquittement helios': 'heliosAcknowledged',
	classe: 'classified',
	archive: 'archived',
	'document remplace': 'replaced',
};

/**
 * The normalised state of a history `stateName`. Case, accents, apostrophes and spaces do not
 * matter. Every `Échec ...` state is `error`. An empty or missing name (FAST writes one at a step
 * boundary) is `unknown`; a name this node does not know is `pending`: FAST reported a state, the
 * document is still on its way.
 */
export function normaliseState(stateName: string | null | undefined): NormalisedState {
	if (stateName === null || stateName === undefined) return 'unknown';
	const key = stateKey(String(stateName));
	if (key === '') return 'unknown';
	if (key.startsWith('echec')) return 'error';
	return STATES_BY_KEY[key] ?? 'pending';
}

/**
 * Which states end a document: two rules, one per version of the nodes (a saved workflow keeps the
 * rule of the version it was built with).
 *
 * `classified` (version 2): FAST's work on the document is over, no later state is expected.
 * Decided from the API page's list of history states (section 2.6) and the field notes:
 * - `Classé` ("en fin de vie, il n'attend aucune action") ends every circuit, `Archivé` comes
 *   with the vault, `Acquittement Hélios` ends a PES flow.
 * - A refusal (`Refusé` by a signer, `Rejeté`/`Visa désapprouvé` by a validator, `signature
 *   rejetée` by FAST's signature checker) ends the circuit: the depositor must upload again (FAST
 *   lets a `Refusé` or `Rejeté` document be deleted, nothing more).
 * - Every `Échec ...` state ends it in error; `Document remplacé` ends this document's life.
 * `Signé` is **not** final: the page lists `Signature validée` and `signature rejetée` (the
 * signature checker's verdict on PDF and detached signatures) after it, a circuit with several
 * signature steps writes `Signé` after each of them, and `Classé` follows. Real clients stop at
 * `Signé` (field notes) and so miss a rejected signature. Since a deployment might never write
 * anything after the last `Signé`, a document whose last state is `Signé` or `Signature validée`
 * is *settling* (see `isSettlingState`): the trigger keeps reading it, and gives up after
 * SETTLING_DAYS without a change.
 *
 * `signed` (version 1, what real clients do): `Signé` is final as well.
 */
export type FinalRule = 'classified' | 'signed';

const FINAL_STATES: ReadonlySet<NormalisedState> = new Set<NormalisedState>([
	'classified',
	'archived',
	'heliosAcknowledged',
	'refused',
	'visaRefused',
	'signatureRejected',
	'error',
	'replaced',
]);

export function isFinalState(state: NormalisedState, rule: FinalRule = 'classified'): boolean {
	return FINAL_STATES.has(state) || (rule === 'signed' && state === 'signed');
}

/** The rule of a node's version: 2 and later follow the API page. */
export function finalRuleOf(typeVersion: number): FinalRule {
	return typeVersion >= 2 ? 'classified' : 'signed';
}

/** Signed, and only the signature checker's verdict or the classification is still to come (rule `classified`). */
const SETTLING_STATES: ReadonlySet<NormalisedState> = new Set<NormalisedState>(['signed', 'signatureValidated']);

export function isSettlingState(state: NormalisedState, rule: FinalRule = 'classified'): boolean {
	return rule === 'classified' && SETTLING_STATES.has(state);
}

/** How long a document may stay `Signé` / `Signature validée` without a change before the trigger stops reading it. */
export const SETTLING_DAYS = 7;

/**
 * What a state means for the workflow: `success` (signed, signature validated, classified,
 * archived, acknowledged by Hélios), `rejected` (refused by a signer or a validator, signature rejected by the checker, or
 * the document replaced: it will not be signed either way), `error` (an `Échec ...` state), or
 * `inProgress` for every other state. `success` on `Signé` is provisional until the document is
 * final: a later `signature rejetée` makes the outcome `rejected`.
 */
export function outcomeOf(state: NormalisedState, rule: FinalRule = 'classified'): StateOutcome {
	if (state === 'signatureValidated' && rule === 'signed') return 'inProgress';
	switch (state) {
		case 'signed':
		case 'signatureValidated':
		case 'classified':
		case 'archived':
		case 'heliosAcknowledged':
			return 'success';
		case 'refused':
		case 'visaRefused':
		case 'signatureRejected':
		case 'replaced':
			return 'rejected';
		case 'error':
			return 'error';
		default:
			return 'inProgress';
	}
}

export interface HistoryEntry {
	userFullname?: string | null;
	date?: string | null;
	stateName?: string | null;
}

/** The last entry with a state name: empty names only mark step boundaries. */
export function lastMeaningfulEntry<T extends HistoryEntry>(history: readonly T[]): T | undefined {
	for (let i = history.length - 1; i >= 0; i--) {
		const stateName = history[i]?.stateName;
		if (typeof stateName === 'string' && stateName.trim() !== '') return history[i];
	}
	return undefined;
}

/**
 * The outcome of a whole history (oldest entry first, as FAST sends it). `Classé` and `Archivé`
 * only say the document's life is over, also after a refusal; the outcome is then that of the
 * last final state before them (`Refusé` then `Classé` is `rejected`), `success` when there is
 * none (a visa-only or OTP circuit goes from `Visa approuvé`/`OTP signé` to `Classé`).
 */
export function historyOutcome(history: readonly HistoryEntry[], rule: FinalRule = 'classified'): StateOutcome {
	const last = lastMeaningfulEntry(history);
	if (!last) return 'inProgress';
	const state = normaliseState(last.stateName);
	if (state !== 'classified' && state !== 'archived') return outcomeOf(state, rule);
	for (let i = history.lastIndexOf(last) - 1; i >= 0; i--) {
		const earlier = normaliseState(history[i]?.stateName);
		if (earlier !== 'classified' && earlier !== 'archived' && isFinalState(earlier, rule)) {
			return outcomeOf(earlier, rule);
		}
	}
	return 'success';
}

/**
 * The states, for the trigger's filter and the docs. Names in English, the French `stateName`
 * spellings FAST sends in the description.
 */
export const NORMALISED_STATE_OPTIONS: Array<INodePropertyOptions & { value: NormalisedState }> = [
	{
		name: 'Archived',
		value: 'archived',
		description: 'Archivé: stored in the electronic vault. Final.',
	},
	{
		name: 'Classified',
		value: 'classified',
		description: 'Classé: the document\'s life is over, it waits for no action. Final.',
	},
	{
		name: 'Error',
		value: 'error',
		description:
			"Échec de l'envoi à FAST, Échec du traitement FAST, Échec de l'envoi à Hélios, and any other Échec state. Final.",
	},
	{
		name: 'Hélios Acknowledged',
		value: 'heliosAcknowledged',
		description: 'Acquittement Hélios (or Acquittance Hélios): the DGFiP acknowledged the PES. Final.',
	},
	{
		name: 'Metadata Defined',
		value: 'metadataDefined',
		description: 'Métadonnées définies: the metadata were set',
	},
	{
		name: 'Other State',
		value: 'pending',
		description: 'A state name this node does not know (names vary between FAST deployments); the document is in progress',
	},
	{
		name: 'OTP Details Defined',
		value: 'otpDefined',
		description: 'Informations OTP définies: the OTP signer details were set',
	},
	{
		name: 'OTP Signed',
		value: 'otpSigned',
		description: 'OTP signé (or OTP validé): the external signer entered the SMS code and signed',
	},
	{
		name: 'Prepared',
		value: 'prepared',
		description: 'Préparé: the document was deposited',
	},
	{
		name: 'Refused',
		value: 'refused',
		description: 'Refusé: a signer refused to sign. Final.',
	},
	{
		name: 'Replaced',
		value: 'replaced',
		description: 'Document remplacé: another document replaced this one. Final.',
	},
	{
		name: 'Sending to FAST',
		value: 'sendingToFast',
		description: "En cours d'envoi: a PES is being sent to the FAST platform",
	},
	{
		name: 'Sent for Signature',
		value: 'sentForSignature',
		description: 'Envoyé pour signature: waiting for a signer',
	},
	{
		name: 'Sent for Visa',
		value: 'sentForVisa',
		description: 'Envoyé pour visa: waiting for a validator',
	},
	{
		name: 'Sent to FAST',
		value: 'sentToFast',
		description: 'Envoyé à FAST: a PES reached the FAST platform, on its way to Hélios',
	},
	{
		name: 'Sent to Hélios',
		value: 'sentToHelios',
		description: 'Transmis à Hélios: a PES was sent to Hélios (DGFiP)',
	},
	{
		name: 'Signature Rejected',
		value: 'signatureRejected',
		description: 'Signature rejetée: the signature checker rejected the signature. Final.',
	},
	{
		name: 'Signature Validated',
		value: 'signatureValidated',
		description: 'Signature validée: the signature checker accepted the signature (Classé follows)',
	},
	{
		name: 'Signed',
		value: 'signed',
		description: "Signé: a signer signed the document. Final for version 1 of the nodes; from version 2 not final: FAST's signature checker (Signature validée or signature rejetée), further signers or Classé may follow.",
	},
	{
		name: 'Step Boundary',
		value: 'unknown',
		description: 'A history entry without a state name, which FAST writes between steps',
	},
	{
		name: 'Visa Approved',
		value: 'visaApproved',
		description: 'Visa approuvé (or Validé): a validator approved the document',
	},
	{
		name: 'Visa Refused',
		value: 'visaRefused',
		description: 'Visa désapprouvé (or Rejeté): a validator rejected the document. Final.',
	},
];

/**
 * The FAST web UI page of a document. `hostUrl` is the host or any URL of the FAST server (the
 * API base included); a path before `/parapheur-ws` or `/parapheur` (a reverse proxy prefix) is
 * kept, otherwise the link starts at the origin.
 */
export function documentLink(hostUrl: string, documentId: string): string {
	let text = String(hostUrl ?? '').trim();
	if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `https://${text}`;
	if (!URL.canParse(text)) {
		throw new InputError(`'Host or URL' is not a valid address: ${JSON.stringify(hostUrl)}`);
	}
	const url = new URL(text);
	const path = url.pathname.replace(/\/parapheur(?:-ws)?(?:\/.*)?$/i, '').replace(/\/+$/, '');
	return `${url.origin}${path}/parapheur/showDoc.action?documentid=${encodeURIComponent(
		String(documentId).trim(),
	)}`;
}
