/**
 * Runs many independent requests with a bounded number in flight at once: fast enough to read a
 * thousand documents in one poll, polite enough not to open a thousand connections.
 */

export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown } | { ok: false; skipped: true };

export interface PoolOptions {
	/** Tasks in flight at once (at least 1). */
	concurrency: number;
	/**
	 * Asked before each new task starts; false stops starting tasks (those not started are
	 * reported as `skipped`). Lets a caller give up when the server is plainly down.
	 */
	keepGoing?: (progress: { succeeded: number; failed: number }) => boolean;
}

/**
 * Calls `task` for every input, at most `concurrency` at a time, and returns one result per
 * input, in input order. A task's failure is returned, not thrown: the others go on.
 */
export async function settleWithConcurrency<T, R>(
	inputs: readonly T[],
	task: (input: T, index: number) => Promise<R>,
	options: PoolOptions,
): Promise<Array<Settled<R>>> {
	const results: Array<Settled<R>> = inputs.map(() => ({ ok: false, skipped: true }));
	const progress = { succeeded: 0, failed: 0 };
	let next = 0;
	const worker = async (): Promise<void> => {
		// Each worker takes the next input until none is left: the loop ends after inputs.length turns at most.
		while (next < inputs.length) {
			if (options.keepGoing && !options.keepGoing(progress)) return;
			const index = next++;
			try {
				results[index] = { ok: true, value: await task(inputs[index], index) };
				progress.succeeded++;
			} catch (error) {
				results[index] = { ok: false, error };
				progress.failed++;
			}
		}
	};
	const workers = Math.max(1, Math.min(Math.floor(options.concurrency) || 1, inputs.length));
	await Promise.all(Array.from({ length: workers }, async () => await worker()));
	return results;
}
