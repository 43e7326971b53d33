/**
 * When to try a vendor call again, and how long to wait first. Pure functions, so the schedule
 * is tested without a network.
 */

export interface RetryPolicy {
	/** Calls in all, the first one included. */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** A Retry-After longer than this is not waited out: the call fails with the vendor's answer. */
	maxRetryAfterMs: number;
	/** How long one call may wait for its answer before it counts as a (retryable) timeout. */
	requestTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 5,
	baseDelayMs: 1000,
	maxDelayMs: 30_000,
	maxRetryAfterMs: 120_000,
	requestTimeoutMs: 30_000,
};

/**
 * Exponential backoff with "equal jitter": half of the exponential step is fixed, the other half
 * random, so that many clients that failed together do not come back together.
 * `failures` is how many calls have failed so far (1 after the first failure).
 */
export function backoffDelayMs(
	failures: number,
	policy: RetryPolicy,
	random: () => number = Math.random,
): number {
	const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1));
	return Math.round(step / 2 + random() * (step / 2));
}

/** Retry-After as delta seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfterMs(value: unknown, nowMs: number): number | null {
	if (Array.isArray(value)) value = value[0];
	if (typeof value !== 'string' && typeof value !== 'number') return null;
	const text = String(value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	if (Number.isNaN(date)) return null;
	return Math.max(0, date - nowMs);
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/**
 * The decision after a failed call. A vendor's Retry-After wins over the computed backoff (it is
 * the vendor's own word on when to come back), unless it asks for longer than the policy allows.
 */
export function decideRetry(
	failures: number,
	retryable: boolean,
	retryAfterMs: number | null,
	policy: RetryPolicy,
	random: () => number = Math.random,
): RetryDecision {
	if (!retryable || failures >= policy.maxAttempts) return { retry: false };
	if (retryAfterMs !== null) {
		if (retryAfterMs > policy.maxRetryAfterMs) return { retry: false };
		return { retry: true, delayMs: retryAfterMs };
	}
	return { retry: true, delayMs: backoffDelayMs(failures, policy, random) };
}

/** Socket-level failures that a later attempt can get past. */
const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

export function isRetryableNetworkCode(code: string | null): boolean {
	return code !== null && RETRYABLE_NETWORK_CODES.has(code);
}
