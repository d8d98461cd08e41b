/**
 * The workflows `npm run bench:compare` runs in n8n: for each row, the package's node and the same
 * requests made with n8n's own HTTP Request node (4.5, the version the editor adds today, default
 * options), behind a Webhook that answers when the last node has finished. The inputs come from
 * the webhook's body (counts, IDs, paths), so every run of a workflow gets the same items.
 */
import { randomUUID } from 'node:crypto';

export const PACKAGE = 'n8n-nodes-parapheur';
export const HTTP_REQUEST_VERSION = 4.5;
/** The FAST circuit the uploads go to (FAST_SAMPLE's signature circuit). */
export const FAST_CIRCUIT = 'Signature Maire';

export interface CredentialRef {
	id: string;
	name: string;
}

export interface BenchCredentials {
	maarch: CredentialRef;
	maarchBasic: CredentialRef;
	namirial: CredentialRef;
	namirialBasic: CredentialRef;
	fast: CredentialRef;
	fastSsl: CredentialRef;
}

export interface BenchEndpoints {
	maarchUrl: string;
	namirialUrl: string;
	/** FAST's API root: https://127.0.0.1:<port>/parapheur-ws/rest/v1 */
	fastApiUrl: string;
	siren: string;
}

interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, CredentialRef>;
	webhookId?: string;
}

export interface BenchWorkflow {
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }>;
	settings: Record<string, unknown>;
}

/** Nodes in a chain, each feeding the next. */
function chain(name: string, nodes: Array<Omit<WorkflowNode, 'id' | 'position'>>): BenchWorkflow {
	const placed = nodes.map((node, index) => ({ id: randomUUID(), position: [index * 220, 0] as [number, number], ...node }));
	const connections: BenchWorkflow['connections'] = {};
	for (let index = 0; index + 1 < placed.length; index++) {
		connections[placed[index].name] = { main: [[{ node: placed[index + 1].name, type: 'main', index: 0 }]] };
	}
	return {
		name,
		nodes: placed,
		connections,
		// Every execution is kept (the runner reads its times and items back).
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all', saveManualExecutions: true },
	};
}

function webhook(path: string): Omit<WorkflowNode, 'id' | 'position'> {
	return {
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
	};
}

function code(name: string, jsCode: string): Omit<WorkflowNode, 'id' | 'position'> {
	return { name, type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { mode: 'runOnceForAllItems', language: 'javaScript', jsCode } };
}

/** HTTP Request 4.5 with Basic auth (a generic credential), every other option left at its default. */
function httpBasic(method: 'POST' | 'GET', url: string, credential: CredentialRef, body: Record<string, unknown>): Omit<WorkflowNode, 'id' | 'position'> {
	return {
		name: 'HTTP Request',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: HTTP_REQUEST_VERSION,
		parameters: { method, url, authentication: 'genericCredentialType', genericAuthType: 'httpBasicAuth', ...body, options: {} },
		credentials: { httpBasicAuth: credential },
	};
}

/** HTTP Request 4.5 with the client certificate ("SSL Certificates" credential), defaults otherwise. */
function httpSsl(method: 'POST' | 'GET', url: string, credential: CredentialRef, parameters: Record<string, unknown>): Omit<WorkflowNode, 'id' | 'position'> {
	return {
		name: 'HTTP Request',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: HTTP_REQUEST_VERSION,
		parameters: { method, url, authentication: 'none', provideSslCertificates: true, options: {}, ...parameters },
		credentials: { httpSslAuth: credential },
	};
}

function requestOptions(concurrency: number | undefined): Record<string, unknown> {
	return concurrency === undefined ? {} : { requestOptions: { concurrency } };
}

/* ─── Row 1: Maarch Courrier user creations ───────────────────────────────────────────────── */

/** Login prefix of the users the Maarch row creates (the emulator counts them by it). */
export const MAARCH_LOGIN_PREFIX = 'bench.user';

const MAARCH_USERS_CODE = `const { count } = $input.first().json.body;
const items = [];
for (let n = 0; n < count; n++) {
	items.push({ json: { login: '${MAARCH_LOGIN_PREFIX}' + n, firstname: 'Agent', lastname: 'Numéro ' + n, mail: '${MAARCH_LOGIN_PREFIX}' + n + '@mairie.example.fr' } });
}
return items;`;

export function maarchOurs(path: string, credentials: BenchCredentials, concurrency?: number): BenchWorkflow {
	return chain(`bench ${path}`, [
		webhook(path),
		code('Users', MAARCH_USERS_CODE),
		{
			name: 'Maarch Courrier',
			type: `${PACKAGE}.maarchCourrier`,
			typeVersion: 1,
			parameters: {
				resource: 'user',
				operation: 'create',
				login: '={{ $json.login }}',
				firstname: '={{ $json.firstname }}',
				lastname: '={{ $json.lastname }}',
				mail: '={{ $json.mail }}',
				...requestOptions(concurrency),
			},
			credentials: { maarchCourrierApi: credentials.maarch },
		},
	]);
}

/** Body fields of the HTTP Request node, each value an expression reading one field of the item. */
function fields(map: Record<string, string>): Array<{ name: string; value: string }> {
	return Object.entries(map).map(([name, key]) => ({ name, value: `={{ $json.${key} }}` }));
}

/** POST /rest/users per item with the body the package's Create sends ({userId, firstname, lastname, mail}). */
export function maarchHttp(path: string, credentials: BenchCredentials, endpoints: BenchEndpoints): BenchWorkflow {
	return chain(`bench ${path}`, [
		webhook(path),
		code('Users', MAARCH_USERS_CODE),
		httpBasic('POST', `${endpoints.maarchUrl}/rest/users`, credentials.maarchBasic, {
			sendBody: true,
			contentType: 'json',
			// n8n's default way to build a body ("Using Fields Below"), one expression per field, as ours.
			specifyBody: 'keypair',
			bodyParameters: { parameters: fields({ userId: 'login', firstname: 'firstname', lastname: 'lastname', mail: 'mail' }) },
		}),
	]);
}

/* ─── Row 2: Trust and Sign operators ─────────────────────────────────────────────────────── */

export const NAMIRIAL_EMAIL_PREFIX = 'agent';

/** The operators of scripts/bench-namirial.ts: commas, quotes and accents in some names. */
const NAMIRIAL_OPERATORS_CODE = `const { count } = $input.first().json.body;
const items = [];
for (let n = 0; n < count; n++) {
	items.push({ json: {
		email: '${NAMIRIAL_EMAIL_PREFIX}' + n + '@agence.example.fr',
		firstName: n % 7 === 0 ? 'Agent, "n°' + n + '"' : 'Agent' + n,
		lastName: n % 5 === 0 ? 'Müller-Évrard' : 'Martin',
		authorizations: ['VALIDATION'],
		groupsLabel: ['DEFAULT'],
		externalId: 'HR-' + n,
	} });
}
return items;`;

/**
 * The CSV requests the package's Create in Batch sends (nodes/NamirialTrustAndSign/helpers/
 * batch.ts, operators.ts, nodes/shared/csv.ts): the documented header, one row per operator with
 * the defaults the node fills in, RFC 4180 quoting, CRLF, 1,000 rows per request.
 */
const NAMIRIAL_CSV_CODE = `const header = ['email', 'firstName', 'lastName', 'authorizations', 'reportTypes', 'linkedToAllProducts', 'linkedToAllGroups', 'productsPublicId', 'groupsLabel', 'externalId'];
const field = (value) => {
	const text = value === undefined || value === null ? '' : String(value);
	return /[",\\r\\n]|^\\s|\\s$/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
};
const list = (values) => '[' + values.join('|') + ']';
const row = (o) => [o.email, o.firstName, o.lastName, list(o.authorizations ?? []), list(o.reportTypes ?? []), String(o.linkedToAllProducts ?? false), String(o.linkedToAllGroups ?? false), list(o.productsPublicId ?? []), list(o.groupsLabel ?? []), o.externalId ?? ''];
const operators = $input.all().map((item) => item.json);
const out = [];
for (let start = 0; start < operators.length; start += 1000) {
	const lines = [header, ...operators.slice(start, start + 1000).map(row)].map((fields) => fields.map(field).join(',') + '\\r\\n');
	out.push({ json: { csv: lines.join('') } });
}
return out;`;

export function namirialOurs(path: string, credentials: BenchCredentials, mode: 'create' | 'createBatch', concurrency?: number): BenchWorkflow {
	const parameters =
		mode === 'createBatch'
			? { resource: 'operator', operation: 'createBatch', dataMode: 'autoMapInputData' }
			: {
					resource: 'operator',
					operation: 'create',
					email: '={{ $json.email }}',
					firstName: '={{ $json.firstName }}',
					lastName: '={{ $json.lastName }}',
					additionalFields: { authorizations: '={{ $json.authorizations }}', externalId: '={{ $json.externalId }}' },
				};
	return chain(`bench ${path}`, [
		webhook(path),
		code('Operators', NAMIRIAL_OPERATORS_CODE),
		{
			name: 'Trust and Sign',
			type: `${PACKAGE}.namirialTrustAndSign`,
			typeVersion: 1,
			parameters: { ...parameters, ...requestOptions(concurrency) },
			credentials: { namirialTrustAndSignApi: credentials.namirial },
		},
	]);
}

/** POST .../users/create per item with the JSON body the package's Create sends. */
export function namirialHttpPerItem(path: string, credentials: BenchCredentials, endpoints: BenchEndpoints): BenchWorkflow {
	return chain(`bench ${path}`, [
		webhook(path),
		code('Operators', NAMIRIAL_OPERATORS_CODE),
		httpBasic('POST', `${endpoints.namirialUrl}/contract/management/users/create`, credentials.namirialBasic, {
			sendBody: true,
			contentType: 'json',
			// n8n's default way to build a body ("Using Fields Below"), one expression per field, as ours.
			specifyBody: 'keypair',
			bodyParameters: {
				parameters: fields({ email: 'email', firstName: 'firstName', lastName: 'lastName', authorizations: 'authorizations', externalId: 'externalId' }),
			},
		}),
	]);
}

/** The same CSV requests as Create in Batch: a Code node writes the CSVs, Convert to File makes files, HTTP Request posts them as the multipart part `csv`. */
export function namirialHttpBatch(path: string, credentials: BenchCredentials, endpoints: BenchEndpoints): BenchWorkflow {
	return chain(`bench ${path}`, [
		webhook(path),
		code('Operators', NAMIRIAL_OPERATORS_CODE),
		code('Build CSV', NAMIRIAL_CSV_CODE),
		{
			name: 'Convert to File',
			type: 'n8n-nodes-base.convertToFile',
			typeVersion: 1.1,
			parameters: { operation: 'toText', sourceProperty: 'csv', binaryPropertyName: 'data', options: { fileName: 'operators.csv' } },
		},
		httpBasic('POST', `${endpoints.namirialUrl}/contract/management/users/create/csv`, credentials.namirialBasic, {
			sendBody: true,
			contentType: 'multipart-form-data',
			bodyParameters: { parameters: [{ parameterType: 'formBinaryData', name: 'csv', inputDataFieldName: 'data' }] },
		}),
	]);
}

/* ─── Row 3: FAST Parapheur upload and download ───────────────────────────────────────────── */

const READ_FILE: Omit<WorkflowNode, 'id' | 'position'> = {
	name: 'Read File',
	type: 'n8n-nodes-base.readWriteFile',
	typeVersion: 1.1,
	parameters: { operation: 'read', fileSelector: '={{ $json.body.path }}', options: { dataPropertyName: 'data' } },
};

const LABEL = "={{ $('Webhook').item.json.body.label }}";

export function fastUploadOurs(path: string, credentials: BenchCredentials): BenchWorkflow {
	return chain(`bench ${path}`, [
		webhook(path),
		READ_FILE,
		{
			name: 'FAST Parapheur',
			type: `${PACKAGE}.fastParapheur`,
			typeVersion: 1,
			parameters: {
				resource: 'document',
				operation: 'upload',
				circuitId: { __rl: true, mode: 'id', value: FAST_CIRCUIT },
				inputDataSource: 'binary',
				binaryPropertyName: 'data',
				label: LABEL,
			},
			credentials: { fastParapheurApi: credentials.fast },
		},
	]);
}

/** The multipart upload the package sends: file part `content`, field `label`. */
export function fastUploadHttp(path: string, credentials: BenchCredentials, endpoints: BenchEndpoints): BenchWorkflow {
	return chain(`bench ${path}`, [
		webhook(path),
		READ_FILE,
		httpSsl('POST', `${endpoints.fastApiUrl}/documents/v2/${endpoints.siren}/${encodeURIComponent(FAST_CIRCUIT)}/upload`, credentials.fastSsl, {
			sendBody: true,
			contentType: 'multipart-form-data',
			bodyParameters: {
				parameters: [
					{ parameterType: 'formBinaryData', name: 'content', inputDataFieldName: 'data' },
					{ parameterType: 'formData', name: 'label', value: LABEL },
				],
			},
		}),
	]);
}

export function fastDownloadOurs(path: string, credentials: BenchCredentials): BenchWorkflow {
	return chain(`bench ${path}`, [
		webhook(path),
		{
			name: 'FAST Parapheur',
			type: `${PACKAGE}.fastParapheur`,
			typeVersion: 1,
			parameters: { resource: 'document', operation: 'download', documentId: '={{ $json.body.documentId }}', binaryPropertyName: 'data' },
			credentials: { fastParapheurApi: credentials.fast },
		},
	]);
}

export function fastDownloadHttp(path: string, credentials: BenchCredentials, endpoints: BenchEndpoints): BenchWorkflow {
	return chain(`bench ${path}`, [
		webhook(path),
		httpSsl('GET', `=${endpoints.fastApiUrl}/documents/v2/{{ $json.body.documentId }}/download`, credentials.fastSsl, {
			options: { response: { response: { responseFormat: 'file', outputPropertyName: 'data' } } },
		}),
	]);
}

/* ─── Row 4: FAST Parapheur Trigger ───────────────────────────────────────────────────────── */

/**
 * The trigger alone, watching `ids`. It polls at activation (what the benchmark times); its
 * schedule (1 January, 00:00) keeps n8n from polling again while the benchmark runs.
 */
export function fastTrigger(name: string, credentials: BenchCredentials, ids: string[]): BenchWorkflow {
	return chain(name, [
		{
			name: 'FAST Parapheur Trigger',
			type: `${PACKAGE}.fastParapheurTrigger`,
			typeVersion: 1,
			parameters: {
				pollTimes: { item: [{ mode: 'custom', cronExpression: '0 0 1 1 *' }] },
				event: 'documentStateChanged',
				documentIds: ids.join('\n'),
				options: { maxDocumentsPerPoll: ids.length, minIntervalMinutes: 30 },
			},
			credentials: { fastParapheurApi: credentials.fast },
		},
	]);
}

/** GET .../documents/v2/<id>/history per document (the webhook's body lists the IDs). */
export function fastHistoriesHttp(path: string, credentials: BenchCredentials, endpoints: BenchEndpoints): BenchWorkflow {
	return chain(`bench ${path}`, [
		webhook(path),
		code('Documents', 'return $input.first().json.body.ids.map((id) => ({ json: { id } }));'),
		httpSsl('GET', `=${endpoints.fastApiUrl}/documents/v2/{{ $json.id }}/history`, credentials.fastSsl, {}),
	]);
}
