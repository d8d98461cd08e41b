/**
 * The hostile-input catalogue: table-driven cases across the four nodes and the trigger, each
 * asserting the message a user gets and what the emulator received (nothing, or exactly the
 * intended route and body), and that no secret reached any output, error or log line.
 *
 * Each file under test/catalogue/ registers its cases with `entry`; each file prints its count
 * per category when it ends, and `npm run catalogue` prints the total.
 */
import { basename } from 'node:path';

import type { RunResult } from '../harness';
import { everyText } from '../harness';

export type Category = 'path' | 'answer' | 'input' | 'secret' | 'lockout' | 'tls';

const counts = new Map<Category, number>();
let file = '';

/** One catalogue case: a jest test named `[category] name`, counted. */
export function entry(category: Category, name: string, run: () => Promise<void>, timeoutMs?: number): void {
	counts.set(category, (counts.get(category) ?? 0) + 1);
	file ||= basename(expect.getState().testPath ?? 'catalogue');
	test(`[${category}] ${name}`, run, timeoutMs);
}

afterAll(() => {
	const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
	const parts = [...counts.entries()].map(([category, count]) => `${category} ${count}`).join(', ');
	// The line `npm run catalogue` adds up.
	console.log(`catalogue ${file}: ${total} cases (${parts})`);
});

/** Every secret, in every form it could take, is absent from everything the run produced. */
export function expectNoSecret(run: RunResult, secrets: readonly string[], logs: readonly string[] = []): void {
	const text = [everyText(run), ...logs].join('\n');
	const forms = secrets.flatMap((secret) => [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), Buffer.from(secret).toString('base64')]);
	for (const form of forms) expect(text).not.toContain(form);
}
