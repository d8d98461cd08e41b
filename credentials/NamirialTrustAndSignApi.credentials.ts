import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class NamirialTrustAndSignApi implements ICredentialType {
	name = 'namirialTrustAndSignApi';

	displayName = 'Namirial Trust and Sign API';

	icon: Icon = { light: 'file:namirialTrustAndSign.svg', dark: 'file:namirialTrustAndSign.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-parapheur/n8n-nodes-parapheur#namirial-trust-and-sign';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Integration', value: 'integration', description: 'https://integration-api.ekeynox.net' },
				{ name: 'Pre-Production', value: 'preproduction', description: 'https://preprod-api.ekeynox.net' },
				{ name: 'Production', value: 'production', description: 'https://api.ekeynox.net' },
				{ name: 'Custom URL', value: 'custom', description: 'Another address (a proxy, a test server)' },
			],
			default: 'production',
		},
		{
			displayName: 'URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://api.ekeynox.net',
			description: 'The root of the management API. The node adds /contract/management/users.',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'e.g. admin@example.fr',
			default: '',
			required: true,
			description: 'E-mail of an admin operator (one with the ADMINISTRATION authorization)',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: {
				username: '={{$credentials.email}}',
				password: '={{$credentials.password}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			// Same rule as the node (transport/index.ts): a known environment, or the custom URL without
			// trailing slashes.
			baseURL:
				'={{ {"integration": "https://integration-api.ekeynox.net", "preproduction": "https://preprod-api.ekeynox.net", "production": "https://api.ekeynox.net"}[$credentials.environment] || String($credentials.url || "").trim().replace(/\\/+$/, "").replace(/\\/contract\\/management(\\/users)?$/i, "") }}',
			url: '/contract/management/users',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Trust and Sign rejected the e-mail or password. Check them, and the environment: integration, pre-production and production have separate accounts.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'The login works, but this operator may not manage operators: it needs the ADMINISTRATION authorization.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'No Trust and Sign management API at this address: check the environment or the custom URL.',
				},
			},
		],
	};
}
