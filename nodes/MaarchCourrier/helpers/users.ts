/**
 * Maarch Courrier users: finding one from the resource locator, filtering the (unpaginated) list.
 */
import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';

import { apiError } from '../../shared/errors';
import type { RequestContext } from '../../shared/request';
import { InputError, checkNumericId, textOf } from '../../shared/validation';
import { maarchApiRequest } from '../transport';

/** A user as GET /rest/users lists it. */
export interface MaarchUserSummary extends IDataObject {
	id: number;
	user_id: string;
	firstname: string;
	lastname: string;
	status: string;
	mail: string;
	mode: string;
}

/** Lower case without accents, for searching "Hélène" with "helene". */
export function normalizeText(text: string): string {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.trim();
}

/** Whether a user matches a search text in its login, names, full name or e-mail. */
export function matchesSearch(user: MaarchUserSummary, search: string): boolean {
	const needle = normalizeText(search);
	if (!needle) return true;
	const haystack = [
		user.user_id,
		user.firstname,
		user.lastname,
		`${user.firstname} ${user.lastname}`,
		`${user.lastname} ${user.firstname}`,
		user.mail,
	].map((value) => normalizeText(String(value ?? '')));
	return haystack.some((value) => value.includes(needle));
}

export interface UserFilters {
	status?: string[];
	mode?: string[];
	search?: string;
}

export function filterUsers(users: MaarchUserSummary[], filters: UserFilters): MaarchUserSummary[] {
	return users.filter(
		(user) =>
			(!filters.status?.length || filters.status.includes(user.status)) &&
			(!filters.mode?.length || filters.mode.includes(user.mode)) &&
			matchesSearch(user, filters.search ?? ''),
	);
}

export async function listUsers(ctx: RequestContext, itemIndex?: number): Promise<MaarchUserSummary[]> {
	const response = (await maarchApiRequest(ctx, 'GET', '/users', { itemIndex })) as {
		users?: MaarchUserSummary[];
	};
	if (!response || !Array.isArray(response.users)) {
		throw apiError(
			ctx.getNode(),
			{
				message: 'Maarch Courrier answered the user list without a "users" array',
				description: 'Check that the instance URL in the credential points at Maarch Courrier.',
			},
			{ itemIndex },
		);
	}
	return response.users;
}

/**
 * The technical ID (users.id) of the user picked in the `userId` resource locator: from the
 * list or typed as an ID, or looked up by login.
 */
export async function resolveUserId(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	const locator = ctx.getNodeParameter('userId', itemIndex) as INodeParameterResourceLocator | string;
	const { mode, value } =
		typeof locator === 'object' && locator !== null ? locator : { mode: 'id', value: locator };
	const text = textOf(value, 'User').trim();
	if (mode !== 'login') return checkNumericId(text, 'User');
	if (!text) throw new InputError("'User' is required: give a login");
	const users = await listUsers(ctx, itemIndex);
	const found =
		users.find((user) => user.user_id === text) ??
		users.find((user) => user.user_id.toLowerCase() === text.toLowerCase());
	if (!found) {
		throw new InputError(
			`No Maarch Courrier user has the login '${text}'`,
			'Check the login, or pick the user from the list. Deleted users are not listed.',
		);
	}
	return String(found.id);
}
