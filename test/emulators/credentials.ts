import type { TestPki } from './fast/pki';
import { DEPOSITOR_EMAIL } from './fast/pki';
import { SAMPLE_SIREN } from './fast/sample';
import { MAARCH_API_LOGIN, MAARCH_API_PASSWORD } from './maarch';

/** The ids and names the example workflows refer to (`credentials` of each node). */
export const EMULATOR_CREDENTIALS = {
	maarchCourrierApi: { id: 'MaarchEmulator01', name: 'Maarch Courrier (emulator)' },
	fastParapheurApi: { id: 'FastEmulator0001', name: 'FAST Parapheur (emulator)' },
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
	];
}
