import { VendorClient } from '../../nodes/shared/client';
import { VendorRequestError } from '../../nodes/shared/errors';
import type { NodeContext, StatusAdapter, WatchTarget } from '../../nodes/shared/vendor';
import type { WatchRequest } from '../../nodes/shared/watch';
import { ItemFailure, watchDocuments } from '../../nodes/shared/watch';
import { doc, scriptedAdapter, SimulatedClock, testProgress, testSpec } from './fakes';

const spec = testSpec();

// The scripted adapters never send a request; the client only carries the schedule's hints.
const client = new VendorClient({} as NodeContext, spec, new SimulatedClock());

function idsTarget(scopeKey: string, documentIds: string[]): WatchTarget {
	return { scopeKey, knowledgeBaseId: 'kb', jobId: null, documentIds, wholeKnowledgeBase: false };
}

function request(itemIndex: number, target: WatchTarget, overrides: Partial<WatchRequest<WatchTarget>> = {}) {
	return { itemIndex, target, pollIntervalMs: 5000, timeoutMs: 600_000, notFoundGraceMs: 0, ...overrides };
}

describe('watchDocuments', () => {
	it('looks once for a single look and reports what it saw', async () => {
		const clock = new SimulatedClock();
		const { adapter, calls } = scriptedAdapter({ a: ['processing'], b: ['completed'] });
		const [result] = await watchDocuments(adapter, client, [request(0, idsTarget('ds', ['a', 'b']), { timeoutMs: null })], {
			clock,
			failFast: true,
		});
		expect(calls).toHaveLength(1);
		expect(clock.sleeps).toEqual([]);
		expect(result.documents.map((d) => d.status)).toEqual(['processing', 'completed']);
		expect(result).toMatchObject({ polls: 1, timedOut: false });
	});

	it('polls only unfinished documents, at the interval, until all are terminal', async () => {
		const clock = new SimulatedClock();
		const { adapter, calls } = scriptedAdapter({
			a: ['completed'],
			b: ['queued', 'processing', 'completed'],
			c: ['processing', 'failed'],
		});
		const [result] = await watchDocuments(adapter, client, [request(0, idsTarget('ds', ['a', 'b', 'c']))], {
			clock,
			failFast: true,
		});
		expect(calls.map((c) => c.ids)).toEqual([['a', 'b', 'c'], ['b', 'c'], ['b']]);
		expect(clock.sleeps).toEqual([5000, 5000]);
		expect(result.documents.map((d) => [d.documentId, d.status])).toEqual([
			['a', 'completed'],
			['b', 'completed'],
			['c', 'failed'],
		]);
		expect(result).toMatchObject({ polls: 3, waitedSeconds: 10, timedOut: false });
	});

	it('fetches items that share a scope together, once per round', async () => {
		const clock = new SimulatedClock();
		const { adapter, calls } = scriptedAdapter({ a: ['processing', 'completed'], b: ['completed'], c: ['processing', 'completed'] });
		const results = await watchDocuments(
			adapter,
			client,
			[request(0, idsTarget('ds', ['a', 'b'])), request(1, idsTarget('ds', ['b', 'c']))],
			{ clock, failFast: true },
		);
		expect(calls.map((c) => c.ids)).toEqual([['a', 'b', 'c'], ['a', 'c']]);
		expect(results.map((r) => r.documents.map((d) => d.documentId))).toEqual([['a', 'b'], ['b', 'c']]);
		expect(results.every((r) => r.documents.every((d) => d.status === 'completed'))).toBe(true);
	});

	it('times out at the deadline with the last statuses', async () => {
		const clock = new SimulatedClock();
		const { adapter, calls } = scriptedAdapter({ a: ['processing'] });
		const [result] = await watchDocuments(
			adapter,
			client,
			[request(0, idsTarget('ds', ['a']), { timeoutMs: 12_000 })],
			{ clock, failFast: true },
		);
		// Polls at 0, 5 and 10 s; a look at 12 s would come sooner than the interval allows.
		expect(clock.sleeps).toEqual([5000, 5000, 2000]);
		expect(calls).toHaveLength(3);
		expect(result).toMatchObject({ timedOut: true, polls: 3, waitedSeconds: 12 });
		expect(result.documents[0].status).toBe('processing');
	});

	it('takes a last look at the deadline when a stretched wait would pass it', async () => {
		const clock = new SimulatedClock();
		const { adapter, calls } = scriptedAdapter({ a: [{ status: 'processing', remainingSeconds: 50 }] });
		const [result] = await watchDocuments(
			adapter,
			client,
			[request(0, idsTarget('ds', ['a']), { timeoutMs: 20_000 })],
			{ clock, failFast: true },
		);
		expect(clock.sleeps).toEqual([20_000]);
		expect(calls).toHaveLength(2);
		expect(result).toMatchObject({ timedOut: true, polls: 2, waitedSeconds: 20 });
	});

	it('never polls sooner than the interval, even to look at the deadline', async () => {
		const clock = new SimulatedClock();
		const { adapter, calls } = scriptedAdapter({ a: ['processing'] });
		const [result] = await watchDocuments(adapter, client, [request(0, idsTarget('ds', ['a']), { timeoutMs: 7000 })], {
			clock,
			failFast: true,
		});
		expect(calls).toHaveLength(2);
		expect(clock.sleeps).toEqual([5000, 2000]);
		expect(result).toMatchObject({ timedOut: true, polls: 2, waitedSeconds: 7 });
	});

	it('waits longer when the vendor estimates completion far off, up to 60 s', async () => {
		const clock = new SimulatedClock();
		const { adapter } = scriptedAdapter({
			a: [{ status: 'processing', remainingSeconds: 30 }, { status: 'processing', remainingSeconds: 300 }, 'completed'],
		});
		await watchDocuments(adapter, client, [request(0, idsTarget('ds', ['a']))], { clock, failFast: true });
		expect(clock.sleeps).toEqual([30_000, 60_000]);
	});

	it('asks again about a not-found document for the grace period before accepting it', async () => {
		const clock = new SimulatedClock();
		const { adapter, calls } = scriptedAdapter({ a: ['not_found'], b: ['not_found', 'processing', 'completed'] });
		const [result] = await watchDocuments(
			adapter,
			client,
			[request(0, idsTarget('ds', ['a', 'b']), { notFoundGraceMs: 10_000 })],
			{ clock, failFast: true },
		);
		// At 10 s the grace period of "a" is over: it is final and no longer asked about.
		expect(calls.map((c) => c.ids)).toEqual([['a', 'b'], ['a', 'b'], ['b']]);
		expect(result.documents.map((d) => d.status)).toEqual(['not_found', 'completed']);
		expect(result.waitedSeconds).toBe(10);
	});

	it('answers for an id the vendor left out', async () => {
		const clock = new SimulatedClock();
		const { adapter } = scriptedAdapter({ a: ['completed'] });
		const [result] = await watchDocuments(adapter, client, [request(0, idsTarget('ds', ['a', 'ghost']), { timeoutMs: null })], {
			clock,
			failFast: true,
		});
		expect(result.documents.map((d) => [d.documentId, d.status, d.terminal])).toEqual([
			['a', 'completed', true],
			['ghost', 'not_found', true],
		]);
	});

	it('takes the documents of a listing scope from each answer', async () => {
		const clock = new SimulatedClock();
		const { adapter, calls } = scriptedAdapter({ 'batch/x': ['processing', 'completed'], 'batch/y': ['completed'] });
		const target: WatchTarget = { scopeKey: 'batch', knowledgeBaseId: 'kb', jobId: 'batch', documentIds: null, wholeKnowledgeBase: false };
		const [result] = await watchDocuments(adapter, client, [request(0, target)], { clock, failFast: true });
		expect(calls.map((c) => c.ids)).toEqual([null, null]);
		expect(result.documents.map((d) => d.documentId)).toEqual(['batch/x', 'batch/y']);
		expect(result.documents.every((d) => d.status === 'completed')).toBe(true);
	});

	it('gives a failing scope its error and keeps watching the others', async () => {
		const clock = new SimulatedClock();
		const { adapter } = scriptedAdapter({ a: ['processing', 'completed'] });
		const failure = new VendorRequestError('Test Vendor', 'get', {
			kind: 'not_found', retryable: false, httpStatus: 404, code: 'not_found', message: 'Dataset not found.', requestId: null,
		}, 1);
		const failing: StatusAdapter = {
			...adapter,
			fetchStatuses: async (c, target, ids) => {
				if (target.scopeKey === 'missing') throw failure;
				return await adapter.fetchStatuses(c, target, ids);
			},
		};
		const requests = [request(0, idsTarget('missing', ['z'])), request(1, idsTarget('ds', ['a']))];
		const results = await watchDocuments(failing, client, requests, { clock, failFast: false });
		expect(results[0].error).toBe(failure);
		expect(results[0].documents).toEqual([]);
		expect(results[1].documents[0].status).toBe('completed');

		await expect(watchDocuments(failing, client, requests, { clock, failFast: true })).rejects.toEqual(
			expect.objectContaining({ itemIndex: 0, reason: failure }),
		);
		await expect(watchDocuments(failing, client, requests, { clock, failFast: true })).rejects.toBeInstanceOf(ItemFailure);
	});

	it('stops when the execution is cancelled', async () => {
		const clock = new SimulatedClock();
		const { adapter, calls } = scriptedAdapter({ a: ['processing'] });
		const controller = new AbortController();
		const watching = watchDocuments(adapter, client, [request(0, idsTarget('ds', ['a']))], {
			clock,
			signal: controller.signal,
			failFast: true,
			onPoll: () => {
				if (calls.length === 2) controller.abort();
			},
		});
		await expect(watching).rejects.toThrow('The execution was canceled');
		expect(calls).toHaveLength(2);
	});
});

describe('watchDocuments under trouble', () => {
	const target = idsTarget;

	/** A client whose HTTP answers come from `answer`, called with the time of each call. */
	function clientAnswering(clock: SimulatedClock, answer: (callIndex: number) => { statusCode: number; headers?: Record<string, string>; body: string }) {
		const times: number[] = [];
		const ctx = {
			getCredentials: async () => ({}),
			helpers: {
				httpRequestWithAuthentication: async () => {
					times.push(clock.now());
					return { headers: {}, ...answer(times.length - 1) };
				},
			},
		} as unknown as NodeContext;
		return { client: new VendorClient(ctx, spec, clock, undefined, undefined, () => 0), times };
	}

	/** Each poll is one GET; the document stays processing. */
	const oneCallAdapter: StatusAdapter = {
		spec,
		progressSignature: testProgress,
		readTarget: () => {
			throw new Error('not used');
		},
		async fetchStatuses(c, _target, ids) {
			await c.request({ operation: 'status', method: 'GET', url: 'http://vendor/status' });
			return (ids ?? []).map((id) => doc(id, 'processing'));
		},
	};

	it('never retries past the deadline, nor longer than 60 s after the previous poll', async () => {
		const clock = new SimulatedClock(0);
		const { client, times } = clientAnswering(clock, (i) =>
			i === 1 ? { statusCode: 429, headers: { 'retry-after': '100' }, body: '{}' } : { statusCode: 200, body: '{}' },
		);
		const [result] = await watchDocuments(oneCallAdapter, client, [request(0, target('s', ['a']), { timeoutMs: 20_000 })], {
			clock,
			failFast: true,
		});
		expect(Math.max(...times)).toBeLessThanOrEqual(20_000);
		expect(result).toMatchObject({ timedOut: true, waitedSeconds: 20 });
		expect(result.error).toBeUndefined();
		expect(result.documents[0].status).toBe('processing');
	});

	it('keeps the last statuses through a passing outage instead of failing the wait', async () => {
		const clock = new SimulatedClock(0);
		// The third round meets five 503s in a row, then the vendor recovers.
		const { client } = clientAnswering(clock, (i) => (i >= 2 && i <= 6 ? { statusCode: 503, body: 'busy' } : { statusCode: 200, body: '{}' }));
		let round = 0;
		const adapter: StatusAdapter = {
			...oneCallAdapter,
			async fetchStatuses(c, _t, ids) {
				await c.request({ operation: 'status', method: 'GET', url: 'http://vendor/status' });
				round += 1;
				return (ids ?? []).map((id) => doc(id, round >= 4 ? 'completed' : 'processing'));
			},
		};
		const [result] = await watchDocuments(adapter, client, [request(0, target('s', ['a']))], { clock, failFast: true });
		expect(result.error).toBeUndefined();
		expect(result.documents[0].status).toBe('completed');
		expect(result.timedOut).toBe(false);
	});

	it('reports the failure when no round ever succeeded before the deadline', async () => {
		const clock = new SimulatedClock(0);
		const { client } = clientAnswering(clock, () => ({ statusCode: 503, body: 'down' }));
		const [result] = await watchDocuments(oneCallAdapter, client, [request(0, target('s', ['a']), { timeoutMs: 30_000 })], {
			clock,
			failFast: false,
		});
		expect(result.documents).toEqual([]);
		expect(String(result.error)).toContain('HTTP 503');
	});

	it('keeps the vendor\'s answer as the reason when a last round finds no time to ask', async () => {
		const clock = new SimulatedClock(0);
		const { client, times } = clientAnswering(clock, () => ({ statusCode: 503, headers: { 'x-request-id': 'r-9' }, body: 'down' }));
		// Calls 5 s apart (a vendor's spacing per job): the last round before the deadline has
		// no room for its call, and must not replace the 503 with "no time was left".
		const spaced: StatusAdapter = {
			...oneCallAdapter,
			async fetchStatuses(c, _t, ids) {
				await c.request({ operation: 'status', method: 'GET', url: 'http://vendor/status', spacing: { key: 'job', minIntervalMs: 5000 } });
				return (ids ?? []).map((id) => doc(id, 'processing'));
			},
		};
		const [result] = await watchDocuments(spaced, client, [request(0, target('s', ['a']), { timeoutMs: 12_000, pollIntervalMs: 5000 })], {
			clock,
			failFast: false,
		});
		expect(times.length).toBeGreaterThan(1);
		expect(result.documents).toEqual([]);
		expect(result.error).toBeInstanceOf(VendorRequestError);
		expect((result.error as VendorRequestError).failure).toMatchObject({ kind: 'server', httpStatus: 503 });
	});

	it('does not let a slow scope keep another one past its deadline', async () => {
		const clock = new SimulatedClock(0);
		const calls: Array<[string, number]> = [];
		const adapter: StatusAdapter = {
			...oneCallAdapter,
			async fetchStatuses(_c, t, ids) {
				calls.push([t.scopeKey, clock.now()]);
				if (t.scopeKey === 'slow') await clock.sleep(40_000);
				return (ids ?? []).map((id) => doc(id, 'processing'));
			},
		};
		const results = await watchDocuments(
			adapter,
			client,
			[request(0, target('slow', ['s'])), request(1, target('fast', ['f']), { timeoutMs: 10_000 })],
			{ clock, failFast: true },
		);
		expect(calls.filter(([scope]) => scope === 'fast').every(([, at]) => at <= 10_000)).toBe(true);
		expect(results[1]).toMatchObject({ timedOut: true });
		expect(results[1].waitedSeconds).toBeLessThanOrEqual(11);
	});

	it('polls items of one dataset with different intervals each at its own interval', async () => {
		const clock = new SimulatedClock(0);
		const { adapter, calls } = scriptedAdapter({ a: ['processing', 'processing', 'processing', 'completed'], b: ['processing', 'completed'] });
		const seenAt: Record<string, number[]> = { a: [], b: [] };
		const timed: StatusAdapter = {
			...adapter,
			async fetchStatuses(c, t, ids) {
				for (const id of ids ?? []) seenAt[id].push(clock.now());
				return await adapter.fetchStatuses(c, t, ids);
			},
		};
		await watchDocuments(
			timed,
			client,
			[request(0, target('ds', ['a']), { pollIntervalMs: 5000 }), request(1, target('ds', ['b']), { pollIntervalMs: 30_000 })],
			{ clock, failFast: true },
		);
		expect(seenAt.a).toEqual([0, 5000, 10_000, 15_000]);
		expect(seenAt.b).toEqual([0, 30_000]);
		expect(calls).toHaveLength(6);
	});

	it('fails only the item whose ids the vendor rejects, with its own index', async () => {
		const clock = new SimulatedClock(0);
		const rejection = new VendorRequestError('Test Vendor', 'status', {
			kind: 'invalid_request', retryable: false, httpStatus: 400, code: '4000', message: 'invalid id bad', requestId: null,
		}, 1);
		const adapter: StatusAdapter = {
			...oneCallAdapter,
			async fetchStatuses(_c, _t, ids) {
				if (ids?.includes('bad')) throw rejection;
				return (ids ?? []).map((id) => doc(id, 'completed'));
			},
		};
		const requests = [request(0, target('ds', ['good']), { timeoutMs: null }), request(1, target('ds', ['bad']), { timeoutMs: null })];
		const results = await watchDocuments(adapter, client, requests, { clock, failFast: false });
		expect(results[0].error).toBeUndefined();
		expect(results[0].documents[0].status).toBe('completed');
		expect(results[1].error).toBe(rejection);
		await expect(watchDocuments(adapter, client, requests, { clock, failFast: true })).rejects.toMatchObject({ itemIndex: 1 });
	});

	it('takes a last look at each deadline the interval allows, not only the first', async () => {
		const clock = new SimulatedClock(0);
		const { adapter } = scriptedAdapter({ a: [{ status: 'processing', remainingSeconds: 300 }], b: [{ status: 'processing', remainingSeconds: 300 }] });
		const seen: number[] = [];
		const timed: StatusAdapter = {
			...adapter,
			async fetchStatuses(c, t, ids) {
				seen.push(clock.now());
				return await adapter.fetchStatuses(c, t, ids);
			},
		};
		// Both items share a scope: deadlines at 3 s (too soon for another look) and 40 s.
		await watchDocuments(
			timed,
			client,
			[request(0, target('ds', ['a']), { timeoutMs: 3000 }), request(1, target('ds', ['b']), { timeoutMs: 40_000 })],
			{ clock, failFast: true },
		);
		expect(seen).toEqual([0, 40_000]);
	});
});
