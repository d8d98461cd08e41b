import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkText } from '../../../../shared/validation';
import { flowerDocsApiRequest } from '../../../transport';
import {
	attributesField,
	checkAttributes,
	checkList,
	checkPersonFields,
	checkUserId,
	credentialsExpiredField,
	listField,
	outputUser,
	personFields,
	userIdField,
} from './common';

const properties: INodeProperties[] = [
	userIdField('The unique identifier (login) of the new user. It cannot be changed later.'),
	...personFields.map((field) => ({ ...field, required: field.name === 'mail' })),
	{
		displayName: 'Password',
		name: 'password',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: 'The initial password. Leave empty for users who log in through a directory or SSO.',
	},
	listField('profiles', 'Profiles', 'AllUsers, eEnvelope'),
	listField('groups', 'Groups', 'DRH'),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		options: [attributesField, credentialsExpiredField],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = checkUserId(this.getNodeParameter('userId', itemIndex));
	const person = checkPersonFields({
		firstname: this.getNodeParameter('firstname', itemIndex, ''),
		lastname: this.getNodeParameter('lastname', itemIndex, ''),
		displayName: this.getNodeParameter('displayName', itemIndex, ''),
		mail: this.getNodeParameter('mail', itemIndex, ''),
	});
	const password = checkText(this.getNodeParameter('password', itemIndex, ''), { field: 'Password', max: 255 });
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const user: IDataObject = {
		id,
		firstname: person.firstname ?? '',
		lastname: person.lastname ?? '',
		displayName: person.displayName ?? ([person.firstname, person.lastname].filter(Boolean).join(' ') || id),
		mail: person.mail ?? '',
		credentialsExpired: additional.credentialsExpired === true,
		attributes: checkAttributes(additional.attributes) as unknown as IDataObject[],
		groups: checkList(this.getNodeParameter('groups', itemIndex, ''), 'Groups'),
		profiles: checkList(this.getNodeParameter('profiles', itemIndex, ''), 'Profiles'),
	};
	if (password) user.password = password;
	await flowerDocsApiRequest(this, 'POST', '/rest/users', { body: user, itemIndex, subject: { userId: id } });
	return outputUser(user);
}
