/**
 * The base of every node of the package: its versions as one n8n `VersionedNodeType`, so that a
 * saved workflow keeps the version it was built with.
 *
 * The node itself also carries the credentials and credential tests of all its versions. n8n's
 * credential tester finds the tests (`testedBy`, `methods.credentialTest`) in the versions of a
 * node that is `instanceof` its own VersionedNodeType; when this package loads another copy of
 * n8n-workflow than n8n's (a package installed by hand with `npm install` in ~/.n8n/nodes gets
 * the peer dependency n8n-workflow of its own), that check fails and the tester reads the node
 * itself instead, on 1.x and 2.x alike. Without these the Test button would answer "No testing
 * function found" (2.x) or fail on the node's AI tool variant (1.x). Every version counts, not
 * only the default one: a credential or test that only a newer (or older) version has must still
 * be found. Where versions disagree, the default version wins, then the newer ones.
 */
import type {
	INodeCredentialDescription,
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
	IVersionedNodeType,
} from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

type CredentialTests = NonNullable<NonNullable<INodeType['methods']>['credentialTest']>;

export class VersionedNode extends VersionedNodeType {
	methods?: INodeType['methods'];

	constructor(nodeVersions: IVersionedNodeType['nodeVersions'], baseDescription: INodeTypeBaseDescription) {
		const numbers = Object.keys(nodeVersions)
			.map(Number)
			.sort((a, b) => b - a);
		const defaultNumber = baseDescription.defaultVersion ?? numbers[0];
		// By precedence: the default version, then the others from the newest.
		const versions = [defaultNumber, ...numbers.filter((number) => number !== defaultNumber)].map((number) => nodeVersions[number]);

		const credentials: INodeCredentialDescription[] = [];
		for (const version of versions) {
			for (const credential of version.description.credentials ?? []) {
				if (!credentials.some(({ name }) => name === credential.name)) credentials.push(credential);
			}
		}
		const description: INodeTypeBaseDescription & Pick<INodeTypeDescription, 'credentials'> = {
			...baseDescription,
			...(credentials.length > 0 && { credentials }),
		};
		super(nodeVersions, description);

		const credentialTest: CredentialTests = {};
		for (const version of versions) {
			for (const [name, test] of Object.entries(version.methods?.credentialTest ?? {})) {
				if (!(name in credentialTest)) credentialTest[name] = test;
			}
		}
		if (Object.keys(credentialTest).length > 0) this.methods = { credentialTest };
	}
}

/**
 * A version's description as n8n must see it: the version's own (for v1, frozen), with only what
 * belongs to the node taken from the node's base description:
 * - `name`: one node, whatever the version;
 * - `defaultVersion`: the node's, raised when a new version becomes the default; n8n sends the
 *   editor only the versions' descriptions (DirectoryLoader.types.nodes), so it is read there;
 * - `icon`: n8n resolves a `file:` icon of every version from the folder of the node's entry
 *   file (`<Vendor>.node.js`, n8n-core's DirectoryLoader.fixIconPaths), not from `v<N>/`. A
 *   version's literal names its icons from its own folder (`file:../x.svg`), so that lint finds
 *   the files; the node's paths replace them.
 * Everything else (subtitle, description, group, defaults...) stays the version's own, so that a
 * change to the base description for a new version never reaches an older one.
 */
export function versionDescription(own: INodeTypeDescription, node: INodeTypeBaseDescription): INodeTypeDescription {
	return { ...own, name: node.name, icon: node.icon ?? own.icon, defaultVersion: node.defaultVersion };
}
