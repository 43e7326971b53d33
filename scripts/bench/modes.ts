/**
 * The vendors and watch modes the benchmark measures, each with what it takes to put documents
 * on the simulator, run the package's node, read what the simulator told a client, and make the
 * one-document call of the hand-built loop.
 */
import type { ICredentialType, IDataObject, IHttpRequestOptions, INodeParameters, INodeType } from 'n8n-workflow';

import { AmazonBedrockKnowledgeBaseApi } from '../../credentials/AmazonBedrockKnowledgeBaseApi.credentials';
import { AmazonKendraApi } from '../../credentials/AmazonKendraApi.credentials';
import { BailianApi } from '../../credentials/BailianApi.credentials';
import { CozeApi } from '../../credentials/CozeApi.credentials';
import { DifyKnowledgeApi } from '../../credentials/DifyKnowledgeApi.credentials';
import { AmazonBedrockKnowledgeBase } from '../../nodes/AmazonBedrockKnowledgeBase/AmazonBedrockKnowledgeBase.node';
import { STATUS_BATCH_SIZE as BEDROCK_BATCH_SIZE } from '../../nodes/AmazonBedrockKnowledgeBase/AmazonBedrockKnowledgeBaseAdapter';
import { AmazonKendra } from '../../nodes/AmazonKendra/AmazonKendra.node';
import { STATUS_BATCH_SIZE } from '../../nodes/AmazonKendra/AmazonKendraAdapter';
import { BailianKnowledge } from '../../nodes/Bailian/BailianKnowledge.node';
import { CozeKnowledge } from '../../nodes/Coze/CozeKnowledge.node';
import { PROCESS_CHUNK_SIZE } from '../../nodes/Coze/CozeAdapter';
import { DifyKnowledge } from '../../nodes/Dify/DifyKnowledge.node';
import { OpenAiVectorStoreApi } from '../../credentials/OpenAiVectorStoreApi.credentials';
import { LIST_PAGE_SIZE } from '../../nodes/OpenAi/OpenAiVectorStoreAdapter';
import { OpenAiVectorStore } from '../../nodes/OpenAi/OpenAiVectorStore.node';
import type { HarnessCredentials } from '../../test/harness';
import type { DifyScript, JsonValue, Simulator, VendorResponse } from '../../test/simulator';
import { bedrockDocumentScript, cozeScript, kendraScript, openAiScript } from '../../test/simulator';

export type VendorKey = 'dify' | 'coze' | 'bailian' | 'kendra' | 'openai' | 'bedrock';

export interface PlannedDocument {
	name: string;
	/** Simulator ms after the start at which it ends. */
	finishMs: number;
	fail: boolean;
}

export interface Placed {
	/** Vendor ids, in plan order. */
	ids: string[];
	parameters: INodeParameters;
	input: IDataObject[];
	/** What the loop needs to address a document (Bailian: its name). */
	handles: Map<string, string>;
}

export interface Mode {
	key: string;
	label: string;
	vendor: VendorKey;
	/** The vendor's default Poll Interval, which the node and the loop both use. */
	intervalSeconds: number;
	/** The most documents one status call can answer for: the minimal-call limit's divisor. */
	largestBatch: number;
	largestBatchNote: string;
	/**
	 * Calls that any client needs once, on top of the status calls, to learn each document's
	 * answer (OpenAI: the batch call counts files; naming them takes listing pages of 100).
	 */
	namingCalls?: (documents: number) => number;
	/** Why per-document detection latency says little for this mode, where that is so. */
	latencyNote?: string;
	/** The share of the loop's calls the package aims at (default 0.1). */
	loopShareTarget?: number;
	/** Path of the status calls, for the heap measurement's poll count. */
	statusPath: RegExp;
	node(): INodeType;
	credentialType(): ICredentialType;
	credentials(sim: Simulator): HarnessCredentials;
	/** Keys, a knowledge base, and the documents of the plan, timed from now. */
	place(sim: Simulator, plan: PlannedDocument[]): Placed;
	/** Documents an answer of the simulator reports, and whether each has ended. */
	served(path: string, response: VendorResponse): Array<{ id: string; terminal: boolean }>;
	/** The hand-built loop's call about one document. */
	loopRequest(sim: Simulator, placed: Placed, id: string): IHttpRequestOptions;
	/** Whether the loop's IF sees the document as done, from that call's answer. */
	loopDone(body: unknown): boolean;
}

const DIFY_KEY = 'dataset-Bench0Standard0Key00000';
const COZE_TOKEN = 'pat_Bench0Standard0Token000000000';
const KENDRA = { accessKeyId: 'AKIABENCHSTANDARD001', secretAccessKey: 'benchStandardSecret/0000000000000000000000' };
const BEDROCK = { accessKeyId: 'AKIABENCHSTANDARD002', secretAccessKey: 'benchStandardBedrock/000000000000000000000' };
const BAILIAN = { accessKeyId: 'LTAI5tBenchStandard00001', accessKeySecret: 'benchStandardBailianSecret00000' };
const OPENAI_KEY = 'sk-proj-Bench0Standard0Key000000000000';

const workspaces = new WeakMap<Simulator, string>();
const knowledgeBases = new WeakMap<Simulator, string>();

function object(value: unknown): Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function list(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

/** A simulator answer's body as plain JSON (its 64-bit literals come back as strings). */
function plain(body: JsonValue | undefined): unknown {
	return body === undefined ? undefined : JSON.parse(JSON.stringify(body));
}

/** Steps that end exactly at `finishMs`: a timed script of `steps` states, the last one final. */
function stepMs(finishMs: number, steps: number): number {
	return Math.max(1, finishMs / steps);
}

function difyScriptEnding(fail: boolean, steps = 8): DifyScript {
	const script: Array<DifyScript[number]> = [{ state: { indexing_status: 'waiting', completed_segments: 0, total_segments: 0 } }];
	for (let i = 1; i < steps; i++) {
		script.push({ state: { indexing_status: 'indexing', completed_segments: i - 1, total_segments: steps } });
	}
	script.push({
		state: fail
			? { indexing_status: 'error', completed_segments: steps / 2, total_segments: steps, error: 'Text extraction failed' }
			: { indexing_status: 'completed', completed_segments: steps, total_segments: steps },
	});
	return script;
}

const DIFY_TERMINAL = new Set(['completed', 'error']);
const COZE_TERMINAL = new Set(['1', '9']);
const KENDRA_TERMINAL = new Set(['INDEXED', 'UPDATED', 'FAILED', 'UPDATE_FAILED']);
const BAILIAN_TERMINAL = new Set(['FINISH', 'INSERT_ERROR', 'DELETED']);
const OPENAI_TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const BEDROCK_TERMINAL = new Set(['INDEXED', 'PARTIALLY_INDEXED', 'METADATA_PARTIALLY_INDEXED', 'FAILED', 'METADATA_UPDATE_FAILED', 'IGNORED', 'DELETING', 'DELETE_IN_PROGRESS', 'NOT_FOUND']);
const dataSources = new WeakMap<Simulator, string>();

function difyMode(watch: 'batch' | 'documents'): Mode {
	return {
		key: watch === 'batch' ? 'dify-batch' : 'dify-ids',
		label: watch === 'batch' ? 'Dify, a batch' : 'Dify, document ids',
		vendor: 'dify',
		intervalSeconds: 5,
		// The batch call answers for the whole batch; by id, a listing page holds 100 documents.
		largestBatch: watch === 'batch' ? Number.POSITIVE_INFINITY : 100,
		largestBatchNote: watch === 'batch' ? 'one call answers for the whole batch' : 'a listing page holds 100 documents',
		statusPath: /^\/datasets\/[^/]+\/documents(\/[^/]+(\/indexing-status)?)?$/,
		node: () => new DifyKnowledge(),
		credentialType: () => new DifyKnowledgeApi(),
		credentials: (sim) => ({ type: 'difyKnowledgeApi', data: { apiKey: DIFY_KEY, baseUrl: sim.dify.baseUrl } }),
		place(sim, plan) {
			sim.dify.addApiKey(DIFY_KEY);
			const datasetId = sim.dify.addDataset();
			knowledgeBases.set(sim, datasetId);
			const steps = 8;
			const { batch, documentIds } = sim.dify.addDocuments(
				datasetId,
				plan.map((d) => ({ name: d.name, script: difyScriptEnding(d.fail, steps), msPerStep: stepMs(d.finishMs, steps) })),
			);
			const parameters: INodeParameters =
				watch === 'batch'
					? { datasetId, watch: 'batch', batch: '={{ $json.batch }}' }
					: { datasetId, watch: 'documents', documentIds: '={{ $json.ids }}' };
			return { ids: documentIds, parameters, input: [watch === 'batch' ? { batch } : { ids: documentIds }], handles: new Map() };
		},
		served(path, response) {
			const body = object(plain(response.body));
			const entries = /\/documents\/[^/]+$/.test(path) ? [body] : list(body.data);
			return entries.map((entry) => {
				const e = object(entry);
				return { id: String(e.id), terminal: DIFY_TERMINAL.has(String(e.indexing_status)) };
			});
		},
		loopRequest: (sim, _placed, id) => ({
			method: 'GET',
			url: `${sim.dify.baseUrl}/datasets/${knowledgeBases.get(sim)}/documents/${id}`,
		}),
		loopDone: (body) => DIFY_TERMINAL.has(String(object(body).indexing_status)),
	};
}

const coze: Mode = {
	key: 'coze',
	label: 'Coze, document ids',
	vendor: 'coze',
	intervalSeconds: 5,
	largestBatch: PROCESS_CHUNK_SIZE,
	largestBatchNote: `the package sends ${PROCESS_CHUNK_SIZE} ids a call (Coze documents no maximum; 10 is the smallest limit of its document calls)`,
	statusPath: /\/process$/,
	node: () => new CozeKnowledge(),
	credentialType: () => new CozeApi(),
	credentials: (sim) => ({ type: 'cozeApi', data: { accessToken: COZE_TOKEN, region: 'custom', baseUrl: sim.coze.baseUrl } }),
	place(sim, plan) {
		sim.coze.addToken(COZE_TOKEN);
		const datasetId = sim.coze.addDataset();
		knowledgeBases.set(sim, datasetId);
		const steps = 6;
		const ids = sim.coze.addDocuments(
			datasetId,
			plan.map((d) => ({
				name: d.name,
				// remaining_time counts down to the very moment the document ends.
				script: cozeScript({ steps, secondsPerStep: stepMs(d.finishMs, steps) / 1000, fail: d.fail ? 'The file could not be parsed' : undefined }),
				msPerStep: stepMs(d.finishMs, steps),
			})),
		);
		return { ids, parameters: { datasetId, documentIds: '={{ $json.ids }}' }, input: [{ ids }], handles: new Map() };
	},
	served(_path, response) {
		const entries = list(object(object(plain(response.body)).data).data);
		return entries.map((entry) => {
			const e = object(entry);
			return { id: String(e.document_id), terminal: COZE_TERMINAL.has(String(e.status)) };
		});
	},
	loopRequest: (sim, _placed, id) => ({
		method: 'POST',
		url: `${sim.coze.baseUrl}/v1/datasets/${knowledgeBases.get(sim)}/process`,
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ document_ids: [id] }),
	}),
	loopDone: (body) => list(object(object(body).data).data).some((entry) => COZE_TERMINAL.has(String(object(entry).status))),
};

const kendra: Mode = {
	key: 'kendra',
	label: 'Amazon Kendra, document ids',
	vendor: 'kendra',
	intervalSeconds: 5,
	largestBatch: STATUS_BATCH_SIZE,
	largestBatchNote: `BatchGetDocumentStatus takes at most ${STATUS_BATCH_SIZE} ids`,
	statusPath: /^\/$/,
	node: () => new AmazonKendra(),
	credentialType: () => new AmazonKendraApi(),
	credentials: (sim) => ({ type: 'amazonKendraApi', data: { ...KENDRA, region: 'us-east-1', endpoint: sim.kendra.baseUrl } }),
	place(sim, plan) {
		sim.kendra.addAccessKey(KENDRA);
		const indexId = sim.kendra.addIndex();
		knowledgeBases.set(sim, indexId);
		const ids = sim.kendra.addDocuments(
			indexId,
			plan.map((d) => ({
				id: `s3://bench-bucket/docs/${d.name}`,
				script: kendraScript({ processing: 1, fail: d.fail ? { code: '400', reason: 'The document could not be parsed' } : undefined }),
				msPerStep: stepMs(d.finishMs, 1),
			})),
		);
		return { ids, parameters: { indexId, documentIds: '={{ $json.ids }}' }, input: [{ ids }], handles: new Map() };
	},
	served(_path, response) {
		return list(object(plain(response.body)).DocumentStatusList).map((entry) => {
			const e = object(entry);
			return { id: String(e.DocumentId), terminal: KENDRA_TERMINAL.has(String(e.DocumentStatus)) };
		});
	},
	loopRequest: (sim, _placed, id) => ({
		method: 'POST',
		url: `${sim.kendra.baseUrl}/`,
		headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSKendraFrontendService.BatchGetDocumentStatus' },
		body: JSON.stringify({ IndexId: knowledgeBases.get(sim), DocumentInfoList: [{ DocumentId: id }] }),
	}),
	loopDone: (body) => list(object(body).DocumentStatusList).some((entry) => KENDRA_TERMINAL.has(String(object(entry).DocumentStatus))),
};

const bailian: Mode = {
	key: 'bailian',
	label: 'Bailian, one job',
	vendor: 'bailian',
	intervalSeconds: 10,
	largestBatch: Number.POSITIVE_INFINITY,
	largestBatchNote: 'GetIndexJobStatus pages have no maximum size: one call answers for the whole job',
	statusPath: /\/index\/job\/status$/,
	node: () => new BailianKnowledge(),
	credentialType: () => new BailianApi(),
	credentials: (sim) => ({
		type: 'bailianApi',
		data: { ...BAILIAN, region: 'custom', endpoint: sim.bailian.endpoint, workspaceId: workspaces.get(sim) as string },
	}),
	place(sim, plan) {
		sim.bailian.addAccessKey(BAILIAN.accessKeyId, BAILIAN.accessKeySecret);
		const workspaceId = sim.bailian.addWorkspace();
		workspaces.set(sim, workspaceId);
		const indexId = sim.bailian.addIndex(workspaceId);
		knowledgeBases.set(sim, indexId);
		const jobId = sim.bailian.submitJob(indexId, {
			documents: plan.map((d) => ({ name: d.name, runMs: d.finishMs, ...(d.fail ? { result: 'INSERT_ERROR' as const } : {}) })),
		});
		const ids = sim.bailian.documentIds(jobId);
		const handles = new Map(ids.map((id, i) => [id, plan[i].name]));
		return { ids, parameters: { indexId }, input: [{ Data: { Id: jobId }, Success: true }], handles };
	},
	served(_path, response) {
		return list(object(object(plain(response.body)).Data).Documents).map((entry) => {
			const e = object(entry);
			return { id: String(e.DocId ?? e.Id), terminal: BAILIAN_TERMINAL.has(String(e.Status)) };
		});
	},
	// Bailian has no status call for one document of a job; its documented per-document check is
	// the index listing narrowed to the document's name.
	loopRequest: (sim, placed, id) => ({
		method: 'GET',
		url: `${sim.bailian.endpoint}/${workspaces.get(sim)}/index/list_index_documents`,
		qs: { IndexId: knowledgeBases.get(sim), DocumentName: placed.handles.get(id), PageNumber: 1, PageSize: 10 },
		headers: { 'x-acs-action': 'ListIndexDocuments' },
	}),
	loopDone: (body) => list(object(object(body).Data).Documents).some((entry) => BAILIAN_TERMINAL.has(String(object(entry).Status))),
};

const openAiBatch: Mode = {
	key: 'openai-batch',
	label: 'OpenAI, a file batch',
	vendor: 'openai',
	intervalSeconds: 5,
	largestBatch: Number.POSITIVE_INFINITY,
	largestBatchNote: `the batch call counts every file of the batch; listing pages name ${LIST_PAGE_SIZE} files each`,
	namingCalls: (documents) => Math.ceil(documents / LIST_PAGE_SIZE),
	loopShareTarget: 0.02,
	latencyNote:
		'while the batch runs, its call counts finished files without naming them, and the node names them when the batch ends (one poll interval after its last file at most): the wait answers then, as the loop does',
	statusPath: /\/file_batches\/[^/]+$/,
	node: () => new OpenAiVectorStore(),
	credentialType: () => new OpenAiVectorStoreApi(),
	credentials: (sim) => ({ type: 'openAiVectorStoreApi', data: { apiKey: OPENAI_KEY, baseUrl: sim.openai.baseUrl } }),
	place(sim, plan) {
		sim.openai.addApiKey(OPENAI_KEY);
		const storeId = sim.openai.addVectorStore();
		knowledgeBases.set(sim, storeId);
		const { batchId, fileIds } = sim.openai.addBatch(
			storeId,
			plan.map((d) => ({ filename: d.name, script: openAiScript({ inProgress: 1, fail: d.fail ? 'invalid_file' : undefined }), msPerStep: stepMs(d.finishMs, 1) })),
		);
		return { ids: fileIds, parameters: { vectorStoreId: storeId, watch: 'fileBatch', batchId: '={{ $json.id }}' }, input: [{ id: batchId }], handles: new Map() };
	},
	served(path, response) {
		const body = object(plain(response.body));
		// The batch call names no file; listings and retrieves do.
		if (/\/file_batches\/[^/]+$/.test(path)) return [];
		const entries = /\/files$/.test(path) ? list(body.data) : [body];
		return entries.map((entry) => {
			const e = object(entry);
			return { id: String(e.id), terminal: OPENAI_TERMINAL.has(String(e.status)) };
		});
	},
	// The loop's per-file check: GET /vector_stores/{id}/files/{file_id}.
	loopRequest: (sim, _placed, id) => ({ method: 'GET', url: `${sim.openai.baseUrl}/vector_stores/${knowledgeBases.get(sim)}/files/${id}` }),
	loopDone: (body) => OPENAI_TERMINAL.has(String(object(body).status)),
};

const bedrockIdOf = (detail: Record<string, unknown>) => {
	const identifier = object(detail.identifier);
	return String(object(identifier.custom).id ?? object(identifier.s3).uri);
};

const bedrock: Mode = {
	key: 'bedrock',
	label: 'Amazon Bedrock, document ids',
	vendor: 'bedrock',
	intervalSeconds: 10,
	largestBatch: BEDROCK_BATCH_SIZE,
	largestBatchNote: `GetKnowledgeBaseDocuments takes at most ${BEDROCK_BATCH_SIZE} identifiers`,
	statusPath: /\/documents\/getDocuments$/,
	node: () => new AmazonBedrockKnowledgeBase(),
	credentialType: () => new AmazonBedrockKnowledgeBaseApi(),
	credentials: (sim) => ({ type: 'amazonBedrockKnowledgeBaseApi', data: { ...BEDROCK, region: 'us-east-1', endpoint: sim.bedrock.baseUrl } }),
	place(sim, plan) {
		sim.bedrock.addAccessKey(BEDROCK);
		const knowledgeBaseId = sim.bedrock.addKnowledgeBase();
		const dataSourceId = sim.bedrock.addDataSource(knowledgeBaseId, { type: 'CUSTOM' });
		knowledgeBases.set(sim, knowledgeBaseId);
		dataSources.set(sim, dataSourceId);
		const ids = sim.bedrock.addDocuments(
			knowledgeBaseId,
			dataSourceId,
			plan.map((d) => ({
				id: `docs/${d.name}`,
				script: bedrockDocumentScript({ processing: 0, end: d.fail ? { status: 'FAILED', statusReason: 'The document could not be parsed' } : undefined }),
				msPerStep: stepMs(d.finishMs, 1),
			})),
		);
		return { ids, parameters: { knowledgeBaseId, dataSourceId, watch: 'documents', documentIds: '={{ $json.ids }}' }, input: [{ ids }], handles: new Map() };
	},
	served(_path, response) {
		return list(object(plain(response.body)).documentDetails).map((entry) => {
			const e = object(entry);
			return { id: bedrockIdOf(e), terminal: BEDROCK_TERMINAL.has(String(e.status)) };
		});
	},
	loopRequest: (sim, _placed, id) => ({
		method: 'POST',
		url: `${sim.bedrock.baseUrl}/knowledgebases/${knowledgeBases.get(sim)}/datasources/${dataSources.get(sim)}/documents/getDocuments`,
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ documentIdentifiers: [{ dataSourceType: 'CUSTOM', custom: { id } }] }),
	}),
	loopDone: (body) => list(object(body).documentDetails).some((entry) => BEDROCK_TERMINAL.has(String(object(entry).status))),
};

export const MODES: Mode[] = [difyMode('batch'), difyMode('documents'), coze, bailian, kendra, openAiBatch, bedrock];
