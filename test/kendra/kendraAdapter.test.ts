/**
 * Kendra's adapter on its own: error classification, status mapping, the endpoint, packing and
 * bounded concurrency.
 */
import { Workflow } from 'n8n-workflow';
import type { INode, INodeTypes } from 'n8n-workflow';

import { AmazonKendraApi } from '../../credentials/AmazonKendraApi.credentials';
import {
	STATUS_BATCH_SIZE,
	STATUS_CONCURRENCY,
	fromErrorEntry,
	fromStatusEntry,
	inspectKendraResponse,
	kendraEndpoint,
	kendraErrorName,
	kendraRequestId,
	mapKendraStatus,
	mapWithConcurrency,
	packIds,
} from '../../nodes/AmazonKendra/AmazonKendraAdapter';
import { sanitizeErrorName } from '../../credentials/signing/awsService';
import type { KendraTarget } from '../../nodes/AmazonKendra/AmazonKendraAdapter';
import { InputError } from '../../nodes/shared/errors';
import type { RawResponse } from '../../nodes/shared/vendor';

const INDEX = '0123abcd-0000-1111-2222-333344445555';

function response(statusCode: number, body: unknown, headers: RawResponse['headers'] = {}): RawResponse {
	return { statusCode, headers, body, text: body === undefined ? '' : JSON.stringify(body) };
}

const target: KendraTarget = {
	indexId: INDEX,
	knowledgeBaseId: INDEX,
	jobId: null,
	documentIds: ['a'],
	documentVersion: null,
	wholeKnowledgeBase: false,
	scopeKey: `documents:${INDEX}`,
};

describe('inspectKendraResponse', () => {
	it('accepts every 2xx answer', () => {
		expect(inspectKendraResponse(response(200, { DocumentStatusList: [] }))).toBeNull();
	});

	it.each([
		['com.amazonaws.kendra#ThrottlingException', 400, 'rate_limit', true],
		['ThrottlingException', 429, 'rate_limit', true],
		['com.amazonaws.kendra#InternalServerException', 500, 'server', true],
		['com.amazonaws.kendra#ValidationException', 400, 'invalid_request', false],
		['com.amazonaws.kendra#AccessDeniedException', 400, 'permission', false],
		['com.amazonaws.kendra#ResourceNotFoundException', 400, 'not_found', false],
		['ResourceNotFoundException', 404, 'not_found', false],
		['UnrecognizedClientException', 400, 'auth', false],
		['InvalidSignatureException', 400, 'auth', false],
		['ExpiredTokenException', 400, 'auth', false],
		['com.amazonaws.kendra#ConflictException', 409, 'invalid_request', false],
		['com.amazonaws.kendra#ServiceQuotaExceededException', 402, 'quota', false],
		['SomethingNewException', 503, 'server', true],
		['SomethingNewException', 400, 'invalid_request', false],
	])('classifies %s with HTTP %i as %s (retryable: %s), by name', (type, status, kind, retryable) => {
		const failure = inspectKendraResponse(response(status, { __type: type, message: 'what AWS said' }, { 'x-amzn-requestid': 'req-1' }));
		const name = type.split('#').pop() as string;
		expect(failure).toMatchObject({ kind, retryable, httpStatus: status, code: name, requestId: 'req-1', message: `${name}: what AWS said` });
	});

	it('reads the name from __type, then code, then the x-amzn-ErrorType header, stripping ns# and :…', () => {
		expect(kendraErrorName(response(400, { __type: 'com.amazonaws.kendra#ThrottlingException', code: 'Other' }))).toBe('ThrottlingException');
		expect(kendraErrorName(response(400, { code: 'ValidationException' }, { 'x-amzn-errortype': 'Other' }))).toBe('ValidationException');
		expect(
			kendraErrorName(response(400, { message: 'x' }, { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazonaws.kendra/' })),
		).toBe('ThrottlingException');
		expect(kendraErrorName(response(400, undefined))).toBeNull();
		expect(sanitizeErrorName(' aws.protocoltests#FooError:http://x/ ')).toBe('FooError');
	});

	it('retries throttling named only in the header, with HTTP 400', () => {
		const failure = inspectKendraResponse(response(400, undefined, { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/' }));
		expect(failure).toMatchObject({ kind: 'rate_limit', retryable: true, message: 'ThrottlingException' });
	});

	it('keeps only the first paragraph of the message, where AWS echoes the canonical request after it', () => {
		const message = 'The request signature we calculated does not match.\n\nThe Canonical String for this request should have been\n\'POST\n/\n\nx-amz-security-token:SECRET-TOKEN\'';
		const failure = inspectKendraResponse(response(400, { __type: 'InvalidSignatureException', message }));
		expect(failure?.message).toBe('InvalidSignatureException: The request signature we calculated does not match.');
		expect(JSON.stringify(failure)).not.toContain('SECRET-TOKEN');
	});

	it('gives advice naming the permission, the fields and the keys', () => {
		const hint = (type: string) => inspectKendraResponse(response(400, { __type: type, message: 'x' }))?.hint;
		expect(hint('AccessDeniedException')).toContain('kendra:BatchGetDocumentStatus');
		expect(hint('ValidationException')).toContain('Index ID (36 characters)');
		expect(hint('ResourceNotFoundException')).toContain('Region');
		expect(hint('ExpiredTokenException')).toContain('Session Token');
		expect(hint('ThrottlingException')).toBeUndefined();
	});

	it('leaves answers without an error name to the engine', () => {
		expect(inspectKendraResponse({ statusCode: 502, headers: {}, body: undefined, text: '<html>Bad gateway</html>' })).toBeNull();
	});

	it('reads the request id from x-amzn-RequestId', () => {
		expect(kendraRequestId(response(200, {}, { 'x-amzn-requestid': 'abc' }))).toBe('abc');
		expect(kendraRequestId(response(200, {}, { 'x-amzn-RequestId': 'def' }))).toBe('def');
		expect(kendraRequestId(response(200, {}))).toBeNull();
	});
});

describe('status mapping', () => {
	it('maps DocumentStatus as INTERFACE.md says', () => {
		expect(['PROCESSING', 'INDEXED', 'UPDATED', 'FAILED', 'UPDATE_FAILED', 'NOT_FOUND', 'QUEUED', 7].map(mapKendraStatus)).toEqual([
			'processing',
			'completed',
			'completed',
			'failed',
			'failed',
			'not_found',
			'unknown',
			'unknown',
		]);
	});

	it('maps an UPDATE_FAILED entry with its failure code and reason, and the raw entry', () => {
		const entry = { DocumentId: 'a', DocumentStatus: 'UPDATE_FAILED', FailureCode: 'InvalidRequest', FailureReason: 'too big' };
		expect(fromStatusEntry(entry, target, 'req')).toMatchObject({
			vendor: 'kendra',
			knowledgeBaseId: INDEX,
			documentId: 'a',
			status: 'failed',
			terminal: true,
			vendorStatus: 'UPDATE_FAILED',
			progress: 100,
			error: { code: 'InvalidRequest', message: 'too big' },
			requestId: 'req',
			raw: entry,
		});
		expect(fromStatusEntry({ DocumentId: 'b', DocumentStatus: 'FAILED' }, target, null)?.error).toEqual({
			code: null,
			message: 'Amazon Kendra could not index the document',
		});
		expect(fromStatusEntry({ DocumentStatus: 'INDEXED' }, target, null)).toBeNull();
	});

	it('turns an Errors[] entry into an unknown document with the error', () => {
		expect(fromErrorEntry({ DocumentId: 'c', ErrorCode: 'InvalidRequest', ErrorMessage: 'bad id' }, target, null)).toMatchObject({
			documentId: 'c',
			status: 'unknown',
			terminal: false,
			vendorStatus: null,
			progress: null,
			error: { code: 'InvalidRequest', message: 'bad id' },
		});
	});
});

describe('packing and concurrency', () => {
	it('packs ids into full calls of 10', () => {
		const ids = Array.from({ length: 23 }, (_, i) => `d${i}`);
		expect(packIds(ids).map((chunk) => chunk.length)).toEqual([10, 10, 3]);
		expect(packIds(ids).flat()).toEqual(ids);
		expect(packIds([])).toEqual([]);
		expect(STATUS_BATCH_SIZE).toBe(10);
	});

	it(`keeps at most ${STATUS_CONCURRENCY} calls in flight and returns results in order`, async () => {
		let inFlight = 0;
		let most = 0;
		const results = await mapWithConcurrency([1, 2, 3, 4, 5, 6, 7], STATUS_CONCURRENCY, async (n) => {
			inFlight += 1;
			most = Math.max(most, inFlight);
			await new Promise((resolve) => setTimeout(resolve, 5 * (8 - n)));
			inFlight -= 1;
			return n * 10;
		});
		expect(results).toEqual([10, 20, 30, 40, 50, 60, 70]);
		expect(most).toBe(STATUS_CONCURRENCY);
	});

	it('starts nothing new after a failure, lets the calls in flight finish, then throws the failure', async () => {
		const started: number[] = [];
		const finished: number[] = [];
		const run = mapWithConcurrency([1, 2, 3, 4, 5, 6], 3, async (n) => {
			started.push(n);
			await new Promise((resolve) => setTimeout(resolve, n === 1 ? 1 : 20));
			if (n === 1) throw new Error('first failed');
			finished.push(n);
			return n;
		});
		await expect(run).rejects.toThrow('first failed');
		expect(started).toEqual([1, 2, 3]);
		expect(finished.sort()).toEqual([2, 3]);
	});
});

describe('endpoint', () => {
	const credential = (fields: Record<string, string>) => ({ accessKeyId: 'AKIA1', secretAccessKey: 's', ...fields });

	it('builds the regional endpoint, or takes the custom one', () => {
		expect(kendraEndpoint(credential({ region: 'us-east-1' }))).toBe('https://kendra.us-east-1.amazonaws.com');
		expect(kendraEndpoint(credential({ region: ' ap-south-1 ', endpoint: '' }))).toBe('https://kendra.ap-south-1.amazonaws.com');
		// GovCloud uses amazonaws.com too; Kendra has no China region, so no .amazonaws.com.cn host.
		expect(kendraEndpoint(credential({ region: 'us-gov-west-1' }))).toBe('https://kendra.us-gov-west-1.amazonaws.com');
		expect(kendraEndpoint(credential({ region: 'us-east-1', endpoint: ' http://127.0.0.1:4566/kendra/ ' }))).toBe('http://127.0.0.1:4566/kendra');
	});

	it('names the credential field that is wrong', () => {
		expect(() => kendraEndpoint(credential({ region: 'Virginia' }))).toThrow(new InputError('Region of the Amazon Kendra API credential is "Virginia": expected an AWS region code such as us-east-1'));
		expect(() => kendraEndpoint(credential({ region: 'us-east-1', endpoint: 'kendra.local' }))).toThrow(/^Custom Endpoint of the Amazon Kendra API credential is "kendra.local": expected a full URL/);
		expect(() => kendraEndpoint({ region: 'us-east-1', accessKeyId: 'AKIA1', secretAccessKey: ' ' })).toThrow('Secret Access Key of the Amazon Kendra API credential is empty');
	});

	it('agrees with the base URL of the credential test', () => {
		const expression = new AmazonKendraApi().test.request.baseURL as string;
		const node: INode = { id: 'n', name: 'n', type: 'x', typeVersion: 1, position: [0, 0], parameters: {} };
		const nodeTypes = { getByName: () => undefined, getByNameAndVersion: () => undefined, getKnownTypes: () => ({}) } as unknown as INodeTypes;
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		const cases: Array<Record<string, string>> = [
			{ region: 'us-east-1' },
			{ region: 'eu-west-2 ' },
			{ region: 'us-gov-west-1' },
			{ region: 'us-east-1', endpoint: 'http://127.0.0.1:4566/kendra/' },
			{ region: 'us-west-2', endpoint: ' https://vpce-1.kendra.us-west-2.vpce.amazonaws.com ' },
		];
		for (const fields of cases) {
			const credentials = credential(fields);
			const resolved = workflow.expression.getSimpleParameterValue(node, expression, 'internal', { $credentials: credentials }, undefined, '');
			expect(resolved).toBe(kendraEndpoint(credentials));
		}
	});
});
