import type { DocumentStatus } from './types';

/** The slowest the wait loop polls, however far off completion looks (INTERFACE: 60 s). */
export const MAX_STRETCHED_INTERVAL_MS = 60_000;

export interface ProgressMark {
	progress: number;
	at: number;
}

/**
 * How long a document still needs, by the vendor's own estimate (a remaining time it reports)
 * or, failing that, by the rate its progress rose since it was first seen above 0 %. Null when
 * nothing says.
 *
 * A rate estimate is halved: progress is rarely linear (a pipeline may spend its first stages at
 * 0 %), and halving lets the polls close in on completion instead of overshooting it.
 */
export function estimateRemainingMs(
	document: DocumentStatus,
	previous: ProgressMark | undefined,
	now: number,
): number | null {
	if (document.remainingSeconds !== null && document.remainingSeconds > 0) {
		return document.remainingSeconds * 1000;
	}
	const progress = document.progress;
	if (progress === null || !previous || progress <= previous.progress || now <= previous.at) {
		return null;
	}
	const ratePerMs = (progress - previous.progress) / (now - previous.at);
	return Math.round((100 - progress) / ratePerMs / 2);
}

/**
 * The gap before the next poll of a set of documents: `intervalMs` at least; longer when every
 * unfinished document is expected to need longer, or when the vendor asked to come back later;
 * never longer than 60 s (or the interval, when that is longer), so that completion is noticed
 * promptly even when an estimate was pessimistic.
 */
export function nextPollDelayMs(
	intervalMs: number,
	remainingEstimatesMs: Array<number | null>,
	vendorBackoffMs = 0,
): number {
	const ceiling = Math.max(MAX_STRETCHED_INTERVAL_MS, intervalMs);
	const known = remainingEstimatesMs.length > 0 && remainingEstimatesMs.every((e) => e !== null);
	const soonest = known ? Math.min(...(remainingEstimatesMs as number[])) : 0;
	return Math.min(ceiling, Math.max(intervalMs, soonest, vendorBackoffMs));
}
