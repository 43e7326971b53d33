import { VendorClient } from '../../nodes/shared/client';
import { MAX_TRACKED, trackStuck } from '../../nodes/shared/stuck';
import type { TriggerState } from '../../nodes/shared/triggerState';
import { FORGET_AFTER_PASSES, loadState } from '../../nodes/shared/triggerState';
import type { DocumentStatus, NormalizedStatus } from '../../nodes/shared/types';
import type { NodeContext, WatchTarget } from '../../nodes/shared/vendor';
import type { WatchRequest } from '../../nodes/shared/watch';
import { watchDocuments } from '../../nodes/shared/watch';
import { doc, scriptedAdapter, SimulatedClock, testProgress, testSpec } from './fakes';

const spec = testSpec();
const client = new VendorClient({} as NodeContext, spec, new SimulatedClock());

type Step = NormalizedStatus | Partial<DocumentStatus>;

const idsTarget = (documentIds: string[]): WatchTarget => ({
	scopeKey: 'ds',
	knowledgeBaseId: 'kb',
	jobId: null,
	documentIds,
	wholeKnowledgeBase: false,
});

const request = (target: WatchTarget, overrides: Partial<WatchRequest<WatchTarget>> = {}): WatchRequest<WatchTarget> => ({
	itemIndex: 0,
	target,
	pollIntervalMs: 5000,
	timeoutMs: 600_000,
	notFoundGraceMs: 0,
	...overrides,
});

const iso = (ms: number) => new Date(ms).toISOString();

describe('Wait Until Indexed with Stuck After', () => {
	it('ends the wait early when every unfinished document stays unchanged, and says since when', async () => {
		const clock = new SimulatedClock();
		const start = clock.now();
		const { adapter } = scriptedAdapter({
			done: ['processing', 'completed'],
			// Moves once at the second poll (5 s), then never again.
			held: [{ status: 'queued', progress: 0 }, { status: 'processing', progress: 40 }],
		});
		const [result] = await watchDocuments(adapter, client, [request(idsTarget(['done', 'held']), { stuckAfterMs: 30_000 })], {
			clock,
			failFast: true,
		});
		// Unchanged since 5 s: stuck at the first look at or after 35 s, long before the timeout.
		expect(result).toMatchObject({ stuck: true, timedOut: false, waitedSeconds: 35 });
		const [done, held] = result.documents;
		expect(done).toMatchObject({ status: 'completed' });
		expect(done.stuckSince).toBeUndefined();
		expect(held).toMatchObject({ status: 'processing', progress: 40, stuckSince: iso(start + 5000) });
	});

	it('never calls a document stuck that moves a little at every look', async () => {
		const clock = new SimulatedClock();
		// 1 % per poll for 100 polls, with Stuck After at two polls' time.
		const climb: Step[] = Array.from({ length: 100 }, (_, i) => ({ status: 'processing', progress: i }));
		const { adapter } = scriptedAdapter({ slow: [...climb, 'completed'] });
		const [result] = await watchDocuments(adapter, client, [request(idsTarget(['slow']), { stuckAfterMs: 10_000, timeoutMs: 3_600_000 })], {
			clock,
			failFast: true,
		});
		expect(result).toMatchObject({ stuck: false, timedOut: false, polls: 101 });
		expect(result.documents[0]).toMatchObject({ status: 'completed' });
		expect(result.documents[0].stuckSince).toBeUndefined();
	});

	it('keeps waiting while one unfinished document still changes, and restarts the clock of one that changes', async () => {
		const clock = new SimulatedClock();
		const start = clock.now();
		const { adapter } = scriptedAdapter({
			still: [{ status: 'processing', progress: 10 }],
			// Changes at 0, 5, ..., 50 s, then holds.
			moving: Array.from({ length: 11 }, (_, i) => ({ status: 'processing' as const, progress: i * 5 })),
		});
		const [result] = await watchDocuments(adapter, client, [request(idsTarget(['still', 'moving']), { stuckAfterMs: 20_000 })], {
			clock,
			failFast: true,
		});
		// "still" is stuck from 20 s on, but the wait goes on until "moving" has held for 20 s too.
		expect(result).toMatchObject({ stuck: true, waitedSeconds: 70 });
		expect(result.documents.map((d) => d.stuckSince)).toEqual([iso(start), iso(start + 50_000)]);
	});

	it('waits out the timeout when Stuck After is 0', async () => {
		const clock = new SimulatedClock();
		const { adapter } = scriptedAdapter({ held: ['processing'] });
		const [result] = await watchDocuments(adapter, client, [request(idsTarget(['held']), { timeoutMs: 60_000 })], {
			clock,
			failFast: true,
		});
		expect(result).toMatchObject({ stuck: false, timedOut: true, waitedSeconds: 60 });
		expect(result.documents[0].stuckSince).toBeUndefined();
	});

	it('looks again at the moment the documents would be stuck, not a stretched minute later', async () => {
		const clock = new SimulatedClock();
		// The vendor says completion is far off: the schedule stretches towards 60 s.
		const { adapter } = scriptedAdapter({ held: [{ status: 'processing', progress: 10, remainingSeconds: 3600 }] });
		const [result] = await watchDocuments(adapter, client, [request(idsTarget(['held']), { stuckAfterMs: 20_000 })], {
			clock,
			failFast: true,
		});
		expect(result).toMatchObject({ stuck: true, waitedSeconds: 20, polls: 2 });
	});
});

describe('the Document Stuck state of a trigger', () => {
	const T0 = Date.parse('2026-03-01T00:00:00Z');
	const MINUTE = 60_000;
	const progressOnly = { progressSignature: testProgress };
	const reload = (state: TriggerState) => JSON.parse(JSON.stringify(state)) as unknown;

	/** Polls with the state reloaded as n8n reloads it; `now` in minutes after T0. */
	function poller(target: WatchTarget) {
		let saved: unknown;
		return (minutes: number, documents: DocumentStatus[], stale = false) => {
			const state = loadState(saved, target, 'documentStuck', T0);
			const stuck = trackStuck(state, progressOnly, target, documents, { stuckAfterMs: 30 * MINUTE, now: T0 + minutes * MINUTE, stale });
			saved = reload(state);
			return { ids: stuck.map((d) => [d.documentId, d.stuckSince]), state: saved as TriggerState };
		};
	}

	it('reports a document once per stuck spell, and again after it changes and sticks anew', () => {
		const poll = poller(idsTarget(['a', 'b']));
		const a = (progress: number) => doc('a', 'processing', { progress });
		const b = doc('b', 'queued');
		expect(poll(0, [a(10), b]).ids).toEqual([]);
		expect(poll(29, [a(10), b]).ids).toEqual([]);
		expect(poll(30, [a(10), b]).ids).toEqual([
			['a', iso(T0)],
			['b', iso(T0)],
		]);
		expect(poll(90, [a(10), b]).ids).toEqual([]);
		// It moves: a new spell, reported once it has held still for 30 minutes again.
		expect(poll(100, [a(20), b]).ids).toEqual([]);
		expect(poll(125, [a(20), b]).ids).toEqual([]);
		expect(poll(130, [a(20), b]).ids).toEqual([['a', iso(T0 + 100 * MINUTE)]]);
		expect(poll(200, [a(20), b]).ids).toEqual([]);
	});

	it('lets go of finished documents and of ids no longer watched', () => {
		const poll = poller(idsTarget(['a', 'b']));
		poll(0, [doc('a', 'processing'), doc('b', 'processing')]);
		const { state } = poll(10, [doc('a', 'completed'), doc('b', 'processing')]);
		expect(Object.keys(state.stuck ?? {})).toEqual(['b']);
		// The user takes "b" out of the list.
		const onlyA = idsTarget(['a']);
		const next = loadState(reload(state), onlyA, 'documentStuck', T0);
		trackStuck(next, progressOnly, onlyA, [], { stuckAfterMs: MINUTE, now: T0 + 20 * MINUTE, stale: false });
		expect(next.stuck).toEqual({});
	});

	it('ignores a poll that overlapped one that recorded: its answers may be older', () => {
		const poll = poller(idsTarget(['a']));
		poll(0, [doc('a', 'processing', { progress: 50 })]);
		// An older reading, arriving late, neither restarts the clock nor reports.
		expect(poll(40, [doc('a', 'processing', { progress: 40 })], true).ids).toEqual([]);
		expect(poll(41, [doc('a', 'processing', { progress: 50 })]).ids).toEqual([['a', iso(T0)]]);
	});

	it('keeps a whole knowledge base bounded: forgets documents gone from the listing and tracks at most MAX_TRACKED', () => {
		const dataset: WatchTarget = { scopeKey: 'dataset', knowledgeBaseId: 'kb', jobId: null, documentIds: null, wholeKnowledgeBase: true };
		const state = loadState(undefined, dataset, 'documentStuck', T0);
		const check = (minutes: number) => ({ stuckAfterMs: 30 * MINUTE, now: T0 + minutes * MINUTE, stale: false });
		const many = Array.from({ length: MAX_TRACKED + 10 }, (_, i) => doc(`d${i}`, 'processing'));
		trackStuck(state, progressOnly, dataset, many.slice(0, 10), check(0));
		trackStuck(state, progressOnly, dataset, many.slice(10), check(1));
		// The ten that have been still the longest are kept; ten of the newest are let go.
		expect(Object.keys(state.stuck ?? {})).toHaveLength(MAX_TRACKED);
		for (let i = 0; i < 10; i++) expect(state.stuck?.[`d${i}`]).toBeDefined();
		// Complete passes without them: gone after FORGET_AFTER_PASSES passes.
		const listing = state.listing as NonNullable<TriggerState['listing']>;
		for (let pass = 1; pass <= FORGET_AFTER_PASSES + 1; pass++) {
			listing.pass += 1;
			trackStuck(state, progressOnly, dataset, [doc('d0', 'processing')], check(2 + pass));
		}
		expect(Object.keys(state.stuck ?? {})).toEqual(['d0']);
	});
});
