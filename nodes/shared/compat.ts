/**
 * What the two n8n lines ship differently, provided once here so that no node imports a value
 * from `n8n-workflow` or `n8n-core` that one line lacks.
 *
 * At run time the host n8n's own `n8n-workflow` is loaded, not the one this package is typed
 * against: n8n 1.123.x ships n8n-workflow 1.120.x, n8n 2.41.x ships 2.41.x. A symbol present in
 * one and missing in the other crashes every node that reaches it on that line only.
 * `test/package/n8n-imports.test.ts` checks every runtime import of the built package against
 * both lines' exports.
 *
 * Found so far:
 * - `sleepWithAbort` is exported by n8n-workflow 1.120.x and not by 2.41.0: `sleep` below.
 */

/**
 * Waits `ms` milliseconds, or rejects as soon as `signal` aborts (the execution was cancelled).
 * The timer never outlives the wait. It is not unref'd: `n8n execute` would exit mid-wait.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) throw abortError();
	if (ms <= 0) return;
	await new Promise<void>((resolve, reject) => {
		const onAbort = () => {
			clearTimeout(timer);
			reject(abortError());
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

function abortError(): Error {
	const error = new Error('The execution was cancelled');
	error.name = 'AbortError';
	return error;
}
