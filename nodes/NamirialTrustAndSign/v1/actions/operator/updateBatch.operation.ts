import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkText } from '../../../../shared/validation';
import type { BatchRow } from '../../../helpers/batch';
import { batchOptionsProperty, dataModeProperty, definedBelow, isAutoMapped, itemFields, batchSender } from '../../../helpers/batch';
import { OPERATOR_CSV_COLUMNS, checkOperatorFields, operatorCsvRow } from '../../../helpers/operators';
import { emailProperty, updateFields } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['operator'], operation: ['updateBatch'] } },
	[dataModeProperty, ...definedBelow([emailProperty, updateFields(true)]), batchOptionsProperty] as INodeProperties[],
);

/** Checks one item and builds its CSV row; an item that fails is refused before anything is sent. */
export function prepare(this: IExecuteFunctions, itemIndex: number): BatchRow {
	const autoMapped = isAutoMapped(this);
	const { email: givenEmail, ...given } = autoMapped
		? itemFields(this, itemIndex, OPERATOR_CSV_COLUMNS)
		: { email: this.getNodeParameter('email', itemIndex), ...(this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject) };
	const email = checkText(givenEmail, { field: 'Email', required: true, max: 254 });
	// Columns left empty are not modified (API page): only the fields given are written.
	const changes = checkOperatorFields(given);
	return { email, fields: operatorCsvRow({ email, ...changes }), output: { email, ...changes } as IDataObject };
}

/** The prepared items in CSV requests of at most Batch Size rows; the report's errors go back to their items. */
export const executeBatch = batchSender('update', OPERATOR_CSV_COLUMNS);
