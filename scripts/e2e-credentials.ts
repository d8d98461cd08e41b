/**
 * The credential chapter of the end-to-end suite on its own (test/e2e/credential-tests.ts): packs
 * the package, installs it into a fresh n8n user folder per line and runs every credential's Test in
 * real n8n (1.123.81 on Node 20, 2.41.1 on Node 24).
 *
 *   npx ts-node --transpile-only scripts/e2e-credentials.ts
 *   N8N_LINES=1 npx ts-node --transpile-only scripts/e2e-credentials.ts
 *   E2E_CREDENTIALS_PORT=5698   n8n's port (and the next one for its task runner broker)
 */
import type { N8nLine } from './lib/n8n';
import { getN8n, n8nEnv, packPackage, prepareUserFolder } from './lib/n8n';
import { checkCredentialTests } from '../test/e2e/credential-tests';

async function main() {
	const started = Date.now();
	const lines = (process.env.N8N_LINES ?? '1,2').split(',').map((line) => Number(line.trim()) as N8nLine);
	const port = Number(process.env.E2E_CREDENTIALS_PORT ?? 5698);
	const tarball = packPackage();
	let failures = 0;
	for (const line of lines) {
		const install = getN8n(line);
		const env = n8nEnv(install, prepareUserFolder(tarball));
		failures += await checkCredentialTests(install, env, port);
	}
	const seconds = ((Date.now() - started) / 1000).toFixed(0);
	console.log(failures ? `${failures} credential case(s) failed (${seconds} s)` : `All credential cases passed (${seconds} s)`);
	process.exit(failures ? 1 : 0);
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
