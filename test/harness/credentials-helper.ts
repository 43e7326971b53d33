import { Credentials, getAdditionalKeys } from 'n8n-core';
import {
	ICredentialsHelper,
	NodeHelpers,
	UnexpectedError,
	Workflow,
	isExpression,
} from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentialsExpressionResolveValues,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

/** The credential types a run knows about, looked up by name as n8n's CredentialTypes does. */
export class CredentialTypeRegistry {
	private readonly byName = new Map<string, ICredentialType>();

	constructor(types: ICredentialType[] = []) {
		for (const type of types) this.byName.set(type.name, type);
	}

	getByName(name: string): ICredentialType {
		const type = this.byName.get(name);
		if (!type) {
			throw new UnexpectedError(
				`Unknown credential type "${name}": pass its instance in credentialTypes`,
			);
		}
		return type;
	}

	/** All ancestors through `extends`, nearest first (e.g. a custom OAuth2 credential -> oAuth2Api). */
	getParentTypes(name: string): string[] {
		const type = this.byName.get(name);
		if (!type?.extends) return [];
		const parents: string[] = [];
		for (const parent of type.extends) {
			parents.push(parent, ...this.getParentTypes(parent));
		}
		return parents;
	}
}

const requestListeners = new Set<(typeName: string) => void>();

/**
 * Calls `listener` each time a node's request has been authenticated, right before n8n-core
 * sends it: a simulated clock must not move while a request is on its way to the simulator.
 * Returns the unsubscribe function.
 */
export function onAuthenticatedRequest(listener: (typeName: string) => void): () => void {
	requestListeners.add(listener);
	return () => requestListeners.delete(listener);
}

/** Credentials exist only for the duration of one run, so one fixed id is enough. */
export const HARNESS_CREDENTIAL_ID = 'harness-credential';

export function credentialReference(type: string): INodeCredentialsDetails {
	return { id: HARNESS_CREDENTIAL_ID, name: `Harness ${type}` };
}

// Like the stand-in n8n's CLI uses when it resolves credential expressions outside a node run.
const expressionOnlyNode: INode = {
	id: 'harness-credential-expressions',
	name: '',
	type: 'mock',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

// Knows no node type: Workflow then skips the stand-in node instead of applying defaults to it.
const noNodeTypes: INodeTypes = {
	getByName: () => undefined as unknown as INodeType,
	getByNameAndVersion: () => undefined as unknown as INodeType,
	getKnownTypes: () => ({}),
};

/**
 * n8n's credential service, reduced to an in-memory store but keeping the behaviour a node can
 * observe: credential property defaults, expressions inside credential values, both forms of
 * `authenticate` (the generic object with `{{$credentials.x}}` expressions and the function that
 * receives the request options), and `preAuthentication` for expirable tokens. It mirrors the
 * CLI's CredentialsHelper; only the database is replaced by a Map.
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	/** Stored (raw, as the user typed it) credential data by credential type. */
	private readonly stored = new Map<string, ICredentialDataDecryptedObject>();

	constructor(readonly credentialTypes: CredentialTypeRegistry) {
		super();
	}

	store(type: string, data: ICredentialDataDecryptedObject): void {
		this.stored.set(type, { ...data });
	}

	/** What n8n would now hold in its database, e.g. after `preAuthentication` refreshed a token. */
	storedData(type: string): ICredentialDataDecryptedObject | undefined {
		const data = this.stored.get(type);
		return data && { ...data };
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes.getParentTypes(name);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const authenticated = await this.applyAuthentication(credentials, typeName, requestOptions, workflow, node);
		for (const listener of requestListeners) listener(typeName);
		return authenticated;
	}

	private async applyAuthentication(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.credentialTypes.getByName(typeName);
		if (typeof authenticate === 'function') {
			// Request signing lives here: the function sees the options exactly as the node built
			// them (method, url/baseURL, qs, body, headers), before axios serialises anything.
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate?.type === 'generic') {
			requestOptions.headers ??= {};
			const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
			for (const [section, entries] of Object.entries(authenticate.properties)) {
				for (const [rawKey, rawValue] of Object.entries(entries as Record<string, unknown>)) {
					const key = this.resolveAuthValue(rawKey, credentials, workflow, node);
					const value = this.resolveAuthValue(rawValue, credentials, workflow, node);
					target[section] ??= {};
					target[section][key] = value;
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	/** Resolves one `={{$credentials.x}}` template of a generic `authenticate`, as the CLI does. */
	private resolveAuthValue(
		value: unknown,
		credentials: ICredentialDataDecryptedObject,
		workflow: Workflow,
		node: INode,
	): string {
		if (typeof value !== 'string' || !isExpression(value)) return value as string;
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			value,
			'internal',
			{ $credentials: credentials },
			undefined,
			'',
		);
		return resolved ? String(resolved) : '';
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		// n8n only pre-authenticates credentials that declare a hidden, expirable property (the
		// token) and only when it is empty, expired (a 401), or the credential is being tested.
		const expirable = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (!expirable || typeof credentialType.preAuthentication !== 'function') return undefined;
		const isCredentialTest = node.parameters?.temp === '' && node.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isCredentialTest) {
			return undefined;
		}
		const output = await credentialType.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		const stored = this.stored.get(typeName) ?? {};
		this.stored.set(typeName, { ...stored, ...(output as ICredentialDataDecryptedObject) });
		return Object.assign(credentials, output);
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<Credentials> {
		const credentials = new Credentials(nodeCredentials, type);
		credentials.setData(this.stored.get(type) ?? {});
		return credentials;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.stored.get(type);
		if (!stored) {
			throw new UnexpectedError(
				`The harness has no data for credential type "${type}": pass it in options.credentials`,
			);
		}
		if (raw === true) return { ...stored };
		return this.applyDefaultsAndResolve(
			additionalData,
			stored,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/**
	 * Fills in property defaults for fields the user left out, then resolves expressions in the
	 * values, in the order n8n's `applyDefaultsAndOverwrites` does.
	 */
	applyDefaultsAndResolve(
		additionalData: IWorkflowExecuteAdditionalData,
		data: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): ICredentialDataDecryptedObject {
		const properties = this.getCredentialsProperties(type);
		const withDefaults = NodeHelpers.getNodeParameters(
			properties,
			data as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (data.oauthTokenData !== undefined) withDefaults.oauthTokenData = data.oauthTokenData;

		const additionalKeys = getAdditionalKeys(additionalData, mode, null);
		if (expressionResolveValues) {
			const { workflow, runExecutionData, runIndex, itemIndex, node, connectionInputData } =
				expressionResolveValues;
			try {
				return workflow.expression.getParameterValue(
					withDefaults as INodeParameters,
					runExecutionData,
					runIndex,
					itemIndex,
					node.name,
					connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					withDefaults,
				) as ICredentialDataDecryptedObject;
			} catch (error) {
				(error as Error).message += ' [Error resolving credentials]';
				throw error;
			}
		}
		const workflow = new Workflow({
			nodes: [expressionOnlyNode],
			connections: {},
			active: false,
			nodeTypes: noNodeTypes,
		});
		return workflow.expression.getComplexParameterValue(
			expressionOnlyNode,
			withDefaults as INodeParameters,
			mode,
			additionalKeys,
			undefined,
			undefined,
			withDefaults,
		) as ICredentialDataDecryptedObject;
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.stored.set(type, { ...data });
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const stored = this.stored.get(type) ?? {};
		this.stored.set(type, { ...stored, oauthTokenData: data.oauthTokenData });
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.credentialTypes.getByName(type);
		if (!credentialType.extends) return credentialType.properties;
		// Parent properties first, then the child's, which win on name clashes (as in n8n).
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}
}
