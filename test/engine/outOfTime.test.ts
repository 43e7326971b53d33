import type { IDataObject, IHttpRequestOptions, IPollFunctions } from 'n8n-workflow';

import { VendorClient } from '../../nodes/shared/client';
import { pollIndexingStatus } from '../../nodes/shared/poll';
import type { NodeContext, WatchTarget } from '../../nodes/shared/vendor';
import { watchDocuments } from '../../nodes/shared/watch';
import { chunkingAdapter as chunkingAdapterOf, listingAdapter as listingAdapterOf, SimulatedClock, testSpec } from './fakes';

/**
 * Our own deadline is "out of time", never the vendor's error: a call the package cut short for
 * the wait's timeout or the poll's budget keeps what was read before it, and the rest waits.
 */

const spec = testSpec({ name: 'coze' });

/**
 * A vendor whose every call takes `callMs` on the simulated clock. A call whose HTTP timeout is
 * shorter gets no answer: it fails as axios reports its own timeout.
 */
function slowVendor(clock: SimulatedClock, callMs: number) {
	const calls: Array<{ at: number; timeout: number }> = [];
	const httpRequestWithAuthentication = async (_type: string, options: IHttpRequestOptions) => {
		const timeout = options.timeout ?? Number.POSITIVE_INFINITY;
		calls.push({ at: clock.now(), timeout });
		if (timeout < callMs) {
			await clock.sleep(timeout, options.abortSignal as AbortSignal | undefined);
			throw Object.assign(new Error(`timeout of ${timeout}ms exceeded`), { httpCode: 'ECONNABORTED' });
		}
		await clock.sleep(callMs, options.abortSignal as AbortSignal | undefined);
		return { statusCode: 200, headers: {}, body: JSON.stringify({ page: (options.qs as IDataObject | undefined)?.page ?? null }) };
	};
	return { calls, httpRequestWithAuthentication };
}

/** Asks about ids in calls of 10, one after the other, as Coze's progress call does. */
const chunkingAdapter = chunkingAdapterOf(spec, { operation: 'document progress', idsPerCall: 10 });

const sixtyIds = Array.from({ length: 60 }, (_, i) => `d${i}`);
const idsTarget: WatchTarget = { scopeKey: 'ds', knowledgeBaseId: 'ds', jobId: null, documentIds: sixtyIds, wholeKnowledgeBase: false };

describe('Wait Until Indexed cut short by its own timeout', () => {
	it('emits every document timed out: answered ones with their status, the others unknown', async () => {
		const clock = new SimulatedClock(0);
		const vendor = slowVendor(clock, 1500);
		const ctx = { getCredentials: async () => ({}), helpers: { httpRequestWithAuthentication: vendor.httpRequestWithAuthentication } } as unknown as NodeContext;
		const client = new VendorClient(ctx, spec, clock, undefined, undefined, () => 0);

		const [result] = await watchDocuments(
			chunkingAdapter,
			client,
			[{ itemIndex: 0, target: idsTarget, pollIntervalMs: 5000, timeoutMs: 3000, notFoundGraceMs: 0 }],
			{ clock, failFast: true },
		);

		expect(result.error).toBeUndefined();
		expect(result.timedOut).toBe(true);
		expect(result.documents.map((d) => d.documentId)).toEqual(sixtyIds);
		const counts = new Map<string, number>();
		for (const d of result.documents) counts.set(d.status, (counts.get(d.status) ?? 0) + 1);
		// Two calls of 10 were answered before the timeout; the third was cut by it.
		expect(Object.fromEntries(counts)).toEqual({ processing: 20, unknown: 40 });
		expect(result.documents[59]).toMatchObject({ status: 'unknown', terminal: false, documentId: 'd59', knowledgeBaseId: 'ds' });
	});
});

describe('a trigger poll cut short by its budget', () => {
	function pollContext(staticData: IDataObject, clock: SimulatedClock, budgetMs: number, callMs: number): IPollFunctions {
		const vendor = slowVendor(clock, callMs);
		return {
			getNode: () => ({ id: 'n', name: 'Trigger', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} }),
			getNodeParameter: (name: string, fallback: unknown) => (name === 'event' ? 'documentFinished' : fallback),
			getMode: () => 'trigger',
			getWorkflowStaticData: () => staticData,
			getCredentials: async () => ({}),
			helpers: { httpRequestWithAuthentication: vendor.httpRequestWithAuthentication },
			getPollBudgetMs: () => budgetMs,
		} as unknown as IPollFunctions;
	}

	const dataset: WatchTarget = { scopeKey: 'dataset:kb', knowledgeBaseId: 'kb', jobId: null, documentIds: null, wholeKnowledgeBase: true };
	const listingAdapter = listingAdapterOf(spec, dataset, { pages: 3, operation: 'list documents', prefix: 'p' });

	it('keeps the listing pages it read and continues at the next poll', async () => {
		const staticData: IDataObject = {};
		const clock = new SimulatedClock(Date.now());
		// Each page takes 0.9 s; the budget's share for calls is 1.2 s: page 2 is cut by it.
		const state = () => (staticData.indexingStatus as { listing: { nextPage: number; baselineDone: boolean } }).listing;
		const realNow = Date.now;
		Date.now = () => clock.now();
		try {
			await expect(pollIndexingStatus.call(pollContext(staticData, clock, 1500, 900), listingAdapter)).resolves.toBeNull();
			expect(state().nextPage).toBe(2);
			await pollIndexingStatus.call(pollContext(staticData, clock, 1500, 900), listingAdapter);
			await pollIndexingStatus.call(pollContext(staticData, clock, 1500, 900), listingAdapter);
			expect(state()).toMatchObject({ nextPage: 1, baselineDone: true });
		} finally {
			Date.now = realNow;
		}
	});
});
