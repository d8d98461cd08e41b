import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import type { FlowerDocsEmulator, FlowerDocsSeed } from '../emulators/flowerdocs';
import { FLOWERDOCS_API_PASSWORD, FLOWERDOCS_API_USER, FLOWERDOCS_SCOPE, startFlowerDocsEmulator } from '../emulators/flowerdocs';
import type { NodeUnderTest, RunResult, TestCredentialsHelper } from '../harness';
import { runNode } from '../harness';

export const SEED: FlowerDocsSeed = {
	users: [
		{
			id: 'jdupont',
			firstname: 'Jeanne',
			lastname: 'Dupont',
			displayName: 'Jeanne Dupont',
			mail: 'jeanne.dupont@mairie.example.fr',
			password: 'Jeanne-Pa55',
			profiles: ['AllUsers', 'eEnvelope'],
			groups: ['DRH'],
			attributes: [{ name: 'service', values: ['RH'] }, { name: 'site', values: ['Hôtel de ville'] }],
		},
		{ id: 'mmartin', firstname: 'Marc', lastname: 'Martin', mail: 'marc.martin@mairie.example.fr', profiles: ['AllUsers'] },
		{ id: 'pdurand', firstname: 'Paul', lastname: 'Durand', mail: 'paul.durand@mairie.example.fr' },
	],
};

export interface FlowerDocsFixture {
	emulator: FlowerDocsEmulator;
	credentials(overrides?: Partial<ICredentialDataDecryptedObject>): Record<string, ICredentialDataDecryptedObject>;
	run(
		parameters: INodeParameters,
		options?: {
			items?: IDataObject[];
			node?: Partial<NodeUnderTest>;
			credentials?: Partial<ICredentialDataDecryptedObject>;
			credentialsHelper?: TestCredentialsHelper;
		},
	): Promise<RunResult>;
	/** Requests other than logins: method, path (without the context path), query, body. */
	received(): Array<{ method: string; path: string; query: unknown; body: unknown }>;
}

/** A fresh emulator per test, seeded with a few users, and a runner bound to it. */
export function useFlowerDocs(seed: FlowerDocsSeed = SEED): FlowerDocsFixture {
	const fixture = {} as FlowerDocsFixture;
	beforeEach(async () => {
		fixture.emulator = await startFlowerDocsEmulator(structuredClone(seed));
	});
	afterEach(async () => {
		await fixture.emulator.close();
	});
	fixture.credentials = (overrides = {}) => ({
		flowerDocsApi: {
			url: fixture.emulator.url,
			scope: FLOWERDOCS_SCOPE,
			user: FLOWERDOCS_API_USER,
			password: FLOWERDOCS_API_PASSWORD,
			ignoreSslIssues: false,
			sessionToken: '',
			renewAt: '',
			...overrides,
		},
	});
	fixture.run = async (parameters, options = {}) =>
		await runNode({
			node: { type: 'flowerDocs', parameters: { resource: 'user', ...parameters }, ...options.node },
			credentials: fixture.credentials(options.credentials),
			items: options.items,
			credentialsHelper: options.credentialsHelper,
		});
	fixture.received = () =>
		fixture.emulator.log
			.filter((entry) => !entry.path.endsWith('/rest/authentication'))
			.map(({ method, path, query, body }) => ({ method, path: path.replace(/^\/core/, ''), query, body }));
	return fixture;
}
