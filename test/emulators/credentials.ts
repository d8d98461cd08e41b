import { MAARCH_API_LOGIN, MAARCH_API_PASSWORD } from './maarch';

/** The n8n credentials the example workflows use, pointing at the emulators (for `n8n import:credentials`). */
export function emulatorCredentials(maarchUrl: string) {
	return [
		{
			id: 'MaarchEmulator01',
			name: 'Maarch Courrier (emulator)',
			type: 'maarchCourrierApi',
			data: { url: maarchUrl, login: MAARCH_API_LOGIN, password: MAARCH_API_PASSWORD, ignoreSslIssues: false },
		},
	];
}
