/**
 * The helpers that stand in for what one n8n line lacks (nodes/shared/compat.ts).
 */
import { sleep } from '../../nodes/shared/compat';

describe('sleep (n8n-workflow 2.x has no sleepWithAbort)', () => {
	test('waits the time asked', async () => {
		const started = Date.now();
		await sleep(120);
		expect(Date.now() - started).toBeGreaterThanOrEqual(110);
	});

	test('rejects as soon as the signal aborts, and at once when it already has', async () => {
		const controller = new AbortController();
		const started = Date.now();
		setTimeout(() => controller.abort(), 50);
		await expect(sleep(10_000, controller.signal)).rejects.toThrow('The execution was cancelled');
		expect(Date.now() - started).toBeLessThan(1000);
		await expect(sleep(10_000, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
	});

	test('leaves no listener on the signal after a completed wait', async () => {
		const controller = new AbortController();
		const added: unknown[] = [];
		const removed: unknown[] = [];
		const signal = controller.signal;
		const add = signal.addEventListener.bind(signal);
		const remove = signal.removeEventListener.bind(signal);
		signal.addEventListener = ((type: string, listener: unknown, options?: unknown) => {
			added.push(listener);
			add(type, listener as EventListener, options as AddEventListenerOptions);
		}) as typeof signal.addEventListener;
		signal.removeEventListener = ((type: string, listener: unknown) => {
			removed.push(listener);
			remove(type, listener as EventListener);
		}) as typeof signal.removeEventListener;
		await sleep(10, signal);
		expect(removed).toEqual(added);
	});
});
