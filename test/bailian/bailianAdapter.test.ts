/**
 * Bailian's adapter on its own: error classification, status mapping, parameters and paging, with
 * a scripted HTTP helper in place of n8n and a simulated clock in place of time.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import {
	acsRetryAfterMs,
	bailianAdapter,
	bailianEndpoint,
	bailianSpec,
	createBailianAdapter,
	fromJobDocument,
	inspectBailianResponse,
	isoFromEpochMs,
	jobItem,
	listIndexDocumentsPage,
	mapBailianDocumentStatus,
	mapBailianJobStatus,
	readBailianTarget,
} from '../../nodes/Bailian/BailianAdapter';
import type { BailianTarget } from '../../nodes/Bailian/BailianAdapter';
import { VendorClient } from '../../nodes/shared/client';
import { InputError, VendorRequestError } from '../../nodes/shared/errors';
import type { NodeContext, RawResponse } from '../../nodes/shared/vendor';
import { SimulatedClock } from '../engine/fakes';

const RID = '17204B98-7734-4F9A-8464-2446A84821CA';

function response(statusCode: number, body: unknown, headers: RawResponse['headers'] = {}): RawResponse {
	return { statusCode, headers, body, text: body === undefined ? '' : JSON.stringify(body) };
}

const envelope = (fields: object) => ({ RequestId: RID, Code: '', Message: '', Status: '200', Success: true, ...fields });

const target = (overrides: Partial<BailianTarget> = {}): BailianTarget => ({
	watch: 'job',
	workspaceId: 'llm-ws',
	indexId: 'idx',
	knowledgeBaseId: 'idx',
	jobId: 'job-1',
	documentIds: null,
	wholeKnowledgeBase: false,
	scopeKey: 'job:llm-ws/idx/job-1',
	...overrides,
});

describe('inspectBailianResponse', () => {
	it('accepts Success: true with an empty Code', () => {
		expect(inspectBailianResponse(response(200, envelope({ Data: {} })))).toBeNull();
	});

	it('accepts Success: true whatever Code says, as the official SDK reads no Code on success', () => {
		expect(inspectBailianResponse(response(200, envelope({ Code: 'Success', Message: 'success', Data: {} })))).toBeNull();
		expect(inspectBailianResponse(response(200, envelope({ Code: 'Index.Whatever', Data: {} })))).toBeNull();
	});

	it.each(['Success', 'OK', '200', 'success'])('accepts Code %s without a Success field', (code) => {
		expect(inspectBailianResponse(response(200, { RequestId: RID, Code: code, Message: 'm', Data: {} }))).toBeNull();
	});

	it.each([
		['Success: false', { Success: false, Code: 'Index.InvalidParameter', Message: 'bad job' }],
		['no Success field and an error Code', { Success: undefined, Code: 'Index.Forbidden', Message: 'User not authorized' }],
		['Success: false without a code', { Success: false, Code: '', Message: 'something failed' }],
		['Success: false with a success word in Code', { Success: false, Code: 'Success', Message: 'odd but failed' }],
	])('fails an HTTP 200 with %s, naming Code, Message and RequestId', (_, fields) => {
		const failure = inspectBailianResponse(response(200, envelope(fields)));
		expect(failure).not.toBeNull();
		expect(failure?.httpStatus).toBe(200);
		expect(failure?.message).toBe(`${fields.Message} (Code ${fields.Code || '(none)'}, RequestId ${RID})`);
		expect(failure?.requestId).toBe(RID);
	});

	it.each([
		['Throttling.User', 400, 'rate_limit', true],
		['Throttling', 503, 'rate_limit', true],
		['DataCenter.Throttling', 200, 'rate_limit', true],
		['SignatureDoesNotMatch', 400, 'auth', false],
		['InvalidAccessKeyId.NotFound', 404, 'auth', false],
		['InvalidSecurityToken.Expired', 400, 'auth', false],
		['MissingSecurityToken', 400, 'auth', false],
		['InvalidTimeStamp.Expired', 400, 'auth', false],
		['SignatureNonceUsed', 400, 'invalid_request', true],
		['Index.Forbidden', 403, 'permission', false],
		['NoPermission', 403, 'permission', false],
		['Index.InvalidParameter', 400, 'invalid_request', false],
		['InternalError', 500, 'server', true],
		['InvalidAction.NotFound', 404, 'not_found', false],
	])('classifies %s (HTTP %i) as %s, retryable %s', (code, status, kind, retryable) => {
		const failure = inspectBailianResponse(response(status, { RequestId: RID, Code: code, Message: 'm' }));
		expect(failure).toMatchObject({ kind, retryable, code, httpStatus: status });
	});

	it('reads x-acs-retry-after as milliseconds, and treats any error answer carrying it as throttling', () => {
		const failure = inspectBailianResponse(
			response(400, { RequestId: RID, Code: 'SomethingElse', Message: 'slow down' }, { 'x-acs-retry-after': '2500' }),
		);
		expect(failure).toMatchObject({ kind: 'rate_limit', retryable: true, retryAfterMs: 2500 });
		expect(acsRetryAfterMs(response(400, {}, { 'x-acs-retry-after': '0' }))).toBeNull();
		expect(acsRetryAfterMs(response(400, {}, { 'x-acs-retry-after': '-5' }))).toBeNull();
		expect(acsRetryAfterMs(response(400, {}, { 'x-acs-retry-after': 'soon' }))).toBeNull();
	});

	it('leaves answers without Bailian\'s envelope to the engine, and finds the request id in the header', () => {
		expect(inspectBailianResponse(response(502, undefined))).toBeNull();
		expect(inspectBailianResponse(response(200, undefined))).toBeNull();
		expect(bailianSpec.requestIdOf(response(502, undefined, { 'x-acs-request-id': 'H-1' }))).toBe('H-1');
	});

	it('gives advice that names the credential field to check', () => {
		expect(inspectBailianResponse(response(400, { Code: 'SignatureDoesNotMatch', Message: 'x' }))?.hint).toContain('AccessKey Secret');
		expect(inspectBailianResponse(response(403, { Code: 'Index.Forbidden', Message: 'x' }))?.hint).toContain('joined the workspace');
	});
});

describe('statuses', () => {
	it('maps document and job statuses', () => {
		// DOC_PARSING and PARSE_FAILED come from no official definition of an index document's status.
		expect(['RUNNING', 'FINISH', 'INSERT_ERROR', 'DELETED', 'DOC_PARSING', 'PARSE_FAILED', 'NEW', 3].map(mapBailianDocumentStatus)).toEqual([
			'processing', 'completed', 'failed', 'deleted', 'unknown', 'unknown', 'unknown', 'unknown',
		]);
		expect(['PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'X'].map(mapBailianJobStatus)).toEqual([
			'queued', 'processing', 'completed', 'failed', 'unknown',
		]);
	});

	it('lets the document status win over a COMPLETED job', () => {
		const doc = fromJobDocument(
			{ DocId: 'file_1', DocName: 'bad.pdf', Status: 'INSERT_ERROR', Code: 'Index.Document.ChunkError', Message: 'document parse error', GmtModified: 1741267260000 },
			target(),
			'COMPLETED',
			RID,
		);
		expect(doc).toMatchObject({
			documentId: 'file_1',
			status: 'failed',
			terminal: true,
			jobStatus: 'COMPLETED',
			progress: 100,
			error: { code: 'Index.Document.ChunkError', message: 'document parse error' },
			updatedAt: '2025-03-06T13:21:00.000Z',
			requestId: RID,
		});
		const running = fromJobDocument({ DocId: 'file_2', Status: 'RUNNING', Code: '', Message: '', GmtModified: 0 }, target(), 'RUNNING', RID);
		expect(running).toMatchObject({ status: 'processing', progress: null, error: null, updatedAt: null });
	});

	it('answers a job without documents with one job item', () => {
		expect(jobItem({ Status: 'PENDING', JobId: 'job-1' }, target(), RID)).toMatchObject({
			documentId: null, status: 'queued', terminal: false, vendorStatus: 'PENDING', jobStatus: 'PENDING', jobId: 'job-1', progress: 0,
		});
		expect(jobItem({ Status: 'FAILED' }, target(), RID)).toMatchObject({ status: 'failed', terminal: true, error: expect.objectContaining({ message: expect.stringContaining('without listing any document') }) });
	});

	it('reads GmtModified as epoch milliseconds', () => {
		expect(isoFromEpochMs(1741267200000)).toBe('2025-03-06T13:20:00.000Z');
		expect(isoFromEpochMs('1741267200000')).toBe('2025-03-06T13:20:00.000Z');
		expect(isoFromEpochMs(0)).toBeNull();
		expect(isoFromEpochMs(null)).toBeNull();
	});
});

describe('parameters', () => {
	const context = (parameters: Record<string, unknown>) =>
		({
			getInputData: () => [{ json: {} }],
			getNodeParameter: (name: string, _index: number, fallback: unknown) => (name in parameters ? parameters[name] : fallback),
		}) as unknown as NodeContext;

	it('reads a job, with the workspace left to the credential when empty', () => {
		expect(readBailianTarget(context({ indexId: ' idx ', jobId: 'job-1', workspaceId: '' }), 0)).toMatchObject({
			watch: 'job', workspaceId: null, indexId: 'idx', jobId: 'job-1', knowledgeBaseId: 'idx', documentIds: null, wholeKnowledgeBase: false,
		});
	});

	it('accepts resource locator values, so a later locator field keeps old workflows working', () => {
		expect(
			readBailianTarget(context({ indexId: { __rl: true, mode: 'id', value: 'idx' }, workspaceId: { __rl: true, mode: 'list', value: 'llm-a' }, jobId: 'j' }), 0),
		).toMatchObject({ workspaceId: 'llm-a', indexId: 'idx' });
	});

	it('reads a whole index for the trigger', () => {
		expect(readBailianTarget(context({ indexId: 'idx', watch: 'index' }), 0)).toMatchObject({ watch: 'index', jobId: null, wholeKnowledgeBase: true, scopeKey: 'index:/idx' });
	});

	it.each([
		[{ jobId: 'j' }, /^Index ID is empty/],
		[{ indexId: 'idx' }, /^Job ID is empty: expected the JobId/],
		[{ indexId: 'idx', jobId: { Id: 'x' } }, /^Job ID is of type object: expected a string/],
		[{ indexId: 'a b', jobId: 'j' }, /^Index ID "a b" is not a Bailian ID/],
		[{ indexId: 'idx', watch: 'dataset' }, /^Watch is "dataset": expected "job" or "index"/],
	])('names the field of a bad input %#', (parameters, message) => {
		expect(() => readBailianTarget(context(parameters), 0)).toThrow(InputError);
		expect(() => readBailianTarget(context(parameters), 0)).toThrow(message);
	});

	it('resolves the endpoint from the region, or checks the custom one', () => {
		expect(bailianEndpoint({ region: 'cn-beijing' })).toBe('https://bailian.cn-beijing.aliyuncs.com');
		expect(bailianEndpoint({ region: 'ap-southeast-1' })).toBe('https://bailian.ap-southeast-1.aliyuncs.com');
		expect(bailianEndpoint({ region: 'custom', endpoint: ' http://10.0.0.5:8080/ ' })).toBe('http://10.0.0.5:8080');
		expect(() => bailianEndpoint({ region: 'custom', endpoint: 'bailian.example.com' })).toThrow(/^Endpoint of the Bailian credential is "bailian.example.com": expected a full URL/);
		expect(() => bailianEndpoint({ region: 'cn-shanghai' })).toThrow(/Region "cn-shanghai"/);
	});
});

describe('calls', () => {
	type Answer = { statusCode: number; body: unknown; headers?: Record<string, string> };

	function client(answers: Answer[], credential: Record<string, unknown> = {}) {
		const sent: IHttpRequestOptions[] = [];
		const clock = new SimulatedClock();
		const ctx = {
			getCredentials: async () => ({ accessKeyId: 'LTAI', accessKeySecret: 's', region: 'custom', endpoint: 'http://sim', workspaceId: 'llm-default', ...credential }),
			helpers: {
				httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
					sent.push(options);
					const answer = answers.shift();
					if (!answer) throw new Error('no more scripted answers');
					return { statusCode: answer.statusCode, headers: answer.headers ?? {}, body: JSON.stringify(answer.body) };
				},
			},
		} as unknown as NodeContext;
		return { client: new VendorClient(ctx, bailianSpec, clock, undefined, undefined, () => 0), sent, clock };
	}

	const page = (status: string, ids: string[]) =>
		({ statusCode: 200, body: envelope({ Data: { JobId: 'job-1', Status: status, Documents: ids.map((id) => ({ DocId: id, DocName: `${id}.pdf`, Status: 'FINISH', GmtModified: 1741267200000 })) } }) });

	it('pages a job until a short page, 5 s apart, with the lower-case pageSize', async () => {
		const { client: c, sent, clock } = client([page('RUNNING', ['a', 'b']), page('RUNNING', ['c', 'd']), page('COMPLETED', ['e'])]);
		const adapter = createBailianAdapter({ jobPageSize: 2 });
		const documents = await adapter.fetchStatuses(c, target(), null);
		expect(documents.map((d) => d.documentId)).toEqual(['a', 'b', 'c', 'd', 'e']);
		// The newest job status goes on every document.
		expect(documents.every((d) => d.jobStatus === 'COMPLETED')).toBe(true);
		expect(sent.map((o) => o.qs)).toEqual([1, 2, 3].map((n) => ({ IndexId: 'idx', JobId: 'job-1', PageNumber: n, pageSize: 2 })));
		expect(sent[0].url).toBe('http://sim/llm-ws/index/job/status');
		expect(sent[0].headers).toMatchObject({ 'x-acs-action': 'GetIndexJobStatus' });
		expect(clock.sleeps).toEqual([5000, 5000]);
	});

	it('stops when a page brings nothing new (a server that ignores PageNumber)', async () => {
		const { client: c, sent } = client([page('RUNNING', ['a', 'b']), page('RUNNING', ['a', 'b'])]);
		const documents = await createBailianAdapter({ jobPageSize: 2 }).fetchStatuses(c, target(), null);
		// Both listed documents have ended but the job runs on: its own item keeps the set open.
		expect(documents.map((d) => d.documentId)).toEqual(['a', 'b', null]);
		expect(sent).toHaveLength(2);
	});

	it('uses the credential\'s workspace when the node leaves it empty, encoded into the path', async () => {
		const { client: c, sent } = client([page('COMPLETED', [])], { workspaceId: 'llm a/b' });
		const documents = await bailianAdapter.fetchStatuses(c, target({ workspaceId: null }), null);
		expect(sent[0].url).toBe('http://sim/llm%20a%2Fb/index/job/status');
		expect(sent[0].qs).toMatchObject({ pageSize: 1000 });
		expect(documents).toEqual([expect.objectContaining({ documentId: null, status: 'completed', jobStatus: 'COMPLETED' })]);
	});

	it('fails clearly without any workspace, and on an answer without Data', async () => {
		const none = client([], { workspaceId: '' });
		await expect(bailianAdapter.fetchStatuses(none.client, target({ workspaceId: null }), null)).rejects.toThrow(/^Workspace ID is empty/);
		const empty = client([{ statusCode: 200, body: envelope({}) }]);
		const error = await bailianAdapter.fetchStatuses(empty.client, target(), null).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(VendorRequestError);
		expect((error as VendorRequestError).message).toBe(`Bailian GetIndexJobStatus failed: the answer has no Data object (RequestId ${RID})`);
	});

	it('lists one page of an index and says whether more follow, by TotalCount', async () => {
		const listing = (total: number, ids: string[]) => ({
			statusCode: 200,
			body: envelope({ Data: { TotalCount: total, PageNumber: 1, PageSize: 2, Documents: ids.map((id) => ({ Id: id, Name: id, Status: 'RUNNING', GmtModified: 1741267200000 })) } }),
		});
		const { client: c, sent } = client([listing(3, ['a', 'b']), listing(3, ['c']), listing(4, ['a', 'b'])]);
		const index = target({ watch: 'index', jobId: null, wholeKnowledgeBase: true });
		expect(await listIndexDocumentsPage(c, index, 1, 2)).toMatchObject({ hasMore: true, documents: [{ documentId: 'a', jobId: null, updatedAt: '2025-03-06T13:20:00.000Z' }, { documentId: 'b' }] });
		expect(await listIndexDocumentsPage(c, index, 2, 2)).toMatchObject({ hasMore: false, documents: [{ documentId: 'c' }] });
		expect((await listIndexDocumentsPage(c, index, 1, 2)).hasMore).toBe(true);
		expect(sent[0].qs).toEqual({ IndexId: 'idx', PageNumber: 1, PageSize: 2 });
		expect(sent[0].headers).toMatchObject({ 'x-acs-action': 'ListIndexDocuments' });
	});
});
