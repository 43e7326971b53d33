import type { INodeProperties } from 'n8n-workflow';

import { locatorProperty } from '../shared/locator';
import { cozeDatasetLocator } from './CozeAdapter';

const datasetIdProperty: INodeProperties = locatorProperty(
	{
		displayName: 'Dataset',
		name: 'datasetId',
		required: true,
		description:
			'The knowledge base: pick it from the list, paste the address of its page on coze.cn or coze.com (…/knowledge/&lt;ID&gt;), or enter its ID. Only Coze knowledge bases are supported, not Volcano ones.',
	},
	cozeDatasetLocator,
);

const documentIdsProperty: INodeProperties = {
	displayName: 'Document IDs',
	name: 'documentIds',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 7442585813587681111, 7442585813668682222',
	description:
		'Document IDs of the knowledge base, separated by commas or new lines, or an expression that returns an array of ID strings',
};

/**
 * The action node's default reads Coze's create-document answer
 * (`{"document_infos": [{"document_id": "…"}, …]}`), so it chains after an upload with no mapping.
 */
export const cozeActionTargetProperties: INodeProperties[] = [
	datasetIdProperty,
	{
		...documentIdsProperty,
		default: '={{ $json.document_infos?.map(info => info.document_id) }}',
		hint: 'The default reads document_infos[].document_id from the create-document output. Send that call with the header Agw-Js-Conv: str, so that Coze returns the 64-bit IDs as strings.',
	},
];

export const cozeTriggerTargetProperties: INodeProperties[] = [
	datasetIdProperty,
	{
		displayName: 'Watch',
		name: 'watch',
		type: 'options',
		options: [
			{
				name: 'Document IDs',
				value: 'documents',
				description: 'The documents with the given IDs',
			},
			{
				name: 'Whole Dataset',
				value: 'dataset',
				description: 'Every document of the knowledge base, including ones added later',
			},
		],
		default: 'dataset',
	},
	{
		...documentIdsProperty,
		displayOptions: { show: { watch: ['documents'] } },
	},
];
