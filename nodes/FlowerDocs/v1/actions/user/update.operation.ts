import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { apiError } from '../../../../shared/errors';
import { InputError } from '../../../../shared/validation';
import { flowerDocsApiRequest } from '../../../transport';
import type { FlowerDocsAttribute } from './common';
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
import { getUsers } from './get.operation';
import { pathSegment } from '../../../../shared/path';

const properties: INodeProperties[] = [
	userIdField('The identifier of the user to change'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		description: 'Only the fields added here change; every other field, list and attribute keeps its value',
		options: [
			attributesField,
			...personFields.slice(0, 2),
			...personFields.slice(2),
			listField('groups', 'Groups', 'DRH'),
			credentialsExpiredField,
			listField('profiles', 'Profiles', 'AllUsers, eEnvelope'),
		],
	},
	{
		displayName: 'Lists',
		name: 'listMode',
		type: 'options',
		default: 'add',
		description: 'What the profiles, groups and attributes given do to the current ones',
		options: [
			{
				name: 'Add to the Current Ones',
				value: 'add',
				description: 'Keep the current profiles, groups and attributes and add those given (values of an attribute given are added to its current values)',
			},
			{
				name: 'Replace the Current Ones',
				value: 'replace',
				description: 'Each list given (profiles, groups or attributes) replaces the current one; lists not given are kept',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['update'] } }, properties);

const union = (current: unknown, added: string[]): string[] => [
	...new Set([...(Array.isArray(current) ? (current as string[]) : []), ...added]),
];

export function mergeAttributes(current: unknown, given: FlowerDocsAttribute[], mode: string): FlowerDocsAttribute[] {
	if (mode === 'replace') return given;
	const merged = (Array.isArray(current) ? (current as FlowerDocsAttribute[]) : []).map((attribute) => ({
		name: attribute.name,
		values: [...(attribute.values ?? [])],
	}));
	for (const attribute of given) {
		const existing = merged.find((entry) => entry.name === attribute.name);
		if (existing) existing.values = union(existing.values, attribute.values);
		else merged.push(attribute);
	}
	return merged;
}

/** The fields an update writes: FlowerDocs clears whatever the body leaves out (field notes). */
const PERSON_KEYS = ['firstname', 'lastname', 'displayName', 'mail'];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = checkUserId(this.getNodeParameter('userId', itemIndex));
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const mode = this.getNodeParameter('listMode', itemIndex, 'add') as string;
	const person = checkPersonFields(fields);
	const profiles = fields.profiles !== undefined ? checkList(fields.profiles, 'Profiles') : undefined;
	const groups = fields.groups !== undefined ? checkList(fields.groups, 'Groups') : undefined;
	const attributes = fields.attributes !== undefined ? checkAttributes(fields.attributes) : undefined;
	const changesSomething =
		Object.keys(person).length > 0 ||
		typeof fields.credentialsExpired === 'boolean' ||
		profiles !== undefined ||
		groups !== undefined ||
		attributes !== undefined;
	if (!changesSomething) {
		throw new InputError(
			'Nothing to update',
			"Add at least one field under 'Update Fields' with a value. Fields left empty keep their current value.",
		);
	}

	// Updates are cancel-and-replace (field notes): read the whole user, with its profiles and
	// groups, merge the changes, write the whole object back.
	const [current] = await getUsers(this, [id], true, itemIndex);
	if (!current) {
		throw apiError(this.getNode(), { message: `FlowerDocs user ${id} does not exist` }, { itemIndex });
	}
	const user: IDataObject = { id: current.id ?? id };
	for (const key of PERSON_KEYS) {
		const value = person[key] ?? current[key];
		if (value !== undefined && value !== null) user[key] = value;
	}
	user.credentialsExpired =
		typeof fields.credentialsExpired === 'boolean' ? fields.credentialsExpired : current.credentialsExpired === true;
	const list = (key: 'profiles' | 'groups', given: string[] | undefined) =>
		given === undefined ? union(current[key], []) : mode === 'replace' ? given : union(current[key], given);
	user.profiles = list('profiles', profiles);
	user.groups = list('groups', groups);
	user.attributes = (
		attributes === undefined ? mergeAttributes(current.attributes, [], 'add') : mergeAttributes(current.attributes, attributes, mode)
	) as unknown as IDataObject[];
	// The password is not read back and is left out: it has its own operation (Change Password).
	await flowerDocsApiRequest(this, 'POST', `/rest/users/${pathSegment(id, 'User ID')}`, {
		body: user,
		itemIndex,
		subject: { userId: id },
	});
	return outputUser(user);
}
