import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { eventProperty, triggerOptionsProperty } from '../shared/descriptions';
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
		subtitle: '={{ $parameter["event"] === "allFinished" ? "All finished" : "Document finished" }}',
		description:
			'Starts the workflow when documents of an Alibaba Cloud Model Studio (Bailian) knowledge base finish indexing',
		defaults: { name: 'Bailian Knowledge Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'bailianApi', required: true }],
		properties: [eventProperty, ...bailianTriggerTargetProperties, triggerOptionsProperty],
	};

	methods = { listSearch: bailianListSearch };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollIndexingStatus.call(this, bailianAdapter);
	}
}
