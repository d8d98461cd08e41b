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

import { joinMessage } from '../../../credentials/testConnection';
import { redact } from '../../shared/redaction';
import { checkSiren } from '../../shared/validation';
import type { FastError } from '../helpers/errors';
import { describeFastError, isInvalidDocumentError } from '../helpers/errors';
import { readUsers, userCircuits } from '../helpers/users';
import type { FastCredentials } from '../transport/tls';
import { credentialSecrets } from '../transport/tls';
import { FastClient, fastClient } from '../transport';
import { pathSegment } from '../../shared/path';
import { parapheurRegisterApiTest } from './registerTest';

function foldText(text: string): string {
	return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** The SIREN's users (`exportUsersData`) and the depositor, the account of the credential's certificate. */
async function sirenUsers(ctx: ILoadOptionsFunctions): Promise<{ users: IDataObject[]; depositor?: string }> {
	const client = await fastClient(ctx);
	try {
		let given = '';
		try {
			given = String(ctx.getCurrentNodeParameter('siren') ?? '').trim();
		} catch {
			given = '';
		}
		const siren = checkSiren(given || client.defaultSiren, given ? 'SIREN' : 'Default SIREN');
		const users = readUsers(await client.json({ method: 'GET', path: '/exportUsersData', qs: { siren }, subject: { siren, action: 'export the users' } }));
		return { users, depositor: client.depositorEmail?.trim().toLowerCase() || undefined };
	} finally {
		client.close();
	}
}

export const listSearch = {
	async searchCircuits(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const circuits = new Set<string>();
		// The REST API has no circuit list: the circuits are those the users hold (their
		// habilitations), so a circuit no user holds is not listed (the field's description says so).
		for (const user of (await sirenUsers(this)).users) for (const circuit of userCircuits(user)) circuits.add(circuit);
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
	/**
	 * The users a step may have as members: every user of the SIREN but the depositor (the
	 * certificate's account, known from the credential's Account E-Mail or the PEM subject), whom
	 * FAST refuses as a member (code 122).
	 */
	async getUsers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const { users, depositor } = await sirenUsers(this);
		return users
			.filter((user) => !depositor || String(user.email ?? user.mail ?? '').trim().toLowerCase() !== depositor)
			.map((user) => {
				const email = String(user.email ?? user.mail ?? '');
				const name = [user.prenom ?? user.firstName, user.nom ?? user.lastName].filter(Boolean).join(' ');
				return { name: name ? `${name} (${email})` : email, value: email };
			})
			.filter((option) => option.value)
			.sort((a, b) => a.name.localeCompare(b.name, 'fr'));
	},
};

/** The Test's message when FAST accepts the TLS connection but knows no account for the certificate. */
export const NO_FAST_ACCOUNT =
	'FAST Parapheur accepted the TLS connection but refused the certificate: it is linked to no FAST account (HTTP 401 / code 100). Ask Docaposte to link the certificate to the depositor account, and check that it is the certificate issued for this FAST server (demo, integration and production differ).';

/**
 * The credential's Test: a real call with the certificate. With a default SIREN it lists the
 * SIREN's remaining acknowledgements (cheap, and proves access to the SIREN); without one, it
 * reads document 0, whose "no such document" answer proves the certificate's account is known (a
 * 401 or FAST's code 100 there is an error, never a success).
 */
export const credentialTest = {
	parapheurRegisterApiTest,
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
			// Only FAST's "no such document" for document 0 proves that FAST knows the certificate's
			// account: a 401 or code 100 means it is linked to no account, any other code is an error.
			const { recovered } = await client.text({ method: 'GET', path: '/documents/v2/0/history', recover: (fastError) => ({ value: fastError }) });
			const fastError = recovered?.value as FastError | undefined;
			if (fastError && fastError.errorCode !== 101 && !isInvalidDocumentError(fastError)) {
				if (fastError.errorCode === 100) return { status: 'Error', message: redact(NO_FAST_ACCOUNT, client.secrets) };
				const details = describeFastError(fastError, { action: 'read a document' });
				return { status: 'Error', message: redact(joinMessage(details.message, details.description), client.secrets) };
			}
			return { status: 'OK', message: 'Connection successful: the certificate is accepted (add a Default SIREN to check access to it)' };
		} catch (error) {
			const described = error as Error & { description?: string | null; httpCode?: string | null };
			if (described.httpCode === '401' && !client?.defaultSiren) return { status: 'Error', message: redact(NO_FAST_ACCOUNT, client?.secrets ?? []) };
			const message = joinMessage(described.message, described.description);
			return { status: 'Error', message: redact(message, client?.secrets ?? credentialSecrets(credentials)) };
		} finally {
			client?.close();
		}
	},
};
