/**
 * `npm run test:n8n2`: the jest suites again, on Node 24, against the n8n-workflow and n8n-core
 * that n8n 2.x ships (installed and cached by scripts/get-n8n.sh on first use), which is what
 * the nodes load at run time there. `npm test` runs the same suites on Node 20 against the 1.x
 * libraries of devDependencies. Arguments are passed to jest (e.g. a test path).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { ROOT, getN8n } from './lib/n8n';

const install = getN8n(2);
console.log(`jest on Node 24 with the libraries of n8n ${install.version} (${install.dir})`);
const result = spawnSync(join(install.nodeBinDir, 'node'), [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), ...process.argv.slice(2)], {
	cwd: ROOT,
	stdio: 'inherit',
	env: { ...process.env, PATH: `${install.nodeBinDir}:${process.env.PATH ?? ''}`, N8N_TEST_N8N_DIR: install.dir },
});
process.exit(result.status ?? 1);
