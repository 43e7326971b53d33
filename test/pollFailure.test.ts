/**
 * Telling n8n why a poll failed: n8n 2.40's durable poll scheduler backs a failing trigger off by
 * the cause the node declares on the thrown error (`failure: { cause, retryAfterMs? }`, read on
 * the error and its `cause` chain). Each cause comes from the vendor's own classification.
 */
import type { IDataObject } from 'n8n-workflow';

import { CozeApi } from '../credentials/CozeApi.credentials';
import { DifyKnowledgeApi } from '../credentials/DifyKnowledgeApi.credentials';
import { bedrockSpec } from '../nodes/AmazonBedrockKnowledgeBase/AmazonBedrockKnowledgeBaseAdapter';
import { kendraSpec } from '../nodes/AmazonKendra/AmazonKendraAdapter';
import { bailianSpec } from '../nodes/Bailian/BailianAdapter';
import { cozeSpec } from '../nodes/Coze/CozeAdapter';
import { CozeKnowledgeTrigger } from '../nodes/Coze/CozeKnowledgeTrigger.node';
import { difySpec } from '../nodes/Dify/DifyAdapter';
import { DifyKnowledgeTrigger } from '../nodes/Dify/DifyKnowledgeTrigger.node';
import { openAiSpec } from '../nodes/OpenAi/OpenAiVectorStoreAdapter';
import { pollFailureOf, VendorRequestError } from '../nodes/shared/errors';
import type { PollFailure } from '../nodes/shared/errors';
import type { FailureKind, RawResponse, VendorSpec } from '../nodes/shared/vendor';
import { runPoll } from './harness';
import { cozeScript, startSimulator } from './simulator';
import type { Simulator } from './simulator';
import { DIFY_RATE_LIMIT_MESSAGE } from './simulator/dify';

/** The causes n8n-workflow 2.40 defines (errors/failure: TIMED_CAUSES and ACTIONABLE_CAUSES). */
const N8N_CAUSES = [
	'rate-limited',
	'quota-exhausted',
	'temporarily-unavailable',
	'credential-invalid',
	'configuration-invalid',
	'node-defect',
];

function answer(statusCode: number, body: unknown, headers: Record<string, string> = {}): RawResponse {
	return { statusCode, headers, body, text: JSON.stringify(body) };
}

/** What the poll would declare for this answer of the vendor. */
function declared(spec: VendorSpec, response: RawResponse): PollFailure {
	const failure = spec.inspectResponse(response);
	if (failure === null) throw new Error('the answer was classified as a success');
	return pollFailureOf(new VendorRequestError(spec.displayName, 'call', failure, 1));
}

describe('each failure kind maps to one of n8n’s causes, on purpose', () => {
	const kinds: Record<FailureKind, PollFailure['cause']> = {
		auth: 'credential-invalid',
		permission: 'configuration-invalid',
		not_found: 'configuration-invalid',
		invalid_request: 'configuration-invalid',
		rate_limit: 'rate-limited',
		quota: 'quota-exhausted',
		server: 'temporarily-unavailable',
		network: 'temporarily-unavailable',
		bad_response: 'temporarily-unavailable',
		out_of_time: 'temporarily-unavailable',
	};
	it.each(Object.entries(kinds))('%s is %s', (kind, cause) => {
		const failure = { kind: kind as FailureKind, retryable: false, httpStatus: null, code: null, message: 'x', requestId: null };
		expect(pollFailureOf(new VendorRequestError('V', 'call', failure, 1))).toEqual({ cause });
		expect(N8N_CAUSES).toContain(cause);
	});

	it('passes the vendor’s wait on for causes n8n waits out, and never for the others', () => {
		const failure = (kind: FailureKind) => ({ kind, retryable: true, httpStatus: null, code: null, message: 'x', requestId: null, retryAfterMs: 90_000 });
		expect(pollFailureOf(new VendorRequestError('V', 'call', failure('rate_limit'), 1))).toEqual({ cause: 'rate-limited', retryAfterMs: 90_000 });
		expect(pollFailureOf(new VendorRequestError('V', 'call', failure('auth'), 1))).toEqual({ cause: 'credential-invalid' });
	});
});

describe('each vendor’s own classification', () => {
	it.each<[string, VendorSpec, RawResponse, PollFailure]>([
		['Dify Cloud’s rate limit (HTTP 403)', difySpec, answer(403, { code: 'forbidden', message: DIFY_RATE_LIMIT_MESSAGE, status: 403 }), { cause: 'rate-limited' }],
		['Dify’s 429 rate_limit_error (the plan’s quota)', difySpec, answer(429, { code: 'rate_limit_error', message: 'quota', status: 429 }), { cause: 'quota-exhausted' }],
		['Dify’s rejected key', difySpec, answer(401, { code: 'unauthorized', message: 'Access token is invalid', status: 401 }), { cause: 'credential-invalid' }],
		['Dify’s unknown dataset', difySpec, answer(404, { code: 'not_found', message: 'Dataset not found.', status: 404 }), { cause: 'configuration-invalid' }],
		['Dify’s 503', difySpec, answer(503, { code: 'service_unavailable', message: 'down', status: 503 }), { cause: 'temporarily-unavailable' }],
		['Coze’s rejected token (4100 inside HTTP 200)', cozeSpec, answer(200, { code: 4100, msg: 'authentication is invalid' }), { cause: 'credential-invalid' }],
		['Coze 4013', cozeSpec, answer(429, { code: 4013, msg: 'The requests exceed the rate limit.' }), { cause: 'rate-limited' }],
		['Coze’s unknown dataset (4200)', cozeSpec, answer(200, { code: 4200, msg: 'dataset not found' }), { cause: 'configuration-invalid' }],
		[
			'Bailian Throttling.User with x-acs-retry-after',
			bailianSpec,
			answer(400, { Code: 'Throttling.User', Message: 'Request was denied due to user flow control.', RequestId: 'r' }, { 'x-acs-retry-after': '4000' }),
			{ cause: 'rate-limited', retryAfterMs: 4000 },
		],
		['Bailian’s rejected AccessKey', bailianSpec, answer(404, { Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.', RequestId: 'r' }), { cause: 'credential-invalid' }],
		['Kendra ThrottlingException', kendraSpec, answer(400, { __type: 'ThrottlingException', message: 'Rate exceeded' }), { cause: 'rate-limited' }],
		['Kendra ServiceQuotaExceededException', kendraSpec, answer(402, { __type: 'ServiceQuotaExceededException', message: 'quota' }), { cause: 'quota-exhausted' }],
		['Kendra AccessDeniedException', kendraSpec, answer(400, { __type: 'AccessDeniedException', message: 'no' }), { cause: 'configuration-invalid' }],
		['Kendra UnrecognizedClientException', kendraSpec, answer(400, { __type: 'UnrecognizedClientException', message: 'bad token' }), { cause: 'credential-invalid' }],
		[
			'OpenAI 429 rate_limit_exceeded with retry-after-ms',
			openAiSpec,
			answer(429, { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded', param: null } }, { 'retry-after-ms': '2500' }),
			{ cause: 'rate-limited', retryAfterMs: 2500 },
		],
		[
			'OpenAI 429 insufficient_quota',
			openAiSpec,
			answer(429, { error: { message: 'You exceeded your current quota.', type: 'insufficient_quota', code: 'insufficient_quota', param: null } }),
			{ cause: 'quota-exhausted' },
		],
		[
			'OpenAI’s rejected key',
			openAiSpec,
			answer(401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key', param: null } }),
			{ cause: 'credential-invalid' },
		],
		[
			'OpenAI’s unknown vector store',
			openAiSpec,
			answer(404, { error: { message: "No vector store found with id 'vs_x'.", type: 'invalid_request_error', code: null, param: null } }),
			{ cause: 'configuration-invalid' },
		],
		['OpenAI 503', openAiSpec, answer(503, { error: { message: 'The server is overloaded.', type: 'server_error', code: null, param: null } }), { cause: 'temporarily-unavailable' }],
		['Bedrock ThrottlingException (x-amzn-ErrorType)', bedrockSpec, answer(429, { message: 'Rate exceeded' }, { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazonaws.bedrockagent/' }), { cause: 'rate-limited' }],
		['Bedrock ServiceQuotaExceededException', bedrockSpec, answer(402, { message: 'quota' }, { 'x-amzn-errortype': 'ServiceQuotaExceededException' }), { cause: 'quota-exhausted' }],
		['Bedrock ResourceNotFoundException', bedrockSpec, answer(404, { message: 'no such knowledge base' }, { 'x-amzn-errortype': 'ResourceNotFoundException' }), { cause: 'configuration-invalid' }],
		['Bedrock ExpiredTokenException', bedrockSpec, answer(403, { message: 'The security token included in the request is expired' }, { 'x-amzn-errortype': 'ExpiredTokenException' }), { cause: 'credential-invalid' }],
	])('%s', (_name, spec, response, expected) => {
		expect(declared(spec, response)).toEqual(expected);
	});
});

describe('the error a trigger’s poll throws declares its cause', () => {
	const DIFY_KEY = 'dataset-PollFailure0000000000';
	const COZE_TOKEN = 'pat_PollFailure000000000000000';
	let sim: Simulator;

	beforeAll(async () => {
		sim = await startSimulator({ seed: 15 });
		sim.dify.addApiKey(DIFY_KEY);
		sim.coze.addToken(COZE_TOKEN);
	});

	afterAll(async () => {
		await sim.close();
	});

	afterEach(() => sim.clearFaults());

	it('Dify Cloud’s rate limit: rate-limited, with the vendor’s Retry-After', async () => {
		const datasetId = sim.dify.addDataset();
		const { documentIds } = sim.dify.addDocuments(datasetId, [{ name: 'a.txt' }]);
		sim.injectFault({
			vendor: 'dify',
			times: Infinity,
			kind: { type: 'status', status: 403, headers: { 'Retry-After': '600' }, body: { code: 'forbidden', message: DIFY_RATE_LIMIT_MESSAGE, status: 403 } },
		});
		const poll = runPoll({
			node: new DifyKnowledgeTrigger(),
			parameters: { datasetId, watch: 'documents', documentIds: documentIds[0] },
			staticData: {},
			credentials: { type: 'difyKnowledgeApi', data: { apiKey: DIFY_KEY, baseUrl: sim.dify.baseUrl } },
			credentialTypes: [new DifyKnowledgeApi()],
		});
		await expect(poll).rejects.toMatchObject({ failure: { cause: 'rate-limited', retryAfterMs: 600_000 } });
	});

	it('Coze’s rejected token inside HTTP 200: credential-invalid', async () => {
		const datasetId = sim.coze.addDataset();
		const ids = sim.coze.addDocuments(datasetId, [{ name: 'a.pdf', script: cozeScript({ steps: 2 }) }]);
		sim.injectFault({ vendor: 'coze', times: Infinity, kind: { type: 'status', status: 200, body: { code: 4100, msg: 'authentication is invalid' } } });
		const poll = runPoll({
			node: new CozeKnowledgeTrigger(),
			parameters: { datasetId, documentIds: ids[0] },
			staticData: {} as IDataObject,
			credentials: { type: 'cozeApi', data: { accessToken: COZE_TOKEN, region: 'custom', baseUrl: sim.coze.baseUrl } },
			credentialTypes: [new CozeApi()],
		});
		await expect(poll).rejects.toMatchObject({ failure: { cause: 'credential-invalid' } });
	});

	it('bad input: configuration-invalid', async () => {
		const poll = runPoll({
			node: new CozeKnowledgeTrigger(),
			parameters: { datasetId: 'not-a-number', documentIds: '1' },
			staticData: {} as IDataObject,
			credentials: { type: 'cozeApi', data: { accessToken: COZE_TOKEN, region: 'custom', baseUrl: sim.coze.baseUrl } },
			credentialTypes: [new CozeApi()],
		});
		await expect(poll).rejects.toMatchObject({ failure: { cause: 'configuration-invalid' } });
	});
});
