/**
 * Picking a Coze knowledge base: the Dataset parameter's From List mode (the token's spaces, then
 * each space's knowledge bases, as n8n's editor asks for them), By URL and By ID, and workflows
 * saved before the parameter was a resource locator (a plain string).
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { CozeApi } from '../../credentials/CozeApi.credentials';
import { DATASET_LIST_PAGE_SIZE, cozeConsoleUrl } from '../../nodes/Coze/CozeAdapter';
import { CozeKnowledge } from '../../nodes/Coze/CozeKnowledge.node';
import { CozeKnowledgeTrigger } from '../../nodes/Coze/CozeKnowledgeTrigger.node';
import { runListSearch, runNode, runPoll } from '../harness';
import { type Simulator, cozeCompletedScript, startSimulator } from '../simulator';

const TOKEN = 'pat_coze_list_token_Hj4Kd9Pq2Wx7Zc';
const WRONG_TOKEN = 'pat_WRONGcozeLISTtokenQ7x2Zr9KpL';

let sim: Simulator;

beforeEach(async () => {
	sim = await startSimulator({ seed: 5 });
	sim.coze.addToken(TOKEN);
});

afterEach(async () => {
	await sim.close();
});

const credentials = (accessToken = TOKEN) => ({
	type: 'cozeApi',
	data: { accessToken, region: 'custom', baseUrl: sim.coze.baseUrl },
});

function search(filter?: string, paginationToken?: string, accessToken = TOKEN) {
	return runListSearch({
		node: new CozeKnowledge(),
		method: 'searchDatasets',
		parameters: { operation: 'getIndexingStatus' },
		filter,
		paginationToken,
		credentials: credentials(accessToken),
		credentialTypes: [new CozeApi()],
	});
}

const listCalls = () => sim.requestsTo('coze', /^\/v1\/datasets$/);
const spaceCalls = () => sim.requestsTo('coze', /^\/v1\/workspaces$/);

describe('Coze Dataset: From List', () => {
	it('pages through the knowledge bases of the token\'s space, with 64-bit IDs kept exact', async () => {
		const ids = Array.from({ length: DATASET_LIST_PAGE_SIZE + 2 }, (_, i) => sim.coze.addDataset(undefined, { name: `Docs ${i + 1}` }));
		const space = sim.coze.personalSpaceId();

		const first = await search();
		expect(first.results).toHaveLength(DATASET_LIST_PAGE_SIZE);
		const newest = ids[ids.length - 1];
		expect(BigInt(newest) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
		expect(first.results[0]).toEqual({ name: `Docs ${ids.length} (${newest})`, value: newest });
		expect(first.paginationToken).toBe(`${space}:2`);

		const second = await search(undefined, first.paginationToken as string);
		expect(second.results.map((r) => r.value)).toEqual([ids[1], ids[0]]);
		expect(second.paginationToken).toBeUndefined();

		expect(spaceCalls().map((c) => c.query)).toEqual([
			{ page_num: '1', page_size: '50' },
			{ page_num: '1', page_size: '50' },
		]);
		expect(listCalls().map((c) => c.query)).toEqual([
			{ space_id: space, page_num: '1', page_size: String(DATASET_LIST_PAGE_SIZE) },
			{ space_id: space, page_num: '2', page_size: String(DATASET_LIST_PAGE_SIZE) },
		]);
		expect(listCalls()[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
	});

	it('goes through every space the token sees, naming the space, and skips spaces with no match', async () => {
		const personal = sim.coze.personalSpaceId();
		const team = sim.coze.addSpace('Support team');
		const hidden = sim.coze.addSpace('Other team');
		sim.coze.addToken('pat_scoped_token_Vb3Nq8Rt5Yw2Lm', { spaces: [personal, team] });
		sim.coze.addDataset(undefined, { name: 'Personal notes', spaceId: personal });
		const faq = sim.coze.addDataset(undefined, { name: 'Support FAQ', spaceId: team });
		sim.coze.addDataset(undefined, { name: 'Hidden FAQ', spaceId: hidden });

		const all = await search(undefined, undefined, 'pat_scoped_token_Vb3Nq8Rt5Yw2Lm');
		expect(all.results.map((r) => r.name)).toEqual([expect.stringMatching(/^Personal notes \(\d+, space Personal\)$/)]);
		expect(all.paginationToken).toBe(`${team}:1`);
		const rest = await search(undefined, all.paginationToken as string, 'pat_scoped_token_Vb3Nq8Rt5Yw2Lm');
		expect(rest.results).toEqual([{ name: `Support FAQ (${faq}, space Support team)`, value: faq }]);
		expect(rest.paginationToken).toBeUndefined();

		sim.clearRequests();
		// "faq" matches nothing in the personal space: the same request moves on to the team space.
		const found = await search('FAQ', undefined, 'pat_scoped_token_Vb3Nq8Rt5Yw2Lm');
		expect(found.results.map((r) => r.value)).toEqual([faq]);
		expect(listCalls().map((c) => [c.query.space_id, c.query.name])).toEqual([
			[personal, 'FAQ'],
			[team, 'FAQ'],
		]);
	});

	it('answers an empty list when nothing matches', async () => {
		sim.coze.addDataset(undefined, { name: 'Anything' });
		expect(await search('no such knowledge base')).toEqual({ results: [] });
	});

	it('shows a wrong token as an API error in the dropdown, with Coze\'s code and the fix, and no token', async () => {
		const failure = await search(undefined, undefined, WRONG_TOKEN).catch((error: unknown) => error);

		expect(failure).toBeInstanceOf(NodeApiError);
		const error = failure as NodeApiError;
		expect(error.message).toMatch(/^Coze list spaces failed: authentication is invalid \(code 4100, logid \w+\)$/);
		expect(error.httpCode).toBe('401');
		expect(error.description).toContain('Check the access token of the Coze API credential');
		expect(JSON.stringify({ message: error.message, description: error.description })).not.toContain(WRONG_TOKEN);
	});

	it('says what listing needs when Coze refuses a permission', async () => {
		sim.coze.addDataset(undefined, { name: 'Anything' });
		sim.coze.returnErrorCodeOnce(4101, 'permission denied');

		const failure = (await search().catch((error: unknown) => error)) as NodeApiError;

		expect(failure.message).toMatch(/^Coze list spaces failed: permission denied \(code 4101/);
		expect(failure.description).toContain('the token needs the permissions to list workspaces and knowledge bases');
	});

	it('is offered by the trigger too', async () => {
		const id = sim.coze.addDataset(undefined, { name: 'Watched' });
		const result = await runListSearch({
			node: new CozeKnowledgeTrigger(),
			method: 'searchDatasets',
			parameters: { event: 'documentFinished' },
			credentials: credentials(),
			credentialTypes: [new CozeApi()],
		});
		expect(result.results.map((r) => r.value)).toEqual([id]);
	});
});

describe('Coze Dataset: the value the node reads', () => {
	let datasetId: string;
	let documentId: string;

	beforeEach(() => {
		datasetId = sim.coze.addDataset(undefined, { name: 'Guides' });
		[documentId] = sim.coze.addDocuments(datasetId, [{ name: 'a.txt', script: cozeCompletedScript() }]);
	});

	function getStatus(datasetParameter: unknown, input: IDataObject[] = [{}]) {
		return runNode({
			node: new CozeKnowledge(),
			parameters: { operation: 'getIndexingStatus', datasetId: datasetParameter, documentIds: documentId } as INodeParameters,
			input,
			credentials: credentials(),
			credentialTypes: [new CozeApi()],
		});
	}

	const datasetOf = (items: Array<{ json: IDataObject }>) => items.map((item) => item.json.knowledgeBaseId);

	it('runs a workflow saved with a plain string, as every workflow before the locator did', async () => {
		const run = await getStatus(datasetId);
		expect(run.error).toBeUndefined();
		expect(datasetOf(run.items)).toEqual([datasetId]);
		expect(run.items[0].json).toMatchObject({ documentId, status: 'completed' });
	});

	it('reads a value picked from the list or typed By ID, and an ID from an expression', async () => {
		expect(datasetOf((await getStatus({ __rl: true, mode: 'list', value: datasetId, cachedResultName: 'Guides' })).items)).toEqual([datasetId]);
		expect(datasetOf((await getStatus({ __rl: true, mode: 'id', value: ` ${datasetId} ` })).items)).toEqual([datasetId]);
		expect(datasetOf((await getStatus({ __rl: true, mode: 'id', value: '={{ $json.kb }}' }, [{ kb: datasetId }])).items)).toEqual([datasetId]);
	});

	it('takes the ID out of a knowledge base URL on coze.cn or coze.com', async () => {
		for (const url of [
			`https://www.coze.cn/space/7351000000000000001/knowledge/${datasetId}`,
			`https://www.coze.com/space/7351000000000000001/knowledge/${datasetId}?page_mode=normal`,
		]) {
			const run = await getStatus({ __rl: true, mode: 'url', value: url });
			expect({ url, ids: datasetOf(run.items) }).toEqual({ url, ids: [datasetId] });
		}
		expect(JSON.parse(sim.requestsTo('coze', /\/process$/)[0].body)).toEqual({ document_ids: [documentId] });
		expect(sim.requestsTo('coze', /\/process$/)[0].path).toBe(`/v1/datasets/${datasetId}/process`);
	});

	it('names the expected URL shape and ID, before the run and at run time', async () => {
		await expect(getStatus({ __rl: true, mode: 'url', value: 'https://www.coze.cn/space/1/bot/2' })).rejects.toThrow(
			'"datasetId":["Expected a URL such as https://www.coze.cn/space/<space ID>/knowledge/<dataset ID> (or www.coze.com)"]',
		);
		await expect(getStatus({ __rl: true, mode: 'id', value: 'kb-1' })).rejects.toThrow(
			'"datasetId":["Expected a knowledge base ID: decimal digits, such as 7442585813587681111"]',
		);
		const atRunTime = await getStatus({ __rl: true, mode: 'url', value: '={{ $json.link }}' }, [{ link: 'https://www.coze.cn/space/1/bot/2' }]);
		expect(atRunTime.error).toBeInstanceOf(NodeOperationError);
		expect(atRunTime.error?.message).toBe(
			'Dataset ID (By URL) "https://www.coze.cn/space/1/bot/2" is not a URL of the expected shape: expected https://www.coze.cn/space/<space ID>/knowledge/<dataset ID> (or www.coze.com)',
		);
		expect(sim.requestsTo('coze')).toHaveLength(0);
	});

	it('lets the trigger watch a knowledge base picked from the list', async () => {
		const poll = await runPoll({
			node: new CozeKnowledgeTrigger(),
			parameters: { datasetId: { __rl: true, mode: 'list', value: datasetId }, watch: 'documents', documentIds: documentId },
			mode: 'manual',
			credentials: credentials(),
			credentialTypes: [new CozeApi()],
		});
		expect(poll.items?.[0].map((item) => item.json.knowledgeBaseId)).toEqual([datasetId]);
	});
});

describe('Coze console URLs', () => {
	it('link coze.cn and coze.com knowledge bases, and nothing for a custom endpoint', () => {
		expect(cozeConsoleUrl({ region: 'cn' }, '7351', '7442')).toBe('https://www.coze.cn/space/7351/knowledge/7442');
		expect(cozeConsoleUrl({ region: 'com' }, '7351', '7442')).toBe('https://www.coze.com/space/7351/knowledge/7442');
		expect(cozeConsoleUrl({ region: 'custom', baseUrl: 'https://coze.example' }, '7351', '7442')).toBeUndefined();
	});
});
