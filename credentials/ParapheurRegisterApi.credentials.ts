import type { IAuthenticateGeneric, Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * An API key of this n8n, for the register of documents in circuits (an n8n Data Table, see
 * nodes/FastParapheur/helpers/register.ts). A polling trigger can reach a Data Table only through
 * n8n's public API (`/api/v1/data-tables`, n8n 2.x). The package has its own credential for it
 * rather than n8n's "n8n API": community nodes may only use their own package's credentials.
 *
 * Tested by the FAST Parapheur nodes (`testedBy`), with its own words on both lines.
 */
// eslint-disable-next-line @n8n/community-nodes/credential-test-required -- tested by its nodes (testedBy, methods.credentialTest of each version): the rule reads only the registered entry files, VersionedNodeTypes whose versions it does not open; test/package.test.ts checks the tests exist
export class ParapheurRegisterApi implements ICredentialType {
	name = 'parapheurRegisterApi';

	displayName = 'Parapheur Register API';

	icon: Icon = { light: 'file:fastParapheur.svg', dark: 'file:fastParapheur.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-parapheur/n8n-nodes-parapheur#parapheur-register-api';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				"An API key of this n8n (Settings > n8n API) whose scopes include the Data Table ones (dataTable:list, dataTable:create, dataTable:read, dataTableColumn:create, dataTableRow:read, dataTableRow:create, dataTableRow:update, dataTableRow:upsert)",
		},
		{
			displayName: 'n8n API URL',
			name: 'url',
			type: 'string',
			default: 'http://localhost:5678/api/v1',
			required: true,
			placeholder: 'http://localhost:5678/api/v1',
			description:
				'The address this n8n answers on, followed by /api/v1. In queue mode the workers call it too: use an address they reach (the main instance).',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'X-N8N-API-KEY': '={{$credentials.apiKey}}' },
		},
	};
}
