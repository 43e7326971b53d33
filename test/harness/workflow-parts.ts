import { randomUUID } from 'node:crypto';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	INode,
	INodeParameters,
	IWorkflowBase,
	IWorkflowSettings,
} from 'n8n-workflow';

import {
	CredentialTypeRegistry,
	HarnessCredentialsHelper,
	credentialReference,
} from './credentials-helper';
import { defaultNodeName, defaultTypeName, latestVersion } from './node-types';
import type { AnyNodeType } from './node-types';

/** A credential as a user would save it: its type name and the values typed into its form. */
export interface HarnessCredentials {
	type: string;
	data: ICredentialDataDecryptedObject;
}

/** What every harness entry point needs to place one node of this package in a workflow. */
export interface NodeUnderTestOptions {
	/** An instance of the node class, e.g. `new DifyKnowledge()`. */
	node: AnyNodeType;
	/** Defaults to `n8n-nodes-indexing-status.<description.name>`, the name n8n gives it once installed. */
	typeName?: string;
	/** Defaults to the highest version the node declares, as for a node newly added in the editor. */
	typeVersion?: number;
	/** The node's parameters as saved in workflow JSON; values may be expressions (`={{ ... }}`). */
	parameters: INodeParameters;
	credentials?: HarnessCredentials;
	/** Credential type instances the run can resolve, e.g. `[new DifyKnowledgeApi()]`. */
	credentialTypes?: ICredentialType[];
}

export interface ResolvedNodeUnderTest {
	typeName: string;
	typeVersion: number;
	nodeName: string;
	credentialsHelper: HarnessCredentialsHelper;
}

export function resolveNodeUnderTest(options: NodeUnderTestOptions): ResolvedNodeUnderTest {
	const typeName = options.typeName ?? defaultTypeName(options.node);
	const typeVersion = options.typeVersion ?? latestVersion(options.node);
	const nodeName = defaultNodeName(options.node, typeVersion);
	const credentialsHelper = new HarnessCredentialsHelper(
		new CredentialTypeRegistry(options.credentialTypes),
	);
	if (options.credentials) {
		// Fail here, with the fix in the message, rather than deep inside a request later.
		credentialsHelper.credentialTypes.getByName(options.credentials.type);
		credentialsHelper.store(options.credentials.type, options.credentials.data);
	}
	return { typeName, typeVersion, nodeName, credentialsHelper };
}

/** The node as it would appear in saved workflow JSON. */
export function nodeJson(
	options: NodeUnderTestOptions,
	resolved: ResolvedNodeUnderTest,
	extra: Partial<INode> = {},
): INode {
	const node: INode = {
		id: randomUUID(),
		name: resolved.nodeName,
		type: resolved.typeName,
		typeVersion: resolved.typeVersion,
		position: [220, 0],
		// A copy: n8n writes parameter defaults into the node, which must not leak into the test.
		parameters: structuredClone(options.parameters),
		...extra,
	};
	if (options.credentials) {
		node.credentials = { [options.credentials.type]: credentialReference(options.credentials.type) };
	}
	return node;
}

export const WORKFLOW_SETTINGS: IWorkflowSettings = { executionOrder: 'v1' };

export function workflowJson(nodes: INode[], connections: IConnections): IWorkflowBase {
	const now = new Date();
	return {
		id: 'harness-workflow',
		name: 'Harness workflow',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: now,
		updatedAt: now,
		nodes,
		connections,
		settings: WORKFLOW_SETTINGS,
	};
}
