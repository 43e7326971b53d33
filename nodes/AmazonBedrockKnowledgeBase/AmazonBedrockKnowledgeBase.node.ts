import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operationProperty, optionsProperty, waitProperties } from '../shared/descriptions';
import { executeIndexingStatus } from '../shared/execute';
import { bedrockAdapter, bedrockListSearch, bedrockSpec } from './AmazonBedrockKnowledgeBaseAdapter';
import { bedrockActionTargetProperties } from './AmazonBedrockKnowledgeBaseDescription';

export class AmazonBedrockKnowledgeBase implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Amazon Bedrock Knowledge Base',
		name: 'amazonBedrockKnowledgeBase',
		icon: { light: 'file:bedrock.svg', dark: 'file:bedrock.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "waitUntilIndexed" ? "Wait until indexed" : "Get indexing status" }}',
		description:
			'Check or wait for the ingestion of documents into an Amazon Bedrock knowledge base: an ingestion job (GetIngestionJob), or documents by custom ID or S3 URI (GetKnowledgeBaseDocuments). Needs the knowledge base ID and the data source ID (10 letters or digits each), and the ingestion job ID or the document IDs. Returns one item per document with its status (queued, processing, completed, failed, deleted, not_found) and any failure reason.',
		defaults: { name: 'Amazon Bedrock Knowledge Base' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'amazonBedrockKnowledgeBaseApi', required: true }],
		properties: [operationProperty, ...bedrockActionTargetProperties, ...waitProperties(bedrockSpec), optionsProperty],
	};

	methods = { listSearch: bedrockListSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeIndexingStatus.call(this, bedrockAdapter);
	}
}
