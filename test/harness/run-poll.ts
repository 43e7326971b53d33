import { ExecutionLifecycleHooks, PollContext } from 'n8n-core';
import { UnexpectedError, Workflow } from 'n8n-workflow';
import type { IDataObject, INodeExecutionData, WorkflowExecuteMode } from 'n8n-workflow';

import { createAdditionalData, nextExecutionId } from './additional-data';
import { HarnessNodeTypes } from './node-types';
import { prepareN8nCore } from './runtime';
import { WORKFLOW_SETTINGS, nodeJson, resolveNodeUnderTest, workflowJson } from './workflow-parts';
import type { NodeUnderTestOptions } from './workflow-parts';

export interface RunPollOptions extends NodeUnderTestOptions {
	/**
	 * The node's static data before this poll (`getWorkflowStaticData('node')`). In 'trigger'
	 * mode the harness writes the state after the poll back into this same object, the way an
	 * active workflow keeps it in memory between polls; pass it again to poll again. To simulate
	 * a restart, JSON round-trip it (n8n reloads it from its database).
	 */
	staticData?: IDataObject;
	/**
	 * 'trigger' (default): a scheduled poll of an active workflow.
	 * 'manual': the editor's "Fetch Test Event"; n8n discards static data changes made then.
	 */
	mode?: Extract<WorkflowExecuteMode, 'trigger' | 'manual'>;
	/**
	 * The poll budget n8n 2.40's durable scheduler gives a poll (`getPollBudgetMs`), in ms.
	 * n8n-core 2.11 has none; left out, the poll has no budget, as there.
	 */
	pollBudgetMs?: number;
}

export interface RunPollResult {
	/** What poll() returned: `null` means "nothing new" and starts no execution. */
	items: INodeExecutionData[][] | null;
	/**
	 * The node's static data after the poll. In 'trigger' mode this is the object passed in
	 * (updated in place) or a new one; in 'manual' mode it is a detached copy of what the node
	 * wrote, which n8n would throw away.
	 */
	staticData: IDataObject;
	/**
	 * Whether n8n would now have written the static data to its database. It saves it only when
	 * a poll emits items (trigger mode, non-null result); changes made by polls that return
	 * null live in memory only and are lost if n8n restarts before the next emitting poll.
	 */
	savedToDatabase: boolean;
}

/**
 * Runs a polling trigger's poll() once through n8n-core's PollContext, constructed as n8n
 * constructs it: for an active workflow (mode 'trigger') and for "Fetch Test Event" (mode
 * 'manual', activation 'manual', as WorkflowExecute does for a poll node run from the editor).
 */
export async function runPoll(options: RunPollOptions): Promise<RunPollResult> {
	prepareN8nCore();
	const mode = options.mode ?? 'trigger';
	const resolved = resolveNodeUnderTest(options);
	const nodeTypes = new HarnessNodeTypes().register(resolved.typeName, options.node);
	const node = nodeJson(options, resolved);
	const staticDataKey = `node:${node.name}`;

	const workflow = new Workflow({
		id: 'harness-workflow',
		name: 'Harness workflow',
		nodes: [node],
		connections: {},
		active: mode === 'trigger',
		nodeTypes,
		settings: WORKFLOW_SETTINGS,
		// n8n-core wraps static data in change-tracking proxies; give it a copy so the caller's
		// object never ends up holding proxies.
		staticData: { [staticDataKey]: plainCopy(options.staticData ?? {}) as IDataObject },
	});

	const nodeType = nodeTypes.getByNameAndVersion(resolved.typeName, resolved.typeVersion);
	if (typeof nodeType.poll !== 'function') {
		throw new UnexpectedError(`Node type "${resolved.typeName}" has no poll() method`);
	}

	const executionId = nextExecutionId();
	const additionalData = createAdditionalData({
		credentialsHelper: resolved.credentialsHelper,
		executionId,
		hooks: new ExecutionLifecycleHooks(mode, executionId, workflowJson([node], {})),
	});
	const context = new PollContext(
		workflow,
		node,
		additionalData,
		mode,
		mode === 'manual' ? 'manual' : 'activate',
	);
	if (options.pollBudgetMs !== undefined) {
		const budget = options.pollBudgetMs;
		Object.assign(context, { getPollBudgetMs: () => budget });
	}

	const staticDataAfterPoll = () =>
		plainCopy(workflow.staticData[staticDataKey] ?? {}) as IDataObject;
	let items: INodeExecutionData[][] | null;
	try {
		items = await nodeType.poll.call(context);
	} catch (error) {
		// A failing poll leaves an active workflow's in-memory state as the node left it.
		if (mode === 'trigger' && options.staticData) {
			replaceContents(options.staticData, staticDataAfterPoll());
		}
		throw error;
	}

	if (mode === 'manual') {
		return { items, staticData: staticDataAfterPoll(), savedToDatabase: false };
	}
	const staticData = options.staticData ?? {};
	replaceContents(staticData, staticDataAfterPoll());
	return { items, staticData, savedToDatabase: items !== null };
}

/**
 * Copies arrays and plain objects (reading through n8n's proxies) and keeps every other value
 * as it is, so the copy holds exactly what the node stored, no more JSON-like than in n8n's
 * memory.
 */
function plainCopy(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(plainCopy);
	if (value !== null && typeof value === 'object') {
		const prototype = Object.getPrototypeOf(value) as unknown;
		if (prototype === Object.prototype || prototype === null) {
			const copy: Record<string, unknown> = {};
			for (const [key, entry] of Object.entries(value)) copy[key] = plainCopy(entry);
			return copy;
		}
	}
	return value;
}

function replaceContents(target: IDataObject, source: IDataObject): void {
	for (const key of Object.keys(target)) delete target[key];
	Object.assign(target, source);
}
