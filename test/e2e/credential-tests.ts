/**
 * The end-to-end suite's credential chapter: the Test button of each of the package's credentials,
 * in a running n8n, through its own REST API (what the editor calls: `POST /rest/credentials/test`
 * with `{ credentials: { id, name, type, data } }`, for a credential saved first with
 * `POST /rest/credentials`: both lines look the stored one up by id).
 *
 * For each credential, against fresh emulators: a good secret (OK), a wrong password (for FAST, a
 * certificate from another CA), a missing right (the emulator answers 403; for FAST also a SIREN the
 * account may not use) and a wrong URL (a path that answers 404). Each case asserts the status,
 * the package's own message (never n8n's generic texts) and how many requests reached the emulator.
 *
 * n8n listens on 127.0.0.1:<port> (and <port + 1> for the task runners' broker), the emulators on
 * random ports of 127.0.0.1. Every wait is bounded. Nothing printed holds a secret: failure details
 * are redacted of every password and key the cases use.
 */

import { describeLoginFailure } from '../../credentials/FlowerDocsApi.credentials';
import { FLOWERDOCS_TEST_MESSAGES } from '../../nodes/FlowerDocs/methods/credentialTest';
import { MAARCH_TEST_MESSAGES } from '../../nodes/MaarchCourrier/methods/credentialTest';
import { NAMIRIAL_TEST_MESSAGES } from '../../nodes/NamirialTrustAndSign/methods/credentialTest';
import { REGISTER_TEST_MESSAGES } from '../../nodes/FastParapheur/methods/registerTest';
import type { N8nInstall } from '../../scripts/lib/n8n';
import { startN8n, stopN8n } from '../../scripts/lib/n8n';
import type { RestAnswer } from '../../scripts/lib/n8n-api';
import { rest } from '../../scripts/lib/n8n-api';
import { emulatorCredentials } from '../emulators/credentials';
import type { FastEmulator } from '../emulators/fast';
import { FAST_API_PREFIX, getTestPki, startFastEmulator } from '../emulators/fast';
import { FOREIGN_SIREN, SAMPLE_SIREN } from '../emulators/fast/sample';
import type { FlowerDocsEmulator } from '../emulators/flowerdocs';
import { FLOWERDOCS_API_USER, FLOWERDOCS_SCOPE, startFlowerDocsEmulator } from '../emulators/flowerdocs';
import { FLOWERDOCS_SAMPLE } from '../emulators/flowerdocs/sample';
import type { MaarchEmulator } from '../emulators/maarch';
import { MAARCH_API_LOGIN, startMaarchEmulator } from '../emulators/maarch';
import { MAARCH_SAMPLE } from '../emulators/maarch/sample';
import type { NamirialEmulator } from '../emulators/namirial';
import { NAMIRIAL_ADMIN_EMAIL, startNamirialEmulator } from '../emulators/namirial';
import { NAMIRIAL_SAMPLE } from '../emulators/namirial/sample';

const OWNER = {
	email: 'credential-tests@parapheur.example',
	firstName: 'Credential',
	lastName: 'Tests',
	password: 'Credential-Tests-1',
};

/** What n8n shows when it has no message of the package: none of these may come back. */
const N8N_GENERIC_TEXTS = [
	/^Authorization failed - please check your credentials$/,
	/^Forbidden - perhaps check your credentials\?$/,
	/^The resource you are requesting could not be found$/,
	/^Connection successful!$/,
	/^Received HTTP status code: \d+$/,
	/^(Unauthorized|Forbidden|Not Found|Method Not Allowed)$/,
	/^No testing function found for this credential\.$/,
	/^Request failed with status code \d+$/,
];

const N8N_START_TIMEOUT_MS = 180_000;

interface Emulators {
	maarch: MaarchEmulator;
	fast: FastEmulator;
	namirial: NamirialEmulator;
	flowerdocs: FlowerDocsEmulator;
}

interface CredentialCase {
	credential: 'maarchCourrierApi' | 'namirialTrustAndSignApi' | 'flowerDocsApi' | 'fastParapheurApi' | 'parapheurRegisterApi';
	name: string;
	/** Changes to the saved (good) data for this Test. */
	data?: Record<string, unknown>;
	/** Puts the emulator in the state of the case; returns what puts it back. */
	arrange?: () => () => void;
	status: 'OK' | 'Error';
	message: string | RegExp;
	/** Requests the emulator must have received during the Test (the register's server is n8n itself: not counted). */
	requests?: number;
}

function emulatorOf(emulators: Emulators, credential: CredentialCase['credential']) {
	return {
		maarchCourrierApi: emulators.maarch,
		namirialTrustAndSignApi: emulators.namirial,
		flowerDocsApi: emulators.flowerdocs,
		fastParapheurApi: emulators.fast,
		parapheurRegisterApi: undefined,
	}[credential];
}

/**
 * The register credential's Test against the n8n that runs it: on 2.x a key made for the chapter
 * (OK) and a wrong one (401); on 1.x, whose public API has no Data Tables, the message that says
 * the register needs n8n 2.x.
 */
function registerCases(line: 1 | 2, apiUrl: string): CredentialCase[] {
	if (line === 1) {
		return [{ credential: 'parapheurRegisterApi', name: 'n8n 1.x: no Data Table API', status: 'Error', message: REGISTER_TEST_MESSAGES[404](`${apiUrl}/data-tables`) }];
	}
	return [
		{ credential: 'parapheurRegisterApi', name: 'good key', status: 'OK', message: REGISTER_TEST_MESSAGES.ok },
		{ credential: 'parapheurRegisterApi', name: 'wrong key', data: { apiKey: 'n8n-api-key-that-does-not-exist' }, status: 'Error', message: REGISTER_TEST_MESSAGES[401] },
		{ credential: 'parapheurRegisterApi', name: 'wrong URL (404)', data: { url: `${apiUrl.replace(/\/api\/v1$/, '')}/elsewhere/api/v1` }, status: 'Error', message: /^No Data Table API at / },
	];
}

function cases(emulators: Emulators): CredentialCase[] {
	const { maarch, fast, namirial, flowerdocs } = emulators;
	const pki = getTestPki();
	const flowerdocsElsewhere = flowerdocs.url.replace(/\/core$/, '/flower-docs-ws');
	return [
		{ credential: 'maarchCourrierApi', name: 'good secret', status: 'OK', message: MAARCH_TEST_MESSAGES.ok(MAARCH_API_LOGIN), requests: 1 },
		{ credential: 'maarchCourrierApi', name: 'wrong password', data: { password: 'Wrong-Passw0rd!' }, status: 'Error', message: MAARCH_TEST_MESSAGES[401], requests: 1 },
		{
			credential: 'maarchCourrierApi',
			name: 'missing right (403)',
			arrange: () => {
				const account = maarch.findByLogin(MAARCH_API_LOGIN)!;
				account.canManageUsers = false;
				return () => (account.canManageUsers = true);
			},
			status: 'Error',
			message: MAARCH_TEST_MESSAGES[403],
			requests: 1,
		},
		{ credential: 'maarchCourrierApi', name: 'wrong URL (404)', data: { url: `${maarch.url}/elsewhere` }, status: 'Error', message: MAARCH_TEST_MESSAGES[404], requests: 1 },

		{ credential: 'namirialTrustAndSignApi', name: 'good secret', status: 'OK', message: NAMIRIAL_TEST_MESSAGES.ok(NAMIRIAL_ADMIN_EMAIL), requests: 1 },
		{ credential: 'namirialTrustAndSignApi', name: 'wrong password', data: { password: 'Wrong-Passw0rd!' }, status: 'Error', message: NAMIRIAL_TEST_MESSAGES[401], requests: 1 },
		{
			credential: 'namirialTrustAndSignApi',
			name: 'missing right (403)',
			arrange: () => {
				const admin = namirial.operator(NAMIRIAL_ADMIN_EMAIL)!;
				const before = admin.authorizations;
				admin.authorizations = ['VALIDATION'];
				return () => (admin.authorizations = before);
			},
			status: 'Error',
			message: NAMIRIAL_TEST_MESSAGES[403],
			requests: 1,
		},
		{ credential: 'namirialTrustAndSignApi', name: 'wrong URL (404)', data: { url: `${namirial.url}/ekeynox` }, status: 'Error', message: NAMIRIAL_TEST_MESSAGES[404], requests: 1 },

		{ credential: 'flowerDocsApi', name: 'good secret', status: 'OK', message: FLOWERDOCS_TEST_MESSAGES.ok(FLOWERDOCS_API_USER, FLOWERDOCS_SCOPE), requests: 2 },
		{
			credential: 'flowerDocsApi',
			name: 'wrong password',
			data: { password: 'Wrong-Passw0rd!' },
			status: 'Error',
			message: describeLoginFailure(401, { message: 'Authentication failed: bad credentials' }, { user: FLOWERDOCS_API_USER, scope: FLOWERDOCS_SCOPE }, `${flowerdocs.url}/rest/authentication`),
			requests: 1,
		},
		{
			credential: 'flowerDocsApi',
			name: 'no right to manage users (no ADMIN profile)',
			arrange: () => {
				const user = flowerdocs.users.get(FLOWERDOCS_API_USER)!;
				const before = user.profiles;
				user.profiles = ['AllUsers'];
				return () => (user.profiles = before);
			},
			status: 'Error',
			message: FLOWERDOCS_TEST_MESSAGES.noAdmin(FLOWERDOCS_API_USER, FLOWERDOCS_SCOPE, ['AllUsers']),
			requests: 2,
		},
		{
			credential: 'flowerDocsApi',
			name: 'wrong URL (404)',
			data: { url: flowerdocsElsewhere },
			status: 'Error',
			message: describeLoginFailure(404, undefined, {}, `${flowerdocsElsewhere}/rest/authentication`),
			requests: 1,
		},

		{ credential: 'fastParapheurApi', name: 'good secret', status: 'OK', message: `Connection successful: the certificate is accepted and SIREN ${SAMPLE_SIREN} is reachable`, requests: 1 },
		{
			credential: 'fastParapheurApi',
			name: 'wrong certificate (another CA)',
			data: { pfx: pki.otherCaClientPfxBase64 },
			status: 'Error',
			// Node's TLS 1.3 server closes the connection without an alert (test/fast/certificate.test.ts).
			message: /^FAST Parapheur closed the connection right after the TLS handshake, without answering: it most likely refused the client certificate\. A server that checks the client certificate/,
			requests: 0,
		},
		{
			credential: 'fastParapheurApi',
			name: 'missing right (403)',
			arrange: () => {
				fast.injectFault({ status: 403, body: '<html><body><h1>403 Forbidden</h1></body></html>', headers: { 'content-type': 'text/html' } }, 1, {
					path: `${FAST_API_PREFIX}/documents/v2/${SAMPLE_SIREN}/ack/remaining`,
				});
				return () => fast.clearFaults();
			},
			status: 'Error',
			message:
				"FAST Parapheur refused this action for the credential's account (HTTP 403). Give the account the rights this operation needs, or use another account.",
			requests: 1,
		},
		{
			credential: 'fastParapheurApi',
			name: 'missing right (SIREN, code 100)',
			data: { siren: FOREIGN_SIREN },
			status: 'Error',
			message: new RegExp(`^The certificate's account is not allowed to work in SIREN ${FOREIGN_SIREN}, or FAST Parapheur does not know the certificate's account at all \\(code 100\\)\\. Check the SIREN`),
			requests: 1,
		},
		{
			credential: 'fastParapheurApi',
			name: 'wrong URL (404)',
			data: { host: `${fast.url}/parapheur-wrong` },
			status: 'Error',
			message:
				"FAST Parapheur has no such resource (HTTP 404). No FAST Parapheur API at this address: check the 'Host or URL' in the credential (the node adds /parapheur-ws/rest/v1).",
			requests: 1,
		},
	];
}

async function startEmulators(): Promise<Emulators> {
	const started: Array<{ close(): Promise<void> }> = [];
	try {
		const maarch = await startMaarchEmulator(structuredClone(MAARCH_SAMPLE));
		started.push(maarch);
		const fast = await startFastEmulator({});
		started.push(fast);
		const namirial = await startNamirialEmulator(structuredClone(NAMIRIAL_SAMPLE));
		started.push(namirial);
		const flowerdocs = await startFlowerDocsEmulator(structuredClone(FLOWERDOCS_SAMPLE));
		return { maarch, fast, namirial, flowerdocs };
	} catch (error) {
		await Promise.all(started.map(async (emulator) => await emulator.close()));
		throw error;
	}
}

/** The REST API of a running n8n, logged in as the owner. */
class N8nRest {
	private cookie = '';

	constructor(private readonly baseUrl: string) {}

	async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<RestAnswer> {
		const answer = await rest(this.baseUrl, method, path, body, this.cookie || undefined);
		if (answer.cookie) this.cookie = answer.cookie;
		return answer;
	}

	/**
	 * Waits until the REST API answers JSON: /healthz answers before the REST routes exist, and
	 * during migrations every path gets a 200 "n8n is starting up" page.
	 */
	async waitUntilReady(timeoutMs: number, isStopped: () => boolean): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (isStopped()) throw new Error('n8n stopped while starting');
			try {
				const settings = await this.call('GET', '/rest/settings');
				if (settings.status === 200 && settings.json !== undefined) return;
			} catch {
				// not listening yet
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		throw new Error(`n8n's REST API did not answer within ${timeoutMs / 1000} s`);
	}

	/** A public-API key of the logged-in owner with every scope n8n offers it (n8n 2.x). */
	async apiKey(): Promise<string> {
		const offered = await this.call('GET', '/rest/api-keys/scopes');
		if (offered.status !== 200) throw new Error(`GET /rest/api-keys/scopes: HTTP ${offered.status} ${offered.text.slice(0, 300)}`);
		const created = await this.call('POST', '/rest/api-keys', { label: 'credential tests', scopes: unwrap<string[]>(offered.json), expiresAt: null });
		const key = unwrap<{ rawApiKey?: string }>(created.json)?.rawApiKey;
		if (created.status !== 200 || !key) throw new Error(`POST /rest/api-keys: HTTP ${created.status} ${created.text.slice(0, 300)}`);
		return key;
	}

	/** Owner setup on a new instance (400 once it exists), then a login. */
	async logIn(): Promise<void> {
		const setup = await this.call('POST', '/rest/owner/setup', OWNER);
		if (setup.status !== 200 && setup.status !== 400) throw new Error(`owner setup failed: HTTP ${setup.status} ${setup.text.slice(0, 300)}`);
		const login = await this.call('POST', '/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
		if (login.status !== 200 || !this.cookie) throw new Error(`login failed: HTTP ${login.status} ${login.text.slice(0, 300)}`);
	}
}

/** `{ data: X }` (n8n's REST envelope) -> X. */
function unwrap<T>(json: unknown): T {
	return ((json as { data?: unknown } | undefined)?.data ?? json) as T;
}

function redactor(values: unknown[]): (text: string) => string {
	const secrets = values.filter((value): value is string => typeof value === 'string' && value.length >= 6);
	return (text) => secrets.reduce((result, secret) => result.split(secret).join('[redacted]'), text);
}

/**
 * Runs every credential case in a real n8n started from `env` (its user folder must hold the
 * installed package), on 127.0.0.1:`port`. Prints one PASS/FAIL line per case; returns the number
 * of failed cases (a failure to start counts as one per case).
 */
export async function checkCredentialTests(install: N8nInstall, env: NodeJS.ProcessEnv, port: number): Promise<number> {
	const emulators = await startEmulators();
	const apiUrl = `http://127.0.0.1:${port}/api/v1`;
	const all = [...cases(emulators), ...registerCases(install.line, apiUrl)];
	const register = { type: 'parapheurRegisterApi', name: 'Parapheur Register', data: { apiKey: 'set-once-n8n-runs', url: apiUrl } };
	const saved = [
		...emulatorCredentials({
			maarchUrl: emulators.maarch.url,
			fast: { url: emulators.fast.url, pki: getTestPki() },
			namirialUrl: emulators.namirial.url,
			flowerdocsUrl: emulators.flowerdocs.url,
		}),
		register,
	];
	// Built at each use: the register's API key exists only once n8n runs.
	const redact = (text: string) =>
		redactor([...saved.flatMap((credential) => Object.values(credential.data)), ...all.flatMap((entry) => Object.values(entry.data ?? {}))])(text);
	// The emulators are on 127.0.0.1: a proxy of the host must not carry the Tests' requests there.
	const noProxy = [env.NO_PROXY ?? env.no_proxy, '127.0.0.1', 'localhost'].filter(Boolean).join(',');
	const n8n = startN8n(install, {
		...env,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(port + 1),
		NO_PROXY: noProxy,
		no_proxy: noProxy,
	});
	let output = '';
	n8n.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
	n8n.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
	let exited = false;
	n8n.on('exit', () => (exited = true));
	const label = (entry: CredentialCase) => `credential ${entry.credential} ${entry.name}`;
	let failures = 0;
	try {
		const rest = new N8nRest(`http://127.0.0.1:${port}`);
		try {
			await rest.waitUntilReady(N8N_START_TIMEOUT_MS, () => exited);
			await rest.logIn();
			if (install.line === 2) register.data.apiKey = await rest.apiKey();
		} catch (error) {
			console.log(`FAIL  n8n ${install.version.padEnd(9)} credential tests: n8n did not start: ${(error as Error).message}`);
			console.log(output.split('\n').slice(-30).map((line) => `      | ${redact(line)}`).join('\n'));
			return all.length;
		}
		const ids: Record<string, string> = {};
		try {
			for (const credential of saved) {
				const created = await rest.call('POST', '/rest/credentials', { name: `${credential.name} (Test)`, type: credential.type, data: credential.data });
				const id = unwrap<{ id?: string }>(created.json)?.id;
				if (created.status !== 200 || !id) throw new Error(`saving the ${credential.type} credential failed: HTTP ${created.status} ${redact(created.text.slice(0, 300))}`);
				ids[credential.type] = id;
			}
		} catch (error) {
			console.log(`FAIL  n8n ${install.version.padEnd(9)} credential tests: ${redact((error as Error).message)}`);
			return all.length;
		}
		for (const entry of all) {
			const started = Date.now();
			const credential = saved.find((candidate) => candidate.type === entry.credential)!;
			const emulator = emulatorOf(emulators, entry.credential);
			const restore = entry.arrange?.();
			const before = emulator?.log.length ?? 0;
			const problems: string[] = [];
			try {
				const answer = await rest.call('POST', '/rest/credentials/test', {
					credentials: { id: ids[entry.credential], name: `${credential.name} (Test)`, type: entry.credential, data: { ...credential.data, ...entry.data } },
				});
				const result = unwrap<{ status?: string; message?: string }>(answer.json);
				const message = String(result?.message ?? '');
				if (answer.status !== 200) problems.push(`HTTP ${answer.status}: ${redact(answer.text.slice(0, 300))}`);
				if (result?.status !== entry.status) problems.push(`status ${String(result?.status)}, expected ${entry.status}`);
				const expected = typeof entry.message === 'string' ? message === entry.message : entry.message.test(message);
				if (!expected) problems.push(`message ${JSON.stringify(redact(message))}, expected ${typeof entry.message === 'string' ? JSON.stringify(entry.message) : String(entry.message)}`);
				if (N8N_GENERIC_TEXTS.some((pattern) => pattern.test(message))) problems.push("n8n's generic text instead of the package's message");
				const requests = emulator ? emulator.log.length - before : undefined;
				if (requests !== entry.requests) problems.push(`${requests} request(s) reached the emulator, expected ${entry.requests}`);
			} catch (error) {
				problems.push(`the Test call failed: ${redact((error as Error).message)}`);
			} finally {
				restore?.();
			}
			const seconds = ((Date.now() - started) / 1000).toFixed(1);
			console.log(`${problems.length ? 'FAIL' : 'PASS'}  n8n ${install.version.padEnd(9)} ${label(entry).padEnd(60)} ${seconds} s`);
			for (const problem of problems) console.log(`      ${problem}`);
			if (problems.length) failures++;
		}
		return failures;
	} finally {
		await stopN8n(n8n, () => exited);
		await Promise.all([emulators.maarch.close(), emulators.fast.close(), emulators.namirial.close(), emulators.flowerdocs.close()]);
	}
}
