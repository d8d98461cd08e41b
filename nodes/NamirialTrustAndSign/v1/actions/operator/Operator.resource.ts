import type { INodeProperties } from 'n8n-workflow';

import type { OperationProperty } from '../../../../shared/dispatch';
import * as bindGroups from './bindGroups.operation';
import * as bindProducts from './bindProducts.operation';
import * as create from './create.operation';
import * as createBatch from './createBatch.operation';
import * as deleteOperator from './delete.operation';
import * as deleteBatch from './deleteBatch.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';
import * as updateBatch from './updateBatch.operation';

/** The batch operations turn all input items into CSV requests; the others run once per item. */
export const operations = {
	getMany,
	create,
	update,
	delete: deleteOperator,
	bindProducts,
	bindGroups,
	createBatch,
	updateBatch,
	deleteBatch,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['operator'] } },
		options: [
			{ name: 'Bind Groups', value: 'bindGroups', action: 'Set the groups of an operator', description: 'Set the groups an operator can access (replaces the current ones)' },
			{ name: 'Bind Products', value: 'bindProducts', action: 'Set the products of an operator', description: 'Set the products an operator can access (replaces the current ones)' },
			{ name: 'Create', value: 'create', action: 'Create an operator', description: 'Create one operator per input item' },
			{ name: 'Create in Batch', value: 'createBatch', action: 'Create operators in batch', description: 'Create all input items as operators in one CSV request (split above the batch size)' },
			{ name: 'Delete', value: 'delete', action: 'Delete an operator', description: 'Delete one operator per input item' },
			{ name: 'Delete in Batch', value: 'deleteBatch', action: 'Delete operators in batch', description: 'Delete the operators of all input items in one CSV request' },
			{ name: 'Get Many', value: 'getMany', action: 'Get many operators', description: 'List operators, one item each' },
			{ name: 'Update', value: 'update', action: 'Update an operator', description: 'Change some fields of an operator; the others keep their value' },
			{ name: 'Update in Batch', value: 'updateBatch', action: 'Update operators in batch', description: 'Update the operators of all input items in one CSV request; empty fields keep their value' },
		],
		default: 'create',
	} satisfies OperationProperty<'operator', keyof typeof operations>,
	...Object.values(operations).flatMap((operation) => operation.description),
];
