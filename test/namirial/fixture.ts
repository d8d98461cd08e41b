import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import type { NamirialEmulator, NamirialSeed } from '../emulators/namirial';
import { NAMIRIAL_ADMIN_EMAIL, NAMIRIAL_ADMIN_PASSWORD, startNamirialEmulator } from '../emulators/namirial';
import type { NodeUnderTest, RunResult } from '../harness';
import { runNode } from '../harness';

export const SEED: NamirialSeed = {
	operators: [
		{ email: 'jeanne.martin@agence.example.fr', firstName: 'Jeanne', lastName: 'Martin', authorizations: ['VALIDATION'], reportTypes: ['ACTIVITY'], externalId: 'HR-001', groupsLabel: ['DEFAULT'] },
		{ email: 'paul.durand@agence.example.fr', firstName: 'Paul', lastName: 'Durand', authorizations: ['CLIENT_FILES_DOWNLOAD'], productsPublicId: ['P1'] },
		{ email: 'ancien.agent@agence.example.fr', firstName: 'Ancien', lastName: 'Agent', state: 'DELETE' },
	],
};

export interface NamirialFixture {
	emulator: NamirialEmulator;
	credentials(overrides?: Partial<ICredentialDataDecryptedObject>): Record<string, ICredentialDataDecryptedObject>;
	run(
		parameters: INodeParameters,
		options?: { items?: IDataObject[]; node?: Partial<NodeUnderTest>; credentials?: Partial<ICredentialDataDecryptedObject> },
	): Promise<RunResult>;
}

/** A fresh emulator per test, seeded with a few operators, and a runner bound to it. */
export function useNamirial(seed: NamirialSeed = SEED): NamirialFixture {
	const fixture = {} as NamirialFixture;
	beforeEach(async () => {
		fixture.emulator = await startNamirialEmulator(structuredClone(seed));
	});
	afterEach(async () => {
		await fixture.emulator.close();
	});
	fixture.credentials = (overrides = {}) => ({
		namirialTrustAndSignApi: {
			environment: 'custom',
			url: fixture.emulator.url,
			email: NAMIRIAL_ADMIN_EMAIL,
			password: NAMIRIAL_ADMIN_PASSWORD,
			...overrides,
		},
	});
	fixture.run = async (parameters, options = {}) =>
		await runNode({
			node: { type: 'namirialTrustAndSign', parameters: { resource: 'operator', ...parameters }, ...options.node },
			credentials: fixture.credentials(options.credentials),
			items: options.items,
		});
	return fixture;
}

export const basicAuth = `Basic ${Buffer.from(`${NAMIRIAL_ADMIN_EMAIL}:${NAMIRIAL_ADMIN_PASSWORD}`).toString('base64')}`;

/** Batch parameters that read every field from the item (`$json.<name>`). */
export const fromItem = (name: string) => `={{ $json.${name} }}`;
