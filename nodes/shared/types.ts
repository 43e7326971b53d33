/**
 * The normalized vocabulary shared by every vendor. Field names and status values are part of
 * the package's public contract: saved workflows branch on them.
 */

export const NORMALIZED_STATUSES = [
	'queued',
	'processing',
	'paused',
	'completed',
	'failed',
	'deleted',
	'not_found',
	'unknown',
] as const;

export type NormalizedStatus = (typeof NORMALIZED_STATUSES)[number];

/**
 * The vendor's name in items (`vendor`), as the adapter's spec gives it. The engine takes it as
 * it comes: which vendors exist is the adapters' business, not the engine's.
 */
export type VendorName = string;

export interface DocumentError {
	code: string | null;
	message: string;
}

export interface WaitInfo {
	polls: number;
	waitedSeconds: number;
	timedOut: boolean;
	/** The wait ended early: every unfinished document stayed unchanged for `stuckAfter`. */
	stuck: boolean;
}

/** One document's status, as every node of the package outputs it (`perDocument` mode). */
export interface DocumentStatus {
	vendor: VendorName;
	knowledgeBaseId: string;
	jobId: string | null;
	documentId: string | null;
	documentName: string | null;
	status: NormalizedStatus;
	terminal: boolean;
	vendorStatus: string | null;
	jobStatus: string | null;
	progress: number | null;
	completedSegments: number | null;
	totalSegments: number | null;
	remainingSeconds: number | null;
	error: DocumentError | null;
	startedAt: string | null;
	completedAt: string | null;
	updatedAt: string | null;
	checkedAt: string;
	requestId: string | null;
	wait?: WaitInfo;
	/** When a stuck document last changed (ISO 8601); only on items of a stuck document. */
	stuckSince?: string;
	raw?: unknown;
}

export type StatusCounts = Record<NormalizedStatus, number>;

/** One item per input item (`summary` mode). */
export interface StatusSummary {
	vendor: VendorName;
	knowledgeBaseId: string;
	jobId: string | null;
	status: NormalizedStatus;
	terminal: boolean;
	total: number;
	counts: StatusCounts;
	progress: number | null;
	documents: DocumentStatus[];
	wait?: WaitInfo;
}
