/**
 * The fault matrix: for every vendor, each way a vendor or the network misbehaves, injected into
 * the simulator during a Wait Until Indexed of two input items. Each case either recovers, with
 * every watched document exactly once in the output, or fails with a NodeApiError that carries
 * the item index and the vendor's request id. No case lets a run of 8 characters of a secret into
 * the output or the error.
 *
 * Time: the engine sleeps on the simulator's clock (SimulatorTime in place of `realClock`), so
 * backoff, Retry-After and Bailian's 5 s spacing cost no wall time; a call counts as timed out
 * after 400 ms instead of 30 s, so that an answer slower than that costs little wall time too.
 */
jest.mock('../nodes/shared/clock', () => jest.requireActual('./bailian/simulatorTime').mockClockModule());
jest.mock('../nodes/shared/retry', () => {
	const actual = jest.requireActual('../nodes/shared/retry');
	return { ...actual, DEFAULT_RETRY_POLICY: { ...actual.DEFAULT_RETRY_POLICY, requestTimeoutMs: 400 } };
});

import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { AmazonBedrockKnowledgeBaseApi } from '../credentials/AmazonBedrockKnowledgeBaseApi.credentials';
import { AmazonKendraApi } from '../credentials/AmazonKendraApi.credentials';
import { BailianApi } from '../credentials/BailianApi.credentials';
import { CozeApi } from '../credentials/CozeApi.credentials';
import { DifyKnowledgeApi } from '../credentials/DifyKnowledgeApi.credentials';
import { OpenAiVectorStoreApi } from '../credentials/OpenAiVectorStoreApi.credentials';
import { AmazonBedrockKnowledgeBase } from '../nodes/AmazonBedrockKnowledgeBase/AmazonBedrockKnowledgeBase.node';
import { AmazonKendra } from '../nodes/AmazonKendra/AmazonKendra.node';
import { BailianKnowledge } from '../nodes/Bailian/BailianKnowledge.node';
import { CozeKnowledge } from '../nodes/Coze/CozeKnowledge.node';
import { DifyKnowledge } from '../nodes/Dify/DifyKnowledge.node';
import { OpenAiVectorStore } from '../nodes/OpenAi/OpenAiVectorStore.node';
import { realClock } from '../nodes/shared/clock';
import type { SimulatorTime } from './bailian/simulatorTime';
import { runNode } from './harness';
import type { HarnessCredentials, RunNodeResult } from './harness';
import { leakedRuns, serializeRun } from './helpers/secretRuns';
import { useSimulatorTime } from './helpers/simulatedTime';
import { bedrockDocumentScript, cozeScript, kendraScript, openAiScript, startSimulator } from './simulator';
import type { DifyScript, FaultKind, JsonValue, Simulator, VendorModule, VendorResponse } from './simulator';
import { DIFY_RATE_LIMIT_MESSAGE } from './simulator/dify';

const time = realClock as unknown as SimulatorTime;

type VendorKey = 'dify' | 'coze' | 'kendra' | 'bailian' | 'openai' | 'bedrock';

/** Simulator steps of 500 ms: documents finish 1.5 to 3.5 s into the wait (Bailian: 6 to 14 s). */
const STEP_MS = 500;

interface Prepared {
	parameters: INodeParameters;
	input: IDataObject[];
	/** The documents each input item watches, in order. */
	documents: string[][];
	/** The ones that end failed. */
	failing: string[];
}

/** One vendor, as the matrix drives it. */
interface Rig {
	vendor: VendorKey;
	secrets: string[];
	/** Path of the status call, for faults aimed at it. */
	statusPath: RegExp;
	/** Simulated seconds the outage case waits before it gives up. */
	outageTimeout: number;
	setUp(sim: Simulator): void;
	prepare(sim: Simulator): Prepared;
	node: () => INodeType;
	credentialType: () => object;
	credentials(sim: Simulator): HarnessCredentials;
	/** The vendor's request id of an answer, where it gives one. */
	requestIdOf(response: VendorResponse): string | null;
	/** The vendor's error inside an HTTP 200, where it has one, and what the node does about it. */
	errorInside200?: { expect: Outcome; inject(sim: Simulator): void; code: string };
	/** The vendor's own throttling answer. */
	throttle: { inject(sim: Simulator): void; code: string };
}

type Outcome = 'recovers' | 'fails';

const DIFY_KEY = 'dataset-FaUlTmAtRiX7Kq2Wd9Lp4Zs';
const COZE_TOKEN = 'pat_FaultMatrix3Hv8Nc1Qx6Rt0Yb5Mj';
const KENDRA = {
	accessKeyId: 'AKIAFAULTMATRIX00001',
	secretAccessKey: 'fAuLtMaTrIx/SecretKey0Kendra9Zy8Xw7Vu6Ts5',
};
const OPENAI_KEY = 'sk-proj-FaultMatrix8Tq3Lw6Ze1Xc4Vb7Nm0Ps5';
const BEDROCK = {
	accessKeyId: 'AKIAFAULTMATRIX00002',
	secretAccessKey: 'fAuLtMaTrIx/SecretKey0Bedrock8Yx7Wv6Ut5S',
};
const BAILIAN = {
	accessKeyId: 'LTAI5tFaultMatrix000001',
	accessKeySecret: 'FaultMatrixBailianSecret4Gh7Jk0Lm3Np',
};

function difySteps(steps: number, fail?: string): DifyScript {
	const script: Array<DifyScript[number]> = [];
	for (let i = 0; i < steps; i++) {
		script.push({ state: { indexing_status: 'indexing', completed_segments: i, total_segments: steps + 1 } });
	}
	script.push({
		state: fail
			? { indexing_status: 'error', completed_segments: steps, total_segments: steps + 1, error: fail }
			: { indexing_status: 'completed', completed_segments: steps + 1, total_segments: steps + 1 },
	});
	return script;
}

const header = (response: VendorResponse, name: string) => {
	const key = Object.keys(response.headers ?? {}).find((k) => k.toLowerCase() === name);
	return key === undefined ? null : (response.headers as Record<string, string>)[key];
};
const bodyField = (response: VendorResponse, name: string): unknown =>
	response.body !== null && typeof response.body === 'object' && !Array.isArray(response.body)
		? (response.body as Record<string, JsonValue>)[name]
		: undefined;

const rigs: Rig[] = [
	{
		vendor: 'dify',
		secrets: [DIFY_KEY],
		statusPath: /indexing-status$/,
		outageTimeout: 10,
		setUp: (sim) => sim.dify.addApiKey(DIFY_KEY),
		prepare(sim) {
			const datasetId = sim.dify.addDataset();
			const a = sim.dify.addDocuments(datasetId, [
				{ name: 'a1.txt', script: difySteps(3), msPerStep: STEP_MS },
				{ name: 'a2.txt', script: difySteps(6), msPerStep: STEP_MS },
			]);
			const b = sim.dify.addDocuments(datasetId, [
				{ name: 'b1.txt', script: difySteps(4, 'parse error'), msPerStep: STEP_MS },
				{ name: 'b2.txt', script: difySteps(7), msPerStep: STEP_MS },
			]);
			return {
				parameters: { datasetId, watch: 'batch', batch: '={{ $json.batch }}', pollInterval: 1 },
				input: [{ batch: a.batch }, { batch: b.batch }],
				documents: [a.documentIds, b.documentIds],
				failing: [b.documentIds[0]],
			};
		},
		node: () => new DifyKnowledge(),
		credentialType: () => new DifyKnowledgeApi(),
		credentials: (sim) => ({ type: 'difyKnowledgeApi', data: { apiKey: DIFY_KEY, baseUrl: sim.dify.baseUrl } }),
		// Dify's answers carry no request id.
		requestIdOf: () => null,
		throttle: {
			code: 'forbidden',
			inject: (sim) =>
				sim.injectFault({
					vendor: 'dify',
					path: /indexing-status$/,
					kind: { type: 'status', status: 403, body: { code: 'forbidden', message: DIFY_RATE_LIMIT_MESSAGE, status: 403 } },
				}),
		},
	},
	{
		vendor: 'coze',
		secrets: [COZE_TOKEN],
		statusPath: /\/process$/,
		outageTimeout: 10,
		setUp: (sim) => sim.coze.addToken(COZE_TOKEN),
		prepare(sim) {
			const datasetId = sim.coze.addDataset();
			const timed = (name: string, steps: number, fail?: string) => ({
				name,
				script: cozeScript({ steps, secondsPerStep: STEP_MS / 1000, fail }),
				msPerStep: STEP_MS,
			});
			const a = sim.coze.addDocuments(datasetId, [timed('a1.pdf', 3), timed('a2.pdf', 6)]);
			const b = sim.coze.addDocuments(datasetId, [timed('b1.pdf', 4, 'file too large'), timed('b2.pdf', 7)]);
			return {
				parameters: { datasetId, documentIds: '={{ $json.ids }}', pollInterval: 1 },
				input: [{ ids: a }, { ids: b }],
				documents: [a, b],
				failing: [b[0]],
			};
		},
		node: () => new CozeKnowledge(),
		credentialType: () => new CozeApi(),
		credentials: (sim) => ({ type: 'cozeApi', data: { accessToken: COZE_TOKEN, region: 'custom', baseUrl: sim.coze.baseUrl } }),
		requestIdOf: (response) => header(response, 'x-tt-logid'),
		// One bad request inside a 200: the two items share the call, so the node asks again
		// item by item, and both answers come.
		errorInside200: { expect: 'recovers', code: '4000', inject: (sim) => sim.coze.returnErrorCodeOnce(4000, 'invalid parameter') },
		throttle: {
			code: '4013',
			inject: (sim) => sim.coze.returnErrorCodeOnce(4013, 'The requests exceed the rate limit. Please try again later.'),
		},
	},
	{
		vendor: 'kendra',
		secrets: [KENDRA.secretAccessKey],
		statusPath: /^\/$/,
		outageTimeout: 10,
		setUp: (sim) => sim.kendra.addAccessKey(KENDRA),
		prepare(sim) {
			const indexId = sim.kendra.addIndex();
			const timed = (id: string, processing: number, fail?: boolean) => ({
				id,
				script: kendraScript({ processing, fail: fail ? { code: '400', reason: 'The document is too large' } : undefined }),
				msPerStep: STEP_MS,
			});
			const a = sim.kendra.addDocuments(indexId, [timed('docs/a1.html', 3), timed('docs/a2.html', 6)]);
			const b = sim.kendra.addDocuments(indexId, [timed('docs/b1.html', 4, true), timed('docs/b2.html', 7)]);
			return {
				parameters: { indexId, documentIds: '={{ $json.ids }}', pollInterval: 1 },
				input: [{ ids: a }, { ids: b }],
				documents: [a, b],
				failing: [b[0]],
			};
		},
		node: () => new AmazonKendra(),
		credentialType: () => new AmazonKendraApi(),
		credentials: (sim) => ({ type: 'amazonKendraApi', data: { ...KENDRA, region: 'us-east-1', endpoint: sim.kendra.baseUrl } }),
		requestIdOf: (response) => header(response, 'x-amzn-requestid'),
		throttle: { code: 'ThrottlingException', inject: (sim) => sim.kendra.throttle(1) },
	},
	{
		vendor: 'bedrock',
		secrets: [BEDROCK.secretAccessKey],
		statusPath: /\/documents\/getDocuments$/,
		outageTimeout: 10,
		setUp: (sim) => sim.bedrock.addAccessKey(BEDROCK),
		prepare(sim) {
			const knowledgeBaseId = sim.bedrock.addKnowledgeBase();
			const dataSourceId = sim.bedrock.addDataSource(knowledgeBaseId, { type: 'CUSTOM' });
			const timed = (id: string, processing: number, fail?: boolean) => ({
				id,
				script: bedrockDocumentScript({ processing, end: fail ? { status: 'FAILED', statusReason: 'The document is too large' } : undefined }),
				msPerStep: STEP_MS,
			});
			const a = sim.bedrock.addDocuments(knowledgeBaseId, dataSourceId, [timed('docs/a1.html', 2), timed('docs/a2.html', 5)]);
			const b = sim.bedrock.addDocuments(knowledgeBaseId, dataSourceId, [timed('docs/b1.html', 3, true), timed('docs/b2.html', 6)]);
			return {
				parameters: { knowledgeBaseId, dataSourceId, watch: 'documents', documentIds: '={{ $json.ids }}', pollInterval: 1 },
				input: [{ ids: a }, { ids: b }],
				documents: [a, b],
				failing: [b[0]],
			};
		},
		node: () => new AmazonBedrockKnowledgeBase(),
		credentialType: () => new AmazonBedrockKnowledgeBaseApi(),
		credentials: (sim) => ({ type: 'amazonBedrockKnowledgeBaseApi', data: { ...BEDROCK, region: 'us-east-1', endpoint: sim.bedrock.baseUrl } }),
		requestIdOf: (response) => header(response, 'x-amzn-requestid'),
		// REST-JSON: the name comes in the x-amzn-ErrorType header.
		throttle: { code: 'ThrottlingException', inject: (sim) => sim.bedrock.throttle(1) },
	},
	{
		vendor: 'bailian',
		secrets: [BAILIAN.accessKeySecret],
		statusPath: /\/index\/job\/status$/,
		outageTimeout: 30,
		setUp: (sim) => sim.bailian.addAccessKey(BAILIAN.accessKeyId, BAILIAN.accessKeySecret),
		prepare(sim) {
			const workspaceId = sim.bailian.addWorkspace();
			const indexId = sim.bailian.addIndex(workspaceId);
			bailianWorkspace.set(sim, workspaceId);
			const a = sim.bailian.submitJob(indexId, { documents: [{ name: 'a1.pdf', runMs: 6000 }, { name: 'a2.pdf', runMs: 12_000 }] });
			const b = sim.bailian.submitJob(indexId, {
				documents: [
					{ name: 'b1.pdf', runMs: 8000, result: 'INSERT_ERROR' },
					{ name: 'b2.pdf', runMs: 14_000 },
				],
			});
			return {
				parameters: { indexId, pollInterval: 5 },
				input: [{ Data: { Id: a } }, { Data: { Id: b } }],
				documents: [sim.bailian.documentIds(a), sim.bailian.documentIds(b)],
				failing: [sim.bailian.documentIds(b)[0]],
			};
		},
		node: () => new BailianKnowledge(),
		credentialType: () => new BailianApi(),
		credentials: (sim) => ({
			type: 'bailianApi',
			data: { ...BAILIAN, region: 'custom', endpoint: sim.bailian.endpoint, workspaceId: bailianWorkspace.get(sim) as string },
		}),
		requestIdOf: (response) => {
			const id = bodyField(response, 'RequestId');
			return typeof id === 'string' ? id : null;
		},
		// Success: false inside a 200, for a parameter the job's call cannot be asked with: no retry
		// fixes that, so the item whose call it was fails, and the other item still gets its answer.
		errorInside200: {
			expect: 'fails',
			code: 'Index.InvalidParameter',
			inject: (sim) =>
				sim.bailian.returnErrorOnce({ code: 'Index.InvalidParameter', message: 'The job does not belong to the index.', action: 'GetIndexJobStatus' }),
		},
		throttle: {
			code: 'Throttling.User',
			inject: (sim) =>
				sim.bailian.returnErrorOnce({
					code: 'Throttling.User',
					message: 'Request was denied due to user flow control.',
					httpStatus: 400,
					retryAfterMs: 5000,
					action: 'GetIndexJobStatus',
				}),
		},
	},
	{
		vendor: 'openai',
		secrets: [OPENAI_KEY],
		statusPath: /\/file_batches\/[^/]+$/,
		outageTimeout: 10,
		setUp: (sim) => sim.openai.addApiKey(OPENAI_KEY),
		prepare(sim) {
			const storeId = sim.openai.addVectorStore();
			const timed = (inProgress: number, fail?: 'invalid_file') => ({ script: openAiScript({ inProgress, fail }), msPerStep: STEP_MS });
			const a = sim.openai.addBatch(storeId, [timed(3), timed(6)]);
			const b = sim.openai.addBatch(storeId, [timed(4, 'invalid_file'), timed(7)]);
			return {
				parameters: { vectorStoreId: storeId, watch: 'fileBatch', batchId: '={{ $json.id }}', pollInterval: 1 },
				input: [{ id: a.batchId }, { id: b.batchId }],
				documents: [a.fileIds, b.fileIds],
				failing: [b.fileIds[0]],
			};
		},
		node: () => new OpenAiVectorStore(),
		credentialType: () => new OpenAiVectorStoreApi(),
		credentials: (sim) => ({ type: 'openAiVectorStoreApi', data: { apiKey: OPENAI_KEY, baseUrl: sim.openai.baseUrl } }),
		requestIdOf: (response) => header(response, 'x-request-id'),
		// OpenAI's own 429, which says when to come back in retry-after-ms.
		throttle: { code: 'rate_limit_exceeded', inject: (sim) => sim.openai.rateLimit(1, 1500) },
	},
];

const bailianWorkspace = new Map<Simulator, string>();

interface FaultCase {
	name: string;
	expect: Outcome;
	/** Injected once the first status call has been answered (mid-wait), or before the run. */
	at: 'midWait' | 'start';
	inject(sim: Simulator, rig: Rig): void;
	/** The answer or log entry that shows the fault was met. */
	met(seen: Seen, rig: Rig): boolean;
}

interface Seen {
	sim: Simulator;
	responses: VendorResponse[];
}

const faultMet = (type: FaultKind['type']) => (seen: Seen) => seen.sim.requests.some((entry) => entry.fault === type);
/**
 * An answer whose body or headers name `code` (as a whole word: `4013`,
 * `com.amazonaws.kendra#ThrottlingException`, a REST-JSON `x-amzn-ErrorType`).
 */
const answered = (code: string) => (seen: Seen) =>
	seen.responses.some((r) => new RegExp(`(^|[^\\w.])${code.replace(/\./g, '\\.')}($|[^\\w.])`).test(JSON.stringify([r.body ?? '', r.headers ?? {}])));

function statusFault(kind: FaultKind) {
	return (sim: Simulator, rig: Rig) => sim.injectFault({ vendor: rig.vendor, path: rig.statusPath, kind });
}

function casesFor(rig: Rig): FaultCase[] {
	const cases: FaultCase[] = [
		{
			name: 'a 429 with Retry-After',
			expect: 'recovers',
			at: 'midWait',
			inject: statusFault({ type: 'status', status: 429, headers: { 'Retry-After': '2' } }),
			met: (seen) => seen.sim.requests.some((entry) => entry.fault === 'status' && entry.status === 429),
		},
		{
			name: 'a 500, then success',
			expect: 'recovers',
			at: 'midWait',
			inject: statusFault({ type: 'status', status: 500 }),
			met: (seen) => seen.sim.requests.some((entry) => entry.fault === 'status' && entry.status === 500),
		},
		{ name: 'malformed JSON', expect: 'recovers', at: 'midWait', inject: statusFault({ type: 'malformed' }), met: faultMet('malformed') },
		{ name: 'a dropped connection', expect: 'recovers', at: 'midWait', inject: statusFault({ type: 'drop' }), met: faultMet('drop') },
		{
			name: 'an answer slower than the request timeout',
			expect: 'recovers',
			at: 'midWait',
			inject: statusFault({ type: 'delay', ms: 1500 }),
			met: faultMet('delay'),
		},
	];
	// Dify, Kendra, OpenAI and Bedrock never answer an error inside an HTTP 200 (their errors are HTTP 4xx/5xx with
	// an error body), so that case is Coze's and Bailian's only.
	const inside200 = rig.errorInside200;
	if (inside200) {
		cases.push({
			name: `the vendor's error inside an HTTP 200 (${inside200.code})`,
			expect: inside200.expect,
			at: 'midWait',
			inject: (sim) => inside200.inject(sim),
			met: answered(inside200.code),
		});
	}
	cases.push(
		{
			name: `the vendor's own throttling (${rig.throttle.code})`,
			expect: 'recovers',
			at: 'midWait',
			inject: (sim) => rig.throttle.inject(sim),
			met: answered(rig.throttle.code),
		},
		{
			name: 'an outage that outlasts the retries',
			expect: 'fails',
			at: 'start',
			inject: (sim, r) => sim.injectFault({ vendor: r.vendor, path: r.statusPath, times: Infinity, kind: { type: 'status', status: 503 } }),
			met: (seen) => seen.sim.requests.filter((entry) => entry.fault === 'status' && entry.status === 503).length > 1,
		},
	);
	return cases;
}

/** Records what the vendor module answers, faults' envelopes included. */
function recordAnswers(module: VendorModule, into: VendorResponse[], onStatusAnswered: (path: string, response: VendorResponse) => void) {
	const handle = module.handle.bind(module);
	const errorResponse = module.errorResponse.bind(module);
	module.handle = (request) => {
		const response = handle(request);
		into.push(response);
		onStatusAnswered(request.path, response);
		return response;
	};
	module.errorResponse = (status) => {
		const response = errorResponse(status);
		into.push(response);
		return response;
	};
}

const pairedIndex = (item: { pairedItem?: unknown }) => (item.pairedItem as { item: number }).item;

describe.each(rigs)('$vendor: faults during a wait', (rig) => {
	let sim: Simulator;
	let unwire: () => void;
	const responses: VendorResponse[] = [];
	let onFirstStatusAnswer: (() => void) | null = null;

	beforeAll(async () => {
		sim = await startSimulator({ seed: 10 });
		unwire = useSimulatorTime(time, sim);
		rig.setUp(sim);
		recordAnswers(sim[rig.vendor] as VendorModule, responses, (path, response) => {
			if (onFirstStatusAnswer && rig.statusPath.test(path) && response.status === 200) {
				const inject = onFirstStatusAnswer;
				onFirstStatusAnswer = null;
				inject();
			}
		});
	});

	afterAll(async () => {
		unwire();
		await sim.close();
	});

	afterEach(() => {
		sim.clearFaults();
		sim.clearRequests();
		responses.length = 0;
		sim.bailian.statusCalls.length = 0;
		onFirstStatusAnswer = null;
		// A new case starts well clear of the last one's calls, as a new execution would.
		sim.advanceClock(120_000);
	});

	function run(prepared: Prepared, continueOnFail: boolean, timeout: number): Promise<RunNodeResult> {
		return runNode({
			node: rig.node(),
			parameters: { operation: 'waitUntilIndexed', timeout, ...prepared.parameters },
			input: prepared.input,
			credentials: rig.credentials(sim),
			credentialTypes: [rig.credentialType() as never],
			continueOnFail,
		});
	}

	async function runWithFault(fault: FaultCase, continueOnFail: boolean) {
		const prepared = rig.prepare(sim);
		if (fault.at === 'start') fault.inject(sim, rig);
		else onFirstStatusAnswer = () => fault.inject(sim, rig);
		const result = await run(prepared, continueOnFail, fault.expect === 'fails' && fault.at === 'start' ? rig.outageTimeout : 120);
		expect(fault.met({ sim, responses }, rig)).toBe(true);
		expect(leakedRuns(serializeRun(result), rig.secrets)).toEqual([]);
		return { prepared, result };
	}

	const requestIdsAnswered = () => responses.map((r) => rig.requestIdOf(r)).filter((id): id is string => id !== null);

	it.each(casesFor(rig).filter((c) => c.expect === 'recovers'))('recovers from $name: every document once, with its final status', async (fault) => {
		const { prepared, result } = await runWithFault(fault, false);

		expect(result.error).toBeUndefined();
		for (const [itemIndex, documents] of prepared.documents.entries()) {
			const own = result.items.filter((item) => pairedIndex(item) === itemIndex);
			expect(own.map((item) => item.json.documentId)).toEqual(documents);
			for (const item of own) {
				const failing = prepared.failing.includes(item.json.documentId as string);
				expect(item.json).toMatchObject({ status: failing ? 'failed' : 'completed', terminal: true, wait: expect.objectContaining({ timedOut: false }) });
			}
		}
		expect(result.items).toHaveLength(prepared.documents.flat().length);
	});

	it.each(casesFor(rig).filter((c) => c.expect === 'fails'))(
		'fails clearly on $name: a NodeApiError with the item index and the request id',
		async (fault) => {
			const { prepared, result } = await runWithFault(fault, false);

			expect(result.status).toBe('error');
			expect(result.error).toBeInstanceOf(NodeApiError);
			const error = result.error as NodeApiError;
			const ids = requestIdsAnswered();
			if (rig.vendor === 'dify') {
				// Dify's answers carry no request id: the error names the call and the status.
				expect(ids).toEqual([]);
				expect(error.message).toMatch(/^Dify batch indexing status failed: /);
				expect(error.description).toMatch(/^HTTP 503, code service_unavailable, after \d+ attempts\.$/);
			} else {
				expect(ids.length).toBeGreaterThan(0);
				expect(ids.some((id) => String(error.description).includes(`request id ${id}`))).toBe(true);
			}
			// The item whose call failed; a call two items share fails for the first of them.
			expect(error.context.itemIndex).toBe(fault.at === 'start' ? 0 : failedItemIndex(rig, sim, prepared));
		},
	);

	it.each(casesFor(rig).filter((c) => c.expect === 'fails'))(
		'with Continue On Fail, answers every input item on $name, documents once and errors once',
		async (fault) => {
			const { prepared, result } = await runWithFault(fault, true);

			expect(result.error).toBeUndefined();
			for (const [itemIndex, documents] of prepared.documents.entries()) {
				const own = result.items.filter((item) => pairedIndex(item) === itemIndex);
				const errors = own.filter((item) => typeof item.json.error === 'string');
				if (errors.length > 0) {
					expect(own).toHaveLength(1);
					expect(String(errors[0].json.description)).toMatch(rig.vendor === 'dify' ? /HTTP 5\d\d/ : /request id \S+/);
				} else {
					expect(own.map((item) => item.json.documentId)).toEqual(documents);
				}
			}
			expect(result.items.some((item) => typeof item.json.error === 'string')).toBe(true);
		},
	);
});

/**
 * Which input item a mid-wait failure belongs to: each Bailian item has its own job, so the
 * failed call's JobId names the item.
 */
function failedItemIndex(rig: Rig, sim: Simulator, prepared: Prepared): number {
	if (rig.vendor !== 'bailian') return 0;
	const failed = sim.bailian.statusCalls.find((call) => call.outcome !== 'ok');
	return prepared.input.findIndex((item) => (item.Data as IDataObject).Id === failed?.jobId);
}
