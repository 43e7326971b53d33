import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { eventProperty, stuckAfterMinutesProperty, triggerSubtitle } from '../shared/descriptions';
import { pollIndexingStatus } from '../shared/poll';
import { kendraAdapter, kendraListSearch } from './AmazonKendraAdapter';
import { kendraTriggerOptionsProperty, kendraTriggerTargetProperties } from './AmazonKendraDescription';

export class AmazonKendraTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Amazon Kendra Trigger',
		name: 'amazonKendraTrigger',
		icon: { light: 'file:kendra.svg', dark: 'file:kendra.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: triggerSubtitle,
		description: 'Starts the workflow when documents of an Amazon Kendra index finish indexing or get stuck',
		defaults: { name: 'Amazon Kendra Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'amazonKendraApi', required: true }],
		properties: [eventProperty, stuckAfterMinutesProperty, ...kendraTriggerTargetProperties, kendraTriggerOptionsProperty],
	};

	methods = { listSearch: kendraListSearch };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollIndexingStatus.call(this, kendraAdapter);
	}
}
