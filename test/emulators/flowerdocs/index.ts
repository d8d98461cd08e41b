/**
 * FlowerDocs Core user service emulator.
 *
 * Follows ../shared/api-docs/flowerdocs-user-service.txt and the FlowerDocs part of the field
 * notes: everything lives under the Core context path (default `/core`); `POST /rest/authentication`
 * with `{user, password, scope}` returns `{value: <JWT>}` (HMAC-signed, `iat`/`exp`, lifetime
 * configurable and short in tests); every other route needs a valid `token` header, else 401;
 * trailing slashes are rejected (404); updates are cancel-and-replace; not-found is HTTP 500 with
 * F00206 (get, delete), F00012 (update) or T01002 (password); F00903 for an existing id. With
 * `userManagement: false`, `/rest/users...` answers 405 (directory-backed instances). A user
 * without the ADMIN profile may read users (search, get) but gets 403 (T00403) on every write:
 * the page says nothing of rights, and real instances let such a user search (issue 16: the
 * credential Test passed for a user whose every write then failed). The search takes its text as
 * `name` (the example; the prose says `search`, also read) and, strict where unsure, refuses it
 * missing or empty with 400, as the page has it to fill in ("Le paramètre à renseigner") and offers
 * no list of every user; `requireSearchText: false` is a server that answers every user instead. `echoLoginBodyOn401` makes a refused login
 * quote its body (a server that leaks the password). Fault injection and the request log come
 * from the shared EmulatorServer.
 */
import { createHmac, randomBytes } from 'node:crypto';

import type { EmulatorResponse, LoggedRequest } from '../shared/server';
import { EmulatorServer, VendorEmulator } from '../shared/server';

export interface FlowerDocsAttribute {
	name: string;
	values: string[];
}

export interface FlowerDocsUser {
	id: string;
	firstname: string;
	lastname: string;
	displayName: string;
	mail: string;
	password?: string;
	credentialsExpired: boolean;
	attributes: FlowerDocsAttribute[];
	groups: string[];
	profiles: string[];
	/** Scopes the user may log into (emulator only). */
	scopes?: string[];
}

export interface FlowerDocsSeed {
	users?: Array<Partial<FlowerDocsUser> & { id: string }>;
	/** Context path of the Core webapp (default `/core`). */
	contextPath?: string;
	/** Token lifetime in seconds (default 3600). */
	tokenLifetimeSeconds?: number;
	/** False: no writable user service (405 on /rest/users...). */
	userManagement?: boolean;
	/**
	 * Revoke every token issued so far once this many requests have been served with a token, as a
	 * restart of FlowerDocs Core would (the next request gets a 401).
	 */
	revokeTokensAfter?: number;
}

export const FLOWERDOCS_API_USER = 'n8n';
export const FLOWERDOCS_API_PASSWORD = 'Fl0wer-S3cret!';
export const FLOWERDOCS_SCOPE = 'GEC';

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

const fdError = (code: string, message: string, status = 500): EmulatorResponse => ({ status, body: { code, message } });

export class FlowerDocsEmulator extends VendorEmulator {
	readonly server: EmulatorServer;

	readonly users = new Map<string, FlowerDocsUser>();

	readonly contextPath: string;

	tokenLifetimeSeconds: number;

	userManagement: boolean;

	/** Successful logins, in order (user and scope). */
	readonly logins: Array<{ user: string; scope: string }> = [];

	revokeTokensAfter?: number;

	/** Requests served with a valid token. */
	private authenticatedRequests = 0;

	/**
	 * A careless server: a refused login's 401 quotes the login body it received (true: as sent; a
	 * function: in the form it returns, e.g. URL-encoded or base64).
	 */
	echoLoginBodyOn401: boolean | ((body: string) => string) = false;

	/** False: an empty search answers every user (a lenient server); true (default): 400, as the page has it. */
	requireSearchText = true;

	/** The next this many requests to the user service are answered 401, whatever their token. */
	refuseNextTokens = 0;

	/** Tokens issued before this moment (epoch ms) are refused: as after a restart of Core. */
	revokedBefore = 0;

	private readonly secret = randomBytes(32);

	constructor(seed: FlowerDocsSeed = {}) {
		super();
		this.contextPath = (seed.contextPath ?? '/core').replace(/\/+$/, '');
		this.tokenLifetimeSeconds = seed.tokenLifetimeSeconds ?? 3600;
		this.userManagement = seed.userManagement ?? true;
		this.revokeTokensAfter = seed.revokeTokensAfter;
		this.addUser({
			id: FLOWERDOCS_API_USER,
			firstname: 'Connecteur',
			lastname: 'n8n',
			mail: 'n8n@mairie.example.fr',
			password: FLOWERDOCS_API_PASSWORD,
			profiles: ['ADMIN'],
			scopes: [FLOWERDOCS_SCOPE],
		});
		for (const user of seed.users ?? []) this.addUser(user);
		this.server = new EmulatorServer({
			guard: (request) => this.guard(request),
			notFound: () => ({ status: 404, body: { code: 'T00404', message: 'Not Found' } }),
		});
		this.registerRoutes();
	}

	get url(): string {
		return `${this.server.baseUrl}${this.contextPath}`;
	}

	clearLogForTest(): void {
		this.server.clearLog();
	}

	/** Refuses every token issued so far. */
	revokeTokens(): void {
		this.revokedBefore = Date.now() + 1;
	}

	addUser(user: Partial<FlowerDocsUser> & { id: string }): FlowerDocsUser {
		const created: FlowerDocsUser = {
			firstname: '',
			lastname: '',
			displayName: [user.firstname, user.lastname].filter(Boolean).join(' ') || user.id,
			mail: '',
			credentialsExpired: false,
			attributes: [],
			groups: [],
			profiles: [],
			...user,
		};
		this.users.set(created.id, created);
		return created;
	}

	issueToken(user: string, scope: string, now = Date.now()): string {
		const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
		const payload = base64url(
			JSON.stringify({
				sub: user,
				scope,
				iat: now / 1000,
				exp: now / 1000 + this.tokenLifetimeSeconds,
				jti: randomBytes(6).toString('hex'),
			}),
		);
		const signature = createHmac('sha256', this.secret).update(`${header}.${payload}`).digest('base64url');
		return `${header}.${payload}.${signature}`;
	}

	/** The claims of a valid token, or why it is refused. */
	checkToken(token: string | undefined, now = Date.now()): { sub: string; scope: string } | string {
		if (!token) return 'missing token';
		const [header, payload, signature] = token.split('.');
		if (!header || !payload || !signature) return 'malformed token';
		const expected = createHmac('sha256', this.secret).update(`${header}.${payload}`).digest('base64url');
		if (expected !== signature) return 'bad signature';
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
			sub: string;
			scope: string;
			iat: number;
			exp: number;
		};
		if (claims.exp * 1000 <= now) return 'token expired';
		if (claims.iat * 1000 < this.revokedBefore) return 'token revoked';
		return claims;
	}

	private guard(request: LoggedRequest): EmulatorResponse | undefined {
		// Outside the Core webapp (a wrong context path) and with a trailing slash: the container's 404.
		if (!request.path.startsWith(`${this.contextPath}/`) || request.path.endsWith('/')) return { status: 404, body: { code: 'T00404', message: 'Not Found' } };
		if (request.path === `${this.contextPath}/rest/authentication`) return undefined;
		if (this.revokeTokensAfter !== undefined && this.authenticatedRequests >= this.revokeTokensAfter) {
			this.revokeTokensAfter = undefined;
			this.revokeTokens();
		}
		const token = request.headers.token;
		const checked = this.checkToken(Array.isArray(token) ? token[0] : token);
		if (typeof checked === 'string') return fdError('T00401', `Unauthorized: ${checked}`, 401);
		if (this.refuseNextTokens > 0) {
			this.refuseNextTokens -= 1;
			return fdError('T00401', 'Unauthorized: token refused', 401);
		}
		this.authenticatedRequests += 1;
		if (!this.userManagement && request.path.startsWith(`${this.contextPath}/rest/users`)) {
			return { status: 405, body: { code: 'T00405', message: 'Method Not Allowed' } };
		}
		// Managing users takes the ADMIN profile: a logged-in user without it gets Core's 403 on a
		// write; reading (GET) is open to every logged-in user.
		if (
			request.path.startsWith(`${this.contextPath}/rest/users`) &&
			request.method !== 'GET' &&
			!this.users.get(checked.sub)?.profiles.includes('ADMIN')
		) {
			return fdError('T00403', `Access denied: user ${checked.sub} may not manage users`, 403);
		}
		return undefined;
	}

	private view(user: FlowerDocsUser, resolveAuthorities = true) {
		const { password: _password, scopes: _scopes, ...rest } = user;
		return resolveAuthorities ? structuredClone(rest) : { ...structuredClone(rest), groups: [], profiles: [] };
	}

	private fromBody(id: string, body: Record<string, unknown>, keepPassword?: string): FlowerDocsUser {
		const strings = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
		return {
			id,
			firstname: typeof body.firstname === 'string' ? body.firstname : '',
			lastname: typeof body.lastname === 'string' ? body.lastname : '',
			displayName: typeof body.displayName === 'string' ? body.displayName : '',
			mail: typeof body.mail === 'string' ? body.mail : '',
			credentialsExpired: body.credentialsExpired === true,
			attributes: Array.isArray(body.attributes)
				? (body.attributes as Array<Record<string, unknown>>).map((entry) => ({ name: String(entry.name), values: strings(entry.values) }))
				: [],
			groups: strings(body.groups),
			profiles: strings(body.profiles),
			// The emulator keeps a password the update leaves out: it cannot be read back, so no
			// client could send it (changing it has its own route).
			password: typeof body.password === 'string' ? body.password : keepPassword,
		};
	}

	private registerRoutes(): void {
		const s = this.server;
		const p = this.contextPath;
		const asObject = (body: unknown): Record<string, unknown> =>
			body && typeof body === 'object' ? (body as Record<string, unknown>) : {};

		s.route('POST', `${p}/rest/authentication`, (req) => {
			const { user, password, scope } = asObject(req.body);
			const account = typeof user === 'string' ? this.users.get(user) : undefined;
			if (!account || account.password !== password || typeof password !== 'string') {
				const raw = req.rawBody.toString('utf8');
				const echo = this.echoLoginBodyOn401 === true ? raw : this.echoLoginBodyOn401 ? this.echoLoginBodyOn401(raw) : undefined;
				return fdError('F00100', `Authentication failed: bad credentials${echo === undefined ? '' : ` for ${echo}`}`, 401);
			}
			if (typeof scope !== 'string' || !(account.scopes ?? [FLOWERDOCS_SCOPE]).includes(scope)) {
				return fdError('F00101', `Authentication failed: user ${account.id} has no access to scope ${String(scope)}`, 401);
			}
			this.logins.push({ user: account.id, scope });
			return { status: 200, body: { value: this.issueToken(account.id, scope) } };
		});

		s.route('GET', `${p}/rest/users/search`, (req) => {
			const given = [req.query.name, req.query.search].find((value) => typeof value === 'string' && value !== '');
			if (given === undefined && this.requireSearchText) return fdError('T00400', "Parameter 'name' is required", 400);
			const needle = String(given ?? '').toLowerCase();
			const found = [...this.users.values()].filter((user) =>
				[user.id, user.firstname, user.lastname, user.displayName].some((value) => value.toLowerCase().includes(needle)),
			);
			return { status: 200, body: found.map((user) => this.view(user)) };
		});

		s.route('GET', `${p}/rest/users/:ids`, (req, { ids }) => {
			const resolve = req.query.resolveAuthorities !== 'false';
			const list = ids.split(',');
			const missing = list.find((id) => !this.users.has(id));
			if (missing !== undefined) return fdError('F00206', `User not found: ${missing}`);
			return { status: 200, body: list.map((id) => this.view(this.users.get(id)!, resolve)) };
		});

		s.route('POST', `${p}/rest/users`, (req) => {
			const body = asObject(req.body);
			if (typeof body.id !== 'string' || body.id === '') return fdError('F00001', 'User id is mandatory');
			if (this.users.has(body.id)) return fdError('F00903', `User already exists: ${body.id}`);
			this.users.set(body.id, this.fromBody(body.id, body));
			return { status: 200 };
		});

		s.route('POST', `${p}/rest/users/:id`, (req, { id }) => {
			const current = this.users.get(id);
			if (!current) return fdError('F00012', `User does not exist: ${id}`);
			// Cancel and replace: whatever the body leaves out is cleared.
			this.users.set(id, { ...this.fromBody(id, asObject(req.body), current.password), scopes: current.scopes });
			return { status: 200 };
		});

		s.route('PUT', `${p}/rest/users/:id/password`, (req, { id }) => {
			const user = this.users.get(id);
			if (!user) return fdError('T01002', `Unknown user: ${id}`);
			const { password } = asObject(req.body);
			if (typeof password !== 'string' || password === '') return fdError('F00002', 'Password is mandatory');
			user.password = password;
			return { status: 200 };
		});

		s.route('DELETE', `${p}/rest/users/:id`, (_req, { id }) => {
			if (!this.users.delete(id)) return fdError('F00206', `User not found: ${id}`);
			return { status: 200 };
		});
	}
}

export async function startFlowerDocsEmulator(seed: FlowerDocsSeed = {}, port = 0): Promise<FlowerDocsEmulator> {
	const emulator = new FlowerDocsEmulator(seed);
	await emulator.start(port);
	return emulator;
}
