import { ExecutionCancelledError, realClock, untilAborted } from '../../nodes/shared/clock';

describe('realClock', () => {
	it('sleeps for the time asked', async () => {
		const started = Date.now();
		await realClock.sleep(120);
		expect(Date.now() - started).toBeGreaterThanOrEqual(110);
	});

	it('ends a long sleep as soon as the execution is cancelled, not at the end of its slice', async () => {
		const controller = new AbortController();
		const started = Date.now();
		setTimeout(() => controller.abort(), 50);
		await expect(realClock.sleep(10_000, controller.signal)).rejects.toBeInstanceOf(ExecutionCancelledError);
		// A slice is 1 s long: the sleep ended well before its slice did.
		expect(Date.now() - started).toBeLessThan(400);
	});

	it('throws at once when the execution was cancelled before the sleep', async () => {
		const controller = new AbortController();
		controller.abort();
		await expect(realClock.sleep(10_000, controller.signal)).rejects.toBeInstanceOf(ExecutionCancelledError);
	});
});

describe('untilAborted', () => {
	it('leaves no listener on the signal once the promise has settled', async () => {
		const controller = new AbortController();
		const added: unknown[] = [];
		const removed: unknown[] = [];
		const signal = controller.signal;
		const add = signal.addEventListener.bind(signal);
		const remove = signal.removeEventListener.bind(signal);
		signal.addEventListener = ((type: string, listener: never, options?: never) => {
			added.push(listener);
			add(type, listener, options);
		}) as typeof signal.addEventListener;
		signal.removeEventListener = ((type: string, listener: never) => {
			removed.push(listener);
			remove(type, listener);
		}) as typeof signal.removeEventListener;
		for (let i = 0; i < 3; i++) await untilAborted(Promise.resolve(), signal);
		expect(added).toHaveLength(3);
		expect(removed).toEqual(added);
	});
});
