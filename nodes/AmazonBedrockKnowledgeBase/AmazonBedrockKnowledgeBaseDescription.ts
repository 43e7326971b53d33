import type { INodeProperties } from 'n8n-workflow';

import { locatorProperty } from '../shared/locator';
import { bedrockDataSourceLocator, bedrockKnowledgeBaseLocator } from './AmazonBedrockKnowledgeBaseAdapter';

const knowledgeBaseIdProperty: INodeProperties = locatorProperty(
	{
		displayName: 'Knowledge Base',
		name: 'knowledgeBaseId',
		required: true,
		description:
			"The knowledge base: pick it from the list, paste the address of its page in the Amazon Bedrock console, or enter its 10-character ID. It must be in the credential's region.",
	},
	bedrockKnowledgeBaseLocator,
);

const dataSourceIdProperty: INodeProperties = locatorProperty(
	{
		displayName: 'Data Source',
		name: 'dataSourceId',
		required: true,
		description: 'The data source of the knowledge base: pick it from the list (of the chosen knowledge base) or enter its 10-character ID',
	},
	bedrockDataSourceLocator,
);

const ingestionJobOption = {
	name: 'Ingestion Job',
	value: 'ingestionJob',
	description: 'One ingestion job (sync) of the data source, then the documents it touched',
};
const documentsOption = {
	name: 'Document IDs',
	value: 'documents',
	description: 'The documents with the given custom IDs, or S3 URIs for an S3 data source',
};
const dataSourceOption = {
	name: 'Whole Data Source',
	value: 'dataSource',
	description: 'Every document of the data source, including ones added later',
};

const ingestionJobIdProperty: INodeProperties = {
	displayName: 'Ingestion Job ID',
	name: 'ingestionJobId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. KLMNO24680',
	description: 'The 10-character ID of the ingestion job (ingestionJob.ingestionJobId in the answer of StartIngestionJob)',
	displayOptions: { show: { watch: ['ingestionJob'] } },
};

const documentIdsProperty: INodeProperties = {
	displayName: 'Document IDs',
	name: 'documentIds',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. doc-1, doc-2 or s3://my-bucket/guide.pdf',
	description:
		'Custom document IDs (custom data source) or S3 URIs (S3 data source), separated by commas or new lines, or an expression that returns an array of strings. Use an array for IDs that contain commas.',
	displayOptions: { show: { watch: ['documents'] } },
};

/**
 * The action node's defaults read the answer of the call before it, made with an HTTP Request
 * node and the same credential: StartIngestionJob (`{"ingestionJob": {"ingestionJobId": …}}`) or
 * IngestKnowledgeBaseDocuments (`{"documentDetails": [{"identifier": …}]}`).
 */
export const bedrockActionTargetProperties: INodeProperties[] = [
	knowledgeBaseIdProperty,
	dataSourceIdProperty,
	{
		displayName: 'Watch',
		name: 'watch',
		type: 'options',
		options: [ingestionJobOption, documentsOption],
		default: 'ingestionJob',
	},
	{
		...ingestionJobIdProperty,
		default: '={{ $json.ingestionJob.ingestionJobId }}',
		hint: 'The default reads ingestionJob.ingestionJobId from the output of an HTTP Request that called StartIngestionJob',
	},
	{
		...documentIdsProperty,
		default: '={{ ($json.documentDetails ?? []).map(detail => detail.identifier.custom?.id ?? detail.identifier.s3?.uri) }}',
		hint: 'The default reads documentDetails[].identifier from the output of an HTTP Request that called IngestKnowledgeBaseDocuments',
	},
];

export const bedrockTriggerTargetProperties: INodeProperties[] = [
	knowledgeBaseIdProperty,
	dataSourceIdProperty,
	{
		displayName: 'Watch',
		name: 'watch',
		type: 'options',
		options: [ingestionJobOption, documentsOption, dataSourceOption],
		default: 'dataSource',
	},
	ingestionJobIdProperty,
	documentIdsProperty,
];
