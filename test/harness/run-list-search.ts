import { LoadOptionsContext } from 'n8n-core';
import { UnexpectedError, Workflow } from 'n8n-workflow';
import type { INode, INodeListSearchResult } from 'n8n-workflow';

import { createAdditionalData, nextExecutionId } from './additional-data';
import { credentialReference } from './credentials-helper';
import { HarnessNodeTypes } from './node-types';
import { prepareN8nCore } from './runtime';
import { resolveNodeUnderTest } from './workflow-parts';
import type { NodeUnderTestOptions } from './workflow-parts';

export interface RunListSearchOptions extends NodeUnderTestOptions {
	/** The `methods.listSearch` entry, as a mode's `typeOptions.searchListMethod` names it. */
	method: string;
	/** What the user typed in the list's search box. */
	filter?: string;
	/** The token of the previous page, when the user scrolls to the end of the list. */
	paginationToken?: string;
	/** The parameter the list belongs to (n8n's `path`), e.g. `parameters.datasetId`. */
	path?: string;
}

/**
 * Fills a resource locator's list as n8n's editor has it filled (DynamicNodeParametersService,
 * `POST /rest/dynamic-node-parameters/resource-locator-results`): a throwaway workflow holding
 * only the node with the parameters being edited and its credential, a LoadOptionsContext on it,
 * and the node's listSearch method called with the search text and the page token. Whatever the
 * method throws is what the editor shows in the dropdown.
 */
export async function runListSearch(options: RunListSearchOptions): Promise<INodeListSearchResult> {
	prepareN8nCore();
	const resolved = resolveNodeUnderTest(options);
	const nodeTypes = new HarnessNodeTypes().register(resolved.typeName, options.node);
	const node: INode = {
		id: 'uuid-1234',
		name: 'Temp-Node',
		type: resolved.typeName,
		typeVersion: resolved.typeVersion,
		position: [0, 0],
		parameters: structuredClone(options.parameters),
	};
	if (options.credentials) {
		node.credentials = { [options.credentials.type]: credentialReference(options.credentials.type) };
	}
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const nodeType = nodeTypes.getByNameAndVersion(resolved.typeName, resolved.typeVersion);
	const method = nodeType.methods?.listSearch?.[options.method];
	if (typeof method !== 'function') {
		throw new UnexpectedError(`Node type "${resolved.typeName}" has no listSearch method named "${options.method}"`);
	}
	const additionalData = createAdditionalData({
		credentialsHelper: resolved.credentialsHelper,
		executionId: nextExecutionId(),
	});
	// n8n hands the parameters being edited to the list method through additionalData.
	additionalData.currentNodeParameters = structuredClone(options.parameters);
	const context = new LoadOptionsContext(workflow, node, additionalData, options.path ?? 'parameters');
	const result = await method.call(context, options.filter, options.paginationToken);
	// n8n's service turns a numeric token into a string before the editor sees it.
	const token = result?.paginationToken;
	return typeof token === 'number' ? { ...result, paginationToken: String(token) } : result;
}
