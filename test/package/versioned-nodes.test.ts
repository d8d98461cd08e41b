/**
 * Every node is a VersionedNodeType, and what n8n looks up on a node still works through it:
 * credential tests found the way n8n's CredentialsTester finds them (on the versions when the
 * node is an instance of n8n's own VersionedNodeType, on the node itself when the package loaded
 * another copy of n8n-workflow), and the list searches and load options of version 1.
 */
import type { ICredentialTestFunction, INodeCredentialDescription, INodeType, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { MaarchCourrier } from '../../nodes/MaarchCourrier/MaarchCourrier.node';
import { MaarchCourrierV1 } from '../../nodes/MaarchCourrier/v1/MaarchCourrierV1.node';
import { VersionedNode } from '../../nodes/shared/versioned';
import { PACKAGE, findCredentialTest, nodeTypes } from '../harness';

const CREDENTIALS: Record<string, { credential: string; testedBy: string }> = {
	fastParapheur: { credential: 'fastParapheurApi', testedBy: 'fastParapheurApiTest' },
	fastParapheurTrigger: { credential: 'fastParapheurApi', testedBy: 'fastParapheurApiTest' },
	maarchCourrier: { credential: 'maarchCourrierApi', testedBy: 'maarchCourrierApiTest' },
	namirialTrustAndSign: { credential: 'namirialTrustAndSignApi', testedBy: 'namirialTrustAndSignApiTest' },
	flowerDocs: { credential: 'flowerDocsApi', testedBy: 'flowerDocsApiTest' },
};

const node = (name: string) => nodeTypes.getByName(`${PACKAGE}.${name}`) as unknown as IVersionedNodeType;

/** FAST Parapheur's two nodes have a version 2 (the register, the API page's final states), the default. */
const NEWEST: Record<string, number> = { fastParapheur: 2, fastParapheurTrigger: 2 };

describe.each(Object.entries(CREDENTIALS))('%s', (name, { credential, testedBy }) => {
	test('is versioned: version 1 is what a workflow saved with typeVersion 1 gets, the newest the default', () => {
		const versioned = node(name);
		const newest = NEWEST[name] ?? 1;
		expect(Object.keys(versioned.nodeVersions)).toEqual(Array.from({ length: newest }, (_, index) => String(index + 1)));
		expect(versioned.currentVersion).toBe(newest);
		expect(NodeHelpers.getVersionedNodeType(versioned, 1)).toBe(versioned.nodeVersions[1]);
		expect(NodeHelpers.getVersionedNodeType(versioned)).toBe(versioned.nodeVersions[newest]);
	});

	test("n8n's credential tester finds version 1's test, with n8n's n8n-workflow or another copy", () => {
		const versioned = node(name);
		const expected = versioned.nodeVersions[1].methods?.credentialTest?.[testedBy];
		expect(typeof expected).toBe('function');
		expect(findCredentialTest(versioned, credential)).toBe(expected);
		// `instanceof VersionedNodeType` false: the tester then reads the node as a plain one.
		const foreign = (_value: unknown): _value is IVersionedNodeType => false;
		expect(findCredentialTest(versioned, credential, foreign)).toBe(expected);
		expect((versioned as unknown as INodeType).description.credentials).toEqual(versioned.nodeVersions[NEWEST[name] ?? 1].description.credentials);
	});
});

test.each(['fastParapheur', 'fastParapheurTrigger'])("%s: n8n's credential tester finds the register credential's test, which only version 2 names", (name) => {
	const versioned = node(name);
	expect(versioned.nodeVersions[1].description.credentials?.map((entry) => entry.name)).toEqual(['fastParapheurApi']);
	expect(versioned.nodeVersions[2].description.credentials?.map((entry) => entry.name)).toEqual(['fastParapheurApi', 'parapheurRegisterApi']);
	const found = findCredentialTest(versioned, 'parapheurRegisterApi');
	expect(typeof found).toBe('function');
	const foreign = (_value: unknown): _value is IVersionedNodeType => false;
	expect(findCredentialTest(versioned, 'parapheurRegisterApi', foreign)).toBe(found);
});

test('list searches and load options are those of version 1', () => {
	const fast = node('fastParapheur').nodeVersions[1];
	expect(Object.keys(fast.methods?.listSearch ?? {})).toEqual(['searchCircuits']);
	expect(Object.keys(fast.methods?.loadOptions ?? {})).toEqual(['getUsers']);
	expect(Object.keys(node('maarchCourrier').nodeVersions[1].methods?.listSearch ?? {})).toEqual(['searchUsers']);
});

test("version 1 takes only the name, default version and icon paths from the node's base description", () => {
	const node = new MaarchCourrier();
	const own = new MaarchCourrierV1(node.description).description;
	// A base description changed for a later version: v1 keeps its own subtitle, text, group...
	const v1 = new MaarchCourrierV1({
		...node.description,
		displayName: 'Maarch Courrier (new)',
		subtitle: '={{$parameter["resource"]}}',
		description: 'Something else',
		group: ['output'],
		defaultVersion: 2,
	}).description;
	expect(v1).toEqual({ ...own, defaultVersion: 2 });
	expect(v1.subtitle).toBe(node.nodeVersions[1].description.subtitle);
	expect(v1.subtitle).toContain('"user:create":"Create: User"');
	expect(v1.group).toEqual(['transform']);
	expect(v1.defaults).toEqual({ name: 'Maarch Courrier' });
	// ...and gets the node's icons, which n8n resolves from the entry file's folder, not v1/.
	expect(v1.icon).toEqual({ light: 'file:maarchCourrier.svg', dark: 'file:maarchCourrier.dark.svg' });
	expect(v1.name).toBe('maarchCourrier');
});

describe('a node with a version 2 (VersionedNode, with fake versions)', () => {
	const test1: ICredentialTestFunction = async () => ({ status: 'OK', message: 'v1' });
	const test2: ICredentialTestFunction = async () => ({ status: 'OK', message: 'v2' });
	const other2: ICredentialTestFunction = async () => ({ status: 'OK', message: 'other' });
	const version = (number: number, credentials: INodeCredentialDescription[], credentialTest: Record<string, ICredentialTestFunction>) =>
		({
			description: { ...new MaarchCourrier().nodeVersions[1].description, version: number, credentials },
			methods: { credentialTest },
		}) as INodeType;
	const build = (defaultVersion: number) =>
		new VersionedNode(
			{
				1: version(1, [{ name: 'apiV1', required: true, testedBy: 'shared' }], { shared: test1 }),
				2: version(
					2,
					[
						{ name: 'apiV1', required: true, testedBy: 'shared' },
						{ name: 'apiV2', required: true, testedBy: 'other' },
					],
					{ shared: test2, other: other2 },
				),
			},
			{ displayName: 'Fake', name: 'fake', group: ['transform'], description: 'Fake', defaultVersion },
		);
	const foreign = (_value: unknown): _value is IVersionedNodeType => false;

	test.each([1, 2])('with default version %i, the node carries the credentials and tests of every version', (defaultVersion) => {
		const node = build(defaultVersion);
		const plain = node as unknown as INodeType;
		expect(plain.description.credentials?.map((credential) => credential.name)).toEqual(['apiV1', 'apiV2']);
		expect(Object.keys(plain.methods?.credentialTest ?? {}).sort()).toEqual(['other', 'shared']);
		// A test only version 2 has is found whichever version is the default, read from the node too.
		expect(findCredentialTest(node, 'apiV2')).toBe(other2);
		expect(findCredentialTest(node, 'apiV2', foreign)).toBe(other2);
		// Where the versions both have a test of that name, the default version's is the node's.
		expect(findCredentialTest(node, 'apiV1', foreign)).toBe(defaultVersion === 1 ? test1 : test2);
	});
});
