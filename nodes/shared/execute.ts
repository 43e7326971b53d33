import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { VendorClient } from './client';
import { realClock } from './clock';
import { InputError, secretValues, toNodeError } from './errors';
import { OPERATION_GET, OPERATION_WAIT } from './descriptions';
import { summarize } from './status';
import type { DocumentStatus, WaitInfo } from './types';
import type { ClientContext, StatusAdapter, VendorSpec, WatchTarget } from './vendor';
import type { WatchRequest, WatchResult } from './watch';
import { ItemFailure, watchDocuments } from './watch';

interface ItemSettings {
	wait: boolean;
	onTimeout: 'output' | 'error';
	outputMode: 'perDocument' | 'summary';
	failOnDocumentError: boolean;
	includeRaw: boolean;
}

/**
 * The `execute()` of every action node: read each item's target, watch all items together, and
 * answer every input item with its documents, a summary, or an error.
 */
export async function executeIndexingStatus<T extends WatchTarget>(
	this: IExecuteFunctions,
	adapter: StatusAdapter<T>,
): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const secrets = await credentialSecrets(this, adapter.spec);
	const items = this.getInputData();
	const settings: ItemSettings[] = [];
	const requests: Array<WatchRequest<T>> = [];
	const failures = new Map<number, Error>();
	const raisedIntervals = new Set<number>();

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const itemSettings = readItemSettings(this, itemIndex);
			settings[itemIndex] = itemSettings;
			const { raisedFromSeconds, ...waitSettings } = readWaitSettings(this, itemIndex, adapter.spec, itemSettings.wait);
			if (raisedFromSeconds !== undefined) raisedIntervals.add(raisedFromSeconds);
			requests.push({ itemIndex, target: adapter.readTarget(this, itemIndex), ...waitSettings });
		} catch (error) {
			const nodeError = toNodeError(node, error, itemIndex, secrets);
			if (!this.continueOnFail()) throw nodeError;
			failures.set(itemIndex, nodeError);
		}
	}

	if (raisedIntervals.size > 0) noteRaisedInterval(this, adapter.spec, [...raisedIntervals]);

	const signal = this.getExecutionCancelSignal();
	const client = new VendorClient(this, adapter.spec, realClock, signal);
	let results: Array<WatchResult<T>>;
	try {
		results = await watchDocuments(adapter, client, requests, {
			clock: realClock,
			signal,
			failFast: !this.continueOnFail(),
			onPoll: (event) => {
				const done = event.documents.filter((d) => d.terminal).length;
				this.logger.debug(
					`${adapter.spec.displayName}: ${done} of ${event.documents.length} documents finished` +
						(event.nextPollInMs === null ? '' : `, next check in ${Math.round(event.nextPollInMs / 100) / 10} s`),
					{
						documents: event.documents.map((d) => ({
							id: d.documentId,
							name: d.documentName,
							status: d.status,
							progress: d.progress,
						})),
					},
				);
			},
		});
	} catch (error) {
		if (error instanceof ItemFailure) throw toNodeError(node, error.reason, error.itemIndex, secrets);
		throw toNodeError(node, error, undefined, secrets);
	}

	const output: INodeExecutionData[] = [];
	const byIndex = new Map(results.map((r) => [r.itemIndex, r]));
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const pairedItem = { item: itemIndex };
		try {
			const failure = failures.get(itemIndex);
			if (failure) throw failure;
			const result = byIndex.get(itemIndex) as WatchResult<T>;
			if (result.error !== undefined) throw result.error;
			for (const json of itemOutput(this, result, settings[itemIndex], adapter.spec)) {
				output.push({ json, pairedItem });
			}
		} catch (error) {
			const nodeError = toNodeError(node, error, itemIndex, secrets);
			if (!this.continueOnFail()) throw nodeError;
			output.push({
				json: { error: nodeError.message, ...(nodeError.description ? { description: nodeError.description } : {}) },
				pairedItem,
			});
		}
	}
	return [output];
}

function itemOutput<T extends WatchTarget>(
	ctx: IExecuteFunctions,
	result: WatchResult<T>,
	settings: ItemSettings,
	spec: VendorSpec,
): IDataObject[] {
	const wait: WaitInfo | undefined = settings.wait
		? { polls: result.polls, waitedSeconds: result.waitedSeconds, timedOut: result.timedOut, stuck: result.stuck }
		: undefined;
	// In a summary the wait figures go on the summary item, not on each of its documents.
	const documentWait = settings.outputMode === 'summary' ? undefined : wait;
	const documents = result.documents.map((d) => shapeDocument(d, settings.includeRaw, documentWait));

	if (result.timedOut && settings.onTimeout === 'error') {
		const open = documents.filter((d) => !d.terminal);
		throw new NodeOperationError(
			ctx.getNode(),
			`Timed out after ${result.waitedSeconds} s: ${open.length} of ${documents.length} documents are not indexed yet`,
			{
				itemIndex: result.itemIndex,
				description: `Still open: ${describeDocuments(open)}. Raise "Timeout" or set "On Timeout" to "Output Last Statuses".`,
			},
		);
	}
	if (result.stuck && settings.onTimeout === 'error') {
		const stuck = documents.filter((d) => d.stuckSince !== undefined);
		throw new NodeOperationError(
			ctx.getNode(),
			`Stuck: ${stuck.length} of ${documents.length} documents stopped changing before they were indexed: ${describeDocuments(stuck)}`,
			{
				itemIndex: result.itemIndex,
				description: `They have not changed for the time set in "Stuck After". Look at them in ${spec.displayName}, raise "Stuck After", or set "On Timeout" to "Output Last Statuses".`,
			},
		);
	}
	if (settings.failOnDocumentError) {
		const failed = documents.filter((d) => d.status === 'failed');
		if (failed.length > 0) {
			throw new NodeOperationError(
				ctx.getNode(),
				`${failed.length} of ${documents.length} documents failed to index in ${spec.displayName}`,
				{ itemIndex: result.itemIndex, description: describeDocuments(failed) },
			);
		}
	}
	if (settings.outputMode === 'summary') {
		const { knowledgeBaseId, jobId } = result.target;
		return [summarize(spec.name, knowledgeBaseId, jobId, documents, wait) as unknown as IDataObject];
	}
	return documents as unknown as IDataObject[];
}

function shapeDocument(document: DocumentStatus, includeRaw: boolean, wait: WaitInfo | undefined): DocumentStatus {
	const { raw, ...rest } = document;
	return { ...rest, ...(wait ? { wait } : {}), ...(includeRaw && raw !== undefined ? { raw } : {}) };
}

function describeDocuments(documents: DocumentStatus[]): string {
	const shown = documents.slice(0, 5).map((d) => {
		const name = d.documentName ?? d.documentId ?? 'job';
		const since = d.stuckSince === undefined ? '' : ` since ${d.stuckSince}`;
		return d.error ? `${name} (${d.status}${since}: ${d.error.message})` : `${name} (${d.status}${since})`;
	});
	const more = documents.length > shown.length ? ` and ${documents.length - shown.length} more` : '';
	return shown.join(', ') + more;
}

function readItemSettings(ctx: IExecuteFunctions, itemIndex: number): ItemSettings {
	const operation = ctx.getNodeParameter('operation', itemIndex) as string;
	if (operation !== OPERATION_GET && operation !== OPERATION_WAIT) {
		throw new InputError(`Operation "${operation}" is not supported: expected "${OPERATION_GET}" or "${OPERATION_WAIT}"`);
	}
	const wait = operation === OPERATION_WAIT;
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const outputMode = options.outputMode ?? 'perDocument';
	if (outputMode !== 'perDocument' && outputMode !== 'summary') {
		throw new InputError(`Output Mode is "${String(outputMode)}": expected "perDocument" or "summary"`);
	}
	const onTimeout = wait ? ctx.getNodeParameter('onTimeout', itemIndex, 'output') : 'output';
	if (onTimeout !== 'output' && onTimeout !== 'error') {
		throw new InputError(`On Timeout is "${String(onTimeout)}": expected "output" or "error"`);
	}
	return {
		wait,
		onTimeout,
		outputMode,
		failOnDocumentError: options.failOnDocumentError === true,
		includeRaw: options.includeRaw === true,
	};
}

interface WaitSettings extends Pick<WatchRequest<WatchTarget>, 'pollIntervalMs' | 'timeoutMs' | 'notFoundGraceMs' | 'stuckAfterMs'> {
	/** The Poll Interval asked for, when it was below the vendor's floor and raised to it. */
	raisedFromSeconds?: number;
}

function readWaitSettings(ctx: IExecuteFunctions, itemIndex: number, spec: VendorSpec, wait: boolean): WaitSettings {
	const floorMs = spec.pollInterval.minSeconds * 1000;
	if (!wait) return { pollIntervalMs: floorMs, timeoutMs: null, notFoundGraceMs: 0 };
	const timeout = readSeconds(ctx.getNodeParameter('timeout', itemIndex, 600), 'Timeout');
	const interval = readSeconds(
		ctx.getNodeParameter('pollInterval', itemIndex, spec.pollInterval.defaultSeconds),
		'Poll Interval',
	);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const grace = readSeconds(options.notFoundGrace ?? 60, 'Not Found Grace Period');
	const stuckAfter = readSeconds(options.stuckAfter ?? 0, 'Stuck After');
	return {
		timeoutMs: timeout * 1000,
		pollIntervalMs: Math.max(floorMs, interval * 1000),
		notFoundGraceMs: grace * 1000,
		stuckAfterMs: stuckAfter * 1000,
		...(interval * 1000 < floorMs ? { raisedFromSeconds: interval } : {}),
	};
}

/**
 * Tells the user, in the node's output pane (an execution hint) and the log, that a Poll Interval
 * below the vendor's floor was raised to it: the run goes on, at the floor.
 */
function noteRaisedInterval(ctx: IExecuteFunctions, spec: VendorSpec, requestedSeconds: number[]): void {
	const floor = spec.pollInterval.minSeconds;
	const asked = requestedSeconds.sort((a, b) => a - b).map((s) => `${s} s`).join(', ');
	const message = `Poll Interval ${asked} is below ${spec.displayName}'s minimum of ${floor} s: the node polls every ${floor} s instead.`;
	// Every n8n version this package supports has execution hints; a context without them
	// (a future tool runner, say) still gets the log line.
	if (typeof ctx.addExecutionHints === 'function') ctx.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
	ctx.logger.warn(message);
}

function readSeconds(value: unknown, field: string): number {
	const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
		throw new InputError(`${field} is ${JSON.stringify(value)}: expected a number of seconds, 0 or more`);
	}
	return seconds;
}

/** The credential's secret values, so that no error can carry them out. */
export async function credentialSecrets(ctx: ClientContext, spec: VendorSpec): Promise<string[]> {
	try {
		return secretValues(await ctx.getCredentials(spec.credentialType), spec);
	} catch {
		// The request itself will report the missing credential.
		return [];
	}
}
