/**
 * Coze's adapter on its own: error classification, status mapping, parameters and calls, with a
 * scripted HTTP helper in place of n8n and a simulated clock in place of time.
 */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import {
	COZE_REGION_HOSTS,
	PROCESS_CHUNK_SIZE,
	cozeAdapter,
	cozeBaseUrl,
	cozeId,
	cozeRequestId,
	fromListEntry,
	fromProgressEntry,
	inspectCozeResponse,
	listDocumentsPage,
	mapCozeStatus,
	readCozeTarget,
	regionHint,
} from '../../nodes/Coze/CozeAdapter';
import type { CozeTarget } from '../../nodes/Coze/CozeAdapter';
import { VendorClient } from '../../nodes/shared/client';
import { InputError, VendorRequestError } from '../../nodes/shared/errors';
import type { NodeContext, RawResponse } from '../../nodes/shared/vendor';
import { watchDocuments } from '../../nodes/shared/watch';
import { SimulatedClock } from '../engine/fakes';

const LOGID = '20241210152726467C48D89D6DB2ABCD';

function response(statusCode: number, body: unknown, headers: RawResponse['headers'] = {}): RawResponse {
	return { statusCode, headers, body, text: body === undefined ? '' : JSON.stringify(body) };
}

const envelope = (code: number, msg: string, fields: object = {}) => ({ code, msg, ...fields, detail: { logid: LOGID } });

const target = (overrides: Partial<CozeTarget> = {}): CozeTarget => ({
	watch: 'documents',
	datasetId: '7442585813587610001',
	knowledgeBaseId: '7442585813587610001',
	jobId: null,
	documentIds: ['7442585813587681111'],
	wholeKnowledgeBase: false,
	scopeKey: 'documents:7442585813587610001',
	...overrides,
});

describe('inspectCozeResponse', () => {
	it('accepts code 0, and answers without an envelope such as /v1/users/me of a gateway', () => {
		expect(inspectCozeResponse(response(200, envelope(0, '', { data: { data: [] } })))).toBeNull();
		expect(inspectCozeResponse(response(200, { data: {} }))).toBeNull();
	});

	it.each([
		[200, 4000, 'invalid_request', false],
		[200, 4100, 'auth', false],
		[401, 4100, 'auth', false],
		[200, 4101, 'permission', false],
		[403, 4101, 'permission', false],
		[200, 4200, 'not_found', false],
		[404, 4200, 'not_found', false],
		[200, 4013, 'rate_limit', true],
		[429, 4013, 'rate_limit', true],
		[500, 5000, 'server', true],
		[503, 0, 'server', true],
		[200, 4999, 'invalid_request', false],
	])('classifies HTTP %i with code %i as %s (retryable: %s)', (status, code, kind, retryable) => {
		const failure = inspectCozeResponse(response(status, envelope(code, 'what Coze said')));
		expect(failure).toMatchObject({ kind, retryable, httpStatus: status, code: String(code), requestId: LOGID });
		expect(failure?.message).toBe(`what Coze said (code ${code}, logid ${LOGID})`);
	});

	it('lets the HTTP status decide before the body code, as the official SDK does', () => {
		expect(inspectCozeResponse(response(401, envelope(4013, 'x')))).toMatchObject({ kind: 'auth', retryable: false });
		expect(inspectCozeResponse(response(429, envelope(4000, 'x')))).toMatchObject({ kind: 'rate_limit', retryable: true });
	});

	it('reads a code the lossless parser kept as a string', () => {
		expect(inspectCozeResponse(response(200, { code: '4100', msg: 'bad token' }))).toMatchObject({ kind: 'auth', code: '4100' });
	});

	it('gives advice for auth, permission and not-found failures', () => {
		expect(inspectCozeResponse(response(200, envelope(4100, 'x')))?.hint).toMatch(/access token/);
		expect(inspectCozeResponse(response(200, envelope(4101, 'x')))?.hint).toMatch(/readDocumentProgress/);
		expect(inspectCozeResponse(response(200, envelope(4200, 'x')))?.hint).toMatch(/Dataset ID/);
	});

	it('claims 401 and 403 without an envelope, and leaves other foreign answers to the engine', () => {
		const page = (status: number) => ({ statusCode: status, headers: {}, body: undefined, text: '<html>…</html>' });
		expect(inspectCozeResponse(page(401))).toMatchObject({ kind: 'auth', code: null, message: 'the access token was rejected (HTTP 401)' });
		expect(inspectCozeResponse(page(403))).toMatchObject({ kind: 'permission' });
		expect(inspectCozeResponse(page(404))).toBeNull();
		expect(inspectCozeResponse(page(502))).toBeNull();
		expect(inspectCozeResponse(page(200))).toBeNull();
	});

	it('falls back to a default message when msg is empty', () => {
		expect(inspectCozeResponse(response(200, envelope(4013, '')))?.message).toBe(`too many requests (code 4013, logid ${LOGID})`);
	});
});

describe('cozeRequestId', () => {
	it('reads detail.logid, else the x-tt-logid header', () => {
		expect(cozeRequestId(response(200, envelope(0, '')))).toBe(LOGID);
		expect(cozeRequestId(response(200, { code: 0 }, { 'x-tt-logid': 'header-id' }))).toBe('header-id');
		expect(cozeRequestId(response(200, undefined, { 'x-tt-logid': ['first', 'second'] }))).toBe('first');
		expect(cozeRequestId(response(200, { code: 0 }))).toBeNull();
	});
});

describe('status mapping', () => {
	it.each([
		[0, 'processing'],
		[1, 'completed'],
		[2, 'completed'],
		[3, 'deleted'],
		[4, 'processing'],
		[5, 'processing'],
		[9, 'failed'],
		[1000, 'failed'],
	])('maps DocumentStatus %s of Coze\'s OpenAPI spec to %s', (value, status) => {
		expect(mapCozeStatus(value)).toBe(status);
		expect(mapCozeStatus(String(value))).toBe(status);
	});

	it('maps anything else to unknown', () => {
		expect(mapCozeStatus(6)).toBe('unknown');
		expect(mapCozeStatus(undefined)).toBe('unknown');
	});

	it('ends a document that failed the content audit (1000) or was deleted (3), keeping Coze\'s number', () => {
		const audit = fromProgressEntry({ document_id: '1', status: 1000, progress: 0 }, target(), null);
		expect(audit).toMatchObject({ status: 'failed', terminal: true, vendorStatus: '1000' });
		expect(audit?.error).toEqual({
			code: '1000',
			message: "The document failed Coze's content audit (status 1000 AuditFailed); Coze will not index it",
		});
		const detailed = fromListEntry({ document_id: '1', status: 1000, status_descript: 'sensitive content' }, target(), null);
		expect(detailed?.error?.message).toMatch(/content audit.*: sensitive content$/);
		expect(fromProgressEntry({ document_id: '1', status: 3 }, target(), null)).toMatchObject({
			status: 'deleted',
			terminal: true,
			vendorStatus: '3',
			error: null,
		});
		expect(fromProgressEntry({ document_id: '1', status: 2 }, target(), null)).toMatchObject({
			status: 'completed',
			vendorStatus: '2',
			progress: 100,
		});
	});

	it('turns every id into an exact string', () => {
		expect(cozeId('7442585813587681111')).toBe('7442585813587681111');
		expect(cozeId(123456789)).toBe('123456789');
		expect(cozeId(1.5)).toBeNull();
		expect(cozeId(Number.MAX_SAFE_INTEGER + 2)).toBeNull();
		expect(cozeId('')).toBeNull();
		expect(cozeId(undefined)).toBeNull();
	});

	it('maps a progress entry: name, progress, remaining time, raw and request id', () => {
		const entry = {
			document_id: '7442585813587681111',
			document_name: 'guide.pdf',
			status: 0,
			progress: 40,
			remaining_time: 18,
			size: 171340,
			type: 'pdf',
			update_type: 0,
			update_interval: 0,
		};
		const document = fromProgressEntry(entry, target(), LOGID);
		expect(document).toMatchObject({
			vendor: 'coze',
			knowledgeBaseId: '7442585813587610001',
			jobId: null,
			documentId: '7442585813587681111',
			documentName: 'guide.pdf',
			status: 'processing',
			terminal: false,
			vendorStatus: '0',
			jobStatus: null,
			progress: 40,
			completedSegments: null,
			totalSegments: null,
			remainingSeconds: 18,
			error: null,
			startedAt: null,
			completedAt: null,
			updatedAt: null,
			requestId: LOGID,
			raw: entry,
		});
	});

	it('uses status_descript as the error of a failed document, with the code 9', () => {
		const failed = fromProgressEntry({ document_id: 42, status: 9, progress: 50, status_descript: 'slice failed' }, target(), null);
		expect(failed).toMatchObject({ documentId: '42', status: 'failed', terminal: true, vendorStatus: '9', error: { code: '9', message: 'slice failed' } });
		const silent = fromProgressEntry({ document_id: '1', status: 9 }, target(), null);
		expect(silent?.error).toEqual({ code: '9', message: 'Coze could not process the document; Coze suggests uploading it again' });
		// A description without the failed status is not an error.
		expect(fromProgressEntry({ document_id: '1', status: 1, status_descript: 'ok' }, target(), null)?.error).toBeNull();
	});

	it('fills what Coze leaves out: 100 % for a completed document, null for an unknown figure', () => {
		expect(fromProgressEntry({ document_id: '1', status: 1 }, target(), null)).toMatchObject({ progress: 100, remainingSeconds: null });
		expect(fromProgressEntry({ document_id: '1', status: 0, progress: 150, remaining_time: -1 }, target(), null)).toMatchObject({
			progress: 100,
			remainingSeconds: null,
		});
		expect(fromProgressEntry({ document_name: 'no id', status: 1 }, target(), null)).toBeNull();
	});

	it('maps a list entry: name, status and update time, progress only when finished', () => {
		const listed = fromListEntry(
			{ document_id: '7442585813587681111', name: 'a.txt', status: 0, update_time: 1741267200 },
			target({ watch: 'dataset' }),
			LOGID,
		);
		expect(listed).toMatchObject({
			documentId: '7442585813587681111',
			documentName: 'a.txt',
			status: 'processing',
			progress: null,
			updatedAt: '2025-03-06T13:20:00.000Z',
			requestId: LOGID,
		});
		expect(fromListEntry({ document_id: '1', status: 9, status_descript: 'bad file' }, target(), null)).toMatchObject({
			status: 'failed',
			error: { code: '9', message: 'bad file' },
		});
		expect(fromListEntry({ document_id: '1', status: 1 }, target(), null)?.progress).toBe(100);
	});
});

describe('credential endpoints', () => {
	it('maps the regions and a custom base URL', () => {
		expect(cozeBaseUrl({ region: 'cn' })).toBe('https://api.coze.cn');
		expect(cozeBaseUrl({ region: 'com', baseUrl: 'http://ignored' })).toBe('https://api.coze.com');
		expect(cozeBaseUrl({ region: 'custom', baseUrl: ' http://10.0.0.5:8080/v1/ ' })).toBe('http://10.0.0.5:8080');
		expect(cozeBaseUrl({ region: 'custom', baseUrl: 'https://gw.example.com/coze' })).toBe('https://gw.example.com/coze');
		expect(() => cozeBaseUrl({ region: 'custom', baseUrl: '' })).toThrow(/Base URL of the Coze API credential is "": expected a full URL/);
		expect(() => cozeBaseUrl({ region: 'eu' })).toThrow(InputError);
	});

	it('hints at the other region only for the public regions', () => {
		expect(regionHint('cn')).toMatch(/coze\.com only works with Region International/);
		expect(regionHint('com')).toMatch(/coze\.cn only works with Region China/);
		expect(regionHint('custom')).toBeNull();
	});
});

// ----- parameters ---------------------------------------------------------------------------

/** An action node's context (parameters per item) or a trigger's (no item index). */
function parameterContext(parameters: Record<string, unknown>, kind: 'execute' | 'poll') {
	const read = (name: string, fallback: unknown) => (name in parameters ? parameters[name] : fallback);
	if (kind === 'execute') {
		return {
			getInputData: () => [{ json: {} }],
			getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) => read(name, fallback),
		} as unknown as NodeContext;
	}
	return { getNodeParameter: (name: string, fallback?: unknown) => read(name, fallback) } as unknown as NodeContext;
}

describe('readCozeTarget', () => {
	it('reads an action node\'s dataset and documents, trimmed and de-duplicated', () => {
		const ctx = parameterContext({ datasetId: ' 7442585813587610001 ', documentIds: '7442585813587681111,\n7442585813587681112, 7442585813587681111' }, 'execute');
		expect(readCozeTarget(ctx, 0)).toEqual({
			watch: 'documents',
			datasetId: '7442585813587610001',
			knowledgeBaseId: '7442585813587610001',
			jobId: null,
			documentIds: ['7442585813587681111', '7442585813587681112'],
			wholeKnowledgeBase: false,
			scopeKey: 'documents:7442585813587610001',
		});
	});

	it('reads a trigger\'s watch through the poll signature', () => {
		const ctx = parameterContext({ datasetId: '7442585813587610001', watch: 'dataset' }, 'poll');
		expect(readCozeTarget(ctx, 0)).toMatchObject({ watch: 'dataset', documentIds: null, wholeKnowledgeBase: true, scopeKey: 'dataset:7442585813587610001' });
	});

	it('accepts a small numeric dataset id and refuses one that has lost digits', () => {
		expect(readCozeTarget(parameterContext({ datasetId: 12345, documentIds: '1' }, 'execute'), 0).datasetId).toBe('12345');
		expect(() => readCozeTarget(parameterContext({ datasetId: 7442585813587610001, documentIds: '1' }, 'execute'), 0)).toThrow(/has lost digits/);
	});

	it.each([
		[{ datasetId: '' }, /^Dataset ID is empty/],
		[{ datasetId: 'my-dataset' }, /^Dataset ID "my-dataset" is not a Coze knowledge base ID: expected decimal digits/],
		[{ datasetId: '1', documentIds: '' }, /^Document IDs is empty: .*document_infos\[\]\.document_id/],
		[{ datasetId: '1', documentIds: [' ', ''] }, /^Document IDs is empty/],
		[{ datasetId: '1', documentIds: '12, doc-a' }, /^Document IDs contains "doc-a", which is not a Coze document ID/],
		[{ datasetId: '1', documentIds: [7442585813587681111] }, /^Document IDs\[0\] is the number .*never as numbers/],
		[{ datasetId: '1', watch: 'batch' }, /^Watch is "batch": expected "documents" or "dataset"/],
	])('names the field for bad input %j', (parameters, message) => {
		expect(() => readCozeTarget(parameterContext(parameters, 'execute'), 0)).toThrow(message);
	});
});

// ----- calls --------------------------------------------------------------------------------

type Answer = { statusCode: number; body: string; headers?: Record<string, string> };

/** A node context whose HTTP helper answers from a script and records what it was sent. */
function scriptedContext(credential: ICredentialDataDecryptedObject, answer: (options: IHttpRequestOptions) => Answer) {
	const sent: IHttpRequestOptions[] = [];
	const ctx = {
		getCredentials: async () => credential,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				sent.push(options);
				const { statusCode, body, headers } = answer(options);
				return { statusCode, headers: headers ?? {}, body };
			},
		},
	} as unknown as NodeContext;
	return { ctx, sent };
}

const progressAnswer = (entries: object[]): Answer => ({ statusCode: 200, body: JSON.stringify(envelope(0, '', { data: { data: entries } })) });
const custom = { accessToken: 'pat_secret', region: 'custom', baseUrl: 'http://coze.test' };

describe('cozeAdapter.fetchStatuses', () => {
	it(`sends ${PROCESS_CHUNK_SIZE} ids per progress call, one call after the other`, async () => {
		const ids = Array.from({ length: 23 }, (_, index) => String(7442585813587681000n + BigInt(index)));
		const { ctx, sent } = scriptedContext(custom, (options) => {
			const { document_ids } = JSON.parse(String(options.body)) as { document_ids: string[] };
			return progressAnswer(document_ids.map((id) => ({ document_id: id, status: 1, progress: 100 })));
		});
		const client = new VendorClient(ctx, cozeAdapter.spec, new SimulatedClock());

		const documents = await cozeAdapter.fetchStatuses(client, target({ documentIds: ids }), ids);

		expect(documents.map((d) => d.documentId)).toEqual(ids);
		expect(sent.map((options) => (JSON.parse(String(options.body)) as { document_ids: string[] }).document_ids.length)).toEqual([10, 10, 3]);
		expect(sent.every((options) => options.method === 'POST' && options.url === 'http://coze.test/v1/datasets/7442585813587610001/process')).toBe(true);
		// The progress call is sent as @coze/api sends it: no Agw-Js-Conv header.
		expect(sent[0].headers).not.toHaveProperty('Agw-Js-Conv');
	});

	it('reads int64 ids written as bare JSON numbers without rounding them', async () => {
		const { ctx } = scriptedContext(custom, () => ({
			statusCode: 200,
			body: `{"code":0,"msg":"","data":{"data":[{"document_id":7442585813587681111,"status":1,"progress":100},{"document_id":12,"status":0}]},"detail":{"logid":"${LOGID}"}}`,
		}));
		const client = new VendorClient(ctx, cozeAdapter.spec, new SimulatedClock());
		const documents = await cozeAdapter.fetchStatuses(client, target(), ['7442585813587681111', '12']);
		expect(documents.map((d) => d.documentId)).toEqual(['7442585813587681111', '12']);
		expect(documents[0].requestId).toBe(LOGID);
	});

	const cloud = { accessToken: 'pat_secret', region: 'cn' };
	const wholeDataset = () => target({ watch: 'dataset', documentIds: null, wholeKnowledgeBase: true });

	async function listAll(client: VendorClient): Promise<{ pages: number[]; ids: string[] }> {
		const pages: number[] = [];
		const ids: string[] = [];
		for (let page = 1; page < 20; page++) {
			const listing = await listDocumentsPage(client, wholeDataset(), page);
			pages.push(listing.documents.length);
			ids.push(...listing.documents.map((document) => document.documentId ?? ''));
			if (!listing.hasMore) break;
		}
		return { pages, ids };
	}

	it('lists Coze Studio (Region Custom) from page 0, as its offset = page * size requires', async () => {
		const all = Array.from({ length: 230 }, (_, index) => ({ document_id: String(9000 + index), status: 1 }));
		const { ctx, sent } = scriptedContext(custom, (options) => {
			const { page, size } = JSON.parse(String(options.body)) as { page: number; size: number };
			return { statusCode: 200, body: JSON.stringify(envelope(0, '', { document_infos: all.slice(page * size, (page + 1) * size), total: all.length })) };
		});
		const { pages, ids } = await listAll(new VendorClient(ctx, cozeAdapter.spec, new SimulatedClock()));
		expect(pages).toEqual([100, 100, 30]);
		expect(new Set(ids).size).toBe(230);
		expect(sent.map((options) => (JSON.parse(String(options.body)) as { page: number }).page)).toEqual([0, 1, 2]);
		expect(sent[0].url).toBe('http://coze.test/open_api/knowledge/document/list');
	});

	it('reads on from the total when the server serves pages shorter than asked for', async () => {
		const all = Array.from({ length: 120 }, (_, index) => ({ document_id: String(9000 + index), status: 1 }));
		const { ctx, sent } = scriptedContext(cloud, (options) => {
			const { page } = JSON.parse(String(options.body)) as { page: number };
			// A server capping size at 50 counts its offset in pages of 50.
			return { statusCode: 200, body: JSON.stringify(envelope(0, '', { document_infos: all.slice((page - 1) * 50, page * 50), total: all.length })) };
		});
		const { pages, ids } = await listAll(new VendorClient(ctx, cozeAdapter.spec, new SimulatedClock()));
		// The short third page cannot tell the cap from the end, so one empty page closes the listing.
		expect(pages).toEqual([50, 50, 20, 0]);
		expect(new Set(ids).size).toBe(120);
		expect(sent).toHaveLength(4);
	});

	it('lists the Coze cloud page by page from 1 with Agw-Js-Conv: str, until the total is reached', async () => {
		const all = Array.from({ length: 230 }, (_, index) => ({ document_id: String(9000 + index), name: `d${index}`, status: index % 2 }));
		const { ctx, sent } = scriptedContext(cloud, (options) => {
			const { page, size } = JSON.parse(String(options.body)) as { page: number; size: number };
			const slice = all.slice((page - 1) * size, page * size);
			return { statusCode: 200, body: JSON.stringify(envelope(0, '', { document_infos: slice, total: all.length })) };
		});
		const client = new VendorClient(ctx, cozeAdapter.spec, new SimulatedClock());

		const dataset = target({ watch: 'dataset', documentIds: null, wholeKnowledgeBase: true });
		const pages = [];
		for (let page = 1; ; page++) {
			const listing = await listDocumentsPage(client, dataset, page);
			pages.push(listing.documents.length);
			if (!listing.hasMore) break;
		}

		expect(pages).toEqual([100, 100, 30]);
		expect(sent.map((options) => JSON.parse(String(options.body)))).toEqual([
			{ dataset_id: '7442585813587610001', page: 1, size: 100 },
			{ dataset_id: '7442585813587610001', page: 2, size: 100 },
			{ dataset_id: '7442585813587610001', page: 3, size: 100 },
		]);
		expect(sent.every((options) => options.url === 'https://api.coze.cn/open_api/knowledge/document/list')).toBe(true);
		expect(sent[0].headers).toMatchObject({ 'Agw-Js-Conv': 'str' });
	});

	it('stops listing at an exactly full last page when the total says so', async () => {
		const page = Array.from({ length: 100 }, (_, index) => ({ document_id: String(index + 1), status: 1 }));
		const { ctx, sent } = scriptedContext(custom, () => ({ statusCode: 200, body: JSON.stringify(envelope(0, '', { document_infos: page, total: 100 })) }));
		const client = new VendorClient(ctx, cozeAdapter.spec, new SimulatedClock());
		const listing = await listDocumentsPage(client, target({ watch: 'dataset', documentIds: null, wholeKnowledgeBase: true }), 1);
		expect(listing).toMatchObject({ hasMore: false });
		expect(listing.documents).toHaveLength(100);
		expect(sent).toHaveLength(1);
	});

	it.each([
		['cn', 'Region is China (api.coze.cn)'],
		['com', 'Region is International (api.coze.com)'],
	])('adds the region hint to an authentication failure on region %s', async (region, hint) => {
		const { ctx, sent } = scriptedContext({ accessToken: 'pat_secret', region }, () => ({
			statusCode: 401,
			body: JSON.stringify(envelope(4100, 'authentication is invalid')),
		}));
		const client = new VendorClient(ctx, cozeAdapter.spec, new SimulatedClock());

		const failure = await cozeAdapter.fetchStatuses(client, target(), ['1']).catch((error: unknown) => error);

		expect(sent[0].url).toBe(`${COZE_REGION_HOSTS[region]}/v1/datasets/7442585813587610001/process`);
		expect(failure).toBeInstanceOf(VendorRequestError);
		expect((failure as VendorRequestError).failure).toMatchObject({ kind: 'auth', httpStatus: 401, code: '4100' });
		expect((failure as VendorRequestError).failure.hint).toContain('Check the access token');
		expect((failure as VendorRequestError).failure.hint).toContain(hint);
	});

	it('adds no region hint to other failures', async () => {
		const { ctx } = scriptedContext({ accessToken: 'pat_secret', region: 'cn' }, () => ({
			statusCode: 200,
			body: JSON.stringify(envelope(4101, 'no permission')),
		}));
		const client = new VendorClient(ctx, cozeAdapter.spec, new SimulatedClock());
		const failure = (await cozeAdapter.fetchStatuses(client, target(), ['1']).catch((error: unknown) => error)) as VendorRequestError;
		expect(failure.failure.kind).toBe('permission');
		expect(failure.failure.hint).not.toMatch(/Region is/);
	});
});

describe('remaining_time and the wait loop', () => {
	it('waits as long as Coze says the document still needs, within the engine\'s 60 s ceiling', async () => {
		const answers = [
			progressAnswer([{ document_id: '1', status: 0, progress: 10, remaining_time: 20 }]),
			progressAnswer([{ document_id: '1', status: 0, progress: 90, remaining_time: 300 }]),
			progressAnswer([{ document_id: '1', status: 1, progress: 100, remaining_time: 0 }]),
		];
		const { ctx } = scriptedContext(custom, () => answers.shift() as Answer);
		const clock = new SimulatedClock();
		const client = new VendorClient(ctx, cozeAdapter.spec, clock);

		const [result] = await watchDocuments(
			cozeAdapter,
			client,
			[{ itemIndex: 0, target: target({ documentIds: ['1'] }), pollIntervalMs: 1000, timeoutMs: 600_000, notFoundGraceMs: 0 }],
			{ clock, failFast: true },
		);

		expect(clock.sleeps).toEqual([20_000, 60_000]);
		expect(result.documents[0]).toMatchObject({ status: 'completed', remainingSeconds: 0 });
		expect(result.polls).toBe(3);
	});
});
