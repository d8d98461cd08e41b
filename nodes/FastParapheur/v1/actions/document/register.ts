/**
 * "Add to Register" on the three upload operations: the uploaded document gets a row in the
 * register (helpers/register.ts), which the FAST Parapheur Trigger watches with no document ID
 * typed anywhere.
 *
 * The register is opened (found or created, through the n8n API credential) before anything is
 * sent to FAST: a wrong key, a missing scope or an n8n without Data Table API fails the item with
 * nothing uploaded. The row is written once FAST has answered the ID; should that write still
 * fail after the pipeline's retries, the item fails with a message giving the ID, so that nobody
 * uploads the document again.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ItemOperation } from '../../../../shared/dispatch';
import type { ItemResult } from '../../../../shared/execute';
import { operationError } from '../../../../shared/errors';
import { errorText } from '../../../../shared/request';
import { checkText } from '../../../../shared/validation';
import { DEFAULT_REGISTER, openRegister, registerDocument, registerName } from '../../../helpers/register';
import type { FastClient } from '../../../transport';

export const UPLOAD_OPERATIONS = ['upload', 'uploadOnDemand', 'uploadOtp'];

const show = { show: { resource: ['document'], operation: UPLOAD_OPERATIONS } };
const showRegister = { show: { ...show.show, addToRegister: [true] } };

export const registerProperties: INodeProperties[] = [
	{
		displayName: 'Add to Register',
		name: 'addToRegister',
		type: 'boolean',
		default: false,
		description:
			"Whether to add the document to a register (an n8n Data Table) that the FAST Parapheur Trigger's 'Registered Document State Changed' event watches: its changes then start your workflows with no document ID typed anywhere. Needs n8n 2.x and an n8n API credential.",
		displayOptions: show,
	},
	{
		displayName: 'Register (Data Table Name)',
		name: 'registerName',
		type: 'string',
		default: DEFAULT_REGISTER,
		description: 'The Data Table that holds the documents in circuits. Created with its columns on first use; give the trigger the same name.',
		displayOptions: showRegister,
	},
	{
		displayName: 'Your Reference',
		name: 'registerReference',
		type: 'string',
		default: '',
		placeholder: 'e.g. DELIB-2026-042, or an expression giving your ERP or GED ID',
		description: 'Your own ID for the document, stored in the register and given back by the trigger with every change (255 characters at most)',
		displayOptions: showRegister,
	},
];

/** What the register shows as the circuit: the existing circuit's ID, or the type of one built in the node. */
function circuitOf(output: IDataObject): string {
	if (output.circuitId) return String(output.circuitId);
	const circuit = output.circuit as IDataObject | undefined;
	return circuit && typeof circuit === 'object' && circuit.type ? `on demand (${String(circuit.type)})` : '';
}

/** The upload operation, followed by the register's row when the item asks for it. */
export function withRegister<T extends ItemOperation<FastClient>>(operation: T): T {
	return {
		...operation,
		async execute(this: IExecuteFunctions, itemIndex: number, client: FastClient): Promise<ItemResult> {
			if (this.getNodeParameter('addToRegister', itemIndex, false) !== true) return await operation.execute.call(this, itemIndex, client);
			const name = registerName(this.getNodeParameter('registerName', itemIndex, DEFAULT_REGISTER));
			const reference = checkText(this.getNodeParameter('registerReference', itemIndex, ''), { field: 'Your Reference', max: 255 });
			const register = await openRegister(this, name);
			const output = (await operation.execute.call(this, itemIndex, client)) as IDataObject;
			const documentId = String(output.documentId);
			const workflow = this.getWorkflow();
			try {
				const row = await registerDocument(this, register, {
					documentId,
					siren: String(output.siren ?? ''),
					reference,
					fileName: String(output.fileName ?? ''),
					circuit: circuitOf(output),
					workflow: workflow.name ? `${workflow.name} (${workflow.id ?? ''})` : String(workflow.id ?? ''),
					uploadedAt: new Date().toISOString(),
					link: String(output.link ?? ''),
				});
				return { ...output, register: { name, rowId: row.id ?? null, reference } };
			} catch (error) {
				throw operationError(
					this.getNode(),
					{
						message: `FAST Parapheur document ${documentId} was uploaded, but could not be added to the register '${name}': ${errorText(error)}`,
						description: `Do not upload it again: add a row for document ${documentId} (SIREN ${String(output.siren ?? '')}) in n8n's Data Table '${name}', or watch it with the trigger's Document IDs.`,
					},
					{ itemIndex, secrets: register.api.secrets },
				);
			}
		},
	};
}
