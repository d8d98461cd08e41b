import type { NamirialSeed } from '.';

/** Sample data of the emulator that `npm run dev` and the example workflows use. */
export const NAMIRIAL_SAMPLE: NamirialSeed = {
	operators: [
		{ email: 'jeanne.martin@agence.example.fr', firstName: 'Jeanne', lastName: 'Martin', authorizations: ['VALIDATION'], reportTypes: ['ACTIVITY'], externalId: 'HR-001', groupsLabel: ['DEFAULT'] },
		{ email: 'paul.durand@agence.example.fr', firstName: 'Paul', lastName: 'Durand', authorizations: ['CLIENT_FILES_DOWNLOAD'], productsPublicId: ['P1'] },
		{ email: 'ancien.agent@agence.example.fr', firstName: 'Ancien', lastName: 'Agent', state: 'DELETE' },
	],
};
