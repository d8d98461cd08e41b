import type { INodeProperties } from 'n8n-workflow';

import type { OperationProperty } from '../../../../shared/dispatch';
import * as exportUsers from './export.operation';
import * as synchronize from './synchronize.operation';

export const operations = { export: exportUsers, synchronize };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{ name: 'Export', value: 'export', action: 'Export users', description: 'List the users of the SIREN with their circuits, roles and groups (one item per user)' },
			{
				name: 'Synchronize',
				value: 'synchronize',
				action: 'Synchronize users',
				description: 'Replace the users of the SIREN with the input items (dry run by default)',
			},
		],
		default: 'export',
	} satisfies OperationProperty<'user', keyof typeof operations>,
	...exportUsers.description,
	...synchronize.description,
];
