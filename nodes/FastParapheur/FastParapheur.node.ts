import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';

import { VersionedNode } from '../shared/versioned';
import { FastParapheurV1 } from './v1/FastParapheurV1.node';
import { FastParapheurV2 } from './v2/FastParapheurV2.node';

/**
 * The node as n8n registers it, each version's own class under `v<N>/`. A saved workflow keeps
 * the version it was built with: a change that would alter a saved workflow's behaviour or
 * defaults goes into a new version, never into v1 (test/package/v1-descriptions.test.ts).
 */
export class FastParapheur extends VersionedNode {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'FAST Parapheur',
			name: 'fastParapheur',
			icon: { light: 'file:fastParapheur.svg', dark: 'file:fastParapheur.dark.svg' },
			group: ['transform'],
			description: 'Send documents through FAST Parapheur signature circuits and collect the results',
			defaultVersion: 2,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new FastParapheurV1(baseDescription),
			2: new FastParapheurV2(baseDescription),
		};
		// The editor shows the versions' own subtitles and Docs links (see versionDescription); the
		// node's description repeats those of its default version.
		const { subtitle, documentationUrl } = nodeVersions[2].description;
		super(nodeVersions, { ...baseDescription, subtitle, documentationUrl });
	}
}
