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
import { credentialTest, listSearch } from '../methods';

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

export class MaarchCourrierV1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Maarch Courrier',
		name: 'maarchCourrier',
		icon: { light: 'file:../maarchCourrier.svg', dark: 'file:../maarchCourrier.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: operationSubtitle(properties),
		description: 'Create, update, group and link users in Maarch Courrier',
		documentationUrl: 'https://github.com/n8n-nodes-parapheur/n8n-nodes-parapheur#maarch-courrier-maarchcourrier',
		defaults: { name: 'Maarch Courrier' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'maarchCourrierApi', required: true, testedBy: 'maarchCourrierApiTest' }],
		properties: [...properties],
	};

	constructor(baseDescription: INodeTypeBaseDescription) {
		// Only the name, default version and icon paths come from the node (see versionDescription);
		// the rest is version 1's own, frozen.
		this.description = versionDescription(this.description, baseDescription);
	}

	methods = { listSearch, credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
