import type {
	DocumentStatus,
	NormalizedStatus,
	StatusCounts,
	StatusSummary,
	VendorName,
	WaitInfo,
} from './types';
import { NORMALIZED_STATUSES } from './types';

const TERMINAL: ReadonlySet<NormalizedStatus> = new Set([
	'completed',
	'failed',
	'deleted',
	'not_found',
]);

/** Rank used for the summary status: the least advanced document decides. */
const ADVANCEMENT: Record<NormalizedStatus, number> = {
	unknown: 0,
	paused: 1,
	queued: 2,
	processing: 3,
	not_found: 4,
	deleted: 5,
	failed: 6,
	completed: 7,
};

export function isTerminalStatus(status: NormalizedStatus): boolean {
	return TERMINAL.has(status);
}

function emptyCounts(): StatusCounts {
	const counts = {} as StatusCounts;
	for (const status of NORMALIZED_STATUSES) counts[status] = 0;
	return counts;
}

export function countStatuses(documents: DocumentStatus[]): StatusCounts {
	const counts = emptyCounts();
	for (const document of documents) counts[document.status] += 1;
	return counts;
}

/**
 * `completed` when every document is completed, `failed` when every document is terminal and
 * at least one is not completed, otherwise the least advanced status among the documents.
 */
export function summaryStatus(documents: DocumentStatus[]): NormalizedStatus {
	if (documents.length === 0) return 'unknown';
	if (documents.every((d) => d.status === 'completed')) return 'completed';
	if (documents.every((d) => d.terminal)) return 'failed';
	// Terminal statuses rank above every unfinished one, so this picks an unfinished status.
	return documents.reduce<NormalizedStatus>(
		(least, d) => (ADVANCEMENT[d.status] < ADVANCEMENT[least] ? d.status : least),
		'completed',
	);
}

/**
 * Mean progress over all documents, where a terminal document counts as done and an unfinished
 * one without a figure counts as 0. Null when no document gives any figure to go on.
 */
export function summaryProgress(documents: DocumentStatus[]): number | null {
	if (!documents.some((d) => d.progress !== null || d.terminal)) return null;
	const total = documents.reduce((sum, d) => sum + (d.terminal ? 100 : (d.progress ?? 0)), 0);
	return Math.round(total / documents.length);
}

export function summarize(
	vendor: VendorName,
	knowledgeBaseId: string,
	jobId: string | null,
	documents: DocumentStatus[],
	wait?: WaitInfo,
): StatusSummary {
	const status = summaryStatus(documents);
	const summary: StatusSummary = {
		vendor,
		knowledgeBaseId,
		jobId,
		status,
		terminal: documents.length > 0 && documents.every((d) => d.terminal),
		total: documents.length,
		counts: countStatuses(documents),
		progress: summaryProgress(documents),
		documents,
	};
	if (wait) summary.wait = wait;
	return summary;
}

/** The two counts added, status by status; only the statuses that have a count are kept. */
export function addCounts(earlier: Partial<StatusCounts> | undefined, more: Partial<StatusCounts>): Partial<StatusCounts> {
	const sum: Partial<StatusCounts> = {};
	for (const status of NORMALIZED_STATUSES) {
		const count = (earlier?.[status] ?? 0) + (more[status] ?? 0);
		if (count > 0) sum[status] = count;
	}
	return sum;
}

/**
 * A summary that also counts documents read before it (by earlier polls of a trigger's pass),
 * of which only the statuses are kept: `total`, `counts`, `status`, `terminal` and `progress`
 * cover them all; `documents` lists the summary's own.
 */
export function withEarlierCounts(summary: StatusSummary, earlier: Partial<StatusCounts>): StatusSummary {
	const earlierTotal = Object.values(earlier).reduce((sum, count) => sum + (count ?? 0), 0);
	if (earlierTotal === 0) return summary;
	const counts = { ...emptyCounts(), ...addCounts(earlier, summary.counts) } as StatusCounts;
	const total = summary.total + earlierTotal;
	const open = NORMALIZED_STATUSES.filter((status) => !isTerminalStatus(status) && counts[status] > 0);
	const status: NormalizedStatus =
		counts.completed === total
			? 'completed'
			: open.length === 0
				? 'failed'
				: open.reduce((least, s) => (ADVANCEMENT[s] < ADVANCEMENT[least] ? s : least));
	// An earlier document counts as done when it had ended, else as 0 (only its status was kept).
	const earlierDone = NORMALIZED_STATUSES.filter(isTerminalStatus).reduce((sum, s) => sum + (earlier[s] ?? 0), 0);
	const ownProgress = (summary.progress ?? 0) * summary.total;
	return {
		...summary,
		status,
		terminal: open.length === 0,
		total,
		counts,
		progress: summary.progress === null && earlierDone === 0 ? null : Math.round((ownProgress + 100 * earlierDone) / total),
	};
}

/** Whole-number percentage clamped to 0..100, or null for anything that is not a finite number. */
export function toPercent(value: unknown): number | null {
	if (typeof value !== 'number' || !Number.isFinite(value)) return null;
	return Math.min(100, Math.max(0, Math.round(value)));
}

/** Unix seconds → ISO 8601; null for missing or invalid values. */
export function isoFromUnixSeconds(value: unknown): string | null {
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return null;
	return new Date(value * 1000).toISOString();
}
