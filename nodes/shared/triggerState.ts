import { createHash } from 'node:crypto';

import type { DocumentStatus } from './types';
import type { WatchTarget } from './vendor';

/** What a polling trigger remembers between polls, kept in the node's static data as plain JSON. */
export interface TriggerState {
	/** What is watched and for which event (the ids aside); a change starts afresh. */
	watchKey: string;
	/** The watched ids of a fixed set, as a set: a change restarts All Finished only. */
	idsKey: string | null;
	/** Ids already reported (or, for a whole knowledge base, terminal at the baseline). */
	finished: string[];
	/** Whether every watched document was terminal at the last poll (a fixed set: ever). */
	allTerminal: boolean;
	/** Ids the vendor did not know at the last poll. */
	notFound: string[];
}

export interface TriggerDiff {
	/** Documents to report for the `documentFinished` event. */
	newlyFinished: DocumentStatus[];
	/** Whether the `allFinished` event fires on this poll. */
	allFinished: boolean;
	next: TriggerState;
}

const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);

/**
 * Compares a poll with the remembered state.
 *
 * A fixed set (a batch, ids, a job) reports what is already terminal at the first poll, since
 * that is what the user asked about, and reports each document once. A whole knowledge base
 * records a baseline at the first poll and reports nothing, as n8n's feed triggers do; later it
 * reports documents that became terminal, including new ones that arrive terminal, and a
 * document that is processed again is reported again when it finishes.
 *
 * A document the vendor does not know counts as finished only when two polls in a row say so:
 * right after an upload, a vendor may not list a document yet.
 */
export function diffTriggerState(
	previous: TriggerState | undefined,
	target: WatchTarget,
	event: string,
	documents: DocumentStatus[],
): TriggerDiff {
	const watchKey = hash([target.scopeKey, target.wholeKnowledgeBase, event]);
	const idsKey = target.documentIds ? hash([...new Set(target.documentIds)].sort()) : null;
	const fresh = !previous || previous.watchKey !== watchKey;
	const knownMissing = new Set(fresh ? [] : (previous.notFound ?? []));
	// A document without an id stands for a job or batch that lists none yet: never finished.
	const isFinished = (d: DocumentStatus) =>
		d.documentId !== null && d.terminal && (d.status !== 'not_found' || knownMissing.has(d.documentId));
	const identified = documents.filter((d) => d.documentId !== null);
	const idOf = (d: DocumentStatus) => d.documentId as string;
	const finishedNow = identified.filter(isFinished);
	const allTerminal = identified.length > 0 && documents.every(isFinished);
	const notFound = identified.filter((d) => d.status === 'not_found').map(idOf);

	if (target.wholeKnowledgeBase && fresh) {
		const next = { watchKey, idsKey, finished: finishedNow.map(idOf), allTerminal, notFound };
		return { newlyFinished: [], allFinished: false, next };
	}

	let before = new Set(fresh ? [] : previous.finished);
	// Ids dropped from a fixed set are forgotten; the others keep their answer.
	if (target.documentIds) before = new Set(target.documentIds.filter((id) => before.has(id)));
	const newlyFinished = finishedNow.filter((d) => !before.has(idOf(d)));

	let finished: string[];
	let wasAllTerminal: boolean;
	if (target.wholeKnowledgeBase) {
		// A document missing from one listing (the list shifted while it was paged) keeps its
		// place; only one seen unfinished again (re-indexed) is reported again later.
		const unfinished = new Set(identified.filter((d) => !isFinished(d)).map(idOf));
		finished = [...new Set([...before, ...finishedNow.map(idOf)])].filter((id) => !unfinished.has(id));
		wasAllTerminal = previous?.allTerminal === true;
	} else {
		finished = [...before, ...newlyFinished.map(idOf)];
		wasAllTerminal = !fresh && previous.allTerminal && previous.idsKey === idsKey;
	}
	const next: TriggerState = {
		watchKey,
		idsKey,
		finished,
		allTerminal: target.wholeKnowledgeBase ? allTerminal : wasAllTerminal || allTerminal,
		notFound,
	};
	return { newlyFinished, allFinished: allTerminal && !wasAllTerminal, next };
}
