import type { TestPki } from './fast/pki';
import { DEPOSITOR_EMAIL } from './fast/pki';
import { FLOWERDOCS_API_PASSWORD, FLOWERDOCS_API_USER, FLOWERDOCS_SCOPE } from './flowerdocs';
import { SAMPLE_SIREN } from './fast/sample';
import { MAARCH_API_LOGIN, MAARCH_API_PASSWORD } from './maarch';
import { NAMIRIAL_ADMIN_EMAIL, NAMIRIAL_ADMIN_PASSWORD } from './namirial';

/** The ids and names the example workflows refer to (`credentials` of each node). */
export const EMULATOR_CREDENTIALS = {
	maarchCourrierApi: { id: 'MaarchEmulator01', name: 'Maarch Courrier (emulator)' },
	fastParapheurApi: { id: 'FastEmulator0001', name: 'FAST Parapheur (emulator)' },
	namirialTrustAndSignApi: { id: 'NamirialEmulat01', name: 'Namirial Trust and Sign (emulator)' },
	flowerDocsApi: { id: 'FlowerDocsEmul01', name: 'FlowerDocs (emulator)' },
	/** The register templates' (examples/fast-register-*.json): an API key of the n8n that runs them. */
	parapheurRegisterApi: { id: 'ParapheurRegist1', name: 'Parapheur Register (this n8n)' },
} as const;

export interface EmulatorEndpoints {
	/** Base URL of the Maarch Courrier emulator, e.g. http://127.0.0.1:8711. */
	maarchUrl: string;
	/**
	 * The FAST Parapheur emulator: its host URL (https://127.0.0.1:<port>) and the test PKI it
	 * serves with (`getTestPki()` of the process that runs the emulator; it is memoised per process,
	 * so emulators restarted in the same process keep accepting this credential).
	 */
	fast: { url: string; pki: TestPki };
	/** Base URL of the Namirial Trust and Sign emulator, e.g. http://127.0.0.1:8713. */
	namirialUrl: string;
	/** Core URL of the FlowerDocs emulator, context path included, e.g. http://127.0.0.1:8714/core. */
	flowerdocsUrl: string;
}

/** Only the FAST Parapheur credential of `emulatorCredentials`, for runs with the FAST emulator alone. */
export function fastEmulatorCredential(fast: EmulatorEndpoints['fast']) {
	return emulatorCredentials({ maarchUrl: 'http://127.0.0.1:9', fast, namirialUrl: 'http://127.0.0.1:9', flowerdocsUrl: 'http://127.0.0.1:9/core' }).filter(
		(credential) => credential.type === 'fastParapheurApi',
	);
}

/**
 * The register templates' credential: an API key of the n8n at `apiUrl` (`.../api/v1`), which
 * exists only once that n8n runs: imported with a placeholder, then set through n8n's API
 * (`PATCH /api/v1/credentials/<id>`).
 */
export function registerCredential(apiUrl: string, credential: { id: string; name: string } = EMULATOR_CREDENTIALS.parapheurRegisterApi) {
	return { id: credential.id, name: credential.name, type: 'parapheurRegisterApi', data: { apiKey: 'set-once-n8n-runs', url: apiUrl } };
}

/** The n8n credentials the example workflows use, pointing at the emulators (for `n8n import:credentials`). */
export function emulatorCredentials(endpoints: EmulatorEndpoints) {
	const { fast } = endpoints;
	return [
		{
			...EMULATOR_CREDENTIALS.maarchCourrierApi,
			type: 'maarchCourrierApi',
			data: { url: endpoints.maarchUrl, login: MAARCH_API_LOGIN, password: MAARCH_API_PASSWORD, ignoreSslIssues: false },
		},
		{
			...EMULATOR_CREDENTIALS.fastParapheurApi,
			type: 'fastParapheurApi',
			data: {
				host: fast.url,
				siren: SAMPLE_SIREN,
				accountEmail: DEPOSITOR_EMAIL,
				certificateFormat: 'pkcs12',
				pfx: fast.pki.clientPfxBase64,
				pfxPassword: fast.pki.clientPfxPassword,
				// The emulator's server certificate comes from the test CA: trust it, verify it.
				caCertificates: fast.pki.caCert,
				ignoreTlsErrors: false,
			},
		},
		{
			...EMULATOR_CREDENTIALS.namirialTrustAndSignApi,
			type: 'namirialTrustAndSignApi',
			data: { environment: 'custom', url: endpoints.namirialUrl, email: NAMIRIAL_ADMIN_EMAIL, password: NAMIRIAL_ADMIN_PASSWORD },
		},
		{
			...EMULATOR_CREDENTIALS.flowerDocsApi,
			type: 'flowerDocsApi',
			// The session token is left empty: n8n logs in on the first request and stores it.
			data: {
				url: endpoints.flowerdocsUrl,
				scope: FLOWERDOCS_SCOPE,
				user: FLOWERDOCS_API_USER,
				password: FLOWERDOCS_API_PASSWORD,
				ignoreSslIssues: false,
				sessionToken: '',
				renewAt: '',
			},
		},
	];
}
