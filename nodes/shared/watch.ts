import type { VendorClient } from './client';
import type { Clock } from './clock';
import { ExecutionCancelledError } from './clock';
import { missingDocument, unansweredDocument } from './documents';
import { VendorRequestError } from './errors';
import { estimateRemainingMs, MAX_STRETCHED_INTERVAL_MS, nextPollDelayMs } from './schedule';
import { settle } from './settle';
import type { ProgressMark } from './schedule';
import { asStuck, ChangeTracker, keyOf } from './stuck';
import type { DocumentStatus } from './types';
import type { StatusAdapter, WatchTarget } from './vendor';

export interface WatchRequest<T extends WatchTarget> {
	itemIndex: number;
	target: T;
	/** Shortest gap between two polls of these documents (the vendor floor already applied). */
	pollIntervalMs: number;
	/** How long to wait; null for a single look (Get Indexing Status). */
	timeoutMs: number | null;
	/** How long a `not_found` document is asked about again before it counts as final. */
	notFoundGraceMs: number;
	/** End the wait when every unfinished document stays unchanged this long; 0: never. */
	stuckAfterMs?: number;
}

export interface WatchResult<T extends WatchTarget> {
	itemIndex: number;
	target: T;
	documents: DocumentStatus[];
	polls: number;
	waitedSeconds: number;
	timedOut: boolean;
	/** The wait ended because every unfinished document was stuck; those carry `stuckSince`. */
	stuck: boolean;
	/** Set when the item's documents could not be read; the item then has no documents. */
	error?: unknown;
}

/** An item's failure, when the caller asked the watch to stop at the first one. */
export class ItemFailure extends Error {
	constructor(
		readonly itemIndex: number,
		readonly reason: unknown,
	) {
		super(reason instanceof Error ? reason.message : String(reason));
	}
}

export interface WatchOptions {
	clock: Clock;
	signal?: AbortSignal;
	/** Throw ItemFailure at the first item whose documents cannot be read. */
	failFast: boolean;
	/** Called after every poll of a scope, e.g. to log progress. */
	onPoll?: (event: PollEvent) => void;
}

export interface PollEvent {
	scopeKey: string;
	documents: DocumentStatus[];
	nextPollInMs: number | null;
}

interface ItemState<T extends WatchTarget> {
	request: WatchRequest<T>;
	deadline: number;
	documents: Map<string, DocumentStatus>;
	notFoundSince: Map<string, number>;
	polls: number;
	done: boolean;
	timedOut: boolean;
	/** Present when the wait ends on stuck documents. */
	changes: ChangeTracker | null;
	stuck: boolean;
	finishedAt: number;
	error?: unknown;
	/** The last round that failed but may succeed later; reported if no round ever succeeds. */
	lastFailure?: unknown;
}

interface Scope<T extends WatchTarget> {
	key: string;
	target: T;
	intervalMs: number;
	items: Array<ItemState<T>>;
	nextPollAt: number;
	progress: Map<string, ProgressMark>;
}

/** Scopes polled at once; more would only queue at the vendor and count against its limits. */
const SCOPE_CONCURRENCY = 4;

/** A scope whose turn comes this much after its last deadline is not polled any more. */
const LATE_TOLERANCE_MS = 1000;

/**
 * Polls the documents of every input item until each item has an answer: every document
 * terminal, the item's timeout reached, or its documents unreadable. Items that share a scope
 * (say, a dataset) and a poll interval are polled together, and a document-id scope only asks
 * about documents that are not final yet.
 */
export async function watchDocuments<T extends WatchTarget>(
	adapter: StatusAdapter<T>,
	client: VendorClient,
	requests: Array<WatchRequest<T>>,
	options: WatchOptions,
): Promise<Array<WatchResult<T>>> {
	const { clock } = options;
	const startedAt = clock.now();
	const states = requests.map((request) => newItemState(adapter, request, startedAt));
	const scopes = groupByScope(states, startedAt);

	// Each scope keeps its own schedule, so that a slow one cannot hold the others past their
	// deadlines. The first failure that must end the execution stops the other scopes too.
	const stop = new AbortController();
	const onCancel = () => stop.abort();
	options.signal?.addEventListener('abort', onCancel);
	const gate = new Gate(SCOPE_CONCURRENCY);
	// The stop reaches calls in flight and their retry sleeps, not only the loop.
	const stoppable = client.limited({ signal: stop.signal });
	let firstFailure: unknown;
	try {
		await Promise.all(
			scopes.map(async (scope) => {
				const outcome = await settle(watchScope(adapter, stoppable, scope, gate, { ...options, signal: stop.signal }));
				if (!outcome.ok && firstFailure === undefined && !stop.signal.aborted) {
					firstFailure = outcome.error;
					stop.abort();
				}
			}),
		);
	} finally {
		options.signal?.removeEventListener('abort', onCancel);
	}
	if (firstFailure !== undefined) throw firstFailure;
	if (options.signal?.aborted) throw new ExecutionCancelledError();

	return states.map((state) => ({
		itemIndex: state.request.itemIndex,
		target: state.request.target,
		documents: orderedDocuments(adapter, state),
		polls: state.polls,
		waitedSeconds: Math.round((state.finishedAt - startedAt) / 100) / 10,
		timedOut: state.timedOut,
		stuck: state.stuck,
		...(state.error !== undefined ? { error: state.error } : {}),
	}));
}

async function watchScope<T extends WatchTarget>(
	adapter: StatusAdapter<T>,
	client: VendorClient,
	scope: Scope<T>,
	gate: Gate,
	options: WatchOptions,
): Promise<void> {
	const { clock } = options;
	for (;;) {
		const pending = scope.items.filter((i) => !i.done);
		if (pending.length === 0) return;
		const wakeAt = Math.min(scope.nextPollAt, ...pending.map((i) => i.deadline));
		const now = clock.now();
		if (wakeAt > now) await clock.sleep(wakeAt - now, options.signal);

		if (scope.nextPollAt <= clock.now()) {
			await gate.run(async () => {
				// The turn may come late when other scopes hold the gate: skip a look that is
				// past every deadline it was meant for.
				const latest = Math.max(...scope.items.filter((i) => !i.done).map((i) => i.deadline));
				if (clock.now() <= latest + LATE_TOLERANCE_MS) await pollScope(adapter, client, scope, options);
			});
		}
		const after = clock.now();
		for (const item of scope.items) {
			if (!item.done && item.deadline <= after) {
				item.done = true;
				item.timedOut = true;
				item.finishedAt = after;
				// Never answered at all: the vendor's failure that kept the answers away is the
				// answer. A wait that only ran out of its own time answers with what it has.
				if (item.documents.size === 0 && item.lastFailure !== undefined && !isOutOfTime(item.lastFailure)) {
					item.error = item.lastFailure;
				}
			}
		}
	}
}

/** Lets at most `limit` tasks run at once; the others wait their turn in order. */
class Gate {
	private running = 0;
	private readonly queue: Array<() => void> = [];

	constructor(private readonly limit: number) {}

	async run(task: () => Promise<void>): Promise<void> {
		// A waiting task is handed the finishing task's slot, so the count never passes the limit.
		if (this.running >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
		else this.running += 1;
		try {
			await task();
		} finally {
			const next = this.queue.shift();
			if (next) next();
			else this.running -= 1;
		}
	}
}

function newItemState<T extends WatchTarget>(adapter: StatusAdapter<T>, request: WatchRequest<T>, now: number): ItemState<T> {
	return {
		request,
		// A single look has no deadline of its own: it ends after its one poll.
		deadline: request.timeoutMs === null ? Number.POSITIVE_INFINITY : now + request.timeoutMs,
		documents: new Map(),
		notFoundSince: new Map(),
		polls: 0,
		done: false,
		timedOut: false,
		changes: request.stuckAfterMs ? new ChangeTracker(adapter, request.stuckAfterMs) : null,
		stuck: false,
		finishedAt: now,
	};
}

/** Items share a scope when they watch the same thing at the same interval. */
function groupByScope<T extends WatchTarget>(states: Array<ItemState<T>>, now: number): Array<Scope<T>> {
	const scopes = new Map<string, Scope<T>>();
	for (const state of states) {
		const { target, pollIntervalMs } = state.request;
		const key = `${target.scopeKey}\u0000${pollIntervalMs}`;
		let scope = scopes.get(key);
		if (!scope) {
			scope = { key: target.scopeKey, target, intervalMs: pollIntervalMs, items: [], nextPollAt: now, progress: new Map() };
			scopes.set(key, scope);
		}
		scope.items.push(state);
	}
	return [...scopes.values()];
}

/** A failure that a later round may not see: throttling, a server error, a dropped connection. */
function isPassing(error: unknown): boolean {
	return error instanceof VendorRequestError && error.failure.retryable;
}

function isOutOfTime(error: unknown): boolean {
	return error instanceof VendorRequestError && error.failure.kind === 'out_of_time';
}

/**
 * A failure that asking item by item may pin on one item: the vendor rejected what was asked
 * (an id it does not take, a knowledge base it does not know). Anything a retry could fix, or
 * that is about the credential, would only fail again once per item.
 */
function mayBelongToOneItem(error: unknown): boolean {
	if (!(error instanceof VendorRequestError) || error.failure.retryable) return false;
	return error.failure.kind === 'invalid_request' || error.failure.kind === 'not_found';
}

async function pollScope<T extends WatchTarget>(
	adapter: StatusAdapter<T>,
	client: VendorClient,
	scope: Scope<T>,
	options: WatchOptions,
): Promise<void> {
	const { clock } = options;
	const pending = scope.items.filter((i) => !i.done);
	const roundStart = clock.now();
	const waiting = pending.some((i) => i.request.timeoutMs !== null);
	// Calls and retries within a round stop at the last deadline it serves (the node answers
	// when its last item does) and at the longest gap the schedule allows between two looks.
	const roundClient = waiting
		? client.limited({
				notAfter: Math.min(
					Math.max(...pending.map((i) => i.deadline)) + LATE_TOLERANCE_MS,
					roundStart + Math.max(MAX_STRETCHED_INTERVAL_MS, scope.intervalMs),
				),
			})
		: client;
	const ids = scope.target.documentIds === null ? null : unsettledIds(pending, roundStart);
	const outcome = await settle(fetchInSteps(adapter, roundClient, scope.target, ids));

	if (outcome.ok) {
		apply(adapter, scope, pending, outcome.value.asked, outcome.value.documents, clock.now());
	} else {
		const { error } = outcome;
		if (error instanceof ExecutionCancelledError) throw error;
		if (waiting && isPassing(error)) {
			// A missed round: keep the last statuses and try again at the next poll. A round that
			// found no time to ask keeps the vendor's last answer as the reason, if there was one.
			for (const item of pending) {
				if (!(isOutOfTime(error) && item.lastFailure !== undefined)) item.lastFailure = error;
			}
		} else if (ids !== null && pending.length > 1 && mayBelongToOneItem(error)) {
			await attributeFailure(adapter, roundClient, pending, clock, options.failFast);
		} else {
			// One answer for every item of the call: an outage costs one retry sequence, not one
			// per item.
			if (options.failFast) throw new ItemFailure(pending[0].request.itemIndex, error);
			for (const item of pending) fail(item, error, clock.now());
		}
	}

	const now = clock.now();
	const latest = new Map<string, DocumentStatus>();
	for (const item of scope.items.filter((i) => !i.done)) {
		for (const [key, document] of item.documents) latest.set(key, document);
	}
	scheduleNextPoll(scope, latest, roundClient.takeBackoffHintMs(), now);
	options.onPoll?.({
		scopeKey: scope.key,
		documents: outcome.ok ? outcome.value.documents : [...latest.values()],
		nextPollInMs: scope.items.some((i) => !i.done) ? scope.nextPollAt - now : null,
	});
}

/**
 * Asks about `ids` in steps of the vendor's `idsPerCall` (all at once without it). A step that
 * finds no time left ends the round with the answers of the steps before it; `asked` says which
 * ids they cover.
 */
async function fetchInSteps<T extends WatchTarget>(
	adapter: StatusAdapter<T>,
	client: VendorClient,
	target: T,
	ids: string[] | null,
): Promise<{ documents: DocumentStatus[]; asked: string[] | null }> {
	const step = adapter.idsPerCall;
	if (ids === null || step === undefined || ids.length <= step) {
		return { documents: await adapter.fetchStatuses(client, target, ids), asked: ids };
	}
	const documents: DocumentStatus[] = [];
	let asked = 0;
	while (asked < ids.length) {
		const outcome = await settle(adapter.fetchStatuses(client, target, ids.slice(asked, asked + step)));
		if (!outcome.ok) {
			if (asked > 0 && isOutOfTime(outcome.error)) break;
			throw outcome.error;
		}
		documents.push(...outcome.value);
		asked += step;
	}
	return { documents, asked: ids.slice(0, asked) };
}

/**
 * One item's bad input (an id another item does not have) must not fail the items it shares a
 * call with: ask again item by item, and fail only the items whose own call fails.
 */
async function attributeFailure<T extends WatchTarget>(
	adapter: StatusAdapter<T>,
	client: VendorClient,
	items: Array<ItemState<T>>,
	clock: Clock,
	failFast: boolean,
): Promise<void> {
	for (const item of items) {
		const ids = unsettledIds([item], clock.now());
		const outcome = await settle(adapter.fetchStatuses(client, item.request.target, ids));
		if (outcome.ok) {
			apply(adapter, { items: [item], target: item.request.target } as Scope<T>, [item], ids, outcome.value, clock.now());
			continue;
		}
		if (outcome.error instanceof ExecutionCancelledError) throw outcome.error;
		if (failFast) throw new ItemFailure(item.request.itemIndex, outcome.error);
		fail(item, outcome.error, clock.now());
	}
}

function fail<T extends WatchTarget>(item: ItemState<T>, error: unknown, now: number): void {
	item.error = error;
	item.done = true;
	item.finishedAt = now;
}

/** Hands the answer of one call to the items that asked, and settles the items it finishes. */
function apply<T extends WatchTarget>(
	adapter: StatusAdapter<T>,
	scope: Pick<Scope<T>, 'target'>,
	pending: Array<ItemState<T>>,
	ids: string[] | null,
	fetched: DocumentStatus[],
	now: number,
): void {
	const byKey = new Map(fetched.map((d) => [keyOf(d), d]));
	if (ids !== null) {
		for (const id of ids) {
			if (!byKey.has(id)) byKey.set(id, missingDocument(adapter.spec.name, scope.target, id, fetched[0]));
		}
	}
	for (const item of pending) {
		item.polls += 1;
		item.lastFailure = undefined;
		if (item.request.target.documentIds === null) {
			item.documents = new Map(byKey);
		} else {
			for (const id of item.request.target.documentIds) {
				const latest = byKey.get(id);
				if (latest) item.documents.set(id, latest);
			}
		}
		for (const [key, document] of item.documents) {
			if (document.status !== 'not_found') item.notFoundSince.delete(key);
			else if (!item.notFoundSince.has(key)) item.notFoundSince.set(key, now);
		}
		for (const [key, document] of item.documents) item.changes?.observe(key, document, now);
		if (isSettled(item, now) || item.request.timeoutMs === null) {
			item.done = true;
			item.finishedAt = now;
		} else if (isStuck(item, now)) {
			item.done = true;
			item.stuck = true;
			item.finishedAt = now;
		}
	}
}

/** Ids of the pending items that still need an answer, once each, in a stable order. */
function unsettledIds<T extends WatchTarget>(items: Array<ItemState<T>>, now: number): string[] {
	const ids = new Set<string>();
	for (const item of items) {
		for (const id of item.request.target.documentIds ?? []) {
			if (!isDocumentSettled(item, id, now)) ids.add(id);
		}
	}
	return [...ids];
}

/** Keys of the item's documents that are not final for this wait. */
function openKeys<T extends WatchTarget>(item: ItemState<T>, now: number): string[] {
	const keys = item.request.target.documentIds ?? [...item.documents.keys()];
	return keys.filter((key) => !isDocumentSettled(item, key, now));
}

/** Every document still open has stayed unchanged for the item's `stuckAfterMs`. */
function isStuck<T extends WatchTarget>(item: ItemState<T>, now: number): boolean {
	const stuckAt = item.changes?.allStuckAt(openKeys(item, now)) ?? null;
	return stuckAt !== null && now >= stuckAt;
}

function isSettled<T extends WatchTarget>(item: ItemState<T>, now: number): boolean {
	const keys = item.request.target.documentIds ?? [...item.documents.keys()];
	return item.documents.size > 0 && keys.every((key) => isDocumentSettled(item, key, now));
}

/**
 * Final for this wait: terminal, except that a `not_found` stays open for the grace period,
 * because a vendor may not list a document it has just accepted.
 */
function isDocumentSettled<T extends WatchTarget>(item: ItemState<T>, key: string, now: number): boolean {
	const document = item.documents.get(key);
	if (!document || !document.terminal) return false;
	if (document.status !== 'not_found' || item.request.timeoutMs === null) return true;
	const since = item.notFoundSince.get(key) ?? now;
	return now - since >= item.request.notFoundGraceMs;
}

function scheduleNextPoll<T extends WatchTarget>(
	scope: Scope<T>,
	latest: Map<string, DocumentStatus>,
	vendorBackoffMs: number,
	now: number,
): void {
	const pending = scope.items.filter((i) => !i.done);
	if (pending.length === 0) return;
	const estimates: Array<number | null> = [];
	for (const [key, document] of latest) {
		if (!document.terminal) estimates.push(estimateRemainingMs(document, scope.progress.get(key), now));
		// The first mark is the first poll above 0 %: time spent queued says nothing about the
		// rate. Later marks move only when progress does, so the rate spans the whole climb.
		if (document.progress !== null && document.progress > 0) {
			const previous = scope.progress.get(key);
			if (!previous || document.progress !== previous.progress) {
				scope.progress.set(key, { progress: document.progress, at: now });
			}
		}
	}
	let next = now + nextPollDelayMs(scope.intervalMs, estimates, vendorBackoffMs);
	// A stretched wait must not sleep past a deadline: take a last look at the first deadline
	// that the interval allows a look at.
	const reachable = pending.map((i) => i.deadline).filter((d) => d >= now + scope.intervalMs);
	const deadline = reachable.length ? Math.min(...reachable) : Number.POSITIVE_INFINITY;
	if (next > deadline) next = deadline;
	// Nor past the moment the open documents would all be stuck: a look then confirms it.
	const stuckAt = Math.min(...pending.map((i) => i.changes?.allStuckAt(openKeys(i, now)) ?? Number.POSITIVE_INFINITY));
	if (next > stuckAt) next = Math.max(stuckAt, now + scope.intervalMs);
	scope.nextPollAt = next;
}

/**
 * The item's documents in the order asked. A wait that timed out answers for every document:
 * those no answer covered are `unknown` (a listed set never answered is one such item). A wait
 * that ended stuck says since when each of its unfinished documents has not changed.
 */
function orderedDocuments<T extends WatchTarget>(adapter: StatusAdapter<T>, state: ItemState<T>): DocumentStatus[] {
	const { target } = state.request;
	const ids = target.documentIds;
	const unanswered = (id: string | null) => unansweredDocument(adapter.spec.name, target, id);
	const fill = state.timedOut && state.error === undefined;
	let documents: DocumentStatus[];
	if (ids === null) {
		documents = fill && state.documents.size === 0 ? [unanswered(null)] : [...state.documents.values()];
	} else if (fill) {
		documents = ids.map((id) => state.documents.get(id) ?? unanswered(id));
	} else {
		documents = ids.map((id) => state.documents.get(id)).filter((d): d is DocumentStatus => d !== undefined);
	}
	if (!state.stuck) return documents;
	return documents.map((document) => {
		const since = document.terminal ? undefined : state.changes?.since(keyOf(document));
		return since === undefined ? document : asStuck(document, since);
	});
}
