import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeBaseDescription, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { ResourceProperty } from '../../shared/dispatch';
import { requestOptionsProperty } from '../../shared/request';
import { versionDescription } from '../../shared/versioned';
import { resources, router } from './actions/router';
import * as user from './actions/user/User.resource';
import { credentialTest, listSearch } from '../methods';

export class MaarchCourrierV1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Maarch Courrier',
		name: 'maarchCourrier',
		icon: { light: 'file:../maarchCourrier.svg', dark: 'file:../maarchCourrier.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Create, update, group and link users in Maarch Courrier',
		defaults: { name: 'Maarch Courrier' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'maarchCourrierApi', required: true, testedBy: 'maarchCourrierApiTest' }],
		properties: [
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
		],
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
