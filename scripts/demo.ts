/**
 * The main job, end to end with no vendor account: upload documents to local Dify, Coze,
 * Bailian, Amazon Kendra, OpenAI vector store and Amazon Bedrock simulators, then run a workflow (the upload results → Wait Until
 * Indexed) through n8n's own engine, showing each document's progress live and printing the
 * final items.
 *
 *   npm run demo                       every vendor, simulated
 *   npm run demo -- --vendor coze      one vendor (dify, coze, bailian, kendra, openai or bedrock)
 *   npm run demo -- --base-url https://api.dify.ai/v1 --api-key dataset-… --dataset <uuid> --batch <batch>
 *
 * Against a real Dify, the options may also come from DIFY_BASE_URL, DIFY_API_KEY,
 * DIFY_DATASET_ID and DIFY_BATCH (or DIFY_DOCUMENT_IDS, comma-separated).
 */
import '../test/harness/user-folder';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { ICredentialType, IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

import { AmazonBedrockKnowledgeBaseApi } from '../credentials/AmazonBedrockKnowledgeBaseApi.credentials';
import { AmazonKendraApi } from '../credentials/AmazonKendraApi.credentials';
import { BailianApi } from '../credentials/BailianApi.credentials';
import { CozeApi } from '../credentials/CozeApi.credentials';
import { DifyKnowledgeApi } from '../credentials/DifyKnowledgeApi.credentials';
import { OpenAiVectorStoreApi } from '../credentials/OpenAiVectorStoreApi.credentials';
import { signSigV4 } from '../credentials/signing/sigv4';
import { AmazonBedrockKnowledgeBase } from '../nodes/AmazonBedrockKnowledgeBase/AmazonBedrockKnowledgeBase.node';
import { AmazonKendra } from '../nodes/AmazonKendra/AmazonKendra.node';
import { BailianKnowledge } from '../nodes/Bailian/BailianKnowledge.node';
import { CozeKnowledge } from '../nodes/Coze/CozeKnowledge.node';
import { DifyKnowledge } from '../nodes/Dify/DifyKnowledge.node';
import { OpenAiVectorStore } from '../nodes/OpenAi/OpenAiVectorStore.node';
import { runNode } from '../test/harness';
import type { Simulator } from '../test/simulator';
import { bedrockDocumentScript, bedrockJobScript, cozeScript, difyScript, kendraScript, openAiScript, startSimulator } from '../test/simulator';

interface DocumentLine {
	id: string | null;
	name: string | null;
	status: string;
	progress: number | null;
}

interface Job {
	title: string;
	node: INodeType;
	credentialType: ICredentialType;
	credentials: IDataObject;
	parameters: INodeParameters;
	input: IDataObject[];
}

const useColor = process.stdout.isTTY;
const paint = (code: number, text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
const STATUS_COLOR: Record<string, number> = { completed: 32, failed: 31, processing: 33, queued: 36, paused: 35 };

function bar(progress: number | null): string {
	const width = 24;
	const filled = progress === null ? 0 : Math.round((progress / 100) * width);
	return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** Document names from the upload answers, for vendors whose status call has none (Dify batches). */
const names = new Map<string, string>();
let started = Date.now();

/** Receives the node's progress messages (n8n logs them at debug level) and draws them. */
function installProgressDisplay() {
	const show = (message: string, meta?: { documents?: DocumentLine[] }) => {
		if (!meta?.documents) return;
		const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
		const next = /next check in ([\d.]+ s)/.exec(message)?.[1];
		for (const d of meta.documents) {
			const name = (d.name ?? names.get(d.id ?? '') ?? d.id ?? 'job').padEnd(22);
			const status = paint(STATUS_COLOR[d.status] ?? 0, d.status.padEnd(10));
			const percent = `${String(d.progress ?? '–').padStart(3)}%`;
			console.log(`  ${paint(2, `${seconds} s`)}  ${name} ${bar(d.progress)} ${percent}  ${status} ${paint(2, next ? `next check in ${next}` : '')}`);
		}
	};
	const quiet = () => undefined;
	const logger = { debug: show, info: quiet, warn: quiet, error: quiet, scoped: () => logger };
	Container.set(Logger, logger as unknown as Logger);
}

function argument(name: string, environment?: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	if (index !== -1 && process.argv[index + 1]) return process.argv[index + 1];
	return environment ? process.env[environment] || undefined : undefined;
}

async function post(url: string, token: string, body: unknown, headers: Record<string, string> = {}) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
		body: JSON.stringify(body),
	});
	return (await response.json()) as IDataObject;
}

async function simulatedDify(sim: Simulator): Promise<Job> {
	const apiKey = 'dataset-demo0000000000000000';
	sim.dify.addApiKey(apiKey);
	const datasetId = sim.dify.addDataset(undefined, { name: 'Company knowledge' });
	sim.dify.defaultScript = difyScript({ segments: 12, indexingTicks: 4 });
	const files = [
		{ name: 'employee-handbook.md', text: 'Welcome to the team. '.repeat(400) },
		{ name: 'pricing-2026.txt', text: 'Plans and prices. '.repeat(200) },
		{ name: 'scanned-contract.pdf', text: '%PDF-1.4 (binary, no text layer)' },
	];
	console.log(`Dify (simulated at ${sim.dify.baseUrl})`);
	console.log('1. Upload three documents with create-by-text, one call each:');
	const uploads: IDataObject[] = [];
	for (const file of files) {
		const upload = await post(`${sim.dify.baseUrl}/datasets/${datasetId}/document/create-by-text`, apiKey, {
			...file,
			indexing_technique: 'high_quality',
		});
		const document = upload.document as IDataObject;
		names.set(document.id as string, file.name);
		console.log(`   ${file.name.padEnd(22)} id ${document.id}  batch ${upload.batch}`);
		uploads.push(upload);
	}
	// The scan has no text layer: Dify fails it while indexing.
	const scanned = (uploads[2].document as IDataObject).id as string;
	sim.dify.setScript(datasetId, scanned, difyScript({ segments: 4, indexingTicks: 2, fail: 'No text could be extracted from the file' }));
	return {
		title: 'Dify Knowledge (Wait Until Indexed)',
		node: new DifyKnowledge(),
		credentialType: new DifyKnowledgeApi(),
		credentials: { apiKey, baseUrl: sim.dify.baseUrl },
		// Batch and document id come from the upload answers through the node's default expressions.
		parameters: { operation: 'waitUntilIndexed', datasetId, pollInterval: 1, timeout: 600 },
		input: uploads,
	};
}

async function simulatedCoze(sim: Simulator): Promise<Job> {
	const token = 'pat_demo000000000000000000000000';
	sim.coze.addToken(token);
	const datasetId = sim.coze.addDataset(undefined, { name: 'Support articles' });
	sim.coze.defaultScript = cozeScript({ steps: 5, secondsPerStep: 1 });
	console.log(`Coze (simulated at ${sim.coze.baseUrl})`);
	console.log('1. Upload three web pages with one document/create call:');
	const upload = await post(
		`${sim.coze.baseUrl}/open_api/knowledge/document/create`,
		token,
		{
			dataset_id: datasetId,
			document_bases: ['getting-started', 'billing-faq', 'release-notes'].map((name) => ({
				name,
				source_info: { web_url: `https://help.example.com/${name}`, document_source: 1 },
			})),
		},
		{ 'Agw-Js-Conv': 'str' },
	);
	const infos = upload.document_infos as IDataObject[];
	sim.coze.setScript(infos[2].document_id as string, cozeScript({ steps: 3, secondsPerStep: 1, fail: 'The page could not be fetched (HTTP 403)' }));
	for (const info of infos) console.log(`   ${String(info.name).padEnd(22)} id ${info.document_id}`);
	return {
		title: 'Coze Knowledge (Wait Until Indexed)',
		node: new CozeKnowledge(),
		credentialType: new CozeApi(),
		credentials: { accessToken: token, region: 'custom', baseUrl: sim.coze.baseUrl },
		// The document ids come from document_infos[] through the node's default expression.
		parameters: { operation: 'waitUntilIndexed', datasetId, pollInterval: 1, timeout: 600 },
		input: [upload],
	};
}

/**
 * Bailian's jobs move with time (and its status calls are 5 s apart), so this run has a
 * simulator of its own on the real clock.
 */
async function simulatedBailian(sim: Simulator): Promise<Job> {
	const accessKeyId = 'LTAI5tDemo00000000000000';
	const accessKeySecret = 'demoSecret000000000000000000000';
	sim.bailian.addAccessKey(accessKeyId, accessKeySecret);
	const workspaceId = sim.bailian.addWorkspace();
	const indexId = sim.bailian.addIndex(workspaceId, { name: 'Product manuals' });
	console.log(`Bailian (simulated at ${sim.bailian.endpoint}, workspace ${workspaceId}, index ${indexId})`);
	console.log('1. Submit an indexing job for three files (SubmitIndexAddDocumentsJob; the simulator stands in for it):');
	const jobId = sim.bailian.submitJob(indexId, {
		pendingMs: 3000,
		documents: [
			{ name: 'user-manual.pdf', appearAfterMs: 1000, runMs: 9000 },
			{ name: 'safety-sheet.docx', appearAfterMs: 1000, runMs: 5000 },
			{ name: 'scan-no-text.pdf', appearAfterMs: 2000, runMs: 7000, result: 'INSERT_ERROR', error: { code: 'Index.Document.ChunkError', message: 'document parse error' } },
		],
	});
	const submitted = { Code: '', Data: { Id: jobId }, Message: '', RequestId: 'DEMO-SUBMIT', Status: '200', Success: true };
	console.log(`   job ${jobId}: PENDING for 3 s, then the documents run for 5 to 9 s`);
	return {
		title: 'Bailian Knowledge (Wait Until Indexed)',
		node: new BailianKnowledge(),
		credentialType: new BailianApi(),
		credentials: { accessKeyId, accessKeySecret, region: 'custom', endpoint: sim.bailian.endpoint, workspaceId },
		// The job id comes from Data.Id of the submit answer through the node's default expression.
		parameters: { operation: 'waitUntilIndexed', indexId, pollInterval: 5, timeout: 600 },
		input: [submitted],
	};
}

async function simulatedKendra(sim: Simulator): Promise<Job> {
	const keys = { accessKeyId: 'AKIADEMO000000000000', secretAccessKey: 'demoSECRETkey/0000000000000000000000000' };
	sim.kendra.addAccessKey(keys);
	const indexId = sim.kendra.addIndex(undefined, { name: 'product-docs' });
	// Kendra may not know a document for a moment after BatchPutDocument: NOT_FOUND first.
	sim.kendra.defaultScript = kendraScript({ notFound: 1, processing: 3 });
	console.log(`Amazon Kendra (simulated at ${sim.kendra.baseUrl})`);
	console.log('1. Upload four documents with one signed BatchPutDocument call:');
	const request = {
		IndexId: indexId,
		Documents: [
			{ Id: 'handbook/onboarding.md', Title: 'Onboarding', ContentType: 'MD', Blob: Buffer.from('# Welcome\n'.repeat(50)).toString('base64') },
			{ Id: 'pricing/2026.html', Title: 'Pricing 2026', ContentType: 'HTML', Blob: Buffer.from('<h1>Plans</h1>').toString('base64') },
			{ Id: 'legal/scan.pdf', Title: 'Contract (scan)', ContentType: 'PDF', Blob: Buffer.from('%PDF-1.4').toString('base64') },
			{ Id: 'drafts/empty.txt', Title: 'Empty draft', ContentType: 'PLAIN_TEXT', Blob: '' },
		],
	};
	const url = `${sim.kendra.baseUrl}/`;
	const body = JSON.stringify(request);
	const headers = { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSKendraFrontendService.BatchPutDocument' };
	const signed = signSigV4({ method: 'POST', url, headers, body }, keys, { region: 'us-east-1', service: 'kendra', date: new Date() });
	const response = await fetch(url, { method: 'POST', headers: { ...headers, ...signed.headers }, body });
	const answer = (await response.json()) as { FailedDocuments: IDataObject[] };
	for (const document of request.Documents) {
		const failed = answer.FailedDocuments.find((f) => f.Id === document.Id);
		console.log(`   ${document.Id.padEnd(26)} ${failed ? `rejected: ${failed.ErrorMessage}` : 'accepted'}`);
	}
	// The scan has no text layer: Kendra fails it while indexing.
	sim.kendra.setScript(indexId, 'legal/scan.pdf', kendraScript({ notFound: 1, processing: 2, fail: { code: 'InvalidRequest', reason: 'No text could be extracted from the PDF' } }));
	return {
		title: 'Amazon Kendra (Wait Until Indexed)',
		node: new AmazonKendra(),
		credentialType: new AmazonKendraApi(),
		credentials: { ...keys, region: 'us-east-1', endpoint: sim.kendra.baseUrl },
		// The ids come from the request's Documents minus the answer's FailedDocuments, through the
		// node's default expression.
		parameters: { operation: 'waitUntilIndexed', indexId, pollInterval: 1, timeout: 600 },
		input: [{ ...request, Documents: request.Documents.map(({ Id, Title }) => ({ Id, Title })), ...answer }],
	};
}

async function simulatedOpenAi(sim: Simulator): Promise<Job> {
	const apiKey = 'sk-proj-demo0000000000000000000000000000';
	sim.openai.addApiKey(apiKey);
	const vectorStoreId = sim.openai.addVectorStore('Support knowledge');
	console.log(`OpenAI vector stores (simulated at ${sim.openai.baseUrl})`);
	console.log('1. Upload three files (POST /files, purpose assistants), then add them to the store in one file batch:');
	const files = [
		{ name: 'faq.md', text: '# FAQ\n'.repeat(200) },
		{ name: 'returns-policy.txt', text: 'Returns within 30 days. '.repeat(100) },
		{ name: 'scanned-invoice.pdf', text: '%PDF-1.4 (binary, no text layer)' },
	];
	const fileIds: string[] = [];
	for (const file of files) {
		const form = new FormData();
		form.append('purpose', 'assistants');
		form.append('file', new Blob([file.text]), file.name);
		const response = await fetch(`${sim.openai.baseUrl}/files`, { method: 'POST', headers: { Authorization: `Bearer ${apiKey}` }, body: form });
		const uploaded = (await response.json()) as IDataObject;
		names.set(uploaded.id as string, file.name);
		fileIds.push(uploaded.id as string);
		console.log(`   ${file.name.padEnd(22)} id ${uploaded.id}`);
	}
	const batch = await post(`${sim.openai.baseUrl}/vector_stores/${vectorStoreId}/file_batches`, apiKey, { file_ids: fileIds });
	console.log(`   file batch ${batch.id}: ${JSON.stringify(batch.file_counts)}`);
	// The scan has no text layer: OpenAI fails it while processing.
	sim.openai.setScript(vectorStoreId, fileIds[2], openAiScript({ inProgress: 2, fail: 'invalid_file' }));
	return {
		title: 'OpenAI Vector Store (Wait Until Indexed)',
		node: new OpenAiVectorStore(),
		credentialType: new OpenAiVectorStoreApi(),
		credentials: { apiKey, baseUrl: sim.openai.baseUrl },
		// The batch id comes from the batch's own answer, through the node's default expression.
		parameters: { operation: 'waitUntilIndexed', vectorStoreId, fileNames: true, pollInterval: 1, timeout: 600 },
		input: [batch],
	};
}

async function simulatedBedrock(sim: Simulator): Promise<Job> {
	const keys = { accessKeyId: 'AKIADEMOBEDROCK00000', secretAccessKey: 'demoBEDROCKkey/000000000000000000000000' };
	sim.bedrock.addAccessKey(keys);
	const knowledgeBaseId = sim.bedrock.addKnowledgeBase({ name: 'support-kb' });
	const dataSourceId = sim.bedrock.addDataSource(knowledgeBaseId, { name: 'docs-bucket', type: 'S3' });
	sim.bedrock.addDocuments(knowledgeBaseId, dataSourceId, [
		{ id: 's3://docs-bucket/faq.md', script: bedrockDocumentScript({ processing: 2 }) },
		{ id: 's3://docs-bucket/manual.pdf', script: bedrockDocumentScript({ processing: 4, end: { status: 'PARTIALLY_INDEXED' } }) },
		{ id: 's3://docs-bucket/logo.bin', script: bedrockDocumentScript({ processing: 1, end: { status: 'IGNORED', statusReason: 'The file type is not supported.' } }) },
	]);
	sim.bedrock.defaultJobScript = bedrockJobScript({ running: 4 });
	console.log(`Amazon Bedrock Knowledge Bases (simulated at ${sim.bedrock.baseUrl})`);
	console.log('1. Start an ingestion job of the S3 data source with one signed StartIngestionJob call:');
	const url = `${sim.bedrock.baseUrl}/knowledgebases/${knowledgeBaseId}/datasources/${dataSourceId}/ingestionjobs/`;
	const body = JSON.stringify({ description: 'demo' });
	const headers = { 'Content-Type': 'application/json' };
	const signed = signSigV4({ method: 'PUT', url, headers, body }, keys, { region: 'us-east-1', service: 'bedrock', date: new Date() });
	const response = await fetch(url, { method: 'PUT', headers: { ...headers, ...signed.headers }, body });
	const answer = (await response.json()) as { ingestionJob: IDataObject };
	console.log(`   ingestion job ${String(answer.ingestionJob.ingestionJobId)}: ${String(answer.ingestionJob.status)}`);
	return {
		title: 'Amazon Bedrock Knowledge Base (Wait Until Indexed)',
		node: new AmazonBedrockKnowledgeBase(),
		credentialType: new AmazonBedrockKnowledgeBaseApi(),
		credentials: { ...keys, region: 'us-east-1', endpoint: sim.bedrock.baseUrl },
		// The job id comes from the StartIngestionJob answer, through the node's default expression.
		parameters: { operation: 'waitUntilIndexed', knowledgeBaseId, dataSourceId, pollInterval: 1, timeout: 600 },
		input: [answer as IDataObject],
	};
}

function realDify(baseUrl: string): Job {
	const apiKey = argument('api-key', 'DIFY_API_KEY');
	const datasetId = argument('dataset', 'DIFY_DATASET_ID') ?? '';
	const batch = argument('batch', 'DIFY_BATCH');
	const documentIds = argument('document-ids', 'DIFY_DOCUMENT_IDS');
	if (!apiKey || !datasetId || (!batch && !documentIds)) {
		console.error('Against a real Dify, give --api-key, --dataset and --batch (or --document-ids).');
		process.exit(2);
	}
	console.log(`Dify at ${baseUrl}: watching ${batch ? `batch ${batch}` : `documents ${documentIds}`}`);
	const parameters: INodeParameters = { operation: 'waitUntilIndexed', datasetId, timeout: 600, pollInterval: 5 };
	return {
		title: 'Dify Knowledge (Wait Until Indexed)',
		node: new DifyKnowledge(),
		credentialType: new DifyKnowledgeApi(),
		credentials: { apiKey, baseUrl },
		parameters: batch
			? { ...parameters, batch: '={{ $json.batch }}' }
			: { ...parameters, watch: 'documents', documentIds: '={{ $json.documentIds }}' },
		input: [batch ? { batch } : { documentIds: documentIds as string }],
	};
}

async function run(job: Job) {
	console.log(`\n2. Run the workflow: upload results → ${job.title}\n`);
	started = Date.now();
	const result = await runNode({
		node: job.node,
		parameters: job.parameters,
		input: job.input,
		credentials: { type: job.credentialType.name, data: job.credentials as never },
		credentialTypes: [job.credentialType],
	});
	if (result.error) throw new Error(`The node failed: ${result.error.message}`);
	console.log(`\n3. The node's output: ${result.items.length} items, one per document\n`);
	for (const item of result.items) console.log(JSON.stringify(item.json, null, 2));
	const outcome = result.items.map((i) => `${names.get(i.json.documentId as string) ?? i.json.documentName ?? i.json.documentId}: ${i.json.status}`);
	console.log(`\nDone. ${outcome.join(', ')}\n`);
}

async function main() {
	installProgressDisplay();
	const realBaseUrl = argument('base-url', 'DIFY_BASE_URL');
	if (realBaseUrl) return await run(realDify(realBaseUrl));

	const vendor = argument('vendor') ?? 'all';
	if (!['all', 'dify', 'coze', 'bailian', 'kendra', 'openai', 'bedrock'].includes(vendor)) {
		console.error(`--vendor is "${vendor}": expected dify, coze, bailian, kendra, openai, bedrock or all`);
		process.exit(2);
	}
	const sim = await startSimulator();
	try {
		if (vendor === 'all' || vendor === 'dify') await run(await simulatedDify(sim));
		if (vendor === 'all' || vendor === 'coze') await run(await simulatedCoze(sim));
		if (vendor === 'all' || vendor === 'kendra') await run(await simulatedKendra(sim));
		if (vendor === 'all' || vendor === 'openai') await run(await simulatedOpenAi(sim));
		if (vendor === 'all' || vendor === 'bedrock') await run(await simulatedBedrock(sim));
	} finally {
		await sim.close();
	}
	if (vendor === 'all' || vendor === 'bailian') {
		const liveSim = await startSimulator({ realClock: true });
		try {
			await run(await simulatedBailian(liveSim));
		} finally {
			await liveSim.close();
		}
	}
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
