/**
 * Jest runs the suites against the n8n libraries of one n8n line:
 * - by default (`npm test`, Node 20), the n8n-workflow / n8n-core 1.x of devDependencies;
 * - with N8N_TEST_N8N_DIR set to an installed n8n (`npm run test:n8n2`, on that n8n's Node 24),
 *   the n8n-workflow / n8n-core that this n8n ships, which is what community nodes load there.
 * @type {import('jest').Config}
 */
const { existsSync } = require('node:fs');
const { join } = require('node:path');

/** The folder of `name` as the installed n8n resolves it (nested first, then hoisted). */
function packageOfInstall(installDir, name) {
	for (const dir of [join(installDir, 'node_modules', 'n8n', 'node_modules', name), join(installDir, 'node_modules', name)]) {
		if (existsSync(join(dir, 'package.json'))) return dir;
	}
	throw new Error(`${installDir} has no ${name}`);
}

const installDir = process.env.N8N_TEST_N8N_DIR;
const moduleNameMapper = {};
if (installDir) {
	for (const name of ['n8n-workflow', 'n8n-core']) {
		const dir = packageOfInstall(installDir, name);
		moduleNameMapper[`^${name}$`] = dir;
		moduleNameMapper[`^${name}/(.*)$`] = `${dir}/$1`;
	}
}

module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	setupFiles: ['<rootDir>/test/harness/setup-env.ts'],
	setupFilesAfterEnv: ['<rootDir>/test/harness/teardown.ts'],
	transform: {
		// Type checking is done once by `npm run typecheck`; tests only transpile.
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	moduleNameMapper,
	testTimeout: 60_000,
};
