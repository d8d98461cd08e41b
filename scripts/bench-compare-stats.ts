/**
 * What `npm run bench:compare` measures per run, its statistics over the runs of a variant, and
 * the markdown it prints (the table and the notes that go into BENCHMARKS.md).
 */

export const MB = 1024 * 1024;

export interface RunResult {
	ok: boolean;
	problems: string[];
	/** From sending the request until the answer (the webhook's, or the activation's for the trigger). */
	wallMs: number;
	/** The execution's stoppedAt - startedAt; for the trigger's poll, the emulator's span (see crossCheckKind). */
	crossCheckMs?: number;
	/** executionTime n8n recorded for the compared node(s), summed. */
	nodeMs?: number;
	requests: number;
	rssGrowthBytes: number;
	rssSamples: number;
}

export interface VariantResult {
	label: string;
	ours: boolean;
	runs: RunResult[];
}

export interface RowResult {
	key: string;
	title: string;
	variants: VariantResult[];
	/** What the cross-check column holds for this row's ours variants, when not the execution's times. */
	crossCheckNote?: string;
	notes: string[];
	/** Set when the row could not run at all. */
	error?: string;
}

export function median(values: number[]): number | undefined {
	if (values.length === 0) return undefined;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function seconds(ms: number | undefined): string {
	if (ms === undefined) return '–';
	const s = ms / 1000;
	return s >= 100 ? s.toFixed(0) : s >= 10 ? s.toFixed(1) : s.toFixed(2);
}

function megabytes(bytes: number | undefined): string {
	if (bytes === undefined) return '–';
	const mb = bytes / MB;
	return `${mb >= 0 ? '+' : ''}${Math.abs(mb) >= 100 ? mb.toFixed(0) : mb.toFixed(1)}`;
}

function range(values: number[]): string {
	if (values.length === 0) return '–';
	const low = Math.min(...values);
	const high = Math.max(...values);
	return low === high ? String(low) : `${low}–${high}`;
}

export interface VariantStats {
	okRuns: RunResult[];
	failed: number;
	medianMs?: number;
	minMs?: number;
}

export function variantStats(variant: VariantResult): VariantStats {
	const okRuns = variant.runs.filter((run) => run.ok);
	const walls = okRuns.map((run) => run.wallMs);
	return { okRuns, failed: variant.runs.length - okRuns.length, medianMs: median(walls), minMs: walls.length ? Math.min(...walls) : undefined };
}

const HEADER = ['Row', 'Variant', 'Runs', 'Median s', 'Min s', 'n8n s', 'Node s', 'Requests', 'Peak RSS growth MB (median / max)', 'Ours / HTTP'];

/** The results table in markdown, one line per row and variant. */
export function markdownTable(rows: RowResult[]): string {
	const lines = [`| ${HEADER.join(' | ')} |`, `|${HEADER.map((_, index) => (index < 2 ? '---' : '---:')).join('|')}|`];
	for (const row of rows) {
		if (row.error) {
			lines.push(`| ${row.title} | – | 0 | – | – | – | – | – | – | not run: ${row.error.replace(/\|/g, '/').slice(0, 200)} |`);
			continue;
		}
		const http = row.variants.find((variant) => !variant.ours);
		const httpMedian = http ? variantStats(http).medianMs : undefined;
		for (const [index, variant] of row.variants.entries()) {
			const stats = variantStats(variant);
			const runs = stats.okRuns;
			const growth = runs.map((run) => run.rssGrowthBytes);
			const crossChecks = runs.map((run) => run.crossCheckMs).filter((value): value is number => value !== undefined);
			const nodeTimes = runs.map((run) => run.nodeMs).filter((value): value is number => value !== undefined);
			const ratio =
				variant.ours && stats.medianMs !== undefined && httpMedian !== undefined && httpMedian > 0 ? (stats.medianMs / httpMedian).toFixed(2) : '–';
			const crossCheck = crossChecks.length ? `${seconds(median(crossChecks))}${variant.ours && row.crossCheckNote ? ' †' : ''}` : '–';
			lines.push(
				`| ${index === 0 ? row.title : ''} | ${variant.label} | ${runs.length}${stats.failed ? ` (+${stats.failed} failed)` : ''} | ${seconds(stats.medianMs)} | ${seconds(stats.minMs)} | ${crossCheck} | ${nodeTimes.length ? seconds(median(nodeTimes)) : '–'} | ${range(runs.map((run) => run.requests))} | ${growth.length ? `${megabytes(median(growth))} / ${megabytes(Math.max(...growth))}` : '–'} | ${ratio} |`,
			);
		}
	}
	return lines.join('\n');
}

/** The failed runs, one line each, for after the table. */
export function failures(rows: RowResult[]): string[] {
	const lines: string[] = [];
	for (const row of rows) {
		if (row.error) lines.push(`${row.title}: not run: ${row.error}`);
		for (const variant of row.variants) {
			variant.runs.forEach((run, index) => {
				if (!run.ok) lines.push(`${row.title}, ${variant.label}, run ${index + 1}: ${run.problems.join('; ')}`);
			});
		}
	}
	return lines;
}
