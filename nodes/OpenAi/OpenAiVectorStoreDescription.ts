import type { INodeProperties } from 'n8n-workflow';

import { locatorProperty } from '../shared/locator';
import { openAiVectorStoreLocator } from './OpenAiVectorStoreAdapter';

const vectorStoreIdProperty: INodeProperties = locatorProperty(
	{
		displayName: 'Vector Store',
		name: 'vectorStoreId',
		required: true,
		description:
			'The vector store: pick it from the list, paste the address of its page on the OpenAI platform (/storage/vector_stores/vs_…), or enter its ID',
	},
	openAiVectorStoreLocator,
);

const fileBatchOption = {
	name: 'File Batch',
	value: 'fileBatch',
	description: 'Every file of one file batch, in one call per check while the batch runs',
};
const filesOption = {
	name: 'File IDs',
	value: 'files',
	description: 'The vector store files with the given IDs',
};
const vectorStoreOption = {
	name: 'Whole Vector Store',
	value: 'vectorStore',
	description: 'Every file of the vector store, including ones added later',
};

const batchIdProperty: INodeProperties = {
	displayName: 'Batch ID',
	name: 'batchId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. vsfb_abc123',
	description: 'The file batch returned by POST /vector_stores/{ID}/file_batches',
	displayOptions: { show: { watch: ['fileBatch'] } },
};

const fileIdsProperty: INodeProperties = {
	displayName: 'File IDs',
	name: 'fileIds',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. file-abc123, file-def456',
	description: 'File IDs separated by commas or new lines, or an expression that returns an array of IDs',
	displayOptions: { show: { watch: ['files'] } },
};

const fileNamesProperty: INodeProperties = {
	displayName: 'Look Up File Names',
	name: 'fileNames',
	type: 'boolean',
	default: false,
	description:
		'Whether to fill documentName with each file\'s name. Vector store calls give no names: this costs one extra call (GET /files/{ID}) per file, once per file.',
};

/**
 * The action node's defaults read the answer of an HTTP Request that created a file batch
 * (`{"id": "vsfb_…", "object": "vector_store.file_batch", …}`), so it chains after it with no mapping.
 */
export const openAiActionTargetProperties: INodeProperties[] = [
	vectorStoreIdProperty,
	{
		displayName: 'Watch',
		name: 'watch',
		type: 'options',
		options: [fileBatchOption, filesOption],
		default: 'fileBatch',
	},
	{
		...batchIdProperty,
		default: '={{ $json.id }}',
		hint: 'The default reads "id" from the output of the call that created the file batch',
	},
	{
		...fileIdsProperty,
		default: '={{ $json.id }}',
		hint: 'The default reads "id" from the output of the call that added the file',
	},
	fileNamesProperty,
];

export const openAiTriggerTargetProperties: INodeProperties[] = [
	vectorStoreIdProperty,
	{
		displayName: 'Watch',
		name: 'watch',
		type: 'options',
		options: [fileBatchOption, filesOption, vectorStoreOption],
		default: 'vectorStore',
	},
	batchIdProperty,
	fileIdsProperty,
	fileNamesProperty,
];
