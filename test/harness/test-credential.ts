import { ExecuteContext, RoutingNode } from 'n8n-core';
import { Workflow, createEmptyRunExecutionData } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

import { createAdditionalData, nextExecutionId } from './additional-data';
import {
	CredentialTypeRegistry,
	HARNESS_CREDENTIAL_ID,
	HarnessCredentialsHelper,
	credentialReference,
} from './credentials-helper';
import { HarnessNodeTypes } from './node-types';
import { prepareN8nCore } from './runtime';

export interface TestCredentialOptions {
	credentialType: ICredentialType;
	/** The values typed into the credential form; omitted fields take the property defaults. */
	data: ICredentialDataDecryptedObject;
	/** Parent credential types, when `credentialType` extends others. */
	credentialTypes?: ICredentialType[];
}

export interface TestCredentialResult {
	status: 'OK' | 'Error';
	message: string;
}

// n8n runs a credential's `test.request` as the only routing property of a throwaway NoOp node.
const TEST_NODE_TYPE = 'n8n-nodes-base.noOp';

/**
 * Tests a credential the way the editor's "Test" button does (the CLI's CredentialsTester):
 * apply defaults and resolve expressions in the credential data, then run `test.request`
 * through n8n-core's RoutingNode, which resolves the request's `={{$credentials.x}}`
 * expressions, applies `authenticate` and sends it with n8n-core's axios-based helper.
 */
export async function testCredential(options: TestCredentialOptions): Promise<TestCredentialResult> {
	prepareN8nCore();
	const { credentialType } = options;
	const typeName = credentialType.name;
	const credentialsHelper = new HarnessCredentialsHelper(
		new CredentialTypeRegistry([credentialType, ...(options.credentialTypes ?? [])]),
	);
	credentialsHelper.store(typeName, options.data);
	const additionalData = createAdditionalData({
		credentialsHelper,
		executionId: nextExecutionId(),
	});

	const { test } = credentialType;
	if (!test) return { status: 'Error', message: 'No testing function found for this credential.' };

	let data: ICredentialDataDecryptedObject;
	try {
		data = credentialsHelper.applyDefaultsAndResolve(
			additionalData,
			options.data,
			typeName,
			'internal',
		);
	} catch (error) {
		return { status: 'Error', message: String((error as Error).message) };
	}

	const testNodeType: INodeType = {
		description: {
			displayName: 'No Operation, do nothing',
			name: TEST_NODE_TYPE,
			group: ['organization'],
			version: 1,
			description: 'Carries the credential test request',
			defaults: { name: 'No Operation, do nothing' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: typeName, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: test.request },
					default: '',
				},
			],
		},
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: TEST_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [typeName]: credentialReference(typeName) },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new HarnessNodeTypes().register(TEST_NODE_TYPE, testNodeType),
	});
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createEmptyRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(context, testNodeType, {
		id: HARNESS_CREDENTIAL_ID,
		name: credentialReference(typeName).name,
		type: typeName,
		data,
	});

	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (error) {
		return describeFailure(error as RequestFailure, test.rules);
	}

	for (const rule of test.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const body = response?.[0]?.[0]?.json;
		if (valueAtPath(body, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

interface RequestFailure {
	message: string;
	/** The HTTP status as n8n-core 2.11's NodeApiError keeps it when its `cause` lost the response. */
	httpCode?: string | null;
	cause?: { code?: string; response?: { status: number; statusText?: string } };
}

/** Turns a failed test request into the message the editor shows, by n8n's rules. */
function describeFailure(
	error: RequestFailure,
	rules: NonNullable<ICredentialType['test']>['rules'],
): INodeCredentialTestResult & TestCredentialResult {
	// n8n-core 2.11 (the dev copy) wraps a credential's failed test request in a NodeApiError
	// whose cause has no response, where n8n 2.40 keeps it; the status is still in httpCode, so
	// the credential's responseCode rules are applied to it, as n8n 2.40 applies them. Without a
	// matching rule the message stays 2.11's (n8n 2.40 would show the status text, not kept here).
	const httpStatus = Number(error.httpCode);
	if (!error.cause?.response && Number.isInteger(httpStatus)) {
		for (const rule of rules ?? []) {
			if (rule.type === 'responseCode' && rule.properties.value === httpStatus) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
	}
	const response = error.cause?.response;
	if (response) {
		for (const rule of rules ?? []) {
			if (rule.type === 'responseCode' && rule.properties.value === response.status) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
		if (response.status < 199 || response.status > 299) {
			return {
				status: 'Error',
				message: response.statusText || `Received HTTP status code: ${response.status}`,
			};
		}
	} else if (error.cause?.code) {
		return { status: 'Error', message: error.cause.code };
	}
	return { status: 'Error', message: String(error.message) };
}

/** `a.b.c` lookup, as lodash.get does for the rule keys n8n supports. */
function valueAtPath(value: unknown, path: string): unknown {
	let current = value;
	for (const key of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}
