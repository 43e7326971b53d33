import { createHash } from 'node:crypto';

import type { DocumentStatus } from './types';
import type { WatchTarget } from './vendor';

/** What a polling trigger remembers between polls, kept in the node's static data as plain JSON. */
export interface TriggerState {
	/** Which watch the state belongs to; a changed parameter starts afresh. */
	watchKey: string;
	/** Ids already reported (or, for a whole knowledge base, already terminal at the baseline). */
	finished: string[];
	/** Whether every watched document was terminal at the last poll (a fixed set: ever). */
	allTerminal: boolean;
}

export interface TriggerDiff {
	/** Documents to report for the `documentFinished` event. */
	newlyFinished: DocumentStatus[];
	/** Whether the `allFinished` event fires on this poll. */
	allFinished: boolean;
	next: TriggerState;
}

export function watchKeyOf(target: WatchTarget): string {
	const identity = JSON.stringify([target.scopeKey, target.wholeKnowledgeBase, target.documentIds]);
	return createHash('sha256').update(identity).digest('hex').slice(0, 32);
}

/**
 * Compares a poll with the remembered state.
 *
 * A fixed set (a batch, ids, a job) reports what is already terminal at the first poll, since
 * that is what the user asked about, and reports each document once. A whole knowledge base
 * records a baseline at the first poll and reports nothing, as n8n's feed triggers do; later it
 * reports documents that became terminal, including new ones that arrive terminal, and a
 * document that is processed again is reported again when it finishes.
 */
export function diffTriggerState(
	previous: TriggerState | undefined,
	target: WatchTarget,
	documents: DocumentStatus[],
): TriggerDiff {
	const watchKey = watchKeyOf(target);
	const fresh = !previous || previous.watchKey !== watchKey;
	const identified = documents.filter((d) => d.documentId !== null);
	const terminalIds = identified.filter((d) => d.terminal).map((d) => d.documentId as string);
	const allTerminal = documents.length > 0 && documents.every((d) => d.terminal);

	if (target.wholeKnowledgeBase && fresh) {
		return { newlyFinished: [], allFinished: false, next: { watchKey, finished: terminalIds, allTerminal } };
	}

	const before = new Set(fresh ? [] : previous.finished);
	const newlyFinished = identified.filter((d) => d.terminal && !before.has(d.documentId as string));
	const wasAllTerminal = !fresh && previous.allTerminal;
	const next: TriggerState = target.wholeKnowledgeBase
		? { watchKey, finished: terminalIds, allTerminal }
		: {
				watchKey,
				finished: [...before, ...newlyFinished.map((d) => d.documentId as string)],
				allTerminal: wasAllTerminal || allTerminal,
			};
	return { newlyFinished, allFinished: allTerminal && !wasAllTerminal, next };
}
