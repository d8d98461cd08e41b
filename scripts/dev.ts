/**
 * `npm run dev`: a playground in real n8n. Builds and packs the package, installs it in an n8n
 * user folder (.n8n-dev/) as a community package, starts the vendor emulators, imports the
 * emulator credentials and the example workflows, starts n8n 2.x on http://127.0.0.1:5678 with an
 * owner account, and stops everything on Ctrl-C. Each step prints a line with the time since the
 * start; the first run's n8n install (scripts/get-n8n.sh) prints its own.
 *
 * n8n listens on 127.0.0.1 only, like the emulators, since the owner's password is in the README:
 * DEV_LISTEN=0.0.0.0 (or another address) opens it to the network.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { EMULATOR_CREDENTIALS, emulatorCredentials, registerCredential } from '../test/emulators/credentials';
import { apiRequest, setUpOwnerAndApiKey } from './lib/n8n-api';
import { startFastEmulator } from '../test/emulators/fast';
import type { FastEmulator } from '../test/emulators/fast';
import { SAMPLE_SIREN } from '../test/emulators/fast/sample';
import { startMaarchEmulator } from '../test/emulators/maarch';
import { MAARCH_SAMPLE } from '../test/emulators/maarch/sample';
import type { NamirialEmulator } from '../test/emulators/namirial';
import { NAMIRIAL_ADMIN_EMAIL, startNamirialEmulator } from '../test/emulators/namirial';
import { NAMIRIAL_SAMPLE } from '../test/emulators/namirial/sample';
import type { FlowerDocsEmulator } from '../test/emulators/flowerdocs';
import { FLOWERDOCS_API_USER, FLOWERDOCS_SCOPE, startFlowerDocsEmulator } from '../test/emulators/flowerdocs';
import { FLOWERDOCS_SAMPLE } from '../test/emulators/flowerdocs/sample';
import {
	ROOT,
	getN8n,
	importCredentialsAndExamples,
	n8nEnv,
	packPackage,
	prepareUserFolder,
	startN8n,
	waitForUrl,
} from './lib/n8n';

export const OWNER = {
	email: 'admin@parapheur.example',
	firstName: 'Admin',
	lastName: 'Playground',
	password: 'Parapheur-Playground-1',
};

const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
/** n8n's task broker, where its JavaScript task runner connects (n8n's default: 5679). */
const BROKER_PORT = Number(process.env.N8N_RUNNERS_BROKER_PORT ?? N8N_PORT + 1);
/** The address n8n listens on (n8n's own default is `::`, every interface). */
const LISTEN = process.env.DEV_LISTEN ?? '127.0.0.1';
const MAARCH_PORT = Number(process.env.MAARCH_PORT ?? 8701);
const FAST_PORT = Number(process.env.FAST_PORT ?? 8702);
const NAMIRIAL_PORT = Number(process.env.NAMIRIAL_PORT ?? 8703);
const FLOWERDOCS_PORT = Number(process.env.FLOWERDOCS_PORT ?? 8704);
/**
 * Uploaded documents move one state along this often: slowly enough to watch them move, fast
 * enough for the signature story (5 moves; it reads the status every 4 s, 20 times at most).
 */
const FAST_ADVANCE_MS = Number(process.env.FAST_ADVANCE_MS ?? 10_000);

const STARTED = Date.now();

/** One progress line: `[dev 1:05] text`, the time since `npm run dev` started. */
function step(text: string): void {
	const seconds = Math.round((Date.now() - STARTED) / 1000);
	console.log(`[dev ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}] ${text}`);
}

/** The address to reach n8n at from this machine, for a listen address. */
function localHost(listen: string): string {
	if (['0.0.0.0', '::', '127.0.0.1', 'localhost', ''].includes(listen)) return '127.0.0.1';
	return listen.includes(':') ? `[${listen}]` : listen;
}

/** Creates the owner account on a new instance (a no-op once it exists). */
export async function setUpOwner(baseUrl: string): Promise<void> {
	const response = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(OWNER),
	});
	if (!response.ok && response.status !== 400) {
		throw new Error(`owner setup failed: HTTP ${response.status} ${await response.text()}`);
	}
}

async function main() {
	step('building and packing n8n-nodes-parapheur (npm run build, npm pack)');
	const tarball = packPackage();
	const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'n8n-nodes-parapheur');
	step(`getting n8n 2.x and Node 24 from ${cache} (a first run installs them there, once: about 5 minutes)`);
	const install = getN8n(2);
	const userFolder = join(ROOT, '.n8n-dev');
	mkdirSync(userFolder, { recursive: true });
	step('installing the package into .n8n-dev/.n8n/nodes, as n8n installs community packages');
	prepareUserFolder(tarball, userFolder);

	step('starting the vendor emulators (Maarch Courrier, FAST Parapheur, Trust and Sign, FlowerDocs)');
	const maarch = await startMaarchEmulator(structuredClone(MAARCH_SAMPLE), MAARCH_PORT);
	let fast: FastEmulator;
	let namirial: NamirialEmulator;
	try {
		fast = await startFastEmulator({ port: FAST_PORT, autoAdvanceMs: FAST_ADVANCE_MS });
	} catch (error) {
		await maarch.close();
		throw error;
	}
	try {
		namirial = await startNamirialEmulator(structuredClone(NAMIRIAL_SAMPLE), NAMIRIAL_PORT);
	} catch (error) {
		await Promise.all([maarch.close(), fast.close()]);
		throw error;
	}
	let flowerdocs: FlowerDocsEmulator;
	try {
		flowerdocs = await startFlowerDocsEmulator(structuredClone(FLOWERDOCS_SAMPLE), FLOWERDOCS_PORT);
	} catch (error) {
		await Promise.all([maarch.close(), fast.close(), namirial.close()]);
		throw error;
	}
	const env = n8nEnv(install, userFolder, {
		N8N_PORT: String(N8N_PORT),
		N8N_LISTEN_ADDRESS: LISTEN,
		N8N_RUNNERS_BROKER_PORT: String(BROKER_PORT),
		N8N_LOG_LEVEL: 'info',
	});
	step('importing the emulator credentials and the example workflows (n8n import:credentials, import:workflow)');
	// The FAST credential carries this process's test PKI (client certificate, CA): the same one
	// the emulator serves with. A new PKI is made at each start and the credential re-imported.
	const baseUrl = `http://${localHost(LISTEN)}:${N8N_PORT}`;
	await importCredentialsAndExamples(install, env, [
		...emulatorCredentials({ maarchUrl: maarch.url, fast: { url: fast.url, pki: fast.pki }, namirialUrl: namirial.url, flowerdocsUrl: flowerdocs.url }),
		registerCredential(`${baseUrl}/api/v1`),
	]);

	const loopback = LISTEN === 'localhost' || LISTEN === '::1' || LISTEN.startsWith('127.');
	step(
		`starting n8n ${install.version} on ${LISTEN}, port ${N8N_PORT}` +
			(loopback
				? ' (this machine only; DEV_LISTEN=0.0.0.0 opens it to the network)'
				: ' (DEV_LISTEN): open to the network, whose users can sign in with the password printed below'),
	);
	let n8n: ChildProcess | undefined = startN8n(install, env);
	let stopped = false;
	n8n.stdout?.pipe(process.stdout);
	n8n.stderr?.pipe(process.stderr);
	n8n.on('exit', () => {
		stopped = true;
	});
	const stop = async (code: number) => {
		if (n8n && !stopped) {
			const child = n8n;
			child.kill('SIGTERM');
			await new Promise((resolve) => {
				const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
				child.once('exit', () => {
					clearTimeout(timer);
					resolve(undefined);
				});
			});
		}
		n8n = undefined;
		await Promise.all([maarch.close(), fast.close(), namirial.close(), flowerdocs.close()]);
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	try {
		// /healthz answers before the REST routes are registered; /rest/settings answers once they are.
		await waitForUrl(`${baseUrl}/rest/settings`, 180_000, () => stopped);
		await setUpOwner(baseUrl);
		// The register templates' credential gets an API key of this n8n (made for the owner).
		const api = await setUpOwnerAndApiKey(baseUrl, OWNER);
		const patched = await apiRequest(api.apiBaseUrl, api.apiKey, 'PATCH', `/credentials/${EMULATOR_CREDENTIALS.parapheurRegisterApi.id}`, {
			data: { apiKey: api.apiKey, url: api.apiBaseUrl },
		});
		if (patched.status !== 200) throw new Error(`setting the register credential's API key failed: HTTP ${patched.status}`);
	} catch (error) {
		console.error((error as Error).message);
		await stop(1);
	}

	step('n8n is ready');
	console.log(`
n8n ${install.version} is running with n8n-nodes-parapheur: ${baseUrl}
  Sign in:  ${OWNER.email} / ${OWNER.password}
  Examples: Workflows > "Maarch Courrier: ..." (credential "Maarch Courrier (emulator)")
            Workflows > "FAST Parapheur: ..." (credential "FAST Parapheur (emulator)"; the register
            templates also use "Parapheur Register (this n8n)", an API key of this n8n)
            Workflows > "Trust and Sign: ..." (credential "Namirial Trust and Sign (emulator)")
            Workflows > "FlowerDocs: ..." (credential "FlowerDocs (emulator)")
  Maarch Courrier emulator: ${maarch.url} (login ws_n8n)
  Trust and Sign emulator:  ${namirial.url} (admin ${NAMIRIAL_ADMIN_EMAIL})
  FlowerDocs emulator:      ${flowerdocs.url} (user ${FLOWERDOCS_API_USER}, scope ${FLOWERDOCS_SCOPE})
  FAST Parapheur emulator:  ${fast.url} (SIREN ${SAMPLE_SIREN}, test client certificate; uploaded
                            documents move one state along every ${FAST_ADVANCE_MS / 1000} s)
Ctrl-C stops n8n and the emulators.`);
}

if (require.main === module) {
	main().catch((error: Error) => {
		console.error(error.message);
		process.exit(1);
	});
}
