import type { Clock } from '../../nodes/shared/clock';
import { ExecutionCancelledError } from '../../nodes/shared/clock';
import { newDocumentStatus } from '../../nodes/shared/documents';
import type { DocumentStatus, NormalizedStatus } from '../../nodes/shared/types';
import type { ListingPage, StatusAdapter, VendorSpec, WatchTarget } from '../../nodes/shared/vendor';

/**
 * Virtual time: a sleep resolves as soon as everything else is waiting too, with the clock moved
 * to its end. Concurrent sleeps (several scopes) interleave as they would in real time, and the
 * requested durations are recorded so schedules can be asserted exactly.
 */
export class SimulatedClock implements Clock {
	readonly sleeps: number[] = [];
	private timers: Array<{ at: number; seq: number; resolve: () => void }> = [];
	private seq = 0;
	private advancing = false;

	constructor(public current = 1_000_000) {}

	now() {
		return this.current;
	}

	async sleep(ms: number, signal?: AbortSignal) {
		if (signal?.aborted) throw new ExecutionCancelledError();
		this.sleeps.push(ms);
		await new Promise<void>((resolve, reject) => {
			const onAbort = () => {
				this.timers = this.timers.filter((t) => t !== timer);
				reject(new ExecutionCancelledError());
			};
			const timer = {
				at: this.current + ms,
				seq: this.seq++,
				resolve: () => {
					signal?.removeEventListener('abort', onAbort);
					resolve();
				},
			};
			this.timers.push(timer);
			signal?.addEventListener('abort', onAbort, { once: true });
			this.advanceWhenIdle();
		});
		if (signal?.aborted) throw new ExecutionCancelledError();
	}

	/** Once every pending promise has settled, fire the earliest timer. */
	private advanceWhenIdle() {
		if (this.advancing) return;
		this.advancing = true;
		setImmediate(() => {
			this.advancing = false;
			this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
			const timer = this.timers.shift();
			if (!timer) return;
			this.current = Math.max(this.current, timer.at);
			timer.resolve();
			if (this.timers.length > 0) this.advanceWhenIdle();
		});
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

/**
 * Asks about ids in calls of 10, one after the other, as a chunking vendor (Coze) does; every
 * document it answers for is processing. With `idsPerCall` the engine knows the call size.
 */
export function chunkingAdapter(spec: VendorSpec, options: { operation?: string; idsPerCall?: number } = {}): StatusAdapter {
	return {
		spec,
		...(options.idsPerCall === undefined ? {} : { idsPerCall: options.idsPerCall }),
		progressSignature: testProgress,
		readTarget: () => {
			throw new Error('not used');
		},
		async fetchStatuses(client, target, ids) {
			const documents = [];
			const wanted = ids ?? [];
			for (let start = 0; start < wanted.length; start += 10) {
				const chunk = wanted.slice(start, start + 10);
				await client.request({ operation: options.operation ?? 'status', method: 'POST', url: `http://vendor/${target.scopeKey}`, body: chunk });
				documents.push(...chunk.map((id) => doc(id, 'processing')));
			}
			return documents;
		},
	};
}

/** A whole knowledge base listed `pages` pages of one completed document each (`<prefix><page>`), each page one call. */
export function listingAdapter(
	spec: VendorSpec,
	target: WatchTarget,
	options: { pages: number; operation: string; prefix: string },
): StatusAdapter {
	return {
		spec,
		progressSignature: testProgress,
		readTarget: () => target,
		fetchStatuses: async () => {
			throw new Error('a whole knowledge base is listed, not fetched');
		},
		async listPage(client, _target, page): Promise<ListingPage> {
			await client.request({ operation: options.operation, method: 'GET', url: 'http://vendor/list', qs: { page } });
			return { documents: [doc(`${options.prefix}${page}`, 'completed')], hasMore: page < options.pages };
		},
	};
}

/** A vendor that classifies nothing itself: the engine's own rules decide. */
export function testSpec(overrides: Partial<VendorSpec> = {}): VendorSpec {
	return {
		name: 'dify',
		displayName: 'Test Vendor',
		credentialType: 'testApi',
		pollInterval: { defaultSeconds: 5, minSeconds: 1 },
		secretFields: [],
		inspectResponse: () => null,
		requestIdOf: () => null,
		...overrides,
	};
}

/** What counts as progress for the test vendor: its status and its percentage. */
export const testProgress = (document: DocumentStatus) => [document.status, document.progress];

/**
 * An adapter that answers each id from a per-document timeline of statuses, one step per call;
 * the last one sticks. Without ids it answers for the timelines named `<scopeKey>/…`.
 */
export function scriptedAdapter(timelines: Record<string, Array<NormalizedStatus | Partial<DocumentStatus>>>) {
	const calls: Array<{ scopeKey: string; ids: string[] | null }> = [];
	const seen: Record<string, number> = {};
	const adapter: StatusAdapter = {
		spec: testSpec(),
		progressSignature: testProgress,
		readTarget: () => {
			throw new Error('not used');
		},
		async fetchStatuses(_client, target, ids) {
			calls.push({ scopeKey: target.scopeKey, ids });
			const wanted = ids ?? Object.keys(timelines).filter((id) => id.startsWith(target.scopeKey + '/'));
			return wanted
				.filter((id) => timelines[id])
				.map((id) => {
					const step = Math.min(seen[id] ?? 0, timelines[id].length - 1);
					seen[id] = (seen[id] ?? 0) + 1;
					const entry = timelines[id][step];
					return typeof entry === 'string' ? doc(id, entry) : doc(id, entry.status ?? 'processing', entry);
				});
		},
	};
	return { adapter, calls };
}
