/**
 * Bedrock's adapter on its own: error names and classes, status mapping, the target it reads
 * from the parameters, and the endpoint.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { sanitizeErrorName } from '../../credentials/signing/awsService';
import {
	bedrockEndpoint,
	bedrockErrorName,
	fromDocumentDetail,
	inspectBedrockResponse,
	jobItem,
	mapBedrockDocumentStatus,
	mapBedrockJobStatus,
	notFoundHint,
	bedrockConsoleUrl,
	bedrockKnowledgeBaseLocator,
	decodeJobCursor,
	readBedrockTarget,
} from '../../nodes/AmazonBedrockKnowledgeBase/AmazonBedrockKnowledgeBaseAdapter';
import type { BedrockTarget } from '../../nodes/AmazonBedrockKnowledgeBase/AmazonBedrockKnowledgeBaseAdapter';
import { InputError } from '../../nodes/shared/errors';
import { locatorValue } from '../../nodes/shared/locator';
import type { RawResponse } from '../../nodes/shared/vendor';

const KB = 'ABCDE12345';
const DS = 'FGHIJ67890';
const JOB = 'KLMNO24680';

function response(statusCode: number, body: unknown, headers: RawResponse['headers'] = {}): RawResponse {
	return { statusCode, headers, body, text: body === undefined ? '' : JSON.stringify(body) };
}

const target: BedrockTarget = {
	watch: 'documents',
	knowledgeBaseId: KB,
	dataSourceId: DS,
	ingestionJobId: null,
	idKindFromText: null,
	jobId: null,
	documentIds: ['a'],
	wholeKnowledgeBase: false,
	scopeKey: `documents:${KB}/${DS}`,
};

function context(parameters: Record<string, unknown>): IExecuteFunctions {
	return {
		getNodeParameter: (name: string, _index: number, fallback: unknown) => (name in parameters ? parameters[name] : fallback),
	} as unknown as IExecuteFunctions;
}

describe('inspectBedrockResponse', () => {
	it('accepts every 2xx answer', () => {
		expect(inspectBedrockResponse(response(200, { documentDetails: [] }))).toBeNull();
		expect(inspectBedrockResponse(response(202, {}))).toBeNull();
	});

	it.each([
		['ThrottlingException', 429, 'rate_limit', true],
		['InternalServerException', 500, 'server', true],
		['ValidationException', 400, 'invalid_request', false],
		['AccessDeniedException', 403, 'permission', false],
		['ResourceNotFoundException', 404, 'not_found', false],
		['ConflictException', 409, 'invalid_request', false],
		['ServiceQuotaExceededException', 402, 'quota', false],
		['UnrecognizedClientException', 403, 'auth', false],
		['InvalidSignatureException', 403, 'auth', false],
		['ExpiredTokenException', 403, 'auth', false],
		['SomethingNewException', 503, 'server', true],
		['SomethingNewException', 400, 'invalid_request', false],
	])('classifies %s with HTTP %i as %s (retryable: %s), by name', (name, status, kind, retryable) => {
		const failure = inspectBedrockResponse(
			response(status, { message: 'what AWS said' }, { 'x-amzn-errortype': `${name}:http://internal.amazon.com/coral/com.amazonaws.bedrockagent/`, 'x-amzn-requestid': 'req-1' }),
		);
		expect(failure).toMatchObject({ kind, retryable, httpStatus: status, code: name, requestId: 'req-1', message: `${name}: what AWS said` });
	});

	it('reads the name from x-amzn-ErrorType, then the body\'s code, then __type, as the SDK reads REST-JSON', () => {
		expect(bedrockErrorName(response(400, { code: 'Other', __type: 'Other2' }, { 'X-Amzn-ErrorType': 'ThrottlingException' }))).toBe('ThrottlingException');
		expect(bedrockErrorName(response(400, { code: 'ValidationException', __type: 'Other' }))).toBe('ValidationException');
		expect(bedrockErrorName(response(400, { __type: 'com.amazonaws.bedrockagent#ConflictException' }))).toBe('ConflictException');
		expect(bedrockErrorName(response(400, { message: 'no name' }))).toBeNull();
		expect(sanitizeErrorName('com.amazonaws.bedrockagent#AccessDeniedException:http://x/')).toBe('AccessDeniedException');
	});

	it('leaves an answer without an error name (a proxy\'s page) to the engine', () => {
		expect(inspectBedrockResponse(response(502, undefined))).toBeNull();
	});
});

describe('statuses', () => {
	it('maps the job statuses as INTERFACE.md says, STOPPED failed with the code stopped', () => {
		expect(['STARTING', 'IN_PROGRESS', 'STOPPING', 'COMPLETE', 'FAILED', 'STOPPED'].map(mapBedrockJobStatus)).toEqual([
			'queued', 'processing', 'processing', 'completed', 'failed', 'failed',
		]);
		const stopped = jobItem({ status: 'STOPPED', startedAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:01:00Z' }, { ...target, jobId: JOB }, 'r');
		expect(stopped).toMatchObject({ status: 'failed', terminal: true, jobId: JOB, jobStatus: 'STOPPED', error: { code: 'stopped' }, completedAt: '2026-01-01T00:01:00.000Z' });
		const failed = jobItem({ status: 'FAILED', failureReasons: ['bucket gone', 'role lacks s3:GetObject'] }, target, null);
		expect(failed.error).toEqual({ code: 'FAILED', message: 'bucket gone; role lacks s3:GetObject' });
		expect(mapBedrockJobStatus('SOMETHING_NEW')).toBe('unknown');
	});

	it('maps document statuses; a partial index is completed and says so; a failure takes statusReason', () => {
		const partial = fromDocumentDetail({ status: 'PARTIALLY_INDEXED', identifier: { dataSourceType: 'CUSTOM', custom: { id: 'd1' } } }, target, null);
		expect(partial).toMatchObject({ documentId: 'd1', status: 'completed', vendorStatus: 'PARTIALLY_INDEXED', error: null });
		const ignored = fromDocumentDetail(
			{ status: 'IGNORED', statusReason: 'unsupported file type', updatedAt: '2026-01-01T00:00:00Z', identifier: { dataSourceType: 'S3', s3: { uri: 's3://b/k.bin' } } },
			target,
			'r',
		);
		expect(ignored).toMatchObject({ documentId: 's3://b/k.bin', status: 'failed', error: { code: 'IGNORED', message: 'unsupported file type' }, updatedAt: '2026-01-01T00:00:00.000Z' });
		const failed = fromDocumentDetail({ status: 'METADATA_UPDATE_FAILED', identifier: { custom: { id: 'd2' } } }, target, null);
		expect(failed?.error?.message).toContain('METADATA_UPDATE_FAILED');
		expect(['DELETING', 'DELETE_IN_PROGRESS', 'NOT_FOUND', 'PENDING', 'STARTING', 'IN_PROGRESS', 'X'].map(mapBedrockDocumentStatus)).toEqual([
			'deleted', 'deleted', 'not_found', 'queued', 'queued', 'processing', 'unknown',
		]);
		expect(fromDocumentDetail({ status: 'INDEXED', identifier: {} }, target, null)).toBeNull();
	});
});

describe('the cursor of an ended job read over several trigger polls', () => {
	const job = { ingestionJobId: JOB, status: 'COMPLETE', startedAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:05:00Z' };
	const cursor = (fields: Record<string, unknown>) => JSON.stringify({ v: 1, job, requestId: 'r-1', token: 'tok', found: false, ...fields });

	it('reads back the job, its request id, the list token and whether a document was found', () => {
		expect(decodeJobCursor(cursor({}))).toEqual({ job, requestId: 'r-1', token: 'tok', found: false });
		expect(decodeJobCursor(cursor({ token: null, requestId: null, found: true }))).toEqual({ job, requestId: null, token: null, found: true });
	});

	it.each([
		['no cursor', null],
		['text that is not JSON', '{"v":1,"token":'],
		['JSON of another form', '["tok"]'],
		['another version', cursor({ v: 2 })],
		['a token that is not text', cursor({ token: 42 })],
		['an empty token', cursor({ token: '' })],
		['a request id that is not text', cursor({ requestId: {} })],
		['no found flag', cursor({ found: 'yes' })],
		['no job', cursor({ job: 'JOB' })],
		['a job that has not ended', cursor({ job: { ...job, status: 'IN_PROGRESS' } })],
		['a job without a start time', cursor({ job: { ...job, startedAt: 'soon' } })],
	])('answers null for %s, so the job is read again from its first page', (_case, text) => {
		expect(decodeJobCursor(text)).toBeNull();
	});
});

describe('readBedrockTarget', () => {
	it('reads a job watch with its ids, from plain strings and resource locators', () => {
		const read = readBedrockTarget(
			context({ knowledgeBaseId: { __rl: true, mode: 'list', value: KB }, dataSourceId: ` ${DS} `, watch: 'ingestionJob', ingestionJobId: JOB }),
			0,
		);
		expect(read).toMatchObject({ watch: 'ingestionJob', knowledgeBaseId: KB, dataSourceId: DS, jobId: JOB, ingestionJobId: JOB, documentIds: null });
	});

	it('takes S3 URIs from the text, and leaves other lists to the data source\'s type', () => {
		const base = { knowledgeBaseId: KB, dataSourceId: DS, watch: 'documents' };
		expect(readBedrockTarget(context({ ...base, documentIds: 's3://b/a.pdf, s3://b/b.pdf' }), 0).idKindFromText).toBe('S3');
		expect(readBedrockTarget(context({ ...base, documentIds: ['doc-1', 's3://b/a.pdf'] }), 0).idKindFromText).toBeNull();
	});

	it.each([
		[{ knowledgeBaseId: '' }, 'Knowledge Base ID is empty'],
		[{ knowledgeBaseId: 'abc' }, 'Knowledge Base ID "abc" is not an Amazon Bedrock ID: expected 10 letters or digits'],
		[{ dataSourceId: 'FGHIJ-6789' }, 'Data Source ID "FGHIJ-6789" is not an Amazon Bedrock ID'],
		[{ ingestionJobId: '' }, 'Ingestion Job ID is empty: expected the 10-character ID of the ingestion job (ingestionJob.ingestionJobId'],
		[{ watch: 'documents', documentIds: ' , ' }, 'Document IDs is empty'],
		[{ watch: 'documents', documentIds: [12] }, 'Document IDs[0] is the number 12'],
		[{ watch: 'index' }, 'Watch is "index": expected "ingestionJob", "documents" or "dataSource"'],
	])('rejects %j with a message naming the field', (override, message) => {
		const parameters = { knowledgeBaseId: KB, dataSourceId: DS, watch: 'ingestionJob', ingestionJobId: JOB, ...override };
		expect(() => readBedrockTarget(context(parameters), 0)).toThrow(InputError);
		expect(() => readBedrockTarget(context(parameters), 0)).toThrow(message);
	});
});

describe('the endpoint and hints', () => {
	it('defaults to bedrock-agent of the region, and takes a custom endpoint', () => {
		const keys = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' };
		expect(bedrockEndpoint({ ...keys, region: 'eu-west-1' })).toBe('https://bedrock-agent.eu-west-1.amazonaws.com');
		expect(bedrockEndpoint({ ...keys, region: 'us-east-1', endpoint: 'http://localhost:9000/' })).toBe('http://localhost:9000');
		expect(() => bedrockEndpoint({ ...keys, region: 'Frankfurt' })).toThrow('Region of the Amazon Bedrock Knowledge Base API credential is "Frankfurt"');
		expect(() => bedrockEndpoint({ ...keys, region: 'us-east-1', endpoint: 'bedrock' })).toThrow('Custom Endpoint');
	});

	it('names which of knowledge base, data source or job was not found', () => {
		expect(notFoundHint('GetIngestionJob', 'ResourceNotFoundException: Ingestion job with id X was not found', 'us-east-1')).toContain('check Ingestion Job ID');
		expect(notFoundHint('GetIngestionJob', 'ResourceNotFoundException: DataSource FGHIJ67890 is not found', 'us-east-1')).toContain('check Data Source ID');
		expect(notFoundHint('GetKnowledgeBaseDocuments', 'ResourceNotFoundException', 'us-east-1')).toContain('check Knowledge Base ID or Data Source ID');
	});
});

describe('the knowledge base picker', () => {
	it('reads the ID out of the Bedrock console URL it links to, and checks By ID', () => {
		const url = bedrockConsoleUrl({ region: 'eu-central-1' }, 'My KB', KB) as string;
		expect(url).toBe(`https://eu-central-1.console.aws.amazon.com/bedrock/home?region=eu-central-1#/knowledge-bases/knowledge-base/My%20KB/${KB}/0`);
		expect(locatorValue({ __rl: true, mode: 'url', value: url }, bedrockKnowledgeBaseLocator)).toBe(KB);
		expect(() => locatorValue({ __rl: true, mode: 'url', value: 'https://eu-central-1.console.aws.amazon.com/bedrock/home#/agents' }, bedrockKnowledgeBaseLocator)).toThrow(
			'Knowledge Base ID (By URL) "https://eu-central-1.console.aws.amazon.com/bedrock/home#/agents" is not a URL of the expected shape',
		);
		expect(new RegExp(`^${bedrockKnowledgeBaseLocator.id.pattern}$`).test(KB)).toBe(true);
		expect(new RegExp(`^${bedrockKnowledgeBaseLocator.id.pattern}$`).test('ABCDE-1234')).toBe(false);
		expect(bedrockConsoleUrl({ region: 'us-gov-west-1' }, 'kb', KB)).toMatch(/^https:\/\/console\.amazonaws-us-gov\.com\/bedrock\//);
	});
});
