import type { IHttpRequestOptions } from 'n8n-workflow';

import { VendorClient } from '../../nodes/shared/client';
import { VendorRequestError } from '../../nodes/shared/errors';
import type { NodeContext, WatchTarget } from '../../nodes/shared/vendor';
import { ItemFailure, watchDocuments } from '../../nodes/shared/watch';
import { chunkingAdapter as chunkingAdapterOf, SimulatedClock, testSpec } from './fakes';

/**
 * What an execution may spend: one retry sequence per failed call (not one per item), no call
 * past the wait's timeout, and no work left running once the execution has failed.
 */

const spec = testSpec({ name: 'coze' });

interface Call {
	url: string;
	at: number;
	timeout: number | undefined;
	body: unknown;
}

type Reply = { statusCode: number; headers?: Record<string, string>; body: string } | 'hang';

/**
 * A client over a scripted vendor. `reply` decides each answer from the call; 'hang' answers
 * nothing until the call's own HTTP timeout, as a vendor that never answers.
 */
function scriptedClient(clock: SimulatedClock, reply: (call: Call) => Reply, callMs = 0) {
	const calls: Call[] = [];
	const ctx = {
		getCredentials: async () => ({}),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				const call = { url: options.url, at: clock.now(), timeout: options.timeout, body: options.body };
				calls.push(call);
				const answer = reply(call);
				if (answer === 'hang') {
					await clock.sleep(options.timeout ?? 0, options.abortSignal as AbortSignal | undefined);
					throw Object.assign(new Error('timeout exceeded'), { httpCode: 'ECONNABORTED' });
				}
				if (callMs > 0) await clock.sleep(callMs, options.abortSignal as AbortSignal | undefined);
				return { headers: {}, ...answer };
			},
		},
	} as unknown as NodeContext;
	return { client: new VendorClient(ctx, spec, clock, undefined, undefined, () => 0), calls };
}

function idsTarget(scopeKey: string, documentIds: string[]): WatchTarget {
	return { scopeKey, knowledgeBaseId: scopeKey, jobId: null, documentIds, wholeKnowledgeBase: false };
}

/** Asks about ids in calls of 10, one after the other, as a chunking vendor does. */
const chunkingAdapter = chunkingAdapterOf(spec);

const ids = (count: number) => Array.from({ length: count }, (_, i) => `d${i}`);
const single = (itemIndex: number, target: WatchTarget) => ({ itemIndex, target, pollIntervalMs: 1000, timeoutMs: null, notFoundGraceMs: 0 });

describe('an outage costs one retry sequence', () => {
	it('fails every item that shares a call at once, after one sequence of attempts', async () => {
		const clock = new SimulatedClock(0);
		const { client, calls } = scriptedClient(clock, () => ({ statusCode: 503, body: 'Service Unavailable' }));
		const requests = [0, 1, 2, 3].map((i) => single(i, idsTarget('ds', [`d${i}`])));

		const results = await watchDocuments(chunkingAdapter, client, requests, { clock, failFast: false });

		expect(calls).toHaveLength(5); // one call, retried up to the policy's 5 attempts
		for (const result of results) {
			expect(result.error).toBeInstanceOf(VendorRequestError);
			expect((result.error as VendorRequestError).failure.httpStatus).toBe(503);
		}
	});

	it('still asks item by item when the vendor rejects what one item asked for', async () => {
		const clock = new SimulatedClock(0);
		const { client, calls } = scriptedClient(clock, (call) =>
			(call.body as string).includes('bad') ? { statusCode: 400, body: 'invalid document id' } : { statusCode: 200, body: '{}' },
		);
		const requests = [single(0, idsTarget('ds', ['good'])), single(1, idsTarget('ds', ['bad']))];

		const results = await watchDocuments(chunkingAdapter, client, requests, { clock, failFast: false });

		expect(calls.map((c) => c.body)).toEqual(['["good","bad"]', '["good"]', '["bad"]']);
		expect(results[0].error).toBeUndefined();
		expect((results[1].error as VendorRequestError).failure.httpStatus).toBe(400);
	});

	it('stops the other scopes at the first failure, calls in flight and retry sleeps included', async () => {
		const clock = new SimulatedClock(0);
		const { client, calls } = scriptedClient(clock, (call) =>
			call.url.endsWith('/missing')
				? { statusCode: 404, body: 'no such dataset' }
				: { statusCode: 429, headers: { 'retry-after': '100' }, body: 'slow down' },
		);
		// The throttled scope is asked first; the failing one answers once it is.
		const requests = [single(0, idsTarget('busy', ['a'])), single(1, idsTarget('missing', ['z']))];

		const watching = watchDocuments(chunkingAdapter, client, requests, { clock, failFast: true });

		await expect(watching).rejects.toBeInstanceOf(ItemFailure);
		await expect(watching).rejects.toMatchObject({ itemIndex: 1 });
		// Without the stop, the throttled scope would sleep through four Retry-Afters of 100 s.
		expect(clock.now()).toBeLessThan(100_000);
		expect(calls.filter((c) => c.url.endsWith('/busy'))).toHaveLength(1);
	});
});

describe('a wait ends at its timeout', () => {
	const wait = (target: WatchTarget, timeoutMs: number) => ({ itemIndex: 0, target, pollIntervalMs: 1000, timeoutMs, notFoundGraceMs: 0 });

	it('starts no further chunk once the timeout has passed', async () => {
		const clock = new SimulatedClock(0);
		// Each call takes a second; 60 ids are 6 calls.
		const { client, calls } = scriptedClient(clock, () => ({ statusCode: 200, body: '{}' }), 1000);

		const [result] = await watchDocuments(chunkingAdapter, client, [wait(idsTarget('ds', ids(60)), 2000)], {
			clock,
			failFast: true,
		});

		expect(result.timedOut).toBe(true);
		// The deadline (2 s) plus the tolerance for a last look (1 s): no call starts after it.
		expect(Math.max(...calls.map((c) => c.at))).toBeLessThan(3000);
		expect(calls.length).toBeLessThan(6);
		expect(clock.now()).toBeLessThanOrEqual(4000);
	});

	it('cuts the HTTP timeout of a call at the time left, so a silent vendor cannot hold the wait', async () => {
		const clock = new SimulatedClock(0);
		const { client, calls } = scriptedClient(clock, () => 'hang');

		const [result] = await watchDocuments(chunkingAdapter, client, [wait(idsTarget('ds', ['a']), 2000)], {
			clock,
			failFast: true,
		});

		expect(result.timedOut).toBe(true);
		expect(calls[0].timeout).toBeLessThanOrEqual(3000);
		// Returned within 2 s of the timeout, though the vendor never answered.
		expect(clock.now()).toBeLessThanOrEqual(4000);
		// The call was cut by the wait's own timeout: the wait timed out, it did not fail.
		expect(result.error).toBeUndefined();
		expect(result.documents).toMatchObject([{ documentId: 'a', status: 'unknown', terminal: false }]);
	});

	it('gives a single look the full HTTP timeout', async () => {
		const clock = new SimulatedClock(0);
		const { client, calls } = scriptedClient(clock, () => ({ statusCode: 200, body: '{}' }));
		await watchDocuments(chunkingAdapter, client, [single(0, idsTarget('ds', ['a']))], { clock, failFast: true });
		expect(calls[0].timeout).toBe(30_000);
	});
});
