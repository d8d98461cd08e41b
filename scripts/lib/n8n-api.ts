/**
 * n8n's REST for the end-to-end suite: the owner account of a fresh instance and a public-API key
 * (what a user does once in the editor: Settings > n8n API > Create an API key), then calls to the
 * public API (`/api/v1`) with that key.
 *
 * Checked against n8n 2.41.1 (dist/controllers/owner.controller.js, auth.controller.js,
 * api-keys.controller.js; @n8n/api-types dto/api-keys; @n8n/permissions public-api-permissions.ee.js):
 *   POST /rest/owner/setup { email, firstName, lastName, password }   (400 once an owner exists)
 *   POST /rest/login { emailOrLdapLoginId, password }                 -> the `n8n-auth` cookie
 *   GET  /rest/api-keys/scopes                                        -> the scopes the UI offers the user
 *   POST /rest/api-keys { label, scopes, expiresAt: null }            -> { rawApiKey, ... }
 * The public API takes the key in the `X-N8N-API-KEY` header.
 */

const REQUEST_TIMEOUT_MS = 60_000;
const READY_TIMEOUT_MS = 120_000;

export const TEST_OWNER = {
	email: 'owner@parapheur.example',
	firstName: 'Queue',
	lastName: 'Owner',
	password: 'Parapheur-Owner-1',
};

/** Scope families the tests rely on: the key must carry every scope n8n offers in each. */
const REQUIRED_SCOPE_PREFIXES = ['workflow:', 'execution:', 'dataTable:', 'dataTableRow:'];

export interface RestAnswer {
	status: number;
	json: unknown;
	text: string;
	cookie?: string;
}

/** One call to n8n's own REST API (`/rest/...`), JSON in and out; `cookie` is the session's, and the answer's new one comes back. */
export async function rest(baseUrl: string, method: string, path: string, body?: unknown, cookie?: string): Promise<RestAnswer> {
	const response = await fetch(`${baseUrl}${path}`, {
		method,
		headers: {
			accept: 'application/json',
			'content-type': 'application/json',
			// n8n ties its auth cookie to a browser id when one is sent; send the same one on every call.
			'browser-id': 'n8n-parapheur-e2e',
			...(cookie ? { cookie } : {}),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
		signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
	});
	const auth = response.headers
		.getSetCookie()
		.map((value) => value.split(';')[0])
		.find((value) => value.startsWith('n8n-auth='));
	const text = await response.text();
	let json: unknown;
	try {
		json = JSON.parse(text) as unknown;
	} catch {
		json = undefined;
	}
	return { status: response.status, json, text, cookie: auth };
}

/** `{ data: X }` (n8n's REST envelope) -> X. */
function unwrap<T>(json: unknown): T {
	return ((json as { data?: unknown } | undefined)?.data ?? json) as T;
}

/**
 * Waits (bounded) until the REST API answers JSON: /healthz answers before the REST routes exist,
 * and during migrations every path gets a 200 "n8n is starting up" page.
 */
async function waitForRest(baseUrl: string): Promise<void> {
	const deadline = Date.now() + READY_TIMEOUT_MS;
	let last = '';
	while (Date.now() < deadline) {
		try {
			const settings = await rest(baseUrl, 'GET', '/rest/settings');
			if (settings.status === 200 && settings.json !== undefined) return;
			last = `HTTP ${settings.status}`;
		} catch (error) {
			last = (error as Error).message;
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`n8n's REST API at ${baseUrl} did not answer within ${READY_TIMEOUT_MS / 1000} s (${last})`);
}

/**
 * Sets up the owner of a fresh n8n (or logs in if it has one with TEST_OWNER's password), and
 * creates a public-API key with every scope n8n offers the owner. Returns the raw key.
 */
export async function setUpOwnerAndApiKey(
	baseUrl: string,
	owner: { email: string; password: string; firstName: string; lastName: string } = TEST_OWNER,
): Promise<{ apiKey: string; apiBaseUrl: string; cookie: string }> {
	await waitForRest(baseUrl);
	const setup = await rest(baseUrl, 'POST', '/rest/owner/setup', owner);
	if (setup.status !== 200 && setup.status !== 400) throw new Error(`owner setup failed: HTTP ${setup.status} ${setup.text.slice(0, 300)}`);
	const login = await rest(baseUrl, 'POST', '/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
	if (login.status !== 200 || !login.cookie) throw new Error(`login failed: HTTP ${login.status} ${login.text.slice(0, 300)}`);
	const cookie = login.cookie;
	const offered = await rest(baseUrl, 'GET', '/rest/api-keys/scopes', undefined, cookie);
	if (offered.status !== 200) throw new Error(`GET /rest/api-keys/scopes failed: HTTP ${offered.status} ${offered.text.slice(0, 300)}`);
	const scopes = unwrap<string[]>(offered.json);
	const missing = REQUIRED_SCOPE_PREFIXES.filter((prefix) => !scopes.some((scope) => scope.startsWith(prefix)));
	if (missing.length) throw new Error(`n8n offers no ${missing.join(', ')} scopes for API keys (offered: ${scopes.join(', ')})`);
	const created = await rest(baseUrl, 'POST', '/rest/api-keys', { label: `e2e ${new Date().toISOString()}`, scopes, expiresAt: null }, cookie);
	if (created.status !== 200) throw new Error(`POST /rest/api-keys failed: HTTP ${created.status} ${created.text.slice(0, 300)}`);
	const apiKey = unwrap<{ rawApiKey?: string }>(created.json).rawApiKey;
	if (!apiKey) throw new Error(`POST /rest/api-keys returned no rawApiKey: ${created.text.slice(0, 300)}`);
	return { apiKey, apiBaseUrl: `${baseUrl}/api/v1`, cookie };
}

/** One call to n8n's public API with an API key; the body is parsed JSON when it is JSON, else text. */
export async function apiRequest(
	apiBaseUrl: string,
	apiKey: string,
	method: string,
	path: string,
	body?: unknown,
): Promise<{ status: number; body: any }> {
	const response = await fetch(`${apiBaseUrl}${path}`, {
		method,
		headers: {
			accept: 'application/json',
			'X-N8N-API-KEY': apiKey,
			...(body === undefined ? {} : { 'content-type': 'application/json' }),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
		signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
	});
	const text = await response.text();
	let parsed: unknown = text;
	try {
		parsed = text ? (JSON.parse(text) as unknown) : undefined;
	} catch {
		// not JSON: keep the text
	}
	return { status: response.status, body: parsed };
}
