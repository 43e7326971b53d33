import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { eventProperty, stuckAfterMinutesProperty, triggerOptionsProperty, triggerSubtitle } from '../shared/descriptions';
import { pollIndexingStatus } from '../shared/poll';
import { difyAdapter, difyListSearch } from './DifyAdapter';
import { difyTriggerTargetProperties } from './DifyDescription';

export class DifyKnowledgeTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dify Knowledge Trigger',
		name: 'difyKnowledgeTrigger',
		icon: { light: 'file:dify.svg', dark: 'file:dify.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: triggerSubtitle,
		description: 'Starts the workflow when documents of a Dify knowledge base finish indexing or get stuck',
		defaults: { name: 'Dify Knowledge Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'difyKnowledgeApi', required: true }],
		properties: [eventProperty, stuckAfterMinutesProperty, ...difyTriggerTargetProperties, triggerOptionsProperty],
	};

	methods = { listSearch: difyListSearch };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollIndexingStatus.call(this, difyAdapter);
	}
}
