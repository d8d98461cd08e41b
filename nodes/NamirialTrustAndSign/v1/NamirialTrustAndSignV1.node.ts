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
import * as operator from './actions/operator/Operator.resource';
import { credentialTest } from '../methods';

/** Version 1's fields, which its subtitle names; each instance gets its own copy of the list. */
const properties: INodeProperties[] = [
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
];

export class NamirialTrustAndSignV1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Namirial Trust and Sign',
		name: 'namirialTrustAndSign',
		icon: { light: 'file:../namirialTrustAndSign.svg', dark: 'file:../namirialTrustAndSign.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: operationSubtitle(properties),
		description: 'Create, update, delete and bind Trust and Sign operators, one by one or in CSV batches',
		documentationUrl: 'https://github.com/n8n-nodes-parapheur/n8n-nodes-parapheur#namirial-trust-and-sign-namirialtrustandsign',
		defaults: { name: 'Namirial Trust and Sign' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'namirialTrustAndSignApi', required: true, testedBy: 'namirialTrustAndSignApiTest' }],
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
