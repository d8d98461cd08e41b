/**
 * No missing n8n symbol on either line: every value the built package (dist/) takes at run time
 * from `n8n-workflow` or `n8n-core` must be exported by the copy each n8n line ships, because
 * n8n loads community nodes against its own copy, not against the one this package is typed with.
 *
 * The exports of each line are read live from the installed n8n (scripts/get-n8n.sh) when it is
 * there; otherwise from `n8n-exports.json`, a snapshot that this test also compares with every
 * live install it finds (so `.ci/run`, which installs both lines, keeps the snapshot honest).
 * `npm run n8n:exports` rewrites the snapshot from the installs.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import type { N8nLine } from '../../scripts/lib/n8n';
import { findN8nImports, liveExports, SNAPSHOT_FILE, N8N_PACKAGES } from './n8n-imports';
import type { ExportsSnapshot } from './n8n-imports';

const root = join(__dirname, '..', '..');
const dist = join(root, 'dist');

function jsFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return jsFiles(path);
		return path.endsWith('.js') ? [path] : [];
	});
}

const snapshot = JSON.parse(readFileSync(SNAPSHOT_FILE, 'utf8')) as ExportsSnapshot;
const imports = jsFiles(dist).flatMap((file) =>
	findN8nImports(readFileSync(file, 'utf8')).map((found) => ({ ...found, file: relative(root, file) })),
);

describe('the import scan', () => {
	test('finds each use of a bound require, with its line, and flags forms it cannot follow', () => {
		const source = [
			'"use strict";',
			'const n8n_workflow_1 = require("n8n-workflow");',
			'async function wait() { await (0, n8n_workflow_1.sleepWithAbort)(10); }',
			'throw new n8n_workflow_1.NodeApiError(node, {});',
			'const core = require("n8n-core").BinaryDataService;',
			'helper(n8n_workflow_1);',
			'const { x } = require("n8n-workflow");',
		].join('\n');
		expect(findN8nImports(source)).toEqual([
			{ module: 'n8n-workflow', symbol: 'sleepWithAbort', line: 3 },
			{ module: 'n8n-workflow', symbol: 'NodeApiError', line: 4 },
			{ module: 'n8n-workflow', symbol: undefined, line: 6 },
			{ module: 'n8n-core', symbol: 'BinaryDataService', line: 5 },
			{ module: 'n8n-workflow', symbol: undefined, line: 7 },
		]);
	});
});

describe('n8n symbols the built package imports at run time', () => {
	test('the built package imports something from n8n-workflow (the scan sees the imports)', () => {
		expect(imports.filter((found) => found.module === 'n8n-workflow').length).toBeGreaterThan(10);
		// Forms the scan cannot follow (a require not bound to a name, a spread, a computed key).
		expect(imports.filter((found) => found.symbol === undefined).map((found) => `${found.file}:${found.line}`)).toEqual([]);
	});

	describe.each([1, 2] as N8nLine[])('n8n line %s', (line) => {
		test.each(N8N_PACKAGES)('every symbol taken from %s exists there', (name) => {
			const live = liveExports(line, name);
			const known = snapshot[`${line}`]?.[name];
			if (live && known) {
				// The snapshot is what `npm test` uses without an install: it must match the install.
				expect({ version: known.version, names: known.names }).toEqual(live);
			}
			const exports = new Set((live ?? known)?.names ?? []);
			expect(exports.size).toBeGreaterThan(0);
			const missing = imports
				.filter((found) => found.module === name && found.symbol && !exports.has(found.symbol))
				.map((found) => `${found.symbol} (${found.file}:${found.line})`);
			expect(missing).toEqual([]);
		});
	});
});
