import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkText } from '../../../../shared/validation';
import type { BatchRow } from '../../../helpers/batch';
import { batchOptionsProperty, dataModeProperty, definedBelow, isAutoMapped, itemFields, batchSender } from '../../../helpers/batch';
import { DELETE_CSV_COLUMNS } from '../../../helpers/operators';
import { emailProperty } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['operator'], operation: ['deleteBatch'] } },
	[dataModeProperty, ...definedBelow([emailProperty]), batchOptionsProperty] as INodeProperties[],
);

/** Checks one item and builds its CSV row; an item that fails is refused before anything is sent. */
export function prepare(this: IExecuteFunctions, itemIndex: number): BatchRow {
	const autoMapped = isAutoMapped(this);
	const given = autoMapped ? itemFields(this, itemIndex, DELETE_CSV_COLUMNS).email : this.getNodeParameter('email', itemIndex);
	const email = checkText(given, { field: 'Email', required: true, max: 254 });
	return { email, fields: [email], output: { email, deleted: true } };
}

/** The prepared items in CSV requests of at most Batch Size rows; the report's errors go back to their items. */
export const executeBatch = batchSender('delete', DELETE_CSV_COLUMNS);
