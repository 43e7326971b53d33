import type { VendorClient } from './client';
import type { Clock } from './clock';
import { ExecutionCancelledError } from './clock';
import { missingDocument } from './documents';
import { estimateRemainingMs, nextPollDelayMs } from './schedule';
import { settle } from './settle';
import type { ProgressMark } from './schedule';
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
}

export interface WatchResult<T extends WatchTarget> {
	itemIndex: number;
	target: T;
	documents: DocumentStatus[];
	polls: number;
	waitedSeconds: number;
	timedOut: boolean;
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
	finishedAt: number;
	error?: unknown;
}

interface Scope<T extends WatchTarget> {
	key: string;
	target: T;
	items: Array<ItemState<T>>;
	nextPollAt: number;
	progress: Map<string, ProgressMark>;
}

const JOB_KEY = '\u0000job';

const keyOf = (document: DocumentStatus) => document.documentId ?? JOB_KEY;

/**
 * Polls the documents of every input item until each item has an answer: every document
 * terminal, the item's timeout reached, or its documents unreadable. Items that share a scope
 * (say, a dataset) are polled together, and a document-id scope only asks about documents that
 * are not final yet.
 */
export async function watchDocuments<T extends WatchTarget>(
	adapter: StatusAdapter<T>,
	client: VendorClient,
	requests: Array<WatchRequest<T>>,
	options: WatchOptions,
): Promise<Array<WatchResult<T>>> {
	const { clock } = options;
	const startedAt = clock.now();
	const states = requests.map((request) => newItemState(request, startedAt));
	const scopes = groupByScope(states, startedAt);

	for (;;) {
		const pending = states.filter((s) => !s.done);
		if (pending.length === 0) break;
		const wakeAt = Math.min(
			...scopes.filter((s) => s.items.some((i) => !i.done)).map((s) => s.nextPollAt),
			...pending.map((s) => s.deadline),
		);
		const now = clock.now();
		if (wakeAt > now) await clock.sleep(wakeAt - now, options.signal);

		for (const scope of scopes) {
			if (scope.nextPollAt <= clock.now() && scope.items.some((i) => !i.done)) {
				await pollScope(adapter, client, scope, options);
			}
		}
		const after = clock.now();
		for (const state of states) {
			if (!state.done && state.deadline <= after) {
				state.done = true;
				state.timedOut = true;
				state.finishedAt = after;
			}
		}
	}

	return states.map((state) => ({
		itemIndex: state.request.itemIndex,
		target: state.request.target,
		documents: orderedDocuments(state),
		polls: state.polls,
		waitedSeconds: Math.round((state.finishedAt - startedAt) / 100) / 10,
		timedOut: state.timedOut,
		...(state.error !== undefined ? { error: state.error } : {}),
	}));
}

function newItemState<T extends WatchTarget>(request: WatchRequest<T>, now: number): ItemState<T> {
	return {
		request,
		// A single look has no deadline of its own: it ends after its one poll.
		deadline: request.timeoutMs === null ? Number.POSITIVE_INFINITY : now + request.timeoutMs,
		documents: new Map(),
		notFoundSince: new Map(),
		polls: 0,
		done: false,
		timedOut: false,
		finishedAt: now,
	};
}

function groupByScope<T extends WatchTarget>(states: Array<ItemState<T>>, now: number): Array<Scope<T>> {
	const scopes = new Map<string, Scope<T>>();
	for (const state of states) {
		const key = state.request.target.scopeKey;
		let scope = scopes.get(key);
		if (!scope) {
			scope = { key, target: state.request.target, items: [], nextPollAt: now, progress: new Map() };
			scopes.set(key, scope);
		}
		scope.items.push(state);
	}
	return [...scopes.values()];
}

async function pollScope<T extends WatchTarget>(
	adapter: StatusAdapter<T>,
	client: VendorClient,
	scope: Scope<T>,
	options: WatchOptions,
): Promise<void> {
	const pending = scope.items.filter((i) => !i.done);
	const ids = scope.target.documentIds === null ? null : unsettledIds(pending, options.clock.now());
	const outcome = await settle(adapter.fetchStatuses(client, scope.target, ids));
	if (!outcome.ok) {
		if (outcome.error instanceof ExecutionCancelledError) throw outcome.error;
		if (options.failFast) throw new ItemFailure(pending[0].request.itemIndex, outcome.error);
		const failedAt = options.clock.now();
		for (const item of pending) {
			item.error = outcome.error;
			item.done = true;
			item.finishedAt = failedAt;
		}
		return;
	}
	const fetched = outcome.value;
	const now = options.clock.now();
	const byKey = new Map(fetched.map((d) => [keyOf(d), d]));
	if (ids !== null) {
		const template = fetched[0];
		for (const id of ids) {
			if (!byKey.has(id)) byKey.set(id, missingDocument(adapter.spec.name, scope.target, id, template));
		}
	}

	for (const item of pending) {
		item.polls += 1;
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
		if (isSettled(item, now)) {
			item.done = true;
			item.finishedAt = now;
		} else if (item.request.timeoutMs === null) {
			item.done = true;
			item.finishedAt = now;
		}
	}

	scheduleNextPoll(scope, byKey, client.takeBackoffHintMs(), now);
	options.onPoll?.({
		scopeKey: scope.key,
		documents: [...byKey.values()],
		nextPollInMs: scope.items.some((i) => !i.done) ? scope.nextPollAt - now : null,
	});
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
	const intervalMs = Math.min(...pending.map((i) => i.request.pollIntervalMs));
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
	let next = now + nextPollDelayMs(intervalMs, estimates, vendorBackoffMs);
	// Never sleep past a deadline when a last look there is still allowed by the interval.
	const deadline = Math.min(...pending.map((i) => i.deadline));
	if (next > deadline && deadline >= now + intervalMs) next = deadline;
	scope.nextPollAt = next;
}

function orderedDocuments<T extends WatchTarget>(state: ItemState<T>): DocumentStatus[] {
	const ids = state.request.target.documentIds;
	if (ids === null) return [...state.documents.values()];
	return ids.map((id) => state.documents.get(id)).filter((d): d is DocumentStatus => d !== undefined);
}
