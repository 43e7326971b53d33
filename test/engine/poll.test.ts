import type { IDataObject, IHttpRequestOptions, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { VendorRequestError } from '../../nodes/shared/errors';
import { pollIndexingStatus, pollOrderSize } from '../../nodes/shared/poll';
import type { ListingPage, StatusAdapter, WatchTarget } from '../../nodes/shared/vendor';
import { doc, listingAdapter as listingAdapterOf, testProgress, testSpec } from './fakes';

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
	/** The workflow's id, as n8n gives it (left out: the context has no getWorkflow). */
	workflowId?: string;
	/** Runs inside each HTTP call, before it answers (to move a mocked clock, or to hold the call). */
	onCall?: () => Promise<void> | void;
}

function pollContext(options: ContextOptions): IPollFunctions {
	const ctx = {
		getNode: () => ({ id: 'n', name: 'Trigger', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} }),
		getNodeParameter: (name: string, fallback: unknown) => (name === 'event' ? 'documentFinished' : fallback),
		getMode: () => 'trigger',
		getWorkflowStaticData: () => options.staticData,
		...(options.workflowId === undefined ? {} : { getWorkflow: () => ({ id: options.workflowId, name: 'W', active: true }) }),
		getCredentials: async () => ({}),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: IHttpRequestOptions) => {
				await new Promise((resolve) => setTimeout(resolve, options.callMs ?? 0));
				await options.onCall?.();
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

/** An adapter whose answers the test hands out, one per call, in the order it chooses. */
function heldAdapter() {
	const answers: Array<ReturnType<typeof deferred<ReturnType<typeof doc>[]>>> = [];
	const adapter: StatusAdapter = {
		spec,
		progressSignature: testProgress,
		readTarget: () => ids,
		fetchStatuses: async () => {
			const answer = deferred<ReturnType<typeof doc>[]>();
			answers.push(answer);
			return await answer.promise;
		},
	};
	return { adapter, answers };
}

describe('overlapping polls', () => {
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

describe('overlapping polls of a whole knowledge base', () => {
	/** A listing whose pages the test answers, one deferred per call, in the order it chooses. */
	function heldListing() {
		const pages: Array<ReturnType<typeof deferred<ListingPage>>> = [];
		const adapter: StatusAdapter = {
			spec,
			progressSignature: testProgress,
			readTarget: () => dataset,
			fetchStatuses: async () => {
				throw new Error('a whole knowledge base is listed, not fetched');
			},
			async listPage() {
				const page = deferred<ListingPage>();
				pages.push(page);
				return await page.promise;
			},
		};
		return { adapter, pages };
	}

	it('does not report a document twice when a newer poll read it unfinished before an older one recorded it finished', async () => {
		const staticData: IDataObject = {};
		const { adapter, pages } = heldListing();
		// The baseline: x is being indexed, z is done.
		const baseline = pollIndexingStatus.call(pollContext({ staticData }), adapter);
		await new Promise(setImmediate);
		pages[0].resolve({ documents: [doc('x', 'processing'), doc('z', 'completed')], hasMore: false });
		expect(await baseline).toBeNull();

		// P1 starts, then P2. P2 reads page 1 with x still indexing; its page 2 is slow.
		const p1 = pollIndexingStatus.call(pollContext({ staticData }), adapter);
		const p2 = pollIndexingStatus.call(pollContext({ staticData }), adapter);
		await new Promise(setImmediate);
		pages[2].resolve({ documents: [doc('x', 'processing')], hasMore: true });
		await new Promise(setImmediate);
		// x finishes; P1 reads both pages and reports it.
		pages[1].resolve({ documents: [doc('x', 'completed')], hasMore: true });
		await new Promise(setImmediate);
		pages[4].resolve({ documents: [doc('z', 'completed')], hasMore: false });
		expect(emitted(await p1)).toEqual(['x']);
		// P2 ends last, with its stale reading of x.
		pages[3].resolve({ documents: [doc('z', 'completed')], hasMore: false });
		expect(emitted(await p2)).toEqual([]);

		// The next complete pass finds x as it is: completed, and already reported.
		const p3 = pollIndexingStatus.call(pollContext({ staticData }), adapter);
		await new Promise(setImmediate);
		pages[5].resolve({ documents: [doc('x', 'completed'), doc('z', 'completed')], hasMore: false });
		expect(emitted(await p3)).toEqual([]);
	});
});

describe("polls that n8n's durable poll scheduler runs on copies of the state", () => {
	/**
	 * n8n 2.40's durable scheduler: each poll gets a copy of the state as the database has it when
	 * the poll is claimed, and n8n commits the poll's copy when the poll ends, if it changed.
	 */
	function durableStore() {
		let committed: IDataObject = {};
		return {
			claim(workflowId: string) {
				const copy = JSON.parse(JSON.stringify(committed)) as IDataObject;
				const before = JSON.stringify(copy);
				return {
					ctx: pollContext({ staticData: copy, workflowId }),
					staticData: copy,
					/** n8n commits the copy only when the poll changed it. */
					commit: () => {
						if (JSON.stringify(copy) === before) return false;
						committed = copy;
						return true;
					},
				};
			},
		};
	}

	type Claim = ReturnType<ReturnType<typeof durableStore>['claim']>;

	/** Runs one poll on a claim, answers its one call, and commits it. */
	async function answerNext(
		claim: Claim,
		adapter: StatusAdapter,
		answers: ReturnType<typeof heldAdapter>['answers'],
		answer: ReturnType<typeof doc>[],
		commit = true,
	) {
		const poll = pollIndexingStatus.call(claim.ctx, adapter);
		await new Promise(setImmediate);
		answers[answers.length - 1].resolve(answer);
		const result = await poll;
		if (commit) claim.commit();
		return result;
	}

	it('reports each document once when polls that fell due while n8n was down run together, and commits no older state', async () => {
		const store = durableStore();
		const { adapter, answers } = heldAdapter();
		// Three occurrences claimed at once after a restart: three copies of one state.
		const claims = [store.claim('wf-durable-1'), store.claim('wf-durable-1'), store.claim('wf-durable-1')];
		const polls = claims.map((claim) => pollIndexingStatus.call(claim.ctx, adapter));
		await new Promise(setImmediate);
		const results: Array<INodeExecutionData[][] | null> = [];
		const commits: boolean[] = [];
		for (const [i, answer] of answers.entries()) {
			answer.resolve([doc('a', 'completed'), doc('b', i === 0 ? 'processing' : 'completed')]);
			results.push(await polls[i]);
			commits.push(claims[i].commit());
		}
		// The first poll to end reports a; the copies read before it recorded report nothing and
		// are not committed, so the state with a reported stays.
		expect(results.map(emitted)).toEqual([['a'], [], []]);
		expect(commits).toEqual([true, false, false]);
		// The next poll reads what was recorded: it asks about b alone, and reports it.
		expect(emitted(await answerNext(store.claim('wf-durable-1'), adapter, answers, [doc('b', 'completed')]))).toEqual(['b']);
		expect(answers).toHaveLength(4);
		// After a restart (a new process: nothing remembered), the committed state says the same.
		let fresh!: typeof pollIndexingStatus;
		jest.isolateModules(() => {
			fresh = (require('../../nodes/shared/poll') as typeof import('../../nodes/shared/poll')).pollIndexingStatus;
		});
		expect(await fresh.call(store.claim('wf-durable-1').ctx, adapter)).toBeNull();
		expect(answers).toHaveLength(4);
	});

	it('drops, without a call, a copy read before another poll recorded, while that commit may be on its way', async () => {
		const store = durableStore();
		const { adapter, answers } = heldAdapter();
		const late = store.claim('wf-durable-2'); // claimed first, polled later
		const first = store.claim('wf-durable-2');
		expect(emitted(await answerNext(first, adapter, answers, [doc('a', 'completed'), doc('b', 'processing')]))).toEqual(['a']);
		expect(await pollIndexingStatus.call(late.ctx, adapter)).toBeNull();
		expect(late.commit()).toBe(false);
		expect(answers).toHaveLength(1);
		expect(emitted(await answerNext(store.claim('wf-durable-2'), adapter, answers, [doc('b', 'completed')]))).toEqual(['b']);
	});

	it('trusts an older copy again once the last record is 30 s old: a commit n8n never made, or a reset state, reports again', async () => {
		const store = durableStore();
		const { adapter, answers } = heldAdapter();
		const now = jest.spyOn(Date, 'now');
		try {
			now.mockReturnValue(1_000_000);
			// n8n does not commit this poll (it lost its lease; nor did it start the execution).
			const first = store.claim('wf-durable-5');
			expect(emitted(await answerNext(first, adapter, answers, [doc('a', 'completed'), doc('b', 'completed')], false))).toEqual(['a', 'b']);
			now.mockReturnValue(1_000_000 + 29_000);
			expect(await pollIndexingStatus.call(store.claim('wf-durable-5').ctx, adapter)).toBeNull();
			expect(answers).toHaveLength(1);
			now.mockReturnValue(1_000_000 + 31_000);
			expect(emitted(await answerNext(store.claim('wf-durable-5'), adapter, answers, [doc('a', 'completed'), doc('b', 'completed')]))).toEqual(['a', 'b']);
		} finally {
			now.mockRestore();
		}
	});

	it('starts afresh at once when the trigger watches something else', async () => {
		const store = durableStore();
		const { adapter, answers } = heldAdapter();
		expect(emitted(await answerNext(store.claim('wf-durable-6'), adapter, answers, [doc('a', 'completed'), doc('b', 'completed')]))).toEqual(['a', 'b']);
		// The user picks another dataset: n8n keeps the static data, the watch is new.
		const moved: StatusAdapter = { ...adapter, readTarget: () => ({ ...ids, scopeKey: 'documents:kb2', knowledgeBaseId: 'kb2' }) };
		const claim = store.claim('wf-durable-6');
		claim.staticData.indexingStatus = {};
		expect(emitted(await answerNext(claim, moved, answers, [doc('a', 'completed'), doc('b', 'completed')]))).toEqual(['a', 'b']);
	});

	it('keeps the order of at most 5000 trigger nodes, numbers only', async () => {
		const { adapter, answers } = heldAdapter();
		for (let i = 0; i < 5002; i++) {
			const claim = durableStore().claim(`wf-many-${i}`);
			const poll = pollIndexingStatus.call(claim.ctx, adapter);
			await new Promise(setImmediate);
			answers[answers.length - 1].resolve([doc('a', 'processing'), doc('b', 'processing')]);
			await poll;
		}
		expect(pollOrderSize()).toBe(5000);
	});

	it('keeps the triggers of two workflows apart', async () => {
		const { adapter, answers } = heldAdapter();
		const one = pollIndexingStatus.call(durableStore().claim('wf-durable-3').ctx, adapter);
		const two = pollIndexingStatus.call(durableStore().claim('wf-durable-4').ctx, adapter);
		await new Promise(setImmediate);
		answers[0].resolve([doc('a', 'completed'), doc('b', 'completed')]);
		answers[1].resolve([doc('a', 'completed'), doc('b', 'completed')]);
		expect(emitted(await one)).toEqual(['a', 'b']);
		expect(emitted(await two)).toEqual(['a', 'b']);
	});
});

describe('the poll budget', () => {
	const PAGES = 100;
	/** A listing of PAGES pages of one document each, each page one HTTP call. */
	const listingAdapter = listingAdapterOf(spec, dataset, { pages: PAGES, operation: 'list', prefix: 'd' });

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

	/**
	 * The same listing paged by token (`token-<page>`), as a vendor that refuses a token it did not
	 * give; `cursors` records what each call was asked with.
	 */
	function tokenListingOf() {
		const cursors: Array<{ page: number; cursor: string | null }> = [];
		const adapter: StatusAdapter = {
			...listingAdapter,
			async listPage(client, target, page, cursor): Promise<ListingPage> {
				cursors.push({ page, cursor });
				if (cursor !== null && cursor !== `token-${page}`) {
					throw new VendorRequestError('Test Vendor', 'list', {
						kind: 'invalid_request', retryable: false, httpStatus: 400, code: 'ValidationException', message: 'The provided nextToken is not valid.', requestId: null,
					}, 1);
				}
				const answer = await (listingAdapter.listPage as NonNullable<StatusAdapter['listPage']>)(client, target, page, cursor);
				return { ...answer, nextCursor: answer.hasMore ? `token-${page + 1}` : null };
			},
		};
		return { tokenListing: adapter, cursors };
	}

	it('keeps a token-paged listing\'s token between polls, so the next poll goes on where the last stopped', async () => {
		const staticData: IDataObject = {};
		const { tokenListing, cursors } = tokenListingOf();
		await pollIndexingStatus.call(pollContext({ staticData, budgetMs: 300, callMs: 20 }), tokenListing);
		const firstPoll = cursors.length;
		expect(cursors[0]).toEqual({ page: 1, cursor: null });
		await pollIndexingStatus.call(pollContext({ staticData, budgetMs: 300, callMs: 20 }), tokenListing);
		expect(cursors.length).toBeGreaterThan(firstPoll);
		// Every page after the first is asked for with the token the page before gave, across polls.
		for (const { page, cursor } of cursors) expect(cursor).toBe(page === 1 ? null : `token-${page}`);
		expect(cursors[firstPoll].page).toBeGreaterThan(1);
	});

	it('reads the pass again from its first page when the vendor refuses the kept token', async () => {
		const staticData: IDataObject = {};
		const { tokenListing, cursors } = tokenListingOf();
		await pollIndexingStatus.call(pollContext({ staticData, budgetMs: 300, callMs: 20 }), tokenListing);
		const listing = (staticData.indexingStatus as { listing: { nextPage: number; nextCursor: string | null } }).listing;
		const stoppedAt = listing.nextPage;
		expect(stoppedAt).toBeGreaterThan(1);
		// The token expired while n8n was down.
		listing.nextCursor = 'token-expired';
		cursors.length = 0;

		await pollIndexingStatus.call(pollContext({ staticData }), tokenListing);
		expect(cursors.slice(0, 3)).toEqual([
			{ page: stoppedAt, cursor: 'token-expired' },
			{ page: 1, cursor: null },
			{ page: 2, cursor: 'token-2' },
		]);
		expect(cursors).toHaveLength(PAGES + 1);
		expect(staticData.indexingStatus).toMatchObject({ listing: { baselineDone: true, nextPage: 1, nextCursor: null, pass: 1 } });
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
			async listPage(client, target, page, cursor) {
				if (page === 2) {
					throw new VendorRequestError('Test Vendor', 'list', {
						kind: 'auth', retryable: false, httpStatus: 401, code: null, message: 'the key was rejected', requestId: null,
					}, 1);
				}
				return await (listingAdapter.listPage as NonNullable<StatusAdapter['listPage']>)(client, target, page, cursor);
			},
		};
		await expect(pollIndexingStatus.call(pollContext({ staticData }), failing)).rejects.toThrow('Test Vendor list failed: the key was rejected');
		expect(staticData.indexingStatus).toMatchObject({ listing: { nextPage: 1, baselineDone: false } });
	});
});

describe('a listed set paged by token, read over several polls', () => {
	const job: WatchTarget = { scopeKey: 'job:kb/1', knowledgeBaseId: 'kb', jobId: '1', documentIds: null, wholeKnowledgeBase: false };
	const PAGES = 20;
	interface SetState {
		setPass?: { nextPage: number; nextCursor?: string; sawUnfinished: boolean };
		firedFor: string | null;
	}
	const setState = (staticData: IDataObject) => staticData.indexingStatus as unknown as SetState;

	/**
	 * A job of 20 pages of one completed document each (`d<n>`), which the vendor pages by token
	 * alone: without a token it answers its first page, whatever page the caller means.
	 */
	function tokenSet() {
		const calls: Array<{ page: number; cursor: string | null | undefined }> = [];
		const adapter: StatusAdapter = {
			spec,
			progressSignature: testProgress,
			readTarget: () => job,
			fetchStatuses: async () => {
				throw new Error('a trigger reads a paged set with setPage');
			},
			async setPage(client, _target, page, cursor): Promise<ListingPage> {
				await client.request({ operation: 'set', method: 'GET', url: 'http://vendor/set', qs: cursor ? { token: cursor } : {} });
				calls.push({ page, cursor });
				const at = cursor ? Number(/^token-(\d+)$/.exec(cursor)?.[1]) : 1;
				if (!(at >= 1 && at <= PAGES)) throw new Error(`the vendor gave no token ${String(cursor)}`);
				return { documents: [doc(`d${at}`, 'completed')], hasMore: at < PAGES, nextCursor: at < PAGES ? `token-${at + 1}` : null };
			},
		};
		return { adapter, calls };
	}

	// Each call takes 100 ms on a mocked clock; a poll's budget of 1000 ms (80 % for calls)
	// leaves time for 8 pages.
	let clockAt = 0;
	let now: jest.SpyInstance<number, []>;
	beforeEach(() => {
		clockAt = 7_000_000;
		now = jest.spyOn(Date, 'now').mockImplementation(() => clockAt);
	});
	afterEach(() => now.mockRestore());
	const slow = (staticData: IDataObject, hold?: Promise<void>) =>
		pollContext({
			staticData,
			budgetMs: 1000,
			onCall: async () => {
				if (hold) await hold;
				clockAt += 100;
			},
		});
	const allIds = Array.from({ length: PAGES }, (_, i) => `d${i + 1}`);

	it('goes on from the token the last poll stopped at, and reports every document once', async () => {
		const staticData: IDataObject = {};
		const { adapter, calls } = tokenSet();
		const reported: unknown[][] = [];
		for (let poll = 0; poll < 4; poll++) {
			reported.push(emitted(await pollIndexingStatus.call(slow(staticData), adapter)));
			if (poll === 0) expect(setState(staticData).setPass).toEqual({ nextPage: 9, nextCursor: 'token-9', sawUnfinished: false, counted: { completed: 8 } });
		}
		expect(reported).toEqual([allIds.slice(0, 8), allIds.slice(8, 16), allIds.slice(16), []]);
		// Page after page, across polls, each asked for with the token the page before gave; the
		// pass ended: no token kept, and no call once the set is accounted for.
		expect(calls.map((call) => call.page)).toEqual(allIds.map((_, i) => i + 1));
		for (const { page, cursor } of calls) expect(cursor).toBe(page === 1 ? null : `token-${page}`);
		expect(setState(staticData).setPass).toEqual({ nextPage: 1, sawUnfinished: false });
		expect(setState(staticData).firedFor).not.toBeNull();
	});

	it('does not keep the token of a poll that overlapped one that moved the set on', async () => {
		const staticData: IDataObject = {};
		const { adapter, calls } = tokenSet();
		expect(emitted(await pollIndexingStatus.call(slow(staticData), adapter))).toEqual(allIds.slice(0, 8));

		// B and C start together at page 9; C's first answer comes only after B has recorded.
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		const b = pollIndexingStatus.call(slow(staticData), adapter);
		const c = pollIndexingStatus.call(slow(staticData, held), adapter);
		expect(emitted(await b)).toEqual(allIds.slice(8, 16));
		expect(setState(staticData).setPass).toEqual({ nextPage: 17, nextCursor: 'token-17', sawUnfinished: false, counted: { completed: 16 } });
		release();
		// C read page 9 and would go on at token-10: it reports nothing again and keeps B's place.
		expect(emitted(await c)).toEqual([]);
		expect(calls.filter((call) => call.cursor === 'token-9')).toHaveLength(2);
		// Nor does it count its page for the pass's summary again.
		expect(setState(staticData).setPass).toEqual({ nextPage: 17, nextCursor: 'token-17', sawUnfinished: false, counted: { completed: 16 } });

		expect(emitted(await pollIndexingStatus.call(slow(staticData), adapter))).toEqual(allIds.slice(16));
		expect(calls.slice(-4).map((call) => call.cursor)).toEqual(['token-17', 'token-18', 'token-19', 'token-20']);
	});

	it('keeps working on a state saved before tokens were kept: the adapter is asked with none', async () => {
		const staticData: IDataObject = {};
		const { adapter, calls } = tokenSet();
		const reported = emitted(await pollIndexingStatus.call(slow(staticData), adapter));
		delete setState(staticData).setPass?.nextCursor;
		for (let poll = 0; poll < 6; poll++) reported.push(...emitted(await pollIndexingStatus.call(slow(staticData), adapter)));
		expect(calls[8]).toEqual({ page: 9, cursor: null });
		expect([...reported].sort()).toEqual([...allIds].sort());
		expect(setState(staticData).firedFor).not.toBeNull();
	});
});
