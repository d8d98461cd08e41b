import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkText } from '../../../../shared/validation';
import type { BatchRow } from '../../../helpers/batch';
import { batchOptionsProperty, dataModeProperty, definedBelow, isAutoMapped, itemFields, batchSender } from '../../../helpers/batch';
import type { OperatorFields } from '../../../helpers/operators';
import { OPERATOR_CSV_COLUMNS, checkOperatorFields, operatorCsvRow } from '../../../helpers/operators';
import { additionalFields, newOperatorFields } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['operator'], operation: ['createBatch'] } },
	[dataModeProperty, ...definedBelow([...newOperatorFields, additionalFields(true)]), batchOptionsProperty],
);

/** Checks one item and builds its CSV row; an item that fails is refused before anything is sent. */
export function prepare(this: IExecuteFunctions, itemIndex: number): BatchRow {
	const autoMapped = isAutoMapped(this);
	const { email, firstName, lastName, ...optional } = autoMapped
		? itemFields(this, itemIndex, OPERATOR_CSV_COLUMNS)
		: {
				email: this.getNodeParameter('email', itemIndex),
				firstName: this.getNodeParameter('firstName', itemIndex),
				lastName: this.getNodeParameter('lastName', itemIndex),
				...(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
			};
	// The e-mail's format is left to Trust and Sign: its report gives each bad row its own error.
	const operator: OperatorFields = {
		email: checkText(email, { field: 'Email', required: true, max: 254 }),
		firstName: checkText(firstName, { field: 'First Name', required: true, max: 255 }),
		lastName: checkText(lastName, { field: 'Last Name', required: true, max: 255 }),
		linkedToAllProducts: false,
		linkedToAllGroups: false,
		authorizations: [],
		reportTypes: [],
		productsPublicId: [],
		groupsLabel: [],
		...checkOperatorFields(optional),
	};
	return { email: operator.email, fields: operatorCsvRow(operator), output: { ...operator } as IDataObject };
}

/** The prepared items in CSV requests of at most Batch Size rows; the report's errors go back to their items. */
export const executeBatch = batchSender('create', OPERATOR_CSV_COLUMNS);
