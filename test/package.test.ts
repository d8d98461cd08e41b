/**
 * The built package loads the way n8n loads it: from the paths in package.json's `n8n` field.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import type { ICredentialType, INodeProperties, INodeType, IVersionedNodeType } from 'n8n-workflow';

import { EXPECTATIONS } from './e2e/expectations';
import { REGISTER_TEMPLATE_IDS } from './e2e/templates';
import { EMULATOR_CREDENTIALS } from './emulators/credentials';

const root = join(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require(join(root, 'package.json')) as {
	name: string;
	license: string;
	keywords: string[];
	files: string[];
	peerDependencies: Record<string, string>;
	n8n: { n8nNodesApiVersion: number; nodes: string[]; credentials: string[] };
};

const SPEC_OPERATIONS: Record<string, Record<string, string[]>> = {
	fastParapheur: {
		document: [
			'upload', 'uploadOnDemand', 'uploadOtp', 'download', 'getCirculationSheet', 'getHistory', 'getStatus',
			'getResult', 'setMetadata', 'setOtpInformation', 'getRefusalMessage', 'getOtpUrl', 'delete',
		],
		acknowledgement: ['listRemaining', 'download'],
		pesRetour: ['listRemaining', 'download'],
		chorus: ['listRemaining', 'download'],
		user: ['export', 'synchronize'],
	},
	maarchCourrier: {
		user: [
			'create', 'get', 'getMany', 'update', 'delete', 'addToGroup', 'removeFromGroup', 'addToEntity',
			'removeFromEntity', 'linkToMaarchParapheur', 'createInMaarchParapheur', 'unlinkFromMaarchParapheur',
			'getMaarchParapheurStatus',
		],
	},
	namirialTrustAndSign: {
		operator: ['getMany', 'create', 'update', 'delete', 'bindProducts', 'bindGroups', 'createBatch', 'updateBatch', 'deleteBatch'],
	},
	flowerDocs: {
		user: ['create', 'get', 'update', 'changePassword', 'search', 'delete'],
	},
};

function load<T>(relative: string): T {
	const module = require(join(root, relative)) as Record<string, new () => T>;
	const [Class] = Object.values(module);
	return new Class();
}

/** Version 1 of a node as n8n runs it for a workflow saved with `typeVersion: 1`. */
/** The node's default version (what a node dropped on the canvas gets). */
function loadNode(relative: string): INodeType {
	const node = load<IVersionedNodeType>(relative);
	return node.nodeVersions[node.currentVersion];
}

/** The versions of each node: FAST Parapheur's two nodes have a version 2 (the register, the API page's final states). */
const VERSIONS: Record<string, string[]> = { fastParapheur: ['1', '2'], fastParapheurTrigger: ['1', '2'] };
const versionsOf = (name: string) => VERSIONS[name] ?? ['1'];

describe('the package as n8n sees it', () => {
	test('package.json declares a community node package', () => {
		expect(pkg.name).toBe('n8n-nodes-parapheur');
		expect(pkg.license).toBe('MIT');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.files).toEqual(['dist']);
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
		for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
			expect(file.startsWith('dist/')).toBe(true);
			expect(existsSync(join(root, file))).toBe(true);
		}
	});

	const actionNodes = pkg.n8n.nodes.filter((file) => !file.endsWith('Trigger.node.js'));
	const triggerNodes = pkg.n8n.nodes.filter((file) => file.endsWith('Trigger.node.js'));

	function expectIconsAndCodex(file: string, description: INodeType['description']): void {
		const icon = description.icon as { light: string; dark: string };
		for (const variant of [icon.light, icon.dark]) {
			expect(variant).toMatch(/^file:.+\.svg$/);
			expect(existsSync(join(root, file, '..', variant.slice(5)))).toBe(true);
		}
		expect(existsSync(join(root, file.replace(/\.js$/, '.json')))).toBe(true);
	}

	test.each(pkg.n8n.nodes)('%s is a VersionedNodeType of n8n-workflow whose versions have the node\'s name, the newest the default', (file) => {
		// n8n's CredentialsTester finds a versioned node's credential tests only on an instance of
		// its own VersionedNodeType (the host's n8n-workflow, which this package resolves to).
		const { VersionedNodeType } = require('n8n-workflow') as typeof import('n8n-workflow');
		const node = load<IVersionedNodeType>(file);
		expect(node).toBeInstanceOf(VersionedNodeType);
		const versions = versionsOf(node.description.name);
		expect(Object.keys(node.nodeVersions)).toEqual(versions);
		const newest = Number(versions[versions.length - 1]);
		expect(node.description.defaultVersion).toBe(newest);
		for (const version of versions) {
			const own = node.nodeVersions[Number(version)].description;
			expect(own.version).toBe(Number(version));
			expect(own.name).toBe(node.description.name);
			expect(own.icon).toEqual(node.description.icon);
			expect(own.defaultVersion).toBe(newest);
		}
	});

	test.each(triggerNodes)('%s is a polling trigger, not a tool, with the events of the spec and both icons', (file) => {
		const { description } = loadNode(file);
		expect(description.polling).toBe(true);
		expect(description.usableAsTool).toBeUndefined();
		expect(description.inputs).toEqual([]);
		expectIconsAndCodex(file, description);
		const events = (description.properties.find((p) => p.name === 'event')!.options as Array<{ value: string }>).map((o) => o.value);
		expect(events.sort()).toEqual(['documentStateChanged', 'newAcknowledgement', 'newChorus', 'newPesRetour', 'registeredDocumentStateChanged']);
	});

	test.each(actionNodes)('%s has every operation of the spec, is usable as a tool, and has both icons', (file) => {
		const node = loadNode(file);
		const { description } = node;
		expect(description.usableAsTool).toBe(true);
		expectIconsAndCodex(file, description);
		const expected = SPEC_OPERATIONS[description.name];
		expect(expected).toBeDefined();
		const resources = (description.properties.find((p) => p.name === 'resource')!.options as Array<{ value: string }>).map((o) => o.value);
		expect(resources.sort()).toEqual(Object.keys(expected).sort());
		for (const resource of resources) {
			const operation = description.properties.find(
				(p: INodeProperties) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource),
			)!;
			const values = (operation.options as Array<{ value: string }>).map((o) => o.value);
			expect(values.sort()).toEqual([...expected[resource]].sort());
		}
	});

	test.each(pkg.n8n.credentials)('%s has a test and its icons', (file) => {
		const credential = load<ICredentialType>(file);
		// A declarative `test`, or a node's `credentialTest` method named by `testedBy` (FAST: the
		// client certificate must be sent by the node itself, see credentials/FastParapheurApi).
		const nodeTests = pkg.n8n.nodes
			.map((nodeFile) => loadNode(nodeFile))
			.flatMap((node) =>
				(node.description.credentials ?? [])
					.filter((entry) => entry.name === credential.name && typeof entry.testedBy === 'string')
					.map((entry) => (node.methods?.credentialTest as Record<string, unknown> | undefined)?.[entry.testedBy as string]),
			);
		expect(credential.test !== undefined || nodeTests.some((test) => typeof test === 'function')).toBe(true);
		const icon = credential.icon as { light: string; dark: string };
		expect(existsSync(join(root, file, '..', icon.light.slice(5)))).toBe(true);
		expect(existsSync(join(root, file, '..', icon.dark.slice(5)))).toBe(true);
	});
});

describe("the package as n8n-core's loader reads it", () => {
	// n8n resolves a `file:` icon of every version of a versioned node from the folder of the
	// node's entry file (DirectoryLoader.fixIconPaths), into an `iconUrl` under icons/<package>/.
	test('every version of every node gets both icons, and they are files of the package', async () => {
		const { PackageDirectoryLoader } = require('n8n-core') as typeof import('n8n-core');
		const loader = new PackageDirectoryLoader(root);
		await loader.loadAll();
		const names = pkg.n8n.nodes.map((file) => load<IVersionedNodeType>(file).description.name);
		expect(loader.types.nodes.map((description) => `${description.name}@${String(description.version)}`).sort()).toEqual(
			names.flatMap((name) => versionsOf(name).map((version) => `${name}@${version}`)).sort(),
		);
		const prefix = `icons/${pkg.name}/`;
		for (const description of loader.types.nodes) {
			const { iconUrl } = description as { iconUrl?: { light: string; dark: string } };
			expect(iconUrl).toBeDefined();
			for (const url of [iconUrl!.light, iconUrl!.dark]) {
				expect(url.startsWith(prefix)).toBe(true);
				expect(url).toMatch(/\.svg$/);
				expect(existsSync(join(root, url.slice(prefix.length)))).toBe(true);
			}
		}
	});
});

describe('the examples', () => {
	const examples = readdirSync(join(root, 'examples'))
		.filter((name) => name.endsWith('.json'))
		.map((name) => JSON.parse(readFileSync(join(root, 'examples', name), 'utf8')) as {
			id: string;
			nodes: Array<{ type: string; parameters: Record<string, unknown>; credentials?: Record<string, { id: string; name: string }> }>;
		});

	test('use every operation of every node at least once', () => {
		const used = new Set(
			examples.flatMap((example) =>
				example.nodes
					.filter((node) => node.type.startsWith(`${pkg.name}.`))
					.map((node) => `${node.type.slice(pkg.name.length + 1)}:${String(node.parameters.resource)}:${String(node.parameters.operation)}`),
			),
		);
		const missing = Object.entries(SPEC_OPERATIONS).flatMap(([node, resources]) =>
			Object.entries(resources).flatMap(([resource, operations]) =>
				operations.map((operation) => `${node}:${resource}:${operation}`).filter((key) => !used.has(key)),
			),
		);
		expect(missing).toEqual([]);
	});

	test('each have a unique ID and an end-to-end expectation (test/e2e/expectations.ts)', () => {
		const ids = examples.map((example) => example.id);
		expect(new Set(ids).size).toBe(ids.length);
		// The register templates are checked by the queue chapter (test/e2e/register.ts).
		expect(ids.filter((id) => !EXPECTATIONS[id] && !REGISTER_TEMPLATE_IDS.includes(id))).toEqual([]);
		expect(REGISTER_TEMPLATE_IDS.filter((id) => !ids.includes(id))).toEqual([]);
		expect(Object.keys(EXPECTATIONS).filter((id) => !ids.includes(id))).toEqual([]);
	});

	test('have importable IDs and use the emulator credentials', () => {
		const emulator = EMULATOR_CREDENTIALS as Record<string, { id: string; name: string }>;
		for (const example of examples) {
			expect(example.id).toMatch(/^[A-Za-z0-9]{16}$/);
			for (const node of example.nodes.filter((entry) => entry.type.startsWith(`${pkg.name}.`))) {
				// A FAST node that adds to the register, or its trigger watching it, also has the register's credential.
				const register = node.parameters.addToRegister === true || node.parameters.event === 'registeredDocumentStateChanged';
				expect(Object.keys(node.credentials ?? {})).toHaveLength(register ? 2 : 1);
				for (const [type, credential] of Object.entries(node.credentials ?? {})) expect(credential).toEqual(emulator[type]);
			}
		}
	});
});
