import type { INodeProperties } from 'n8n-workflow';

const workspaceIdProperty: INodeProperties = {
	displayName: 'Workspace ID',
	name: 'workspaceId',
	type: 'string',
	default: '',
	// Empty is the usual value: say so in the field itself, not only in its tooltip.
	placeholder: "Empty: the credential's default workspace",
	description: "The Model Studio workspace of the knowledge base (e.g. llm-3z7uw7fwz0vexxxx). Leave empty to use the credential's default workspace.",
};

const indexIdProperty: INodeProperties = {
	displayName: 'Index ID',
	name: 'indexId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 79c0alxxxx',
	description: 'The knowledge base ID (IndexId), as CreateIndex returns it or the Model Studio console shows it',
};

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
