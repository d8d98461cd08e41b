import type { FlowerDocsSeed } from '.';

/** Sample data of the emulator that `npm run dev` and the example workflows use. */
export const FLOWERDOCS_SAMPLE: FlowerDocsSeed = {
	users: [
		{ id: 'bbain', firstname: 'Barbara', lastname: 'Bain', mail: 'barbara.bain@mairie.example.fr', profiles: ['AllUsers'], groups: ['DGS'], attributes: [{ name: 'service', values: ['DGS'] }] },
		{ id: 'hlenoir', firstname: 'Hélène', lastname: 'Lenoir', mail: 'helene.lenoir@mairie.example.fr', profiles: ['AllUsers', 'eEnvelope'], groups: ['RH'] },
		{ id: 'ccordy', firstname: 'Charles', lastname: 'Cordy', mail: 'charles.cordy@mairie.example.fr', profiles: ['AllUsers'] },
	],
};
