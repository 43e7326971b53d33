/**
 * Picking an OpenAI vector store: the Vector Store parameter's From List mode (GET /vector_stores
 * through the node's credential, as n8n's editor calls it), By URL and By ID, and workflows saved
 * with a plain string.
 */
import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { OpenAiVectorStoreApi } from '../../credentials/OpenAiVectorStoreApi.credentials';
import { STORE_LIST_PAGE_SIZE } from '../../nodes/OpenAi/OpenAiVectorStoreAdapter';
import { OpenAiVectorStore } from '../../nodes/OpenAi/OpenAiVectorStore.node';
import { OpenAiVectorStoreTrigger } from '../../nodes/OpenAi/OpenAiVectorStoreTrigger.node';
import { runListSearch, runNode } from '../harness';
import { openAiScript, type Simulator, startSimulator } from '../simulator';

const API_KEY = 'sk-proj-L1stS34rchOpenAiKey000000000000';
const WRONG_KEY = 'sk-proj-WR0NGk3yWR0NGk3yWR0NGk3y000000';

let sim: Simulator;

beforeEach(async () => {
	sim = await startSimulator({ seed: 12 });
	sim.openai.addApiKey(API_KEY);
});

afterEach(async () => {
	await sim.close();
});

const credentials = (apiKey = API_KEY) => ({ type: 'openAiVectorStoreApi', data: { apiKey, baseUrl: sim.openai.baseUrl } });

function search(filter?: string, paginationToken?: string, apiKey = API_KEY) {
	return runListSearch({
		node: new OpenAiVectorStore(),
		method: 'searchVectorStores',
		parameters: { operation: 'getIndexingStatus' },
		filter,
		paginationToken,
		credentials: credentials(apiKey),
		credentialTypes: [new OpenAiVectorStoreApi()],
		path: 'parameters.vectorStoreId',
	});
}

const listCalls = () => sim.requestsTo('openai', /^\/vector_stores$/);

describe('OpenAI Vector Store: From List', () => {
	it('pages through the vector stores, newest first, by the after cursor, with the ID and file count beside each name', async () => {
		const ids = Array.from({ length: STORE_LIST_PAGE_SIZE + 2 }, (_, i) => sim.openai.addVectorStore(`Store ${i + 1}`));
		sim.openai.addFiles(ids[ids.length - 1], [{ script: openAiScript({ inProgress: 0 }) }]);

		const first = await search();
		expect(first.results).toHaveLength(STORE_LIST_PAGE_SIZE);
		expect(first.results[0]).toEqual({ name: `Store ${ids.length} (${ids[ids.length - 1]}, 1 file)`, value: ids[ids.length - 1] });
		expect(first.paginationToken).toBe(ids[2]);

		const second = await search(undefined, first.paginationToken as string);
		expect(second.results.map((r) => r.value)).toEqual([ids[1], ids[0]]);
		expect(second.paginationToken).toBeUndefined();
		expect(listCalls().map((call) => call.query)).toEqual([
			{ limit: String(STORE_LIST_PAGE_SIZE), order: 'desc' },
			{ limit: String(STORE_LIST_PAGE_SIZE), order: 'desc', after: ids[2] },
		]);
		expect(listCalls()[0].headers).toMatchObject({ authorization: `Bearer ${API_KEY}`, 'openai-beta': 'assistants=v2' });
	});

	it('narrows each page by the search text, in the name or the ID, whatever its case (OpenAI has no name search)', async () => {
		sim.openai.addVectorStore('Product FAQ');
		const handbook = sim.openai.addVectorStore('Employee handbook');
		expect((await search(' HANDBOOK ')).results).toEqual([expect.objectContaining({ value: handbook })]);
		expect((await search(handbook.slice(3, 12))).results.map((r) => r.value)).toEqual([handbook]);
		expect(await search('no such store')).toEqual({ results: [] });
	});

	it('shows a wrong key as an API error in the dropdown, with OpenAI\'s words and no run of the key', async () => {
		const failure = (await search(undefined, undefined, WRONG_KEY).catch((error: unknown) => error)) as NodeApiError;
		expect(failure).toBeInstanceOf(NodeApiError);
		expect(failure.message).toMatch(/^OpenAI list vector stores failed: Incorrect API key provided/);
		expect(failure.httpCode).toBe('401');
		const text = JSON.stringify({ message: failure.message, description: failure.description });
		for (let i = 0; i + 8 <= WRONG_KEY.length; i++) expect(text).not.toContain(WRONG_KEY.slice(i, i + 8));
		expect(listCalls()).toHaveLength(1);
	});

	it('is offered by the trigger too', async () => {
		const id = sim.openai.addVectorStore('Watched');
		const result = await runListSearch({
			node: new OpenAiVectorStoreTrigger(),
			method: 'searchVectorStores',
			parameters: { event: 'documentFinished' },
			credentials: credentials(),
			credentialTypes: [new OpenAiVectorStoreApi()],
		});
		expect(result.results).toEqual([expect.objectContaining({ value: id })]);
	});
});

describe('OpenAI Vector Store: the value the node reads', () => {
	let storeId: string;
	let batchId: string;

	beforeEach(() => {
		storeId = sim.openai.addVectorStore('Guides');
		batchId = sim.openai.addBatch(storeId, [{ script: openAiScript({ inProgress: 0 }) }]).batchId;
	});

	const getStatus = (vectorStoreId: unknown, input: IDataObject[] = [{}]) =>
		runNode({
			node: new OpenAiVectorStore(),
			parameters: { operation: 'getIndexingStatus', vectorStoreId, watch: 'fileBatch', batchId } as INodeParameters,
			input,
			credentials: credentials(),
			credentialTypes: [new OpenAiVectorStoreApi()],
		});
	const storeIds = (items: Array<{ json: IDataObject }>) => items.map((item) => item.json.knowledgeBaseId);

	it('runs with a plain string, a plain-string expression, a list pick and a typed ID', async () => {
		expect(storeIds((await getStatus(storeId)).items)).toEqual([storeId]);
		expect(storeIds((await getStatus('={{ $json.store }}', [{ store: storeId }])).items)).toEqual([storeId]);
		expect(storeIds((await getStatus({ __rl: true, mode: 'list', value: storeId, cachedResultName: 'Guides' })).items)).toEqual([storeId]);
		expect(storeIds((await getStatus({ __rl: true, mode: 'id', value: ` ${storeId} ` })).items)).toEqual([storeId]);
	});

	it('takes the ID out of the platform page\'s URL', async () => {
		for (const url of [
			`https://platform.openai.com/storage/vector_stores/${storeId}`,
			`https://platform.openai.com/storage/vector_stores/${storeId}?tab=files`,
		]) {
			expect(storeIds((await getStatus({ __rl: true, mode: 'url', value: url })).items)).toEqual([storeId]);
		}
	});

	it('has n8n refuse a typed URL or ID of the wrong shape before the run, naming the shape expected', async () => {
		await expect(getStatus({ __rl: true, mode: 'url', value: 'https://platform.openai.com/storage/files' })).rejects.toThrow(
			'Expected a URL such as https://platform.openai.com/storage/vector_stores/<vector store ID>',
		);
		await expect(getStatus({ __rl: true, mode: 'id', value: 'guides' })).rejects.toThrow('vs_');
		expect(sim.requestsTo('openai')).toHaveLength(0);
	});
});
