import { sleep } from 'n8n-workflow';

/** Time as the engine sees it. Nodes use the real clock; engine tests use a simulated one. */
export interface Clock {
	now(): number;
	/** Resolves after `ms`, or rejects with ExecutionCancelledError soon after `signal` aborts. */
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export class ExecutionCancelledError extends Error {
	constructor() {
		// n8n marks an execution "canceled" when the error that ended it says so, in its spelling.
		super('The execution was canceled');
	}
}

/** Longest single sleep, so that a cancelled execution stops within about a second. */
const SLICE_MS = 1000;

/**
 * Sleeps in short slices with n8n-workflow's `sleep(ms)`, the one form every n8n version has
 * (newer versions dropped `sleepWithAbort`). A cancel ends the sleep at once, not at the end of
 * the slice: the node must return promptly when the user stops the execution.
 */
export const realClock: Clock = {
	now: () => Date.now(),
	async sleep(ms: number, signal?: AbortSignal) {
		const until = Date.now() + ms;
		throwIfCancelled(signal);
		for (let left = ms; left > 0; left = until - Date.now()) {
			await untilAborted(sleep(Math.min(left, SLICE_MS)), signal);
			throwIfCancelled(signal);
		}
	},
};

/** Waits for `promise`, or for `signal` to abort, whichever comes first. */
export async function untilAborted(promise: Promise<void>, signal?: AbortSignal): Promise<void> {
	if (!signal) return await promise;
	if (signal.aborted) return;
	let onAbort: () => void = () => {};
	const aborted = new Promise<void>((resolve) => {
		onAbort = resolve;
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		await Promise.race([promise, aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}

export function throwIfCancelled(signal?: AbortSignal): void {
	if (signal?.aborted) throw new ExecutionCancelledError();
}
