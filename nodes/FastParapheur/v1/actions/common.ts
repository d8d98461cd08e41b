/**
 * Fields and readers shared by FAST Parapheur operations: SIREN, document ID, circuit locator,
 * output binary field.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ItemOperation } from '../../../shared/dispatch';
import { checkNumericId, checkSiren, checkText, InputError, textOf } from '../../../shared/validation';
import type { FastClient } from '../../transport';

/** One operation file of the FAST node: its fields and its execute, given the execution's client. */
export interface FastOperation extends ItemOperation<FastClient> {
	description: INodeProperties[];
}

export const sirenProperty: INodeProperties = {
	displayName: 'SIREN',
	name: 'siren',
	type: 'string',
	default: '',
	placeholder: 'e.g. 213501234',
	hint: "Empty: the credential's Default SIREN",
	description: 'The 9-digit SIREN of the public body, its FAST subscription number',
};

export const documentIdProperty: INodeProperties = {
	displayName: 'Document ID',
	name: 'documentId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 320073963',
	description: 'The number FAST returned when the document was uploaded',
};

export const circuitLocator: INodeProperties = {
	displayName: 'Circuit',
	name: 'circuitId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		"The FAST circuit the document goes through. FAST has no list of circuits: 'From List' shows the circuits its users hold (their habilitations), so a circuit no user holds is missing there; give it 'By ID'.",
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a circuit...',
			typeOptions: { searchListMethod: 'searchCircuits', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. Délibérations',
			hint: 'The circuit identifier as FAST shows it',
		},
	],
};

export const outputBinaryProperty: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	required: true,
	hint: 'The name of the output binary field to put the file in',
};

/** Options shared by the upload operations. */
export const commentOption: INodeProperties = {
	displayName: 'Comment',
	name: 'comment',
	type: 'string',
	default: '',
	description: 'A comment every member of the circuit sees (255 characters at most)',
};

export const recipientsOption: INodeProperties = {
	displayName: 'Recipients',
	name: 'recipients',
	type: 'string',
	default: '',
	placeholder: 'e.g. dgs@mairie.example.fr, elus@mairie.example.fr',
	description: 'E-mail addresses that receive a link to the signed document, separated by commas (255 characters at most)',
};

export function annexesOption(description: string): INodeProperties {
	return {
		displayName: 'Annexes (Binary Fields)',
		name: 'annexes',
		type: 'string',
		default: '',
		placeholder: 'e.g. annexe1, annexe2',
		description,
	};
}

/** The SIREN of an item: the node's, else the credential's default, checked (9 digits). */
export function getSiren(ctx: IExecuteFunctions, itemIndex: number, client: FastClient): string {
	return resolveSiren(ctx.getNodeParameter('siren', itemIndex, ''), client);
}

/** A SIREN given to a node (empty: the credential's Default SIREN), checked (9 digits). */
export function resolveSiren(givenValue: unknown, client: FastClient): string {
	const given = textOf(givenValue, 'SIREN').trim();
	const value = given || client.defaultSiren;
	if (!value) {
		throw new InputError(
			"'SIREN' is required: the node has none and the credential has no Default SIREN",
			"Fill in 'SIREN' here or 'Default SIREN' in the FAST Parapheur credential.",
		);
	}
	return checkSiren(value, given ? 'SIREN' : 'Default SIREN');
}

export function getDocumentId(ctx: IExecuteFunctions, itemIndex: number, name = 'documentId', field = 'Document ID'): string {
	return checkNumericId(ctx.getNodeParameter(name, itemIndex, ''), field);
}

export function getCircuitId(ctx: IExecuteFunctions, itemIndex: number): string {
	const value = ctx.getNodeParameter('circuitId', itemIndex, '', { extractValue: true }) as string;
	return checkText(value, { field: 'Circuit', required: true, max: 255 });
}

/** Optional text fields with the 255-character limit of FAST. */
export function optionalText(options: IDataObject, key: string, field: string): string {
	return checkText(options[key], { field, max: 255 });
}
