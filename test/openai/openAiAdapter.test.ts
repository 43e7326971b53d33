/**
 * OpenAI's adapter on its own: the contract with the official `openai` SDK's types, error
 * classification, status mapping and reading what an item asks to watch.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { FileBatchListFilesParams, VectorStoreFileBatch } from 'openai/resources/vector-stores/file-batches';
import type { FileListParams, VectorStoreFile } from 'openai/resources/vector-stores/files';

import { authenticateOpenAiRequest, OPENAI_BETA_HEADER } from '../../credentials/signing/openAiRequest';
import {
	errorOf,
	fromFile,
	inspectOpenAiResponse,
	LIST_PAGE_SIZE,
	mapOpenAiStatus,
	OPENAI_FILE_ERRORS,
	OPENAI_STATUS,
	openAiStoreUrl,
	readOpenAiTarget,
} from '../../nodes/OpenAi/OpenAiVectorStoreAdapter';
import { InputError } from '../../nodes/shared/errors';
import { NORMALIZED_STATUSES } from '../../nodes/shared/types';
import type { NodeContext, RawResponse } from '../../nodes/shared/vendor';
import { openAiScript } from '../simulator';

const SDK = path.dirname(require.resolve('openai/resources/vector-stores/files'));

/** The string literals of a union-typed member of an interface in the SDK's declarations. */
function sdkLiterals(file: string, pattern: RegExp): string[] {
	const text = fs.readFileSync(path.join(SDK, file), 'utf8');
	const union = pattern.exec(text)?.[1];
	if (union === undefined) throw new Error(`${pattern} not found in ${file}: the SDK changed shape`);
	return [...union.matchAll(/'([^']+)'/g)].map((m) => m[1]).sort();
}

// Compile-time half of the contract: the maps must name exactly the SDK's literals.
const fileStatuses: Record<VectorStoreFile['status'], true> = { in_progress: true, completed: true, cancelled: true, failed: true };
const batchStatuses: Record<VectorStoreFileBatch['status'], true> = { in_progress: true, completed: true, cancelled: true, failed: true };
const errorCodes: Record<NonNullable<VectorStoreFile['last_error']>['code'], true> = { server_error: true, unsupported_file: true, invalid_file: true };
const listFilters: Record<NonNullable<FileListParams['filter']>, true> = { in_progress: true, completed: true, failed: true, cancelled: true };
const batchFilters: Record<NonNullable<FileBatchListFilesParams['filter']>, true> = { in_progress: true, completed: true, failed: true, cancelled: true };
const _statusMapCoversSdk: Record<VectorStoreFile['status'], unknown> = OPENAI_STATUS;

describe('contract with the official openai SDK (v7)', () => {
	it('maps every vector store file status the SDK declares, and nothing else', () => {
		const declared = sdkLiterals('files.d.ts', /interface VectorStoreFile \{[\s\S]*?\n\s+status: ([^;]+);/);
		expect(declared).toEqual(['cancelled', 'completed', 'failed', 'in_progress']);
		expect(Object.keys(OPENAI_STATUS).sort()).toEqual(declared);
		expect(Object.keys(fileStatuses).sort()).toEqual(declared);
		expect(Object.keys(_statusMapCoversSdk).sort()).toEqual(declared);
		for (const status of declared) expect(NORMALIZED_STATUSES).toContain(mapOpenAiStatus(status));
	});

	it('maps each status on purpose, as the package\'s interface says', () => {
		expect(OPENAI_STATUS).toEqual({ in_progress: 'processing', completed: 'completed', failed: 'failed', cancelled: 'failed' });
		expect(errorOf('cancelled', null)).toEqual({ code: 'cancelled', message: expect.any(String) });
		expect(mapOpenAiStatus('expired')).toBe('unknown');
		expect(mapOpenAiStatus(undefined)).toBe('unknown');
	});

	it('maps a file batch\'s statuses like a file\'s (the SDK declares the same ones)', () => {
		const declared = sdkLiterals('file-batches.d.ts', /interface VectorStoreFileBatch \{[\s\S]*?\n\s+status: ([^;]+);/);
		expect(declared).toEqual(Object.keys(batchStatuses).sort());
		expect(declared).toEqual(Object.keys(OPENAI_STATUS).sort());
	});

	it('explains every last_error code the SDK declares', () => {
		const declared = sdkLiterals('files.d.ts', /interface LastError \{[\s\S]*?\n\s+code: ([^;]+);/);
		expect(Object.keys(OPENAI_FILE_ERRORS).sort()).toEqual(declared);
		expect(Object.keys(errorCodes).sort()).toEqual(declared);
		for (const code of declared) {
			expect(errorOf('failed', { code, message: '' })).toEqual({ code, message: OPENAI_FILE_ERRORS[code] });
			expect(errorOf('failed', { code, message: 'said by OpenAI' })).toEqual({ code, message: 'said by OpenAI' });
		}
	});

	it('filters listings only by the statuses the SDK allows, and pages at its limit of 100', () => {
		const files = sdkLiterals('files.d.ts', /interface FileListParams[\s\S]*?filter\?: ([^;]+);/);
		const batch = sdkLiterals('file-batches.d.ts', /interface FileBatchListFilesParams[\s\S]*?filter\?: ([^;]+);/);
		expect(files).toEqual(Object.keys(listFilters).sort());
		expect(batch).toEqual(Object.keys(batchFilters).sort());
		expect(files).toEqual(Object.keys(OPENAI_STATUS).sort());
		const pagination = fs.readFileSync(require.resolve('openai/core/pagination.js'), 'utf8');
		// The SDK's cursor pages go on from the last id of a page, with `after`, while has_more.
		expect(pagination).toMatch(/after: id/);
		expect(pagination).toMatch(/has_more/);
		const reference = fs.readFileSync(path.join(SDK, 'files.d.ts'), 'utf8');
		expect(reference).toMatch(/order\?: 'asc' \| 'desc'/);
		expect(LIST_PAGE_SIZE).toBe(100);
	});

	it('sends the beta header the SDK sends on every vector store call', () => {
		for (const file of ['files.js', 'file-batches.js']) {
			const source = fs.readFileSync(path.join(SDK, file), 'utf8');
			const headers = [...source.matchAll(/'OpenAI-Beta': '([^']+)'/g)].map((m) => m[1]);
			expect(headers.length).toBeGreaterThan(0);
			expect(new Set(headers)).toEqual(new Set([OPENAI_BETA_HEADER.value]));
		}
		expect(OPENAI_BETA_HEADER.name).toBe('OpenAI-Beta');
	});

	it('lets the simulator produce every status and error code', () => {
		const produced = new Set<string>();
		for (const script of [openAiScript(), openAiScript({ cancel: true }), ...Object.keys(OPENAI_FILE_ERRORS).map((fail) => openAiScript({ fail: fail as never }))]) {
			for (const step of script) produced.add(step.state.lastError ? `${step.state.status}:${step.state.lastError.code}` : step.state.status);
		}
		expect([...produced].sort()).toEqual(['cancelled', 'completed', 'failed:invalid_file', 'failed:server_error', 'failed:unsupported_file', 'in_progress']);
	});
});

describe('fromFile', () => {
	const target = { watch: 'files', vectorStoreId: 'vs_abc', knowledgeBaseId: 'vs_abc', batchId: null, fileNames: false } as unknown as Parameters<typeof fromFile>[1];
	const file = (status: string, lastError: { code: string; message: string } | null = null) =>
		({ id: 'file-1', object: 'vector_store.file', status, last_error: lastError, created_at: 1_700_000_000, usage_bytes: 0, vector_store_id: 'vs_abc' }) as unknown as Parameters<typeof fromFile>[0];

	it('gives progress 100 once a file has ended, as the other vendors without a figure do, and null while it runs', () => {
		expect(fromFile(file('in_progress'), target, null).progress).toBeNull();
		expect(fromFile(file('completed'), target, null).progress).toBe(100);
		expect(fromFile(file('failed', { code: 'invalid_file', message: 'bad' }), target, null)).toMatchObject({ status: 'failed', progress: 100, error: { code: 'invalid_file' } });
		expect(fromFile(file('cancelled'), target, null)).toMatchObject({ status: 'failed', progress: 100, error: { code: 'cancelled' } });
	});
});

function response(statusCode: number, body: unknown, headers: RawResponse['headers'] = {}): RawResponse {
	return { statusCode, headers, body, text: body === undefined ? '' : JSON.stringify(body) };
}
const envelope = (message: string, type: string, code: string | null = null) => ({ error: { message, type, code, param: null } });

describe('inspectOpenAiResponse', () => {
	it('accepts every 2xx answer', () => {
		expect(inspectOpenAiResponse(response(200, { object: 'list', data: [] }))).toBeNull();
	});

	it.each([
		[401, envelope('Incorrect API key provided: sk-proj-****abcd.', 'invalid_request_error', 'invalid_api_key'), 'auth', false, 'invalid_api_key', /API key/],
		[401, envelope('OpenAI-Project header should match project for API key', 'invalid_request_error', 'mismatched_project'), 'auth', false, 'mismatched_project', /Project ID/],
		[401, envelope('OpenAI-Organization header should match organization for API key', 'invalid_request_error', 'mismatched_organization'), 'auth', false, 'mismatched_organization', /Organization ID/],
		[403, envelope('You have insufficient permissions for this operation.', 'invalid_request_error'), 'permission', false, 'invalid_request_error', /permissions/],
		[404, envelope("No vector store found with id 'vs_x'.", 'invalid_request_error'), 'not_found', false, 'invalid_request_error', undefined],
		[429, envelope('You exceeded your current quota', 'insufficient_quota', 'insufficient_quota'), 'quota', false, 'insufficient_quota', /Billing/],
		[429, envelope('Rate limit reached for requests', 'requests', 'rate_limit_exceeded'), 'rate_limit', true, 'rate_limit_exceeded', undefined],
		[500, envelope('The server had an error', 'server_error'), 'server', true, 'server_error', undefined],
		[400, envelope("Invalid 'limit'", 'invalid_request_error', 'integer_above_max_value'), 'invalid_request', false, 'integer_above_max_value', undefined],
		// The official SDK asks again after a request timeout and a lock timeout.
		[408, envelope('Request timed out.', 'invalid_request_error'), 'server', true, 'invalid_request_error', undefined],
		[409, envelope('The vector store is locked, try again.', 'invalid_request_error'), 'server', true, 'invalid_request_error', undefined],
	])('HTTP %i %j is %s', (status, body, kind, retryable, code, hint) => {
		const failure = inspectOpenAiResponse(response(status, body, { 'x-request-id': 'req_abc' }));
		expect(failure).toMatchObject({ kind, retryable, httpStatus: status, code, message: body.error.message, requestId: 'req_abc' });
		if (hint) expect(failure?.hint).toMatch(hint);
	});

	it('lets the server\'s x-should-retry decide over the status, as the official SDK does', () => {
		expect(inspectOpenAiResponse(response(503, envelope('Unavailable', 'server_error'), { 'x-should-retry': 'false' }))).toMatchObject({ kind: 'server', retryable: false });
		expect(inspectOpenAiResponse(response(400, envelope('Try again', 'invalid_request_error'), { 'x-should-retry': 'true' }))).toMatchObject({ kind: 'server', retryable: true });
		expect(inspectOpenAiResponse(response(409, envelope('Locked', 'invalid_request_error'), { 'x-should-retry': 'false' }))).toMatchObject({ retryable: false });
		// Waiting does not lift a quota, whatever the header says.
		expect(inspectOpenAiResponse(response(429, envelope('quota', 'insufficient_quota', 'insufficient_quota'), { 'x-should-retry': 'true' }))).toMatchObject({ kind: 'quota', retryable: false });
	});

	it('reads retry-after-ms on every answer it asks again after', () => {
		expect(inspectOpenAiResponse(response(503, envelope('Unavailable', 'server_error'), { 'retry-after-ms': '2500' }))).toMatchObject({ kind: 'server', retryAfterMs: 2500 });
	});

	it('takes retry-after-ms over retry-after on a 429', () => {
		const withMs = inspectOpenAiResponse(response(429, envelope('slow down', 'requests'), { 'retry-after-ms': '1500', 'retry-after': '9' }));
		expect(withMs?.retryAfterMs).toBe(1500);
		// Without retry-after-ms, the engine reads retry-after itself (on its own clock).
		const withSeconds = inspectOpenAiResponse(response(429, envelope('slow down', 'requests'), { 'retry-after': '3' }));
		expect(withSeconds).toMatchObject({ kind: 'rate_limit', retryable: true });
		expect(withSeconds?.retryAfterMs).toBeUndefined();
	});

	it('leaves answers that are not OpenAI\'s envelope to the engine, except a 401', () => {
		expect(inspectOpenAiResponse(response(502, undefined))).toBeNull();
		expect(inspectOpenAiResponse(response(401, undefined))).toMatchObject({ kind: 'auth', message: 'HTTP 401' });
	});
});

describe('the credential\'s authenticate', () => {
	const base = { method: 'GET' as const, url: 'https://api.openai.com/v1/vector_stores', qs: { limit: 1 } };

	it('sends the key as a Bearer token, with the optional headers only when filled in', () => {
		expect(authenticateOpenAiRequest({ apiKey: ' sk-a ', organizationId: '', projectId: '' }, base)).toEqual({
			...base,
			headers: { Authorization: 'Bearer sk-a', 'OpenAI-Beta': 'assistants=v2' },
		});
		expect(authenticateOpenAiRequest({ apiKey: 'sk-a', organizationId: 'org-1', projectId: 'proj_1' }, base).headers).toEqual({
			Authorization: 'Bearer sk-a',
			'OpenAI-Organization': 'org-1',
			'OpenAI-Project': 'proj_1',
			'OpenAI-Beta': 'assistants=v2',
		});
	});

	it('sends an Azure key in api-key, and the api-version when given', () => {
		const signed = authenticateOpenAiRequest({ apiKey: 'azure-key', keyHeader: 'apiKey', apiVersion: 'preview' }, base);
		expect(signed.headers).toEqual({ 'api-key': 'azure-key', 'OpenAI-Beta': 'assistants=v2' });
		expect(signed.qs).toEqual({ limit: 1, 'api-version': 'preview' });
	});
});

describe('readOpenAiTarget', () => {
	const ctx = (parameters: Record<string, unknown>) =>
		({
			getInputData: () => [{ json: {} }],
			getNodeParameter: (name: string, _item: number, fallback: unknown) => (name in parameters ? parameters[name] : fallback),
		}) as unknown as NodeContext;

	it('reads a batch, file ids and a whole store, from a plain string or a locator', () => {
		expect(readOpenAiTarget(ctx({ vectorStoreId: 'vs_abc', watch: 'fileBatch', batchId: ' vsfb_1 ' }), 0)).toMatchObject({
			vectorStoreId: 'vs_abc',
			batchId: 'vsfb_1',
			jobId: 'vsfb_1',
			documentIds: null,
			scopeKey: 'batch:vs_abc:vsfb_1',
		});
		const locator = { __rl: true, mode: 'url', value: 'https://platform.openai.com/storage/vector_stores/vs_xyz' };
		expect(readOpenAiTarget(ctx({ vectorStoreId: locator, watch: 'files', fileIds: ['file-a', 'file-b'] }), 0)).toMatchObject({
			vectorStoreId: 'vs_xyz',
			documentIds: ['file-a', 'file-b'],
		});
		const trigger = { getNodeParameter: (name: string, fallback: unknown) => ({ vectorStoreId: 'vs_abc', watch: 'vectorStore' })[name] ?? fallback } as unknown as NodeContext;
		expect(readOpenAiTarget(trigger, 0)).toMatchObject({ wholeKnowledgeBase: true, documentIds: null });
		expect(() => readOpenAiTarget(ctx({ vectorStoreId: 'vs_abc', watch: 'vectorStore' }), 0)).toThrow(/only|Trigger/);
	});

	it.each([
		[{ vectorStoreId: '' }, /Vector Store ID is empty: expected a vector store ID/],
		[{ vectorStoreId: 'abc' }, /Vector Store ID "abc" is not a vector store ID: expected vs_/],
		[{ vectorStoreId: 'vs_a', watch: 'fileBatch', batchId: '' }, /Batch ID is empty: expected a file batch ID/],
		[{ vectorStoreId: 'vs_a', watch: 'fileBatch', batchId: 'vsfb 1' }, /Batch ID "vsfb 1" is not a file batch ID/],
		[{ vectorStoreId: 'vs_a', watch: 'files', fileIds: '' }, /File IDs is empty/],
		[{ vectorStoreId: 'vs_a', watch: 'files', fileIds: 'file-a,../x' }, /File IDs holds "..\/x"/],
		[{ vectorStoreId: 'vs_a', watch: 'everything' }, /Watch is "everything": expected "fileBatch", "files" or "vectorStore"/],
	])('rejects %j naming the field', (parameters, message) => {
		expect(() => readOpenAiTarget(ctx(parameters), 0)).toThrow(InputError);
		expect(() => readOpenAiTarget(ctx(parameters), 0)).toThrow(message);
	});

	it('links a store to its platform page only on OpenAI itself', () => {
		expect(openAiStoreUrl({ apiKey: 'sk-a', baseUrl: 'https://api.openai.com/v1' }, 'vs_1')).toBe('https://platform.openai.com/storage/vector_stores/vs_1');
		expect(openAiStoreUrl({ apiKey: 'sk-a', baseUrl: 'https://x.openai.azure.com/openai/v1' }, 'vs_1')).toBeUndefined();
	});
});
