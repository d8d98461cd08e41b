import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';

import { VersionedNode } from '../shared/versioned';
import { NamirialTrustAndSignV1 } from './v1/NamirialTrustAndSignV1.node';

/**
 * The node as n8n registers it, each version's own class under `v<N>/`. A saved workflow keeps
 * the version it was built with: a change that would alter a saved workflow's behaviour or
 * defaults goes into a new version, never into v1 (test/package/v1-descriptions.test.ts).
 */
export class NamirialTrustAndSign extends VersionedNode {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Namirial Trust and Sign',
			name: 'namirialTrustAndSign',
			icon: { light: 'file:namirialTrustAndSign.svg', dark: 'file:namirialTrustAndSign.dark.svg' },
			group: ['transform'],
			description: 'Create, update, delete and bind Trust and Sign operators, one by one or in CSV batches',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new NamirialTrustAndSignV1(baseDescription),
		};
		// The editor shows the versions' own subtitles and Docs links (see versionDescription); the
		// node's description repeats those of its default version.
		const { subtitle, documentationUrl } = nodeVersions[1].description;
		super(nodeVersions, { ...baseDescription, subtitle, documentationUrl });
	}
}
