import type { INodeProperties } from 'n8n-workflow';

import { locatorProperty } from '../shared/locator';
import { bailianIndexLocator, bailianWorkspaceLocator } from './BailianAdapter';

const workspaceIdProperty: INodeProperties = locatorProperty(
	{
		displayName: 'Workspace',
		name: 'workspaceId',
		description:
			"The Model Studio workspace of the knowledge base. Leave it empty, or pick the credential's default workspace, to use that one; enter another workspace's ID with By ID.",
	},
	bailianWorkspaceLocator,
);

const indexIdProperty: INodeProperties = locatorProperty(
	{
		displayName: 'Knowledge Base',
		name: 'indexId',
		required: true,
		description:
			"The knowledge base (IndexId): pick it from the workspace's list, paste the address of its page in the Model Studio console, or enter its ID as CreateIndex returns it",
		typeOptions: { loadOptionsDependsOn: ['workspaceId.value'] },
	},
	bailianIndexLocator,
);

const jobIdProperty: INodeProperties = {
	displayName: 'Job ID',
	name: 'jobId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 66122af12a4e45ddae6bd6c84555xxxx',
	description: 'The ID of the indexing job (JobId), which SubmitIndexJob and SubmitIndexAddDocumentsJob return in their Data',
};

/**
 * The action node's Job ID reads what SubmitIndexJob and SubmitIndexAddDocumentsJob answer
 * (`{"Data": {"Id": "<JobId>"}, "Success": true, …}`), so it chains after either with no mapping.
 */
export const bailianActionTargetProperties: INodeProperties[] = [
	workspaceIdProperty,
	indexIdProperty,
	{
		...jobIdProperty,
		default: '={{ $json.Data?.Id }}',
		hint: 'The default reads Data.Id from the output of SubmitIndexJob or SubmitIndexAddDocumentsJob. Every document of the job is reported, and a job with no document yet gives one item with the job status.',
	},
];

export const bailianTriggerTargetProperties: INodeProperties[] = [
	workspaceIdProperty,
	indexIdProperty,
	{
		displayName: 'Watch',
		name: 'watch',
		type: 'options',
		options: [
			{
				name: 'Job',
				value: 'job',
				description: 'The documents of one indexing job',
			},
			{
				name: 'Whole Index',
				value: 'index',
				description: 'Every document of the knowledge base, including ones imported later',
			},
		],
		default: 'index',
	},
	{
		...jobIdProperty,
		displayOptions: { show: { watch: ['job'] } },
	},
];
