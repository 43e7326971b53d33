/**
 * CPU time to normalize 10 000 statuses: a vendor's answer with 10 000 entries, as its status
 * call returns them, read the way the package reads every answer (the lossless JSON parse that
 * keeps 64-bit ids exact) and turned into the package's items by the adapter's own mapping.
 */
import { fromDocumentDetail } from '../../nodes/AmazonBedrockKnowledgeBase/AmazonBedrockKnowledgeBaseAdapter';
import type { BedrockTarget } from '../../nodes/AmazonBedrockKnowledgeBase/AmazonBedrockKnowledgeBaseAdapter';
import { fromStatusEntry } from '../../nodes/AmazonKendra/AmazonKendraAdapter';
import type { KendraTarget } from '../../nodes/AmazonKendra/AmazonKendraAdapter';
import { fromJobDocument } from '../../nodes/Bailian/BailianAdapter';
import type { BailianTarget } from '../../nodes/Bailian/BailianAdapter';
import { fromProgressEntry } from '../../nodes/Coze/CozeAdapter';
import type { CozeTarget } from '../../nodes/Coze/CozeAdapter';
import { fromIndexingStatus } from '../../nodes/Dify/DifyAdapter';
import type { DifyTarget } from '../../nodes/Dify/DifyAdapter';
import { fromFile } from '../../nodes/OpenAi/OpenAiVectorStoreAdapter';
import type { OpenAiTarget } from '../../nodes/OpenAi/OpenAiVectorStoreAdapter';
import { parseJsonLossless } from '../../nodes/shared/losslessJson';
import type { DocumentStatus } from '../../nodes/shared/types';
import type { VendorKey } from './modes';

export const STATUSES = 10_000;

interface Normalizer {
	/** The body of one answer that lists `count` documents. */
	body(count: number): string;
	normalize(body: unknown): Array<DocumentStatus | null>;
}

const statuses = ['processing', 'completed', 'failed'] as const;

const difyTarget = { datasetId: 'ds', knowledgeBaseId: 'ds', batch: '20250306132000813077', jobId: null, watch: 'batch', documentIds: null, wholeKnowledgeBase: false, scopeKey: 'b' } as DifyTarget;
const cozeTarget = { datasetId: '7442585813587681111', knowledgeBaseId: '7442585813587681111', jobId: null, watch: 'documents', documentIds: [], wholeKnowledgeBase: false, scopeKey: 'd' } as CozeTarget;
const openAiTarget = { watch: 'fileBatch', vectorStoreId: 'vs_bench', knowledgeBaseId: 'vs_bench', batchId: 'vsfb_bench', jobId: 'vsfb_bench', fileNames: false, documentIds: null, wholeKnowledgeBase: false, scopeKey: 'b' } as OpenAiTarget;
const bailianTarget = { watch: 'job', workspaceId: 'ws', indexId: 'idx', knowledgeBaseId: 'idx', jobId: 'job', documentIds: null, wholeKnowledgeBase: false, scopeKey: 'j' } as BailianTarget;
const kendraTarget = { indexId: 'i'.repeat(36), knowledgeBaseId: 'i'.repeat(36), jobId: null, documentIds: [], documentVersion: null, wholeKnowledgeBase: false, scopeKey: 'k' } as KendraTarget;

const bedrockTarget = { watch: 'documents', knowledgeBaseId: 'ABCDE12345', dataSourceId: 'FGHIJ67890', ingestionJobId: null, idKindFromText: null, jobId: null, documentIds: [], wholeKnowledgeBase: false, scopeKey: 'b' } as BedrockTarget;

const NORMALIZERS: Record<VendorKey, Normalizer> = {
	dify: {
		body: (count) =>
			JSON.stringify({
				data: Array.from({ length: count }, (_, i) => ({
					id: `a8e0e5b5-78c6-4130-a5ce-${String(i).padStart(12, '0')}`,
					indexing_status: ['indexing', 'completed', 'error'][i % 3],
					processing_started_at: 1741267200,
					parsing_completed_at: 1741267202,
					cleaning_completed_at: 1741267204,
					splitting_completed_at: 1741267206,
					completed_at: i % 3 === 1 ? 1741267216 : null,
					paused_at: null,
					error: i % 3 === 2 ? 'Text extraction failed' : null,
					stopped_at: i % 3 === 2 ? 1741267212 : null,
					completed_segments: i % 12,
					total_segments: 12,
				})),
			}),
		normalize: (body) => ((body as { data: never[] }).data ?? []).map((entry) => fromIndexingStatus(entry, difyTarget)),
	},
	coze: {
		body: (count) =>
			// Coze writes 64-bit ids as bare numbers unless told otherwise: the slow path of the parse.
			`{"code":0,"msg":"","data":{"data":[${Array.from(
				{ length: count },
				(_, i) =>
					`{"document_id":${7442585813587690000n + BigInt(i)},"document_name":"page-${i}.pdf","status":${[0, 1, 9][i % 3]},"progress":${(i * 7) % 100},"remaining_time":${i % 60},"size":20480,"type":"pdf","url":"https://lf-coze.example/${i}.pdf","update_type":0,"update_interval":0${i % 3 === 2 ? ',"status_descript":"The file could not be parsed"' : ''}}`,
			).join(',')}]},"detail":{"logid":"20250306132000ABCDEF000000000001"}}`,
		normalize: (body) => ((body as { data: { data: never[] } }).data.data ?? []).map((entry) => fromProgressEntry(entry, cozeTarget, 'logid')),
	},
	bailian: {
		body: (count) =>
			JSON.stringify({
				RequestId: '17204B98-7734-4F9A-8464-2446A84821CA',
				Code: '',
				Message: '',
				Status: '200',
				Success: true,
				Data: {
					JobId: 'job',
					Status: 'RUNNING',
					Documents: Array.from({ length: count }, (_, i) => ({
						DocId: `file_9a65732555b54d5ea10796ca5742ba22_${10000000 + i}`,
						DocName: `manual-${i}.pdf`,
						Status: ['RUNNING', 'FINISH', 'INSERT_ERROR'][i % 3],
						Code: i % 3 === 2 ? 'Index.Document.ChunkError' : '',
						Message: i % 3 === 2 ? 'document parse error' : '',
						GmtModified: 1741267200000 + i,
					})),
				},
			}),
		normalize: (body) => ((body as { Data: { Documents: never[] } }).Data.Documents ?? []).map((entry) => fromJobDocument(entry, bailianTarget, 'RUNNING', 'r')),
	},
	openai: {
		body: (count) =>
			JSON.stringify({
				object: 'list',
				data: Array.from({ length: count }, (_, i) => ({
					id: `file-${String(i).padStart(22, '0')}`,
					object: 'vector_store.file',
					usage_bytes: 20480,
					created_at: 1741267200 + i,
					vector_store_id: 'vs_bench',
					status: ['in_progress', 'completed', 'failed'][i % 3],
					last_error: i % 3 === 2 ? { code: 'invalid_file', message: 'The file could not be parsed.' } : null,
				})),
				has_more: false,
			}),
		normalize: (body) => ((body as { data: never[] }).data ?? []).map((entry) => fromFile(entry, openAiTarget, 'req_bench', 'in_progress')),
	},
	kendra: {
		body: (count) =>
			JSON.stringify({
				Errors: [],
				DocumentStatusList: Array.from({ length: count }, (_, i) => ({
					DocumentId: `s3://bucket/docs/page-${i}.html`,
					DocumentStatus: ['PROCESSING', 'INDEXED', 'FAILED'][i % 3],
					...(i % 3 === 2 ? { FailureCode: '400', FailureReason: 'The document could not be parsed' } : {}),
				})),
			}),
		normalize: (body) => ((body as { DocumentStatusList: never[] }).DocumentStatusList ?? []).map((entry) => fromStatusEntry(entry, kendraTarget, 'r')),
	},
	bedrock: {
		body: (count) =>
			JSON.stringify({
				documentDetails: Array.from({ length: count }, (_, i) => ({
					knowledgeBaseId: 'ABCDE12345',
					dataSourceId: 'FGHIJ67890',
					status: ['IN_PROGRESS', 'INDEXED', 'FAILED'][i % 3],
					identifier: { dataSourceType: 'CUSTOM', custom: { id: `docs/page-${i}.html` } },
					...(i % 3 === 2 ? { statusReason: 'The document could not be parsed' } : {}),
					updatedAt: '2025-03-06T13:20:00Z',
				})),
			}),
		normalize: (body) => ((body as { documentDetails: never[] }).documentDetails ?? []).map((entry) => fromDocumentDetail(entry, bedrockTarget, 'r')),
	},
};

/** CPU milliseconds (user + system) to parse and normalize 10 000 statuses: the median of 5, after a first run. */
export function normalizeCpuMs(vendor: VendorKey): number {
	const normalizer = NORMALIZERS[vendor];
	const text = normalizer.body(STATUSES);
	const once = () => {
		const before = process.cpuUsage();
		const documents = normalizer.normalize(parseJsonLossless(text));
		const spent = process.cpuUsage(before);
		const made = documents.filter((d) => d !== null && statuses.includes(d.status as (typeof statuses)[number])).length;
		if (made !== STATUSES) throw new Error(`${vendor}: ${made} of ${STATUSES} statuses normalized`);
		return (spent.user + spent.system) / 1000;
	};
	once();
	const runs = Array.from({ length: 5 }, once).sort((a, b) => a - b);
	return Math.round(runs[2] * 10) / 10;
}
