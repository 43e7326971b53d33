/**
 * Stuck documents, for every vendor, on the simulator's clock (SimulatorTime in place of
 * `realClock`): Wait Until Indexed with Stuck After ends early on a document the simulator holds
 * still, and never on one that moves slowly but steadily; the Document Stuck trigger reports a
 * held document once per stuck spell, across restarts of n8n under both of its ways to keep a
 * trigger's static data, and again once the document has changed and stuck anew.
 */
jest.mock('../nodes/shared/clock', () => jest.requireActual('./bailian/simulatorTime').mockClockModule());

import type { ICredentialType, IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

import { AmazonBedrockKnowledgeBaseApi } from '../credentials/AmazonBedrockKnowledgeBaseApi.credentials';
import { AmazonKendraApi } from '../credentials/AmazonKendraApi.credentials';
import { BailianApi } from '../credentials/BailianApi.credentials';
import { CozeApi } from '../credentials/CozeApi.credentials';
import { DifyKnowledgeApi } from '../credentials/DifyKnowledgeApi.credentials';
import { OpenAiVectorStoreApi } from '../credentials/OpenAiVectorStoreApi.credentials';
import { AmazonBedrockKnowledgeBase } from '../nodes/AmazonBedrockKnowledgeBase/AmazonBedrockKnowledgeBase.node';
import { AmazonBedrockKnowledgeBaseTrigger } from '../nodes/AmazonBedrockKnowledgeBase/AmazonBedrockKnowledgeBaseTrigger.node';
import { AmazonKendra } from '../nodes/AmazonKendra/AmazonKendra.node';
import { AmazonKendraTrigger } from '../nodes/AmazonKendra/AmazonKendraTrigger.node';
import { BailianKnowledge } from '../nodes/Bailian/BailianKnowledge.node';
import { BailianKnowledgeTrigger } from '../nodes/Bailian/BailianKnowledgeTrigger.node';
import { CozeKnowledge } from '../nodes/Coze/CozeKnowledge.node';
import { CozeKnowledgeTrigger } from '../nodes/Coze/CozeKnowledgeTrigger.node';
import { DifyKnowledge } from '../nodes/Dify/DifyKnowledge.node';
import { DifyKnowledgeTrigger } from '../nodes/Dify/DifyKnowledgeTrigger.node';
import { OpenAiVectorStore } from '../nodes/OpenAi/OpenAiVectorStore.node';
import { OpenAiVectorStoreTrigger } from '../nodes/OpenAi/OpenAiVectorStoreTrigger.node';
import { realClock } from '../nodes/shared/clock';
import type { SimulatorTime } from './bailian/simulatorTime';
import { runNode, runPoll } from './harness';
import type { HarnessCredentials } from './harness';
import { useSimulatorTime } from './helpers/simulatedTime';
import { bedrockDocumentScript, cozeScript, kendraScript, openAiScript, startSimulator } from './simulator';
import type { DifyScript, Simulator } from './simulator';

const time = realClock as unknown as SimulatorTime;

const MINUTE = 60_000;
const HOURS_10 = 10 * 60 * MINUTE;

/** A wait: its parameters and input, and the ids of the documents it watches. */
interface WaitSetUp {
	parameters: INodeParameters;
	input: IDataObject[];
	held?: string;
}

/** A trigger: its parameters, the held document, and how to make it change, then hold again. */
interface TriggerSetUp {
	parameters: INodeParameters;
	held: string;
	change(): void;
	/**
	 * The change passes through a finished (or not found) state and back to the values the
	 * document had: a restart of n8n's default mode that forgets the polls between cannot see it.
	 */
	returnsToSameValues: boolean;
}

interface Rig {
	vendor: string;
	/** The status the held document shows. */
	heldStatus: 'queued' | 'processing';
	setUp(sim: Simulator): void;
	/** A wait on one document that finishes soon and one held still. */
	held(sim: Simulator): WaitSetUp;
	/**
	 * A wait on one document that keeps changing, each change under a minute apart, for 3 minutes
	 * or more; null for a vendor whose documents show no change between start and end.
	 */
	steady: (sim: Simulator) => WaitSetUp;
	/** Created before the trigger is switched on, two hours before its first poll. */
	trigger(sim: Simulator): TriggerSetUp;
	node: () => INodeType;
	triggerNode: () => INodeType;
	credentialType: () => ICredentialType;
	credentials(sim: Simulator): HarnessCredentials;
}

const DIFY_KEY = 'dataset-StuckDocs0Key00000000000';
const COZE_TOKEN = 'pat_StuckDocs0Token0000000000000';
const KENDRA = { accessKeyId: 'AKIASTUCKDOCS0000001', secretAccessKey: 'stuckDocsSecretKey/000000000000000000000' };
const BEDROCK = { accessKeyId: 'AKIASTUCKDOCS0000002', secretAccessKey: 'stuckDocsBedrockKey/00000000000000000000' };
const BAILIAN = { accessKeyId: 'LTAI5tStuckDocs00000001', accessKeySecret: 'stuckDocsBailianSecret0000000000' };
const bailianWorkspaces = new Map<Simulator, string>();
const OPENAI_KEY = 'sk-proj-StuckDocs0Key0000000000000';

const difyHeld = (indexing_status: 'waiting' | 'parsing' | 'indexing', completed_segments = 0) => [
	{ state: { indexing_status, completed_segments, total_segments: 10 } },
];

const rigs: Rig[] = [
	{
		vendor: 'dify',
		heldStatus: 'queued',
		setUp: (sim) => sim.dify.addApiKey(DIFY_KEY),
		held(sim) {
			const datasetId = sim.dify.addDataset();
			const { batch, documentIds } = sim.dify.addDocuments(datasetId, [
				{ name: 'quick.txt', script: [{ state: { indexing_status: 'completed', completed_segments: 2, total_segments: 2 } }] },
				{ name: 'held.txt', script: difyHeld('waiting') },
			]);
			return { parameters: { datasetId, watch: 'batch', batch, pollInterval: 5 }, input: [{}], held: documentIds[1] };
		},
		steady(sim) {
			const datasetId = sim.dify.addDataset();
			// One segment more every 30 s, for 10 minutes.
			const script: DifyScript = [
				...Array.from({ length: 20 }, (_, i) => ({ state: { indexing_status: 'indexing' as const, completed_segments: i, total_segments: 20 } })),
				{ state: { indexing_status: 'completed', completed_segments: 20, total_segments: 20 } },
			];
			const { batch } = sim.dify.addDocuments(datasetId, [{ name: 'slow.txt', script, msPerStep: 30_000 }]);
			return { parameters: { datasetId, watch: 'batch', batch, pollInterval: 5 }, input: [{}] };
		},
		trigger(sim) {
			const datasetId = sim.dify.addDataset();
			const [held] = sim.dify.addDocuments(datasetId, [{ name: 'held.txt', script: difyHeld('parsing') }]).documentIds;
			return {
				parameters: { datasetId, watch: 'dataset' },
				held,
				change: () => sim.dify.setScript(datasetId, held, difyHeld('indexing', 4)),
				returnsToSameValues: false,
			};
		},
		node: () => new DifyKnowledge(),
		triggerNode: () => new DifyKnowledgeTrigger(),
		credentialType: () => new DifyKnowledgeApi(),
		credentials: (sim) => ({ type: 'difyKnowledgeApi', data: { apiKey: DIFY_KEY, baseUrl: sim.dify.baseUrl } }),
	},
	{
		vendor: 'coze',
		heldStatus: 'processing',
		setUp: (sim) => sim.coze.addToken(COZE_TOKEN),
		held(sim) {
			const datasetId = sim.coze.addDataset();
			const ids = sim.coze.addDocuments(datasetId, [
				{ name: 'quick.pdf', script: cozeScript({ steps: 1, secondsPerStep: 5 }), msPerStep: 5000 },
				{ name: 'held.pdf', script: [{ state: { status: 0, progress: 40, remaining_time: 30 } }] },
			]);
			return { parameters: { datasetId, documentIds: ids.join(','), pollInterval: 5 }, input: [{}], held: ids[1] };
		},
		steady(sim) {
			const datasetId = sim.coze.addDataset();
			const ids = sim.coze.addDocuments(datasetId, [{ name: 'slow.pdf', script: cozeScript({ steps: 20, secondsPerStep: 30 }), msPerStep: 30_000 }]);
			return { parameters: { datasetId, documentIds: ids.join(','), pollInterval: 5 }, input: [{}] };
		},
		trigger(sim) {
			const datasetId = sim.coze.addDataset();
			const [held] = sim.coze.addDocuments(datasetId, [{ name: 'held.pdf', script: [{ state: { status: 0, progress: 40, remaining_time: 30 } }] }]);
			return {
				parameters: { datasetId, watch: 'documents', documentIds: held },
				held,
				change: () => sim.coze.setScript(held, [{ state: { status: 0, progress: 55, remaining_time: 20 } }]),
				returnsToSameValues: false,
			};
		},
		node: () => new CozeKnowledge(),
		triggerNode: () => new CozeKnowledgeTrigger(),
		credentialType: () => new CozeApi(),
		credentials: (sim) => ({ type: 'cozeApi', data: { accessToken: COZE_TOKEN, region: 'custom', baseUrl: sim.coze.baseUrl } }),
	},
	{
		vendor: 'kendra',
		heldStatus: 'processing',
		setUp: (sim) => sim.kendra.addAccessKey(KENDRA),
		held(sim) {
			const indexId = sim.kendra.addIndex();
			const ids = sim.kendra.addDocuments(indexId, [
				{ id: 'docs/quick.html', script: kendraScript({ processing: 1 }), msPerStep: 5000 },
				{ id: 'docs/held.html', script: [{ state: { status: 'PROCESSING' } }] },
			]);
			return { parameters: { indexId, documentIds: ids.join(','), pollInterval: 5 }, input: [{}], held: ids[1] };
		},
		steady(sim) {
			const indexId = sim.kendra.addIndex();
			// Kendra shows no figure while it works: its steps are not found (just put), processing, indexed.
			const ids = sim.kendra.addDocuments(indexId, [{ id: 'docs/slow.html', script: kendraScript({ notFound: 1, processing: 1 }), msPerStep: 50_000 }]);
			return { parameters: { indexId, documentIds: ids.join(','), pollInterval: 5 }, input: [{}] };
		},
		trigger(sim) {
			const indexId = sim.kendra.addIndex();
			const [held] = sim.kendra.addDocuments(indexId, [{ id: 'docs/held.html', script: [{ state: { status: 'PROCESSING' } }] }]);
			return {
				parameters: { indexId, documentIds: held },
				held,
				// Deleted and put again: unknown to Kendra for a minute, then processing again.
				change: () => sim.kendra.setScript(indexId, held, [{ state: { status: 'NOT_FOUND' } }, { state: { status: 'PROCESSING' } }], MINUTE),
				returnsToSameValues: true,
			};
		},
		node: () => new AmazonKendra(),
		triggerNode: () => new AmazonKendraTrigger(),
		credentialType: () => new AmazonKendraApi(),
		credentials: (sim) => ({ type: 'amazonKendraApi', data: { ...KENDRA, region: 'us-east-1', endpoint: sim.kendra.baseUrl } }),
	},
	{
		vendor: 'bedrock',
		heldStatus: 'processing',
		setUp: (sim) => sim.bedrock.addAccessKey(BEDROCK),
		held(sim) {
			const knowledgeBaseId = sim.bedrock.addKnowledgeBase();
			const dataSourceId = sim.bedrock.addDataSource(knowledgeBaseId, { type: 'CUSTOM' });
			const ids = sim.bedrock.addDocuments(knowledgeBaseId, dataSourceId, [
				{ id: 'docs/quick.html', script: bedrockDocumentScript({ processing: 1 }), msPerStep: 5000 },
				{ id: 'docs/held.html', script: [{ state: { status: 'IN_PROGRESS' } }] },
			]);
			return { parameters: { knowledgeBaseId, dataSourceId, watch: 'documents', documentIds: ids.join(','), pollInterval: 5 }, input: [{}], held: ids[1] };
		},
		steady(sim) {
			const knowledgeBaseId = sim.bedrock.addKnowledgeBase();
			const dataSourceId = sim.bedrock.addDataSource(knowledgeBaseId, { type: 'CUSTOM' });
			// Bedrock shows no figure while it works: its steps are pending, starting, in progress, indexed.
			const script = [{ state: { status: 'PENDING' as const } }, { state: { status: 'STARTING' as const } }, ...bedrockDocumentScript({ processing: 1 }).slice(1)];
			const ids = sim.bedrock.addDocuments(knowledgeBaseId, dataSourceId, [{ id: 'docs/slow.html', script, msPerStep: 50_000 }]);
			return { parameters: { knowledgeBaseId, dataSourceId, watch: 'documents', documentIds: ids.join(','), pollInterval: 5 }, input: [{}] };
		},
		trigger(sim) {
			const knowledgeBaseId = sim.bedrock.addKnowledgeBase();
			const dataSourceId = sim.bedrock.addDataSource(knowledgeBaseId, { type: 'CUSTOM' });
			const inProgress = [{ state: { status: 'IN_PROGRESS' as const } }];
			const [held] = sim.bedrock.addDocuments(knowledgeBaseId, dataSourceId, [{ id: 'docs/held.html', script: inProgress }]);
			return {
				parameters: { knowledgeBaseId, dataSourceId, watch: 'documents', documentIds: held },
				held,
				// Ingested again: still in progress, with a new updatedAt.
				change: () => sim.bedrock.addDocuments(knowledgeBaseId, dataSourceId, [{ id: held, script: inProgress }]),
				returnsToSameValues: false,
			};
		},
		node: () => new AmazonBedrockKnowledgeBase(),
		triggerNode: () => new AmazonBedrockKnowledgeBaseTrigger(),
		credentialType: () => new AmazonBedrockKnowledgeBaseApi(),
		credentials: (sim) => ({ type: 'amazonBedrockKnowledgeBaseApi', data: { ...BEDROCK, region: 'us-east-1', endpoint: sim.bedrock.baseUrl } }),
	},
	{
		vendor: 'bailian',
		heldStatus: 'processing',
		setUp(sim) {
			sim.bailian.addAccessKey(BAILIAN.accessKeyId, BAILIAN.accessKeySecret);
			bailianWorkspaces.set(sim, sim.bailian.addWorkspace());
		},
		held(sim) {
			const indexId = sim.bailian.addIndex(bailianWorkspaces.get(sim) as string);
			const job = sim.bailian.submitJob(indexId, {
				documents: [
					{ name: 'quick.pdf', runMs: 5000 },
					{ name: 'held.pdf', runMs: HOURS_10 },
				],
			});
			return { parameters: { indexId, jobId: job, pollInterval: 5 }, input: [{}], held: sim.bailian.documentIds(job)[1] };
		},
		steady(sim) {
			const indexId = sim.bailian.addIndex(bailianWorkspaces.get(sim) as string);
			// Bailian shows no figure: the job waits (PENDING), then its document runs, then it ends.
			const job = sim.bailian.submitJob(indexId, { pendingMs: 50_000, documents: [{ name: 'slow.pdf', appearAfterMs: 50_000, runMs: 50_000 }] });
			return { parameters: { indexId, jobId: job, pollInterval: 5 }, input: [{}] };
		},
		trigger(sim) {
			const indexId = sim.bailian.addIndex(bailianWorkspaces.get(sim) as string);
			const job = sim.bailian.submitJob(indexId, { documents: [{ name: 'held.pdf', runMs: HOURS_10 }] });
			const [held] = sim.bailian.documentIds(job);
			let finished = false;
			return {
				parameters: { indexId, watch: 'index' },
				held,
				// Ends, then is indexed again (and sticks again): called twice, a minute apart.
				change() {
					if (!finished) sim.bailian.endDocument(held);
					else sim.bailian.reindexDocument(held, HOURS_10);
					finished = !finished;
				},
				returnsToSameValues: true,
			};
		},
		node: () => new BailianKnowledge(),
		triggerNode: () => new BailianKnowledgeTrigger(),
		credentialType: () => new BailianApi(),
		credentials: (sim) => ({
			type: 'bailianApi',
			data: { ...BAILIAN, region: 'custom', endpoint: sim.bailian.endpoint, workspaceId: bailianWorkspaces.get(sim) as string },
		}),
	},
	{
		vendor: 'openai',
		heldStatus: 'processing',
		setUp: (sim) => sim.openai.addApiKey(OPENAI_KEY),
		held(sim) {
			const vectorStoreId = sim.openai.addVectorStore();
			const { batchId, fileIds } = sim.openai.addBatch(vectorStoreId, [
				{ filename: 'quick.pdf', script: openAiScript({ inProgress: 1 }), msPerStep: 5000 },
				{ filename: 'held.pdf', script: [{ state: { status: 'in_progress' } }] },
			]);
			return { parameters: { vectorStoreId, watch: 'fileBatch', batchId, fileNames: true, pollInterval: 5 }, input: [{}], held: fileIds[1] };
		},
		// A vector store file shows in_progress and then its final status, nothing between; a file of
		// a running batch counts as changing while the batch's file_counts move. Here one file a
		// batch finishes every 10 s, the last after 110 s.
		steady(sim) {
			const vectorStoreId = sim.openai.addVectorStore();
			const { batchId } = sim.openai.addBatch(
				vectorStoreId,
				Array.from({ length: 11 }, (_, i) => ({ filename: `turn-${i}.pdf`, script: openAiScript({ inProgress: i + 1 }), msPerStep: 10_000 })),
			);
			return { parameters: { vectorStoreId, watch: 'fileBatch', batchId, pollInterval: 5 }, input: [{}], held: '' };
		},
		trigger(sim) {
			const vectorStoreId = sim.openai.addVectorStore();
			const [held] = sim.openai.addFiles(vectorStoreId, [{ filename: 'held.pdf', script: [{ state: { status: 'in_progress' } }] }]);
			return {
				parameters: { vectorStoreId, watch: 'vectorStore' },
				held,
				// Processed again: completed for a minute, then in progress again.
				change: () => sim.openai.setScript(vectorStoreId, held, [{ state: { status: 'completed' } }, { state: { status: 'in_progress' } }], MINUTE),
				returnsToSameValues: true,
			};
		},
		node: () => new OpenAiVectorStore(),
		triggerNode: () => new OpenAiVectorStoreTrigger(),
		credentialType: () => new OpenAiVectorStoreApi(),
		credentials: (sim) => ({ type: 'openAiVectorStoreApi', data: { apiKey: OPENAI_KEY, baseUrl: sim.openai.baseUrl } }),
	},
];

describe.each(rigs)('$vendor: stuck documents', (rig) => {
	let sim: Simulator;
	let unwire: () => void;

	beforeAll(async () => {
		sim = await startSimulator({ seed: 16 });
		unwire = useSimulatorTime(time, sim);
		rig.setUp(sim);
	});

	afterAll(async () => {
		unwire();
		await sim.close();
	});

	const wait = (setUp: WaitSetUp, extra: INodeParameters) =>
		runNode({
			node: rig.node(),
			parameters: { operation: 'waitUntilIndexed', timeout: 3600, ...setUp.parameters, ...extra },
			input: setUp.input,
			credentials: rig.credentials(sim),
			credentialTypes: [rig.credentialType()],
		});

	it(`ends a wait early on a document held ${rig.heldStatus}, with wait.stuck and stuckSince`, async () => {
		const setUp = rig.held(sim);
		const start = sim.now();
		const result = await wait(setUp, { options: { stuckAfter: 120 } });
		expect(result.error).toBeUndefined();
		const held = result.items.find((item) => item.json.documentId === setUp.held);
		const others = result.items.filter((item) => item !== held);
		expect(held?.json).toMatchObject({ status: rig.heldStatus, terminal: false, wait: { stuck: true, timedOut: false } });
		// Seen as it is from the first poll on; the wait ends at the first look 120 s later.
		const since = Date.parse(held?.json.stuckSince as string);
		expect(since - start).toBeLessThan(10_000);
		const waited = (held?.json.wait as { waitedSeconds: number }).waitedSeconds;
		expect(waited).toBeGreaterThanOrEqual(120);
		expect(waited).toBeLessThan(140);
		expect(others.map((item) => item.json)).toEqual([expect.objectContaining({ status: 'completed', wait: expect.objectContaining({ stuck: true }) })]);
		expect(others[0].json.stuckSince).toBeUndefined();
	});

	it('with On Timeout: Error, fails naming the stuck document and since when', async () => {
		const setUp = rig.held(sim);
		const result = await wait(setUp, { onTimeout: 'error', options: { stuckAfter: 60 } });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^Stuck: 1 of 2 documents stopped changing before they were indexed: /);
		expect(result.error?.message).toContain(`(${rig.heldStatus} since 20`);
		// Dify's batch call gives no names: the document is named by its id (OpenAI's by its file,
		// looked up with Look Up File Names).
		expect(result.error?.message).toContain(rig.vendor === 'dify' ? setUp.held : 'held.');
	});

	it('never calls a document stuck that changes slowly but steadily', async () => {
		const setUp = rig.steady(sim);
		const start = sim.now();
		const result = await wait(setUp, { options: { stuckAfter: 60 } });
		expect(result.error).toBeUndefined();
		expect(result.items.length).toBeGreaterThan(0);
		for (const item of result.items) {
			expect(item.json).toMatchObject({ status: 'completed', wait: { stuck: false, timedOut: false } });
			expect(item.json.stuckSince).toBeUndefined();
		}
		// It took longer than Stuck After: only its steady changes kept it from counting as stuck.
		expect(sim.now() - start).toBeGreaterThan(90_000);
	});

	describe.each(['default', 'durable'] as const)('the Document Stuck trigger, %s persistence', (persistence) => {
		it('reports a held document once across restarts, and again after it changes and sticks anew', async () => {
			const setUp = rig.trigger(sim);
			// It has been sitting there for two hours before the trigger is switched on.
			sim.advanceClock(120 * MINUTE);
			let live: IDataObject = {};
			let saved: IDataObject = {};
			const restarts = new Set([5, 12, 25]);
			const pollTimes: number[] = [];
			const reports: Array<[number, string, string]> = [];
			// The document changes between polls 20 and 21 (for Bailian, it ends then, and is
			// indexed again between polls 21 and 22).
			const changes = new Set(rig.vendor === 'bailian' ? [20, 21] : [20]);
			const start = sim.now();
			for (let k = 0; k <= 50; k++) {
				if (changes.has(k - 1)) {
					sim.advanceClock(Math.max(0, start + (k - 0.5) * MINUTE - sim.now()));
					setUp.change();
				}
				sim.advanceClock(Math.max(0, start + k * MINUTE - sim.now()));
				const activation = k === 0 || restarts.has(k);
				if (k > 0 && restarts.has(k)) live = JSON.parse(JSON.stringify(saved)) as IDataObject;
				const result = await runPoll({
					node: rig.triggerNode(),
					parameters: { ...setUp.parameters, event: 'documentStuck', stuckAfterMinutes: 10 },
					credentials: rig.credentials(sim),
					credentialTypes: [rig.credentialType()],
					staticData: live,
				});
				pollTimes.push(sim.now());
				if (persistence === 'durable' || activation || result.items !== null) saved = JSON.parse(JSON.stringify(live)) as IDataObject;
				for (const item of result.items?.[0] ?? []) {
					reports.push([k, item.json.documentId as string, item.json.stuckSince as string]);
					expect(item.json).toMatchObject({ status: 'processing', terminal: false });
				}
			}
			const at = (k: number) => new Date(pollTimes[k]).toISOString();
			// The first poll after the change that shows the new values.
			const changedAt = rig.vendor === 'kendra' || rig.vendor === 'bailian' || rig.vendor === 'openai' ? 22 : 21;
			// Its clock starts at the first poll (for a whole knowledge base, the baseline), not
			// two hours earlier; a restart before it is reported keeps that clock. A restart of the
			// default mode forgets what polls that emitted nothing saw: after the one at 25, a
			// changed document counts from 25, and one back at the values it was reported with
			// continues that spell (see the README).
			let second: Array<[number, string, string]> = [[changedAt + 10, setUp.held, at(changedAt)]];
			if (persistence === 'default') second = setUp.returnsToSameValues ? [] : [[35, setUp.held, at(25)]];
			expect(reports).toEqual([[10, setUp.held, at(0)], ...second]);
		});
	});
});
