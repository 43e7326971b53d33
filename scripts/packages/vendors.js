// The one-vendor packages `npm run build:packages` makes, one entry per vendor. n8n verifies only
// packages that integrate exactly one third-party service, so each vendor also ships alone, built
// from the same sources as the all-in-one package `n8n-nodes-indexing-status`. A new vendor is one
// more entry here (and its files under nodes/ and credentials/); scripts/build-packages.js,
// scripts/migrate-workflows.js, `npm run lint:scan` and the e2e read this table.
//
// Fields:
//   vendor       the normalized items' `vendor` value; the package is `n8n-nodes-indexing-status-<vendor>`
//   service      the service's name as users know it (English only)
//   types        node type names (INTERFACE.md): the action node, then its trigger
//   nodes        compiled node files (dist/...) of those types
//   credentials  compiled credential files (dist/...)
//   credentialTypes  their type names (INTERFACE.md)
//   icons        icon files (dist/...) the nodes and the credential name with `file:`
//   examples     files of examples/ that use only this vendor's nodes
//   store        what users load documents into, with its article (README), and `stores`, the
//                plural (package.json description)
//   keywords     npm keywords besides the ones every package has
//   readme       how to cut this vendor's part out of README.md (scripts/packages/readme.js):
//                `match` finds its rows in tables and its paragraphs and bullets that open with a
//                bold vendor name; `screenshots` the docs/ images the package ships and shows
//   e2e          what the e2e runs on the package installed alone in real n8n (e2e/packages-check.js):
//                the workflows of e2e/fixtures.js for Get and Wait with their check-execution.js
//                steps, and a trigger workflow of e2e/trigger-fixtures.ts that emits at activation
'use strict';

const PREFIX = 'n8n-nodes-indexing-status';

const vendors = [
	{
		vendor: 'dify',
		types: ['difyKnowledge', 'difyKnowledgeTrigger'],
		service: 'Dify',
		store: 'a Dify knowledge base',
		stores: 'Dify knowledge bases',
		nodes: ['dist/nodes/Dify/DifyKnowledge.node.js', 'dist/nodes/Dify/DifyKnowledgeTrigger.node.js'],
		credentials: ['dist/credentials/DifyKnowledgeApi.credentials.js'],
		credentialTypes: ['difyKnowledgeApi'],
		icons: ['dist/nodes/Dify/dify.svg', 'dist/nodes/Dify/dify.dark.svg'],
		examples: ['dify-wait-after-upload.json', 'dify-trigger-on-dataset.json', 'dify-alert-on-stuck.json'],
		keywords: ['dify'],
		readme: { match: /^Dify\b/, screenshots: ['editor-dify-action.png', 'editor-dify-trigger.png', 'editor-dify-credential.png', 'list-mode-dify.png', 'list-mode-error.png'] },
		e2e: { get: ['wfGetE2E00000001', 'dify-get'], wait: ['wfWaitE2E0000001', 'dify-wait'], trigger: 'wfTDdifyFD000000' },
	},
	{
		vendor: 'coze',
		types: ['cozeKnowledge', 'cozeKnowledgeTrigger'],
		service: 'Coze',
		store: 'a Coze knowledge base',
		stores: 'Coze knowledge bases',
		nodes: ['dist/nodes/Coze/CozeKnowledge.node.js', 'dist/nodes/Coze/CozeKnowledgeTrigger.node.js'],
		credentials: ['dist/credentials/CozeApi.credentials.js'],
		credentialTypes: ['cozeApi'],
		icons: ['dist/nodes/Coze/coze.svg', 'dist/nodes/Coze/coze.dark.svg'],
		examples: ['coze-wait-after-upload.json'],
		keywords: ['coze'],
		readme: { match: /^Coze\b/, screenshots: ['editor-coze-action.png', 'editor-coze-trigger.png', 'editor-coze-credential.png'] },
		e2e: { get: ['wfCozeGet0000001', 'coze-get'], wait: ['wfCozeWait000001', 'coze-wait'], trigger: 'wfTDcozeFD000000' },
	},
	{
		vendor: 'bailian',
		types: ['bailianKnowledge', 'bailianKnowledgeTrigger'],
		service: 'Alibaba Cloud Model Studio (Bailian)',
		store: 'an Alibaba Cloud Model Studio (Bailian) knowledge base',
		stores: 'Alibaba Cloud Model Studio (Bailian) knowledge bases',
		nodes: ['dist/nodes/Bailian/BailianKnowledge.node.js', 'dist/nodes/Bailian/BailianKnowledgeTrigger.node.js'],
		credentials: ['dist/credentials/BailianApi.credentials.js'],
		credentialTypes: ['bailianApi'],
		icons: ['dist/nodes/Bailian/bailian.svg', 'dist/nodes/Bailian/bailian.dark.svg'],
		examples: ['bailian-wait-after-submit.json', 'bailian-long-job-loop.json'],
		keywords: ['bailian', 'alibaba cloud', 'model studio'],
		readme: { match: /^(Bailian|Alibaba Cloud Model Studio)\b/, screenshots: ['editor-bailian-action.png', 'editor-bailian-trigger.png', 'editor-bailian-credential.png'] },
		e2e: { get: ['wfBailGet0000001', 'bailian-get'], wait: ['wfBailWait000001', 'bailian-wait'], trigger: 'wfTDbailFD000000' },
	},
	{
		vendor: 'kendra',
		types: ['amazonKendra', 'amazonKendraTrigger'],
		service: 'Amazon Kendra',
		store: 'an Amazon Kendra index',
		stores: 'Amazon Kendra indexes',
		nodes: ['dist/nodes/AmazonKendra/AmazonKendra.node.js', 'dist/nodes/AmazonKendra/AmazonKendraTrigger.node.js'],
		credentials: ['dist/credentials/AmazonKendraApi.credentials.js'],
		credentialTypes: ['amazonKendraApi'],
		icons: ['dist/nodes/AmazonKendra/kendra.svg', 'dist/nodes/AmazonKendra/kendra.dark.svg'],
		examples: ['kendra-wait-after-batch-put.json'],
		keywords: ['kendra', 'aws', 'amazon'],
		readme: { match: /^(Amazon )?Kendra\b/, screenshots: ['editor-kendra-action.png', 'editor-kendra-trigger.png', 'editor-kendra-credential.png'] },
		e2e: { get: ['wfKendraGet00001', 'kendra-get'], wait: ['wfKendraWait0001', 'kendra-wait'], trigger: 'wfTDkendFD000000' },
	},
	{
		vendor: 'openai',
		types: ['openAiVectorStore', 'openAiVectorStoreTrigger'],
		service: 'OpenAI vector stores',
		store: 'an OpenAI vector store',
		stores: 'OpenAI vector stores',
		nodes: ['dist/nodes/OpenAi/OpenAiVectorStore.node.js', 'dist/nodes/OpenAi/OpenAiVectorStoreTrigger.node.js'],
		credentials: ['dist/credentials/OpenAiVectorStoreApi.credentials.js'],
		credentialTypes: ['openAiVectorStoreApi'],
		icons: ['dist/nodes/OpenAi/openAi.svg', 'dist/nodes/OpenAi/openAi.dark.svg'],
		examples: ['openai-wait-after-file-batch.json'],
		keywords: ['openai', 'vector store', 'file search', 'azure openai'],
		readme: { match: /^(Azure )?OpenAI\b/, screenshots: ['editor-openai-action.png', 'editor-openai-trigger.png', 'editor-openai-credential.png'] },
		e2e: { get: ['wfOpenAiGet00001', 'openai-get'], wait: ['wfOpenAiWait0001', 'openai-wait'], trigger: 'wfTDopenFD000000' },
	},
	{
		vendor: 'bedrock',
		types: ['amazonBedrockKnowledgeBase', 'amazonBedrockKnowledgeBaseTrigger'],
		service: 'Amazon Bedrock Knowledge Bases',
		store: 'an Amazon Bedrock knowledge base',
		stores: 'Amazon Bedrock knowledge bases',
		nodes: ['dist/nodes/AmazonBedrockKnowledgeBase/AmazonBedrockKnowledgeBase.node.js', 'dist/nodes/AmazonBedrockKnowledgeBase/AmazonBedrockKnowledgeBaseTrigger.node.js'],
		credentials: ['dist/credentials/AmazonBedrockKnowledgeBaseApi.credentials.js'],
		credentialTypes: ['amazonBedrockKnowledgeBaseApi'],
		icons: ['dist/nodes/AmazonBedrockKnowledgeBase/bedrock.svg', 'dist/nodes/AmazonBedrockKnowledgeBase/bedrock.dark.svg'],
		examples: ['bedrock-wait-after-start-ingestion.json'],
		keywords: ['bedrock', 'knowledge bases', 'aws', 'amazon'],
		readme: { match: /^(Amazon )?Bedrock\b/, screenshots: ['editor-bedrock-action.png', 'editor-bedrock-trigger.png', 'editor-bedrock-credential.png'] },
		e2e: { get: ['wfBedrockGet0001', 'bedrock-get'], wait: ['wfBedrockWait001', 'bedrock-wait'], trigger: 'wfTDbedrFD000000' },
	},
];

for (const entry of vendors) entry.package = `${PREFIX}-${entry.vendor}`;

module.exports = { PREFIX, vendors };
