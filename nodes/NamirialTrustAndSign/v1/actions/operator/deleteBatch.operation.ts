import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkText } from '../../../../shared/validation';
import { batchOptionsProperty, dataModeProperty, definedBelow, executeBatch, isAutoMapped, itemFields } from '../../../helpers/batch';
import { DELETE_CSV_COLUMNS } from '../../../helpers/operators';
import { emailProperty } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['operator'], operation: ['deleteBatch'] } },
	[dataModeProperty, ...definedBelow([emailProperty]), batchOptionsProperty] as INodeProperties[],
);

export async function executeAll(this: IExecuteFunctions, secrets: readonly string[]): Promise<INodeExecutionData[]> {
	const autoMapped = isAutoMapped(this);
	return await executeBatch(
		this,
		'delete',
		DELETE_CSV_COLUMNS,
		(itemIndex) => {
			const given = autoMapped ? itemFields(this, itemIndex, DELETE_CSV_COLUMNS).email : this.getNodeParameter('email', itemIndex);
			const email = checkText(given, { field: 'Email', required: true, max: 254 });
			return { email, fields: [email], output: { email, deleted: true } };
		},
		secrets,
	);
}
