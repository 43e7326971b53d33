import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operationProperty, waitProperties } from '../shared/descriptions';
import { executeIndexingStatus } from '../shared/execute';
import { kendraAdapter, kendraListSearch, kendraSpec } from './AmazonKendraAdapter';
import { kendraActionTargetProperties, kendraOptionsProperty } from './AmazonKendraDescription';

export class AmazonKendra implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Amazon Kendra',
		name: 'amazonKendra',
		icon: { light: 'file:kendra.svg', dark: 'file:kendra.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "waitUntilIndexed" ? "Wait until indexed" : "Get indexing status" }}',
		description:
			'Check or wait for the indexing of documents in an Amazon Kendra index (BatchGetDocumentStatus). Needs the index ID (36 characters) and the document IDs the documents were put with. Returns one item per document with its status (processing, completed, failed, not_found) and any failure reason.',
		defaults: { name: 'Amazon Kendra' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'amazonKendraApi', required: true }],
		properties: [
			operationProperty,
			...kendraActionTargetProperties,
			...waitProperties(kendraSpec),
			kendraOptionsProperty,
		],
	};

	methods = { listSearch: kendraListSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeIndexingStatus.call(this, kendraAdapter);
	}
}
