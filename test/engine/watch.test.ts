import type { VendorClient } from '../../nodes/shared/client';
import { VendorRequestError } from '../../nodes/shared/errors';
import type { DocumentStatus, NormalizedStatus } from '../../nodes/shared/types';
import type { StatusAdapter, VendorSpec, WatchTarget } from '../../nodes/shared/vendor';
import type { WatchRequest } from '../../nodes/shared/watch';
import { ItemFailure, watchDocuments } from '../../nodes/shared/watch';
import { doc, SimulatedClock } from './fakes';

const spec = {
	name: 'dify',
	displayName: 'Test Vendor',
	credentialType: 'testApi',
	pollInterval: { defaultSeconds: 5, minSeconds: 1 },
	secretFields: [],
	inspectResponse: () => null,
	requestIdOf: () => null,
} satisfies VendorSpec;

/** Each call answers from a per-document timeline of statuses; the last one sticks. */
function scriptedAdapter(timelines: Record<string, Array<NormalizedStatus | Partial<DocumentStatus>>>) {
	const calls: Array<{ scopeKey: string; ids: string[] | null }> = [];
	const seen: Record<string, number> = {};
	const adapter: StatusAdapter = {
		spec,
		readTarget: () => {
			throw new Error('not used');
		},
		async fetchStatuses(_client, target, ids) {
			calls.push({ scopeKey: target.scopeKey, ids });
			const wanted = ids ?? Object.keys(timelines).filter((id) => id.startsWith(target.scopeKey + '/'));
			return wanted
				.filter((id) => timelines[id])
				.map((id) => {
					const step = Math.min(seen[id] ?? 0, timelines[id].length - 1);
					seen[id] = (seen[id] ?? 0) + 1;
					const entry = timelines[id][step];
					return typeof entry === 'string' ? doc(id, entry) : doc(id, entry.status ?? 'processing', entry);
				});
		},
	};
	return { adapter, calls };
}

const client = { takeBackoffHintMs: () => 0 } as unknown as VendorClient;

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
