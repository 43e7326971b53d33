import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operationProperty, optionsProperty, waitProperties } from '../shared/descriptions';
import { executeIndexingStatus } from '../shared/execute';
import { openAiAdapter, openAiListSearch, openAiSpec } from './OpenAiVectorStoreAdapter';
import { openAiActionTargetProperties } from './OpenAiVectorStoreDescription';

export class OpenAiVectorStore implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OpenAI Vector Store',
		name: 'openAiVectorStore',
		icon: { light: 'file:openAi.svg', dark: 'file:openAi.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "waitUntilIndexed" ? "Wait until indexed" : "Get indexing status" }}',
		description:
			'Check or wait for the processing of files in an OpenAI vector store (File Search). Needs the vector store ID (vs_…) and the file batch ID or the file IDs. Returns one item per file with its status (processing, completed, failed, not_found) and error.',
		defaults: { name: 'OpenAI Vector Store' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'openAiVectorStoreApi', required: true }],
		properties: [operationProperty, ...openAiActionTargetProperties, ...waitProperties(openAiSpec), optionsProperty],
	};

	methods = { listSearch: openAiListSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeIndexingStatus.call(this, openAiAdapter);
	}
}
