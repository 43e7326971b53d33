import type { INodeProperties } from 'n8n-workflow';

import type { VendorSpec } from './vendor';

export const OPERATION_GET = 'getIndexingStatus';
export const OPERATION_WAIT = 'waitUntilIndexed';

export const EVENT_STUCK = 'documentStuck';

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Get Indexing Status',
			value: OPERATION_GET,
			description: 'Check the documents once and return their current status',
			action: 'Get indexing status',
		},
		{
			name: 'Wait Until Indexed',
			value: OPERATION_WAIT,
			description: 'Poll until every document has finished (or failed), or the timeout passes',
			action: 'Wait until indexed',
		},
	],
	default: OPERATION_WAIT,
};

const showForWait = { show: { operation: [OPERATION_WAIT] } };

/** Timeout, poll interval and timeout behaviour, shown for Wait Until Indexed. */
export function waitProperties(spec: VendorSpec): INodeProperties[] {
	const { defaultSeconds, minSeconds } = spec.pollInterval;
	return [
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 600,
			description: 'How long to wait for the documents before giving up',
			displayOptions: showForWait,
		},
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollInterval',
			type: 'number',
			typeOptions: { minValue: minSeconds, numberPrecision: 1 },
			default: defaultSeconds,
			description: `Shortest time between two checks of the same documents. Values below ${minSeconds} are raised to ${minSeconds}. The node may wait longer (up to 60 seconds) when ${spec.displayName} says completion is still far off.`,
			displayOptions: showForWait,
		},
		{
			displayName: 'On Timeout',
			name: 'onTimeout',
			type: 'options',
			options: [
				{
					name: 'Output Last Statuses',
					value: 'output',
					description: 'Return the last seen statuses, with wait.timedOut set to true',
				},
				{
					name: 'Error',
					value: 'error',
					description: 'Fail the item (or output an error item with Continue On Fail)',
				},
			],
			default: 'output',
			displayOptions: showForWait,
		},
	];
}

const includeRawOption: INodeProperties = {
	displayName: 'Include Raw Response',
	name: 'includeRaw',
	type: 'boolean',
	default: false,
	description: "Whether to add the vendor's own status object to each document as raw",
};

export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Fail On Document Error',
			name: 'failOnDocumentError',
			type: 'boolean',
			default: false,
			description:
				'Whether a document that failed to index makes the item fail (or, with Continue On Fail, an error item)',
		},
		includeRawOption,
		{
			displayName: 'Not Found Grace Period (Seconds)',
			name: 'notFoundGrace',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 60,
			description:
				'Wait Until Indexed only: how long a document the knowledge base does not know yet is asked about again before it counts as not found. Vendors may lag right after an upload.',
		},
		{
			displayName: 'Stuck After (Seconds)',
			name: 'stuckAfter',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description:
				'Wait Until Indexed only: end the wait early when every unfinished document has shown no change of status or progress for this long. Those documents keep their last status, with stuckSince set and wait.stuck true. 0 turns this off.',
		},
		{
			displayName: 'Output Mode',
			name: 'outputMode',
			type: 'options',
			options: [
				{
					name: 'One Item per Document',
					value: 'perDocument',
				},
				{
					name: 'One Summary Item per Input Item',
					value: 'summary',
					description: 'Counts by status, overall progress, and the documents in a list',
				},
			],
			default: 'perDocument',
		},
	],
};

export const eventProperty: INodeProperties = {
	displayName: 'Trigger On',
	name: 'event',
	type: 'options',
	options: [
		{
			name: 'Document Finished',
			value: 'documentFinished',
			description: 'One item per document, the first time it is seen completed, failed or gone',
		},
		{
			name: 'All Finished',
			value: 'allFinished',
			description: 'One summary item when every watched document has finished',
		},
		{
			name: 'Document Stuck',
			value: EVENT_STUCK,
			description:
				'One item per document that stays unfinished with no change of status or progress for a set time, once until it changes again',
		},
	],
	default: 'documentFinished',
};

/** How long a document must stay unchanged to count as stuck, shown for Document Stuck. */
export const stuckAfterMinutesProperty: INodeProperties = {
	displayName: 'Stuck After (Minutes)',
	name: 'stuckAfterMinutes',
	type: 'number',
	typeOptions: { minValue: 0.01, numberPrecision: 2 },
	default: 60,
	description:
		'How long a document must stay unfinished with no change of status or progress before it is reported as stuck. Measured from the first poll that saw it as it is.',
	displayOptions: { show: { event: [EVENT_STUCK] } },
};

export const triggerSubtitle =
	'={{ $parameter["event"] === "allFinished" ? "All finished" : $parameter["event"] === "documentStuck" ? "Document stuck" : "Document finished" }}';

export const triggerOptionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		includeRawOption,
	],
};
