/**
 * The end-to-end suite's fault chapter: every vendor's node in real n8n against its emulator
 * when the server misbehaves. One generated workflow per vendor holds every case as its own node
 * (a Manual Trigger start, so `n8n execute` runs it); each node continues on failure, so one run
 * gives every case. The cases:
 *
 *   503 Retry-After        a read answered 503 with `Retry-After: 1`, then 200: retried after at
 *                          least the asked second, succeeds (2 requests)
 *   429 Retry-After        429 with `Retry-After: 1`, then 200: the same
 *   dropped connection     a read whose connection is destroyed before any answer, then 200:
 *                          retried, succeeds (2 requests)
 *   timeout                Request Options timeout of 1 second, the server answers after 3: the
 *                          package's timeout message, 1 request (a timeout is not retried)
 *   register silent        (FAST) an upload with Add to Register (version 2) whose register's n8n API
 *                          accepts the connection and never answers, Timeout 1 second: the
 *                          package's timeout message naming n8n, and nothing uploaded (no upload
 *                          of its file reached the emulator)
 *   POST 503               a creation or upload answered 503 (with Retry-After): 1 request, and
 *                          the error says it was not retried automatically
 *   401                    1 request and the package's rejected-credential message (never
 *                          retried). FlowerDocs renews its token once on a 401 by design: a 401 on
 *                          the retry too gives 2 requests, 1 login and its own message; a 401 once
 *                          gives 2 requests, 1 login and success
 *   continue on fail       3 items, the middle one refused by the server (4xx): 3 items out, in
 *                          order, each paired with its input, the middle one carrying the error
 *   error output           3 items, the middle one invalid (refused before sending): the good ones
 *                          on the main output, the bad one on the error output, pairing kept
 *
 * Every case sends requests no other case sends (its own user, document, route, or body), so its
 * faults are armed before the run, matched to its requests (method, path, and query or body where
 * paths repeat), and its requests are counted in the emulator's log by the same matches, whatever
 * order n8n runs the nodes in. A request no case claims is reported. FlowerDocs logins are the
 * same for every case: they are counted by time, those the emulator received while the case's
 * node ran (n8n's `startTime` and `executionTime`; a login never starts or ends a node).
 */
import type { Socket } from 'node:net';
import { createServer } from 'node:net';

import type { IDataObject, INodeExecutionData, IRun, ITaskData } from 'n8n-workflow';

import { EMULATOR_CREDENTIALS } from '../emulators/credentials';
import type { FastEmulator } from '../emulators/fast';
import { startFastEmulator } from '../emulators/fast';
import { SAMPLE_CIRCUITS, SAMPLE_DOCUMENTS } from '../emulators/fast/sample';
import type { FlowerDocsEmulator } from '../emulators/flowerdocs';
import { FLOWERDOCS_API_PASSWORD, startFlowerDocsEmulator } from '../emulators/flowerdocs';
import { FLOWERDOCS_SAMPLE } from '../emulators/flowerdocs/sample';
import type { MaarchEmulator } from '../emulators/maarch';
import { MAARCH_API_LOGIN, MAARCH_API_PASSWORD, startMaarchEmulator } from '../emulators/maarch';
import { MAARCH_SAMPLE } from '../emulators/maarch/sample';
import type { NamirialEmulator } from '../emulators/namirial';
import { NAMIRIAL_ADMIN_EMAIL, NAMIRIAL_ADMIN_PASSWORD, startNamirialEmulator } from '../emulators/namirial';
import { NAMIRIAL_SAMPLE } from '../emulators/namirial/sample';
import type { Fault, FaultMatch, LoggedRequest, VendorEmulator } from '../emulators/shared/server';
import { matches } from '../emulators/shared/server';

export interface FaultPorts {
	maarch: number;
	fast: number;
	namirial: number;
	flowerdocs: number;
}

/** The asked wait of the 503 and 429 cases (seconds), and the timeout case's numbers. */
const RETRY_AFTER_SECONDS = 1;
const TIMEOUT_SECONDS = 1;
const SLOW_ANSWER_MS = 3000;

/**
 * The register credential of the "register silent" case: its n8n API URL is a port that accepts
 * connections and never answers (`silentServer`, started by the fault chapter).
 */
export const SILENT_REGISTER = { id: 'RegisterSilent01', name: 'Parapheur Register (never answers)' } as const;

/** A server on 127.0.0.1:`port` that accepts connections and never answers (SILENT_REGISTER's). */
export async function startSilentServer(port: number): Promise<{ connections: () => number; close: () => Promise<void> }> {
	const sockets = new Set<Socket>();
	let connections = 0;
	const server = createServer((socket) => {
		connections++;
		sockets.add(socket);
		socket.on('error', () => undefined);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolve);
	});
	return {
		connections: () => connections,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** A POST answered 503: the message says it was not retried, the description what to check. */
const NOT_RETRIED = /so it was not retried automatically/;

interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: IDataObject;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: 'continueRegularOutput' | 'continueErrorOutput';
}

interface Workflow {
	id: string;
	name: string;
	active: false;
	settings: { executionOrder: 'v1' };
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }>;
}

/** What a case's check is given. */
export interface CaseRun<E extends VendorEmulator> {
	task: ITaskData;
	/** The node's outputs: [main, error] (error only with the error output). */
	outputs: INodeExecutionData[][];
	/** The case's requests (its `owns` matches) and the logins made while its node ran, oldest first. */
	requests: LoggedRequest[];
	emulator: E;
}

export interface FaultCase<E extends VendorEmulator> {
	/** Short name, printed on the PASS/FAIL line. */
	name: string;
	/** The node's parameters (resource, operation, ...); the node is named after the case. */
	parameters: IDataObject;
	/** Three input items with these values in `id` (else one empty item from the trigger). */
	items?: Array<string | number>;
	onError?: 'continueRegularOutput' | 'continueErrorOutput';
	/** The node's version (default 1). */
	typeVersion?: number;
	/** Credentials the node uses besides the suite's (type: id and name of an imported credential). */
	credentials?: Record<string, { id: string; name: string }>;
	/** Faults for this case's requests. */
	faults?: Array<{ fault: Fault; count?: number; match: FaultMatch }>;
	/** The requests that belong to this case (default: its faults' matches). */
	owns?: FaultMatch[];
	check: (run: CaseRun<E>) => string[];
}

export interface FaultSuite<E extends VendorEmulator = VendorEmulator> {
	/** For the PASS/FAIL lines: `faults <key>: <case>`. */
	key: string;
	workflowId: string;
	nodeType: string;
	credential: keyof typeof EMULATOR_CREDENTIALS;
	start: (ports: FaultPorts) => Promise<E>;
	/** A first node that is not a case (FlowerDocs: the login, so the cases see a stored token). */
	warmUp?: { parameters: IDataObject; owns: FaultMatch[] };
	/** Values that must appear nowhere in n8n's output and logs (passwords, tokens, keys). */
	secrets: (emulator: E) => string[];
	/** A condition every request the emulator received must meet: what is wrong, or undefined. */
	everyRequest?: { name: string; problem: (request: LoggedRequest) => string | undefined };
	cases: Array<FaultCase<E>>;
}

// ---------------------------------------------------------------------------------------------
// Checks shared by the cases

function itemsOf(run: CaseRun<VendorEmulator>, output = 0): INodeExecutionData[] {
	return run.outputs[output] ?? [];
}

function describeRequests(requests: LoggedRequest[]): string {
	return requests.map((entry) => `${entry.method} ${entry.path}${entry.fault ? ` [${faultName(entry.fault)}]` : ''}`).join(', ') || 'none';
}

function faultName(fault: Fault): string {
	if (fault.drop) return 'dropped';
	if (fault.status !== undefined) return String(fault.status);
	if (fault.delayMs) return `delayed ${fault.delayMs} ms`;
	return 'fault';
}

const isLogin = (entry: LoggedRequest) => /\/rest\/authentication$/.test(entry.path);

/** `count` requests other than logins, and `logins` logins (FlowerDocs). */
function requestCount(run: CaseRun<VendorEmulator>, count: number, logins = 0): string[] {
	const calls = run.requests.filter((entry) => !isLogin(entry));
	const made = run.requests.length - calls.length;
	if (calls.length === count && made === logins) return [];
	return [
		`${calls.length} request(s) and ${made} login(s), expected ${count} and ${logins}: ${describeRequests(run.requests)}`,
	];
}

/** The wait between consecutive calls (logins aside) is at least `ms`. */
function waitedAtLeast(run: CaseRun<VendorEmulator>, ms: number): string[] {
	const calls = run.requests.filter((entry) => !isLogin(entry));
	const problems: string[] = [];
	for (let index = 1; index < calls.length; index++) {
		const gap = calls[index].time - calls[index - 1].time;
		if (gap < ms) problems.push(`retried after ${gap} ms, before the asked ${ms} ms (Retry-After)`);
	}
	return problems;
}

function pairing(items: INodeExecutionData[], expected: number[]): string[] {
	const got = items.map((item) => {
		const paired = item.pairedItem;
		if (typeof paired === 'number') return paired;
		if (Array.isArray(paired)) return paired.length === 1 ? paired[0].item : -1;
		return paired?.item ?? -1;
	});
	return JSON.stringify(got) === JSON.stringify(expected)
		? []
		: [`pairedItem ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`];
}

/** The item succeeded and its JSON has these fields (a subset). */
function succeeded(item: INodeExecutionData | undefined, fields: IDataObject): string[] {
	if (!item) return ['no output item'];
	if (item.json.error !== undefined) return [`failed: ${JSON.stringify(item.json.error)}`];
	const missing = Object.entries(fields).filter(([key, value]) => JSON.stringify(item.json[key]) !== JSON.stringify(value));
	return missing.length
		? [`item ${JSON.stringify(item.json).slice(0, 300)} lacks ${JSON.stringify(Object.fromEntries(missing))}`]
		: [];
}

/** The error n8n keeps beside an error item (`error`), as `n8n execute --rawOutput` prints it. */
function errorDescription(item: INodeExecutionData): string {
	const error = item.error as unknown as { description?: unknown } | undefined;
	return typeof error?.description === 'string' ? error.description : '';
}

/** The item carries exactly this error message (and a description matching `description`). */
function failedWith(item: INodeExecutionData | undefined, message: string, description?: RegExp): string[] {
	if (!item) return ['no output item'];
	const got = item.json.error;
	if (got === undefined) return [`succeeded (${JSON.stringify(item.json).slice(0, 200)}), expected the error ${JSON.stringify(message)}`];
	const problems: string[] = [];
	if (got !== message) problems.push(`error ${JSON.stringify(got)}, expected ${JSON.stringify(message)}`);
	if (description && !description.test(errorDescription(item))) {
		problems.push(`error description ${JSON.stringify(errorDescription(item))} does not match ${description}`);
	}
	return problems;
}

/** One item on the main output, paired with the trigger's item. */
function single(run: CaseRun<VendorEmulator>): { item?: INodeExecutionData; problems: string[] } {
	const items = itemsOf(run);
	const problems = items.length === 1 ? pairing(items, [0]) : [`${items.length} items, expected 1`];
	return { item: items[0], problems };
}

// The same seven checks for every vendor, with its own requests and words.

function retriedAfterWait(fields: IDataObject) {
	return (run: CaseRun<VendorEmulator>) => {
		const { item, problems } = single(run);
		return [...problems, ...succeeded(item, fields), ...requestCount(run, 2), ...waitedAtLeast(run, RETRY_AFTER_SECONDS * 1000)];
	};
}

function retried(fields: IDataObject) {
	return (run: CaseRun<VendorEmulator>) => {
		const { item, problems } = single(run);
		return [...problems, ...succeeded(item, fields), ...requestCount(run, 2)];
	};
}

function failedOnce(message: string, description?: RegExp, logins = 0, count = 1) {
	return (run: CaseRun<VendorEmulator>) => {
		const { item, problems } = single(run);
		return [...problems, ...failedWith(item, message, description), ...requestCount(run, count, logins)];
	};
}

/** Continue On Fail (regular output): three items in order, the middle one the error. */
function continuedInOrder(first: IDataObject, message: string, third: IDataObject) {
	return (run: CaseRun<VendorEmulator>) => {
		const items = itemsOf(run);
		if (items.length !== 3) return [`${items.length} items, expected 3: ${JSON.stringify(items.map((item) => item.json)).slice(0, 400)}`];
		return [
			...pairing(items, [0, 1, 2]),
			...succeeded(items[0], first).map((problem) => `item 0: ${problem}`),
			...failedWith(items[1], message).map((problem) => `item 1: ${problem}`),
			...succeeded(items[2], third).map((problem) => `item 2: ${problem}`),
			...requestCount(run, 3),
		];
	};
}

/** The error output: good items on output 0 (paired 0 and 2), the bad one on output 1 (paired 1). */
function splitToErrorOutput(first: IDataObject, message: string, third: IDataObject) {
	return (run: CaseRun<VendorEmulator>) => {
		const good = itemsOf(run, 0);
		const bad = itemsOf(run, 1);
		if (good.length !== 2 || bad.length !== 1) return [`${good.length} item(s) on the main output and ${bad.length} on the error output, expected 2 and 1`];
		return [
			...pairing(good, [0, 2]).map((problem) => `main output: ${problem}`),
			...pairing(bad, [1]).map((problem) => `error output: ${problem}`),
			...succeeded(good[0], first).map((problem) => `item 0: ${problem}`),
			...succeeded(good[1], third).map((problem) => `item 2: ${problem}`),
			...failedWith(bad[0], message).map((problem) => `item 1: ${problem}`),
			// The invalid item is refused before anything is sent.
			...requestCount(run, 2),
		];
	};
}

const retryAfter = { 'retry-after': String(RETRY_AFTER_SECONDS) };

/** A password as sent in HTTP Basic, and as typed. */
const basicSecrets = (login: string, password: string) => [password, Buffer.from(`${login}:${password}`).toString('base64')];

// ---------------------------------------------------------------------------------------------
// Maarch Courrier

const MAARCH_EXTRA_USERS = ['agent5', 'agent6', 'agent7', 'agent8'];

const maarchUser = (id: number | string) => ({ __rl: true, mode: 'id', value: String(id) });

export const MAARCH_FAULTS: FaultSuite<MaarchEmulator> = {
	key: 'maarch',
	workflowId: 'FaultsMaarch0001',
	nodeType: 'n8n-nodes-parapheur.maarchCourrier',
	credential: 'maarchCourrierApi',
	secrets: () => basicSecrets(MAARCH_API_LOGIN, MAARCH_API_PASSWORD),
	start: async (ports) =>
		await startMaarchEmulator(
			{
				...structuredClone(MAARCH_SAMPLE),
				// ids 5 to 8, after the sample's 1 (the API account) to 4
				users: [...structuredClone(MAARCH_SAMPLE.users ?? []), ...MAARCH_EXTRA_USERS.map((login) => ({ user_id: login }))],
			},
			ports.maarch,
		),
	cases: [
		{
			name: '503 Retry-After then 200',
			parameters: { resource: 'user', operation: 'get', userId: maarchUser(2) },
			faults: [{ fault: { status: 503, headers: retryAfter, body: { errors: 'Service unavailable' } }, match: { method: 'GET', path: '/rest/users/2' } }],
			check: retriedAfterWait({ id: 2, user_id: 'bbain' }),
		},
		{
			name: '429 Retry-After then 200',
			parameters: { resource: 'user', operation: 'get', userId: maarchUser(3) },
			faults: [{ fault: { status: 429, headers: retryAfter, body: { errors: 'Too many requests' } }, match: { method: 'GET', path: '/rest/users/3' } }],
			check: retriedAfterWait({ id: 3, user_id: 'hlenoir' }),
		},
		{
			name: 'dropped connection then 200',
			parameters: { resource: 'user', operation: 'get', userId: maarchUser(4) },
			faults: [{ fault: { drop: true }, match: { method: 'GET', path: '/rest/users/4' } }],
			check: retried({ id: 4, user_id: 'ccordy' }),
		},
		{
			name: 'timeout',
			parameters: { resource: 'user', operation: 'get', userId: maarchUser(1), requestOptions: { timeout: TIMEOUT_SECONDS } },
			faults: [{ fault: { delayMs: SLOW_ANSWER_MS }, match: { method: 'GET', path: '/rest/users/1' } }],
			check: failedOnce(`Maarch Courrier did not answer within ${TIMEOUT_SECONDS} second`, /Timeout \(Seconds\)/),
		},
		{
			name: 'POST 503 not retried',
			parameters: { resource: 'user', operation: 'addToGroup', userId: maarchUser(2), groupId: 'ELU' },
			faults: [{ fault: { status: 503, headers: retryAfter, body: { errors: 'Service unavailable' } }, match: { method: 'POST', path: '/rest/users/2/groups' } }],
			check: (run) => [
				...failedOnce('Maarch Courrier is temporarily unavailable (HTTP 503): Service unavailable (not retried, as it may have been applied)', NOT_RETRIED)(run),
				...(JSON.stringify(run.emulator.users.get(2)?.groups) === '["AGENT"]' ? [] : ['bbain was added to ELU']),
			],
		},
		{
			name: '401 not retried',
			parameters: { resource: 'user', operation: 'getMany', returnAll: true },
			faults: [{ fault: { status: 401, body: { errors: 'Authentication Failed' } }, match: { method: 'GET', path: '/rest/users' } }],
			check: failedOnce(`Maarch Courrier rejected the login or password of the account '${MAARCH_API_LOGIN}' (HTTP 401)`, /never retries a rejected login/),
		},
		{
			name: 'continue on fail, 3 items',
			parameters: { resource: 'user', operation: 'get', userId: maarchUser('={{ $json.id }}') },
			items: [5, 99, 6],
			owns: [{ method: 'GET', path: /^\/rest\/users\/(5|99|6)$/ }],
			check: continuedInOrder({ id: 5, user_id: 'agent5' }, 'Maarch Courrier user 99 does not exist', { id: 6, user_id: 'agent6' }),
		},
		{
			name: 'error output, 3 items',
			parameters: { resource: 'user', operation: 'get', userId: maarchUser('={{ $json.id }}') },
			items: [7, 'seven', 8],
			owns: [{ method: 'GET', path: /^\/rest\/users\/(7|seven|8)$/ }],
			onError: 'continueErrorOutput',
			check: splitToErrorOutput({ id: 7, user_id: 'agent7' }, "'User' must be a positive whole number, got \"seven\"", { id: 8, user_id: 'agent8' }),
		},
	],
};

// ---------------------------------------------------------------------------------------------
// FAST Parapheur (HTTPS, client certificate)

const FAST_PDF_BASE64 = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n').toString('base64');

const history = (id: string): FaultMatch => ({ method: 'GET', path: new RegExp(`/documents/v2/${id}/history$`) });
const refusal = (ids: string): FaultMatch => ({ method: 'GET', path: new RegExp(`/documents/v2/${ids}/comments/refusal$`) });

export const FAST_FAULTS: FaultSuite<FastEmulator> = {
	key: 'fast',
	workflowId: 'FaultsFast000001',
	nodeType: 'n8n-nodes-parapheur.fastParapheur',
	credential: 'fastParapheurApi',
	start: async (ports) => await startFastEmulator({ port: ports.fast }),
	// The PKCS#12 password, and the PKCS#12 itself (whole, and a slice of it).
	secrets: (emulator) => [emulator.pki.clientPfxPassword, emulator.pki.clientPfxBase64, emulator.pki.clientPfxBase64.slice(100, 164)],
	// Retries open new connections: each must present the client certificate again.
	everyRequest: {
		name: 'client certificate on every request',
		problem: (request) => (request.tls?.authorized && request.tls.peerCertificate ? undefined : `${request.method} ${request.path} without a verified client certificate`),
	},
	cases: [
		{
			name: '503 Retry-After then 200',
			parameters: { resource: 'document', operation: 'getHistory', documentId: SAMPLE_DOCUMENTS.signed },
			faults: [{ fault: { status: 503, headers: retryAfter, body: 'Service Unavailable' }, match: history(SAMPLE_DOCUMENTS.signed) }],
			check: retriedAfterWait({ documentId: SAMPLE_DOCUMENTS.signed }),
		},
		{
			name: '429 Retry-After then 200',
			parameters: { resource: 'document', operation: 'getHistory', documentId: SAMPLE_DOCUMENTS.refused },
			faults: [{ fault: { status: 429, headers: retryAfter, body: 'Too Many Requests' }, match: history(SAMPLE_DOCUMENTS.refused) }],
			check: retriedAfterWait({ documentId: SAMPLE_DOCUMENTS.refused }),
		},
		{
			name: 'dropped connection then 200',
			parameters: { resource: 'document', operation: 'getHistory', documentId: SAMPLE_DOCUMENTS.helios },
			faults: [{ fault: { drop: true }, match: history(SAMPLE_DOCUMENTS.helios) }],
			check: retried({ documentId: SAMPLE_DOCUMENTS.helios }),
		},
		{
			name: 'timeout',
			parameters: {
				resource: 'document',
				operation: 'getHistory',
				documentId: SAMPLE_DOCUMENTS.prepared,
				requestOptions: { timeout: TIMEOUT_SECONDS },
			},
			faults: [{ fault: { delayMs: SLOW_ANSWER_MS }, match: history(SAMPLE_DOCUMENTS.prepared) }],
			check: failedOnce(`FAST Parapheur did not answer within ${TIMEOUT_SECONDS} second`, /Timeout \(Seconds\)/),
		},
		{
			name: 'register silent: Timeout, nothing uploaded',
			typeVersion: 2,
			parameters: {
				resource: 'document',
				operation: 'upload',
				circuitId: { __rl: true, mode: 'id', value: SAMPLE_CIRCUITS.signature },
				label: 'Registre muet',
				inputDataSource: 'base64',
				fileContent: FAST_PDF_BASE64,
				fileName: 'registre.pdf',
				addToRegister: true,
				requestOptions: { timeout: TIMEOUT_SECONDS, maxRetries: 0 },
			},
			credentials: { parapheurRegisterApi: SILENT_REGISTER },
			// Its upload, were it sent (the file name is this case's own): counted, and none expected.
			owns: [{ method: 'POST', path: /\/upload$/, when: (request) => request.parts?.some((part) => part.fileName === 'registre.pdf') === true }],
			check: failedOnce(`n8n did not answer within ${TIMEOUT_SECONDS} second`, /through n8n's own API .*Timeout \(Seconds\)/, 0, 0),
		},
		{
			name: 'POST 503 not retried',
			parameters: {
				resource: 'document',
				operation: 'upload',
				circuitId: { __rl: true, mode: 'id', value: SAMPLE_CIRCUITS.signature },
				label: 'Pannes',
				inputDataSource: 'base64',
				fileContent: FAST_PDF_BASE64,
				fileName: 'arrete.pdf',
			},
			faults: [{ fault: { status: 503, headers: retryAfter, body: 'Service Unavailable' }, match: { method: 'POST', path: /\/upload$/ } }],
			check: (run) => [
				...failedOnce('FAST Parapheur is temporarily unavailable (HTTP 503): Service Unavailable (not retried, as it may have been applied)', NOT_RETRIED)(run),
				...(run.emulator.server.requests('POST').length === 1 ? [] : ['more than one POST']),
			],
		},
		{
			name: '401 not retried',
			parameters: { resource: 'user', operation: 'export' },
			faults: [{ fault: { status: 401, body: 'Unauthorized' }, match: { method: 'GET', path: /\/exportUsersData$/ } }],
			check: failedOnce('FAST Parapheur rejected the credentials (HTTP 401): Unauthorized', /certificate/),
		},
		{
			name: 'continue on fail, 3 items',
			parameters: { resource: 'document', operation: 'getRefusalMessage', documentId: '={{ $json.id }}' },
			items: [SAMPLE_DOCUMENTS.refused, '320079999', SAMPLE_DOCUMENTS.signed],
			owns: [refusal(`(${SAMPLE_DOCUMENTS.refused}|320079999|${SAMPLE_DOCUMENTS.signed})`)],
			check: continuedInOrder(
				{ documentId: SAMPLE_DOCUMENTS.refused, hasRefusalMessage: true },
				'FAST Parapheur document 320079999 does not exist (code 101). Check the Document ID (the number returned by the upload); it may have been deleted.',
				{ documentId: SAMPLE_DOCUMENTS.signed, hasRefusalMessage: false },
			),
		},
		{
			name: 'error output, 3 items',
			parameters: { resource: 'document', operation: 'getRefusalMessage', documentId: '={{ $json.id }}' },
			items: [SAMPLE_DOCUMENTS.helios, '32007x', SAMPLE_DOCUMENTS.prepared],
			owns: [refusal(`(${SAMPLE_DOCUMENTS.helios}|32007x|${SAMPLE_DOCUMENTS.prepared})`)],
			onError: 'continueErrorOutput',
			check: splitToErrorOutput(
				{ documentId: SAMPLE_DOCUMENTS.helios, hasRefusalMessage: false },
				"'Document ID' must be a positive whole number, got \"32007x\"",
				{ documentId: SAMPLE_DOCUMENTS.prepared, hasRefusalMessage: false },
			),
		},
	],
};

// ---------------------------------------------------------------------------------------------
// Namirial Trust and Sign. Its only read is the operator list (with or without inactive
// operators), so the 429 case is an update (a PUT: idempotent, retried alike).

const NAMIRIAL_EXTRA = ['op1', 'op2', 'op3', 'op4'].map((name) => `${name}@agence.example.fr`);
const JEANNE = 'jeanne.martin@agence.example.fr';
const PAUL = 'paul.durand@agence.example.fr';

const UPDATE_PATH = '/contract/management/users/update';

const bodyEmail = (email: string) => (request: LoggedRequest) => (request.body as { email?: unknown } | undefined)?.email === email;

export const NAMIRIAL_FAULTS: FaultSuite<NamirialEmulator> = {
	key: 'namirial',
	workflowId: 'FaultsNamirial01',
	nodeType: 'n8n-nodes-parapheur.namirialTrustAndSign',
	credential: 'namirialTrustAndSignApi',
	secrets: () => basicSecrets(NAMIRIAL_ADMIN_EMAIL, NAMIRIAL_ADMIN_PASSWORD),
	start: async (ports) =>
		await startNamirialEmulator(
			{
				...structuredClone(NAMIRIAL_SAMPLE),
				operators: [
					...structuredClone(NAMIRIAL_SAMPLE.operators ?? []),
					...NAMIRIAL_EXTRA.map((email, index) => ({ email, firstName: 'Agent', lastName: `N${index + 1}` })),
				],
			},
			ports.namirial,
		),
	cases: [
		{
			name: '503 Retry-After then 200',
			parameters: { resource: 'operator', operation: 'getMany', returnAll: true, withInactive: false },
			faults: [
				{
					fault: { status: 503, headers: retryAfter, body: { error: { message: 'Service unavailable', code: 1000 } } },
					match: { method: 'GET', path: '/contract/management/users', when: (request) => request.query.withInactive === 'false' },
				},
			],
			check: (run) => {
				const items = itemsOf(run);
				const problems = items.some((item) => item.json.email === JEANNE) ? [] : [`no ${JEANNE} among ${items.length} items`];
				if (items.some((item) => item.json.error !== undefined)) problems.push(`failed: ${JSON.stringify(items[0]?.json.error)}`);
				return [...problems, ...requestCount(run, 2), ...waitedAtLeast(run, RETRY_AFTER_SECONDS * 1000)];
			},
		},
		{
			name: '429 Retry-After then 200 (PUT)',
			parameters: { resource: 'operator', operation: 'update', email: PAUL, updateFields: { externalId: 'HR-429' } },
			faults: [
				{
					fault: { status: 429, headers: retryAfter, body: { error: { message: 'Too many requests', code: 1000 } } },
					match: { method: 'PUT', path: UPDATE_PATH, when: bodyEmail(PAUL) },
				},
			],
			check: (run) => [
				...retriedAfterWait({ email: PAUL, externalId: 'HR-429', updated: true })(run),
				...(run.emulator.operators.get(PAUL)?.externalId === 'HR-429' ? [] : ['the update was not applied']),
			],
		},
		{
			name: 'dropped connection then 200',
			parameters: { resource: 'operator', operation: 'getMany', returnAll: true, withInactive: true },
			faults: [
				{
					fault: { drop: true },
					match: { method: 'GET', path: '/contract/management/users', when: (request) => request.query.withInactive === 'true' },
				},
			],
			check: (run) => {
				const items = itemsOf(run);
				const problems = items.some((item) => item.json.email === 'ancien.agent@agence.example.fr')
					? []
					: [`no inactive operator among ${items.length} items: ${JSON.stringify(items[0]?.json).slice(0, 200)}`];
				return [...problems, ...requestCount(run, 2)];
			},
		},
		{
			name: 'timeout',
			parameters: {
				resource: 'operator',
				operation: 'bindProducts',
				email: JEANNE,
				productsPublicId: 'P1',
				requestOptions: { timeout: TIMEOUT_SECONDS },
			},
			faults: [{ fault: { delayMs: SLOW_ANSWER_MS }, match: { method: 'PUT', path: '/contract/management/users/products/bind' } }],
			check: failedOnce(`Trust and Sign did not answer within ${TIMEOUT_SECONDS} second`, /Timeout \(Seconds\)/),
		},
		{
			name: 'POST 503 not retried',
			parameters: { resource: 'operator', operation: 'create', email: 'nouveau@agence.example.fr', firstName: 'Nouveau', lastName: 'Agent' },
			faults: [
				{
					fault: { status: 503, headers: retryAfter, body: { error: { message: 'Service unavailable', code: 1000 } } },
					match: { method: 'POST', path: '/contract/management/users/create' },
				},
			],
			check: (run) => [
				...failedOnce('Trust and Sign is temporarily unavailable (HTTP 503): Service unavailable (not retried, as it may have been applied)', NOT_RETRIED)(run),
				...(run.emulator.operators.has('nouveau@agence.example.fr') ? ['the operator was created'] : []),
			],
		},
		{
			name: '401 not retried',
			parameters: { resource: 'operator', operation: 'bindGroups', email: JEANNE, groupsLabel: 'DEFAULT' },
			faults: [
				{
					fault: { status: 401, body: { error: { message: 'Unauthorized', code: 1000 } } },
					match: { method: 'PUT', path: '/contract/management/users/groups/bind' },
				},
			],
			check: failedOnce(`Trust and Sign rejected the e-mail or password of the admin operator ${NAMIRIAL_ADMIN_EMAIL} (HTTP 401)`, /ADMINISTRATION/),
		},
		{
			name: 'continue on fail, 3 items',
			parameters: { resource: 'operator', operation: 'update', email: '={{ $json.id }}', updateFields: { externalId: 'HR-COF' } },
			items: [NAMIRIAL_EXTRA[0], 'personne@agence.example.fr', NAMIRIAL_EXTRA[1]],
			owns: [NAMIRIAL_EXTRA[0], 'personne@agence.example.fr', NAMIRIAL_EXTRA[1]].map((email) => ({ method: 'PUT', path: UPDATE_PATH, when: bodyEmail(email) })),
			check: continuedInOrder(
				{ email: NAMIRIAL_EXTRA[0], updated: true },
				"Trust and Sign rejected operator personne@agence.example.fr: Operator 'personne@agence.example.fr' not found (code 1000)",
				{ email: NAMIRIAL_EXTRA[1], updated: true },
			),
		},
		{
			name: 'error output, 3 items',
			parameters: { resource: 'operator', operation: 'update', email: '={{ $json.id }}', updateFields: { externalId: 'HR-ERR' } },
			items: [NAMIRIAL_EXTRA[2], 'not-an-email', NAMIRIAL_EXTRA[3]],
			owns: [NAMIRIAL_EXTRA[2], 'not-an-email', NAMIRIAL_EXTRA[3]].map((email) => ({ method: 'PUT', path: UPDATE_PATH, when: bodyEmail(email) })),
			onError: 'continueErrorOutput',
			check: splitToErrorOutput(
				{ email: NAMIRIAL_EXTRA[2], updated: true },
				"'Email' is not a valid e-mail address: \"not-an-email\"",
				{ email: NAMIRIAL_EXTRA[3], updated: true },
			),
		},
	],
};

// ---------------------------------------------------------------------------------------------
// FlowerDocs (token login; renewed once after a 401 by design)

const FLOWERDOCS_EXTRA = ['agent1', 'agent2', 'agent3', 'agent4', 'agent5', 'agent6', 'agent7'];

const flowerDocsUser = (id: string): FaultMatch => ({ method: 'GET', path: `/core/rest/users/${id}` });

export const FLOWERDOCS_FAULTS: FaultSuite<FlowerDocsEmulator> = {
	key: 'flowerdocs',
	workflowId: 'FaultsFlowerDoc1',
	nodeType: 'n8n-nodes-parapheur.flowerDocs',
	credential: 'flowerDocsApi',
	// The password, and every session token the emulator saw.
	secrets: (emulator) => [
		FLOWERDOCS_API_PASSWORD,
		...new Set(emulator.log.map((entry) => entry.headers.token).filter((token): token is string => typeof token === 'string' && token !== '')),
	],
	start: async (ports) =>
		await startFlowerDocsEmulator(
			{
				...structuredClone(FLOWERDOCS_SAMPLE),
				users: [
					...structuredClone(FLOWERDOCS_SAMPLE.users ?? []),
					...FLOWERDOCS_EXTRA.map((id) => ({ id, firstname: 'Agent', lastname: id, mail: `${id}@mairie.example.fr` })),
				],
			},
			ports.flowerdocs,
		),
	// The stored token (if any) is from an earlier emulator: this first call logs in again.
	warmUp: { parameters: { resource: 'user', operation: 'get', userIds: 'n8n' }, owns: [flowerDocsUser('n8n')] },
	cases: [
		{
			name: '503 Retry-After then 200',
			parameters: { resource: 'user', operation: 'get', userIds: 'bbain' },
			faults: [{ fault: { status: 503, headers: retryAfter, body: { code: 'T00503', message: 'Service Unavailable' } }, match: flowerDocsUser('bbain') }],
			check: retriedAfterWait({ id: 'bbain' }),
		},
		{
			name: '429 Retry-After then 200',
			parameters: { resource: 'user', operation: 'get', userIds: 'hlenoir' },
			faults: [{ fault: { status: 429, headers: retryAfter, body: { code: 'T00429', message: 'Too Many Requests' } }, match: flowerDocsUser('hlenoir') }],
			check: retriedAfterWait({ id: 'hlenoir' }),
		},
		{
			name: 'dropped connection then 200',
			parameters: { resource: 'user', operation: 'get', userIds: 'ccordy' },
			faults: [{ fault: { drop: true }, match: flowerDocsUser('ccordy') }],
			check: retried({ id: 'ccordy' }),
		},
		{
			name: 'timeout',
			parameters: { resource: 'user', operation: 'search', search: 'agent', returnAll: true, requestOptions: { timeout: TIMEOUT_SECONDS } },
			faults: [{ fault: { delayMs: SLOW_ANSWER_MS }, match: { method: 'GET', path: '/core/rest/users/search' } }],
			check: failedOnce(`FlowerDocs did not answer within ${TIMEOUT_SECONDS} second`, /Timeout \(Seconds\)/),
		},
		{
			name: 'POST 503 not retried',
			parameters: {
				resource: 'user',
				operation: 'create',
				userId: 'nouveau',
				mail: 'nouveau@mairie.example.fr',
				firstname: 'Nouveau',
				lastname: 'Agent',
				password: 'Bienvenue-2026!',
			},
			faults: [{ fault: { status: 503, headers: retryAfter, body: { code: 'T00503', message: 'Service Unavailable' } }, match: { method: 'POST', path: '/core/rest/users' } }],
			check: (run) => [
				...failedOnce('FlowerDocs is temporarily unavailable (HTTP 503): Service Unavailable (not retried, as it may have been applied)', NOT_RETRIED)(run),
				...(run.emulator.users.has('nouveau') ? ['the user was created'] : []),
			],
		},
		{
			name: '401 twice: 1 renewal, then fails',
			parameters: { resource: 'user', operation: 'get', userIds: 'agent1' },
			faults: [{ fault: { status: 401, body: { code: 'T00401', message: 'Unauthorized: token refused' } }, count: 2, match: flowerDocsUser('agent1') }],
			check: failedOnce('FlowerDocs rejected the session token twice, even right after a new login (HTTP 401)', /clocks/, 1, 2),
		},
		{
			name: '401 once: 1 renewal, then 200',
			parameters: { resource: 'user', operation: 'get', userIds: 'agent2' },
			faults: [{ fault: { status: 401, body: { code: 'T00401', message: 'Unauthorized: token refused' } }, match: flowerDocsUser('agent2') }],
			check: (run) => {
				const { item, problems } = single(run);
				return [...problems, ...succeeded(item, { id: 'agent2' }), ...requestCount(run, 2, 1)];
			},
		},
		{
			name: 'continue on fail, 3 items',
			parameters: { resource: 'user', operation: 'get', userIds: '={{ $json.id }}' },
			items: ['agent3', 'personne', 'agent4'],
			owns: [{ method: 'GET', path: /^\/core\/rest\/users\/(agent3|personne|agent4)$/ }],
			check: continuedInOrder({ id: 'agent3' }, 'FlowerDocs user personne does not exist', { id: 'agent4' }),
		},
		{
			name: 'error output, 3 items',
			parameters: { resource: 'user', operation: 'get', userIds: '={{ $json.id }}' },
			items: ['agent5', '../agent6', 'agent7'],
			owns: [{ method: 'GET', path: /^\/core\/rest\/users\/(agent5|agent6|\.\.%2Fagent6|agent7)$/ }],
			onError: 'continueErrorOutput',
			check: splitToErrorOutput({ id: 'agent5' }, "'User IDs' has an invalid value: \"../agent6\"", { id: 'agent7' }),
		},
	],
};

export const FAULT_SUITES: FaultSuite[] = [
	FAST_FAULTS as unknown as FaultSuite,
	MAARCH_FAULTS as unknown as FaultSuite,
	NAMIRIAL_FAULTS as unknown as FaultSuite,
	FLOWERDOCS_FAULTS as unknown as FaultSuite,
];

// ---------------------------------------------------------------------------------------------
// Workflows and checks

const TRIGGER = "When clicking 'Execute workflow'";
const WARM_UP = 'Warm-up (log in)';

/** The node of a case: its name on the canvas and in the run data. */
export function caseNodeName(faultCase: FaultCase<VendorEmulator>, index: number): string {
	return `${index + 1}. ${faultCase.name}`;
}

/**
 * The suite's workflow: the trigger, then each case on its own branch (one above the other, so
 * n8n's v1 order runs them top to bottom, each to its end before the next); cases with three items
 * get them from a Set and a Split Out of their own.
 */
export function faultWorkflow(suite: FaultSuite): Workflow {
	const credential = EMULATOR_CREDENTIALS[suite.credential];
	const nodes: WorkflowNode[] = [
		{ id: 'trigger', name: TRIGGER, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
	];
	const connections: Workflow['connections'] = {};
	const connect = (from: string, to: string) => {
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: to, type: 'main', index: 0 });
	};
	const actionNode = (
		id: string,
		name: string,
		parameters: IDataObject,
		position: [number, number],
		onError: WorkflowNode['onError'],
		extra: Pick<FaultCase<VendorEmulator>, 'typeVersion' | 'credentials'> = {},
	): WorkflowNode => ({
		id,
		name,
		type: suite.nodeType,
		typeVersion: extra.typeVersion ?? 1,
		position,
		parameters,
		credentials: { [suite.credential]: { id: credential.id, name: credential.name }, ...extra.credentials },
		onError,
	});
	let row = 0;
	if (suite.warmUp) {
		nodes.push(actionNode('warm-up', WARM_UP, suite.warmUp.parameters, [300, 0], undefined));
		connect(TRIGGER, WARM_UP);
		row++;
	}
	suite.cases.forEach((faultCase, index) => {
		const name = caseNodeName(faultCase, index);
		const y = row++ * 200;
		let source = TRIGGER;
		if (faultCase.items) {
			const list = `${name}: items`;
			const split = `${name}: one per id`;
			nodes.push(
				{
					id: `case-${index}-items`,
					name: list,
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [300, y],
					parameters: { mode: 'raw', jsonOutput: JSON.stringify({ ids: faultCase.items }), options: {} },
				},
				{
					id: `case-${index}-split`,
					name: split,
					type: 'n8n-nodes-base.splitOut',
					typeVersion: 1,
					position: [520, y],
					parameters: { fieldToSplitOut: 'ids', options: { destinationFieldName: 'id' } },
				},
			);
			connect(TRIGGER, list);
			connect(list, split);
			source = split;
		}
		nodes.push(actionNode(`case-${index}`, name, faultCase.parameters, [760, y], faultCase.onError ?? 'continueRegularOutput', faultCase));
		connect(source, name);
	});
	return {
		id: suite.workflowId,
		name: `Fault chapter: ${suite.key}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes,
		connections,
	};
}

/** Arms every case's faults on a fresh emulator. */
export function armFaults(suite: FaultSuite, emulator: VendorEmulator): void {
	for (const faultCase of suite.cases) {
		for (const { fault, count, match } of faultCase.faults ?? []) emulator.injectFault(fault, count ?? 1, match);
	}
}

export interface FaultCaseResult {
	name: string;
	ok: boolean;
	/** The node's execution time. */
	seconds: number;
	problems: string[];
}

function caseRequests(faultCase: FaultCase<VendorEmulator>): FaultMatch[] {
	return faultCase.owns ?? (faultCase.faults ?? []).map(({ match }) => match);
}

/**
 * Checks every case of a suite in a run; `emulator` is the one the run talked to, `output` what
 * `n8n execute` printed (the run and n8n's logs).
 */
export function checkFaultRun(suite: FaultSuite, run: IRun, emulator: VendorEmulator, output: string): FaultCaseResult[] {
	const runData = run.data.resultData.runData;
	const results: FaultCaseResult[] = [];
	const unused = emulator.server.pendingFaults();
	suite.cases.forEach((faultCase, index) => {
		const name = caseNodeName(faultCase, index);
		const task = runData[name]?.[0];
		if (!task) {
			results.push({ name: faultCase.name, ok: false, seconds: 0, problems: ['the node did not run'] });
			return;
		}
		const end = task.startTime + task.executionTime;
		const owns = caseRequests(faultCase);
		const requests = emulator.log.filter(
			(entry) => owns.some((match) => matches(match, entry)) || (isLogin(entry) && entry.time >= task.startTime && entry.time <= end),
		);
		const problems: string[] = [];
		if (task.error) problems.push(`the node failed instead of continuing: ${task.error.message}`);
		if ((runData[name]?.length ?? 0) !== 1) problems.push(`ran ${runData[name]?.length} times, expected once`);
		try {
			problems.push(...faultCase.check({ task, outputs: (task.data?.main ?? []).map((items) => items ?? []), requests, emulator }));
		} catch (error) {
			problems.push(`the check failed: ${(error as Error).message}`);
		}
		results.push({ name: faultCase.name, ok: problems.length === 0, seconds: task.executionTime / 1000, problems });
	});
	const claims = [...suite.cases.flatMap(caseRequests), ...(suite.warmUp?.owns ?? [])];
	const unclaimed = emulator.log.filter((entry) => !isLogin(entry) && !claims.some((match) => matches(match, entry)));
	if (unclaimed.length > 0) {
		results.push({ name: 'no request outside the cases', ok: false, seconds: 0, problems: [`requests no case sends: ${describeRequests(unclaimed)}`] });
	}
	if (suite.everyRequest) {
		const problems = emulator.log.map(suite.everyRequest.problem).filter((problem): problem is string => problem !== undefined);
		if (problems.length > 0) results.push({ name: suite.everyRequest.name, ok: false, seconds: 0, problems });
	}
	const leaked = suite.secrets(emulator).filter((secret) => secret.length >= 8 && output.includes(secret));
	if (leaked.length > 0) {
		results.push({ name: 'no secret in the output', ok: false, seconds: 0, problems: [`${leaked.length} secret value(s) appear in n8n's output or logs`] });
	}
	if (unused > 0) {
		results.push({ name: 'every armed fault served', ok: false, seconds: 0, problems: [`${unused} armed fault(s) never met their request`] });
	}
	if (suite.warmUp) {
		const task = runData[WARM_UP]?.[0];
		const item = task?.data?.main?.[0]?.[0];
		if (!task || task.error || !item || item.json.error !== undefined) {
			results.unshift({
				name: 'warm-up',
				ok: false,
				seconds: (task?.executionTime ?? 0) / 1000,
				problems: [`the warm-up call failed: ${task?.error?.message ?? JSON.stringify(item?.json ?? null)}`],
			});
		}
	}
	return results;
}
