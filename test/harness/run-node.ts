import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { UnexpectedError, Workflow } from 'n8n-workflow';
import type {
	ExecutionStatus,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	IRun,
	IRunData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { createAdditionalData, nextExecutionId } from './additional-data';
import { HarnessNodeTypes, START_NODE_NAME, START_NODE_TYPE, createStartNodeType } from './node-types';
import { prepareN8nCore } from './runtime';
import {
	WORKFLOW_SETTINGS,
	nodeJson,
	resolveNodeUnderTest,
	workflowJson,
} from './workflow-parts';
import type { NodeUnderTestOptions } from './workflow-parts';

export interface RunNodeOptions extends NodeUnderTestOptions {
	/** The `json` of the items the trigger hands to the node under test. */
	input: IDataObject[];
	/** Sets the node's "On Error" setting to "Continue" (`onError: 'continueRegularOutput'`). */
	continueOnFail?: boolean;
	/** Cancels the execution after this many ms, as the editor's Stop button does. */
	abortAfterMs?: number;
	/** Cancels the execution when this promise resolves (e.g. once the node is waiting on something). */
	stopWhen?: Promise<unknown>;
	/** 'manual' (default) is a run from the editor; 'trigger' is a production run of an active workflow. */
	mode?: Extract<WorkflowExecuteMode, 'manual' | 'trigger'>;
}

export interface RunNodeResult {
	/** The node's first output, as the next node would receive it (with `pairedItem`). */
	items: INodeExecutionData[];
	/** Every output of the node, for nodes with more than one. */
	outputs: INodeExecutionData[][];
	/**
	 * The error n8n recorded for the node. When the node threw, this is the very instance it
	 * threw (so `instanceof NodeApiError` works); n8n's own record, a plain copy with the same
	 * name, message, description and context, is in `runData[nodeName][0].error`.
	 */
	error?: Error;
	/** How the execution ended: 'success', 'error' or 'canceled'. */
	status: ExecutionStatus;
	runData: IRunData;
}

/**
 * Runs one action node as the second node of a workflow (a manual trigger that outputs `input`,
 * then the node) through n8n-core's WorkflowExecute, the engine n8n itself runs workflows with.
 */
export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	prepareN8nCore();
	const mode = options.mode ?? 'manual';
	const resolved = resolveNodeUnderTest(options);

	// n8n keeps only a serialisable copy of a node's error; keep the thrown instance as well.
	let lastThrown: unknown;
	const nodeTypes = new HarnessNodeTypes((type) =>
		rememberThrownErrors(type, (error) => {
			lastThrown = error;
		}),
	);
	nodeTypes.register(START_NODE_TYPE, createStartNodeType(options.input));
	nodeTypes.register(resolved.typeName, options.node);

	const startNode: INode = {
		id: 'harness-start',
		name: START_NODE_NAME,
		type: START_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const nodeUnderTest = nodeJson(
		options,
		resolved,
		options.continueOnFail ? { onError: 'continueRegularOutput' } : {},
	);
	const connections = {
		[START_NODE_NAME]: { main: [[{ node: resolved.nodeName, type: 'main' as const, index: 0 }]] },
	};
	const workflow = new Workflow({
		id: 'harness-workflow',
		name: 'Harness workflow',
		nodes: [startNode, nodeUnderTest],
		connections,
		active: false,
		nodeTypes,
		settings: WORKFLOW_SETTINGS,
	});

	const executionId = nextExecutionId();
	const hooks = new ExecutionLifecycleHooks(
		mode,
		executionId,
		workflowJson([startNode, nodeUnderTest], connections),
	);
	const additionalData = createAdditionalData({
		credentialsHelper: resolved.credentialsHelper,
		executionId,
		hooks,
	});
	const workflowExecute = new WorkflowExecute(additionalData, mode);

	// The editor refuses to run a workflow whose nodes have issues (e.g. a required parameter
	// left empty) and n8n-core throws a bare WorkflowHasIssuesError; name the issues instead.
	const issues = workflowExecute.checkReadyForExecution(workflow, { startNode: START_NODE_NAME });
	if (issues !== null) {
		throw new UnexpectedError(
			`n8n would not run this workflow, its nodes have issues: ${JSON.stringify(issues)}`,
		);
	}

	const execution = workflowExecute.run({ workflow, startNode });
	// Stop in n8n cancels this very promise: the engine aborts the signal the node sees through
	// getExecutionCancelSignal() (and its in-flight HTTP requests), then resolves once the node
	// has returned or thrown.
	const stopTimer =
		options.abortAfterMs === undefined
			? undefined
			: setTimeout(() => execution.cancel(), options.abortAfterMs);
	void options.stopWhen?.then(() => execution.cancel());
	let run: IRun;
	try {
		run = await execution;
	} finally {
		clearTimeout(stopTimer);
	}

	const runData = run.data.resultData.runData;
	const task = runData[resolved.nodeName]?.[0];
	const outputs = (task?.data?.main ?? []).map((output) => output ?? []);
	// Without a task the node never ran; then the execution-level error says why.
	const recorded = task ? task.error : run.data.resultData.error;
	return {
		items: outputs[0] ?? [],
		outputs,
		error: recorded ? preferThrownInstance(recorded, lastThrown) : undefined,
		status: run.status,
		runData,
	};
}

function rememberThrownErrors(type: INodeType, remember: (error: unknown) => void): INodeType {
	const execute = type.execute as ((...args: unknown[]) => Promise<unknown>) | undefined;
	if (!execute) return type;
	// A view that inherits everything from the original (so `instanceof` checks in n8n-core
	// still hold) and only wraps execute; the engine calls it exactly as it would the original.
	const view = Object.create(type) as INodeType;
	async function executeAndRemember(this: unknown, ...args: unknown[]): Promise<unknown> {
		try {
			return await execute!.apply(this, args);
		} catch (error) {
			remember(error);
			throw error;
		}
	}
	view.execute = executeAndRemember as INodeType['execute'];
	return view;
}

function preferThrownInstance(recorded: { message: string }, thrown: unknown): Error {
	if (thrown instanceof Error && thrown.message === recorded.message) return thrown;
	return Object.assign(new Error(recorded.message), recorded);
}
