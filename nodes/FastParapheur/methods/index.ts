/**
 * Lists for the editor: the SIREN's circuits (the REST API has no circuit list, but
 * `exportUsersData` reveals every user's circuits) and its users (step members).
 */
import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	ILoadOptionsFunctions,
	INodeCredentialTestResult,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import { checkSiren } from '../../shared/validation';
import { readUsers, userCircuits } from '../helpers/users';
import type { FastCredentials } from '../transport/tls';
import { FastClient, fastClient } from '../transport';
import { pathSegment } from '../../shared/path';

function foldText(text: string): string {
	return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

async function sirenUsers(ctx: ILoadOptionsFunctions): Promise<IDataObject[]> {
	const client = await fastClient(ctx);
	try {
		let given = '';
		try {
			given = String(ctx.getCurrentNodeParameter('siren') ?? '').trim();
		} catch {
			given = '';
		}
		const siren = checkSiren(given || client.defaultSiren, given ? 'SIREN' : 'Default SIREN');
		return readUsers(await client.json({ method: 'GET', path: '/exportUsersData', qs: { siren }, subject: { siren, action: 'export the users' } }));
	} finally {
		client.close();
	}
}

export const listSearch = {
	async searchCircuits(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const circuits = new Set<string>();
		for (const user of await sirenUsers(this)) for (const circuit of userCircuits(user)) circuits.add(circuit);
		const wanted = foldText(filter ?? '');
		return {
			results: [...circuits]
				.filter((circuit) => !wanted || foldText(circuit).includes(wanted))
				.sort((a, b) => a.localeCompare(b, 'fr'))
				.map((circuit) => ({ name: circuit, value: circuit })),
		};
	},
};

export const loadOptions = {
	async getUsers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		return (await sirenUsers(this))
			.map((user) => {
				const email = String(user.email ?? user.mail ?? '');
				const name = [user.prenom ?? user.firstName, user.nom ?? user.lastName].filter(Boolean).join(' ');
				return { name: name ? `${name} (${email})` : email, value: email };
			})
			.filter((option) => option.value)
			.sort((a, b) => a.name.localeCompare(b.name, 'fr'));
	},
};

/**
 * The credential's Test: a real call with the certificate. With a default SIREN it lists the
 * SIREN's remaining acknowledgements (cheap, and proves access to the SIREN); without one, any
 * answer from the API proves the certificate was accepted.
 */
export const credentialTest = {
	async fastParapheurApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		const credentials = credential.data as unknown as FastCredentials;
		const node = { id: 'credential-test', name: 'FAST Parapheur', type: 'fastParapheur', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
		let client: FastClient | undefined;
		try {
			client = new FastClient(node, credentials, () => ({ timeoutMs: 20_000, maxRetries: 0 }));
			const siren = client.defaultSiren ? checkSiren(client.defaultSiren, 'Default SIREN') : '';
			if (siren) {
				await client.text({ method: 'GET', path: `/documents/v2/${pathSegment(siren, 'SIREN')}/ack/remaining`, subject: { siren, action: 'list the SIREN' } });
				return { status: 'OK', message: `Connection successful: the certificate is accepted and SIREN ${siren} is reachable` };
			}
			await client.text({ method: 'GET', path: '/documents/v2/0/history', recover: () => ({ value: null }) });
			return { status: 'OK', message: 'Connection successful: the certificate is accepted (add a Default SIREN to check access to it)' };
		} catch (error) {
			const described = error as Error & { description?: string | null };
			const message = [described.message, described.description].filter(Boolean).join('. ');
			return { status: 'Error', message };
		} finally {
			client?.close();
		}
	},
};
