import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import type { MaarchEmulator, MaarchSeed } from '../emulators/maarch';
import { MAARCH_API_LOGIN, MAARCH_API_PASSWORD, startMaarchEmulator } from '../emulators/maarch';
import type { NodeUnderTest, RunResult } from '../harness';
import { runNode } from '../harness';

export const SEED: MaarchSeed = {
	users: [
		{ id: 10, user_id: 'bbain', firstname: 'Barbara', lastname: 'Bain', mail: 'barbara.bain@mairie.example.fr', initials: 'BB', phone: '+33102030405', groups: ['AGENT'] },
		{ id: 11, user_id: 'hlenoir', firstname: 'Hélène', lastname: 'Lenoir', mail: 'helene.lenoir@mairie.example.fr', status: 'ABS' },
		{ id: 12, user_id: 'ccordy', firstname: 'Charles', lastname: 'Cordy', mail: 'charles.cordy@mairie.example.fr', maarchParapheurId: 20 },
		{ id: 13, user_id: 'ancien', firstname: 'Ancien', lastname: 'Agent', mail: 'ancien.agent@mairie.example.fr', status: 'DEL', groups: ['ELU'] },
	],
};

export interface MaarchFixture {
	emulator: MaarchEmulator;
	credentials(overrides?: Partial<ICredentialDataDecryptedObject>): Record<string, ICredentialDataDecryptedObject>;
	run(parameters: INodeParameters, options?: { items?: IDataObject[]; node?: Partial<NodeUnderTest>; credentials?: Partial<ICredentialDataDecryptedObject>; cancelAfterMs?: number }): Promise<RunResult>;
}

/** A fresh emulator per test, seeded with a few users, and a runner bound to it. */
export function useMaarch(seed: MaarchSeed = SEED): MaarchFixture {
	const fixture = {} as MaarchFixture;
	beforeEach(async () => {
		fixture.emulator = await startMaarchEmulator(structuredClone(seed));
	});
	afterEach(async () => {
		await fixture.emulator.close();
	});
	fixture.credentials = (overrides = {}) => ({
		maarchCourrierApi: {
			url: fixture.emulator.url,
			login: MAARCH_API_LOGIN,
			password: MAARCH_API_PASSWORD,
			ignoreSslIssues: false,
			...overrides,
		},
	});
	fixture.run = async (parameters, options = {}) =>
		await runNode({
			node: { type: 'maarchCourrier', parameters: { resource: 'user', ...parameters }, ...options.node },
			credentials: fixture.credentials(options.credentials),
			items: options.items,
			cancelAfterMs: options.cancelAfterMs,
		});
	return fixture;
}

export const byId = (id: number | string) => ({ __rl: true, mode: 'id', value: String(id) });
export const byLogin = (login: string) => ({ __rl: true, mode: 'login', value: login });

export const basicAuth = `Basic ${Buffer.from(`${MAARCH_API_LOGIN}:${MAARCH_API_PASSWORD}`).toString('base64')}`;
