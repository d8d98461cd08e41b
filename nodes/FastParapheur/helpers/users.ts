/**
 * FAST users as `exportUsersData` returns them and as `synchronizationUsers` takes them, and the
 * plan a synchronisation would carry out. Pure functions.
 */
import type { IDataObject } from 'n8n-workflow';

import { checkEmail, checkText, InputError, splitList } from '../../shared/validation';

/** The users array of an export (`{users: [...]}` per the field notes; a bare array accepted). */
export function readUsers(body: unknown): IDataObject[] {
	const list = Array.isArray(body) ? body : Array.isArray((body as IDataObject)?.users) ? ((body as IDataObject).users as unknown[]) : [];
	return list.filter((user): user is IDataObject => !!user && typeof user === 'object' && !Array.isArray(user));
}

/** The circuit ids a user of the export is assigned to (lenient about the shape). */
export function userCircuits(user: IDataObject): string[] {
	const raw = user.circuits ?? user.circuit ?? user.affectations ?? [];
	const list = Array.isArray(raw) ? raw : [raw];
	const ids: string[] = [];
	for (const entry of list) {
		if (typeof entry === 'string' && entry.trim()) ids.push(entry.trim());
		else if (entry && typeof entry === 'object') {
			const record = entry as IDataObject;
			const id = record.circuit ?? record.circuitId ?? record.circuitName ?? record.name ?? record.nom ?? record.id;
			if (id !== undefined && id !== null && String(id).trim()) ids.push(String(id).trim());
		}
	}
	return ids;
}

export interface SyncUser {
	authenticationType: 'CERTIFICAT' | 'BASIC';
	email: string;
	firstName: string;
	lastName: string;
	groups: string[];
}

/** One input item's user for `synchronizationUsers`, checked; `where` names the item in messages ("item 3"). */
export function checkSyncUser(input: { email: unknown; firstName: unknown; lastName: unknown; authenticationType: unknown; groups: unknown }, where: string): SyncUser {
	const email = checkEmail(input.email, `Email (${where})`);
	const firstName = checkText(input.firstName, { field: `First Name (${where})`, required: true, max: 255 });
	const lastName = checkText(input.lastName, { field: `Last Name (${where})`, required: true, max: 255 });
	const type = String(input.authenticationType ?? 'CERTIFICAT').toUpperCase();
	if (type !== 'CERTIFICAT' && type !== 'BASIC') {
		throw new InputError(`'Authentication Type (${where})' must be CERTIFICAT or BASIC, got ${JSON.stringify(input.authenticationType)}`);
	}
	return { authenticationType: type, email, firstName, lastName, groups: splitList(input.groups, { splitOnSpaces: false }) };
}

function exportedField(user: IDataObject, ...keys: string[]): string {
	for (const key of keys) {
		const value = user[key];
		if (typeof value === 'string') return value;
	}
	return '';
}

function exportedGroups(user: IDataObject): string[] {
	const raw = user.groups ?? user.groupes ?? user.group ?? user.groupe ?? [];
	const list = Array.isArray(raw) ? raw : splitList(raw, { splitOnSpaces: false });
	return [...new Set(list.map((group) => (typeof group === 'object' && group ? String((group as IDataObject).name ?? (group as IDataObject).nom ?? '') : String(group))).filter(Boolean))];
}

export interface SyncPlan {
	create: string[];
	update: Array<{ email: string; changes: IDataObject }>;
	delete: string[];
	unchanged: string[];
	/**
	 * The account the node works with (the certificate's), absent from the list but kept: sent as
	 * it is in FAST, since FAST would delete it, and with it every later request of the node.
	 */
	kept?: SyncUser;
}

/** A user of the export in the form `synchronizationUsers` takes, unchanged. */
export function syncUserFromExport(user: IDataObject): SyncUser {
	const type = exportedField(user, 'authenticationType').toUpperCase();
	return {
		authenticationType: type === 'BASIC' ? 'BASIC' : 'CERTIFICAT',
		email: exportedField(user, 'email', 'mail'),
		firstName: exportedField(user, 'firstName', 'prenom'),
		lastName: exportedField(user, 'lastName', 'nom'),
		groups: exportedGroups(user),
	};
}

/**
 * What `synchronizationUsers` would do: create, update, delete (users of FAST absent from the
 * list). `ownAccount` (the certificate's account) is never deleted: absent from the list, it is
 * kept as it is.
 */
export function syncPlan(current: IDataObject[], wanted: SyncUser[], options: { ownAccount?: string } = {}): SyncPlan {
	const own = options.ownAccount?.trim().toLowerCase();
	const existing = new Map(current.map((user) => [exportedField(user, 'email', 'mail').toLowerCase(), user]));
	const plan: SyncPlan = { create: [], update: [], delete: [], unchanged: [] };
	const seen = new Set<string>();
	for (const user of wanted) {
		const key = user.email.toLowerCase();
		seen.add(key);
		const before = existing.get(key);
		if (!before) {
			plan.create.push(user.email);
			continue;
		}
		const changes: IDataObject = {};
		const compare = (name: string, from: unknown, to: unknown) => {
			if (JSON.stringify(from) !== JSON.stringify(to)) changes[name] = { from, to } as IDataObject;
		};
		compare('firstName', exportedField(before, 'firstName', 'prenom'), user.firstName);
		compare('lastName', exportedField(before, 'lastName', 'nom'), user.lastName);
		compare('authenticationType', exportedField(before, 'authenticationType').toUpperCase() || 'CERTIFICAT', user.authenticationType);
		compare('groups', [...exportedGroups(before)].sort(), [...user.groups].sort());
		if (Object.keys(changes).length > 0) plan.update.push({ email: user.email, changes });
		else plan.unchanged.push(user.email);
	}
	for (const [key, user] of existing) {
		if (!key || seen.has(key)) continue;
		if (own && key === own) plan.kept = syncUserFromExport(user);
		else plan.delete.push(exportedField(user, 'email', 'mail'));
	}
	return plan;
}
