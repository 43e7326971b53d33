import { diffTriggerState as diffFor } from '../../nodes/shared/triggerState';
import type { TriggerState } from '../../nodes/shared/triggerState';
import type { WatchTarget } from '../../nodes/shared/vendor';
import type { DocumentStatus } from '../../nodes/shared/types';
import { doc } from './fakes';

/** The same diff for either event: the event only decides what the node emits. */
const diffTriggerState = (previous: TriggerState | undefined, target: WatchTarget, documents: DocumentStatus[]) =>
	diffFor(previous, target, 'documentFinished', documents);

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

describe('trigger diff edge cases', () => {
	const ids = (documentIds: string[]): WatchTarget => ({
		scopeKey: 'documents:kb', knowledgeBaseId: 'kb', jobId: null, documentIds, wholeKnowledgeBase: false,
	});

	it('does not count a batch the vendor does not list as finished', () => {
		const unknownBatch = doc(null, 'not_found');
		const first = diffTriggerState(undefined, fixed, [unknownBatch]);
		expect(first.allFinished).toBe(false);
		const later = diffTriggerState(reload(first.next), fixed, [doc('x', 'completed')]);
		expect(later.allFinished).toBe(true);
		expect(later.newlyFinished.map((d) => d.documentId)).toEqual(['x']);
	});

	it('reports a not-found document only when two polls in a row say so', () => {
		const first = diffTriggerState(undefined, ids(['a']), [doc('a', 'not_found')]);
		expect(first.newlyFinished).toEqual([]);
		const appeared = diffTriggerState(reload(first.next), ids(['a']), [doc('a', 'completed')]);
		expect(appeared.newlyFinished.map((d) => d.status)).toEqual(['completed']);

		const still = diffTriggerState(reload(first.next), ids(['a']), [doc('a', 'not_found')]);
		expect(still.newlyFinished.map((d) => d.status)).toEqual(['not_found']);
	});

	it('keeps reported documents when ids are reordered or added, and reports only the new one', () => {
		const first = diffTriggerState(undefined, ids(['a', 'b']), [doc('a', 'completed'), doc('b', 'completed')]);
		expect(first.allFinished).toBe(true);
		const reordered = diffTriggerState(reload(first.next), ids(['b', 'a']), [doc('b', 'completed'), doc('a', 'completed')]);
		expect(reordered.newlyFinished).toEqual([]);
		expect(reordered.allFinished).toBe(false);
		const grown = diffTriggerState(reload(reordered.next), ids(['b', 'a', 'c']), [doc('b', 'completed'), doc('a', 'completed'), doc('c', 'completed')]);
		expect(grown.newlyFinished.map((d) => d.documentId)).toEqual(['c']);
		// A new set of documents: All Finished answers for it once more.
		expect(grown.allFinished).toBe(true);
	});

	it('starts afresh when the event changes', () => {
		const asAll = diffFor(undefined, fixed, 'allFinished', [doc('a', 'completed')]);
		const asEach = diffFor(reload(asAll.next), fixed, 'documentFinished', [doc('a', 'completed')]);
		expect(asEach.newlyFinished.map((d) => d.documentId)).toEqual(['a']);
	});

	it('does not report a finished document again after it was missing from one listing', () => {
		const baseline = diffTriggerState(undefined, dataset, [doc('a', 'completed'), doc('b', 'completed')]);
		const shifted = diffTriggerState(reload(baseline.next), dataset, [doc('a', 'completed')]);
		const back = diffTriggerState(reload(shifted.next), dataset, [doc('a', 'completed'), doc('b', 'completed')]);
		expect([...shifted.newlyFinished, ...back.newlyFinished]).toEqual([]);
	});
});
