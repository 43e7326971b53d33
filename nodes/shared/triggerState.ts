import { createHash } from 'node:crypto';

import { addCounts, countStatuses } from './status';
import type { DocumentStatus, StatusCounts } from './types';
import type { WatchTarget } from './vendor';

/**
 * What a polling trigger remembers between polls, kept in the node's static data as plain JSON,
 * and the decisions made from it. Pure functions: the poll (poll.ts) fetches, these decide.
 *
 * n8n keeps the static data in memory between polls, but by default writes it to its database
 * only after the activation poll and after polls that emit; with the durable poll scheduler it
 * commits it after every poll. So every decision rests on facts that are saved whenever they
 * matter:
 * - what was reported is saved by the very poll that reports it;
 * - a document is reported when it is terminal and not known with the same completion marker
 *   (the vendor's completion or update time, where its listing gives one), so a document that
 *   finishes while n8n is down, or is indexed again, is reported after a restart too;
 * - All Finished fires when every document is terminal and one of them is not yet accounted
 *   for, so it fires after a restart too.
 */

/** The state format; a state of another version (or none) starts afresh. */
const VERSION = 2;

/** The key in `known` of a listed set's own answer, when it ended without listing a document. */
const SET_KEY = '\u0000set';

/** A whole knowledge base forgets an id missing from this many complete listings in a row. */
export const FORGET_AFTER_PASSES = 3;

/** The listing of a whole knowledge base, which may take several polls for one pass. */
export interface ListingProgress {
	/** The first complete pass records what is already terminal, and reports nothing. */
	baselineDone: boolean;
	/** When the baseline began (ms): a document that finished after it is new, baseline or not. */
	baselineStartedAt: number;
	/** Complete passes so far. */
	pass: number;
	/** The page the next poll reads (1 when a pass begins). */
	nextPage: number;
	/** The vendor's token for `nextPage`, for vendors that page by token (null on page 1). */
	nextCursor?: string | null;
	/** This pass has seen an unfinished document (All Finished waits for a pass without). */
	sawUnfinished: boolean;
	/** This pass has seen a document finish that was not accounted for (All Finished fires). */
	sawNew: boolean;
	/** The statuses of the documents earlier polls of this pass read (absent on its first poll). */
	counted?: Partial<StatusCounts>;
}

export interface TriggerState {
	version: number;
	/** What is watched and for which event; a change starts afresh. */
	watchKey: string;
	/** The watched ids of a fixed set, as a set: a change lets All Finished fire again. */
	idsKey: string | null;
	/**
	 * Terminal documents accounted for (reported, in the baseline, or in the set All Finished
	 * fired for): id → `marker:pass`, the completion marker (base-36 seconds, empty when the
	 * vendor gives none) and the last complete pass of a whole knowledge base that listed it.
	 */
	known: Record<string, string>;
	/** Ids of a fixed set the vendor did not know at the last poll: a second such poll is final. */
	notFound: string[];
	/** The set All Finished last fired for (a fixed set), or null. */
	firedFor: string | null;
	/** Where the next poll starts in a fixed id list too long for one poll's budget. */
	nextSlice: number;
	/**
	 * A listed set (a batch, a job) read over several polls: the page the next poll reads, the
	 * vendor's token for it where the vendor pages by token (absent on page 1, for vendors that
	 * page by number, and in states saved before tokens were kept), and whether the polls of
	 * this pass saw a document unfinished, and the statuses of the documents they read. Absent
	 * while every poll reads the whole set.
	 */
	setPass?: { nextPage: number; nextCursor?: string; sawUnfinished: boolean; counted?: Partial<StatusCounts> };
	listing: ListingProgress | null;
	/**
	 * Document Stuck only: unfinished documents and when they last changed (see stuck.ts). Absent
	 * in states saved before the event existed.
	 */
	stuck?: Record<string, string>;
	/** Polls started and the latest one recorded, so that an older poll never undoes a newer one. */
	started: number;
	recorded: number;
}

export interface TriggerDecision {
	/** Documents to report for the `documentFinished` event. */
	newlyFinished: DocumentStatus[];
	/** Whether the `allFinished` event fires on this poll. */
	allFinished: boolean;
	/**
	 * When All Finished fires at the end of a pass read over several polls: the statuses of the
	 * documents the earlier polls of the pass read, for the summary to count with this poll's.
	 */
	earlierInPass?: Partial<StatusCounts>;
	next: TriggerState;
}

const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);

export function watchKeyOf(target: WatchTarget, event: string): string {
	return hash([target.scopeKey, target.wholeKnowledgeBase, event]);
}

function idsKeyOf(target: WatchTarget): string | null {
	return target.documentIds ? hash([...new Set(target.documentIds)].sort()) : null;
}

/** The remembered state for this watch and event, or a fresh one. */
export function loadState(raw: unknown, target: WatchTarget, event: string, now: number): TriggerState {
	const watchKey = watchKeyOf(target, event);
	const state = raw as Partial<TriggerState> | undefined;
	if (state && state.version === VERSION && state.watchKey === watchKey) {
		const copy = JSON.parse(JSON.stringify(state)) as TriggerState;
		if (target.documentIds !== null) {
			// Ids dropped from the set are forgotten; the others keep their answer.
			const watched = new Set(target.documentIds);
			for (const id of Object.keys(copy.known)) if (!watched.has(id)) delete copy.known[id];
			copy.idsKey = idsKeyOf(target);
		}
		return copy;
	}
	return {
		version: VERSION,
		watchKey,
		idsKey: idsKeyOf(target),
		known: {},
		notFound: [],
		firedFor: null,
		nextSlice: 0,
		listing: target.wholeKnowledgeBase
			? { baselineDone: false, baselineStartedAt: now, pass: 0, nextPage: 1, sawUnfinished: false, sawNew: false }
			: null,
		started: state?.watchKey === watchKey ? (state.started ?? 0) : 0,
		recorded: state?.watchKey === watchKey ? (state.recorded ?? 0) : 0,
	};
}

/** The completion marker of a document: its completion time, else its update time, else none. */
function markerOf(document: DocumentStatus): string {
	const time = Date.parse(document.completedAt ?? document.updatedAt ?? '');
	return Number.isNaN(time) ? '' : Math.floor(time / 1000).toString(36);
}

function knownMarker(state: TriggerState, id: string): string | undefined {
	const entry = state.known[id];
	return entry === undefined ? undefined : entry.slice(0, entry.indexOf(':'));
}

function remember(state: TriggerState, id: string, marker: string): void {
	state.known[id] = `${marker}:${(state.listing?.pass ?? 0).toString(36)}`;
}

/**
 * Whether a terminal document is news: not accounted for, or accounted for with another
 * completion marker (it was indexed again). Without markers a re-index is seen only by a poll
 * that finds the document unfinished (see `applyListing`).
 */
function isNews(state: TriggerState, document: DocumentStatus): boolean {
	const previous = knownMarker(state, document.documentId as string);
	if (previous === undefined) return true;
	const marker = markerOf(document);
	return marker !== '' && previous !== '' && marker !== previous;
}

// ---------------------------------------------------------------------------------------------
// A fixed set: ids, a batch, a job
// ---------------------------------------------------------------------------------------------

/**
 * The ids of a fixed set still worth asking about: those not yet accounted for. A reported
 * document is never asked about again.
 */
export function idsToAsk(state: TriggerState, target: WatchTarget): string[] {
	return (target.documentIds ?? []).filter((id) => state.known[id] === undefined);
}

/**
 * Whether a fixed set needs no more calls: every document accounted for, which is when All
 * Finished fires for it. A listed set (a batch, a job) is accounted for once every document it
 * lists is, and it lists no placeholder of a job still waiting for documents.
 */
export function isFixedSetDone(state: TriggerState): boolean {
	return state.firedFor !== null && state.firedFor === state.idsKey;
}

/** The pages of a listed set that one poll read, when the set is read over several polls. */
export interface SetPages {
	/** The set's last page was among them: the pass is complete. */
	ended: boolean;
	/** How many pages were read; 0 when another poll moved the pass meanwhile. */
	pagesRead: number;
	/** The token of the page after the last one read, where the vendor pages by token. */
	nextCursor?: string | null;
	/** The pages were read from the first again (the vendor refused the kept token): a new pass. */
	restarted?: boolean;
}

/**
 * Decides a poll of a fixed set. `documents` answers for the ids that were asked about (for a
 * listed set, every document it lists). A document the vendor does not know counts as finished
 * only when two polls in a row say so: right after an upload, a vendor may not list it yet.
 * `pages` says which part of a listed set this poll read, when the set takes several polls, and
 * the vendor's token for the page the next poll reads, where it pages by token.
 */
export function applyFixedSet(
	previous: TriggerState,
	target: WatchTarget,
	event: string,
	documents: DocumentStatus[],
	pages?: SetPages,
): TriggerDecision {
	const state: TriggerState = JSON.parse(JSON.stringify(previous));
	const wasMissing = new Set(state.notFound);
	// A document without an id stands for a job or batch that lists none: while the set is
	// unfinished it is a placeholder, never finished; a terminal one is the answer for the set
	// itself (a job that ended without listing a document, a batch the vendor does not know).
	const keyOf = (d: DocumentStatus) => d.documentId ?? SET_KEY;
	const answers = documents.filter((d) => d.documentId !== null || (target.documentIds === null && d.terminal));
	const isFinished = (d: DocumentStatus) =>
		answers.includes(d) && d.terminal && (d.status !== 'not_found' || wasMissing.has(keyOf(d)));
	// A poll that asked about only a slice of the ids leaves the other ids' answers as they were.
	const asked = new Set(answers.map(keyOf));
	state.notFound = [
		...state.notFound.filter((id) => !asked.has(id)),
		...answers.filter((d) => d.status === 'not_found').map(keyOf),
	];

	const newlyFinished = answers.filter((d) => isFinished(d) && state.known[keyOf(d)] === undefined);
	for (const document of newlyFinished) remember(state, keyOf(document), markerOf(document));
	state.notFound = state.notFound.filter((id) => state.known[id] === undefined);

	// Every watched document now accounted for: for ids, all of them; for a listed set, all it
	// lists (or the set itself), with at least one answer and no job placeholder.
	// A set read over several polls: all of it, only at the end of a pass that saw nothing open.
	const pass = pages ? ((pages.restarted ? undefined : state.setPass) ?? { nextPage: 1, sawUnfinished: false }) : null;
	const passOpen = pass !== null && (!pages?.ended || pass.sawUnfinished);
	const allKnown =
		target.documentIds !== null
			? target.documentIds.every((id) => state.known[id] !== undefined)
			: !passOpen &&
				(answers.length > 0 || (pass !== null && Object.keys(state.known).length > 0)) &&
				documents.every(isFinished);
	// The set fired for: the ids; for a listed set, the listing's ids (over several polls, every
	// document the set has listed, all accounted for by then).
	const setKey =
		target.documentIds !== null
			? state.idsKey
			: hash((pass === null ? answers.map(keyOf) : Object.keys(state.known)).sort());
	if (pages && pass) {
		// A poll that read no page keeps the token it found, and counts nothing of the pass; a
		// pass that ended drops both.
		const nextCursor = pages.ended ? null : pages.pagesRead > 0 ? (pages.nextCursor ?? null) : (pass.nextCursor ?? null);
		const counted = pages.pagesRead > 0 ? addCounts(pass.counted, countStatuses(documents)) : pass.counted;
		state.setPass = pages.ended
			? { nextPage: 1, sawUnfinished: false }
			: {
					nextPage: pass.nextPage + pages.pagesRead,
					...(nextCursor !== null ? { nextCursor } : {}),
					sawUnfinished: pass.sawUnfinished || !documents.every(isFinished),
					...(counted ? { counted } : {}),
				};
	}
	const allFinished = allKnown && state.firedFor !== setKey;
	if (allFinished) {
		state.firedFor = setKey;
		if (target.documentIds === null) state.idsKey = setKey;
	}
	// Only the event that is listened to may move what it reports on.
	if (event === 'allFinished') {
		const earlierInPass = allFinished && pages?.ended ? pass?.counted : undefined;
		return { newlyFinished: [], allFinished, next: state, ...(earlierInPass ? { earlierInPass } : {}) };
	}
	return { newlyFinished, allFinished: false, next: state };
}

// ---------------------------------------------------------------------------------------------
// A whole knowledge base
// ---------------------------------------------------------------------------------------------

/**
 * Decides a poll of a whole knowledge base from the listing pages it read. `passEnded` is true
 * when the last page read was the listing's last: the pass is complete.
 *
 * The first complete pass is the baseline: documents already terminal are recorded, not
 * reported, as n8n's feed triggers do, unless their completion marker says they finished after
 * the baseline began. After that, a terminal document is reported when it is news (see
 * `isNews`); a known document seen unfinished is being indexed again and is forgotten, to be
 * reported when it finishes. All Finished fires at the end of a pass that saw every document
 * terminal and at least one of them finish.
 *
 * `stale` is true when another poll recorded after this one began: its reading may be older than
 * what is accounted for, so it cannot take back or report again a known document; it may only
 * add documents that newly became terminal. `restarted` is true when the pages were read from
 * the first again (the vendor refused the kept cursor): the pass starts over from there.
 */
export function applyListing(
	previous: TriggerState,
	event: string,
	documents: DocumentStatus[],
	passEnded: boolean,
	pagesRead: number,
	stale = false,
	nextCursor: string | null = null,
	restarted = false,
): TriggerDecision {
	const state: TriggerState = JSON.parse(JSON.stringify(previous));
	const listing = state.listing as ListingProgress;
	if (restarted) {
		// What the pass saw so far is seen again: only what it reported stays (sawNew).
		listing.nextPage = 1;
		listing.nextCursor = null;
		listing.sawUnfinished = false;
		delete listing.counted;
	}
	const newlyFinished: DocumentStatus[] = [];
	const seenThisPoll = new Set<string>();
	for (const document of documents) {
		const id = document.documentId;
		// A listing can show a document twice when it shifts between pages.
		if (id === null || seenThisPoll.has(id)) continue;
		seenThisPoll.add(id);
		if (stale && state.known[id] !== undefined) continue;
		if (!document.terminal) {
			listing.sawUnfinished = true;
			delete state.known[id];
			continue;
		}
		const marker = markerOf(document);
		const finishedAfterBaseline =
			marker !== '' && parseInt(marker, 36) * 1000 >= listing.baselineStartedAt;
		const news = listing.baselineDone ? isNews(state, document) : state.known[id] === undefined && finishedAfterBaseline;
		if (news) {
			newlyFinished.push(document);
			listing.sawNew = true;
		}
		remember(state, id, marker);
	}

	let allFinished = false;
	const earlier = listing.counted;
	if (passEnded) {
		allFinished = listing.baselineDone && !listing.sawUnfinished && listing.sawNew;
		listing.baselineDone = true;
		// Ids missing from several complete passes in a row were deleted: forget them.
		for (const [id, entry] of Object.entries(state.known)) {
			const lastPass = parseInt(entry.slice(entry.indexOf(':') + 1), 36);
			if (listing.pass - lastPass >= FORGET_AFTER_PASSES) delete state.known[id];
		}
		listing.pass += 1;
		listing.nextPage = 1;
		listing.nextCursor = null;
		listing.sawUnfinished = false;
		listing.sawNew = false;
		delete listing.counted;
	} else if (pagesRead > 0) {
		listing.nextPage += pagesRead;
		listing.nextCursor = nextCursor;
		listing.counted = addCounts(listing.counted, countStatuses(documents));
	}
	if (event === 'allFinished') {
		const earlierInPass = allFinished ? earlier : undefined;
		return { newlyFinished: [], allFinished, next: state, ...(earlierInPass ? { earlierInPass } : {}) };
	}
	return { newlyFinished, allFinished: false, next: state };
}
