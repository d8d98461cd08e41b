import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeBaseDescription, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { ResourceProperty } from '../../shared/dispatch';
import { requestOptionsProperty } from '../../shared/request';
import { versionDescription } from '../../shared/versioned';
import { resources, router } from './actions/router';
import * as operator from './actions/operator/Operator.resource';
import { credentialTest } from '../methods';

export class NamirialTrustAndSignV1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Namirial Trust and Sign',
		name: 'namirialTrustAndSign',
		icon: { light: 'file:../namirialTrustAndSign.svg', dark: 'file:../namirialTrustAndSign.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Create, update, delete and bind Trust and Sign operators, one by one or in CSV batches',
		defaults: { name: 'Namirial Trust and Sign' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'namirialTrustAndSignApi', required: true, testedBy: 'namirialTrustAndSignApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Operator', value: 'operator' }],
				default: 'operator',
			} satisfies ResourceProperty<keyof typeof resources>,
			...operator.description,
			requestOptionsProperty,
		],
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
