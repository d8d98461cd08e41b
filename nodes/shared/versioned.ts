/**
 * The base of every node of the package: its versions as one n8n `VersionedNodeType`, so that a
 * saved workflow keeps the version it was built with.
 *
 * The node itself also carries its default version's credentials and credential tests. n8n's
 * credential tester finds the tests (`testedBy`, `methods.credentialTest`) in the versions of a
 * node that is `instanceof` its own VersionedNodeType; when this package loads another copy of
 * n8n-workflow than n8n's (a package installed by hand with `npm install` in ~/.n8n/nodes gets
 * the peer dependency n8n-workflow of its own), that check fails and the tester reads the node
 * itself instead, on 1.x and 2.x alike. Without these the Test button would answer "No testing
 * function found" (2.x) or fail on the node's AI tool variant (1.x).
 */
import type { INodeType, INodeTypeBaseDescription, INodeTypeDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

export class VersionedNode extends VersionedNodeType {
	methods?: INodeType['methods'];

	constructor(nodeVersions: IVersionedNodeType['nodeVersions'], baseDescription: INodeTypeBaseDescription) {
		const defaultVersion = nodeVersions[baseDescription.defaultVersion ?? Math.max(...Object.keys(nodeVersions).map(Number))];
		const description: INodeTypeBaseDescription & Pick<INodeTypeDescription, 'credentials'> = {
			...baseDescription,
			credentials: defaultVersion.description.credentials,
		};
		super(nodeVersions, description);
		const credentialTest = defaultVersion.methods?.credentialTest;
		if (credentialTest) this.methods = { credentialTest };
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
