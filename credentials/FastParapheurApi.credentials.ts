import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * FAST Parapheur authenticates API clients with a TLS client certificate and nothing else (no
 * Basic auth, no token). Customers receive a PKCS#12 file (.p12/.pfx) and its password; some
 * convert it to PEM. The node opens the TLS connection itself with this material (n8n 1.x's
 * `httpRequest` helper does not pass client certificates), so this credential has no
 * `authenticate` block; it is tested by the FAST Parapheur node (`testedBy`), which makes a real
 * authenticated call.
 */
// eslint-disable-next-line @n8n/community-nodes/credential-test-required -- tested by its nodes (testedBy, methods.credentialTest of each version): the rule reads only the registered entry files, VersionedNodeTypes whose versions it does not open; test/package.test.ts checks the tests exist
export class FastParapheurApi implements ICredentialType {
	name = 'fastParapheurApi';

	displayName = 'FAST Parapheur API';

	icon: Icon = { light: 'file:fastParapheur.svg', dark: 'file:fastParapheur.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-parapheur/n8n-nodes-parapheur#fast-parapheur-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Host or URL',
			name: 'host',
			type: 'string',
			default: 'https://demo-parapheur.dfast.fr',
			required: true,
			placeholder: 'https://parapheur.example.fr',
			description:
				'The FAST Parapheur server, e.g. demo-parapheur.dfast.fr (test) or the production host given by Docaposte. The node adds /parapheur-ws/rest/v1; a full API URL works too.',
		},
		{
			displayName: 'Default SIREN',
			name: 'siren',
			type: 'string',
			default: '',
			placeholder: 'e.g. 213501234',
			description:
				'The 9-digit SIREN of the public body (its FAST subscription number). Operations use it unless they are given another one.',
		},
		{
			displayName: 'Account E-Mail',
			name: 'accountEmail',
			type: 'string',
			placeholder: 'e.g. depot@mairie.example.fr',
			default: '',
			description:
				"E-mail of the FAST account the certificate belongs to (the depositor). Optional: when known (here, or in a PEM certificate's subject), the node refuses on-demand circuits that list the depositor as a member, as FAST does.",
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-password-field -- a choice between two formats, not a secret
		{
			displayName: 'Certificate Format',
			name: 'certificateFormat',
			type: 'options',
			options: [
				{
					name: 'PKCS#12 File (.p12, .pfx)',
					value: 'pkcs12',
					description: 'The file Docaposte delivers, with its password',
				},
				{
					name: 'PEM (Certificate and Private Key)',
					value: 'pem',
					description: 'Text blocks beginning with -----BEGIN CERTIFICATE----- and -----BEGIN PRIVATE KEY-----',
				},
			],
			default: 'pkcs12',
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- the PKCS#12 file holds the private key
		{
			displayName: 'Certificate File (Base64)',
			name: 'pfx',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			required: true,
			displayOptions: { show: { certificateFormat: ['pkcs12'] } },
			description:
				'The .p12 or .pfx file encoded in base64 (on Linux or macOS: base64 -w0 certificate.p12; on Windows: certutil -encode)',
		},
		{
			displayName: 'Certificate Password',
			name: 'pfxPassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { certificateFormat: ['pkcs12'] } },
			description: 'The password that came with the .p12 / .pfx file',
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-password-field -- a certificate is public; users must be able to read what they pasted
		{
			displayName: 'Certificate (PEM)',
			name: 'certificate',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			required: true,
			displayOptions: { show: { certificateFormat: ['pem'] } },
			placeholder: '-----BEGIN CERTIFICATE-----',
			description: 'The client certificate, optionally followed by its intermediate certificates',
		},
		{
			displayName: 'Private Key (PEM)',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			required: true,
			displayOptions: { show: { certificateFormat: ['pem'] } },
			placeholder: '-----BEGIN PRIVATE KEY-----',
		},
		{
			displayName: 'Private Key Passphrase',
			name: 'privateKeyPassphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { certificateFormat: ['pem'] } },
			description: 'Only if the private key is encrypted (-----BEGIN ENCRYPTED PRIVATE KEY-----)',
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-password-field -- CA certificates are public
		{
			displayName: 'CA Certificates (PEM)',
			name: 'caCertificates',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description:
				"Optional. Extra certificate authorities to trust for the server's certificate, in addition to the usual public ones (for a server with a private CA).",
		},
		{
			displayName: 'Ignore TLS Certificate Errors (Insecure)',
			name: 'ignoreTlsErrors',
			type: 'boolean',
			default: false,
			description:
				"Whether to connect even if the server's certificate cannot be verified. Only for a test server; the client certificate is sent either way.",
		},
		{
			displayName: 'Upload Form',
			name: 'uploadForm',
			type: 'options',
			options: [
				{
					name: "As FAST's Clients Do (content)",
					value: 'clients',
					description:
						"Upload's file part is content; Upload On Demand sends email_cc, and circuit_id only when its Circuit is given. What Pastell's and Maarch Courrier's FAST connectors send, and the FAST servers in use take.",
				},
				{
					name: 'As the API Page Says (doc)',
					value: 'apiPage',
					description:
						"Every upload's file part is doc; Upload On Demand sends email_CC and needs its Circuit (circuit_id). As FAST's API page writes them.",
				},
			],
			default: 'clients',
			description:
				"The names the uploads give their parts. Choose the API page's form only for a FAST server that refuses the clients' one with 'Unknown parameter' (code 902).",
		},
	];
}
