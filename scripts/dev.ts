/**
 * `npm run dev`: a playground in real n8n. Builds and packs the package, installs it in an n8n
 * user folder (.n8n-dev/) as a community package, starts the vendor emulators, imports the
 * emulator credentials and the example workflows, starts n8n 2.x on http://localhost:5678 with an
 * owner account, and stops everything on Ctrl-C.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { emulatorCredentials } from '../test/emulators/credentials';
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
const MAARCH_PORT = Number(process.env.MAARCH_PORT ?? 8701);
const FAST_PORT = Number(process.env.FAST_PORT ?? 8702);
const NAMIRIAL_PORT = Number(process.env.NAMIRIAL_PORT ?? 8703);
const FLOWERDOCS_PORT = Number(process.env.FLOWERDOCS_PORT ?? 8704);
/**
 * Uploaded documents move one state along this often: slowly enough to watch them move, fast
 * enough for the signature story (5 moves; it reads the status every 4 s, 20 times at most).
 */
const FAST_ADVANCE_MS = Number(process.env.FAST_ADVANCE_MS ?? 10_000);

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
	console.log('Packing the package and getting n8n 2.x (the first run installs it: a few minutes)...');
	const tarball = packPackage();
	const install = getN8n(2);
	const userFolder = join(ROOT, '.n8n-dev');
	mkdirSync(userFolder, { recursive: true });
	prepareUserFolder(tarball, userFolder);

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
	const env = n8nEnv(install, userFolder, { N8N_PORT: String(N8N_PORT), N8N_LOG_LEVEL: 'info' });
	// The FAST credential carries this process's test PKI (client certificate, CA): the same one
	// the emulator serves with. A new PKI is made at each start and the credential re-imported.
	await importCredentialsAndExamples(install, env, emulatorCredentials({ maarchUrl: maarch.url, fast: { url: fast.url, pki: fast.pki }, namirialUrl: namirial.url, flowerdocsUrl: flowerdocs.url }));

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

	const baseUrl = `http://localhost:${N8N_PORT}`;
	try {
		// /healthz answers before the REST routes are registered; /rest/settings answers once they are.
		await waitForUrl(`${baseUrl}/rest/settings`, 180_000, () => stopped);
		await setUpOwner(baseUrl);
	} catch (error) {
		console.error((error as Error).message);
		await stop(1);
	}

	console.log(`
n8n ${install.version} is running with n8n-nodes-parapheur: ${baseUrl}
  Sign in:  ${OWNER.email} / ${OWNER.password}
  Examples: Workflows > "Maarch Courrier: ..." (credential "Maarch Courrier (emulator)")
            Workflows > "FAST Parapheur: ..." (credential "FAST Parapheur (emulator)")
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
