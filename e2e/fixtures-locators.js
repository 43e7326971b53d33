// Writes the credentials and workflows of the resource locator and AI agent checks for the
// simulator in <sim.json> and the scripted chat model in <chat-model.json>:
// <outDir>/credentials-locators.json and <outDir>/workflows/*.json (beside e2e/fixtures.js's).
//
// Usage: node e2e/fixtures-locators.js <sim.json> <chat-model.json> <outDir>
//
// - One workflow per vendor whose knowledge base parameter is a resource locator in a different
//   mode (By URL, From List, By ID), as the editor saves them.
// - One workflow exactly as the package's first version (0.1.0) saved it, with plain strings:
//   it must keep running unchanged.
// - An AI Agent whose model is n8n's OpenAI Chat Model pointed at e2e/scripted-chat-model.js and
//   whose tool is the Dify Knowledge node as an AI tool, its IDs filled by the model ($fromAI).
// Credentials of e2e/fixtures.js are referred to by id; this file adds only the chat model's.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [simFile, chatModelFile, outDir] = process.argv.slice(2);
const sim = JSON.parse(fs.readFileSync(simFile, 'utf8'));
const chatModel = JSON.parse(fs.readFileSync(chatModelFile, 'utf8'));
const loc = sim.locators;

const credentials = [
	// No secret: the scripted model accepts any key.
	{ id: 'openAiScripted01', name: 'Scripted chat model', type: 'openAiApi', data: { apiKey: 'sk-scripted-e2e-model', url: chatModel.url } },
];
const ref = (type, id, name) => ({ [type]: { id, name } });
const dify = ref('difyKnowledgeApi', 'difyCredE2E00001', 'Dify sim');
const coze = ref('cozeApi', 'cozeCredE2E00001', 'Coze sim');
const kendra = ref('amazonKendraApi', 'kendraCredE2E001', 'Kendra sim');
const bailian = ref('bailianApi', 'bailCredE2E00001', 'Bailian sim');

const manualTrigger = { id: 't1', name: 'When clicking Execute', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
const code = (name, items) => ({
	id: 'c1', name, type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0],
	parameters: { jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};` },
});
const linear = (id, name, nodes) => ({
	id, name, active: false, settings: { executionOrder: 'v1' }, nodes,
	connections: Object.fromEntries(nodes.slice(0, -1).map((node, i) => [node.name, { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] }])),
});
const node = (name, type, parameters, credentialRef) => ({
	id: `n-${type}`, name, type: `n8n-nodes-indexing-status.${type}`, typeVersion: 1, position: [440, 0], parameters, credentials: credentialRef,
});
const wait = { operation: 'waitUntilIndexed', pollInterval: 1, timeout: 60 };
const rl = (mode, value, extra = {}) => ({ __rl: true, mode, value, ...extra });

const consoleHost = 'https://cloud.dify.ai';
const workflows = [
	linear('wfDifyLocUrl0001', 'E2E Dify dataset by URL', [
		manualTrigger,
		code('Upload result', [{ batch: loc.dify.batch, document: { id: loc.dify.documentIds[0] } }]),
		node('Dify Knowledge', 'difyKnowledge', { ...wait, datasetId: rl('url', `${consoleHost}/datasets/${sim.datasetId}/documents`) }, dify),
	]),
	linear('wfCozeLocList001', 'E2E Coze dataset from the list', [
		manualTrigger,
		code('Upload result', [{ document_infos: loc.coze.map((document_id) => ({ document_id })) }]),
		node('Coze Knowledge', 'cozeKnowledge', { ...wait, datasetId: rl('list', sim.coze.datasetId, { cachedResultName: 'E2E coze knowledge' }) }, coze),
	]),
	linear('wfKendraLocUrl01', 'E2E Kendra index by URL', [
		manualTrigger,
		code('Upload result', [{ Documents: loc.kendra.map((Id) => ({ Id })), FailedDocuments: [] }]),
		node('Amazon Kendra', 'amazonKendra', {
			...wait,
			indexId: rl('url', `https://${sim.kendra.region}.console.aws.amazon.com/kendra/home?region=${sim.kendra.region}#indexes/${sim.kendra.indexId}`),
		}, kendra),
	]),
	linear('wfBailLocIds0001', 'E2E Bailian workspace by ID, knowledge base by URL', [
		manualTrigger,
		code('Submit result', [{ Code: '', Data: { Id: loc.bailianJob }, Success: true }]),
		node('Bailian Knowledge', 'bailianKnowledge', {
			operation: 'getIndexingStatus',
			workspaceId: rl('id', sim.bailian.workspaceId),
			indexId: rl('url', `https://bailian.console.aliyun.com/?tab=app#/knowledge-base/detail/${sim.bailian.indexId}`),
		}, bailian),
	]),
	// Exactly what 0.1.0's editor saved: the IDs as plain strings.
	linear('wfDifyOldFmt0001', 'E2E Dify saved before resource locators (0.1.0)', [
		manualTrigger,
		code('Upload result', [{ batch: loc.oldFormat.batch, document: { id: loc.oldFormat.documentIds[0] } }]),
		node('Dify Knowledge', 'difyKnowledge', { operation: 'getIndexingStatus', datasetId: sim.datasetId }, dify),
	]),
	agentWorkflow(),
	// Opened in the editor by e2e/screenshot-list-mode.js, never executed: the Dataset list with a
	// good key, and with a wrong one.
	linear('wfListShot000001', 'Pick a knowledge base from the list', [
		manualTrigger,
		node('Dify Knowledge', 'difyKnowledge', { operation: 'waitUntilIndexed', datasetId: rl('list', '') }, dify),
	]),
	linear('wfListShotWrong1', 'The knowledge base list with a wrong API key', [
		manualTrigger,
		node('Dify Knowledge', 'difyKnowledge', { operation: 'waitUntilIndexed', datasetId: rl('list', '') }, ref('difyKnowledgeApi', 'difyCredWRONG001', 'Dify wrong key')),
	]),
];

function agentWorkflow() {
	const question = `Has the upload finished indexing? Knowledge base ${sim.datasetId}, documents ${loc.agent.documentIds.join(', ')}.`;
	const nodes = [
		manualTrigger,
		code('Question', [{ chatInput: question }]),
		{
			id: 'ag1', name: 'AI Agent', type: '@n8n/n8n-nodes-langchain.agent', typeVersion: 3.1, position: [440, 0],
			parameters: { promptType: 'define', text: '={{ $json.chatInput }}', options: {} },
		},
		{
			id: 'lm1', name: 'Scripted Chat Model', type: '@n8n/n8n-nodes-langchain.lmChatOpenAi', typeVersion: 1.2, position: [360, 220],
			parameters: { model: rl('id', 'scripted-model'), options: {} },
			credentials: ref('openAiApi', 'openAiScripted01', 'Scripted chat model'),
		},
		{
			id: 'tool1', name: 'Dify Knowledge', type: 'n8n-nodes-indexing-status.difyKnowledgeTool', typeVersion: 1, position: [560, 220],
			parameters: {
				descriptionType: 'auto',
				operation: 'getIndexingStatus',
				datasetId: rl('id', "={{ $fromAI('datasetId', 'The ID (a UUID) of the Dify knowledge base', 'string') }}"),
				watch: 'documents',
				documentIds: "={{ $fromAI('documentIds', 'The IDs of the documents to check, separated by commas', 'string') }}",
			},
			credentials: dify,
		},
	];
	return {
		id: 'wfAgentTool00001', name: 'E2E AI Agent with the Dify Knowledge tool', active: false, settings: { executionOrder: 'v1' }, nodes,
		connections: {
			[manualTrigger.name]: { main: [[{ node: 'Question', type: 'main', index: 0 }]] },
			Question: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'Scripted Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
			'Dify Knowledge': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
	};
}

fs.mkdirSync(path.join(outDir, 'workflows'), { recursive: true });
fs.writeFileSync(path.join(outDir, 'credentials-locators.json'), JSON.stringify(credentials, null, 1));
for (const workflow of workflows) {
	fs.writeFileSync(path.join(outDir, 'workflows', `${workflow.id}.json`), JSON.stringify(workflow, null, 1));
}
console.log(workflows.map((w) => w.id).join(' '));
