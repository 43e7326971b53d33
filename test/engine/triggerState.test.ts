import { diffTriggerState } from '../../nodes/shared/triggerState';
import type { TriggerState } from '../../nodes/shared/triggerState';
import type { WatchTarget } from '../../nodes/shared/vendor';
import { doc } from './fakes';

const fixed: WatchTarget = { scopeKey: 'batch:1', knowledgeBaseId: 'kb', jobId: '1', documentIds: null, wholeKnowledgeBase: false };
const dataset: WatchTarget = { scopeKey: 'dataset', knowledgeBaseId: 'kb', jobId: null, documentIds: null, wholeKnowledgeBase: true };

/** Stores and reloads the state as n8n does between polls (and across a restart). */
const reload = (state: TriggerState): TriggerState => JSON.parse(JSON.stringify(state));

describe('trigger diff for a fixed set', () => {
	it('reports documents already terminal at the first poll, then each once', () => {
		const first = diffTriggerState(undefined, fixed, [doc('a', 'completed'), doc('b', 'processing')]);
		expect(first.newlyFinished.map((d) => d.documentId)).toEqual(['a']);
		expect(first.allFinished).toBe(false);

		const second = diffTriggerState(reload(first.next), fixed, [doc('a', 'completed'), doc('b', 'processing')]);
		expect(second.newlyFinished).toEqual([]);

		const third = diffTriggerState(reload(second.next), fixed, [doc('a', 'completed'), doc('b', 'failed')]);
		expect(third.newlyFinished.map((d) => d.documentId)).toEqual(['b']);
		expect(third.allFinished).toBe(true);

		// Re-processing does not report a fixed document, nor the whole set, a second time.
		const fourth = diffTriggerState(reload(third.next), fixed, [doc('a', 'processing'), doc('b', 'failed')]);
		const fifth = diffTriggerState(reload(fourth.next), fixed, [doc('a', 'completed'), doc('b', 'failed')]);
		expect([...fourth.newlyFinished, ...fifth.newlyFinished]).toEqual([]);
		expect(fourth.allFinished || fifth.allFinished).toBe(false);
	});

	it('fires all-finished at the first poll when everything is already done', () => {
		expect(diffTriggerState(undefined, fixed, [doc('a', 'completed')]).allFinished).toBe(true);
	});

	it('ignores a job placeholder without a document id and never reports an empty set as finished', () => {
		const diff = diffTriggerState(undefined, fixed, [doc(null, 'queued')]);
		expect(diff.newlyFinished).toEqual([]);
		expect(diffTriggerState(undefined, fixed, []).allFinished).toBe(false);
	});

	it('starts afresh when the watched set changes', () => {
		const first = diffTriggerState(undefined, fixed, [doc('a', 'completed')]);
		const other = { ...fixed, scopeKey: 'batch:2' };
		expect(diffTriggerState(first.next, other, [doc('a', 'completed')]).newlyFinished).toHaveLength(1);
	});
});

describe('trigger diff for a whole knowledge base', () => {
	it('records a baseline first, then reports what finishes and what arrives finished', () => {
		const baseline = diffTriggerState(undefined, dataset, [doc('old', 'completed'), doc('a', 'processing')]);
		expect(baseline.newlyFinished).toEqual([]);
		expect(baseline.allFinished).toBe(false);

		const next = diffTriggerState(reload(baseline.next), dataset, [
			doc('old', 'completed'),
			doc('a', 'completed'),
			doc('new', 'failed'),
		]);
		expect(next.newlyFinished.map((d) => d.documentId)).toEqual(['a', 'new']);
		expect(next.allFinished).toBe(true);
	});

	it('fires all-finished each time the dataset goes from unfinished to all terminal', () => {
		let state = diffTriggerState(undefined, dataset, [doc('a', 'completed')]).next;
		const polls = [
			[doc('a', 'completed')],
			[doc('a', 'completed'), doc('b', 'processing')],
			[doc('a', 'completed'), doc('b', 'completed')],
			[doc('a', 'completed'), doc('b', 'completed')],
			[doc('a', 'processing'), doc('b', 'completed')],
			[doc('a', 'completed'), doc('b', 'completed')],
		];
		const fired = polls.map((documents) => {
			const diff = diffTriggerState(reload(state), dataset, documents);
			state = diff.next;
			return diff.allFinished;
		});
		expect(fired).toEqual([false, false, true, false, false, true]);
	});

	it('reports a re-indexed document again when it finishes again', () => {
		let state = diffTriggerState(undefined, dataset, [doc('a', 'completed')]).next;
		state = diffTriggerState(reload(state), dataset, [doc('a', 'processing')]).next;
		const again = diffTriggerState(reload(state), dataset, [doc('a', 'completed')]);
		expect(again.newlyFinished.map((d) => d.documentId)).toEqual(['a']);
	});
});
