/**
 * Maarch Courrier users REST API emulator.
 *
 * Follows ../shared/api-docs/maarch-courrier-users-rest.txt and the Maarch part of the field notes:
 * HTTP Basic with `rest`-mode accounts (401 "Authentication Failed", lock after repeated failures),
 * not-found answered as HTTP 400, PUT /users/{id} as a full replace that needs firstname and
 * lastname, a deleted login revived by POST /users (body ignored), GET /users/{id} and
 * DELETE /users/{id}, GET for statusInMaarchParapheur, 503 + Retry-After during upgrades.
 * `lang: 'fr'` answers in French, as an instance set to French does (Maarch's texts come from its
 * language files). Only a super administrator may create or set the modes root_visible and
 * root_invisible (Maarch's server code): a `rest` account, never one, gets 403 "Service forbidden"
 * there; strict where unsure, the emulator refuses the mode in an update's body too, even unchanged.
 */
import type { EmulatorResponse, LoggedRequest } from '../shared/server';
import { EmulatorServer, VendorEmulator, basicCredentials } from '../shared/server';

export type MaarchStatus = 'OK' | 'ABS' | 'SPD' | 'DEL';
export type MaarchMode = 'standard' | 'rest' | 'root_visible' | 'root_invisible';

export interface MaarchUser {
	id: number;
	user_id: string;
	firstname: string;
	lastname: string;
	initials: string;
	mail: string;
	phone: string;
	mode: MaarchMode;
	status: MaarchStatus;
	groups: string[];
	entities: string[];
	maarchParapheurId?: number;
	/** Only for accounts that log into the API. */
	password?: string;
	/** Whether a `rest` account may manage users (the `admin_users` privilege). */
	canManageUsers?: boolean;
	failedLogins: number;
	locked: boolean;
}

export interface MaarchSeed {
	users?: Array<Partial<MaarchUser> & { user_id: string }>;
	groups?: Record<string, string>;
	entities?: Record<string, string>;
	parapheurUsers?: Array<{ id: number; login: string }>;
	parapheurEnabled?: boolean;
	/** Failed logins after which an account is locked. */
	lockAfter?: number;
	/** The language of the answers' texts (default English). */
	lang?: MaarchLang;
}

export type MaarchLang = 'en' | 'fr';

/**
 * Texts of the language files that differ by language (Maarch's `_USER_ID_ALREADY_EXISTS`...);
 * codes such as "Service forbidden" and "Body ... is empty" are English in every language.
 */
const TEXTS: Record<string, Record<MaarchLang, string>> = {
	userExists: { en: 'User already exists', fr: "L'identifiant utilisateur existe déjà" },
	userDoesNotExist: { en: 'User does not exist', fr: "L'utilisateur n'existe pas" },
	userNotFound: { en: 'User not found', fr: 'Utilisateur introuvable' },
};

const ROOT_MODES = ['root_visible', 'root_invisible'];

export const MAARCH_API_LOGIN = 'ws_n8n';
export const MAARCH_API_PASSWORD = 'S3cr3t-Pa55word!';

const LOGIN_PATTERN = /^[\w.@-]{1,128}$/;
const MAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const bad = (errors: string, status = 400): EmulatorResponse => ({ status, body: { errors } });

export class MaarchEmulator extends VendorEmulator {
	readonly server: EmulatorServer;

	readonly users = new Map<number, MaarchUser>();

	readonly groups = new Map<string, string>();

	readonly entities = new Map<string, string>();

	readonly parapheurUsers = new Map<number, string>();

	parapheurEnabled: boolean;

	lockAfter: number;

	lang: MaarchLang;

	/** When set, every route answers 503 with this Retry-After (seconds), as during an upgrade. */
	maintenanceRetryAfter?: number;

	private nextId = 1;

	constructor(seed: MaarchSeed = {}) {
		super();
		this.parapheurEnabled = seed.parapheurEnabled ?? true;
		this.lockAfter = seed.lockAfter ?? 5;
		this.lang = seed.lang ?? 'en';
		for (const [id, label] of Object.entries(
			seed.groups ?? { ELU: 'Élus', AGENT: 'Agents', ADMINISTRATEUR: 'Administrateurs' },
		))
			this.groups.set(id, label);
		for (const [id, label] of Object.entries(
			seed.entities ?? { PJS: 'Pôle Jeunesse et Sport', DGS: 'Direction Générale des Services' },
		))
			this.entities.set(id, label);
		for (const { id, login } of seed.parapheurUsers ?? [
			{ id: 19, login: 'bbain' },
			{ id: 20, login: 'ccordy' },
		])
			this.parapheurUsers.set(id, login);
		this.addUser({
			user_id: MAARCH_API_LOGIN,
			firstname: 'Web',
			lastname: 'Service',
			mail: 'ws@mairie.example.fr',
			mode: 'rest',
			password: MAARCH_API_PASSWORD,
			canManageUsers: true,
		});
		for (const user of seed.users ?? []) this.addUser(user);

		this.server = new EmulatorServer({
			guard: (request) => this.guard(request),
			notFound: () => bad('Route not found', 404),
		});
		this.registerRoutes();
	}

	addUser(user: Partial<MaarchUser> & { user_id: string }): MaarchUser {
		const created: MaarchUser = {
			id: user.id ?? this.nextId,
			firstname: 'Prénom',
			lastname: 'Nom',
			initials: '',
			mail: `${user.user_id}@mairie.example.fr`,
			phone: '',
			mode: 'standard',
			status: 'OK',
			groups: [],
			entities: [],
			failedLogins: 0,
			locked: false,
			...user,
		};
		this.nextId = Math.max(this.nextId, created.id + 1);
		this.users.set(created.id, created);
		return created;
	}

	findByLogin(login: string): MaarchUser | undefined {
		return [...this.users.values()].find((user) => user.user_id === login);
	}

	private guard(request: LoggedRequest): EmulatorResponse | undefined {
		if (this.maintenanceRetryAfter !== undefined) {
			return {
				status: 503,
				headers: { 'retry-after': String(this.maintenanceRetryAfter) },
				body: { errors: 'Service unavailable: an upgrade is in progress' },
			};
		}
		const given = basicCredentials(request);
		const account = given ? this.findByLogin(given.login) : undefined;
		if (!given || !account || account.mode !== 'rest' || account.status === 'DEL') {
			return bad('Authentication Failed', 401);
		}
		if (account.locked) return bad('Account Locked', 401);
		if (account.password !== given.password) {
			account.failedLogins += 1;
			if (account.failedLogins >= this.lockAfter) account.locked = true;
			return bad('Authentication Failed', 401);
		}
		account.failedLogins = 0;
		if (!account.canManageUsers) return bad('Service forbidden', 403);
		return undefined;
	}

	private text(key: keyof typeof TEXTS): string {
		return TEXTS[key][this.lang];
	}

	/** The refusal of a super-administrator mode to a caller who is not a super administrator. */
	private refuseRootMode(req: LoggedRequest, body: Record<string, unknown>): EmulatorResponse | undefined {
		if (!ROOT_MODES.includes(body.mode as string)) return undefined;
		const caller = this.findByLogin(basicCredentials(req)?.login ?? '');
		return caller && ROOT_MODES.includes(caller.mode) ? undefined : bad('Service forbidden', 403);
	}

	private activeUser(id: string): MaarchUser | undefined {
		const user = this.users.get(Number(id));
		return user && user.status !== 'DEL' && /^\d+$/.test(id) ? user : undefined;
	}

	private summary(user: MaarchUser) {
		return {
			id: user.id,
			user_id: user.user_id,
			firstname: user.firstname,
			lastname: user.lastname,
			status: user.status,
			mail: user.mail,
			mode: user.mode,
		};
	}

	private details(user: MaarchUser) {
		return {
			...this.summary(user),
			initials: user.initials,
			phone: user.phone,
			groups: user.groups.map((id) => ({ group_id: id, group_desc: this.groups.get(id) })),
			entities: user.entities.map((id) => ({
				entity_id: id,
				entity_label: this.entities.get(id),
			})),
			external_id: user.maarchParapheurId ? { maarchParapheur: user.maarchParapheurId } : {},
		};
	}

	private validatePerson(body: Record<string, unknown>): EmulatorResponse | undefined {
		const text = (key: string, max: number) =>
			typeof body[key] === 'string' &&
			(body[key] as string).length >= 1 &&
			(body[key] as string).length <= max;
		if (!text('firstname', 255)) return bad('Body firstname is empty or not a string');
		if (!text('lastname', 255)) return bad('Body lastname is empty or not a string');
		if (body.initials !== undefined && (typeof body.initials !== 'string' || body.initials.length > 32))
			return bad('Body initials is too long');
		if (typeof body.mail !== 'string' || !MAIL_PATTERN.test(body.mail))
			return bad('Body mail is empty or not a valid email');
		if (
			body.mode !== undefined &&
			!['standard', 'rest', 'root_visible', 'root_invisible'].includes(body.mode as string)
		)
			return bad('Body mode is not valid');
		return undefined;
	}

	private registerRoutes(): void {
		const s = this.server;
		const asObject = (body: unknown): Record<string, unknown> =>
			body && typeof body === 'object' ? (body as Record<string, unknown>) : {};

		s.route('GET', '/rest/users', () => ({
			status: 200,
			body: {
				users: [...this.users.values()]
					.filter((user) => user.status !== 'DEL')
					.map((user) => this.summary(user)),
				quota: { userQuota: 0, actives: this.users.size, inactives: 0 },
			},
		}));

		s.route('GET', '/rest/users/:id', (_req, { id }) => {
			const user = this.activeUser(id);
			return user ? { status: 200, body: this.details(user) } : bad(this.text('userDoesNotExist'));
		});

		s.route('POST', '/rest/users', (req) => {
			const body = asObject(req.body);
			if (typeof body.userId !== 'string' || !LOGIN_PATTERN.test(body.userId))
				return bad('Body userId is empty, not a string or not valid');
			const invalid = this.validatePerson(body) ?? this.refuseRootMode(req, body);
			if (invalid) return invalid;
			const existing = this.findByLogin(body.userId);
			if (existing && existing.status !== 'DEL') return bad(this.text('userExists'));
			if (existing) {
				// Maarch revives the deleted account as it was and ignores the body.
				existing.status = 'OK';
				return { status: 200, body: { id: existing.id } };
			}
			const user = this.addUser({
				user_id: body.userId,
				firstname: body.firstname as string,
				lastname: body.lastname as string,
				initials: (body.initials as string) ?? '',
				mail: body.mail as string,
				phone: (body.phone as string) ?? '',
				mode: (body.mode as MaarchMode) ?? 'standard',
			});
			return { status: 200, body: { id: user.id } };
		});

		s.route('PUT', '/rest/users/:id', (req, { id }) => {
			const user = this.activeUser(id);
			if (!user) return bad(this.text('userNotFound'));
			const body = asObject(req.body);
			const invalid = this.validatePerson(body) ?? this.refuseRootMode(req, body);
			if (invalid) return invalid;
			user.firstname = body.firstname as string;
			user.lastname = body.lastname as string;
			// Full replace: an omitted mail or initials is cleared.
			user.mail = body.mail as string;
			user.initials = (body.initials as string) ?? '';
			if (body.phone !== undefined) user.phone = String(body.phone);
			if (body.mode !== undefined) user.mode = body.mode as MaarchMode;
			return { status: 204 };
		});

		s.route('DELETE', '/rest/users/:id', (_req, { id }) => {
			const user = this.activeUser(id);
			if (!user) return bad(this.text('userDoesNotExist'));
			user.status = 'DEL';
			return { status: 204 };
		});

		s.route('POST', '/rest/users/:id/groups', (req, { id }) => {
			const user = this.activeUser(id);
			if (!user) return bad('User not found');
			const { groupId } = asObject(req.body);
			if (typeof groupId !== 'string' || !groupId) return bad('Bad Request');
			if (!this.groups.has(groupId)) return bad('Group not found');
			if (user.groups.includes(groupId)) return bad('User is already linked to this group');
			user.groups.push(groupId);
			return { status: 200, body: { groups: this.details(user).groups, baskets: [] } };
		});

		s.route('DELETE', '/rest/users/:id/groups/:groupId', (_req, { id, groupId }) => {
			const user = this.activeUser(id);
			if (!user) return bad('User not found');
			if (!this.groups.has(groupId)) return bad('Group not found');
			user.groups = user.groups.filter((group) => group !== groupId);
			return { status: 200, body: { groups: this.details(user).groups, baskets: [] } };
		});

		s.route('POST', '/rest/users/:id/entities', (req, { id }) => {
			const user = this.activeUser(id);
			if (!user) return bad('User not found');
			const { entityId } = asObject(req.body);
			if (typeof entityId !== 'string' || !entityId) return bad('Bad Request');
			if (!this.entities.has(entityId)) return bad('Entity not found');
			if (user.entities.includes(entityId)) return bad('User is already linked to this entity');
			user.entities.push(entityId);
			return { status: 200, body: { entities: this.details(user).entities } };
		});

		s.route('DELETE', '/rest/users/:id/entities/:entityId', (_req, { id, entityId }) => {
			const user = this.activeUser(id);
			if (!user) return bad('User not found');
			if (!this.entities.has(entityId)) return bad('Entity not found');
			user.entities = user.entities.filter((entity) => entity !== entityId);
			return { status: 200, body: { entities: this.details(user).entities } };
		});

		const parapheurRoute = (
			handler: (user: MaarchUser, body: Record<string, unknown>) => EmulatorResponse,
		) => {
			return (req: LoggedRequest, { id }: Record<string, string>): EmulatorResponse => {
				if (!this.parapheurEnabled) return bad('maarchParapheur is not enabled', 403);
				const user = this.activeUser(id);
				if (!user) return bad('User not found');
				return handler(user, asObject(req.body));
			};
		};

		s.route(
			'PUT',
			'/rest/users/:id/linkToMaarchParapheur',
			parapheurRoute((user, body) => {
				const target = body.maarchParapheurUserId;
				if (typeof target !== 'number' || !Number.isInteger(target))
					return bad('Body maarchParapheurUserId is not an integer');
				if (!this.parapheurUsers.has(target)) return bad('User does not exist in Maarch Parapheur');
				const holder = [...this.users.values()].find(
					(other) => other.maarchParapheurId === target && other.id !== user.id,
				);
				if (holder)
					return bad(
						'This maarch parapheur user is already linked to someone. Choose another one',
						403,
					);
				user.maarchParapheurId = target;
				return { status: 200, body: { success: 'success' } };
			}),
		);

		s.route(
			'PUT',
			'/rest/users/:id/createInMaarchParapheur',
			parapheurRoute((user, body) => {
				if (typeof body.login !== 'string' || !body.login) return bad('Body login is empty');
				if ([...this.parapheurUsers.values()].includes(body.login))
					return bad('Login already exists in Maarch Parapheur');
				const externalId = Math.max(0, ...this.parapheurUsers.keys()) + 1;
				this.parapheurUsers.set(externalId, body.login);
				user.maarchParapheurId = externalId;
				return { status: 200, body: { externalId } };
			}),
		);

		s.route(
			'PUT',
			'/rest/users/:id/unlinkToMaarchParapheur',
			parapheurRoute((user) => {
				if (!user.maarchParapheurId) return bad('User does not have Maarch Parapheur Id');
				delete user.maarchParapheurId;
				return { status: 200, body: { success: 'success' } };
			}),
		);

		const status = parapheurRoute((user) => {
			if (!user.maarchParapheurId) return bad('User does not have Maarch Parapheur Id');
			return {
				status: 200,
				body: { link: this.parapheurUsers.get(user.maarchParapheurId), errors: '' },
			};
		});
		// Real instances answer GET (field notes); the page says PUT. Both are served.
		s.route('GET', '/rest/users/:id/statusInMaarchParapheur', status);
		s.route('PUT', '/rest/users/:id/statusInMaarchParapheur', status);
	}
}

export async function startMaarchEmulator(seed: MaarchSeed = {}, port = 0): Promise<MaarchEmulator> {
	const emulator = new MaarchEmulator(seed);
	await emulator.start(port);
	return emulator;
}
