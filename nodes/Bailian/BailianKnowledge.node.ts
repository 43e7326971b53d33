import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operationProperty, optionsProperty, waitProperties } from '../shared/descriptions';
import { executeIndexingStatus } from '../shared/execute';
import { bailianAdapter, bailianListSearch, bailianSpec } from './BailianAdapter';
import { bailianActionTargetProperties } from './BailianDescription';

export class BailianKnowledge implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bailian Knowledge',
		name: 'bailianKnowledge',
		icon: { light: 'file:bailian.svg', dark: 'file:bailian.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "waitUntilIndexed" ? "Wait until indexed" : "Get indexing status" }}',
		description:
			'Check or wait for an indexing job of an Alibaba Cloud Model Studio (Bailian) knowledge base. Needs the knowledge base ID (IndexId) and the job ID (JobId) that SubmitIndexJob or SubmitIndexAddDocumentsJob returned. Returns one item per document of the job with its status (processing, completed, failed, deleted) and error, or one item with the job status while it lists no document.',
		defaults: { name: 'Bailian Knowledge' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'bailianApi', required: true }],
		hints: [
			{
				message:
					'Indexing jobs can run for hours. For long jobs, use the Bailian Knowledge Trigger, or loop Get Indexing Status → If (terminal) → Wait (5 s or more) instead of a long Wait Until Indexed.',
				type: 'info',
				location: 'outputPane',
				whenToDisplay: 'beforeExecution',
			},
		],
		properties: [
			operationProperty,
			...bailianActionTargetProperties,
			...waitProperties(bailianSpec),
			optionsProperty,
		],
	};

	methods = { listSearch: bailianListSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeIndexingStatus.call(this, bailianAdapter);
	}
}
