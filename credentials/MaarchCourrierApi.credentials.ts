import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class MaarchCourrierApi implements ICredentialType {
	name = 'maarchCourrierApi';

	displayName = 'Maarch Courrier API';

	icon: Icon = { light: 'file:maarchCourrier.svg', dark: 'file:maarchCourrier.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-parapheur/n8n-nodes-parapheur#maarch-courrier';

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

	test: ICredentialTestRequest = {
		request: {
			// Same URL rule as the node: trailing slashes and a trailing /rest are dropped, /rest is added.
			baseURL: '={{$credentials.url.trim().replace(/\\/+$/, "").replace(/\\/rest$/i, "")}}/rest',
			url: '/users',
			method: 'GET',
			skipSslCertificateValidation: '={{$credentials.ignoreSslIssues}}' as unknown as boolean,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						"Maarch Courrier rejected the login or password. Check them, and that the account's mode is 'rest' (web service). Repeated failures lock the account.",
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The login works, but the account may not manage users: give it the user administration privilege in Maarch Courrier.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No Maarch Courrier API at this address: check the instance URL (the address of Maarch Courrier as in the browser).',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 503,
					message: 'Maarch Courrier is unavailable (HTTP 503), probably during an upgrade. Try again later.',
				},
			},
		],
	};
}
