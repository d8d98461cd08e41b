import type { INodeProperties } from 'n8n-workflow';

import type { OperationProperty } from '../../../../shared/dispatch';
import * as addToEntity from './addToEntity.operation';
import * as addToGroup from './addToGroup.operation';
import * as create from './create.operation';
import * as createInMaarchParapheur from './createInMaarchParapheur.operation';
import * as deleteUser from './delete.operation';
import * as get from './get.operation';
import * as getMaarchParapheurStatus from './getMaarchParapheurStatus.operation';
import * as getMany from './getMany.operation';
import * as linkToMaarchParapheur from './linkToMaarchParapheur.operation';
import * as removeFromEntity from './removeFromEntity.operation';
import * as removeFromGroup from './removeFromGroup.operation';
import * as unlinkFromMaarchParapheur from './unlinkFromMaarchParapheur.operation';
import * as update from './update.operation';

export const operations = {
	create,
	get,
	getMany,
	update,
	delete: deleteUser,
	addToGroup,
	removeFromGroup,
	addToEntity,
	removeFromEntity,
	linkToMaarchParapheur,
	createInMaarchParapheur,
	unlinkFromMaarchParapheur,
	getMaarchParapheurStatus,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{ name: 'Add to Entity', value: 'addToEntity', action: 'Add a user to an entity', description: 'Add a user to an entity (department)' },
			{ name: 'Add to Group', value: 'addToGroup', action: 'Add a user to a group', description: 'Add a user to a group (profile)' },
			{ name: 'Create', value: 'create', action: 'Create a user', description: 'Create a user' },
			// eslint-disable-next-line n8n-nodes-base/node-param-operation-option-action-miscased -- "Maarch Parapheur" is a product name
			{ name: 'Create in Maarch Parapheur', value: 'createInMaarchParapheur', action: 'Create a user in Maarch Parapheur', description: 'Create a Maarch Parapheur account for a user and link it' },
			{ name: 'Delete', value: 'delete', action: 'Delete a user', description: 'Delete a user (Maarch keeps it as deleted)' },
			{ name: 'Get', value: 'get', action: 'Get a user', description: 'Get a user with its groups and entities' },
			// eslint-disable-next-line n8n-nodes-base/node-param-operation-option-action-miscased -- "Maarch Parapheur" is a product name
			{ name: 'Get Maarch Parapheur Status', value: 'getMaarchParapheurStatus', action: 'Get the Maarch Parapheur status of a user', description: 'Whether a user is linked to a Maarch Parapheur account, and which' },
			{ name: 'Get Many', value: 'getMany', action: 'Get many users', description: 'List users, with filters' },
			// eslint-disable-next-line n8n-nodes-base/node-param-operation-option-action-miscased -- "Maarch Parapheur" is a product name
			{ name: 'Link to Maarch Parapheur', value: 'linkToMaarchParapheur', action: 'Link a user to Maarch Parapheur', description: 'Link a user to an existing Maarch Parapheur account' },
			{ name: 'Remove From Entity', value: 'removeFromEntity', action: 'Remove a user from an entity', description: 'Remove a user from an entity' },
			{ name: 'Remove From Group', value: 'removeFromGroup', action: 'Remove a user from a group', description: 'Remove a user from a group' },
			// eslint-disable-next-line n8n-nodes-base/node-param-operation-option-action-miscased -- "Maarch Parapheur" is a product name
			{ name: 'Unlink From Maarch Parapheur', value: 'unlinkFromMaarchParapheur', action: 'Unlink a user from Maarch Parapheur', description: 'Remove the link between a user and its Maarch Parapheur account' },
			{ name: 'Update', value: 'update', action: 'Update a user', description: 'Change some fields of a user; the others keep their value' },
		],
		default: 'create',
	} satisfies OperationProperty<'user', keyof typeof operations>,
	...Object.values(operations).flatMap((operation) => operation.description),
];
