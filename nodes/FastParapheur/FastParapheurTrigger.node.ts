import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';

import { VersionedNode } from '../shared/versioned';
import { FastParapheurTriggerV1 } from './v1/FastParapheurTriggerV1.node';

/**
 * The node as n8n registers it, each version's own class under `v<N>/`. A saved workflow keeps
 * the version it was built with: a change that would alter a saved workflow's behaviour or
 * defaults goes into a new version, never into v1 (test/package/v1-descriptions.test.ts).
 */
export class FastParapheurTrigger extends VersionedNode {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'FAST Parapheur Trigger',
			name: 'fastParapheurTrigger',
			icon: { light: 'file:fastParapheur.svg', dark: 'file:fastParapheur.dark.svg' },
			group: ['trigger'],
			subtitle: '={{$parameter["event"]}}',
			description: 'Starts the workflow when FAST Parapheur documents change state or new Hélios, PES Retour or Chorus files are waiting',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new FastParapheurTriggerV1(baseDescription),
		};
		super(nodeVersions, baseDescription);
	}
}
