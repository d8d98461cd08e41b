import type { FastSeed } from '.';
import { DEPOSITOR_EMAIL } from './pki';

/** The commune the test certificate deposits for (a valid SIREN: Luhn check digit). */
export const SAMPLE_SIREN = '213501232';
/** A subscriber that exists but that the test certificate may not use (error 100). */
export const FOREIGN_SIREN = '216901231';
/** A valid SIREN that is no subscriber (error 111). */
export const UNKNOWN_SIREN = '217500560';

export const SAMPLE_CIRCUITS = {
	/** BUREAUTIQUE_PDF: Préparé, Envoyé pour signature, Signé, Classé. */
	signature: 'Signature Maire',
	/** OTP (SMS code) circuit: Préparé, Informations OTP définies, OTP signé, Classé. */
	otp: 'OTP Contrats',
	/** HELIOS_AVEC_TELETRANSMISSION, accepts .xml only: ..., Signé, Transmis à Hélios, Acquittement Hélios. */
	helios: 'Hélios Mandats',
} as const;

export const SAMPLE_USERS = {
	depositor: DEPOSITOR_EMAIL,
	mayor: 'marie.dupont@mairie-exemple.fr',
	dgs: 'jean.martin@mairie-exemple.fr',
	finance: 'sophie.bernard@mairie-exemple.fr',
	agent: 'luc.petit@mairie-exemple.fr',
} as const;

export const SAMPLE_DOCUMENTS = {
	/** Signé then Classé. */
	signed: '320073900',
	/** Refusé, with a refusal comment. */
	refused: '320073901',
	/** PES in Hélios, Acquittement Hélios: its acknowledgement is remaining. */
	helios: '320073902',
	/** Préparé only (can be deleted). */
	prepared: '320073903',
} as const;

/**
 * The sample PES Retour as a Trésorerie's files come: in ISO-8859-1, accents included, so that
 * reading it as UTF-8 would show. `SAMPLE_PES_RETOUR` holds the bytes the emulator sends.
 */
export const SAMPLE_PES_RETOUR_XML = `<?xml version="1.0" encoding="ISO-8859-1"?>
<PES_Retour>
  <EnTetePES><IdColl V="${SAMPLE_SIREN}"/><DteStr V="2024-02-03"/><LibelleColBud V="Mairie d'Exemple-sur-Vilaine"/></EnTetePES>
  <Retour>
    <IdUnique V="320073850"/>
    <Emetteur V="Trésorerie de Saint-Étienne"/>
    <Objet>Délibération n° 2024-017 : mandat reçu et pris en charge</Objet>
  </Retour>
</PES_Retour>
`;
export const SAMPLE_PES_RETOUR = Buffer.from(SAMPLE_PES_RETOUR_XML, 'latin1');

/** Sample data of the FAST emulator (tests, `npm run dev`, e2e). */
export const FAST_SAMPLE: FastSeed = {
	subscribers: [
		{
			siren: SAMPLE_SIREN,
			name: "Mairie d'Exemple-sur-Vilaine",
			depositors: [DEPOSITOR_EMAIL],
			circuits: [
				{ id: SAMPLE_CIRCUITS.signature, type: 'BUREAUTIQUE_PDF' },
				{ id: SAMPLE_CIRCUITS.otp, type: 'BUREAUTIQUE_PDF', otp: true },
				{
					id: SAMPLE_CIRCUITS.helios,
					type: 'HELIOS_AVEC_TELETRANSMISSION',
					acceptedExtensions: ['xml'],
				},
			],
			users: [
				{
					email: DEPOSITOR_EMAIL,
					nom: 'Dépôt',
					prenom: 'Compte',
					authenticationType: 'CERTIFICAT',
					groups: ['Agents'],
					circuits: [
						{ circuit: SAMPLE_CIRCUITS.signature, role: 'AGENT' },
						{ circuit: SAMPLE_CIRCUITS.otp, role: 'AGENT' },
						{ circuit: SAMPLE_CIRCUITS.helios, role: 'AGENT' },
					],
				},
				{
					email: SAMPLE_USERS.mayor,
					nom: 'Dupont',
					prenom: 'Marie',
					authenticationType: 'CERTIFICAT',
					groups: ['Élus'],
					circuits: [
						{ circuit: SAMPLE_CIRCUITS.signature, role: 'SIGNATAIRE' },
						{ circuit: SAMPLE_CIRCUITS.helios, role: 'SIGNATAIRE' },
					],
				},
				{
					email: SAMPLE_USERS.dgs,
					nom: 'Martin',
					prenom: 'Jean',
					authenticationType: 'BASIC',
					groups: ['Direction'],
					circuits: [{ circuit: SAMPLE_CIRCUITS.signature, role: 'VALIDEUR' }],
				},
				{
					email: SAMPLE_USERS.finance,
					nom: 'Bernard',
					prenom: 'Sophie',
					authenticationType: 'CERTIFICAT',
					groups: ['Finances'],
					circuits: [{ circuit: SAMPLE_CIRCUITS.helios, role: 'VALIDEUR' }],
				},
				{
					email: SAMPLE_USERS.agent,
					nom: 'Petit',
					prenom: 'Luc',
					authenticationType: 'BASIC',
					groups: ['Agents'],
					circuits: [],
				},
			],
		},
		{
			siren: FOREIGN_SIREN,
			name: 'Communauté de communes du Val Voisin',
			depositors: [],
			circuits: [{ id: 'Signature Président', type: 'BUREAUTIQUE_PDF' }],
			users: [
				{
					email: 'president@cc-valvoisin.fr',
					nom: 'Garnier',
					prenom: 'Paul',
					authenticationType: 'CERTIFICAT',
					groups: ['Élus'],
					circuits: [{ circuit: 'Signature Président', role: 'SIGNATAIRE' }],
				},
			],
		},
	],
	documents: [
		{
			id: SAMPLE_DOCUMENTS.signed,
			siren: SAMPLE_SIREN,
			circuitId: SAMPLE_CIRCUITS.signature,
			label: 'Arrêtés',
			fileName: 'Arrêté voirie 2024-112.pdf',
			comment: 'Fermeture de la rue des Lilas',
			states: [
				{ stateName: 'Préparé', date: '2024-05-02T08:12:40.000Z' },
				{
					stateName: 'Envoyé pour signature',
					userFullname: 'parapheur parapheur',
					date: '2024-05-02T08:12:41.000Z',
				},
				{ stateName: 'Signé', userFullname: 'Marie Dupont', date: '2024-05-03T14:05:10.000Z' },
				{ stateName: null, userFullname: '', date: '2024-05-03T14:05:10.000Z' },
				{
					stateName: 'Classé',
					userFullname: 'parapheur parapheur',
					date: '2024-05-03T14:05:12.000Z',
				},
			],
		},
		{
			id: SAMPLE_DOCUMENTS.refused,
			siren: SAMPLE_SIREN,
			circuitId: SAMPLE_CIRCUITS.signature,
			label: 'Conventions',
			fileName: 'Convention partenariat.pdf',
			states: [
				{ stateName: 'Préparé', date: '2024-05-06T09:00:00.000Z' },
				{
					stateName: 'Envoyé pour signature',
					userFullname: 'parapheur parapheur',
					date: '2024-05-06T09:00:01.000Z',
				},
				{ stateName: 'Refusé', userFullname: 'Marie Dupont', date: '2024-05-07T16:30:00.000Z' },
			],
			refusal: "Merci de corriger l'article 3 (durée) avant signature.",
		},
		{
			id: SAMPLE_DOCUMENTS.helios,
			siren: SAMPLE_SIREN,
			circuitId: SAMPLE_CIRCUITS.helios,
			label: 'Mandats 2024',
			fileName: 'PES mandats janvier.xml',
			states: [
				{ stateName: 'Préparé', date: '2024-02-01T10:00:00.000Z' },
				{
					stateName: 'Envoyé pour signature',
					userFullname: 'parapheur parapheur',
					date: '2024-02-01T10:00:01.000Z',
				},
				{ stateName: 'Signé', userFullname: 'Marie Dupont', date: '2024-02-01T15:20:00.000Z' },
				{
					stateName: 'Transmis à Hélios',
					userFullname: 'parapheur parapheur',
					date: '2024-02-01T15:25:00.000Z',
				},
				{
					stateName: 'Acquittement Hélios',
					userFullname: 'parapheur parapheur',
					date: '2024-02-02T06:00:00.000Z',
				},
			],
		},
		{
			id: SAMPLE_DOCUMENTS.prepared,
			siren: SAMPLE_SIREN,
			circuitId: SAMPLE_CIRCUITS.signature,
			label: 'Notes',
			fileName: 'Note de service.pdf',
			states: [{ stateName: 'Préparé', date: '2024-06-10T07:45:00.000Z' }],
		},
	],
	remaining: [
		{ kind: 'pesRetour', siren: SAMPLE_SIREN, id: '320073850', xml: SAMPLE_PES_RETOUR },
		{ kind: 'chorus', siren: SAMPLE_SIREN, id: '320073860' },
	],
};
