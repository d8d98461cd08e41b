import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Tested by the Maarch Courrier node (`testedBy`, nodes/MaarchCourrier/methods/credentialTest.ts),
 * with its own message for each failure on n8n 1.x and 2.x alike (a declarative `test` loses them
 * on 1.x: see credentials/testConnection.ts).
 */
// eslint-disable-next-line @n8n/community-nodes/credential-test-required -- tested by its nodes (testedBy, methods.credentialTest of each version): the rule reads only the registered entry files, VersionedNodeTypes whose versions it does not open; test/package.test.ts checks the tests exist
export class MaarchCourrierApi implements ICredentialType {
	name = 'maarchCourrierApi';

	displayName = 'Maarch Courrier API';

	icon: Icon = { light: 'file:maarchCourrier.svg', dark: 'file:maarchCourrier.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-parapheur/n8n-nodes-parapheur#maarch-courrier-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Instance URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://courrier.example.fr/maarch',
			description: 'The address of Maarch Courrier as in the browser. The node adds /rest.',
		},
		{
			displayName: 'Login',
			name: 'login',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. ws_n8n',
			description:
				"Login of a web service account (mode 'rest') that has the user administration privilege",
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description:
				'Whether to connect even if the server certificate cannot be verified. Only for test instances with a self-signed certificate.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: {
				username: '={{$credentials.login}}',
				password: '={{$credentials.password}}',
			},
		},
	};
}
