import type { TriggerState } from '../../nodes/shared/triggerState';
import {
	applyFixedSet,
	applyListing,
	FORGET_AFTER_PASSES,
	idsToAsk,
	isFixedSetDone,
	loadState,
} from '../../nodes/shared/triggerState';
import type { DocumentStatus } from '../../nodes/shared/types';
import type { WatchTarget } from '../../nodes/shared/vendor';
import { doc } from './fakes';

const NOW = Date.parse('2026-01-01T00:00:00Z');

const batch: WatchTarget = { scopeKey: 'batch:1', knowledgeBaseId: 'kb', jobId: '1', documentIds: null, wholeKnowledgeBase: false };
const dataset: WatchTarget = { scopeKey: 'dataset', knowledgeBaseId: 'kb', jobId: null, documentIds: null, wholeKnowledgeBase: true };
const ids = (documentIds: string[]): WatchTarget => ({
	scopeKey: 'documents:kb', knowledgeBaseId: 'kb', jobId: null, documentIds, wholeKnowledgeBase: false,
});

/** Stores and reloads the state as n8n does between polls (and across a restart). */
const reload = (state: TriggerState): unknown => JSON.parse(JSON.stringify(state));

/** A document finished at `minutes` after NOW, by the vendor's clock. */
const finishedAt = (id: string, minutes: number, status: 'completed' | 'failed' = 'completed') =>
	doc(id, status, { completedAt: new Date(NOW + minutes * 60_000).toISOString() });

/** Runs polls of a fixed set, each against the state the last one left. */
function fixedPolls(target: WatchTarget, event: string, polls: DocumentStatus[][]) {
	let state: unknown;
	return polls.map((documents) => {
		const decision = applyFixedSet(loadState(state, target, event, NOW), target, event, documents);
		state = reload(decision.next);
		return decision;
	});
}

/** A listing poller whose state can be reset, as n8n restores it after a restart. */
class ListingPoller {
	state: unknown;
	constructor(readonly event = 'documentFinished') {}

	/** One poll that reads the whole listing in one go. */
	poll(documents: DocumentStatus[], now = NOW) {
		return this.pages([documents], true, now);
	}

	/** One poll that reads `pages`; the pass ends with the last one when `passEnded`. */
	pages(pages: DocumentStatus[][], passEnded: boolean, now = NOW) {
		const decision = applyListing(loadState(this.state, dataset, this.event, now), this.event, pages.flat(), passEnded, pages.length);
		this.state = reload(decision.next);
		return decision;
	}
}

const reported = (decision: { newlyFinished: DocumentStatus[] }) => decision.newlyFinished.map((d) => d.documentId);

describe('a fixed set', () => {
	it('reports documents already terminal at the first poll, then each once', () => {
		const [first, second, third, fourth] = fixedPolls(batch, 'documentFinished', [
			[doc('a', 'completed'), doc('b', 'processing')],
			[doc('a', 'completed'), doc('b', 'processing')],
			[doc('a', 'completed'), doc('b', 'failed')],
			[doc('a', 'processing'), doc('b', 'failed')],
		]);
		expect(reported(first)).toEqual(['a']);
		expect(reported(second)).toEqual([]);
		expect(reported(third)).toEqual(['b']);
		expect(reported(fourth)).toEqual([]);
	});

	it('never asks again about a reported document, and is done once all are reported', () => {
		const target = ids(['a', 'b']);
		const first = applyFixedSet(loadState(undefined, target, 'documentFinished', NOW), target, 'documentFinished', [
			doc('a', 'completed'),
			doc('b', 'processing'),
		]);
		expect(idsToAsk(first.next, target)).toEqual(['b']);
		expect(isFixedSetDone(first.next)).toBe(false);
		const second = applyFixedSet(loadState(reload(first.next), target, 'documentFinished', NOW), target, 'documentFinished', [
			doc('b', 'completed'),
		]);
		expect(reported(second)).toEqual(['b']);
		expect(idsToAsk(second.next, target)).toEqual([]);
		expect(isFixedSetDone(second.next)).toBe(true);
	});

	it('fires All Finished once for the set, also when it is finished at the first poll', () => {
		const fired = fixedPolls(batch, 'allFinished', [
			[doc('a', 'completed'), doc('b', 'processing')],
			[doc('a', 'completed'), doc('b', 'failed')],
			[doc('a', 'completed'), doc('b', 'failed')],
		]).map((d) => d.allFinished);
		expect(fired).toEqual([false, true, false]);
		expect(fixedPolls(batch, 'allFinished', [[doc('a', 'completed')]])[0].allFinished).toBe(true);
	});

	it('ignores a job placeholder without a document id and never fires for an empty set', () => {
		const [placeholder] = fixedPolls(batch, 'allFinished', [[doc(null, 'queued')]]);
		expect(placeholder.allFinished).toBe(false);
		expect(fixedPolls(batch, 'allFinished', [[]])[0].allFinished).toBe(false);
		expect(reported(fixedPolls(batch, 'documentFinished', [[doc(null, 'not_found')]])[0])).toEqual([]);
	});

	it('reports a not-found document only when two polls in a row say so', () => {
		const [first, appeared] = fixedPolls(ids(['a']), 'documentFinished', [[doc('a', 'not_found')], [doc('a', 'completed')]]);
		expect(reported(first)).toEqual([]);
		expect(appeared.newlyFinished.map((d) => d.status)).toEqual(['completed']);
		const [, still] = fixedPolls(ids(['a']), 'documentFinished', [[doc('a', 'not_found')], [doc('a', 'not_found')]]);
		expect(still.newlyFinished.map((d) => d.status)).toEqual(['not_found']);
	});

	it('reports a set that ends without listing any document once, and is then done', () => {
		// A job that ended FAILED without a document: one item for the job itself.
		const [first, second] = fixedPolls(batch, 'documentFinished', [[doc(null, 'failed')], [doc(null, 'failed')]]);
		expect(reported(first)).toEqual([null]);
		expect(isFixedSetDone(first.next)).toBe(true);
		expect(reported(second)).toEqual([]);
		const [fired, again] = fixedPolls(batch, 'allFinished', [[doc(null, 'completed')], [doc(null, 'completed')]]);
		expect([fired.allFinished, again.allFinished]).toEqual([true, false]);
		// A batch the vendor does not know: final when two polls in a row say so.
		const missing = fixedPolls(batch, 'allFinished', [[doc(null, 'not_found')], [doc(null, 'not_found')]]);
		expect(missing.map((p) => p.allFinished)).toEqual([false, true]);
		expect(isFixedSetDone(missing[1].next)).toBe(true);
	});

	it('remembers a not-found document across polls that ask about other slices of a long id list', () => {
		// The poll budget splits the list: a, b in one poll, c, d in the next, and so on.
		const target = ids(['a', 'b', 'c', 'd']);
		const polls = fixedPolls(target, 'allFinished', [
			[doc('a', 'not_found'), doc('b', 'completed')],
			[doc('c', 'completed'), doc('d', 'completed')],
			[doc('a', 'not_found'), doc('b', 'completed')],
		]);
		// The second poll that did not find a, two slices apart, makes it final, and the set is done.
		expect(polls.map((p) => p.allFinished)).toEqual([false, false, true]);
	});

	it('keeps reported documents when ids are reordered, reports only an added one, and fires for the new set', () => {
		let state = applyFixedSet(loadState(undefined, ids(['a', 'b']), 'documentFinished', NOW), ids(['a', 'b']), 'documentFinished', [
			doc('a', 'completed'),
			doc('b', 'completed'),
		]).next;
		const reordered = loadState(reload(state), ids(['b', 'a']), 'documentFinished', NOW);
		expect(idsToAsk(reordered, ids(['b', 'a']))).toEqual([]);
		expect(isFixedSetDone(reordered)).toBe(true);

		const grown = loadState(reload(state), ids(['b', 'a', 'c']), 'allFinished', NOW);
		expect(isFixedSetDone(grown)).toBe(false);
		state = applyFixedSet(loadState(reload(state), ids(['b', 'a', 'c']), 'documentFinished', NOW), ids(['b', 'a', 'c']), 'documentFinished', [
			doc('c', 'completed'),
		]).next;
		expect(Object.keys(state.known).sort()).toEqual(['a', 'b', 'c']);
	});

	it('starts afresh when the event or the watched thing changes', () => {
		const [asAll] = fixedPolls(batch, 'allFinished', [[doc('a', 'completed')]]);
		const asEach = applyFixedSet(loadState(reload(asAll.next), batch, 'documentFinished', NOW), batch, 'documentFinished', [doc('a', 'completed')]);
		expect(reported(asEach)).toEqual(['a']);
		const other = { ...batch, scopeKey: 'batch:2' };
		expect(loadState(reload(asAll.next), other, 'allFinished', NOW).firedFor).toBeNull();
	});
});

describe('a listed set read over several polls', () => {
	/** Polls of a batch, each reading some of its pages; the pass ends with the last page. */
	function pagedPolls(event: string, polls: Array<{ documents: DocumentStatus[]; ended: boolean; pagesRead: number }>) {
		let state: unknown;
		return polls.map(({ documents, ended, pagesRead }) => {
			const decision = applyFixedSet(loadState(state, batch, event, NOW), batch, event, documents, { ended, pagesRead });
			state = reload(decision.next);
			return decision;
		});
	}

	it('fires All Finished once, at the end of the first pass whose pages all ended', () => {
		const decisions = pagedPolls('allFinished', [
			{ documents: [doc('a', 'processing'), doc('b', 'completed')], ended: false, pagesRead: 1 },
			{ documents: [doc('c', 'completed')], ended: true, pagesRead: 1 },
			{ documents: [doc('a', 'completed'), doc('b', 'completed')], ended: false, pagesRead: 1 },
			{ documents: [doc('c', 'completed')], ended: true, pagesRead: 1 },
		]);
		// Pass 1 saw a unfinished on its first page; pass 2 ended with everything accounted for.
		expect(decisions.map((d) => d.allFinished)).toEqual([false, false, false, true]);
		const last = decisions[3].next;
		expect(isFixedSetDone(last)).toBe(true);
		expect(last.setPass).toEqual({ nextPage: 1, sawUnfinished: false });
		expect(decisions[1].next.setPass).toEqual({ nextPage: 1, sawUnfinished: false });
		expect(decisions[0].next.setPass).toEqual({ nextPage: 2, sawUnfinished: true, counted: { processing: 1, completed: 1 } });
	});

	it('gives the summary the statuses that the earlier polls of the pass read, counted once', () => {
		const decisions = pagedPolls('allFinished', [
			{ documents: [doc('a', 'completed'), doc('b', 'failed')], ended: false, pagesRead: 1 },
			// A poll that overlapped one that moved the pass on: its documents count for nothing.
			{ documents: [doc('a', 'completed'), doc('b', 'failed')], ended: false, pagesRead: 0 },
			{ documents: [doc('c', 'completed'), doc('d', 'completed')], ended: false, pagesRead: 1 },
			{ documents: [doc('e', 'processing')], ended: true, pagesRead: 1 },
		]);
		expect(decisions.map((d) => d.allFinished)).toEqual([false, false, false, false]);
		expect(decisions[2].next.setPass?.counted).toEqual({ completed: 3, failed: 1 });
		// The pass ended: nothing of it is kept for the next one.
		expect(decisions[3].next.setPass).toEqual({ nextPage: 1, sawUnfinished: false });

		const fired = pagedPolls('allFinished', [
			{ documents: [doc('a', 'completed'), doc('b', 'failed')], ended: false, pagesRead: 1 },
			{ documents: [doc('c', 'completed')], ended: true, pagesRead: 1 },
		]);
		expect(fired.map((d) => d.allFinished)).toEqual([false, true]);
		expect(fired[1].earlierInPass).toEqual({ completed: 1, failed: 1 });
		expect(fired[0].earlierInPass).toBeUndefined();
	});

	it('reports each document once from the page that showed it ended', () => {
		const decisions = pagedPolls('documentFinished', [
			{ documents: [doc('a', 'processing'), doc('b', 'completed')], ended: false, pagesRead: 1 },
			{ documents: [doc('c', 'failed')], ended: true, pagesRead: 1 },
			{ documents: [doc('a', 'completed'), doc('b', 'completed')], ended: false, pagesRead: 1 },
			{ documents: [doc('c', 'failed')], ended: true, pagesRead: 1 },
		]);
		expect(decisions.map(reported)).toEqual([['b'], ['c'], ['a'], []]);
	});
});

describe('a whole knowledge base', () => {
	it('records a baseline first, then reports what finishes and what arrives finished', () => {
		const poller = new ListingPoller();
		expect(reported(poller.poll([doc('old', 'completed'), doc('a', 'processing')]))).toEqual([]);
		expect(reported(poller.poll([doc('old', 'completed'), doc('a', 'completed'), doc('new', 'failed')]))).toEqual(['a', 'new']);
		expect(reported(poller.poll([doc('old', 'completed'), doc('a', 'completed'), doc('new', 'failed')]))).toEqual([]);
	});

	it('fires All Finished each time the dataset goes from unfinished to all terminal', () => {
		const poller = new ListingPoller('allFinished');
		const fired = [
			[doc('a', 'completed')],
			[doc('a', 'completed')],
			[doc('a', 'completed'), doc('b', 'processing')],
			[doc('a', 'completed'), doc('b', 'completed')],
			[doc('a', 'completed'), doc('b', 'completed')],
			[doc('a', 'processing'), doc('b', 'completed')],
			[doc('a', 'completed'), doc('b', 'completed')],
		].map((documents) => poller.poll(documents).allFinished);
		expect(fired).toEqual([false, false, false, true, false, false, true]);
	});

	it('gives All Finished the statuses the earlier polls of a pass read, and starts the next pass from none', () => {
		const poller = new ListingPoller('allFinished');
		poller.poll([doc('a', 'completed'), doc('b', 'processing')]);
		expect(poller.pages([[doc('a', 'completed'), doc('c', 'failed')]], false).earlierInPass).toBeUndefined();
		const fired = poller.pages([[doc('b', 'completed')]], true);
		expect(fired.allFinished).toBe(true);
		expect(fired.earlierInPass).toEqual({ completed: 1, failed: 1 });
		expect(fired.next.listing).not.toHaveProperty('counted');
	});

	it('reports a re-indexed document again when it finishes again', () => {
		const poller = new ListingPoller();
		poller.poll([doc('a', 'completed')]);
		poller.poll([doc('a', 'processing')]);
		expect(reported(poller.poll([doc('a', 'completed')]))).toEqual(['a']);
	});

	it('does not report a finished document again after it was missing from one listing', () => {
		const poller = new ListingPoller();
		poller.poll([doc('a', 'completed'), doc('b', 'completed')]);
		expect(reported(poller.poll([doc('a', 'completed')]))).toEqual([]);
		expect(reported(poller.poll([doc('a', 'completed'), doc('b', 'completed')]))).toEqual([]);
	});

	it(`forgets a document missing from ${FORGET_AFTER_PASSES} complete listings in a row`, () => {
		const poller = new ListingPoller();
		poller.poll([doc('a', 'completed'), doc('gone', 'completed')]);
		for (let pass = 1; pass < FORGET_AFTER_PASSES; pass++) poller.poll([doc('a', 'completed')]);
		expect(Object.keys((poller.state as TriggerState).known)).toEqual(['a', 'gone']);
		poller.poll([doc('a', 'completed')]);
		expect(Object.keys((poller.state as TriggerState).known)).toEqual(['a']);
	});

	it('completes a baseline split over several polls before it reports anything', () => {
		const poller = new ListingPoller();
		// The first poll runs out of time after page 1 of 2; the second reads page 2.
		expect(reported(poller.pages([[doc('a', 'completed')]], false))).toEqual([]);
		expect(reported(poller.pages([[doc('long-ago', 'completed'), doc('b', 'processing')]], true))).toEqual([]);
		expect((poller.state as TriggerState).listing).toMatchObject({ baselineDone: true, nextPage: 1, pass: 1 });
		expect(reported(poller.poll([doc('a', 'completed'), doc('long-ago', 'completed'), doc('b', 'completed')]))).toEqual(['b']);
	});

	it('reports a document that finished after the baseline began, even on a page the baseline read late', () => {
		const poller = new ListingPoller();
		poller.pages([[finishedAt('a', -60)]], false);
		expect(reported(poller.pages([[finishedAt('late', 2), finishedAt('old', -30)]], true))).toEqual(['late']);
	});

	it('continues a split pass where the last poll stopped', () => {
		const poller = new ListingPoller();
		poller.poll([doc('a', 'completed')]);
		poller.pages([[doc('a', 'completed')]], false);
		expect((poller.state as TriggerState).listing?.nextPage).toBe(2);
		poller.pages([[doc('b', 'completed')], [doc('c', 'processing')]], false);
		expect((poller.state as TriggerState).listing?.nextPage).toBe(4);
	});
});

describe('across n8n restarts (static data saved only by polls that emit)', () => {
	it('fires All Finished after a restart for a document seen unfinished before it', () => {
		const poller = new ListingPoller('allFinished');
		poller.poll([doc('a', 'completed')]); // the activation poll: saved
		const saved = poller.state;
		poller.poll([doc('a', 'completed'), doc('b', 'processing')]); // emits nothing: not saved
		poller.state = saved; // restart
		expect(poller.poll([doc('a', 'completed'), doc('b', 'completed')]).allFinished).toBe(true);
	});

	it('reports a document that finished while n8n was down, and one indexed again, when the vendor gives completion times', () => {
		const poller = new ListingPoller();
		poller.poll([finishedAt('a', -1)]);
		const saved = poller.state;
		poller.poll([finishedAt('a', -1), doc('b', 'processing')]);
		poller.poll([doc('a', 'processing'), doc('b', 'processing')]);
		poller.state = saved; // restart: the two polls above never happened
		expect(reported(poller.poll([finishedAt('a', 9), finishedAt('b', 8)]))).toEqual(['a', 'b']);
	});

	it('cannot see a re-index that started and ended while n8n was down when the listing has no times', () => {
		const poller = new ListingPoller();
		poller.poll([doc('a', 'completed')]);
		const saved = poller.state;
		poller.poll([doc('a', 'processing')]);
		poller.state = saved;
		expect(reported(poller.poll([doc('a', 'completed')]))).toEqual([]);
	});
});

describe('the size of the state', () => {
	it('stays small for 10 000 documents with 1 000 deleted', () => {
		const poller = new ListingPoller();
		const uuid = (i: number) => `5f3c1c2e-0b6a-4f7e-9d1a-${i.toString().padStart(12, '0')}`;
		const all = Array.from({ length: 10_000 }, (_, i) => finishedAt(uuid(i), -i));
		poller.poll(all);
		const kept = all.slice(1_000);
		poller.poll(kept);
		const withDeleted = JSON.stringify(poller.state).length;
		for (let pass = 1; pass < FORGET_AFTER_PASSES; pass++) poller.poll(kept);
		const afterForgetting = JSON.stringify(poller.state).length;
		expect(Object.keys((poller.state as TriggerState).known)).toHaveLength(9_000);
		expect(withDeleted).toBeLessThan(600_000);
		expect(afterForgetting).toBeLessThan(withDeleted * 0.92);
	});
});
