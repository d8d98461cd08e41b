import type { INodeProperties } from 'n8n-workflow';

import type { OperationProperty } from '../../../../shared/dispatch';
import * as changePassword from './changePassword.operation';
import * as create from './create.operation';
import * as deleteUser from './delete.operation';
import * as get from './get.operation';
import * as search from './search.operation';
import * as update from './update.operation';

export const operations = { create, get, update, changePassword, search, delete: deleteUser };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{ name: 'Change Password', value: 'changePassword', action: 'Change the password of a user', description: 'Set a new password for a user' },
			{ name: 'Create', value: 'create', action: 'Create a user', description: 'Create a user with profiles, groups and attributes' },
			{ name: 'Delete', value: 'delete', action: 'Delete a user', description: 'Delete a user' },
			{ name: 'Get', value: 'get', action: 'Get users', description: 'Get one or several users by ID (one item per user)' },
			{ name: 'Search', value: 'search', action: 'Search users', description: 'Find users by ID or name (one item per user)' },
			{ name: 'Update', value: 'update', action: 'Update a user', description: 'Change some fields of a user; the others keep their value' },
		],
		default: 'create',
	} satisfies OperationProperty<'user', keyof typeof operations>,
	...Object.values(operations).flatMap((operation) => operation.description),
];
