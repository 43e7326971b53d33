import type { INodeProperties } from 'n8n-workflow';

import { optionsProperty, triggerOptionsProperty } from '../shared/descriptions';
import { locatorProperty } from '../shared/locator';
import { kendraIndexLocator } from './AmazonKendraAdapter';

const indexIdProperty: INodeProperties = locatorProperty(
	{
		displayName: 'Index',
		name: 'indexId',
		required: true,
		description:
			"The index: pick it from the list, paste the address of its page in the Amazon Kendra console, or enter its 36-character ID. The index must be in the credential's region.",
	},
	kendraIndexLocator,
);

const documentIdsProperty: INodeProperties = {
	displayName: 'Document IDs',
	name: 'documentIds',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. doc-1, s3://bucket/guide.pdf',
	description:
		'The IDs the documents were put with in BatchPutDocument, separated by commas or new lines, or an expression that returns an array of ID strings. Use an array for IDs that contain commas.',
};

/**
 * Pins the version of every watched document, as BatchGetDocumentStatus allows: a data source
 * and one of its sync jobs, and optionally a version.
 */
const documentVersionOption: INodeProperties = {
	displayName: 'Document Version',
	name: 'documentVersion',
	type: 'fixedCollection',
	default: {},
	placeholder: 'Add Document Version',
	description: 'Ask about the documents as one data source sync job indexed them',
	options: [
		{
			displayName: 'Values',
			name: 'values',
			values: [
				{
					displayName: 'Data Source ID',
					name: 'dataSourceId',
					type: 'string',
					default: '',
					description: 'The data source the documents came from. Needs Sync Job ID too.',
				},
				{
					displayName: 'Sync Job ID',
					name: 'jobExecutionId',
					type: 'string',
					default: '',
					description: 'The ID of the data source sync job (jobExecutionId). Needs Data Source ID too.',
				},
				{
					displayName: 'Version',
					name: 'version',
					type: 'string',
					default: '',
					description: 'The document version; Kendra uses "0" when it is left empty',
				},
			],
		},
	],
};

const byDisplayName = (a: INodeProperties, b: INodeProperties) => a.displayName.localeCompare(b.displayName);

/**
 * The action node's Document IDs default reads a BatchPutDocument request and its answer in one
 * item (`{"Documents": [{"Id": …}], "FailedDocuments": [{"Id": …}]}`): Kendra answers only the
 * failures, so the ids it accepted are the request's minus those.
 */
export const kendraActionTargetProperties: INodeProperties[] = [
	indexIdProperty,
	{
		...documentIdsProperty,
		default: '={{ ($json.Documents ?? []).map(document => document.Id).filter(id => !($json.FailedDocuments ?? []).some(failed => failed.Id === id)) }}',
		hint: 'The default reads Documents[].Id of a BatchPutDocument request, minus FailedDocuments[].Id of its answer, from the input item. Kendra answers only the failures, so keep the request\'s Documents in the item, or map the IDs here.',
	},
];

export const kendraTriggerTargetProperties: INodeProperties[] = [indexIdProperty, documentIdsProperty];

export const kendraOptionsProperty: INodeProperties = {
	...optionsProperty,
	options: [...(optionsProperty.options as INodeProperties[]), documentVersionOption].sort(byDisplayName),
};

export const kendraTriggerOptionsProperty: INodeProperties = {
	...triggerOptionsProperty,
	options: [...(triggerOptionsProperty.options as INodeProperties[]), documentVersionOption].sort(byDisplayName),
};
