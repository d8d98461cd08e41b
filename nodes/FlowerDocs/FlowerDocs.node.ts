import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';

import { VersionedNode } from '../shared/versioned';
import { FlowerDocsV1 } from './v1/FlowerDocsV1.node';

/**
 * The node as n8n registers it, each version's own class under `v<N>/`. A saved workflow keeps
 * the version it was built with: a change that would alter a saved workflow's behaviour or
 * defaults goes into a new version, never into v1 (test/package/v1-descriptions.test.ts).
 */
export class FlowerDocs extends VersionedNode {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'FlowerDocs',
			name: 'flowerDocs',
			icon: { light: 'file:flowerDocs.svg', dark: 'file:flowerDocs.dark.svg' },
			group: ['transform'],
			description: 'Create, update, search and delete users in FlowerDocs',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new FlowerDocsV1(baseDescription),
		};
		// The editor shows the versions' own subtitles and Docs links (see versionDescription); the
		// node's description repeats those of its default version.
		const { subtitle, documentationUrl } = nodeVersions[1].description;
		super(nodeVersions, { ...baseDescription, subtitle, documentationUrl });
	}
}
