import type { INodeProperties } from 'n8n-workflow';

import { locatorProperty } from '../shared/locator';
import { difyDatasetLocator } from './DifyAdapter';

const datasetIdProperty: INodeProperties = locatorProperty(
	{
		displayName: 'Dataset',
		name: 'datasetId',
		required: true,
		description:
			'The knowledge base: pick it from the list, paste the address of its page in Dify (/datasets/&lt;ID&gt;/documents), or enter its ID',
	},
	difyDatasetLocator,
);

const batchOption = {
	name: 'Batch',
	value: 'batch',
	description: 'Every document of one upload batch, in one call per check',
};
const documentsOption = {
	name: 'Document IDs',
	value: 'documents',
	description: 'The documents with the given IDs',
};
const datasetOption = {
	name: 'Whole Dataset',
	value: 'dataset',
	description: 'Every document of the knowledge base, including ones added later',
};

const batchProperty: INodeProperties = {
	displayName: 'Batch',
	name: 'batch',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 20250306150245647595',
	description: 'The batch returned by the create-by-text or create-by-file call',
	displayOptions: { show: { watch: ['batch'] } },
};

const documentIdsProperty: INodeProperties = {
	displayName: 'Document IDs',
	name: 'documentIds',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. a8e0e5b5-78c6-4130-a5ce-25feb0e0b4ac, 0d5e…',
	description: 'Document IDs separated by commas or new lines, or an expression that returns an array of IDs',
	displayOptions: { show: { watch: ['documents'] } },
};

/**
 * The action node's defaults read Dify's create-by-text / create-by-file answer
 * (`{"document": {"id": …}, "batch": "…"}`), so it chains after an upload with no mapping.
 */
export const difyActionTargetProperties: INodeProperties[] = [
	datasetIdProperty,
	{
		displayName: 'Watch',
		name: 'watch',
		type: 'options',
		options: [batchOption, documentsOption],
		default: 'batch',
	},
	{
		...batchProperty,
		default: '={{ $json.batch }}',
		hint: 'The default reads "batch" from the upload node\'s output',
	},
	{
		...documentIdsProperty,
		default: '={{ $json.document.id }}',
		hint: 'The default reads "document.id" from the upload node\'s output',
	},
];

export const difyTriggerTargetProperties: INodeProperties[] = [
	datasetIdProperty,
	{
		displayName: 'Watch',
		name: 'watch',
		type: 'options',
		options: [batchOption, documentsOption, datasetOption],
		default: 'dataset',
	},
	batchProperty,
	documentIdsProperty,
];
