// Writes the credentials and workflows of the end-to-end check for the simulator described in
// <sim.json> (written by e2e/simulator.ts): <outDir>/credentials.json and <outDir>/workflows/*.json,
// ready for `n8n import:credentials` and `n8n import:workflow --separate`.
//
// Usage: node e2e/fixtures.js <sim.json> <outDir>
//
// Every workflow is Manual Trigger -> a node that outputs what an upload call returns -> our node,
// which is how users chain it. Our nodes get only the parameters a user would set, so that the
// defaults (Document IDs / Batch read from $json) are exercised inside real n8n.
// Workflow ids are fixed 16-character ids, which `n8n execute --id` and import need.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { BACKOFF_WORKFLOW_ID, triggerWorkflowId } = require('./lib');

const [simFile, outDir] = process.argv.slice(2);
const sim = JSON.parse(fs.readFileSync(simFile, 'utf8'));

// Wrong secrets that look real and are easy to grep for: they must not appear anywhere either.
const WRONG_DIFY_KEY = 'dataset-WRONGkey9999LEAKME5678';
const WRONG_COZE_TOKEN = 'pat_WRONGcozeTOKEN9999LEAKME5678';
const WRONG_KENDRA_SECRET = 'WRONGkendraSECRET9999LEAKME5678/abcdefgh';
const kendraData = (keys) => ({ ...keys, region: sim.kendra.region, endpoint: sim.kendra.baseUrl });
const WRONG_BEDROCK_SECRET = 'WRONGbedrockSECRET9999LEAKME5678/abcdefg';
const bedrockData = (keys) => ({ ...keys, region: sim.bedrock.region, endpoint: sim.bedrock.baseUrl });
const WRONG_BAILIAN_SECRET = 'WRONGbailianSECRET9999LEAKME5678';

const WRONG_OPENAI_KEY = 'sk-proj-WRONGopenaiKEY9999LEAKME5678';
const openAiData = (apiKey) => ({ apiKey, organizationId: '', projectId: sim.openai.projectId, baseUrl: sim.openai.baseUrl });
const credentials = [
	{ id: 'difyCredE2E00001', name: 'Dify sim', type: 'difyKnowledgeApi', data: { apiKey: sim.apiKey, baseUrl: sim.baseUrl } },
	{ id: 'difyCredWRONG001', name: 'Dify wrong key', type: 'difyKnowledgeApi', data: { apiKey: WRONG_DIFY_KEY, baseUrl: sim.baseUrl } },
	{ id: 'cozeCredE2E00001', name: 'Coze sim', type: 'cozeApi', data: { accessToken: sim.coze.token, region: 'custom', baseUrl: sim.coze.baseUrl } },
	{ id: 'cozeCredWRONG001', name: 'Coze wrong token', type: 'cozeApi', data: { accessToken: WRONG_COZE_TOKEN, region: 'custom', baseUrl: sim.coze.baseUrl } },
	{ id: 'kendraCredE2E001', name: 'Kendra sim', type: 'amazonKendraApi', data: kendraData({ accessKeyId: sim.kendra.accessKeyId, secretAccessKey: sim.kendra.secretAccessKey }) },
	{ id: 'kendraCredTEMP01', name: 'Kendra sim temporary', type: 'amazonKendraApi', data: kendraData(sim.kendra.temp) },
	{ id: 'openAiCredE2E001', name: 'OpenAI sim', type: 'openAiVectorStoreApi', data: openAiData(sim.openai.apiKey) },
	{ id: 'openAiCredWRONG1', name: 'OpenAI wrong key', type: 'openAiVectorStoreApi', data: openAiData(WRONG_OPENAI_KEY) },
	{ id: 'kendraCredWRONG1', name: 'Kendra wrong secret', type: 'amazonKendraApi', data: kendraData({ ...sim.kendra.temp, secretAccessKey: WRONG_KENDRA_SECRET }) },
	{ id: 'bedrCredE2E00001', name: 'Bedrock sim', type: 'amazonBedrockKnowledgeBaseApi', data: bedrockData({ accessKeyId: sim.bedrock.accessKeyId, secretAccessKey: sim.bedrock.secretAccessKey }) },
	{ id: 'bedrCredTEMP0001', name: 'Bedrock sim temporary', type: 'amazonBedrockKnowledgeBaseApi', data: bedrockData(sim.bedrock.temp) },
	{ id: 'bedrCredWRONG001', name: 'Bedrock wrong secret', type: 'amazonBedrockKnowledgeBaseApi', data: bedrockData({ ...sim.bedrock.temp, secretAccessKey: WRONG_BEDROCK_SECRET }) },
	...bailianCredentials(),
];

function bailianCredentials() {
	const b = sim.bailian;
	const base = { region: 'custom', endpoint: b.endpoint, workspaceId: b.workspaceId };
	return [
		{ id: 'bailCredE2E00001', name: 'Bailian sim', type: 'bailianApi', data: { ...base, accessKeyId: b.accessKeyId, accessKeySecret: b.accessKeySecret } },
		{ id: 'bailCredSTS00001', name: 'Bailian sim STS', type: 'bailianApi', data: { ...base, accessKeyId: b.stsAccessKeyId, accessKeySecret: b.stsAccessKeySecret, securityToken: b.stsToken } },
		{ id: 'bailCredWRONG001', name: 'Bailian wrong secret', type: 'bailianApi', data: { ...base, accessKeyId: b.accessKeyId, accessKeySecret: WRONG_BAILIAN_SECRET } },
	];
}
const credentialRef = (id) => {
	const { type, name } = credentials.find((c) => c.id === id);
	return { [type]: { id, name } };
};

const manualTrigger = { id: 't1', name: 'When clicking Execute', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
// A Code node stands in for the upload call: it returns exactly what the vendor's create call answers.
const uploadResult = (items) => ({
	id: 'c1', name: 'Upload result', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0],
	parameters: { jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};` },
});
const linear = (id, name, nodes) => ({
	id, name, active: false, settings: { executionOrder: 'v1' }, nodes,
	connections: Object.fromEntries(nodes.slice(0, -1).map((node, i) => [node.name, { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] }])),
});
const difyNode = (parameters, credentialId = 'difyCredE2E00001') => ({
	id: 'd1', name: 'Dify Knowledge', type: 'n8n-nodes-indexing-status.difyKnowledge', typeVersion: 1, position: [440, 0],
	parameters, credentials: credentialRef(credentialId),
});
const cozeNode = (credentialId = 'cozeCredE2E00001') => ({
	id: 'k1', name: 'Coze Knowledge', type: 'n8n-nodes-indexing-status.cozeKnowledge', typeVersion: 1, position: [440, 0],
	// Document IDs left out on purpose: its default reads $json.document_infos[].document_id.
	parameters: { operation: 'waitUntilIndexed', datasetId: sim.coze.datasetId, pollInterval: 1, timeout: 60 },
	credentials: credentialRef(credentialId),
});
const kendraNode = (parameters, credentialId = 'kendraCredE2E001') => ({
	id: 'a1', name: 'Amazon Kendra', type: 'n8n-nodes-indexing-status.amazonKendra', typeVersion: 1, position: [440, 0],
	parameters: { indexId: sim.kendra.indexId, ...parameters },
	credentials: credentialRef(credentialId),
});
const bedrockNode = (parameters, credentialId = 'bedrCredE2E00001') => ({
	id: 'br1', name: 'Amazon Bedrock Knowledge Base', type: 'n8n-nodes-indexing-status.amazonBedrockKnowledgeBase', typeVersion: 1, position: [440, 0],
	parameters: {
		knowledgeBaseId: { __rl: true, mode: 'id', value: sim.bedrock.knowledgeBaseId },
		dataSourceId: { __rl: true, mode: 'id', value: sim.bedrock.dataSourceId },
		...parameters,
	},
	credentials: credentialRef(credentialId),
});
// The data source of the documents Get reads, ingested directly (IngestKnowledgeBaseDocuments).
const bedrockDirect = { __rl: true, mode: 'id', value: sim.bedrock.getDataSourceId };
// StartIngestionJob answers { ingestionJob: { ingestionJobId, knowledgeBaseId, dataSourceId, status, … } }.
const bedrockStart = (jobId) => ({
	ingestionJob: { ingestionJobId: jobId, knowledgeBaseId: sim.bedrock.knowledgeBaseId, dataSourceId: sim.bedrock.dataSourceId, status: 'STARTING' },
});
// A BatchPutDocument request and its answer in one item: Kendra answers only FailedDocuments, so the
// accepted ids are the request's Documents minus those. One more document was rejected.
const kendraUpload = (ids) => ({
	IndexId: sim.kendra.indexId,
	Documents: [...ids, 'e2e/rejected.txt'].map((Id) => ({ Id, Title: Id })),
	FailedDocuments: [{ Id: 'e2e/rejected.txt', ErrorCode: 'InvalidRequest', ErrorMessage: 'The document is empty' }],
});
// Dify's create-by-text answers { document: { id }, batch }.
const difyUpload = (batch) => ({ batch: batch.batch, document: { id: batch.documentIds[0] } });
// Coze's document/create answers { document_infos: [{ document_id }] } (ids as strings with Agw-Js-Conv: str).
const cozeUpload = (ids) => ({ document_infos: ids.map((document_id) => ({ document_id })) });
const waitParameters = { operation: 'waitUntilIndexed', datasetId: sim.datasetId, pollInterval: 1, timeout: 60 };
// Bailian's SubmitIndexAddDocumentsJob answers { Data: { Id: <JobId> }, Success: true, … }.
const bailianSubmit = (jobId) => ({ Code: '', Data: { Id: jobId }, Message: '', RequestId: 'E2E-SUBMIT', Status: '200', Success: true });
const bailianNode = (parameters, credentialId = 'bailCredE2E00001') => ({
	id: 'b1', name: 'Bailian Knowledge', type: 'n8n-nodes-indexing-status.bailianKnowledge', typeVersion: 1, position: [440, 0],
	// Job ID and Workspace ID left out on purpose: Job ID reads $json.Data.Id, the workspace comes from the credential.
	parameters: { indexId: sim.bailian.indexId, ...parameters },
	credentials: credentialRef(credentialId),
});
const openAiNode = (parameters, credentialId = 'openAiCredE2E001') => ({
	id: 'o1', name: 'OpenAI Vector Store', type: 'n8n-nodes-indexing-status.openAiVectorStore', typeVersion: 1, position: [440, 0],
	// Batch ID left out on purpose: its default reads $json.id, the id of the created file batch.
	parameters: { vectorStoreId: sim.openai.vectorStoreId, ...parameters },
	credentials: credentialRef(credentialId),
});
// What POST /vector_stores/{id}/file_batches answers.
const openAiBatchResult = (batch) => ({ id: batch.batchId, object: 'vector_store.files_batch', vector_store_id: sim.openai.vectorStoreId, status: 'in_progress' });
const bailianWait = { operation: 'waitUntilIndexed', pollInterval: 5, timeout: 120 };


// The trigger check's workflows: each trigger polls four times a minute. n8n refuses a Poll Times
// entry that fires more than once a minute, so there are four entries, each at one fixed second
// (as a user may list several times); that keeps the check's waits short.
const TRIGGER_POLL_TIMES = { item: [0, 15, 30, 45].map((second) => ({ mode: 'custom', cronExpression: `${second} * * * * *` })) };
const triggerTypes = {
	dify: ['difyKnowledgeTrigger', 'Dify Knowledge Trigger', 'difyCredE2E00001', { whole: { watch: 'dataset' }, fixed: { watch: 'batch' } }],
	coze: ['cozeKnowledgeTrigger', 'Coze Knowledge Trigger', 'cozeCredE2E00001', { whole: { watch: 'dataset' }, fixed: { watch: 'documents' } }],
	bailian: ['bailianKnowledgeTrigger', 'Bailian Knowledge Trigger', 'bailCredE2E00001', { whole: { watch: 'index' }, fixed: { watch: 'job' } }],
	kendra: ['amazonKendraTrigger', 'Amazon Kendra Trigger', 'kendraCredE2E001', { fixed: {} }],
	openai: ['openAiVectorStoreTrigger', 'OpenAI Vector Store Trigger', 'openAiCredE2E001', { whole: { watch: 'vectorStore' }, fixed: { watch: 'fileBatch' } }],
	bedrock: ['amazonBedrockKnowledgeBaseTrigger', 'Amazon Bedrock Knowledge Base Trigger', 'bedrCredE2E00001', { whole: { watch: 'dataSource' }, fixed: { watch: 'documents' } }],
};
function triggerWorkflow(c) {
	const [type, nodeName, credentialId, watchParameters] = triggerTypes[c.vendor];
	// The Bailian workspace comes from the credential, as the Workspace ID field left empty says.
	const { datasetId, indexId, batch, jobId, documentIds, vectorStoreId, batchId, knowledgeBaseId, dataSourceId } = c.target;
	const locator = (value) => (value === undefined ? undefined : { __rl: true, mode: 'id', value });
	const target = Object.fromEntries(
		Object.entries({
			datasetId,
			indexId,
			batch,
			jobId,
			documentIds,
			vectorStoreId,
			batchId,
			knowledgeBaseId: locator(knowledgeBaseId),
			dataSourceId: locator(dataSourceId),
		}).filter(([, v]) => v !== undefined),
	);
	return linear(triggerWorkflowId(c), `E2E trigger ${c.key}`, [
		{
			id: 'tr1', name: nodeName, type: `n8n-nodes-indexing-status.${type}`, typeVersion: 1, position: [0, 0],
			parameters: {
				pollTimes: TRIGGER_POLL_TIMES,
				event: c.event,
				...(c.event === 'documentStuck' ? { stuckAfterMinutes: c.stuckAfterMinutes } : {}),
				...watchParameters[c.watch],
				...target,
			},
			credentials: credentialRef(credentialId),
		},
		{ id: 'n1', name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
	]);
}

const workflows = [
	linear('wfWaitE2E0000001', 'E2E Dify wait', [manualTrigger, uploadResult([difyUpload(sim.wait)]), difyNode(waitParameters)]),
	// Two input items, one document each: pairing must come back as 0 and 1.
	linear('wfGetE2E00000001', 'E2E Dify get documents', [
		manualTrigger,
		uploadResult(sim.get.documentIds.map((id) => ({ batch: sim.get.batch, document: { id } }))),
		difyNode({ operation: 'getIndexingStatus', datasetId: sim.datasetId, watch: 'documents' }),
	]),
	linear('wfWrongE2E000001', 'E2E Dify wrong key', [manualTrigger, uploadResult([difyUpload(sim.wrong)]), difyNode(waitParameters, 'difyCredWRONG001')]),
	linear('wfSumE2E00000001', 'E2E Dify summary', [
		manualTrigger,
		uploadResult([difyUpload(sim.summary)]),
		difyNode({ ...waitParameters, options: { outputMode: 'summary' } }),
	]),
	linear('wfCozeWait000001', 'E2E Coze wait', [manualTrigger, uploadResult([cozeUpload(sim.coze.wait)]), cozeNode()]),
	// The one-vendor Coze package runs this Get beside the wait (e2e/packages-check.js).
	linear('wfCozeGet0000001', 'E2E Coze get', [
		manualTrigger,
		uploadResult([cozeUpload(sim.coze.wait)]),
		{ ...cozeNode(), parameters: { operation: 'getIndexingStatus', datasetId: sim.coze.datasetId } },
	]),
	linear('wfCozeNum0000001', 'E2E Coze wait (ids as numbers)', [manualTrigger, uploadResult([cozeUpload(sim.coze.waitNum)]), cozeNode()]),
	linear('wfCozeWrong00001', 'E2E Coze wrong token', [manualTrigger, uploadResult([cozeUpload(sim.coze.wrong)]), cozeNode('cozeCredWRONG001')]),
	// Document IDs left out on purpose: the default reads Documents[].Id minus FailedDocuments[].Id.
	linear('wfKendraWait0001', 'E2E Kendra wait', [
		manualTrigger,
		uploadResult([kendraUpload(sim.kendra.wait)]),
		kendraNode({ operation: 'waitUntilIndexed', pollInterval: 1, timeout: 60 }),
	]),
	linear('wfKendraGet00001', 'E2E Kendra get (temporary credentials)', [
		manualTrigger,
		uploadResult(sim.kendra.get.map((id) => ({ ids: [id] }))),
		kendraNode({ operation: 'getIndexingStatus', documentIds: '={{ $json.ids }}' }, 'kendraCredTEMP01'),
	]),
	linear('wfOpenAiWait0001', 'E2E OpenAI wait', [
		manualTrigger,
		uploadResult([openAiBatchResult(sim.openai.wait)]),
		openAiNode({ operation: 'waitUntilIndexed', pollInterval: 1, timeout: 60, fileNames: true }),
	]),
	linear('wfOpenAiGet00001', 'E2E OpenAI get files', [
		manualTrigger,
		uploadResult(sim.openai.get.map((id) => ({ id, object: 'vector_store.file' }))),
		openAiNode({ operation: 'getIndexingStatus', watch: 'files' }),
	]),
	linear('wfOpenAiWrong001', 'E2E OpenAI wrong key', [manualTrigger, uploadResult([openAiBatchResult(sim.openai.wrong)]), openAiNode({ operation: 'getIndexingStatus' }, 'openAiCredWRONG1')]),
	linear('wfKendraWrong001', 'E2E Kendra wrong secret', [manualTrigger, uploadResult([kendraUpload(sim.kendra.wrong)]), kendraNode({ operation: 'getIndexingStatus' }, 'kendraCredWRONG1')]),
	// Ingestion Job ID left out on purpose: its default reads $json.ingestionJob.ingestionJobId.
	linear('wfBedrockWait001', 'E2E Bedrock wait', [
		manualTrigger,
		uploadResult([bedrockStart(sim.bedrock.waitJob)]),
		bedrockNode({ operation: 'waitUntilIndexed', watch: 'ingestionJob', pollInterval: 1, timeout: 60 }),
	]),
	linear('wfBedrockGet0001', 'E2E Bedrock get (temporary credentials)', [
		manualTrigger,
		uploadResult(sim.bedrock.get.map((id) => ({ ids: [id] }))),
		bedrockNode({ operation: 'getIndexingStatus', dataSourceId: bedrockDirect, watch: 'documents', documentIds: '={{ $json.ids }}' }, 'bedrCredTEMP0001'),
	]),
	linear('wfBedrockWrong01', 'E2E Bedrock wrong secret', [
		manualTrigger,
		uploadResult([{ ids: sim.bedrock.wrong }]),
		bedrockNode({ operation: 'getIndexingStatus', dataSourceId: bedrockDirect, watch: 'documents', documentIds: '={{ $json.ids }}' }, 'bedrCredWRONG001'),
	]),
	linear('wfBailGet0000001', 'E2E Bailian get', [manualTrigger, uploadResult([bailianSubmit(sim.bailian.getJob)]), bailianNode({ operation: 'getIndexingStatus' })]),
	linear('wfBailWait000001', 'E2E Bailian wait', [manualTrigger, uploadResult([bailianSubmit(sim.bailian.waitJob)]), bailianNode(bailianWait)]),
	linear('wfBailSTS0000001', 'E2E Bailian wait (STS)', [manualTrigger, uploadResult([bailianSubmit(sim.bailian.stsJob)]), bailianNode(bailianWait, 'bailCredSTS00001')]),
	linear('wfBailWrong00001', 'E2E Bailian wrong secret', [manualTrigger, uploadResult([bailianSubmit(sim.bailian.wrongJob)]), bailianNode({ operation: 'getIndexingStatus' }, 'bailCredWRONG001')]),
	// Queue mode (E2E_QUEUE=1): a webhook call answered by Respond to Webhook once the batch it
	// names is indexed, and a trigger whose poll runs on the main process.
	{
		id: 'wfQueueHook00001', name: 'E2E queue webhook wait', active: false, settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'q1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: '5a0c7f7e-4b8e-4f0e-9d3c-2e1f00e2e001',
				parameters: { httpMethod: 'POST', path: 'e2e-queue-wait', responseMode: 'responseNode', options: {} },
			},
			{ ...difyNode({ ...waitParameters, datasetId: sim.queue.datasetId, batch: '={{ $json.body.batch }}' }), id: 'q2', position: [220, 0] },
			{ id: 'q3', name: 'Respond to Webhook', type: 'n8n-nodes-base.respondToWebhook', typeVersion: 1.1, position: [440, 0], parameters: { respondWith: 'allIncomingItems', options: {} } },
		],
		connections: {
			Webhook: { main: [[{ node: 'Dify Knowledge', type: 'main', index: 0 }]] },
			'Dify Knowledge': { main: [[{ node: 'Respond to Webhook', type: 'main', index: 0 }]] },
		},
	},
	linear('wfQueueTrig00001', 'E2E queue trigger', [
		{
			id: 'q4', name: 'Dify Knowledge Trigger', type: 'n8n-nodes-indexing-status.difyKnowledgeTrigger', typeVersion: 1, position: [0, 0],
			parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, event: 'documentFinished', datasetId: sim.queue.datasetId, watch: 'batch', batch: sim.queue.triggerBatch.batch },
			credentials: credentialRef('difyCredE2E00001'),
		},
		{ id: 'q5', name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
	]),
	// Activated by the trigger check under the durable scheduler: a trigger whose vendor starts
	// answering Dify Cloud's rate limit, to read n8n's stored backoff (trigger-check.js backoff).
	linear(BACKOFF_WORKFLOW_ID, 'E2E trigger backoff', [
		{
			id: 'bo1', name: 'Dify Knowledge Trigger', type: 'n8n-nodes-indexing-status.difyKnowledgeTrigger', typeVersion: 1, position: [0, 0],
			parameters: { pollTimes: TRIGGER_POLL_TIMES, event: 'documentFinished', datasetId: sim.backoff.datasetId, watch: 'documents', documentIds: sim.backoff.documentIds.join(',') },
			credentials: credentialRef('difyCredE2E00001'),
		},
		{ id: 'bo2', name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
	]),
	// Activated by the trigger check (E2E_TRIGGER=1): one workflow per case of e2e/trigger-fixtures.ts.
	...sim.triggers.map(triggerWorkflow),
];

fs.mkdirSync(path.join(outDir, 'workflows'), { recursive: true });
fs.writeFileSync(path.join(outDir, 'credentials.json'), JSON.stringify(credentials, null, 1));
for (const workflow of workflows) {
	fs.writeFileSync(path.join(outDir, 'workflows', `${workflow.id}.json`), JSON.stringify(workflow, null, 1));
}
console.log(workflows.map((w) => w.id).join(' '));
