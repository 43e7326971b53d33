import { fromDocument, fromIndexingStatus, inspectDifyResponse, mapDifyStatus } from '../../nodes/Dify/DifyAdapter';
import type { DifyTarget } from '../../nodes/Dify/DifyAdapter';
import type { RawResponse } from '../../nodes/shared/vendor';

const target: DifyTarget = {
	watch: 'batch',
	datasetId: 'ds-1',
	batch: '20250306150245647595',
	scopeKey: 'batch:ds-1:20250306150245647595',
	knowledgeBaseId: 'ds-1',
	jobId: '20250306150245647595',
	documentIds: null,
	wholeKnowledgeBase: false,
};

const response = (statusCode: number, body: unknown): RawResponse => ({ statusCode, headers: {}, body, text: JSON.stringify(body) });

describe('Dify status mapping', () => {
	it.each([
		['waiting', 'queued'],
		['parsing', 'processing'],
		['cleaning', 'processing'],
		['splitting', 'processing'],
		['indexing', 'processing'],
		['paused', 'paused'],
		['completed', 'completed'],
		['error', 'failed'],
		['re_segment', 'unknown'],
		[undefined, 'unknown'],
	])('maps %s to %s', (vendor, normalized) => {
		expect(mapDifyStatus(vendor)).toBe(normalized);
	});

	it('takes progress from segment counts and converts Unix seconds to ISO', () => {
		const item = fromIndexingStatus(
			{
				id: 'doc-1',
				indexing_status: 'indexing',
				processing_started_at: 1741267200,
				completed_at: null,
				error: null,
				completed_segments: 3,
				total_segments: 5,
			},
			target,
		);
		expect(item).toMatchObject({
			vendor: 'dify',
			knowledgeBaseId: 'ds-1',
			jobId: '20250306150245647595',
			documentId: 'doc-1',
			documentName: null,
			status: 'processing',
			terminal: false,
			vendorStatus: 'indexing',
			progress: 60,
			completedSegments: 3,
			totalSegments: 5,
			startedAt: '2025-03-06T13:20:00.000Z',
			completedAt: null,
			error: null,
		});
	});

	it('reports a failed document with its message and the time it stopped', () => {
		const item = fromIndexingStatus(
			{ id: 'doc-2', indexing_status: 'error', error: 'parse error', stopped_at: 1741267260, completed_segments: 0, total_segments: 0 },
			target,
		);
		expect(item).toMatchObject({ status: 'failed', terminal: true, progress: 0, error: { code: null, message: 'parse error' }, updatedAt: '2025-03-06T13:21:00.000Z' });
	});

	it('reads a document from the detail call, which has a name but no segment progress', () => {
		const item = fromDocument(
			{ id: 'doc-3', name: 'guide.pdf', indexing_status: 'completed', completed_at: 1741267300, segment_count: 7 },
			{ ...target, watch: 'documents', batch: null, jobId: null },
		);
		expect(item).toMatchObject({ documentName: 'guide.pdf', status: 'completed', progress: 100, completedSegments: 7, totalSegments: 7, jobId: null });
		expect(fromDocument({ id: 'doc-4', indexing_status: 'splitting' }, target).progress).toBeNull();
		// Before splitting, Dify's segment_count is 0: not known yet, rather than "no segments".
		expect(fromDocument({ id: 'doc-5', indexing_status: 'waiting', segment_count: 0 }, target)).toMatchObject({
			totalSegments: null,
			completedSegments: null,
			progress: 0,
		});
	});
});

describe('Dify error classification', () => {
	it('accepts any 2xx', () => {
		expect(inspectDifyResponse(response(200, { data: [] }))).toBeNull();
	});

	it('explains a rejected key without retrying', () => {
		expect(inspectDifyResponse(response(401, { code: 'unauthorized', message: 'Access token is invalid', status: 401 }))).toMatchObject({
			kind: 'auth',
			retryable: false,
			code: 'unauthorized',
			message: 'the API key was rejected (Access token is invalid)',
			hint: expect.stringContaining('Knowledge API key'),
		});
	});

	it('retries the Cloud rate limit that Dify reports as a 403, but not other 403s', () => {
		const limited = { code: 'forbidden', message: 'Sorry, you have reached the knowledge base request rate limit of your subscription.' };
		expect(inspectDifyResponse(response(403, limited))).toMatchObject({ kind: 'rate_limit', retryable: true });
		expect(inspectDifyResponse(response(403, { code: 'forbidden', message: 'Dataset api access is not enabled.' }))).toMatchObject({
			kind: 'permission',
			retryable: false,
		});
	});

	it('retries concurrency 429s and server errors, not quota 429s or bad requests', () => {
		expect(inspectDifyResponse(response(429, { code: 'too_many_requests', message: 'busy' }))?.retryable).toBe(true);
		expect(inspectDifyResponse(response(429, { code: 'rate_limit_error', message: 'quota' }))).toMatchObject({ kind: 'quota', retryable: false });
		expect(inspectDifyResponse(response(500, { code: 'internal_server_error', message: 'x' }))?.retryable).toBe(true);
		expect(inspectDifyResponse(response(400, { code: 'invalid_param', message: 'x' }))).toMatchObject({ kind: 'invalid_request', retryable: false });
		expect(inspectDifyResponse(response(404, { code: 'not_found', message: 'Dataset not found.' }))).toMatchObject({ kind: 'not_found', message: 'Dataset not found.' });
	});
});
