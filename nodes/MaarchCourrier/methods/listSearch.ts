import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { filterUsers, listUsers } from '../helpers/users';
import { maarchCredentials, maarchUserUrl } from '../transport';

/** Users for the `userId` resource locator, searched by login, names or e-mail. */
export async function searchUsers(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const { url } = await maarchCredentials(this);
	const users = filterUsers(await listUsers(this), { search: filter });
	return {
		results: users
			.sort((a, b) => `${a.lastname} ${a.firstname}`.localeCompare(`${b.lastname} ${b.firstname}`, 'fr'))
			.map((user) => ({
				name: `${user.firstname} ${user.lastname} (${user.user_id})`,
				value: String(user.id),
				url: maarchUserUrl(url, user.id),
			})),
	};
}
