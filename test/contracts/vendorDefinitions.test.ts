/**
 * The vendors' own machine-readable definitions against the package: every status value and
 * error name they list is mapped on purpose (never left to `unknown` by default), and each
 * simulator can produce every value. A value added upstream fails here until it is mapped.
 *
 * Kendra, Bedrock and Bailian are read from the official SDKs (dev dependencies). Coze's OpenAPI spec and
 * Dify's server code are not packages: dated copies of just their values sit beside this file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import * as bedrockSdk from '@aws-sdk/client-bedrock-agent';
import * as kendraSdk from '@aws-sdk/client-kendra';
import { loadJsonRpcErrorCode, loadRestJsonErrorCode } from '@smithy/core/protocols';

import {
	KENDRA_DOCUMENT_STATUS,
	KENDRA_ERROR_CLASSES,
	KENDRA_STATUS_ERROR_CODES,
	kendraErrorName,
	mapKendraStatus,
} from '../../nodes/AmazonKendra/AmazonKendraAdapter';
import {
	BEDROCK_DOCUMENT_STATUS,
	BEDROCK_ERROR_CLASSES,
	BEDROCK_JOB_STATUS,
	bedrockErrorName,
	inspectBedrockResponse,
	mapBedrockDocumentStatus,
	mapBedrockJobStatus,
} from '../../nodes/AmazonBedrockKnowledgeBase/AmazonBedrockKnowledgeBaseAdapter';
import { BAILIAN_DOCUMENT_STATUS, BAILIAN_JOB_STATUS, mapBailianDocumentStatus, mapBailianJobStatus } from '../../nodes/Bailian/BailianAdapter';
import { COZE_DOCUMENT_STATUSES, mapCozeStatus } from '../../nodes/Coze/CozeAdapter';
import { DIFY_DISPLAY_STATUS, DIFY_INDEXING_STATUS, fromDocument, mapDifyStatus } from '../../nodes/Dify/DifyAdapter';
import type { DifyTarget } from '../../nodes/Dify/DifyAdapter';
import { NORMALIZED_STATUSES } from '../../nodes/shared/types';
import { BEDROCK_ERROR_STATUS, type Simulator, kendraScript, startSimulator } from '../simulator';

const sorted = (values: Iterable<string>) => [...values].sort();
const known = new Set<string>(NORMALIZED_STATUSES.filter((status) => status !== 'unknown'));

function fixture<T>(name: string): T {
	return JSON.parse(readFileSync(join(__dirname, name), 'utf8')) as T;
}

/** The bullet list under "Valid values:" of one property's doc comment in an SDK model. */
function validValues(modelFile: string, className: string, property: string): string[] {
	const source = readFileSync(require.resolve(`@alicloud/bailian20231229/dist/models/${modelFile}.d.ts`), 'utf8');
	const start = source.indexOf(`export declare class ${className} `);
	if (start < 0) throw new Error(`${className} is not in ${modelFile}.d.ts`);
	const body = source.slice(start, source.indexOf('\n}', start));
	const match = new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s*${property}\\?:`).exec(body);
	if (!match) throw new Error(`${className}.${property} has no doc comment`);
	const list = match[1].split('Valid values:')[1] ?? '';
	return [...list.matchAll(/^\s*\*\s+\*\s+([A-Z_]+)\s*$/gm)].map((m) => m[1]);
}

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ seed: 14 });
});

afterAll(async () => {
	await sim.close();
});

describe('Amazon Kendra: @aws-sdk/client-kendra', () => {
	const sdkStatuses = Object.values(kendraSdk.DocumentStatus);

	it('maps every DocumentStatus on purpose', () => {
		expect(sdkStatuses.length).toBeGreaterThanOrEqual(6);
		expect(sorted(Object.keys(KENDRA_DOCUMENT_STATUS))).toEqual(sorted(sdkStatuses));
		for (const value of sdkStatuses) expect(known).toContain(mapKendraStatus(value));
	});

	it('knows every ErrorCode of an Errors[] entry', () => {
		expect(sorted(KENDRA_STATUS_ERROR_CODES)).toEqual(sorted(Object.values(kendraSdk.ErrorCode)));
	});

	it('classifies every exception the SDK defines', () => {
		const names = Object.keys(kendraSdk).filter((name) => name.endsWith('Exception') && name !== 'KendraServiceException');
		expect(names).toEqual(expect.arrayContaining(['AccessDeniedException', 'ThrottlingException', 'ValidationException']));
		for (const name of names) expect([name, KENDRA_ERROR_CLASSES[name]]).toEqual([name, expect.objectContaining({ kind: expect.any(String) })]);
	});

	it('has a simulator that can produce every DocumentStatus', () => {
		const produced = new Set(
			[kendraScript({ notFound: 1 }), kendraScript({ update: true }), kendraScript({ fail: { code: 'x', reason: 'y' } }), kendraScript({ update: true, fail: { code: 'x', reason: 'y' } })]
				.flat()
				.flatMap((step) => ('status' in step.state ? [step.state.status] : [])),
		);
		expect(sorted(produced)).toEqual(sorted(sdkStatuses));
	});
});

describe('Amazon Bedrock Knowledge Bases: @aws-sdk/client-bedrock-agent', () => {
	const sdkDocumentStatuses = Object.values(bedrockSdk.DocumentStatus);
	const sdkJobStatuses = Object.values(bedrockSdk.IngestionJobStatus);
	const sdkExceptions = Object.keys(bedrockSdk).filter((name) => name.endsWith('Exception') && name !== 'BedrockAgentServiceException');

	it('maps every DocumentStatus on purpose', () => {
		expect(sdkDocumentStatuses.length).toBeGreaterThanOrEqual(12);
		expect(sorted(Object.keys(BEDROCK_DOCUMENT_STATUS))).toEqual(sorted(sdkDocumentStatuses));
		for (const value of sdkDocumentStatuses) expect(known).toContain(mapBedrockDocumentStatus(value));
	});

	it('maps every IngestionJobStatus on purpose', () => {
		expect(sorted(Object.keys(BEDROCK_JOB_STATUS))).toEqual(sorted(sdkJobStatuses));
		for (const value of sdkJobStatuses) expect(known).toContain(mapBedrockJobStatus(value));
	});

	it('names documents by the two ContentDataSourceType values it sends', () => {
		expect(sorted(Object.values(bedrockSdk.ContentDataSourceType))).toEqual(['CUSTOM', 'S3']);
	});

	it('classifies every exception the SDK defines, retrying only throttling and server errors', () => {
		expect(sdkExceptions).toEqual(expect.arrayContaining(['AccessDeniedException', 'ThrottlingException', 'ValidationException', 'ConflictException']));
		for (const name of sdkExceptions) {
			expect([name, BEDROCK_ERROR_CLASSES[name]]).toEqual([name, expect.objectContaining({ kind: expect.any(String) })]);
			expect([name, BEDROCK_ERROR_CLASSES[name].retryable]).toEqual([name, name === 'ThrottlingException' || name === 'InternalServerException']);
		}
	});

	it('has a simulator that answers every exception with the HTTP status the adapter reads by name', () => {
		for (const name of sdkExceptions) {
			const status = BEDROCK_ERROR_STATUS[name];
			expect([name, status]).toEqual([name, expect.any(Number)]);
			const failure = inspectBedrockResponse({ statusCode: status, headers: { 'x-amzn-errortype': `${name}:http://internal.amazon.com/coral/com.amazonaws.bedrockagent/` }, body: { message: 'm' }, text: '' });
			expect(failure).toMatchObject({ code: name, kind: BEDROCK_ERROR_CLASSES[name].kind });
		}
	});
});

describe("AWS error names, read as the AWS SDK's @smithy/core reads them", () => {
	// Where an AWS answer may carry its error's name, in the shapes AWS and proxies send.
	const cases: Array<[Record<string, string>, Record<string, unknown>]> = [
		[{ 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/com.amazonaws.bedrockagent/' }, { message: 'm' }],
		[{ 'X-Amzn-ErrorType': 'ThrottlingException' }, { __type: 'com.amazonaws.bedrockagent#ConflictException', code: 'Other' }],
		[{ 'x-amzn-errortype': 'AccessDeniedException,AccessDeniedException' }, {}],
		[{}, { code: 'ResourceNotFoundException' }],
		[{}, { Code: 'InternalServerException', __type: 'Other' }],
		[{}, { __type: 'com.amazonaws.kendra#ThrottlingException' }],
		[{}, { __type: 'ValidationException:http://internal.amazon.com/coral/', code: 'ConflictException' }],
		[{ 'x-amzn-errortype': 'UnrecognizedClientException' }, { __type: 'com.amazon.coral.service#InvalidSignatureException' }],
		[{}, { message: 'no name' }],
	];
	const raw = (headers: Record<string, string>, body: Record<string, unknown>) => ({
		statusCode: 400,
		headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
		body,
		text: JSON.stringify(body),
	});

	it.each(cases)('Bedrock (REST-JSON) reads %j %j as the SDK does', (headers, body) => {
		expect(bedrockErrorName(raw(headers, body))).toBe(loadRestJsonErrorCode({ headers } as never, body) ?? null);
	});

	it.each(cases)('Kendra (JSON 1.1) reads %j %j as the SDK does', (headers, body) => {
		expect(kendraErrorName(raw(headers, body))).toBe(loadJsonRpcErrorCode({ headers } as never, body) ?? null);
	});
});

describe('Alibaba Cloud Model Studio (Bailian): @alicloud/bailian20231229 models', () => {
	const documentLists = [
		validValues('GetIndexJobStatusResponseBody', 'GetIndexJobStatusResponseBodyDataDocuments', 'status'),
		validValues('ListIndexDocumentsResponseBody', 'ListIndexDocumentsResponseBodyDataDocuments', 'status'),
	];
	const jobStatuses = validValues('GetIndexJobStatusResponseBody', 'GetIndexJobStatusResponseBodyData', 'status');

	it('maps every document Status of GetIndexJobStatus and ListIndexDocuments on purpose, and nothing else', () => {
		for (const values of documentLists) {
			expect(values.length).toBeGreaterThanOrEqual(4);
			expect(sorted(Object.keys(BAILIAN_DOCUMENT_STATUS))).toEqual(sorted(values));
			for (const value of values) expect(known).toContain(mapBailianDocumentStatus(value));
		}
	});

	it('maps every job Status on purpose', () => {
		expect(sorted(Object.keys(BAILIAN_JOB_STATUS))).toEqual(sorted(jobStatuses));
		for (const value of jobStatuses) expect(known).toContain(mapBailianJobStatus(value));
	});
});

describe("Coze: DocumentStatus of Coze's OpenAPI spec", () => {
	const spec = fixture<{ source: string; values: Array<{ value: number; name: string }> }>('coze-document-status.json');

	it('maps every value on purpose, under the name the spec gives it', () => {
		expect(spec.source).toContain('coze-openapi.yaml');
		expect(sorted(Object.keys(COZE_DOCUMENT_STATUSES))).toEqual(sorted(spec.values.map((v) => String(v.value))));
		for (const { value, name } of spec.values) {
			expect(COZE_DOCUMENT_STATUSES[String(value)].name).toBe(name);
			expect(known).toContain(mapCozeStatus(value));
		}
	});

	it('has a simulator whose /process call can answer every value', async () => {
		const token = 'pat_contract_coze_token_000000000001';
		sim.coze.addToken(token);
		const datasetId = sim.coze.addDataset();
		const ids = sim.coze.addDocuments(
			datasetId,
			spec.values.map(({ value, name }) => ({ name, script: [{ state: { status: value, progress: 0, remaining_time: 0 } }] })),
		);
		const res = await fetch(`${sim.coze.baseUrl}/v1/datasets/${datasetId}/process`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ document_ids: ids }),
		});
		const body = (await res.json()) as { data: { data: Array<{ status: number }> } };
		expect(sorted(body.data.data.map((entry) => String(entry.status)))).toEqual(sorted(spec.values.map((v) => String(v.value))));
	});
});

describe("Dify: indexing_status and display_status of Dify's server code", () => {
	const spec = fixture<{ source: string; indexingStatus: string[]; displayStatus: string[] }>('dify-document-status.json');
	const target: DifyTarget = {
		watch: 'documents',
		datasetId: 'ds',
		knowledgeBaseId: 'ds',
		batch: null,
		jobId: null,
		documentIds: ['d'],
		wholeKnowledgeBase: false,
		scopeKey: 'documents:ds',
	};

	it('maps every indexing_status on purpose', () => {
		expect(sorted(Object.keys(DIFY_INDEXING_STATUS))).toEqual(sorted(spec.indexingStatus));
		for (const value of spec.indexingStatus) expect(known).toContain(mapDifyStatus(value));
	});

	it('maps every display_status on purpose, also when indexing_status is a value it does not know', () => {
		expect(sorted(Object.keys(DIFY_DISPLAY_STATUS))).toEqual(sorted(spec.displayStatus));
		for (const value of spec.displayStatus) {
			const document = fromDocument({ id: 'd', indexing_status: 'some_new_stage', display_status: value }, target);
			expect([value, document.status]).toEqual([value, DIFY_DISPLAY_STATUS[value]]);
			expect(known).toContain(document.status);
		}
	});

	it('has a simulator that answers every indexing_status (batch call) and display_status (list)', async () => {
		const apiKey = 'dataset-contractKEY0000000000001';
		sim.dify.addApiKey(apiKey);
		const datasetId = sim.dify.addDataset();
		const stage = (indexing_status: 'waiting' | 'parsing' | 'cleaning' | 'splitting' | 'indexing' | 'completed' | 'error', is_paused = false) => ({
			script: [{ state: { indexing_status, completed_segments: 0, total_segments: 1, error: indexing_status === 'error' ? 'bad' : null, is_paused } }],
		});
		const { batch } = sim.dify.addDocuments(datasetId, [
			{ name: 'w', ...stage('waiting') },
			{ name: 'p', ...stage('parsing') },
			{ name: 'c', ...stage('cleaning') },
			{ name: 's', ...stage('splitting') },
			{ name: 'i', ...stage('indexing') },
			{ name: 'ip', ...stage('indexing', true) },
			{ name: 'ok', ...stage('completed') },
			{ name: 'off', ...stage('completed'), enabled: false },
			{ name: 'old', ...stage('completed'), archived: true },
			{ name: 'bad', ...stage('error') },
		]);
		const get = async (path: string) =>
			(await (await fetch(`${sim.dify.baseUrl}${path}`, { headers: { Authorization: `Bearer ${apiKey}` } })).json()) as {
				data: Array<{ indexing_status: string; display_status?: string }>;
			};
		const statuses = await get(`/datasets/${datasetId}/documents/${batch}/indexing-status`);
		expect(sorted(new Set(statuses.data.map((entry) => entry.indexing_status)))).toEqual(sorted(spec.indexingStatus));
		const listed = await get(`/datasets/${datasetId}/documents?page=1&limit=100`);
		expect(sorted(new Set(listed.data.map((entry) => String(entry.display_status))))).toEqual(sorted(spec.displayStatus));
	});
});
