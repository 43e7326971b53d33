import { ExecutionCancelledError, realClock, untilAborted } from '../../nodes/shared/clock';

describe('realClock', () => {
	it('sleeps for the time asked', async () => {
		const started = Date.now();
		await realClock.sleep(120);
		expect(Date.now() - started).toBeGreaterThanOrEqual(110);
	});

	it('ends a long sleep as soon as the execution is cancelled, not at the end of its slice', async () => {
		// With timers that never fire, the sleep can only end through the cancel.
		jest.useFakeTimers();
		try {
			const controller = new AbortController();
			const sleeping = realClock.sleep(10_000, controller.signal);
			controller.abort();
			await expect(sleeping).rejects.toBeInstanceOf(ExecutionCancelledError);
		} finally {
			jest.useRealTimers();
		}
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
