import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../../../shared/validation';
import type { SyncUser } from '../../../helpers/users';
import { checkSyncUser, syncPlan } from '../../../helpers/users';
import type { FastClient } from '../../../transport';
import { getSiren, sirenProperty } from '../common';
import { exportUsers } from './export.operation';
import { pathSegment } from '../../../../shared/path';

const properties: INodeProperties[] = [
	{
		displayName:
			'Destructive: FAST deletes every user of the SIREN who is not in the input items. Keep Dry Run on to see what would change first. Use only as agreed with Docaposte.',
		name: 'synchronizeNotice',
		type: 'notice',
		default: '',
	},
	sirenProperty,
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: true,
		description: 'Whether to only report who would be created, updated and deleted, without changing anything in FAST',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '={{ $json.email }}',
		required: true,
		description: "The user's e-mail, their FAST login (one input item per user)",
	},
	{ displayName: 'First Name', name: 'firstName', type: 'string', default: '={{ $json.firstName }}', required: true },
	{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '={{ $json.lastName }}', required: true },
	{
		displayName: 'Authentication Type',
		name: 'authenticationType',
		type: 'options',
		options: [
			{ name: 'Certificate', value: 'CERTIFICAT', description: 'The user logs into FAST with a certificate' },
			{ name: 'Login and Password', value: 'BASIC', description: 'The user logs into FAST with a password' },
		],
		default: 'CERTIFICAT',
		description: 'How the user logs into the FAST web interface',
	},
	{
		displayName: 'Groups',
		name: 'groups',
		type: 'string',
		default: '',
		placeholder: 'e.g. Elus, Direction générale',
		description: "The user's FAST groups, separated by commas (or a list from an expression)",
	},
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['synchronize'] } }, properties);

/**
 * All input items become one `PUT /synchronization/{siren}/users` request, and one output item
 * (paired with every input item). Because FAST deletes every user absent from the list, one bad
 * item fails the whole run (skipping it would delete that user) and nothing is sent.
 */
export async function executeAll(this: IExecuteFunctions, client: FastClient): Promise<IDataObject> {
	const items = this.getInputData();
	const siren = getSiren(this, 0, client);
	const dryRun = this.getNodeParameter('dryRun', 0, true) as boolean;
	const users: SyncUser[] = [];
	const seen = new Set<string>();
	for (let index = 0; index < items.length; index++) {
		const user = checkSyncUser(
			{
				email: this.getNodeParameter('email', index, ''),
				firstName: this.getNodeParameter('firstName', index, ''),
				lastName: this.getNodeParameter('lastName', index, ''),
				authenticationType: this.getNodeParameter('authenticationType', index, 'CERTIFICAT'),
				groups: this.getNodeParameter('groups', index, ''),
			},
			`item ${index + 1}`,
		);
		if (seen.has(user.email.toLowerCase())) throw new InputError(`Item ${index + 1}: ${user.email} appears twice in the input`);
		seen.add(user.email.toLowerCase());
		users.push(user);
	}
	if (users.length === 0) {
		throw new InputError('Synchronize got no users: FAST would delete every user of the SIREN', 'Give one input item per user to keep.');
	}
	// The certificate's own account is never proposed for deletion: FAST would delete the account
	// the node works with. Absent from the input, it is sent as it is in FAST (`keptAccount`).
	const plan = syncPlan(await exportUsers(client, siren), users, { ownAccount: client.depositorEmail });
	const summary: IDataObject = {
		siren,
		dryRun,
		toCreate: plan.create,
		toUpdate: plan.update as unknown as IDataObject[],
		toDelete: plan.delete,
		unchanged: plan.unchanged.length,
	};
	if (plan.kept) summary.keptAccount = plan.kept.email;
	if (!dryRun) {
		const answer = await client.json({
			method: 'PUT',
			path: `/synchronization/${pathSegment(siren, 'SIREN')}/users`,
			json: plan.kept ? [...users, plan.kept] : users,
			subject: { siren, action: 'synchronize the users' },
		});
		const problems = Array.isArray(answer) ? answer : answer && typeof answer === 'object' ? [answer] : [];
		summary.problems = problems as IDataObject[];
		summary.applied = true;
	}
	return summary;
}
