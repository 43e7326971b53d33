import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { eventProperty, stuckAfterMinutesProperty, triggerOptionsProperty, triggerSubtitle } from '../shared/descriptions';
import { pollIndexingStatus } from '../shared/poll';
import { openAiAdapter, openAiListSearch } from './OpenAiVectorStoreAdapter';
import { openAiTriggerTargetProperties } from './OpenAiVectorStoreDescription';

export class OpenAiVectorStoreTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OpenAI Vector Store Trigger',
		name: 'openAiVectorStoreTrigger',
		icon: { light: 'file:openAi.svg', dark: 'file:openAi.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: triggerSubtitle,
		description: 'Starts the workflow when files of an OpenAI vector store finish processing or get stuck',
		defaults: { name: 'OpenAI Vector Store Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'openAiVectorStoreApi', required: true }],
		properties: [eventProperty, stuckAfterMinutesProperty, ...openAiTriggerTargetProperties, triggerOptionsProperty],
	};

	methods = { listSearch: openAiListSearch };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollIndexingStatus.call(this, openAiAdapter);
	}
}
