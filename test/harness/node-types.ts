import { NodeHelpers, UnexpectedError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';

/** The package name n8n prefixes to every node type of this package once it is installed. */
export const PACKAGE_NAME = 'n8n-nodes-indexing-status';

export type AnyNodeType = INodeType | IVersionedNodeType;

function isVersioned(type: AnyNodeType): type is IVersionedNodeType {
	return 'nodeVersions' in type;
}

/** The type name n8n gives a node of this package, e.g. `n8n-nodes-indexing-status.difyKnowledge`. */
export function defaultTypeName(type: AnyNodeType): string {
	return `${PACKAGE_NAME}.${type.description.name}`;
}

/** The version a newly added node gets in the editor: the highest one the type declares. */
export function latestVersion(type: AnyNodeType): number {
	if (isVersioned(type)) return type.currentVersion;
	const { version } = type.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

/** The name the editor gives a newly added node, which is also its key in run data. */
export function defaultNodeName(type: AnyNodeType, version: number): string {
	const description = NodeHelpers.getVersionedNodeType(type, version).description;
	return description.defaults?.name ?? description.displayName;
}

/**
 * The node types one harness run can see. n8n resolves every node of a workflow through such a
 * registry (`workflow.nodeTypes`), so the node under test is registered under the type name it
 * would have once installed. `observe` lets a run wrap the resolved type (to keep the error the
 * node threw) without touching the instance the test passed in.
 */
export class HarnessNodeTypes implements INodeTypes {
	private readonly types = new Map<string, AnyNodeType>();

	private readonly observed = new Map<INodeType, INodeType>();

	constructor(private readonly observe: (type: INodeType) => INodeType = (type) => type) {}

	register(typeName: string, type: AnyNodeType): this {
		this.types.set(typeName, type);
		return this;
	}

	getByName(typeName: string): AnyNodeType {
		const type = this.types.get(typeName);
		if (!type) throw new UnexpectedError(`Unknown node type "${typeName}"`);
		return type;
	}

	getByNameAndVersion(typeName: string, version?: number): INodeType {
		const resolved = NodeHelpers.getVersionedNodeType(this.getByName(typeName), version);
		let view = this.observed.get(resolved);
		if (!view) {
			view = this.observe(resolved);
			this.observed.set(resolved, view);
		}
		return view;
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

export const START_NODE_TYPE = 'n8n-nodes-indexing-status-harness.manualTrigger';
export const START_NODE_NAME = 'When clicking ‘Execute workflow’';

/**
 * Stands in for n8n's Manual Trigger (n8n-nodes-base is not a dependency of this package). It
 * plays the trigger's role in the workflow: the first node, no inputs, and its output items
 * become the input of the node under test. The engine then pairs each of those items to the
 * node under test exactly as it does after a real trigger.
 */
export function createStartNodeType(items: IDataObject[]): INodeType {
	const output: INodeExecutionData[] = items.map((json) => ({ json }));
	return {
		description: {
			displayName: 'Manual Trigger (harness)',
			name: 'manualTrigger',
			group: ['trigger'],
			version: 1,
			description: 'Outputs the items given to the harness',
			defaults: { name: START_NODE_NAME },
			inputs: [],
			outputs: ['main'],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			// Fresh copies per run, so a node that mutates its input cannot leak into the next test.
			return [output.map((item) => ({ json: structuredClone(item.json) }))];
		},
	};
}
