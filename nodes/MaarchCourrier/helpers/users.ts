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
 * A user just created by `POST /rest/users`, as Maarch Courrier stores it, built from what was
 * sent and the ID Maarch answered (`{"id": <int>}`, users page and field notes): the keys and
 * types `GET /rest/users/{id}` gives for it, so Create needs no second request.
 *
 * What the request does not hold is what Maarch sets on every new account: status `OK` (active),
 * mode `standard` when none is given (the page's default), initials and phone empty, no group,
 * no entity and no Maarch Parapheur link (`external_id` empty).
 *
 * This is the account only when Maarch created one: a login that belonged to a deleted user gets
 * that old account back, with its old details, under the same answer (field notes). Create tells
 * the two apart by the ID (see its execute).
 */
export function createdUser(id: number, login: string, person: IDataObject): IDataObject {
	return {
		id,
		user_id: login,
		firstname: person.firstname,
		lastname: person.lastname,
		status: 'OK',
		mail: person.mail,
		mode: person.mode ?? 'standard',
		initials: person.initials ?? '',
		phone: person.phone ?? '',
		groups: [],
		entities: [],
		external_id: {},
	};
}

/** The details a Create sends that Maarch keeps only on a new account (a restored one keeps its own). */
const SENT_DETAILS = ['firstname', 'lastname', 'mail', 'initials', 'phone', 'mode'];

/**
 * Whether the account read back after a Create holds other details than the ones sent: Maarch
 * restored a deleted account (field notes). Only the fields the answer holds are compared:
 * `GET /rest/users/{id}` is documented only as `{id, firstname, lastname, mail, phone?, ...}`
 * (field notes), and a field it leaves out, or gives as null, says nothing about the account.
 */
export function isRestoredAccount(stored: IDataObject, person: IDataObject): boolean {
	return SENT_DETAILS.some(
		(key) =>
			person[key] !== undefined &&
			stored[key] !== undefined &&
			stored[key] !== null &&
			String(stored[key]) !== String(person[key]),
	);
}

/**
 * The user list by-login lookups read, once per execution (keyed by the execution's context, as
 * shared/credentials keeps the credential): a thousand items picked by login would otherwise
 * fetch the whole list, unpaginated (field notes), a thousand times. Only lookups use it; Get
 * Many and the list search always read the list afresh.
 */
const lookupLists = new WeakMap<object, Promise<MaarchUserSummary[]>>();

async function lookupList(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fresh: boolean,
): Promise<{ users: MaarchUserSummary[]; reused: boolean }> {
	const kept = fresh ? undefined : lookupLists.get(ctx);
	if (kept) {
		try {
			return { users: await kept, reused: true };
		} catch {
			// Another item's request failed: this item makes its own, and fails with its own error.
		}
	}
	const pending = listUsers(ctx, itemIndex);
	lookupLists.set(ctx, pending);
	pending.catch(() => {
		if (lookupLists.get(ctx) === pending) lookupLists.delete(ctx);
	});
	return { users: await pending, reused: false };
}

/**
 * The user list of the execution (read once, as for by-login lookups): Create compares the ID it
 * is answered with the IDs the instance held before.
 */
export async function executionUserList(ctx: IExecuteFunctions, itemIndex: number): Promise<MaarchUserSummary[]> {
	return (await lookupList(ctx, itemIndex, false)).users;
}

function findLogin(users: MaarchUserSummary[], login: string): MaarchUserSummary | undefined {
	return (
		users.find((user) => user.user_id === login) ??
		users.find((user) => user.user_id.toLowerCase() === login.toLowerCase())
	);
}

/**
 * The technical ID (users.id) of the user picked in the `userId` resource locator: from the
 * list or typed as an ID, or looked up by login in the user list (`GET /rest/users`, the only way
 * from a login to an ID). The list is read once per execution; a login it lacks is looked up in a
 * fresh list before it is reported missing, so a user created meanwhile is still found.
 */
export async function resolveUserId(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	const locator = ctx.getNodeParameter('userId', itemIndex) as INodeParameterResourceLocator | string;
	const { mode, value } =
		typeof locator === 'object' && locator !== null ? locator : { mode: 'id', value: locator };
	const text = textOf(value, 'User').trim();
	if (mode !== 'login') return checkNumericId(text, 'User');
	if (!text) throw new InputError("'User' is required: give a login");
	const first = await lookupList(ctx, itemIndex, false);
	const found =
		findLogin(first.users, text) ??
		(first.reused ? findLogin((await lookupList(ctx, itemIndex, true)).users, text) : undefined);
	if (!found) {
		throw new InputError(
			`No Maarch Courrier user has the login '${text}'`,
			'Check the login, or pick the user from the list. Deleted users are not listed.',
		);
	}
	return String(found.id);
}
