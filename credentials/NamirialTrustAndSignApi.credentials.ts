import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Tested by the Namirial Trust and Sign node (`testedBy`,
 * nodes/NamirialTrustAndSign/methods/credentialTest.ts), with its own message for each failure on
 * n8n 1.x and 2.x alike (a declarative `test` loses them on 1.x: see credentials/testConnection.ts).
 */
// eslint-disable-next-line @n8n/community-nodes/credential-test-required -- tested by its nodes (testedBy, methods.credentialTest of each version): the rule reads only the registered entry files, VersionedNodeTypes whose versions it does not open; test/package.test.ts checks the tests exist
export class NamirialTrustAndSignApi implements ICredentialType {
	name = 'namirialTrustAndSignApi';

	displayName = 'Namirial Trust and Sign API';

	icon: Icon = { light: 'file:namirialTrustAndSign.svg', dark: 'file:namirialTrustAndSign.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-parapheur/n8n-nodes-parapheur#namirial-trust-and-sign-api';

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
}
