import type { IDataObject, IHttpRequestOptions, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { VendorRequestError } from '../../nodes/shared/errors';
import { pollIndexingStatus } from '../../nodes/shared/poll';
import type { ListingPage, StatusAdapter, WatchTarget } from '../../nodes/shared/vendor';
import { doc, testSpec } from './fakes';

/**
 * The trigger's poll as n8n calls it: overlapping polls on one static data object, the poll
 * budget of n8n 2.40, and a listing read over several polls.
 */

const spec = testSpec();

const ids: WatchTarget = { scopeKey: 'documents:kb', knowledgeBaseId: 'kb', jobId: null, documentIds: ['a', 'b'], wholeKnowledgeBase: false };
const dataset: WatchTarget = { scopeKey: 'dataset:kb', knowledgeBaseId: 'kb', jobId: null, documentIds: null, wholeKnowledgeBase: true };

interface ContextOptions {
	staticData: IDataObject;
	budgetMs?: number;
	/** Answers each HTTP call after this many real milliseconds. */
	callMs?: number;
}

function pollContext(options: ContextOptions): IPollFunctions {
	const ctx = {
		getNode: () => ({ id: 'n', name: 'Trigger', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} }),
		getNodeParameter: (name: string, fallback: unknown) => (name === 'event' ? 'documentFinished' : fallback),
		getMode: () => 'trigger',
		getWorkflowStaticData: () => options.staticData,
		getCredentials: async () => ({}),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: IHttpRequestOptions) => {
				await new Promise((resolve) => setTimeout(resolve, options.callMs ?? 0));
				return { statusCode: 200, headers: {}, body: JSON.stringify({ page: (request.qs as IDataObject).page }) };
			},
		},
		...(options.budgetMs === undefined ? {} : { getPollBudgetMs: () => options.budgetMs }),
	};
	return ctx as unknown as IPollFunctions;
}

function deferred<T>() {
	let resolve!: (value: T) => void;
	const promise = new Promise<T>((r) => (resolve = r));
	return { promise, resolve };
}

const emitted = (result: INodeExecutionData[][] | null) => (result ? result[0].map((item) => item.json.documentId) : []);

describe('overlapping polls', () => {
	/** An adapter whose answers the test hands out, one per call, in the order it chooses. */
	function heldAdapter() {
		const answers: Array<ReturnType<typeof deferred<ReturnType<typeof doc>[]>>> = [];
		const adapter: StatusAdapter = {
			spec,
			readTarget: () => ids,
			fetchStatuses: async () => {
				const answer = deferred<ReturnType<typeof doc>[]>();
				answers.push(answer);
				return await answer.promise;
			},
		};
		return { adapter, answers };
	}

	it('drops an older poll that ends after a newer one was recorded', async () => {
		const staticData: IDataObject = {};
		const { adapter, answers } = heldAdapter();
		const older = pollIndexingStatus.call(pollContext({ staticData }), adapter);
		const newer = pollIndexingStatus.call(pollContext({ staticData }), adapter);
		await new Promise(setImmediate);
		answers[1].resolve([doc('a', 'completed'), doc('b', 'completed')]);
		expect(emitted(await newer)).toEqual(['a', 'b']);
		// The older poll saw a stale picture: it must neither repeat nor undo the newer one.
		answers[0].resolve([doc('a', 'completed'), doc('b', 'processing')]);
		expect(await older).toBeNull();
		const again = pollIndexingStatus.call(pollContext({ staticData }), adapter);
		expect(await again).toBeNull(); // every document reported: no call at all
		expect(answers).toHaveLength(2);
	});

	it('lets a newer poll that ends last report only what the older one did not', async () => {
		const staticData: IDataObject = {};
		const { adapter, answers } = heldAdapter();
		const older = pollIndexingStatus.call(pollContext({ staticData }), adapter);
		const newer = pollIndexingStatus.call(pollContext({ staticData }), adapter);
		await new Promise(setImmediate);
		answers[0].resolve([doc('a', 'completed'), doc('b', 'processing')]);
		expect(emitted(await older)).toEqual(['a']);
		answers[1].resolve([doc('a', 'completed'), doc('b', 'completed')]);
		expect(emitted(await newer)).toEqual(['b']);
	});
});

describe('the poll budget', () => {
	const PAGES = 100;
	/** A listing of PAGES pages of one document each, each page one HTTP call. */
	const listingAdapter: StatusAdapter = {
		spec,
		readTarget: () => dataset,
		fetchStatuses: async () => {
			throw new Error('a whole knowledge base is listed, not fetched');
		},
		async listPage(client, _target, page): Promise<ListingPage> {
			await client.request({ operation: 'list', method: 'GET', url: 'http://vendor/list', qs: { page } });
			return { documents: [doc(`d${page}`, 'completed')], hasMore: page < PAGES };
		},
	};

	it('stops listing before n8n abandons the poll, and the next poll continues from there', async () => {
		const staticData: IDataObject = {};
		const state = () => (staticData.indexingStatus as { listing: { nextPage: number; baselineDone: boolean } }).listing;

		await pollIndexingStatus.call(pollContext({ staticData, budgetMs: 300, callMs: 20 }), listingAdapter);
		const stoppedAt = state().nextPage;
		expect(stoppedAt).toBeGreaterThan(1);
		expect(stoppedAt).toBeLessThan(PAGES);
		expect(state().baselineDone).toBe(false);

		await pollIndexingStatus.call(pollContext({ staticData, budgetMs: 300, callMs: 20 }), listingAdapter);
		expect(state().nextPage).toBeGreaterThan(stoppedAt);
	});

	it('reads the whole listing in one poll when n8n gives no budget', async () => {
		const staticData: IDataObject = {};
		await pollIndexingStatus.call(pollContext({ staticData }), listingAdapter);
		expect(staticData.indexingStatus).toMatchObject({ listing: { baselineDone: true, nextPage: 1, pass: 1 } });
	});

	it('answers with an error, and keeps its place, when a page fails for another reason', async () => {
		const staticData: IDataObject = {};
		const failing: StatusAdapter = {
			...listingAdapter,
			async listPage(client, target, page) {
				if (page === 2) {
					throw new VendorRequestError('Test Vendor', 'list', {
						kind: 'auth', retryable: false, httpStatus: 401, code: null, message: 'the key was rejected', requestId: null,
					}, 1);
				}
				return await (listingAdapter.listPage as NonNullable<StatusAdapter['listPage']>)(client, target, page);
			},
		};
		await expect(pollIndexingStatus.call(pollContext({ staticData }), failing)).rejects.toThrow('Test Vendor list failed: the key was rejected');
		expect(staticData.indexingStatus).toMatchObject({ listing: { nextPage: 1, baselineDone: false } });
	});
});
