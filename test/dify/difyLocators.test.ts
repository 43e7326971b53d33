/**
 * Picking a Dify knowledge base: the Dataset parameter's From List mode (GET /datasets through
 * the node's credential, as n8n's editor calls it), By URL and By ID, and workflows saved
 * before the parameter was a resource locator (a plain string).
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { DifyKnowledgeApi } from '../../credentials/DifyKnowledgeApi.credentials';
import { DATASET_LIST_PAGE_SIZE, difyConsoleUrl } from '../../nodes/Dify/DifyAdapter';
import { DifyKnowledge } from '../../nodes/Dify/DifyKnowledge.node';
import { DifyKnowledgeTrigger } from '../../nodes/Dify/DifyKnowledgeTrigger.node';
import { runListSearch, runNode, runPoll } from '../harness';
import { type Simulator, difyCompletedScript, startSimulator } from '../simulator';

const API_KEY = 'dataset-L1stS34rchK3yQ2v7TzR';
const WRONG_KEY = 'dataset-WR0NGk3yWR0NGk3y0000';

let sim: Simulator;

beforeEach(async () => {
	sim = await startSimulator({ seed: 11 });
	sim.dify.addApiKey(API_KEY);
});

afterEach(async () => {
	await sim.close();
});

const credentials = (apiKey = API_KEY) => ({ type: 'difyKnowledgeApi', data: { apiKey, baseUrl: sim.dify.baseUrl } });

function search(filter?: string, paginationToken?: string, apiKey = API_KEY) {
	return runListSearch({
		node: new DifyKnowledge(),
		method: 'searchDatasets',
		parameters: { operation: 'getIndexingStatus' },
		filter,
		paginationToken,
		credentials: credentials(apiKey),
		credentialTypes: [new DifyKnowledgeApi()],
		path: 'parameters.datasetId',
	});
}

function getStatus(datasetId: unknown, batch: string, input: IDataObject[] = [{}]) {
	return runNode({
		node: new DifyKnowledge(),
		parameters: { operation: 'getIndexingStatus', datasetId, watch: 'batch', batch } as INodeParameters,
		input,
		credentials: credentials(),
		credentialTypes: [new DifyKnowledgeApi()],
	});
}

const listCalls = () => sim.requestsTo('dify', /^\/datasets$/);

describe('Dify Dataset: From List', () => {
	it('pages through the knowledge bases, newest first, with the ID beside each name and a link to its console page', async () => {
		const ids = Array.from({ length: DATASET_LIST_PAGE_SIZE + 3 }, (_, i) => sim.dify.addDataset(undefined, { name: `Manual ${i + 1}` }));

		const first = await search();
		expect(first.results).toHaveLength(DATASET_LIST_PAGE_SIZE);
		expect(first.results[0]).toEqual({
			name: `Manual ${ids.length} (${ids[ids.length - 1]})`,
			value: ids[ids.length - 1],
			url: `${sim.url}/dify/datasets/${ids[ids.length - 1]}/documents`,
		});
		expect(first.paginationToken).toBe('2');

		const second = await search(undefined, first.paginationToken as string);
		expect(second.results.map((r) => r.value)).toEqual([ids[2], ids[1], ids[0]]);
		expect(second.paginationToken).toBeUndefined();

		expect(listCalls().map((call) => call.query)).toEqual([
			{ page: '1', limit: String(DATASET_LIST_PAGE_SIZE) },
			{ page: '2', limit: String(DATASET_LIST_PAGE_SIZE) },
		]);
		// Through the credential: Dify's Bearer key, as every status call sends it.
		expect(listCalls()[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
	});

	it('lets Dify filter by the search text, whatever its case', async () => {
		sim.dify.addDataset(undefined, { name: 'Product FAQ' });
		const handbook = sim.dify.addDataset(undefined, { name: 'Employee handbook' });
		sim.dify.addDataset(undefined, { name: 'faq archive' });

		const found = await search('  HANDBOOK ');

		expect(found.results).toEqual([expect.objectContaining({ name: `Employee handbook (${handbook})`, value: handbook })]);
		expect(found.paginationToken).toBeUndefined();
		expect(listCalls()[0].query).toEqual({ page: '1', limit: String(DATASET_LIST_PAGE_SIZE), keyword: 'HANDBOOK' });
		expect((await search('faq')).results.map((r) => r.name.split(' (')[0])).toEqual(['faq archive', 'Product FAQ']);
	});

	it('answers an empty list when nothing matches, and says which knowledge bases have API access off', async () => {
		const closed = sim.dify.addDataset(undefined, { name: 'Closed', apiEnabled: false });

		expect(await search('no such knowledge base')).toEqual({ results: [] });
		expect((await search('closed')).results).toEqual([
			expect.objectContaining({ name: `Closed (${closed}, API access disabled)`, value: closed }),
		]);
	});

	it('shows a wrong key as an API error in the dropdown, with Dify\'s words and the fix, and no key', async () => {
		sim.dify.addDataset(undefined, { name: 'Anything' });

		const failure = await search(undefined, undefined, WRONG_KEY).catch((error: unknown) => error);

		expect(failure).toBeInstanceOf(NodeApiError);
		const error = failure as NodeApiError;
		expect(error.message).toBe('Dify list knowledge bases failed: the API key was rejected (Access token is invalid)');
		expect(error.httpCode).toBe('401');
		expect(error.description).toContain('Use a Knowledge API key (Knowledge > Service API), not an app key.');
		expect(JSON.stringify({ message: error.message, description: error.description })).not.toContain(WRONG_KEY);
		// A rejected key is not retried.
		expect(listCalls()).toHaveLength(1);
	});

	it('retries a busy Dify as status calls do, and fails with a message when the Base URL is wrong', async () => {
		const only = sim.dify.addDataset(undefined, { name: 'Only one' });
		sim.injectFault({ vendor: 'dify', path: /^\/datasets$/, kind: { type: 'status', status: 503 } });

		expect((await search()).results.map((r) => r.value)).toEqual([only]);
		expect(listCalls().map((call) => call.status)).toEqual([503, 200]);

		const wrongBase = runListSearch({
			node: new DifyKnowledge(),
			method: 'searchDatasets',
			parameters: {},
			credentials: { type: 'difyKnowledgeApi', data: { apiKey: API_KEY, baseUrl: `${sim.url}/nothing/v1` } },
			credentialTypes: [new DifyKnowledgeApi()],
		});
		await expect(wrongBase).rejects.toMatchObject({
			message: 'Dify list knowledge bases failed: No simulated vendor serves /nothing/v1/datasets',
			httpCode: '404',
		});
	});

	it('is offered by the trigger too', async () => {
		const id = sim.dify.addDataset(undefined, { name: 'Watched' });
		const result = await runListSearch({
			node: new DifyKnowledgeTrigger(),
			method: 'searchDatasets',
			parameters: { event: 'documentFinished' },
			credentials: credentials(),
			credentialTypes: [new DifyKnowledgeApi()],
		});
		expect(result.results).toEqual([expect.objectContaining({ value: id })]);
	});
});

describe('Dify Dataset: the value the node reads', () => {
	let datasetId: string;
	let batch: string;

	beforeEach(() => {
		datasetId = sim.dify.addDataset(undefined, { name: 'Guides' });
		batch = sim.dify.addDocuments(datasetId, [{ name: 'a.txt', script: difyCompletedScript() }]).batch;
	});

	const knowledgeBaseIds = (items: Array<{ json: IDataObject }>) => items.map((item) => item.json.knowledgeBaseId);

	it('runs a workflow saved with a plain string, as every workflow before the locator did', async () => {
		const run = await getStatus(datasetId, batch);
		expect(run.error).toBeUndefined();
		expect(knowledgeBaseIds(run.items)).toEqual([datasetId]);
		expect(run.items[0].json).toMatchObject({ status: 'completed', jobId: batch });
	});

	it('reads a plain-string expression as before', async () => {
		const run = await getStatus('={{ $json.dataset }}', batch, [{ dataset: datasetId }]);
		expect(knowledgeBaseIds(run.items)).toEqual([datasetId]);
	});

	it('reads the value picked from the list, or typed By ID (an expression too)', async () => {
		const fromList = await getStatus({ __rl: true, mode: 'list', value: datasetId, cachedResultName: 'Guides' }, batch);
		expect(knowledgeBaseIds(fromList.items)).toEqual([datasetId]);

		const byId = await getStatus({ __rl: true, mode: 'id', value: `={{ $json.dataset }}` }, batch, [{ dataset: ` ${datasetId.toUpperCase()} ` }]);
		expect(byId.error).toBeUndefined();
		expect(sim.requestsTo('dify', /indexing-status$/).at(-1)?.path).toBe(`/datasets/${datasetId.toUpperCase()}/documents/${batch}/indexing-status`);
	});

	it('takes the ID out of a console URL (Dify Cloud, a self-hosted Dify, or an API URL)', async () => {
		for (const url of [
			`https://cloud.dify.ai/datasets/${datasetId}/documents`,
			`http://dify.intranet:8080/datasets/${datasetId}/documents?page=2`,
			`https://kb.example.com/dify/datasets/${datasetId}/hitTesting`,
			`${sim.dify.baseUrl}/datasets/${datasetId}`,
		]) {
			const run = await getStatus({ __rl: true, mode: 'url', value: url }, batch);
			expect({ url, ids: knowledgeBaseIds(run.items) }).toEqual({ url, ids: [datasetId] });
		}
	});

	it('has n8n refuse a typed URL or ID of the wrong shape before the run, naming the shape expected', async () => {
		await expect(getStatus({ __rl: true, mode: 'url', value: 'https://cloud.dify.ai/apps' }, batch)).rejects.toThrow(
			'"datasetId":["Expected a URL such as https://cloud.dify.ai/datasets/<dataset ID>/documents (or the same path on your own Dify)"]',
		);
		await expect(getStatus({ __rl: true, mode: 'id', value: 'guides' }, batch)).rejects.toThrow(
			'"datasetId":["Expected a dataset ID: a UUID such as 5f3c1c2e-0b6a-4f7e-9d1a-2b3c4d5e6f70"]',
		);
		expect(sim.requestsTo('dify')).toHaveLength(0);
	});

	it('checks what an expression gives at run time, with the same words', async () => {
		const badUrl = await getStatus({ __rl: true, mode: 'url', value: '={{ $json.link }}' }, batch, [{ link: 'https://cloud.dify.ai/apps' }]);
		expect(badUrl.error).toBeInstanceOf(NodeOperationError);
		expect(badUrl.error?.message).toBe(
			'Dataset ID (By URL) "https://cloud.dify.ai/apps" is not a URL of the expected shape: expected https://cloud.dify.ai/datasets/<dataset ID>/documents (or the same path on your own Dify)',
		);

		const badId = await getStatus({ __rl: true, mode: 'id', value: '={{ $json.id }}' }, batch, [{ id: 'guides' }]);
		expect(badId.error?.message).toMatch(/^Dataset ID "guides" is not a UUID: expected the knowledge base ID/);
		expect(sim.requestsTo('dify')).toHaveLength(0);
	});

	it('lets the trigger watch a dataset picked from the list', async () => {
		const poll = await runPoll({
			node: new DifyKnowledgeTrigger(),
			parameters: { datasetId: { __rl: true, mode: 'list', value: datasetId }, watch: 'batch', batch },
			mode: 'manual',
			credentials: credentials(),
			credentialTypes: [new DifyKnowledgeApi()],
		});
		expect(poll.items?.[0].map((item) => item.json.knowledgeBaseId)).toEqual([datasetId]);
	});
});

describe('Dify console URLs', () => {
	it('point Dify Cloud at its console and a self-hosted Dify at its own address', () => {
		expect(difyConsoleUrl({ baseUrl: 'https://api.dify.ai/v1' }, 'id-1')).toBe('https://cloud.dify.ai/datasets/id-1/documents');
		expect(difyConsoleUrl({ baseUrl: 'http://10.0.0.5/v1/' }, 'id-1')).toBe('http://10.0.0.5/datasets/id-1/documents');
		expect(difyConsoleUrl({ baseUrl: 'https://x.example/dify/v1' }, 'id-1')).toBe('https://x.example/dify/datasets/id-1/documents');
		expect(difyConsoleUrl({ baseUrl: 'not a url' }, 'id-1')).toBeUndefined();
	});
});
