/**
 * Stop: a long Wait Until Indexed returns when the user presses Stop, for every vendor, whether
 * the node is sleeping until its next poll, waiting for an answer that does not come, or waiting
 * out a Retry-After. Judged by what the node waits on, not by the wall clock: here a sleep never
 * ends on its own and the simulator never answers, so the node can only return because it was
 * stopped. How soon it returns, in real time, is a figure of `npm run bench`.
 */
import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

import { AmazonBedrockKnowledgeBaseApi } from '../credentials/AmazonBedrockKnowledgeBaseApi.credentials';
import { AmazonKendraApi } from '../credentials/AmazonKendraApi.credentials';
import { BailianApi } from '../credentials/BailianApi.credentials';
import { CozeApi } from '../credentials/CozeApi.credentials';
import { DifyKnowledgeApi } from '../credentials/DifyKnowledgeApi.credentials';
import { OpenAiVectorStoreApi } from '../credentials/OpenAiVectorStoreApi.credentials';
import { AmazonBedrockKnowledgeBase } from '../nodes/AmazonBedrockKnowledgeBase/AmazonBedrockKnowledgeBase.node';
import { AmazonKendra } from '../nodes/AmazonKendra/AmazonKendra.node';
import type { Clock } from '../nodes/shared/clock';
import { realClock, throwIfCancelled, untilAborted } from '../nodes/shared/clock';
import { BailianKnowledge } from '../nodes/Bailian/BailianKnowledge.node';
import { CozeKnowledge } from '../nodes/Coze/CozeKnowledge.node';
import { DifyKnowledge } from '../nodes/Dify/DifyKnowledge.node';
import { OpenAiVectorStore } from '../nodes/OpenAi/OpenAiVectorStore.node';
import { runNode } from './harness';
import type { HarnessCredentials } from './harness';
import { bedrockJobScript, cozeScript, kendraScript, openAiScript, startSimulator } from './simulator';
import type { FaultKind, Simulator } from './simulator';

const DIFY_KEY = 'dataset-Cancel00Key000000000000';
const COZE_TOKEN = 'pat_Cancel00Token00000000000000';
const KENDRA = { accessKeyId: 'AKIACANCEL0000000001', secretAccessKey: 'cancelSecretKey/00000000000000000000000000' };
const BEDROCK = { accessKeyId: 'AKIACANCEL0000000002', secretAccessKey: 'cancelBedrockKey/0000000000000000000000000' };
const BAILIAN = { accessKeyId: 'LTAI5tCancel000000000001', accessKeySecret: 'cancelBailianSecret0000000000000' };
const OPENAI_KEY = 'sk-proj-Cancel00Key0000000000000000000';

/** What the node waits on in these tests: sleeps end only when the execution is stopped. */
const sleepsStarted: number[] = [];
const sleepListeners = new Set<(ms: number) => void>();
const realSleep = realClock.sleep;

beforeAll(() => {
	(realClock as Clock).sleep = async (ms, signal) => {
		sleepsStarted.push(ms);
		for (const listener of sleepListeners) listener(ms);
		if (!signal) throw new Error('the node slept without a stop signal: Stop could not end this sleep');
		await untilAborted(new Promise<void>(() => {}), signal);
		throwIfCancelled(signal);
	};
});

afterAll(() => {
	(realClock as Clock).sleep = realSleep;
});

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ seed: 3 });
	sim.dify.addApiKey(DIFY_KEY);
	sim.coze.addToken(COZE_TOKEN);
	sim.kendra.addAccessKey(KENDRA);
	sim.bedrock.addAccessKey(BEDROCK);
	sim.bailian.addAccessKey(BAILIAN.accessKeyId, BAILIAN.accessKeySecret);
	sim.openai.addApiKey(OPENAI_KEY);
});

afterAll(async () => {
	await sim.close();
});

afterEach(() => {
	sim.clearFaults();
	sim.clearRequests();
	sim.advanceClock(60_000);
});

interface Rig {
	vendor: 'dify' | 'coze' | 'kendra' | 'bailian' | 'openai' | 'bedrock';
	statusPath: RegExp;
	node: () => INodeType;
	credentialType: () => object;
	credentials: () => HarnessCredentials;
	/** A wait on documents that will not finish for a long time. */
	longWait: () => { parameters: INodeParameters; input: IDataObject };
}

const rigs: Rig[] = [
	{
		vendor: 'dify',
		statusPath: /indexing-status$/,
		node: () => new DifyKnowledge(),
		credentialType: () => new DifyKnowledgeApi(),
		credentials: () => ({ type: 'difyKnowledgeApi', data: { apiKey: DIFY_KEY, baseUrl: sim.dify.baseUrl } }),
		longWait() {
			const datasetId = sim.dify.addDataset();
			const { batch } = sim.dify.addDocuments(datasetId, [
				{ name: 'long.txt', script: [{ state: { indexing_status: 'indexing', completed_segments: 0, total_segments: 9 } }] },
			]);
			return { parameters: { datasetId, watch: 'batch', batch: '={{ $json.batch }}' }, input: { batch } };
		},
	},
	{
		vendor: 'coze',
		statusPath: /\/process$/,
		node: () => new CozeKnowledge(),
		credentialType: () => new CozeApi(),
		credentials: () => ({ type: 'cozeApi', data: { accessToken: COZE_TOKEN, region: 'custom', baseUrl: sim.coze.baseUrl } }),
		longWait() {
			const datasetId = sim.coze.addDataset();
			const ids = sim.coze.addDocuments(datasetId, [{ name: 'long.pdf', script: cozeScript({ steps: 1000, secondsPerStep: 0 }) }]);
			return { parameters: { datasetId, documentIds: '={{ $json.ids }}' }, input: { ids } };
		},
	},
	{
		vendor: 'kendra',
		statusPath: /^\/$/,
		node: () => new AmazonKendra(),
		credentialType: () => new AmazonKendraApi(),
		credentials: () => ({ type: 'amazonKendraApi', data: { ...KENDRA, region: 'us-east-1', endpoint: sim.kendra.baseUrl } }),
		longWait() {
			const indexId = sim.kendra.addIndex();
			const ids = sim.kendra.addDocuments(indexId, [{ id: 'docs/long.html', script: kendraScript({ processing: 1000 }) }]);
			return { parameters: { indexId, documentIds: '={{ $json.ids }}' }, input: { ids } };
		},
	},
	{
		vendor: 'bailian',
		statusPath: /\/index\/job\/status$/,
		node: () => new BailianKnowledge(),
		credentialType: () => new BailianApi(),
		credentials: () => ({
			type: 'bailianApi',
			data: { ...BAILIAN, region: 'custom', endpoint: sim.bailian.endpoint, workspaceId: workspace() },
		}),
		longWait() {
			const indexId = sim.bailian.addIndex(workspace());
			const jobId = sim.bailian.submitJob(indexId, { documents: [{ name: 'long.pdf', runMs: 3600_000 }] });
			return { parameters: { indexId }, input: { Data: { Id: jobId } } };
		},
	},
	{
		vendor: 'openai',
		statusPath: /\/file_batches\/[^/]+$/,
		node: () => new OpenAiVectorStore(),
		credentialType: () => new OpenAiVectorStoreApi(),
		credentials: () => ({ type: 'openAiVectorStoreApi', data: { apiKey: OPENAI_KEY, baseUrl: sim.openai.baseUrl } }),
		longWait() {
			const vectorStoreId = sim.openai.addVectorStore();
			const { batchId } = sim.openai.addBatch(vectorStoreId, [{ filename: 'long.pdf', script: openAiScript({ inProgress: 1000 }) }]);
			return { parameters: { vectorStoreId, watch: 'fileBatch', batchId: '={{ $json.id }}' }, input: { id: batchId } };
		},
	},
	{
		vendor: 'bedrock',
		statusPath: /\/ingestionjobs\/[^/]+$/,
		node: () => new AmazonBedrockKnowledgeBase(),
		credentialType: () => new AmazonBedrockKnowledgeBaseApi(),
		credentials: () => ({ type: 'amazonBedrockKnowledgeBaseApi', data: { ...BEDROCK, region: 'us-east-1', endpoint: sim.bedrock.baseUrl } }),
		longWait() {
			const knowledgeBaseId = sim.bedrock.addKnowledgeBase();
			const dataSourceId = sim.bedrock.addDataSource(knowledgeBaseId);
			const ingestionJobId = sim.bedrock.addJob(knowledgeBaseId, dataSourceId, { script: bedrockJobScript({ running: 1000 }) });
			return { parameters: { knowledgeBaseId, dataSourceId }, input: { ingestionJob: { ingestionJobId } } };
		},
	},
];

let bailianWorkspace: string | undefined;
function workspace(): string {
	bailianWorkspace ??= sim.bailian.addWorkspace();
	return bailianWorkspace;
}

interface Moment {
	name: string;
	/** Poll Interval: a long one keeps the node asleep between polls. */
	pollInterval: number;
	fault?: FaultKind;
	/** What the node is waiting on when Stop is pressed. */
	waitsOn: 'sleep' | 'answer';
	/** The shortest sleep it may be in then (ms). */
	sleepAtLeastMs?: number;
}

/** An answer that never comes within any test: only the stop can end the call. */
const NEVER_MS = 3600_000;

const moments: Moment[] = [
	{ name: 'asleep until its next poll', pollInterval: 60, waitsOn: 'sleep', sleepAtLeastMs: 5_000 },
	{ name: 'waiting for an answer that does not come', pollInterval: 5, fault: { type: 'delay', ms: NEVER_MS }, waitsOn: 'answer' },
	{
		name: 'waiting out a Retry-After',
		pollInterval: 5,
		fault: { type: 'status', status: 429, headers: { 'Retry-After': '60' } },
		waitsOn: 'sleep',
		// The vendor's 60 s, less what the call itself took: longer than any backoff of the package.
		sleepAtLeastMs: 45_000,
	},
];

describe.each(rigs)('$vendor: Stop during a long wait', (rig) => {
	it.each(moments)('returns when stopped $name, and asks nothing more', async (moment) => {
		const { parameters, input } = rig.longWait();
		if (moment.fault) sim.injectFault({ vendor: rig.vendor, path: rig.statusPath, times: Infinity, kind: moment.fault });
		sleepsStarted.length = 0;
		// Stop is pressed once the node waits on what this moment is about.
		let askedAtStop = -1;
		let sleepingFor: number | null = null;
		const waiting = new Promise<void>((resolve) => {
			const stop = () => {
				askedAtStop = sim.requestsTo(rig.vendor, rig.statusPath).length;
				resolve();
			};
			if (moment.waitsOn === 'sleep') {
				sleepListeners.add(function onSleep(ms) {
					if (ms < (moment.sleepAtLeastMs ?? 0)) return;
					sleepListeners.delete(onSleep);
					sleepingFor = ms;
					stop();
				});
			} else {
				const unsubscribe = sim.addRequestListener((entry) => {
					if (entry.vendor !== rig.vendor || !rig.statusPath.test(entry.path)) return;
					unsubscribe();
					// Let the request reach the delay before pressing Stop.
					setImmediate(stop);
				});
			}
		});

		const result = await runNode({
			node: rig.node(),
			parameters: { operation: 'waitUntilIndexed', timeout: 3600, pollInterval: moment.pollInterval, ...parameters },
			input: [input],
			credentials: rig.credentials(),
			credentialTypes: [rig.credentialType() as never],
			stopWhen: waiting,
		});

		expect(result.status).toBe('canceled');
		expect(askedAtStop).toBeGreaterThan(0);
		if (moment.waitsOn === 'sleep') {
			// It was asleep for the long wait, and that sleep could only end through the stop.
			expect(sleepingFor).toBeGreaterThanOrEqual(moment.sleepAtLeastMs ?? 0);
		} else {
			// The call it was waiting on was never answered: the node let go of it when stopped.
			const calls = sim.requestsTo(rig.vendor, rig.statusPath);
			expect(calls[calls.length - 1].status).toBe(0);
			expect(sleepsStarted).toEqual([]);
		}
		// Nothing more once stopped: no call, and no sleep begun after the one that was cut.
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(sim.requestsTo(rig.vendor, rig.statusPath)).toHaveLength(askedAtStop);
	});
});
