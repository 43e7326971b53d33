/**
 * The documents behind the end-to-end trigger check (e2e/trigger-check.js), for e2e/simulator.ts.
 *
 * For each of n8n's two ways of running polling triggers ("default" and "durable", see
 * README.md, "What survives a restart of n8n"), every vendor's trigger watches, once with
 * Document Finished and once with All Finished:
 * - its whole dataset, index, vector store or data source (Dify, Coze, Bailian, OpenAI, Bedrock;
 *   Kendra has no listing): two documents finished long ago (the baseline, never reported),
 *   three still processing;
 * - a fixed set (a Dify batch, Coze document ids, a Bailian job, Kendra or Bedrock document
 *   ids, an OpenAI file batch): one document already finished when the trigger starts, three
 *   still processing.
 * Each (mode, vendor, watch, event) gets a knowledge base of its own, so the triggers cannot
 * disturb each other, and the simulator's request log tells their calls apart.
 *
 * Processing documents stay processing until the runner moves the stage on (`stage()`), which it
 * does while n8n is stopped or between two polls:
 *   stage 1: one processing document completes; a new document arrives already completed
 *            (whole dataset only);
 *   stage 2: one fails;
 *   stage 3: the last one completes, so every document has finished.
 * So Document Finished must report every document except the baseline exactly once, and All
 * Finished must fire exactly once, after stage 3.
 *
 * Each mode also has one Document Stuck trigger, on a whole Dify dataset with Stuck After
 * (Minutes) at STUCK_AFTER_MINUTES: its processing documents do not change until their stage, so
 * each is reported stuck once (the stage 2 and 3 ones surely; the stage 1 one if a poll found it
 * still for long enough before it completed), and the baseline and the new document never.
 */
import {
	type BedrockDocumentScript,
	type CozeScript,
	type DifyScript,
	type KendraScript,
	type Simulator,
	cozeCompletedScript,
	difyCompletedScript,
	kendraIndexedScript,
	type OpenAiScript,
	openAiScript,
} from '../test/simulator';

export type TriggerMode = 'default' | 'durable';
export type TriggerVendor = 'dify' | 'coze' | 'bailian' | 'kendra' | 'openai' | 'bedrock';
export type TriggerWatch = 'whole' | 'fixed';
export type TriggerEvent = 'documentFinished' | 'allFinished' | 'documentStuck';
/** When a document finishes: before the trigger starts (`history`, `early`), or at a stage. */
export type TriggerRole = 'history' | 'early' | 'stage1' | 'new1' | 'stage2' | 'stage3';

export interface TriggerDocument {
	id: string;
	role: TriggerRole;
	/** How it ends: `failed` for the stage 2 document, else `completed`. */
	ends: 'completed' | 'failed';
}

export interface TriggerCase {
	key: string;
	mode: TriggerMode;
	vendor: TriggerVendor;
	watch: TriggerWatch;
	event: TriggerEvent;
	/** The trigger's parameters that name what it watches (datasetId, batch, indexId, jobId, documentIds). */
	target: Record<string, string>;
	/** The dataset or index id, which every status call of this case carries (path, query or body). */
	marker: string;
	documents: TriggerDocument[];
	/** Document Stuck only: its Stuck After (Minutes). */
	stuckAfterMinutes?: number;
}

export const TRIGGER_MODES: TriggerMode[] = ['default', 'durable'];
/** The Document Stuck trigger's Stuck After (Minutes): 12 s, under the 15 s between its polls. */
export const STUCK_AFTER_MINUTES = 0.2;
const FAILURE = 'No text could be extracted';
// A processing document is observed a few times a minute; this many observations is hours.
const HELD = 100_000;

interface VendorFixtures {
	/** Creates the knowledge base and its documents; returns the case without key/mode/event. */
	whole?(name: string): { target: Record<string, string>; marker: string; documents: TriggerDocument[]; addNew: () => string };
	fixed(name: string): { target: Record<string, string>; marker: string; documents: TriggerDocument[] };
	end(c: TriggerCase, documentId: string, how: 'completed' | 'failed'): void;
}

const wholeRoles: Array<[TriggerRole, TriggerDocument['ends']]> = [
	['history', 'completed'],
	['history', 'completed'],
	['stage1', 'completed'],
	['stage2', 'failed'],
	['stage3', 'completed'],
];
const fixedRoles: Array<[TriggerRole, TriggerDocument['ends']]> = [
	['early', 'completed'],
	['stage1', 'completed'],
	['stage2', 'failed'],
	['stage3', 'completed'],
];
const finishedBeforeStart = (role: TriggerRole) => role === 'history' || role === 'early';

function vendorFixtures(sim: Simulator, bailianWorkspaceId: string): Record<TriggerVendor, VendorFixtures> {
	const difyHeld: DifyScript = [{ state: { indexing_status: 'indexing', completed_segments: 1, total_segments: 3, error: null }, repeat: HELD }];
	const difyFailed: DifyScript = [{ state: { indexing_status: 'error', completed_segments: 1, total_segments: 3, error: FAILURE } }];
	const cozeHeld: CozeScript = [{ state: { status: 0, progress: 40, remaining_time: 60 }, repeat: HELD }];
	const cozeFailed: CozeScript = [{ state: { status: 9, progress: 40, remaining_time: 0, status_descript: FAILURE } }];
	const kendraHeld: KendraScript = [{ state: { status: 'PROCESSING' }, repeat: HELD }];
	const kendraFailed: KendraScript = [{ state: { status: 'FAILED', failureCode: 'InvalidRequest', failureReason: FAILURE } }];
	const openAiHeld: OpenAiScript = [{ state: { status: 'in_progress' }, repeat: HELD }];
	const openAiEnd = (how: 'completed' | 'failed') => (how === 'failed' ? openAiScript({ inProgress: 0, fail: 'invalid_file' }) : openAiScript({ inProgress: 0 }));
	const HOURS = 24 * 3600_000;

	const dify: VendorFixtures = {
		whole(name) {
			const datasetId = sim.dify.addDataset(undefined, { name });
			const documents = wholeRoles.map(([role, ends], i) => {
				const script = finishedBeforeStart(role) ? difyCompletedScript() : difyHeld;
				const [id] = sim.dify.addDocuments(datasetId, [{ name: `${role}-${i}.txt`, script }]).documentIds;
				return { id, role, ends };
			});
			const addNew = () => sim.dify.addDocuments(datasetId, [{ name: 'new1.txt', script: difyCompletedScript() }]).documentIds[0];
			return { target: { datasetId }, marker: datasetId, documents, addNew };
		},
		fixed(name) {
			const datasetId = sim.dify.addDataset(undefined, { name });
			const { batch, documentIds } = sim.dify.addDocuments(
				datasetId,
				fixedRoles.map(([role], i) => ({ name: `${role}-${i}.txt`, script: finishedBeforeStart(role) ? difyCompletedScript() : difyHeld })),
			);
			return { target: { datasetId, batch }, marker: datasetId, documents: documentIds.map((id, i) => ({ id, role: fixedRoles[i][0], ends: fixedRoles[i][1] })) };
		},
		end(c, id, how) {
			sim.dify.setScript(c.marker, id, how === 'failed' ? difyFailed : difyCompletedScript());
		},
	};

	const coze: VendorFixtures = {
		whole(name) {
			const datasetId = sim.coze.addDataset(undefined, { name });
			const documents = wholeRoles.map(([role, ends], i) => {
				const [id] = sim.coze.addDocuments(datasetId, [{ name: `${role}-${i}.txt`, script: finishedBeforeStart(role) ? cozeCompletedScript() : cozeHeld }]);
				return { id, role, ends };
			});
			const addNew = () => sim.coze.addDocuments(datasetId, [{ name: 'new1.txt', script: cozeCompletedScript() }])[0];
			return { target: { datasetId }, marker: datasetId, documents, addNew };
		},
		fixed(name) {
			const datasetId = sim.coze.addDataset(undefined, { name });
			const ids = sim.coze.addDocuments(
				datasetId,
				fixedRoles.map(([role], i) => ({ name: `${role}-${i}.txt`, script: finishedBeforeStart(role) ? cozeCompletedScript() : cozeHeld })),
			);
			return { target: { datasetId, documentIds: ids.join(', ') }, marker: datasetId, documents: ids.map((id, i) => ({ id, role: fixedRoles[i][0], ends: fixedRoles[i][1] })) };
		},
		end(_c, id, how) {
			sim.coze.setScript(id, how === 'failed' ? cozeFailed : cozeCompletedScript());
		},
	};

	const bailian: VendorFixtures = {
		whole(name) {
			const indexId = sim.bailian.addIndex(bailianWorkspaceId, { name });
			const history = sim.bailian.addFinishedDocuments(indexId, ['history-0.pdf', 'history-1.pdf']);
			const running = wholeRoles.filter(([role]) => !finishedBeforeStart(role));
			const job = sim.bailian.submitJob(indexId, { documents: running.map(([role], i) => ({ name: `${role}-${i + 2}.pdf`, runMs: HOURS })) });
			const documents = [
				...history.map((id) => ({ id, role: 'history' as const, ends: 'completed' as const })),
				...sim.bailian.documentIds(job).map((id, i) => ({ id, role: running[i][0], ends: running[i][1] })),
			];
			const addNew = () => sim.bailian.addFinishedDocuments(indexId, ['new1.pdf'])[0];
			return { target: { indexId }, marker: indexId, documents, addNew };
		},
		fixed(name) {
			const indexId = sim.bailian.addIndex(bailianWorkspaceId, { name });
			const jobId = sim.bailian.submitJob(indexId, {
				documents: fixedRoles.map(([role], i) => ({ name: `${role}-${i}.pdf`, runMs: finishedBeforeStart(role) ? 0 : HOURS })),
			});
			return {
				target: { indexId, jobId },
				marker: indexId,
				documents: sim.bailian.documentIds(jobId).map((id, i) => ({ id, role: fixedRoles[i][0], ends: fixedRoles[i][1] })),
			};
		},
		end(_c, id, how) {
			sim.bailian.endDocument(id, how === 'failed' ? 'INSERT_ERROR' : 'FINISH');
		},
	};

	const kendra: VendorFixtures = {
		fixed(name) {
			const indexId = sim.kendra.addIndex(undefined, { name });
			const ids = sim.kendra.addDocuments(
				indexId,
				fixedRoles.map(([role], i) => ({ id: `trigger/${role}-${i}.md`, script: finishedBeforeStart(role) ? kendraIndexedScript() : kendraHeld })),
			);
			return { target: { indexId, documentIds: ids.join(', ') }, marker: indexId, documents: ids.map((id, i) => ({ id, role: fixedRoles[i][0], ends: fixedRoles[i][1] })) };
		},
		end(c, id, how) {
			sim.kendra.setScript(c.marker, id, how === 'failed' ? kendraFailed : kendraIndexedScript());
		},
	};

	const openai: VendorFixtures = {
		whole(name) {
			const vectorStoreId = sim.openai.addVectorStore(name);
			const documents = wholeRoles.map(([role, ends], i) => {
				const [id] = sim.openai.addFiles(vectorStoreId, [{ filename: `${role}-${i}.pdf`, script: finishedBeforeStart(role) ? openAiEnd('completed') : openAiHeld }]);
				return { id, role, ends };
			});
			const addNew = () => sim.openai.addFiles(vectorStoreId, [{ filename: 'new1.pdf', script: openAiEnd('completed') }])[0];
			return { target: { vectorStoreId }, marker: vectorStoreId, documents, addNew };
		},
		fixed(name) {
			const vectorStoreId = sim.openai.addVectorStore(name);
			const { batchId, fileIds } = sim.openai.addBatch(
				vectorStoreId,
				fixedRoles.map(([role], i) => ({ filename: `${role}-${i}.pdf`, script: finishedBeforeStart(role) ? openAiEnd('completed') : openAiHeld })),
			);
			return { target: { vectorStoreId, batchId }, marker: vectorStoreId, documents: fileIds.map((id, i) => ({ id, role: fixedRoles[i][0], ends: fixedRoles[i][1] })) };
		},
		end(c, id, how) {
			sim.openai.setScript(c.marker, id, openAiEnd(how));
		},
	};

	// Bedrock: a custom data source of its own per case; the marker is the data source id, which
	// every call's path carries. A document ends by being put again with its last status.
	const bedrockHeld: BedrockDocumentScript = [{ state: { status: 'IN_PROGRESS' }, repeat: HELD }];
	const bedrockEnded = (how: 'completed' | 'failed'): BedrockDocumentScript => [
		{ state: how === 'failed' ? { status: 'FAILED', statusReason: FAILURE } : { status: 'INDEXED' } },
	];
	const bedrockKnowledgeBase = new Map<string, string>();
	const bedrockDataSource = (name: string) => {
		const knowledgeBaseId = sim.bedrock.addKnowledgeBase({ name: name.replace(/[^0-9a-zA-Z_-]/g, '-') });
		const dataSourceId = sim.bedrock.addDataSource(knowledgeBaseId, { type: 'CUSTOM' });
		bedrockKnowledgeBase.set(dataSourceId, knowledgeBaseId);
		return { knowledgeBaseId, dataSourceId };
	};
	const bedrock: VendorFixtures = {
		whole(name) {
			const { knowledgeBaseId, dataSourceId } = bedrockDataSource(name);
			const ids = sim.bedrock.addDocuments(
				knowledgeBaseId,
				dataSourceId,
				wholeRoles.map(([role], i) => ({ id: `trigger-${role}-${i}`, script: finishedBeforeStart(role) ? bedrockEnded('completed') : bedrockHeld })),
			);
			const addNew = () => sim.bedrock.addDocuments(knowledgeBaseId, dataSourceId, [{ id: 'trigger-new1', script: bedrockEnded('completed') }])[0];
			return {
				target: { knowledgeBaseId, dataSourceId },
				marker: dataSourceId,
				documents: ids.map((id, i) => ({ id, role: wholeRoles[i][0], ends: wholeRoles[i][1] })),
				addNew,
			};
		},
		fixed(name) {
			const { knowledgeBaseId, dataSourceId } = bedrockDataSource(name);
			const ids = sim.bedrock.addDocuments(
				knowledgeBaseId,
				dataSourceId,
				fixedRoles.map(([role], i) => ({ id: `trigger-${role}-${i}`, script: finishedBeforeStart(role) ? bedrockEnded('completed') : bedrockHeld })),
			);
			return {
				target: { knowledgeBaseId, dataSourceId, documentIds: ids.join(', ') },
				marker: dataSourceId,
				documents: ids.map((id, i) => ({ id, role: fixedRoles[i][0], ends: fixedRoles[i][1] })),
			};
		},
		end(c, id, how) {
			sim.bedrock.addDocuments(bedrockKnowledgeBase.get(c.marker) as string, c.marker, [{ id, script: bedrockEnded(how) }]);
		},
	};

	return { dify, coze, bailian, kendra, openai, bedrock };
}

export interface TriggerFixtures {
	cases(mode?: TriggerMode): TriggerCase[];
	/** Moves every case of the mode to the stage (1, 2 or 3, in order). */
	stage(mode: TriggerMode, stage: number): TriggerCase[];
	/** Status calls per case since a wall-clock time (ms), from the simulator's request log. */
	calls(mode: TriggerMode, since: number): Record<string, number>;
}

export function createTriggerFixtures(sim: Simulator, bailianWorkspaceId: string): TriggerFixtures {
	const fixtures = vendorFixtures(sim, bailianWorkspaceId);
	const all: TriggerCase[] = [];
	const addNew = new Map<string, () => string>();
	const reached = new Map<TriggerMode, number>(TRIGGER_MODES.map((mode) => [mode, 0]));

	for (const mode of TRIGGER_MODES) {
		for (const vendor of ['dify', 'coze', 'bailian', 'kendra', 'openai', 'bedrock'] as const) {
			for (const watch of ['whole', 'fixed'] as const) {
				const { whole, fixed } = fixtures[vendor];
				if (watch === 'whole' && !whole) continue;
				// Document Stuck on one whole dataset per mode is enough to run the event in real n8n.
				const stuck = vendor === 'dify' && watch === 'whole' ? (['documentStuck'] as const) : [];
				for (const event of ['documentFinished', 'allFinished', ...stuck] as const) {
					const key = `${mode}/${vendor}/${watch}/${event}`;
					const stuckAfter = event === 'documentStuck' ? { stuckAfterMinutes: STUCK_AFTER_MINUTES } : {};
					if (watch === 'whole' && whole) {
						const made = whole(`trigger ${key}`);
						addNew.set(key, made.addNew);
						all.push({ key, mode, vendor, watch, event, target: made.target, marker: made.marker, documents: made.documents, ...stuckAfter });
					} else {
						const made = fixed(`trigger ${key}`);
						all.push({ key, mode, vendor, watch, event, target: made.target, marker: made.marker, documents: made.documents, ...stuckAfter });
					}
				}
			}
		}
	}

	return {
		cases: (mode) => all.filter((c) => mode === undefined || c.mode === mode),
		stage(mode, stage) {
			const previous = reached.get(mode) ?? 0;
			if (stage !== previous + 1 || stage > 3) throw new Error(`mode ${mode} is at stage ${previous}; the next stage is ${previous + 1} (of 3)`);
			for (const c of all.filter((x) => x.mode === mode)) {
				for (const doc of c.documents.filter((d) => d.role === `stage${stage}`)) fixtures[c.vendor].end(c, doc.id, doc.ends);
				const add = addNew.get(c.key);
				if (stage === 1 && add) c.documents.push({ id: add(), role: 'new1', ends: 'completed' });
			}
			reached.set(mode, stage);
			return all.filter((c) => c.mode === mode);
		},
		calls(mode, since) {
			const counts: Record<string, number> = {};
			for (const c of all.filter((x) => x.mode === mode)) counts[c.key] = 0;
			for (const request of sim.requests) {
				if (request.at < since) continue;
				const text = `${request.path} ${JSON.stringify(request.query)} ${request.body}`;
				const c = all.find((x) => x.mode === mode && text.includes(x.marker));
				if (c) counts[c.key] += 1;
			}
			return counts;
		},
	};
}
