/**
 * The OpenAI vector store nodes and credential run through n8n-core (see test/harness) against
 * the simulated OpenAI API: parameters, expressions, the credential's headers, pairing and errors
 * are real. The engine sleeps on the simulator's clock, so waits cost no wall time.
 */
jest.mock('../../nodes/shared/clock', () => jest.requireActual('../bailian/simulatorTime').mockClockModule());

import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { OpenAiVectorStoreApi } from '../../credentials/OpenAiVectorStoreApi.credentials';
import { OpenAiVectorStore } from '../../nodes/OpenAi/OpenAiVectorStore.node';
import { OpenAiVectorStoreTrigger } from '../../nodes/OpenAi/OpenAiVectorStoreTrigger.node';
import { realClock } from '../../nodes/shared/clock';
import type { SimulatorTime } from '../bailian/simulatorTime';
import { runNode, runPoll, testCredential } from '../harness';
import { useSimulatorTime } from '../helpers/simulatedTime';
import { openAiScript, startSimulator } from '../simulator';
import type { Simulator } from '../simulator';

const time = realClock as unknown as SimulatorTime;
const API_KEY = 'sk-proj-Op3nAiNodesTestKey0123456789abcdefXYZ';

let sim: Simulator;
let storeId: string;
let unhook: () => void;

beforeEach(async () => {
	sim = await startSimulator({ seed: 5 });
	unhook = useSimulatorTime(time, sim);
	sim.openai.addApiKey({ key: API_KEY, organizationId: 'org-test', projectId: 'proj_test' });
	storeId = sim.openai.addVectorStore('Handbook');
});

afterEach(async () => {
	unhook();
	await sim.close();
});

const credentials = (data: IDataObject = {}) => ({
	type: 'openAiVectorStoreApi',
	data: { apiKey: API_KEY, baseUrl: sim.openai.baseUrl, ...data },
});

function run(parameters: Record<string, unknown>, input: IDataObject[], extra: { continueOnFail?: boolean; credential?: IDataObject } = {}) {
	return runNode({
		node: new OpenAiVectorStore(),
		parameters: { vectorStoreId: storeId, ...parameters } as never,
		input,
		credentials: credentials(extra.credential),
		credentialTypes: [new OpenAiVectorStoreApi()],
		continueOnFail: extra.continueOnFail,
	});
}

const batchPaths = /\/file_batches\/[^/]+$/;
const listPaths = /\/files$/;

describe('OpenAI Vector Store: Get Indexing Status of a file batch', () => {
	it('answers per file with the batch status, the last_error, and cancelled as failed with code cancelled', async () => {
		const { batchId, fileIds } = sim.openai.addBatch(storeId, [
			{ filename: 'a.pdf', script: openAiScript({ inProgress: 5 }) },
			{ filename: 'b.pdf', script: openAiScript({ inProgress: 0 }) },
			{ filename: 'c.pdf', script: openAiScript({ inProgress: 0, fail: 'unsupported_file' }) },
			{ filename: 'd.pdf', script: openAiScript({ inProgress: 0, cancel: true }) },
		]);

		// The default Batch ID reads `id` from the answer of the call that created the batch.
		const result = await run({ operation: 'getIndexingStatus' }, [{ id: batchId, object: 'vector_store.file_batch' }]);

		expect(result.error).toBeUndefined();
		const byId = new Map(result.items.map((i) => [i.json.documentId, i.json]));
		expect(byId.size).toBe(4);
		expect(byId.get(fileIds[0])).toMatchObject({
			vendor: 'openai',
			knowledgeBaseId: storeId,
			jobId: batchId,
			status: 'processing',
			terminal: false,
			vendorStatus: 'in_progress',
			jobStatus: 'in_progress',
			documentName: null,
			error: null,
		});
		expect(byId.get(fileIds[1])).toMatchObject({ status: 'completed', progress: 100, terminal: true });
		expect(byId.get(fileIds[2])).toMatchObject({
			status: 'failed',
			vendorStatus: 'failed',
			error: { code: 'unsupported_file', message: 'The file type is not supported.' },
		});
		expect(byId.get(fileIds[3])).toMatchObject({ status: 'failed', vendorStatus: 'cancelled', error: { code: 'cancelled' } });
		expect(String(byId.get(fileIds[0])?.requestId)).toMatch(/^req_/);
		for (const item of result.items) expect(item.pairedItem).toEqual({ item: 0 });
		// One batch call, one listing page.
		expect(sim.requestsTo('openai').map((r) => r.path.replace(/[^/]+$/, (tail) => (tail === 'files' ? 'files' : ':id')))).toEqual([
			`/vector_stores/${storeId}/file_batches/:id`,
			`/vector_stores/${storeId}/file_batches/${batchId}/files`,
		]);
	});

	it('sends the beta header and the credential\'s organization and project on every call', async () => {
		const { batchId } = sim.openai.addBatch(storeId, [{ script: openAiScript({ inProgress: 0 }) }]);
		const result = await run({ operation: 'getIndexingStatus', batchId }, [{}], {
			credential: { organizationId: 'org-test', projectId: 'proj_test' },
		});
		expect(result.error).toBeUndefined();
		for (const request of sim.requestsTo('openai')) {
			expect(request.headers).toMatchObject({
				authorization: `Bearer ${API_KEY}`,
				'openai-beta': 'assistants=v2',
				'openai-organization': 'org-test',
				'openai-project': 'proj_test',
			});
		}
	});

	it('reports a batch OpenAI does not know as not_found, with the vendor\'s message', async () => {
		const result = await run({ operation: 'getIndexingStatus', batchId: 'vsfb_unknown' }, [{}]);
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json)).toEqual([
			expect.objectContaining({ documentId: null, jobId: 'vsfb_unknown', status: 'not_found', error: { code: 'not_found', message: expect.stringContaining("No file batch found with id 'vsfb_unknown'") } }),
		]);
	});
});

describe('OpenAI Vector Store: Wait Until Indexed of a file batch', () => {
	it('costs one batch call a round while the batch runs, and lists only the statuses whose counts moved', async () => {
		const inputs = Array.from({ length: 200 }, (_, i) => ({
			filename: `doc-${i}.pdf`,
			script: openAiScript({ inProgress: 1, fail: i % 50 === 7 ? ('invalid_file' as const) : undefined }),
			msPerStep: 2_000 + (i % 20) * 1_000,
		}));
		const { batchId, fileIds } = sim.openai.addBatch(storeId, inputs);

		const result = await run({ operation: 'waitUntilIndexed', batchId, pollInterval: 5, timeout: 120 }, [{}]);

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(200);
		expect(new Set(result.items.map((i) => i.json.documentId))).toEqual(new Set(fileIds));
		expect(result.items.filter((i) => i.json.status === 'failed')).toHaveLength(4);
		expect(result.items.every((i) => i.json.terminal === true && i.json.jobStatus === 'completed')).toBe(true);
		expect(result.items[0].json.wait).toMatchObject({ timedOut: false });

		const batchCalls = sim.requestsTo('openai', batchPaths);
		const listings = sim.requestsTo('openai', listPaths);
		// The first round lists the whole batch (2 pages of 100); the last one reads only the
		// completed and failed files, by filter.
		expect(listings.slice(0, 2).map((r) => r.query.filter)).toEqual([undefined, undefined]);
		expect(listings.slice(2).map((r) => r.query.filter)).toEqual(['completed', 'completed', 'failed']);
		expect(listings.every((r) => r.query.limit === '100')).toBe(true);
		// A round every 5 s until the last file ends at 21 s: 6 rounds, one call each.
		expect(batchCalls.length).toBe(6);
		expect(batchCalls.length + listings.length).toBeLessThanOrEqual(12);
	});

	it('fails the wait on a timeout with onTimeout error, naming the time', async () => {
		const { batchId } = sim.openai.addBatch(storeId, [{ script: openAiScript({ inProgress: 1 }), msPerStep: 600_000 }]);
		const result = await run({ operation: 'waitUntilIndexed', batchId, pollInterval: 1, timeout: 3, onTimeout: 'error' }, [{}]);
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(String(result.error?.message)).toMatch(/3 s|3 seconds|timed out|time/i);
	});

	it('waits out a 429 for as long as retry-after-ms says', async () => {
		const { batchId } = sim.openai.addBatch(storeId, [{ script: openAiScript({ inProgress: 0 }) }]);
		sim.openai.rateLimit(1, 2_500);
		const started = sim.now();
		const result = await run({ operation: 'waitUntilIndexed', batchId, pollInterval: 1 }, [{}]);
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.status)).toEqual(['completed']);
		const calls = sim.requestsTo('openai');
		expect(calls[0].status).toBe(429);
		expect(calls[1].status).toBe(200);
		expect(sim.now() - started).toBeGreaterThanOrEqual(2_500);
	});
});

describe('OpenAI Vector Store: files by id', () => {
	it('answers each id, a file the store does not have as not_found, and looks names up once per file', async () => {
		const ids = sim.openai.addFiles(storeId, [
			{ filename: 'guide.pdf', script: openAiScript({ inProgress: 2 }), msPerStep: 1_500 },
			{ filename: 'faq.md', script: openAiScript({ inProgress: 0, fail: 'server_error' }) },
		]);
		const result = await run(
			{ operation: 'waitUntilIndexed', watch: 'files', fileIds: '={{ $json.ids }}', fileNames: true, pollInterval: 1 },
			[{ ids: [...ids, 'file-missing0000'] }],
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => [i.json.documentId, i.json.documentName, i.json.status])).toEqual([
			[ids[0], 'guide.pdf', 'completed'],
			[ids[1], 'faq.md', 'failed'],
			['file-missing0000', null, 'not_found'],
		]);
		const nameCalls = sim.requestsTo('openai', /^\/files\//);
		expect(nameCalls.map((r) => r.path).sort()).toEqual([`/files/${ids[0]}`, `/files/${ids[1]}`, '/files/file-missing0000'].sort());
		// Several rounds (three ids in a one-page store: one listing page each), names once.
		expect(sim.requestsTo('openai', /\/vector_stores\/[^/]+\/files$/).length).toBeGreaterThan(1);
	});

	it('names the field of a bad id before any call', async () => {
		const result = await run({ operation: 'getIndexingStatus', watch: 'files', fileIds: 'file-ok, not an id' }, [{}], { continueOnFail: true });
		expect(result.items[0].json.error).toMatch(/File IDs holds "not an id"/);
		expect(sim.requestsTo('openai')).toHaveLength(0);
	});

	it('names the field of a vector store id of the wrong shape', async () => {
		const result = await run({ operation: 'getIndexingStatus', vectorStoreId: 'store-1', watch: 'files', fileIds: 'file-a' }, [{}], { continueOnFail: true });
		expect(result.items[0].json.error).toMatch(/Vector Store ID "store-1" is not a vector store ID/);
	});

	it('asks for one file with one retrieve call, and for few ids in a large store file by file', async () => {
		const many = sim.openai.addFiles(storeId, Array.from({ length: 250 }, () => ({ script: openAiScript({ inProgress: 0 }) })));
		const one = await run({ operation: 'getIndexingStatus', watch: 'files', fileIds: many[0] }, [{}]);
		expect(one.items.map((i) => i.json.status)).toEqual(['completed']);
		expect(sim.requestsTo('openai').map((r) => r.path)).toEqual([`/vector_stores/${storeId}/files/${many[0]}`]);

		// The oldest two are on the last of three pages: the first search lists as many pages as
		// ids are missing, then retrieves them ...
		sim.clearRequests();
		const first = await run({ operation: 'getIndexingStatus', watch: 'files', fileIds: `${many[0]},${many[1]}` }, [{}]);
		expect(first.items.map((i) => [i.json.documentId, i.json.status])).toEqual([[many[0], 'completed'], [many[1], 'completed']]);
		expect(sim.requestsTo('openai').map((r) => (r.path.endsWith('/files') ? `list after ${r.query.after ?? 'none'}` : r.path))).toEqual([
			'list after none',
			`list after ${many[150]}`,
			`/vector_stores/${storeId}/files/${many[0]}`,
			`/vector_stores/${storeId}/files/${many[1]}`,
		]);
		// ... and the next one, knowing the store takes more pages than that, asks file by file.
		sim.clearRequests();
		await run({ operation: 'getIndexingStatus', watch: 'files', fileIds: `${many[0]},${many[1]}` }, [{}]);
		expect(sim.requestsTo('openai').map((r) => r.path).sort()).toEqual([`/vector_stores/${storeId}/files/${many[0]}`, `/vector_stores/${storeId}/files/${many[1]}`].sort());
	});

	it('answers a vector store OpenAI does not know alike for one id and for several: each id not found, with OpenAI\'s words', async () => {
		for (const fileIds of ['file-a', 'file-a,file-b']) {
			const result = await run({ operation: 'getIndexingStatus', vectorStoreId: 'vs_NoSuchStore', watch: 'files', fileIds }, [{}]);
			expect(result.error).toBeUndefined();
			expect(result.items.map((i) => [i.json.documentId, i.json.status, (i.json.error as IDataObject).message])).toEqual(
				fileIds.split(',').map((id) => [id, 'not_found', "No vector store found with id 'vs_NoSuchStore'."]),
			);
		}
	});

	it('never costs more than twice the retrieve calls when the ids are old or unknown in a large store', async () => {
		const many = sim.openai.addFiles(storeId, Array.from({ length: 1000 }, () => ({ script: openAiScript({ inProgress: 0 }) })));
		const result = await run({ operation: 'getIndexingStatus', watch: 'files', fileIds: `${many[999]},${many[3]},file-NotInThisStore000` }, [{}]);
		expect(result.items.map((i) => [i.json.documentId, i.json.status])).toEqual([
			[many[999], 'completed'],
			[many[3], 'completed'],
			['file-NotInThisStore000', 'not_found'],
		]);
		// Page 1 has the newest; after page 2 the two still missing are asked one by one (10 pages
		// would list them all).
		const calls = sim.requestsTo('openai');
		expect(calls.filter((r) => r.path.endsWith('/files'))).toHaveLength(2);
		expect(calls.filter((r) => !r.path.endsWith('/files')).map((r) => r.path).sort()).toEqual(
			[`/vector_stores/${storeId}/files/${many[3]}`, `/vector_stores/${storeId}/files/file-NotInThisStore000`].sort(),
		);
	});
});

describe('the simulated OpenAI API', () => {
	it('refuses a page size outside 1 to 100 as OpenAI does, naming the bound', async () => {
		const ask = async (limit: string) => {
			const response = await fetch(`${sim.openai.baseUrl}/vector_stores/${storeId}/files?limit=${limit}`, {
				headers: { Authorization: `Bearer ${API_KEY}`, 'OpenAI-Beta': 'assistants=v2' },
			});
			return [response.status, ((await response.json()) as { error: { code: string; param: string } }).error] as const;
		};
		expect(await ask('0')).toEqual([400, expect.objectContaining({ code: 'integer_below_min_value', param: 'limit' })]);
		expect(await ask('101')).toEqual([400, expect.objectContaining({ code: 'integer_above_max_value', param: 'limit' })]);
	});
});

describe('OpenAI Vector Store: errors', () => {
	it('asks again after a request timeout (408) and a lock timeout (409), and not after an answer that says x-should-retry: false', async () => {
		const { batchId } = sim.openai.addBatch(storeId, [{ script: openAiScript({ inProgress: 0 }) }]);
		sim.injectFault({ vendor: 'openai', path: batchPaths, kind: { type: 'status', status: 408 } });
		sim.injectFault({ vendor: 'openai', path: batchPaths, kind: { type: 'status', status: 409 } });
		const retried = await run({ operation: 'getIndexingStatus', batchId }, [{}]);
		expect(retried.error).toBeUndefined();
		expect(retried.items.map((i) => i.json.status)).toEqual(['completed']);
		expect(sim.requestsTo('openai', batchPaths).map((r) => r.status)).toEqual([408, 409, 200]);

		sim.clearRequests();
		sim.injectFault({ vendor: 'openai', path: batchPaths, kind: { type: 'status', status: 503, headers: { 'x-should-retry': 'false' } } });
		const refused = await run({ operation: 'getIndexingStatus', batchId }, [{}]);
		expect(refused.error?.message).toMatch(/The server had an error/);
		expect(sim.requestsTo('openai', batchPaths)).toHaveLength(1);
	});

	it('fails with the vendor\'s words, the request id and no part of the key when the key is wrong', async () => {
		const { batchId } = sim.openai.addBatch(storeId, [{}]);
		const wrongKey = 'sk-proj-WrongKeyWrongKeyWrongKey0000000000';
		const result = await run({ operation: 'getIndexingStatus', batchId }, [{}], { credential: { apiKey: wrongKey } });
		expect(result.error).toBeInstanceOf(NodeApiError);
		const text = JSON.stringify({ message: result.error?.message, description: (result.error as NodeApiError).description });
		expect(text).toMatch(/Incorrect API key provided/);
		expect(text).toMatch(/req_/);
		for (let i = 0; i + 8 <= wrongKey.length; i++) expect(text).not.toContain(wrongKey.slice(i, i + 8));
	});

	it('tells a project the key does not belong to apart from a wrong key', async () => {
		const { batchId } = sim.openai.addBatch(storeId, [{}]);
		const result = await run({ operation: 'getIndexingStatus', batchId }, [{}], { credential: { projectId: 'proj_other' } });
		expect(result.error).toBeInstanceOf(NodeApiError);
		const text = `${result.error?.message} ${(result.error as NodeApiError).description}`;
		expect(text).toMatch(/OpenAI-Project header should match project/);
		expect(text).toMatch(/Project ID/);
	});
});

describe('OpenAI Vector Store API credential test', () => {
	const test = (data: IDataObject) =>
		testCredential({ credentialType: new OpenAiVectorStoreApi(), data: { apiKey: API_KEY, baseUrl: sim.openai.baseUrl, ...data } });

	it('passes with a key that may read vector stores', async () => {
		expect(await test({})).toEqual({ status: 'OK', message: expect.any(String) });
		expect(sim.requestsTo('openai')[0]).toMatchObject({ path: '/vector_stores', query: { limit: '1' } });
	});

	it('tells a wrong key, a key without access to the project and a wrong base URL apart', async () => {
		sim.openai.addApiKey({ key: 'sk-proj-NoVectorStoreScope000000000000', canReadVectorStores: false });
		const wrongKey = await test({ apiKey: 'sk-proj-Unknown0000000000000000000' });
		const noAccess = await test({ apiKey: 'sk-proj-NoVectorStoreScope000000000000' });
		const wrongUrl = await test({ baseUrl: `${sim.url}/openai` });
		expect(wrongKey).toEqual({ status: 'Error', message: expect.stringMatching(/API key was rejected \(401\)/) });
		expect(noAccess).toEqual({ status: 'Error', message: expect.stringMatching(/no access to vector stores here \(403\)/) });
		expect(wrongUrl).toEqual({ status: 'Error', message: expect.stringMatching(/Nothing answers at Base URL\/vector_stores \(404\)/) });
	});

	it('works with Azure OpenAI: the key in an api-key header and an api-version', async () => {
		sim.openai.azure = true;
		expect(await test({ keyHeader: 'apiKey', apiVersion: 'preview' })).toMatchObject({ status: 'OK' });
		const request = sim.requestsTo('openai')[0];
		expect(request.headers['api-key']).toBe(API_KEY);
		expect(request.headers.authorization).toBeUndefined();
		expect(request.query).toMatchObject({ 'api-version': 'preview', limit: '1' });
	});
});

describe('OpenAI Vector Store Trigger', () => {
	const poll = (parameters: Record<string, unknown>, staticData?: IDataObject) =>
		runPoll({
			node: new OpenAiVectorStoreTrigger(),
			parameters: { vectorStoreId: storeId, ...parameters } as never,
			credentials: credentials(),
			credentialTypes: [new OpenAiVectorStoreApi()],
			staticData,
		});

	it('emits a batch\'s files that are already finished at the first poll, then each other one once', async () => {
		const { batchId, fileIds } = sim.openai.addBatch(storeId, [
			{ script: openAiScript({ inProgress: 0 }) },
			{ script: openAiScript({ inProgress: 1 }), msPerStep: 10_000 },
		]);
		const first = await poll({ watch: 'fileBatch', batchId, event: 'documentFinished' });
		expect(first.items?.[0].map((i) => i.json.documentId)).toEqual([fileIds[0]]);
		const quiet = await poll({ watch: 'fileBatch', batchId, event: 'documentFinished' }, first.staticData);
		expect(quiet.items).toBeNull();
		sim.advanceClock(10_000);
		const later = await poll({ watch: 'fileBatch', batchId, event: 'documentFinished' }, first.staticData);
		expect(later.items?.[0].map((i) => [i.json.documentId, i.json.status])).toEqual([[fileIds[1], 'completed']]);
	});

	it('watches a whole store across listing pages: a baseline first, then what finishes', async () => {
		const old = sim.openai.addFiles(storeId, Array.from({ length: 130 }, () => ({ script: openAiScript({ inProgress: 0 }) })));
		const baseline = await poll({ watch: 'vectorStore', event: 'documentFinished' });
		expect(baseline.items).toBeNull();
		const pages = sim.requestsTo('openai', /\/vector_stores\/[^/]+\/files$/);
		expect(pages.map((r) => [r.query.order, r.query.after])).toEqual([
			['asc', undefined],
			['asc', old[99]],
		]);
		const added = sim.openai.addFiles(storeId, [{ script: openAiScript({ inProgress: 1 }), msPerStep: 5_000 }]);
		expect((await poll({ watch: 'vectorStore', event: 'documentFinished' }, baseline.staticData)).items).toBeNull();
		sim.advanceClock(5_000);
		const finished = await poll({ watch: 'vectorStore', event: 'documentFinished' }, baseline.staticData);
		expect(finished.items?.[0].map((i) => i.json.documentId)).toEqual([added[0]]);
	});

	it("goes on with a pass from the cursor kept in the trigger's state, and from the first page when the state has none", async () => {
		const old = sim.openai.addFiles(storeId, Array.from({ length: 130 }, () => ({ script: openAiScript({ inProgress: 0 }) })));
		const baseline = await poll({ watch: 'vectorStore', event: 'documentFinished' });
		expect(baseline.items).toBeNull();
		// As a poll leaves the state when n8n's budget stopped it after page 1 of a pass: the page
		// it reaches next, and the cursor that page starts after.
		const midPass = (nextCursor?: string) => {
			const staticData = JSON.parse(JSON.stringify(baseline.staticData)) as IDataObject;
			const state = staticData.indexingStatus as { listing: Record<string, unknown> };
			state.listing.nextPage = 2;
			if (nextCursor === undefined) delete state.listing.nextCursor;
			else state.listing.nextCursor = nextCursor;
			return staticData;
		};
		const pagesAsked = async (staticData: IDataObject) => {
			sim.clearRequests();
			await poll({ watch: 'vectorStore', event: 'documentFinished' }, staticData);
			return sim.requestsTo('openai', /\/vector_stores\/[^/]+\/files$/).map((r) => [r.query.order, r.query.after]);
		};

		expect(await pagesAsked(midPass(old[89]))).toEqual([['asc', old[89]]]);
		expect(await pagesAsked(midPass())).toEqual([
			['asc', undefined],
			['asc', old[99]],
		]);
	});
});
