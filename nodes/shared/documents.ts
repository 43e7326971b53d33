import { isTerminalStatus } from './status';
import type { DocumentStatus, NormalizedStatus, VendorName } from './types';
import type { WatchTarget } from './vendor';

export type DocumentFields = Pick<DocumentStatus, 'vendor' | 'knowledgeBaseId' | 'documentId' | 'status'> &
	Partial<Omit<DocumentStatus, 'terminal' | 'checkedAt' | 'wait'>>;

/** A normalized document with every optional field null and `terminal` derived from `status`. */
export function newDocumentStatus(fields: DocumentFields, checkedAt = new Date()): DocumentStatus {
	const document: DocumentStatus = {
		vendor: fields.vendor,
		knowledgeBaseId: fields.knowledgeBaseId,
		jobId: fields.jobId ?? null,
		documentId: fields.documentId,
		documentName: fields.documentName ?? null,
		status: fields.status,
		terminal: isTerminalStatus(fields.status),
		vendorStatus: fields.vendorStatus ?? null,
		jobStatus: fields.jobStatus ?? null,
		progress: fields.progress ?? null,
		completedSegments: fields.completedSegments ?? null,
		totalSegments: fields.totalSegments ?? null,
		remainingSeconds: fields.remainingSeconds ?? null,
		error: fields.error ?? null,
		startedAt: fields.startedAt ?? null,
		completedAt: fields.completedAt ?? null,
		updatedAt: fields.updatedAt ?? null,
		checkedAt: checkedAt.toISOString(),
		requestId: fields.requestId ?? null,
	};
	if (fields.raw !== undefined) document.raw = fields.raw;
	return document;
}

/** A watched document that no answer covered before the wait's timeout ran out. */
export function unansweredDocument(vendor: VendorName, target: WatchTarget, documentId: string | null): DocumentStatus {
	return newDocumentStatus({
		vendor,
		knowledgeBaseId: target.knowledgeBaseId,
		jobId: target.jobId,
		documentId,
		status: 'unknown' satisfies NormalizedStatus,
		error: { code: null, message: 'No answer came for this document before the timeout ran out' },
	});
}

/** A watched id that the vendor's answer left out: the vendor does not know it. */
export function missingDocument(
	vendor: VendorName,
	target: WatchTarget,
	documentId: string,
	answeredWith: DocumentStatus | undefined,
): DocumentStatus {
	return newDocumentStatus({
		vendor,
		knowledgeBaseId: target.knowledgeBaseId,
		jobId: target.jobId,
		documentId,
		status: 'not_found' satisfies NormalizedStatus,
		error: { code: null, message: 'The knowledge base did not return this document' },
		requestId: answeredWith?.requestId ?? null,
	});
}
