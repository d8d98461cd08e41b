/**
 * Adding a user to, or removing it from, a group or an entity: the same exchange for both.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkText } from '../../shared/validation';
import { maarchApiRequest } from '../transport';
import { resolveUserId } from './users';
import { pathSegment } from '../../shared/path';

export type MembershipKind = 'group' | 'entity';

const KINDS = {
	group: {
		parameter: 'groupId',
		label: 'Group ID',
		path: 'groups',
		example: 'ELU',
		hint: 'The group identifier (usergroups.group_id), not its label',
	},
	entity: {
		parameter: 'entityId',
		label: 'Entity ID',
		path: 'entities',
		example: 'PJS',
		hint: 'The entity identifier (entities.entity_id), not its label',
	},
} as const;

export function membershipField(kind: MembershipKind): INodeProperties {
	const { parameter, label, example, hint } = KINDS[kind];
	return {
		displayName: label,
		name: parameter,
		type: 'string',
		required: true,
		default: '',
		placeholder: `e.g. ${example}`,
		hint,
	};
}

export async function changeMembership(
	ctx: IExecuteFunctions,
	itemIndex: number,
	kind: MembershipKind,
	action: 'add' | 'remove',
): Promise<IDataObject> {
	const { parameter, label, path } = KINDS[kind];
	const targetId = checkText(ctx.getNodeParameter(parameter, itemIndex), {
		field: label,
		required: true,
		max: 255,
	});
	// Checked before the user is looked up: nothing is sent for a value that would change the route.
	const target = pathSegment(targetId, label);
	const userId = await resolveUserId(ctx, itemIndex);
	const user = pathSegment(userId, 'User');
	const subject = { userId, [parameter]: targetId };
	const response = (
		action === 'add'
			? await maarchApiRequest(ctx, 'POST', `/users/${user}/${path}`, {
					body: { [parameter]: targetId },
					itemIndex,
					subject,
				})
			: await maarchApiRequest(ctx, 'DELETE', `/users/${user}/${path}/${target}`, {
					itemIndex,
					subject,
				})
	) as IDataObject | undefined;
	return { id: Number(userId), [parameter]: targetId, [path]: response?.[path] ?? [] };
}
