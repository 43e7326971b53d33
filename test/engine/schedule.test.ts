import { backoffDelayMs, decideRetry, DEFAULT_RETRY_POLICY, parseRetryAfterMs } from '../../nodes/shared/retry';
import { estimateRemainingMs, nextPollDelayMs } from '../../nodes/shared/schedule';
import { doc } from './fakes';

const policy = DEFAULT_RETRY_POLICY;

describe('retry decisions', () => {
	it('backs off exponentially with jitter between half and the full step, capped', () => {
		expect(backoffDelayMs(1, policy, () => 0)).toBe(500);
		expect(backoffDelayMs(1, policy, () => 1)).toBe(1000);
		expect(backoffDelayMs(3, policy, () => 0.5)).toBe(3000);
		expect(backoffDelayMs(20, policy, () => 1)).toBe(policy.maxDelayMs);
	});

	it('honours Retry-After in seconds and as an HTTP date', () => {
		const now = Date.parse('2026-11-22T05:30:00Z');
		expect(parseRetryAfterMs('3', now)).toBe(3000);
		expect(parseRetryAfterMs(['1.5'], now)).toBe(1500);
		expect(parseRetryAfterMs('Sun, 22 Nov 2026 05:30:10 GMT', now)).toBe(10_000);
		expect(parseRetryAfterMs('Sun, 22 Nov 2026 05:29:10 GMT', now)).toBe(0);
		expect(parseRetryAfterMs('soon', now)).toBeNull();
		expect(parseRetryAfterMs(undefined, now)).toBeNull();
	});

	it('retries only what is retryable, a bounded number of times', () => {
		expect(decideRetry(1, false, null, policy)).toEqual({ retry: false });
		expect(decideRetry(1, true, 2000, policy)).toEqual({ retry: true, delayMs: 2000 });
		expect(decideRetry(policy.maxAttempts - 1, true, null, policy, () => 0)).toEqual({ retry: true, delayMs: 4000 });
		expect(decideRetry(policy.maxAttempts, true, null, policy)).toEqual({ retry: false });
	});

	it('gives up at once when the vendor asks to come back later than the policy allows', () => {
		expect(decideRetry(1, true, policy.maxRetryAfterMs + 1, policy)).toEqual({ retry: false });
	});
});

describe('next poll delay', () => {
	it('is the interval when nothing says completion is far off', () => {
		expect(nextPollDelayMs(5000, [])).toBe(5000);
		expect(nextPollDelayMs(5000, [30_000, null])).toBe(5000);
	});

	it('stretches to the soonest expected completion, but never past 60 s', () => {
		expect(nextPollDelayMs(5000, [30_000, 20_000])).toBe(20_000);
		expect(nextPollDelayMs(5000, [600_000])).toBe(60_000);
		expect(nextPollDelayMs(5000, [1000])).toBe(5000);
	});

	it('keeps a longer interval as its ceiling and honours a vendor backoff', () => {
		expect(nextPollDelayMs(90_000, [600_000])).toBe(90_000);
		expect(nextPollDelayMs(5000, [], 12_000)).toBe(12_000);
		expect(nextPollDelayMs(5000, [], 600_000)).toBe(60_000);
	});

	it('estimates the time left from the vendor estimate or from the progress rate', () => {
		expect(estimateRemainingMs(doc('a', 'processing', { remainingSeconds: 42 }), undefined, 0)).toBe(42_000);
		const climbing = doc('a', 'processing', { progress: 60 });
		// 40 points in 10 s leaves 10 s at that rate; half of it is the estimate.
		expect(estimateRemainingMs(climbing, { progress: 20, at: 0 }, 10_000)).toBe(5000);
		expect(estimateRemainingMs(climbing, { progress: 60, at: 0 }, 10_000)).toBeNull();
		expect(estimateRemainingMs(climbing, undefined, 10_000)).toBeNull();
		expect(estimateRemainingMs(doc('a', 'queued'), { progress: 0, at: 0 }, 10_000)).toBeNull();
	});
});
