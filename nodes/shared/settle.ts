export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Waits for a promise and reports how it ended instead of throwing, for callers that answer a
 * failure (a 404 that means "not found", a dropped socket to retry) rather than pass it on.
 */
export async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
	return await promise.then(
		(value): Settled<T> => ({ ok: true, value }),
		(error: unknown): Settled<T> => ({ ok: false, error }),
	);
}
