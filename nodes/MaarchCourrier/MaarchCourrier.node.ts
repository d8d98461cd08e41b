import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';

import { VersionedNode } from '../shared/versioned';
import { MaarchCourrierV1 } from './v1/MaarchCourrierV1.node';

/**
 * The node as n8n registers it, each version's own class under `v<N>/`. A saved workflow keeps
 * the version it was built with: a change that would alter a saved workflow's behaviour or
 * defaults goes into a new version, never into v1 (test/package/v1-descriptions.test.ts).
 */
export class MaarchCourrier extends VersionedNode {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Maarch Courrier',
			name: 'maarchCourrier',
			icon: { light: 'file:maarchCourrier.svg', dark: 'file:maarchCourrier.dark.svg' },
			group: ['transform'],
			description: 'Create, update, group and link users in Maarch Courrier',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new MaarchCourrierV1(baseDescription),
		};
		// The editor shows the versions' own subtitles and Docs links (see versionDescription); the
		// node's description repeats those of its default version.
		const { subtitle, documentationUrl } = nodeVersions[1].description;
		super(nodeVersions, { ...baseDescription, subtitle, documentationUrl });
	}
}
