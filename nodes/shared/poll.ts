import type { IDataObject, INode, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { VendorClient } from './client';
import { realClock } from './clock';
import { EVENT_STUCK } from './descriptions';
import { missingDocument } from './documents';
import { InputError, pollFailureOf, toNodeError, VendorRequestError } from './errors';
import { credentialSecrets } from './execute';
import { settle } from './settle';
import { summarize, withEarlierCounts } from './status';
import { trackStuck } from './stuck';
import type { TriggerDecision, TriggerState } from './triggerState';
import { applyFixedSet, applyListing, idsToAsk, isFixedSetDone, loadState } from './triggerState';
import type { DocumentStatus, StatusCounts } from './types';
import type { StatusAdapter, WatchTarget } from './vendor';

const STATE_KEY = 'indexingStatus';

/** Ids asked about per step of a fixed set, so that a poll near its budget stops between steps. */
const IDS_PER_STEP = 100;

/** The share of n8n's poll budget the calls may use; the rest is for deciding and emitting. */
const BUDGET_SHARE = 0.8;

/**
 * How this n8n process has ordered each trigger node's polls: the last ticket it gave out, and
 * the latest poll that recorded, when, and for which watch (a digest of what is watched).
 *
 * n8n's durable poll scheduler (N8N_SCHEDULER_POLL_TRIGGERS_ENABLED with durable cursors) hands
 * every poll its own copy of the node's state, read from the database when the poll is claimed,
 * and commits the poll's copy, with the execution it started, when the poll changed it. It may
 * run several polls of one trigger at once: after a restart it runs the occurrences that fell due
 * while n8n was down, all together. A copy read before another poll recorded would report that
 * poll's documents again, and its commit would put the older state back. So such a poll leaves
 * its copy exactly as it was read, which n8n does not commit, and reports nothing; the next poll
 * reads what was recorded. (With n8n's default scheduler, polls share one state object and this
 * changes nothing.)
 *
 * Only numbers and a digest are kept, for at most POLL_ORDER_LIMIT trigger nodes. A copy older
 * than the latest record is trusted again once that record is COMMIT_WINDOW_MS old: by then n8n
 * has committed it, or never will (the poll lost its lease, and n8n did not start its
 * execution either), or the static data was reset. A trigger whose watch changed starts afresh.
 */
interface PollOrder {
	watchKey: string;
	started: number;
	recorded: number;
	recordedAt: number;
}
const pollOrder = new Map<string, PollOrder>();
const POLL_ORDER_LIMIT = 5000;
const COMMIT_WINDOW_MS = 30_000;

/** How many trigger nodes this process keeps the poll order of (for tests). */
export const pollOrderSize = (): number => pollOrder.size;

function orderOf(key: string | null, watchKey: string): PollOrder | null {
	const order = key === null ? undefined : pollOrder.get(key);
	return order !== undefined && order.watchKey === watchKey ? order : null;
}

function keepOrder(key: string | null, order: PollOrder): void {
	if (key === null) return;
	// Latest use last, so that the trigger nodes polled longest ago are the ones let go.
	pollOrder.delete(key);
	pollOrder.set(key, order);
	if (pollOrder.size > POLL_ORDER_LIMIT) pollOrder.delete(pollOrder.keys().next().value as string);
}

/** Whether a state copy predates a record whose commit may still be on its way. */
function isStaleCopy(state: TriggerState, order: PollOrder | null, startedAt: number): boolean {
	return order !== null && order.recorded > state.recorded && startedAt < order.recordedAt + COMMIT_WINDOW_MS;
}

/** What one poll saw. */
type Observation =
	| { kind: 'fixed'; documents: DocumentStatus[]; idsAsked: number }
	| {
			kind: 'set';
			documents: DocumentStatus[];
			passEnded: boolean;
			pagesRead: number;
			firstPage: number;
			/** The token the first page was asked with, and the one for the page after the last read. */
			firstCursor: string | null;
			nextCursor: string | null;
			/** The vendor refused the kept token: the pages were read from the set's first again. */
			restarted: boolean;
	  }
	| {
			kind: 'listing';
			documents: DocumentStatus[];
			passEnded: boolean;
			pagesRead: number;
			pass: number;
			nextCursor: string | null;
			/** The vendor refused the kept cursor: the pages were read from the first again. */
			restarted: boolean;
	  };

/**
 * The `poll()` of every trigger node: look at the watched documents, compare with what the
 * trigger remembers, and emit what finished since. The state is written only when the poll
 * succeeds, so a failed poll neither loses nor repeats a document. A poll stops asking before
 * n8n's poll budget runs out and leaves the rest to the next poll. When polls overlap (n8n's
 * schedule can start one before the last has ended), a poll that ends after a newer one has
 * been recorded, or that runs on a copy of the state older than a record (see `pollOrder`), is
 * dropped, so it can neither undo nor repeat what the other poll did.
 */
export async function pollIndexingStatus<T extends WatchTarget>(
	this: IPollFunctions,
	adapter: StatusAdapter<T>,
): Promise<INodeExecutionData[][] | null> {
	const node = this.getNode();
	const secrets = await credentialSecrets(this, adapter.spec);
	const startedAt = realClock.now();
	let target: T;
	let event: string;
	let includeRaw: boolean;
	let stuckAfterMs = 0;
	try {
		target = adapter.readTarget(this, 0);
		event = this.getNodeParameter('event', 'documentFinished') as string;
		if (event !== 'documentFinished' && event !== 'allFinished' && event !== EVENT_STUCK) {
			throw new InputError(`Trigger On is "${event}": expected "documentFinished", "allFinished" or "${EVENT_STUCK}"`);
		}
		if (event === EVENT_STUCK) stuckAfterMs = readStuckAfterMinutes(this.getNodeParameter('stuckAfterMinutes', 60)) * 60_000;
		includeRaw = (this.getNodeParameter('options', {}) as IDataObject).includeRaw === true;
	} catch (error) {
		throw toPollError(node, error, secrets);
	}

	const manual = this.getMode() === 'manual';
	const staticData = this.getWorkflowStaticData('node');
	const memoryKey = manual ? null : processMemoryKey(this);
	const asRead = staticData[STATE_KEY];
	const state = loadState(asRead, target, event, startedAt);
	let ticket = 0;
	let ownState: TriggerState | null = null;
	if (!manual) {
		const order = orderOf(memoryKey, state.watchKey);
		if (isStaleCopy(state, order, startedAt)) return null;
		ticket = Math.max(state.started, order?.started ?? 0) + 1;
		state.started = ticket;
		ownState = state;
		staticData[STATE_KEY] = state as unknown as IDataObject;
		keepOrder(memoryKey, order ? { ...order, started: ticket } : { watchKey: state.watchKey, started: ticket, recorded: 0, recordedAt: 0 });
	}
	/** Drops this poll: its copy goes back to what was read, unless another poll replaced it. */
	const drop = () => {
		if (staticData[STATE_KEY] !== ownState) return null;
		if (asRead === undefined) delete staticData[STATE_KEY];
		else staticData[STATE_KEY] = asRead;
		return null;
	};

	const client = new VendorClient(this, adapter.spec, realClock).limited({ notAfter: startedAt + budgetMs(this) * BUDGET_SHARE });
	let observation: Observation | null;
	try {
		observation = await observe(adapter, client, target, event, state, manual);
	} catch (error) {
		throw toPollError(node, error, secrets);
	}
	if (observation === null) return null;
	const documents = observation.documents.map((d) => (includeRaw ? d : withoutRaw(d)));
	const summaryItem = (earlierInPass?: Partial<StatusCounts>) => {
		const summary = summarize(adapter.spec.name, target.knowledgeBaseId, target.jobId, documents);
		return { json: (earlierInPass ? withEarlierCounts(summary, earlierInPass) : summary) as unknown as IDataObject };
	};

	if (manual) {
		if (documents.length === 0) return null;
		return [event === 'allFinished' ? [summaryItem()] : documents.map((d) => ({ json: d as unknown as IDataObject }))];
	}

	// Decide against the state as it is now, in one synchronous step: another poll may have
	// recorded something while this one was waiting for the vendor.
	const current = loadState(staticData[STATE_KEY], target, event, startedAt);
	const order = orderOf(memoryKey, current.watchKey);
	if (current.recorded > ticket || (order?.recorded ?? 0) > ticket || isStaleCopy(current, order, startedAt)) return drop();
	const decision = decide(current, state, target, event, observation, documents);
	const stuck =
		event === EVENT_STUCK
			? trackStuck(decision.next, adapter, target, documents, {
					stuckAfterMs,
					now: realClock.now(),
					stale: current.recorded !== state.recorded,
					partSet: observation.kind === 'set' && !(observation.firstPage === 1 && observation.passEnded),
				})
			: [];
	decision.next.recorded = ticket;
	decision.next.started = Math.max(decision.next.started, ticket);
	staticData[STATE_KEY] = decision.next as unknown as IDataObject;
	keepOrder(memoryKey, {
		watchKey: current.watchKey,
		started: Math.max(order?.started ?? 0, ticket),
		recorded: ticket,
		recordedAt: realClock.now(),
	});

	if (event === 'allFinished') return decision.allFinished ? [[summaryItem(decision.earlierInPass)]] : null;
	const emitted = event === EVENT_STUCK ? stuck : decision.newlyFinished;
	if (emitted.length === 0) return null;
	return [emitted.map((d) => ({ json: d as unknown as IDataObject }))];
}

function readStuckAfterMinutes(value: unknown): number {
	const minutes = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes <= 0) {
		throw new InputError(`Stuck After (Minutes) is ${JSON.stringify(value)}: expected a number of minutes, more than 0`);
	}
	return minutes;
}

/** The n8n error for a failed poll, with the cause n8n's poll scheduler backs it off by. */
function toPollError(node: INode, error: unknown, secrets: string[]): Error {
	return Object.assign(toNodeError(node, error, undefined, secrets), { failure: pollFailureOf(error) });
}

/** The trigger node's key in `pollOrder`: its workflow and node ids, when n8n gives them. */
function processMemoryKey(ctx: IPollFunctions): string | null {
	const workflowId = typeof ctx.getWorkflow === 'function' ? ctx.getWorkflow().id : undefined;
	const nodeId = ctx.getNode().id;
	return workflowId && nodeId ? `${workflowId}\u0000${nodeId}` : null;
}

/** How long n8n lets this poll run (n8n 2.40 and later say; older versions give no budget). */
function budgetMs(ctx: IPollFunctions): number {
	const getBudget = (ctx as { getPollBudgetMs?: () => number }).getPollBudgetMs;
	const budget = typeof getBudget === 'function' ? getBudget.call(ctx) : undefined;
	return typeof budget === 'number' && Number.isFinite(budget) && budget > 0 ? budget : Number.POSITIVE_INFINITY;
}

function isOutOfTime(error: unknown): boolean {
	return error instanceof VendorRequestError && error.failure.kind === 'out_of_time';
}

/** Fetches what this poll needs: null when there is nothing to ask, or no time to ask it. */
async function observe<T extends WatchTarget>(
	adapter: StatusAdapter<T>,
	client: VendorClient,
	target: T,
	event: string,
	state: TriggerState,
	manual: boolean,
): Promise<Observation | null> {
	if (target.wholeKnowledgeBase) return await readListing(adapter, client, target, state, manual);
	if (!manual && isFixedSetDone(state)) return null;
	if (target.documentIds === null) {
		if (!manual && adapter.setPage) return await readSetPages(adapter, client, target, state);
		return { kind: 'fixed', documents: await adapter.fetchStatuses(client, target, null), idsAsked: 0 };
	}
	// All Finished and a sample report on every document; Document Finished asks only about
	// the ones it has not reported.
	const wanted = manual || event === 'allFinished' ? target.documentIds : idsToAsk(state, target);
	const offset = manual ? 0 : state.nextSlice % Math.max(1, wanted.length);
	const ids = [...wanted.slice(offset), ...wanted.slice(0, offset)];
	const documents: DocumentStatus[] = [];
	let asked = 0;
	const perStep = adapter.idsPerCall ?? IDS_PER_STEP;
	while (asked < ids.length) {
		const step = ids.slice(asked, asked + perStep);
		const outcome = await settle(adapter.fetchStatuses(client, target, step));
		if (!outcome.ok) {
			if (isOutOfTime(outcome.error)) break;
			throw outcome.error;
		}
		const answered = new Map(outcome.value.map((d) => [d.documentId, d]));
		for (const id of step) {
			documents.push(answered.get(id) ?? missingDocument(adapter.spec.name, target, id, outcome.value[0]));
		}
		asked += step.length;
	}
	if (asked === 0) return null;
	return { kind: 'fixed', documents, idsAsked: offset + asked };
}

/**
 * Reads listing pages from where the last poll stopped, until the pass ends or time runs out. A
 * kept cursor that the vendor refuses (a token that expired, an `after` whose document is gone)
 * cannot be read past: the pass is read again from its first page, in the same poll.
 */
async function readListing<T extends WatchTarget>(
	adapter: StatusAdapter<T>,
	client: VendorClient,
	target: T,
	state: TriggerState,
	manual: boolean,
): Promise<Observation | null> {
	if (!adapter.listPage) {
		throw new InputError(`${adapter.spec.displayName} cannot list every document of a knowledge base`);
	}
	const listing = state.listing;
	let firstPage = manual || !listing ? 1 : listing.nextPage;
	let cursor = manual || !listing ? null : (listing.nextCursor ?? null);
	let restarted = false;
	const pass = listing?.pass ?? 0;
	const documents: DocumentStatus[] = [];
	for (let page = firstPage; ; page++) {
		const outcome = await settle(adapter.listPage(client, target, page, cursor));
		if (!outcome.ok) {
			if (page === firstPage && cursor !== null && isRefused(outcome.error)) {
				firstPage = 1;
				page = 0;
				cursor = null;
				restarted = true;
				continue;
			}
			if (!isOutOfTime(outcome.error)) throw outcome.error;
			if (page === firstPage && !restarted) return null;
			return { kind: 'listing', documents, passEnded: false, pagesRead: page - firstPage, pass, nextCursor: cursor, restarted };
		}
		documents.push(...outcome.value.documents);
		cursor = outcome.value.nextCursor ?? null;
		if (!outcome.value.hasMore) {
			return { kind: 'listing', documents, passEnded: true, pagesRead: page - firstPage + 1, pass, nextCursor: null, restarted };
		}
	}
}

/** The vendor refused the request as such (not the credential, not a passing failure). */
function isRefused(error: unknown): boolean {
	return error instanceof VendorRequestError && (error.failure.kind === 'invalid_request' || error.failure.kind === 'not_found');
}

/**
 * Reads the pages of a listed set (a batch, a job) from where the last poll stopped, with the
 * vendor's token for that page where it pages by token, until the set's last page or until time
 * runs out; the next poll goes on from there.
 */
async function readSetPages<T extends WatchTarget>(
	adapter: StatusAdapter<T>,
	client: VendorClient,
	target: T,
	state: TriggerState,
): Promise<Observation | null> {
	const setPage = adapter.setPage as NonNullable<StatusAdapter<T>['setPage']>;
	const firstPage = state.setPass?.nextPage ?? 1;
	// A state saved before tokens were kept has none: the adapter is asked with null.
	const firstCursor = firstPage === 1 ? null : (state.setPass?.nextCursor ?? null);
	let cursor = firstCursor;
	// Where reading began: the first page again when the vendor refused the kept token.
	let from = firstPage;
	let restarted = false;
	const documents: DocumentStatus[] = [];
	const seen = new Set<string>();
	const read = (passEnded: boolean, pagesRead: number): Observation =>
		({ kind: 'set', documents, passEnded, pagesRead, firstPage, firstCursor, nextCursor: passEnded ? null : cursor, restarted });
	for (let page = firstPage; ; page++) {
		const outcome = await settle(setPage(client, target, page, cursor));
		if (!outcome.ok) {
			if (page === from && cursor !== null && !restarted && isRefused(outcome.error)) {
				from = 1;
				page = 0;
				cursor = null;
				restarted = true;
				continue;
			}
			if (!isOutOfTime(outcome.error)) throw outcome.error;
			if (page === from && !restarted) return null;
			return read(false, page - from);
		}
		// A document that moved between pages while they were read counts once, as first seen.
		for (const document of outcome.value.documents) {
			if (document.documentId !== null) {
				if (seen.has(document.documentId)) continue;
				seen.add(document.documentId);
			}
			documents.push(document);
		}
		cursor = outcome.value.nextCursor ?? null;
		if (!outcome.value.hasMore) return read(true, page - from + 1);
	}
}

function decide(
	current: TriggerState,
	started: TriggerState,
	target: WatchTarget,
	event: string,
	observation: Observation,
	documents: DocumentStatus[],
): TriggerDecision {
	if (observation.kind === 'listing') {
		// A poll that overlapped one that finished a pass reads a cursor that no longer applies:
		// its documents count, its place in the listing does not. A poll that overlapped one that
		// recorded may hold an older reading than what is recorded: it only adds.
		const stale = current.recorded !== started.recorded;
		const samePass = current.listing?.pass === observation.pass && current.listing?.nextPage === started.listing?.nextPage;
		return samePass
			? applyListing(current, event, documents, observation.passEnded, observation.pagesRead, stale, observation.nextCursor, observation.restarted)
			: applyListing(current, event, documents, false, 0, stale);
	}
	if (observation.kind === 'set') {
		// The whole set in one poll is decided as before; a set over several polls keeps its
		// place (its page and the token for it), unless another poll moved it meanwhile: then
		// only its documents count, and its token, which belongs to a place no longer current,
		// is not kept.
		if (observation.firstPage === 1 && observation.passEnded) return applyFixedSet(current, target, event, documents);
		const samePlace =
			(current.setPass?.nextPage ?? 1) === observation.firstPage &&
			(observation.firstPage === 1 ? null : (current.setPass?.nextCursor ?? null)) === observation.firstCursor;
		return applyFixedSet(current, target, event, documents, {
			ended: samePlace && observation.passEnded,
			pagesRead: samePlace ? observation.pagesRead : 0,
			nextCursor: samePlace ? observation.nextCursor : null,
			restarted: samePlace && observation.restarted,
		});
	}
	const decision = applyFixedSet(current, target, event, documents);
	// The next poll starts where this one stopped, when the budget cut it short.
	decision.next.nextSlice = observation.idsAsked;
	return decision;
}

function withoutRaw(document: DocumentStatus): DocumentStatus {
	const copy = { ...document };
	delete copy.raw;
	return copy;
}
