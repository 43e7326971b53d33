import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operationProperty, optionsProperty, waitProperties } from '../shared/descriptions';
import { executeIndexingStatus } from '../shared/execute';
import { cozeAdapter, cozeListSearch, cozeSpec } from './CozeAdapter';
import { cozeActionTargetProperties } from './CozeDescription';

export class CozeKnowledge implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Coze Knowledge',
		name: 'cozeKnowledge',
		icon: { light: 'file:coze.svg', dark: 'file:coze.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "waitUntilIndexed" ? "Wait until indexed" : "Get indexing status" }}',
		description:
			'Check or wait for the processing of documents in a Coze knowledge base. Needs the knowledge base (dataset) ID and the document IDs, all as strings of digits. Returns one item per document with its status (processing, completed, failed), progress (0-100), the seconds Coze expects it to take, and any error.',
		defaults: { name: 'Coze Knowledge' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cozeApi', required: true }],
		properties: [
			operationProperty,
			...cozeActionTargetProperties,
			...waitProperties(cozeSpec),
			optionsProperty,
		],
	};

	methods = { listSearch: cozeListSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeIndexingStatus.call(this, cozeAdapter);
	}
}
