/**
 * Finds the values compiled JavaScript takes from `n8n-workflow` and `n8n-core`, for the check that
 * both n8n lines export them (n8n-imports.test.ts), and writes the snapshot of each line's exports.
 *
 * TypeScript compiles `import { a } from 'n8n-workflow'` to
 * `const n8n_workflow_1 = require("n8n-workflow");` and every use to `n8n_workflow_1.a` (or
 * `(0, n8n_workflow_1.a)(...)`); type-only imports leave nothing. Any other form of require is
 * reported without a symbol, so that the check fails rather than missing it.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { installedN8n, packageOfInstall } from '../../scripts/lib/n8n';
import type { N8nLine } from '../../scripts/lib/n8n';

export const N8N_PACKAGES = ['n8n-workflow', 'n8n-core'] as const;

export const SNAPSHOT_FILE = join(__dirname, 'n8n-exports.json');

/** Per line ("1", "2"), per package: the version and its export names. */
export type ExportsSnapshot = Record<string, Record<string, { version: string; names: string[] }>>;

export interface FoundImport {
	module: string;
	/** Undefined when the require's form cannot be followed. */
	symbol?: string;
	line: number;
}

function lineOf(source: string, index: number): number {
	return source.slice(0, index).split('\n').length;
}

export function findN8nImports(source: string): FoundImport[] {
	const found: FoundImport[] = [];
	const requirePattern = /require\((["'])(n8n-workflow|n8n-core)(\/[^"']*)?\1\)/g;
	for (const match of source.matchAll(requirePattern)) {
		const module = match[2] + (match[3] ?? '');
		const before = source.slice(Math.max(0, match.index - 200), match.index);
		const after = source.slice(match.index + match[0].length, match.index + match[0].length + 1);
		const bound = /(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:__importStar\()?$/.exec(before);
		const line = lineOf(source, match.index);
		if (!bound || after === '.' || after === '[') {
			// `require("n8n-workflow").x` (a symbol right here) or a form the scan does not follow.
			const direct = /^\.([A-Za-z_$][\w$]*)/.exec(source.slice(match.index + match[0].length));
			found.push({ module, symbol: direct?.[1], line });
			continue;
		}
		const name = bound[1];
		const escaped = name.replace(/\$/g, '\\$');
		const usePattern = new RegExp(`\\b${escaped}(\\.([A-Za-z_$][\\w$]*)|\\[)?`, 'g');
		for (const use of source.matchAll(usePattern)) {
			if (use.index === bound.index + (match.index - before.length) + bound[0].indexOf(name)) continue;
			const at = use.index;
			const previous = source[at - 1];
			if (previous === '.' || /[\w$]/.test(previous ?? '')) continue;
			if (use[2]) found.push({ module, symbol: use[2], line: lineOf(source, at) });
			else found.push({ module, symbol: undefined, line: lineOf(source, at) });
		}
	}
	return found;
}

/** Export names of a line's package, read by that line's own Node from its installed n8n. */
export function liveExports(line: N8nLine, name: string): { version: string; names: string[] } | undefined {
	const install = installedN8n(line);
	if (!install) return undefined;
	const dir = packageOfInstall(install, name);
	const script = [
		`const p = require(${JSON.stringify(join(dir, 'package.json'))});`,
		`const m = require(${JSON.stringify(dir)});`,
		'console.log(JSON.stringify({ version: p.version, names: Object.keys(m).sort() }));',
	].join('\n');
	const result = spawnSync(join(install.nodeBinDir, 'node'), ['-e', script], {
		cwd: install.dir,
		encoding: 'utf8',
		timeout: 60_000,
	});
	if (result.status !== 0) throw new Error(`could not load ${name} of n8n ${install.version}: ${result.stderr}`);
	return JSON.parse(result.stdout.trim().split('\n').pop()!) as { version: string; names: string[] };
}

/** `npm run n8n:exports`: rewrites the snapshot from the installed n8n of both lines. */
if (require.main === module) {
	const snapshot: ExportsSnapshot = {};
	for (const line of [1, 2] as N8nLine[]) {
		snapshot[line] = {};
		for (const name of N8N_PACKAGES) {
			const live = liveExports(line, name);
			if (!live) throw new Error(`n8n line ${line} is not installed: run scripts/get-n8n.sh ${line}`);
			snapshot[line][name] = live;
		}
	}
	writeFileSync(SNAPSHOT_FILE, `${JSON.stringify(snapshot, null, '\t')}\n`);
	console.log(`wrote ${SNAPSHOT_FILE}`);
}
