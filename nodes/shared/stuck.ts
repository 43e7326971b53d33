import { createHash } from 'node:crypto';

import type { TriggerState } from './triggerState';
import { FORGET_AFTER_PASSES } from './triggerState';
import type { DocumentStatus } from './types';
import type { StatusAdapter, WatchTarget } from './vendor';

/**
 * Stuck documents: unfinished, with nothing that counts as progress changing for a set time.
 * Which values of an answer count as progress is each adapter's to say (`progressSignature`);
 * what follows from them is decided here, the same way for every vendor, from the answers the
 * polls read anyway: detecting a stuck document costs no call.
 *
 * A document's clock starts when the package first sees its current values: at the first poll of
 * a wait, at the first poll of a trigger (for a whole knowledge base, its baseline), or at the
 * poll that saw the values change. What happened before that is not known, so a document that
 * was stuck before anyone looked counts from the first look, never from an earlier guess.
 */

/** The part of an adapter that says what counts as progress. */
export type ProgressSource = Pick<StatusAdapter, 'progressSignature'>;

/** Key of the item that stands for a job or batch that lists no document yet. */
export const JOB_KEY = '\u0000job';

export const keyOf = (document: DocumentStatus) => document.documentId ?? JOB_KEY;

/** A short fingerprint of what counts as progress in a document's answer. */
export function progressFingerprint(adapter: ProgressSource, document: DocumentStatus): string {
	return createHash('sha256')
		.update(JSON.stringify(adapter.progressSignature(document)))
		.digest('base64url')
		.slice(0, 11);
}

/** A copy of the document that says since when it has been stuck. */
export function asStuck(document: DocumentStatus, since: number): DocumentStatus {
	return { ...document, stuckSince: new Date(since).toISOString() };
}

// ---------------------------------------------------------------------------------------------
// Wait Until Indexed
// ---------------------------------------------------------------------------------------------

/** When each unfinished document of one wait last changed. */
export class ChangeTracker {
	private readonly last = new Map<string, { fingerprint: string; since: number }>();

	constructor(
		private readonly adapter: ProgressSource,
		readonly stuckAfterMs: number,
	) {}

	/** Records an answer: a document seen for the first time, or with other values, starts anew. */
	observe(key: string, document: DocumentStatus, now: number): void {
		if (document.terminal) {
			this.last.delete(key);
			return;
		}
		const fingerprint = progressFingerprint(this.adapter, document);
		const previous = this.last.get(key);
		if (previous?.fingerprint !== fingerprint) this.last.set(key, { fingerprint, since: now });
	}

	/** When the unfinished document last changed, or undefined when it is finished or unseen. */
	since(key: string): number | undefined {
		return this.last.get(key)?.since;
	}

	/**
	 * When every one of these unfinished documents will have stayed unchanged for `stuckAfterMs`
	 * if none of them changes: the moment a look can find them all stuck. Null when one of them
	 * is not tracked (finished, or not answered yet), or there are none.
	 */
	allStuckAt(keys: string[]): number | null {
		if (keys.length === 0) return null;
		let latest = Number.NEGATIVE_INFINITY;
		for (const key of keys) {
			const since = this.since(key);
			if (since === undefined) return null;
			latest = Math.max(latest, since);
		}
		return latest + this.stuckAfterMs;
	}
}

// ---------------------------------------------------------------------------------------------
// Triggers, event Document Stuck
// ---------------------------------------------------------------------------------------------

/**
 * Unfinished documents a whole knowledge base tracks at most. Beyond that, the ones that changed
 * last are let go (their clocks start again when there is room), so the state stays bounded
 * whatever the knowledge base holds.
 */
export const MAX_TRACKED = 5000;

interface Entry {
	fingerprint: string;
	/** When the document last changed (ms). */
	since: number;
	/** Reported in this stuck spell. */
	reported: boolean;
	/** The listing pass that last saw it (a whole knowledge base). */
	pass: number;
}

// `fingerprint:since:reported:pass`, base 36, so that a large knowledge base keeps a small state.
const format = (e: Entry) => `${e.fingerprint}:${e.since.toString(36)}:${e.reported ? 1 : 0}:${e.pass.toString(36)}`;

function parse(text: string | undefined): Entry | undefined {
	const parts = typeof text === 'string' ? text.split(':') : [];
	if (parts.length !== 4) return undefined;
	const since = parseInt(parts[1], 36);
	const pass = parseInt(parts[3], 36);
	if (!Number.isFinite(since) || !Number.isFinite(pass)) return undefined;
	return { fingerprint: parts[0], since, reported: parts[2] === '1', pass };
}

export interface StuckCheck {
	stuckAfterMs: number;
	now: number;
	/**
	 * Another poll recorded since this one began: its answers may be older than what the state
	 * holds, so they neither move a clock nor report.
	 */
	stale: boolean;
	/** The poll read only some pages of a batch or job: the documents it did not read keep their clocks. */
	partSet?: boolean;
}

/**
 * Decides the Document Stuck event for one poll and updates `state.stuck` in place: returns the
 * documents that became stuck (unfinished and unchanged for `stuckAfterMs`), each once per stuck
 * spell. A document that changes starts a new spell; one that finishes is let go. `documents` is
 * what the poll read (for a long listing, the pages it got to): documents it did not read keep
 * their clocks.
 */
export function trackStuck(
	state: TriggerState,
	adapter: ProgressSource,
	target: WatchTarget,
	documents: DocumentStatus[],
	check: StuckCheck,
): DocumentStatus[] {
	const entries: Record<string, string> = { ...(state.stuck ?? {}) };
	const pass = state.listing?.pass ?? 0;
	const stuck: DocumentStatus[] = [];
	const seen = new Set<string>();
	for (const document of check.stale ? [] : documents) {
		const key = keyOf(document);
		// A listing can show a document twice when it shifts between pages.
		if (seen.has(key)) continue;
		seen.add(key);
		if (document.terminal) {
			delete entries[key];
			continue;
		}
		const fingerprint = progressFingerprint(adapter, document);
		const previous = parse(entries[key]);
		const entry: Entry =
			previous?.fingerprint === fingerprint
				? { ...previous, pass }
				: { fingerprint, since: check.now, reported: false, pass };
		if (!entry.reported && check.now - entry.since >= check.stuckAfterMs) {
			entry.reported = true;
			stuck.push(asStuck(document, entry.since));
		}
		entries[key] = format(entry);
	}

	if (target.documentIds !== null) {
		// Ids dropped from the set are let go.
		const watched = new Set(target.documentIds);
		for (const key of Object.keys(entries)) if (!watched.has(key)) delete entries[key];
	} else if (!target.wholeKnowledgeBase) {
		// A batch or a job read whole: what it no longer lists is let go.
		if (!check.stale && !check.partSet) for (const key of Object.keys(entries)) if (!seen.has(key)) delete entries[key];
	} else {
		// Ids missing from several complete listings in a row were deleted.
		for (const [key, text] of Object.entries(entries)) {
			const entry = parse(text);
			if (!entry || pass - entry.pass > FORGET_AFTER_PASSES) delete entries[key];
		}
		const keys = Object.keys(entries);
		if (keys.length > MAX_TRACKED) {
			const newestFirst = keys
				.map((key) => ({ key, since: (parse(entries[key]) as Entry).since }))
				.sort((a, b) => b.since - a.since);
			for (const { key } of newestFirst.slice(0, keys.length - MAX_TRACKED)) delete entries[key];
		}
	}
	state.stuck = entries;
	return stuck;
}
