import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { eventProperty, stuckAfterMinutesProperty, triggerOptionsProperty, triggerSubtitle } from '../shared/descriptions';
import { pollIndexingStatus } from '../shared/poll';
import { cozeAdapter, cozeListSearch } from './CozeAdapter';
import { cozeTriggerTargetProperties } from './CozeDescription';

export class CozeKnowledgeTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Coze Knowledge Trigger',
		name: 'cozeKnowledgeTrigger',
		icon: { light: 'file:coze.svg', dark: 'file:coze.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: triggerSubtitle,
		description: 'Starts the workflow when documents of a Coze knowledge base finish processing or get stuck',
		defaults: { name: 'Coze Knowledge Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cozeApi', required: true }],
		properties: [eventProperty, stuckAfterMinutesProperty, ...cozeTriggerTargetProperties, triggerOptionsProperty],
	};

	methods = { listSearch: cozeListSearch };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollIndexingStatus.call(this, cozeAdapter);
	}
}
