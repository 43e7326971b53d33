import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { eventProperty, stuckAfterMinutesProperty, triggerOptionsProperty, triggerSubtitle } from '../shared/descriptions';
import { pollIndexingStatus } from '../shared/poll';
import { bedrockAdapter, bedrockListSearch } from './AmazonBedrockKnowledgeBaseAdapter';
import { bedrockTriggerTargetProperties } from './AmazonBedrockKnowledgeBaseDescription';

export class AmazonBedrockKnowledgeBaseTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Amazon Bedrock Knowledge Base Trigger',
		name: 'amazonBedrockKnowledgeBaseTrigger',
		icon: { light: 'file:bedrock.svg', dark: 'file:bedrock.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: triggerSubtitle,
		description: 'Starts the workflow when documents of an Amazon Bedrock knowledge base finish ingestion or get stuck',
		defaults: { name: 'Amazon Bedrock Knowledge Base Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'amazonBedrockKnowledgeBaseApi', required: true }],
		properties: [eventProperty, stuckAfterMinutesProperty, ...bedrockTriggerTargetProperties, triggerOptionsProperty],
	};

	methods = { listSearch: bedrockListSearch };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollIndexingStatus.call(this, bedrockAdapter);
	}
}
