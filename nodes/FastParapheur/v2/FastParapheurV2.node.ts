import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeBaseDescription, INodeTypeDescription } from 'n8n-workflow';

import { operationSubtitle } from '../../shared/subtitle';
import { versionDescription } from '../../shared/versioned';
import { credentialTest, listSearch, loadOptions } from '../methods';
import { registerProperties, UPLOAD_OPERATIONS } from '../v1/actions/document/register';
import { router } from '../v1/actions/router';
import { FastParapheurV1 } from '../v1/FastParapheurV1.node';

/**
 * Version 2: version 1's operations and fields, plus
 * - "Add to Register" on the three uploads (the register the trigger's "Registered Document State
 *   Changed" event watches, helpers/register.ts), placed after the upload's own fields;
 * - the API page's rule for final states (helpers/states.ts, `classified`): Get Status and Get
 *   History say `isFinal: false` for `Signé`, Get Result still accepts a signed document.
 * Built from version 1's description, which stays as it is for saved workflows; the operations
 * read the node's version where the two differ.
 */
// eslint-disable-next-line @n8n/community-nodes/icon-validation -- the description is built in the constructor from version 1's, with the icons set there
export class FastParapheurV2 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		const v1 = new FastParapheurV1(baseDescription).description;
		const fields = [...v1.properties];
		const requestOptions = fields.findIndex((field) => field.name === 'requestOptions');
		fields.splice(requestOptions < 0 ? fields.length : requestOptions, 0, ...registerProperties);
		this.description = versionDescription(
			{
				...v1,
				icon: { light: 'file:../fastParapheur.svg', dark: 'file:../fastParapheur.dark.svg' },
				version: 2,
				subtitle: operationSubtitle(fields),
				credentials: [
					...(v1.credentials ?? []),
					// An API key of this n8n, for the register (helpers/register.ts).
					{
						name: 'parapheurRegisterApi',
						required: true,
						testedBy: 'parapheurRegisterApiTest',
						displayOptions: { show: { resource: ['document'], operation: UPLOAD_OPERATIONS, addToRegister: [true] } },
					},
				],
				properties: fields,
			},
			baseDescription,
		);
	}

	methods = { listSearch, loadOptions, credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
