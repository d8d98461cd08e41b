/**
 * Runs many independent requests with a bounded number in flight at once: fast enough to read a
 * thousand documents in one poll, polite enough not to open a thousand connections.
 */

export type Settled<R> =
	| { ok: true; value: R }
	| { ok: false; error: unknown }
	| { ok: false; skipped: true }
	/** Started, then given up at the deadline: the server may have received and answered it. */
	| { ok: false; late: true };

export interface PoolOptions {
	/** Tasks in flight at once (at least 1). */
	concurrency: number;
	/**
	 * Asked before each new task starts; false stops starting tasks (those not started are
	 * reported as `skipped`). Lets a caller give up when the server is plainly down.
	 */
	keepGoing?: (progress: { succeeded: number; failed: number }) => boolean;
	/**
	 * Epoch milliseconds after which no task starts (`skipped`), and the tasks still running are
	 * given up (`late`: what they do later is ignored, but the server may have got them): the pool
	 * returns at that time at the latest. For a poll that must end within n8n's time budget.
	 */
	deadlineMs?: number;
}

const LATE = Symbol('late');

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
	let expired = false;
	let timer: NodeJS.Timeout | undefined;
	const deadline =
		options.deadlineMs === undefined
			? undefined
			: new Promise<typeof LATE>((resolve) => {
					timer = setTimeout(() => {
						expired = true;
						resolve(LATE);
					}, Math.max(0, options.deadlineMs! - Date.now()));
				});
	const worker = async (): Promise<void> => {
		// Each worker takes the next input until none is left: the loop ends after inputs.length turns at most.
		while (next < inputs.length && !expired) {
			if (options.keepGoing && !options.keepGoing(progress)) return;
			if (options.deadlineMs !== undefined && Date.now() >= options.deadlineMs) return;
			const index = next++;
			try {
				const running = task(inputs[index], index);
				if (deadline) running.catch(() => undefined);
				const value = deadline ? await Promise.race([running, deadline]) : await running;
				if (value === LATE) {
					results[index] = { ok: false, late: true };
					return;
				}
				results[index] = { ok: true, value: value as R };
				progress.succeeded++;
			} catch (error) {
				results[index] = { ok: false, error };
				progress.failed++;
			}
		}
	};
	const workers = Math.max(1, Math.min(Math.floor(options.concurrency) || 1, inputs.length));
	try {
		await Promise.all(Array.from({ length: workers }, async () => await worker()));
	} finally {
		clearTimeout(timer);
	}
	return results;
}
