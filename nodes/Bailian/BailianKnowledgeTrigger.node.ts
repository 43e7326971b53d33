import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { eventProperty, stuckAfterMinutesProperty, triggerOptionsProperty, triggerSubtitle } from '../shared/descriptions';
import { pollIndexingStatus } from '../shared/poll';
import { bailianAdapter, bailianListSearch } from './BailianAdapter';
import { bailianTriggerTargetProperties } from './BailianDescription';

export class BailianKnowledgeTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bailian Knowledge Trigger',
		name: 'bailianKnowledgeTrigger',
		icon: { light: 'file:bailian.svg', dark: 'file:bailian.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: triggerSubtitle,
		description:
			'Starts the workflow when documents of an Alibaba Cloud Model Studio (Bailian) knowledge base finish indexing or get stuck',
		defaults: { name: 'Bailian Knowledge Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'bailianApi', required: true }],
		properties: [eventProperty, stuckAfterMinutesProperty, ...bailianTriggerTargetProperties, triggerOptionsProperty],
	};

	methods = { listSearch: bailianListSearch };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollIndexingStatus.call(this, bailianAdapter);
	}
}
