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
import { resources, router } from './actions/router';
import * as user from './actions/user/User.resource';
import { credentialTest } from '../methods';

/** Version 1's fields, which its subtitle names; each instance gets its own copy of the list. */
const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [{ name: 'User', value: 'user' }],
		default: 'user',
	} satisfies ResourceProperty<keyof typeof resources>,
	...user.description,
	requestOptionsProperty,
];

export class FlowerDocsV1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'FlowerDocs',
		name: 'flowerDocs',
		icon: { light: 'file:../flowerDocs.svg', dark: 'file:../flowerDocs.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: operationSubtitle(properties),
		description: 'Create, update, search and delete users in FlowerDocs',
		documentationUrl: 'https://github.com/n8n-nodes-parapheur/n8n-nodes-parapheur#flowerdocs-flowerdocs',
		defaults: { name: 'FlowerDocs' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'flowerDocsApi', required: true, testedBy: 'flowerDocsApiTest' }],
		properties: [...properties],
	};

	constructor(baseDescription: INodeTypeBaseDescription) {
		// Only the name, default version and icon paths come from the node (see versionDescription);
		// the rest is version 1's own, frozen.
		this.description = versionDescription(this.description, baseDescription);
	}

	methods = { credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
