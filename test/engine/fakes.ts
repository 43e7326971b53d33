import type { Clock } from '../../nodes/shared/clock';
import { ExecutionCancelledError } from '../../nodes/shared/clock';
import { newDocumentStatus } from '../../nodes/shared/documents';
import type { DocumentStatus, NormalizedStatus } from '../../nodes/shared/types';

/** A clock whose sleeps pass instantly and are recorded, so schedules can be asserted exactly. */
export class SimulatedClock implements Clock {
	readonly sleeps: number[] = [];
	constructor(public current = 1_000_000) {}
	now() {
		return this.current;
	}
	async sleep(ms: number, signal?: AbortSignal) {
		if (signal?.aborted) throw new ExecutionCancelledError();
		this.sleeps.push(ms);
		this.current += ms;
		await Promise.resolve();
		if (signal?.aborted) throw new ExecutionCancelledError();
	}
}

export function doc(
	documentId: string | null,
	status: NormalizedStatus,
	extra: Partial<DocumentStatus> = {},
): DocumentStatus {
	return newDocumentStatus(
		{ vendor: 'dify', knowledgeBaseId: 'kb', documentId, status, ...extra },
		new Date('2026-01-01T00:00:00Z'),
	);
}
