import type { MaarchSeed } from '.';

/** Sample data of the emulator that `npm run dev` and the example workflows use. */
export const MAARCH_SAMPLE: MaarchSeed = {
	users: [
		{ user_id: 'bbain', firstname: 'Barbara', lastname: 'Bain', mail: 'barbara.bain@mairie.example.fr', groups: ['AGENT'], entities: ['DGS'] },
		{ user_id: 'hlenoir', firstname: 'Hélène', lastname: 'Lenoir', mail: 'helene.lenoir@mairie.example.fr', status: 'ABS' },
		{ user_id: 'ccordy', firstname: 'Charles', lastname: 'Cordy', mail: 'charles.cordy@mairie.example.fr', maarchParapheurId: 20 },
	],
};
