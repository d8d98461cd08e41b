import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { ResourceProperty } from '../../shared/dispatch';
import { requestOptionsProperty } from '../../shared/request';
import { operationSubtitle } from '../../shared/subtitle';
import { versionDescription } from '../../shared/versioned';
import * as acknowledgement from './actions/acknowledgement/Acknowledgement.resource';
import * as chorus from './actions/chorus/Chorus.resource';
import * as document from './actions/document/Document.resource';
import * as pesRetour from './actions/pesRetour/PesRetour.resource';
import { resources, router } from './actions/router';
import * as user from './actions/user/User.resource';
import { credentialTest, listSearch, loadOptions } from '../methods';

/** Version 1's fields, which its subtitle names; each instance gets its own copy of the list. */
const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Chorus File', value: 'chorus' },
			{ name: 'Document', value: 'document' },
			{ name: 'Hélios Acknowledgement', value: 'acknowledgement' },
			{ name: 'PES Retour', value: 'pesRetour' },
			{ name: 'User', value: 'user' },
		],
		default: 'document',
	} satisfies ResourceProperty<keyof typeof resources>,
	...document.description,
	...acknowledgement.description,
	...pesRetour.description,
	...chorus.description,
	...user.description,
	requestOptionsProperty,
];

export class FastParapheurV1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'FAST Parapheur',
		name: 'fastParapheur',
		icon: { light: 'file:../fastParapheur.svg', dark: 'file:../fastParapheur.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: operationSubtitle(properties),
		description: 'Send documents through FAST Parapheur signature circuits and collect the results',
		documentationUrl: 'https://github.com/n8n-nodes-parapheur/n8n-nodes-parapheur#fast-parapheur-fastparapheur',
		defaults: { name: 'FAST Parapheur' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'fastParapheurApi', required: true, testedBy: 'fastParapheurApiTest' }],
		properties: [...properties],
	};

	constructor(baseDescription: INodeTypeBaseDescription) {
		// Only the name, default version and icon paths come from the node (see versionDescription);
		// the rest is version 1's own, frozen.
		this.description = versionDescription(this.description, baseDescription);
	}

	methods = { listSearch, loadOptions, credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
