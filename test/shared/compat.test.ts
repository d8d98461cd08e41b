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
		const signal = { aborted: false, addEventListener: jest.fn(), removeEventListener: jest.fn() };
		await sleep(10, signal as unknown as AbortSignal);
		expect(signal.addEventListener).toHaveBeenCalledTimes(1);
		expect(signal.removeEventListener).toHaveBeenCalledWith('abort', signal.addEventListener.mock.calls[0][1]);
	});
});
