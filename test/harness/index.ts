/**
 * Runs real workflows through n8n-core's execution engine (WorkflowExecute, PollContext,
 * RoutingNode for credential tests), with the package's nodes registered under the type names
 * users get (`n8n-nodes-parapheur.<name>`) and credentials supplied by the test.
 *
 *   const run = await runNode({ node: { type: 'maarchCourrier', parameters }, credentials, items });
 *   run.items        // the node's output items (first output)
 *   run.error        // the error the node failed with, if any
 */
import { createReadStream } from 'node:fs';
import { dirname } from 'node:path';

import {
	BinaryDataService,
	CredentialTestContext,
	ExecuteContext,
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	PollContext,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	IDataObject,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodePropertyOptions,
	INodeType,
	INodeTypes,
	IRun,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
	ExecutionError,
	ITriggerFunctions,
	ITriggerResponse,
	IVersionedNodeType,
} from 'n8n-workflow';
// Only what both n8n lines export (n8n-workflow 2.x has no createDeferredPromise, for one).
import { NodeHelpers, VersionedNodeType, Workflow, createEmptyRunExecutionData, createRunExecutionData } from 'n8n-workflow';

import { FastParapheurApi } from '../../credentials/FastParapheurApi.credentials';
import { FlowerDocsApi } from '../../credentials/FlowerDocsApi.credentials';
import { ParapheurRegisterApi } from '../../credentials/ParapheurRegisterApi.credentials';
import { MaarchCourrierApi } from '../../credentials/MaarchCourrierApi.credentials';
import { NamirialTrustAndSignApi } from '../../credentials/NamirialTrustAndSignApi.credentials';
import { FastParapheur } from '../../nodes/FastParapheur/FastParapheur.node';
import { FastParapheurTrigger } from '../../nodes/FastParapheur/FastParapheurTrigger.node';
import { FlowerDocs } from '../../nodes/FlowerDocs/FlowerDocs.node';
import { MaarchCourrier } from '../../nodes/MaarchCourrier/MaarchCourrier.node';
import { NamirialTrustAndSign } from '../../nodes/NamirialTrustAndSign/NamirialTrustAndSign.node';
import { TestCredentialsHelper } from './credentials';

export const PACKAGE = 'n8n-nodes-parapheur';

/**
 * A file the Manual Trigger attaches to an item (key `$binary` of a test item): its content as
 * base64, or a path read as a stream (large files), stored through n8n's binary data service.
 */
export interface TestBinary {
	base64?: string;
	path?: string;
	fileName?: string;
	mimeType?: string;
}

/** The bytes of an output binary field, wherever n8n stored them. */
export async function binaryContent(binary: { id?: string; data: string }): Promise<Buffer> {
	const core = dirname(require.resolve('n8n-core'));
	const { Container } = require(require.resolve('@n8n/di', { paths: [core] })) as {
		Container: { get<T>(type: new (...args: never[]) => T): T };
	};
	return await Container.get(BinaryDataService).getAsBuffer(binary as never);
}

/** Stores binary data on disk as n8n 2.x always does (and 1.x with N8N_DEFAULT_BINARY_DATA_MODE=filesystem). */
export async function useFilesystemBinaryData(): Promise<void> {
	const core = dirname(require.resolve('n8n-core'));
	const { Container } = require(require.resolve('@n8n/di', { paths: [core] })) as {
		Container: { get<T>(type: new (...args: never[]) => T): T };
	};
	const service = Container.get(BinaryDataService) as unknown as {
		config: { mode: string; availableModes: string[] };
		mode: string;
		init(): Promise<void>;
	};
	if (service.mode === 'filesystem-v2') return;
	service.config.availableModes = ['filesystem'];
	service.config.mode = 'filesystem';
	await service.init();
}
export const MANUAL_TRIGGER = 'test.manualTrigger';

/**
 * A Manual Trigger that starts the workflow with the items given in its `items` parameter
 * (n8n's own Manual Trigger always emits one empty item).
 */
class ManualTrigger implements INodeType {
	description = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Starts the test workflow',
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[{}]' }],
	} as unknown as INodeType['description'];

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const raw = this.getNodeParameter('items') as string | IDataObject[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		const manualTriggerFunction = async () => {
			const output: INodeExecutionData[] = [];
			for (const entry of items) {
				const { $binary, ...json } = entry as IDataObject & { $binary?: Record<string, TestBinary> };
				const item: INodeExecutionData = { json };
				if ($binary) {
					item.binary = {};
					for (const [name, file] of Object.entries($binary)) {
						const content = file.path ? createReadStream(file.path) : Buffer.from(file.base64 ?? '', 'base64');
						item.binary[name] = await this.helpers.prepareBinaryData(content as Buffer, file.fileName, file.mimeType);
					}
				}
				output.push(item);
			}
			this.emit([output]);
		};
		return { manualTriggerFunction };
	}
}

const nodeClasses: Record<string, INodeType | IVersionedNodeType> = {
	[`${PACKAGE}.maarchCourrier`]: new MaarchCourrier(),
	[`${PACKAGE}.namirialTrustAndSign`]: new NamirialTrustAndSign(),
	[`${PACKAGE}.fastParapheur`]: new FastParapheur(),
	[`${PACKAGE}.fastParapheurTrigger`]: new FastParapheurTrigger(),
	[`${PACKAGE}.flowerDocs`]: new FlowerDocs(),
	[MANUAL_TRIGGER]: new ManualTrigger(),
};

const credentialClasses: ICredentialType[] = [new MaarchCourrierApi(), new FastParapheurApi(), new NamirialTrustAndSignApi(), new FlowerDocsApi(), new ParapheurRegisterApi()];

export const credentialTypes = new Map(credentialClasses.map((type) => [type.name, type]));

/** Registers a node type for a test (e.g. a small polling node that exercises the harness). */
export function registerNodeType(name: string, nodeType: INodeType | IVersionedNodeType): void {
	nodeClasses[`${PACKAGE}.${name}`] = nodeType;
}

export const nodeTypes: INodeTypes = {
	getByName: (type: string) => nodeClasses[type],
	getByNameAndVersion: (type: string, version?: number) => {
		const nodeType = nodeClasses[type];
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		return NodeHelpers.getVersionedNodeType(nodeType, version);
	},
	getKnownTypes: () => ({}),
};

export interface NodeUnderTest {
	/** Short node type name, e.g. `maarchCourrier`. */
	type: string;
	parameters: INodeParameters;
	name?: string;
	/** n8n's "On Error" setting. */
	onError?: INode['onError'];
	/** Legacy "Continue On Fail" switch. */
	continueOnFail?: boolean;
	/** The node's version, as saved in a workflow (default 1). */
	typeVersion?: number;
}

export interface RunOptions {
	node: NodeUnderTest;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Items the Manual Trigger emits (default one empty item). */
	items?: IDataObject[];
	mode?: WorkflowExecuteMode;
	/** An existing helper, to keep stored tokens between runs. */
	credentialsHelper?: TestCredentialsHelper;
	/** Cancels the execution after this many milliseconds, as the editor's Stop button does. */
	cancelAfterMs?: number;
}

export interface RunResult {
	run: IRun;
	/** The node's items on its first output. */
	items: INodeExecutionData[];
	/** The node's items on each output (with "On Error: continue (using error output)", [1] are errors). */
	outputs: INodeExecutionData[][];
	/** The error the node failed with, if it failed. */
	error?: ExecutionError;
	/** Every node that ran (the trigger included): its outputs and error, by node name. */
	nodes: Record<string, { outputs: INodeExecutionData[][]; error?: ExecutionError }>;
	credentialsHelper: TestCredentialsHelper;
}

function baseAdditionalData(
	credentialsHelper: TestCredentialsHelper,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper,
		hooks,
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not available in tests');
		},
		getRunExecutionData: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		variables: {},
		logAiEvent: () => undefined,
		startRunnerTask: async () => {
			throw new Error('Task runners are not available in tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

function nodeFor(spec: NodeUnderTest, credentials: Record<string, unknown>): INode {
	const typeVersion = spec.typeVersion ?? 1;
	const nodeType = nodeTypes.getByNameAndVersion(`${PACKAGE}.${spec.type}`, typeVersion);
	const credentialRefs: INode['credentials'] = {};
	for (const { name } of nodeType.description.credentials ?? []) {
		if (credentials[name]) credentialRefs[name] = { id: `${name}-id`, name: `${name} (test)` };
	}
	return {
		id: 'node-under-test',
		name: spec.name ?? nodeType.description.defaults.name ?? spec.type,
		type: `${PACKAGE}.${spec.type}`,
		typeVersion,
		position: [250, 0],
		parameters: spec.parameters,
		credentials: credentialRefs,
		onError: spec.onError,
		continueOnFail: spec.continueOnFail,
	};
}

/** Manual Trigger -> node under test, executed by n8n-core's WorkflowExecute. */
export async function runNode(options: RunOptions): Promise<RunResult> {
	const credentials = options.credentials ?? {};
	const credentialsHelper =
		options.credentialsHelper ?? new TestCredentialsHelper(credentialTypes, { ...credentials });
	const trigger: INode = {
		id: 'trigger',
		name: 'Manual Trigger',
		type: MANUAL_TRIGGER,
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(options.items ?? [{}]) },
	};
	const node = nodeFor(options.node, credentials);
	const connections: IConnections = {
		[trigger.name]: { main: [[{ node: node.name, type: 'main', index: 0 }]] },
	};
	const workflow = new Workflow({
		id: 'test-workflow',
		name: 'Test workflow',
		nodes: [trigger, node],
		connections,
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1' },
	});

	const mode = options.mode ?? 'manual';
	const hooks = new ExecutionLifecycleHooks(mode, 'test-execution', {
		id: 'test-workflow',
		name: 'Test workflow',
		nodes: [trigger, node],
		connections,
		active: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		isArchived: false,
	} as unknown as ConstructorParameters<typeof ExecutionLifecycleHooks>[2]);
	let finish: (run: IRun) => void = () => undefined;
	const finished = new Promise<IRun>((resolve) => (finish = resolve));
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => finish(fullRunData));
	const additionalData = baseAdditionalData(credentialsHelper, hooks);

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: trigger, data: { main: [[{ json: {} }]] }, source: null }],
		},
	});
	const execution = new WorkflowExecute(additionalData, mode, runExecutionData);
	const running = execution.processRunExecutionData(workflow);
	const canceller =
		options.cancelAfterMs === undefined ? undefined : setTimeout(() => running.cancel(), options.cancelAfterMs);
	try {
		// A cancelled execution resolves at once, with the run data as it was (as n8n does).
		await running;
	} finally {
		clearTimeout(canceller);
	}
	const run = await finished;

	const nodes: RunResult['nodes'] = {};
	for (const [name, tasks] of Object.entries(run.data.resultData.runData)) {
		nodes[name] = {
			outputs: (tasks[0]?.data?.main ?? []).map((output) => output ?? []),
			error: tasks[0]?.error,
		};
	}
	const outputs = nodes[node.name]?.outputs ?? [];
	return {
		run,
		items: outputs[0] ?? [],
		outputs,
		error: nodes[node.name]?.error ?? run.data.resultData.error,
		nodes,
		credentialsHelper,
	};
}

/**
 * Runs a credential's Test the way n8n's CredentialsTester does for a declarative `test`: a
 * temporary node whose only property routes the test request, run by n8n-core's RoutingNode.
 */
export async function testCredential(
	type: string,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	const credentialType = credentialTypes.get(type);
	if (!credentialType?.test) throw new Error(`Credential ${type} has no test`);
	const testRequest = credentialType.test;
	const credentialsHelper = new TestCredentialsHelper(credentialTypes, { [type]: data });
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [type]: { id: 'test', name: 'test' } },
	};
	const tempType: INodeType = {
		description: {
			displayName: 'Temp',
			name: 'n8n-nodes-base.noOp',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: type, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		} as unknown as INodeType['description'],
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: {
			getByName: () => tempType,
			getByNameAndVersion: () => tempType,
			getKnownTypes: () => ({}),
		},
	});
	const additionalData = baseAdditionalData(credentialsHelper);
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createEmptyRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(context, tempType, {
		id: 'test',
		name: 'test',
		type,
		data,
	});
	try {
		await routingNode.runNode();
	} catch (error) {
		const cause = (error as { cause?: { response?: { status: number; statusText?: string }; code?: string } })
			.cause;
		if (cause?.response) {
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === cause.response.status) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			return {
				status: 'Error',
				message: cause.response.statusText || `Received HTTP status code: ${cause.response.status}`,
			};
		}
		if (cause?.code) return { status: 'Error', message: cause.code };
		return { status: 'Error', message: (error as Error).message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/**
 * Runs a credential's Test the way n8n's CredentialsTester does for a credential tested by a node
 * (`testedBy`): it looks through the node's versions (newest first) for one that names the
 * credential and has the `methods.credentialTest` function, and calls it with a
 * CredentialTestContext.
 */
export async function testCredentialWithNode(
	nodeTypeName: string,
	credentialType: string,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	const test = findCredentialTest(nodeTypes.getByName(`${PACKAGE}.${nodeTypeName}`), credentialType);
	if (!test) throw new Error(`${nodeTypeName} has no credential test for ${credentialType}`);
	return await test.call(new CredentialTestContext(), { id: 'test', name: 'test', type: credentialType, data });
}

/**
 * The lookup of n8n's CredentialsTester.getCredentialTestFunction (n8n 1.123 and 2.41), for a
 * `testedBy` name. `isVersioned` is its `node instanceof VersionedNodeType`, false when the node
 * was built with another copy of n8n-workflow than n8n's.
 */
export function findCredentialTest(
	node: INodeType | IVersionedNodeType,
	credentialType: string,
	isVersioned: (node: unknown) => node is IVersionedNodeType = (value): value is IVersionedNodeType => value instanceof VersionedNodeType,
) {
	const versions = isVersioned(node) ? Object.values(node.nodeVersions) : [node as INodeType];
	for (const version of versions) {
		const testedBy = version.description.credentials?.find((credential) => credential.name === credentialType)?.testedBy;
		if (typeof testedBy !== 'string') continue;
		if (isVersioned(node)) {
			for (const number of Object.keys(node.nodeVersions).sort().reverse()) {
				const credentialTest = node.nodeVersions[Number(number)].methods?.credentialTest;
				if (credentialTest && testedBy in credentialTest) return credentialTest[testedBy];
			}
		}
		return (node as INodeType).methods?.credentialTest?.[testedBy];
	}
	return undefined;
}

/**
 * Calls a node's list-search method (resource locator "From List") through n8n-core's
 * LoadOptionsContext, as the editor does.
 */
export async function runListSearch(options: {
	type: string;
	method: string;
	parameters?: INodeParameters;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	filter?: string;
}): Promise<INodeListSearchResult> {
	const credentialsHelper = new TestCredentialsHelper(credentialTypes, { ...options.credentials });
	const node = nodeFor({ type: options.type, parameters: options.parameters ?? {} }, options.credentials);
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const context = new LoadOptionsContext(workflow, node, baseAdditionalData(credentialsHelper), '');
	const nodeType = nodeTypes.getByNameAndVersion(node.type, 1);
	const search = nodeType.methods?.listSearch?.[options.method];
	if (!search) throw new Error(`${options.type} has no list search ${options.method}`);
	return await search.call(context, options.filter);
}

/** Calls a node's load-options method (a dropdown filled from the API), as the editor does. */
export async function runLoadOptions(options: {
	type: string;
	method: string;
	parameters?: INodeParameters;
	credentials: Record<string, ICredentialDataDecryptedObject>;
}): Promise<INodePropertyOptions[]> {
	const credentialsHelper = new TestCredentialsHelper(credentialTypes, { ...options.credentials });
	const node = nodeFor({ type: options.type, parameters: options.parameters ?? {} }, options.credentials);
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = baseAdditionalData(credentialsHelper);
	additionalData.currentNodeParameters = options.parameters ?? {};
	const context = new LoadOptionsContext(workflow, node, additionalData, '');
	const nodeType = nodeTypes.getByNameAndVersion(node.type, 1);
	const load = nodeType.methods?.loadOptions?.[options.method];
	if (!load) throw new Error(`${options.type} has no load options ${options.method}`);
	return await load.call(context);
}

export interface PollOptions {
	type: string;
	parameters: INodeParameters;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** The node's static data as n8n saved it after the previous poll (a restart reloads it). */
	staticData?: IDataObject;
	/** 'manual' for "Fetch test event", 'trigger' for an active workflow's poll. */
	mode?: 'manual' | 'trigger';
	/** The node's version, as saved in a workflow (default 1). */
	typeVersion?: number;
	/** The poll's time budget, as n8n 2.x's durable scheduler gives it (`getPollBudgetMs`); none by default. */
	pollBudgetMs?: number;
	/**
	 * The activation mode n8n gives the poll: 'update' (the default here) for a scheduled poll of
	 * n8n 2.x's durable scheduler; 'activate' or 'init' for the poll made as the workflow is activated.
	 */
	activation?: 'activate' | 'init' | 'update';
}

export interface PollResult {
	items: INodeExecutionData[] | null;
	/** The static data n8n would persist after this poll (unchanged for manual runs). */
	staticData: IDataObject;
}

/** One poll of a polling trigger through n8n-core's PollContext, with static data round-tripped. */
export async function runPoll(options: PollOptions): Promise<PollResult> {
	const credentials = options.credentials ?? {};
	const credentialsHelper = new TestCredentialsHelper(credentialTypes, { ...credentials });
	const node = nodeFor({ type: options.type, parameters: options.parameters, typeVersion: options.typeVersion }, credentials);
	const before = JSON.parse(JSON.stringify(options.staticData ?? {})) as IDataObject;
	const workflow = new Workflow({
		id: 'test-workflow',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes,
		staticData: { [`node:${node.name}`]: JSON.parse(JSON.stringify(before)) as IDataObject },
	});
	const mode = options.mode ?? 'trigger';
	const context = new PollContext(
		workflow,
		node,
		baseAdditionalData(credentialsHelper),
		mode,
		mode === 'manual' ? 'manual' : (options.activation ?? 'update'),
	);
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	if (options.pollBudgetMs !== undefined) Object.assign(context, { getPollBudgetMs: () => options.pollBudgetMs });
	const output = await nodeType.poll!.call(context);
	// n8n saves static data only for non-manual runs; JSON round-trip as the database would.
	const saved =
		mode === 'manual'
			? before
			: (JSON.parse(
					JSON.stringify(workflow.staticData[`node:${node.name}`] ?? {}),
				) as IDataObject);
	return { items: output?.[0] ?? null, staticData: saved };
}

/** Every string that reaches an output item or an error, for secret-leak checks. */
export function everyText(result: RunResult): string {
	return JSON.stringify({
		outputs: result.outputs,
		error: result.error
			? {
					message: result.error.message,
					description: result.error.description,
					messages: (result.error as { messages?: string[] }).messages,
					context: result.error.context,
					cause: (result.error as { cause?: unknown }).cause,
				}
			: null,
		resultError: result.run.data.resultData.error,
	});
}

export { TestCredentialsHelper };
