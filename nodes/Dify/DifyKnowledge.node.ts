import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operationProperty, optionsProperty, waitProperties } from '../shared/descriptions';
import { executeIndexingStatus } from '../shared/execute';
import { difyAdapter, difyListSearch, difySpec } from './DifyAdapter';
import { difyActionTargetProperties } from './DifyDescription';

export class DifyKnowledge implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dify Knowledge',
		name: 'difyKnowledge',
		icon: { light: 'file:dify.svg', dark: 'file:dify.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "waitUntilIndexed" ? "Wait until indexed" : "Get indexing status" }}',
		description:
			'Check or wait for the indexing of documents in a Dify knowledge base. Needs the dataset ID (a UUID) and the upload batch or the document IDs. Returns one item per document with its status (queued, processing, paused, completed, failed, not_found), progress (0-100) and error.',
		defaults: { name: 'Dify Knowledge' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'difyKnowledgeApi', required: true }],
		properties: [
			operationProperty,
			...difyActionTargetProperties,
			...waitProperties(difySpec),
			optionsProperty,
		],
	};

	methods = { listSearch: difyListSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeIndexingStatus.call(this, difyAdapter);
	}
}
