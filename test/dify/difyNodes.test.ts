import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { DifyKnowledgeApi } from '../../credentials/DifyKnowledgeApi.credentials';
import { DifyKnowledge } from '../../nodes/Dify/DifyKnowledge.node';
import { DifyKnowledgeTrigger } from '../../nodes/Dify/DifyKnowledgeTrigger.node';
import { runNode, runPoll, testCredential } from '../harness';
import type { Simulator } from '../simulator';
import type { DifyScript } from '../simulator';
import { difyCompletedScript, difyScript, startSimulator } from '../simulator';

const API_KEY = 'dataset-Sk9xQ2v7TzR4mW1pL8nB';

let sim: Simulator;
let datasetId: string;

beforeEach(async () => {
	sim = await startSimulator();
	sim.dify.addApiKey(API_KEY);
	datasetId = sim.dify.addDataset();
});

afterEach(async () => {
	await sim.close();
});

const credentials = (apiKey = API_KEY) => ({
	type: 'difyKnowledgeApi',
	data: { apiKey, baseUrl: sim.dify.baseUrl },
});

/** Finishes on its third observation: indexing 0/2, indexing 1/2, then completed (or error). */
function quick(fail?: string): DifyScript {
	const indexing = (done: number) => ({ indexing_status: 'indexing' as const, completed_segments: done, total_segments: 2 });
	const last = fail
		? { indexing_status: 'error' as const, completed_segments: 1, total_segments: 2, error: fail }
		: { indexing_status: 'completed' as const, completed_segments: 2, total_segments: 2 };
	return [{ state: indexing(0) }, { state: indexing(1) }, { state: last }];
}

function run(parameters: Record<string, unknown>, input: IDataObject[], extra: { continueOnFail?: boolean; abortAfterMs?: number; apiKey?: string } = {}) {
	return runNode({
		node: new DifyKnowledge(),
		parameters: { datasetId, ...parameters } as never,
		input,
		credentials: credentials(extra.apiKey),
		credentialTypes: [new DifyKnowledgeApi()],
		continueOnFail: extra.continueOnFail,
		abortAfterMs: extra.abortAfterMs,
	});
}

/** What Dify's create-by-text call answers, as the upload node hands it on. */
function uploadResult(batch: string, documentId: string) {
	return { document: { id: documentId, name: 'guide.txt', indexing_status: 'waiting' }, batch };
}

describe('Dify Knowledge: Get Indexing Status', () => {
	it('returns the current status of a batch mid-way, one item per document, paired to its input', async () => {
		const halfWay = { indexing_status: 'indexing' as const, completed_segments: 2, total_segments: 4 };
		const { batch, documentIds } = sim.dify.addDocuments(datasetId, [
			{ name: 'a.txt', script: [{ state: halfWay }] },
			{ name: 'b.txt', script: difyCompletedScript(3) },
		]);

		const result = await run({ operation: 'getIndexingStatus' }, [uploadResult(batch, documentIds[0])]);

		expect(result.error).toBeUndefined();
		expect(sim.requestsTo('dify')).toHaveLength(1);
		expect(result.items.map((i) => i.json)).toEqual([
			expect.objectContaining({
				vendor: 'dify',
				knowledgeBaseId: datasetId,
				jobId: batch,
				documentId: documentIds[0],
				status: 'processing',
				terminal: false,
				vendorStatus: 'indexing',
				progress: 50,
				completedSegments: 2,
				totalSegments: 4,
			}),
			expect.objectContaining({ documentId: documentIds[1], status: 'completed', terminal: true, progress: 100 }),
		]);
		expect(result.items[0].json).not.toHaveProperty('wait');
		expect(result.items[0].json).not.toHaveProperty('raw');
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
	});

	it('reads documents by id, with names, and answers not_found for an unknown id', async () => {
		const { documentIds } = sim.dify.addDocuments(datasetId, [{ name: 'guide.pdf', script: difyCompletedScript(2) }]);
		const unknown = '00000000-0000-4000-8000-000000000000';
		const result = await run(
			{ operation: 'getIndexingStatus', watch: 'documents', documentIds: `${documentIds[0]},\n${unknown}`, options: { includeRaw: true } },
			[{}],
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => [i.json.documentId, i.json.documentName, i.json.status])).toEqual([
			[documentIds[0], 'guide.pdf', 'completed'],
			[unknown, null, 'not_found'],
		]);
		expect(result.items[0].json.raw).toMatchObject({ id: documentIds[0], indexing_status: 'completed' });
		expect(result.items[1].json.error).toEqual({ code: 'not_found', message: 'Document not found.' });
	});
});

describe('Dify Knowledge: paused documents', () => {
	const pausedScript: DifyScript = [
		{ state: { indexing_status: 'indexing', completed_segments: 1, total_segments: 2, error: null, is_paused: true } },
	];

	it('reports a paused document as paused through the detail call and through the listing', async () => {
		const { documentIds } = sim.dify.addDocuments(datasetId, [
			{ name: 'paused.txt', script: pausedScript },
			{ name: 'done.txt', script: difyCompletedScript(2) },
		]);

		const one = await run({ operation: 'getIndexingStatus', watch: 'documents', documentIds: documentIds[0] }, [{}]);
		const both = await run({ operation: 'getIndexingStatus', watch: 'documents', documentIds: documentIds.join(',') }, [{}]);

		expect(sim.requestsTo('dify').map((r) => r.path)).toEqual([
			`/datasets/${datasetId}/documents/${documentIds[0]}`,
			`/datasets/${datasetId}/documents`,
		]);
		for (const result of [one, both]) {
			expect(result.items[0].json).toMatchObject({ documentId: documentIds[0], status: 'paused', vendorStatus: 'paused', terminal: false });
		}
		expect(both.items[1].json).toMatchObject({ status: 'completed' });
	});

	it('shows a paused document as paused in the whole-dataset trigger', async () => {
		sim.dify.addDocuments(datasetId, [{ name: 'paused.txt', script: pausedScript }]);
		const sample = await runPoll({
			node: new DifyKnowledgeTrigger(),
			parameters: { datasetId, watch: 'dataset' },
			staticData: {},
			mode: 'manual',
			credentials: credentials(),
			credentialTypes: [new DifyKnowledgeApi()],
		});
		expect(sample.items?.[0].map((i) => i.json.status)).toEqual(['paused']);
	});
});

describe('Dify Knowledge: a document paused while waiting', () => {
	// Dify releases whose display_status checks "waiting" before "paused" show it as "queuing".
	const pausedWaiting: DifyScript = [
		{ state: { indexing_status: 'waiting', completed_segments: 0, total_segments: 0, error: null, is_paused: true } },
	];

	it('is paused in Batch mode and in Document IDs mode alike', async () => {
		const { batch, documentIds } = sim.dify.addDocuments(datasetId, [{ name: 'held.txt', script: pausedWaiting }]);

		const byBatch = await run({ operation: 'getIndexingStatus', watch: 'batch', batch }, [{}]);
		const byId = await run({ operation: 'getIndexingStatus', watch: 'documents', documentIds: documentIds[0] }, [{}]);

		expect(sim.requestsTo('dify').map((r) => r.path)).toEqual([
			`/datasets/${datasetId}/documents/${batch}/indexing-status`,
			`/datasets/${datasetId}/documents/${documentIds[0]}`,
		]);
		for (const result of [byBatch, byId]) {
			expect(result.items[0].json).toMatchObject({ documentId: documentIds[0], status: 'paused', vendorStatus: 'paused', terminal: false });
		}
	});
});

describe('Dify Knowledge: releases without the document detail call', () => {
	it.each(['missing404', 'missing405'] as const)('reads the document list instead when the detail call answers %s', async (mode) => {
		sim.dify.documentDetailRoute = mode;
		const { documentIds } = sim.dify.addDocuments(datasetId, [{ name: 'one.txt', script: quick() }]);

		const result = await run({ operation: 'waitUntilIndexed', watch: 'documents', documentIds: documentIds[0], pollInterval: 1 }, [{}]);

		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json)).toEqual([
			expect.objectContaining({ documentId: documentIds[0], documentName: 'one.txt', status: 'completed' }),
		]);
		const calls = sim.requestsTo('dify');
		expect(calls[0]).toMatchObject({ path: `/datasets/${datasetId}/documents/${documentIds[0]}`, status: mode === 'missing404' ? 404 : 405 });
		// After that one answer, every round reads the list.
		expect(calls.slice(1).every((c) => c.path === `/datasets/${datasetId}/documents`)).toBe(true);
		expect(calls.length).toBeGreaterThan(1);
	});

	it('answers not_found for an id missing from the whole list of a Dify without the detail call', async () => {
		sim.dify.documentDetailRoute = 'missing404';
		const { documentIds } = sim.dify.addDocuments(datasetId, [{ name: 'one.txt', script: quick() }]);
		const missing = '00000000-0000-4000-8000-000000000002';

		const result = await run({ operation: 'getIndexingStatus', watch: 'documents', documentIds: `${documentIds[0]},${missing}` }, [{}]);

		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json)).toEqual([
			expect.objectContaining({ documentId: documentIds[0], documentName: 'one.txt' }),
			expect.objectContaining({ documentId: missing, status: 'not_found', terminal: true }),
		]);
		// The list first (two ids), then one detail call to confirm the missing id, which this Dify lacks.
		expect(sim.requestsTo('dify').map((c) => c.status)).toEqual([200, 404]);
	});

	it('still reports a document Dify does not know as not_found, and a dataset it does not know as an error', async () => {
		const missing = '00000000-0000-4000-8000-000000000001';
		const unknownDoc = await run({ operation: 'getIndexingStatus', watch: 'documents', documentIds: missing }, [{}]);
		expect(unknownDoc.items[0].json).toMatchObject({ documentId: missing, status: 'not_found' });

		const unknownDataset = await run(
			{ operation: 'getIndexingStatus', watch: 'documents', documentIds: missing, datasetId: '00000000-0000-4000-8000-0000000000ff' },
			[{}],
		);
		expect(unknownDataset.error?.message ?? '').toMatch(/not found/i);
	});
});

describe('Dify Knowledge: documents watched by id', () => {
	it('reads 20 documents of a 25-document dataset with one listing call per round', async () => {
		const added = sim.dify.addDocuments(
			datasetId,
			Array.from({ length: 25 }, (_, i) => ({ name: `doc-${i}.txt`, script: quick(i === 7 ? 'bad scan' : undefined) })),
		);
		const watched = added.documentIds.slice(0, 20);

		const result = await run({ operation: 'waitUntilIndexed', watch: 'documents', documentIds: watched.join('\n'), pollInterval: 1 }, [{}]);

		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.documentId)).toEqual(watched);
		expect(result.items.map((i) => i.json.documentName)).toEqual(watched.map((_, i) => `doc-${i}.txt`));
		expect(result.items[7].json).toMatchObject({ status: 'failed', error: { code: null, message: 'bad scan' } });
		const polls = (result.items[0].json.wait as IDataObject).polls as number;
		const calls = sim.requestsTo('dify');
		// A hand-built loop asks once per document per round: 20 calls a round.
		expect(calls).toHaveLength(polls);
		expect(calls.every((c) => c.path === `/datasets/${datasetId}/documents` && c.query.limit === '100')).toBe(true);
	});

	it('confirms an id missing from the pages read with the detail call before saying not_found', async () => {
		const own = sim.dify.addDataset();
		const older = sim.dify.addDocuments(own, [{ name: 'older.txt', script: difyCompletedScript(1) }]).documentIds[0];
		const old = sim.dify.addDocuments(own, [{ name: 'old.txt', script: difyCompletedScript(1) }]).documentIds[0];
		const newer = sim.dify.addDocuments(own, Array.from({ length: 100 }, (_, i) => ({ name: `new-${i}.txt`, script: difyCompletedScript(1) }))).documentIds;
		// Newest first: page 1 holds the 100 newer documents, page 2 old.txt and older.txt. A
		// document of page 1 is deleted just before page 2 is read: old.txt moves up to page 1.
		const unsubscribe = sim.addRequestListener((entry) => {
			if (entry.path === `/datasets/${own}/documents` && entry.query.page === '2') {
				sim.dify.deleteDocument(own, newer[50]);
				unsubscribe();
			}
		});

		const result = await run({ operation: 'getIndexingStatus', datasetId: own, watch: 'documents', documentIds: [old, older, newer[99]].join(',') }, [{}]);

		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => [i.json.documentId, i.json.status])).toEqual([
			[old, 'completed'],
			[older, 'completed'],
			[newer[99], 'completed'],
		]);
	});

	it('asks by detail when the dataset has more pages than there are ids left', async () => {
		sim.dify.addDocuments(datasetId, Array.from({ length: 250 }, (_, i) => ({ name: `old-${i}.txt`, script: difyCompletedScript(1) })));
		const { documentIds } = sim.dify.addDocuments(datasetId, [{ name: 'a.txt', script: quick() }, { name: 'b.txt', script: quick() }]);

		const result = await run({ operation: 'waitUntilIndexed', watch: 'documents', documentIds: documentIds.join(','), pollInterval: 1 }, [{}]);

		expect(result.items.map((i) => i.json.status)).toEqual(['completed', 'completed']);
		const paths = sim.requestsTo('dify').map((r) => r.path);
		// The first round lists the newest page, which holds both; the dataset then has 3 pages
		// for 2 ids, so the later rounds ask by detail.
		expect(paths[0]).toBe(`/datasets/${datasetId}/documents`);
		expect(paths.slice(1).every((p) => documentIds.some((id) => p.endsWith(`/documents/${id}`)))).toBe(true);
	});
});

describe('Dify Knowledge: Wait Until Indexed', () => {
	it('waits until every document of each input batch is completed, keeping items paired', async () => {
		const first = sim.dify.addDocuments(datasetId, [{ name: 'a.txt', script: quick() }, { name: 'b.txt', script: quick() }]);
		const second = sim.dify.addDocuments(datasetId, [{ name: 'c.txt', script: quick() }]);

		const result = await run({ operation: 'waitUntilIndexed', pollInterval: 1 }, [
			uploadResult(first.batch, first.documentIds[0]),
			uploadResult(second.batch, second.documentIds[0]),
		]);

		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => [i.json.documentId, i.json.status, i.pairedItem])).toEqual([
			[first.documentIds[0], 'completed', { item: 0 }],
			[first.documentIds[1], 'completed', { item: 0 }],
			[second.documentIds[0], 'completed', { item: 1 }],
		]);
		expect(result.items[0].json.wait).toMatchObject({ polls: 3, timedOut: false });
		// One call per batch per round, three rounds.
		expect(sim.requestsTo('dify', /indexing-status/)).toHaveLength(6);
	});

	it('reports a failed document with its message next to the completed ones', async () => {
		const { batch, documentIds } = sim.dify.addDocuments(datasetId, [
			{ name: 'ok.txt', script: quick() },
			{ name: 'bad.txt', script: quick('Invalid document: no text could be extracted') },
		]);
		const result = await run({ operation: 'waitUntilIndexed', pollInterval: 1, options: { outputMode: 'summary' } }, [
			uploadResult(batch, documentIds[0]),
		]);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		const summary = result.items[0].json as Record<string, any>;
		expect(summary).toMatchObject({
			vendor: 'dify',
			jobId: batch,
			status: 'failed',
			terminal: true,
			total: 2,
			counts: expect.objectContaining({ completed: 1, failed: 1 }),
			wait: expect.objectContaining({ timedOut: false }),
		});
		expect(summary.documents[0]).not.toHaveProperty('wait');
		expect(summary.documents[1]).toMatchObject({
			documentId: documentIds[1],
			status: 'failed',
			vendorStatus: 'error',
			error: { code: null, message: 'Invalid document: no text could be extracted' },
		});
	});

	it('fails the item on a failed document with Fail On Document Error', async () => {
		const { batch, documentIds } = sim.dify.addDocuments(datasetId, [
			{ name: 'ok.txt', script: quick() },
			{ name: 'bad.txt', script: quick('parse error') },
		]);
		const input = [uploadResult(batch, documentIds[0])];
		const parameters = { operation: 'waitUntilIndexed', pollInterval: 1, options: { failOnDocumentError: true } };

		const failed = await run(parameters, input);
		expect(failed.error).toBeInstanceOf(NodeOperationError);
		expect(failed.error?.message).toBe('1 of 2 documents failed to index in Dify');
		expect((failed.error as NodeOperationError).description).toContain('parse error');
	});

	it('on timeout outputs the last statuses, or fails with On Timeout = Error', async () => {
		const stuck = difyScript({ segments: 4, paused: true, ticksPerStage: 0, waiting: 0 });
		const { batch, documentIds } = sim.dify.addDocuments(datasetId, [{ name: 'slow.txt', script: stuck }]);
		const input = [uploadResult(batch, documentIds[0])];

		const output = await run({ operation: 'waitUntilIndexed', pollInterval: 1, timeout: 1.5 }, input);
		expect(output.error).toBeUndefined();
		expect(output.items[0].json).toMatchObject({ status: 'paused', terminal: false, wait: { timedOut: true, polls: 2 } });

		const failing = await run({ operation: 'waitUntilIndexed', pollInterval: 1, timeout: 1.5, onTimeout: 'error' }, input);
		expect(failing.error).toBeInstanceOf(NodeOperationError);
		// The time waited is real time here: at least the timeout, more on a busy machine.
		const message = /^Timed out after ([\d.]+) s: 1 of 1 documents are not indexed yet$/.exec(failing.error?.message ?? '');
		expect(message).not.toBeNull();
		expect(Number(message?.[1])).toBeGreaterThanOrEqual(1.5);
	});

	it('retries a 429 after the Retry-After the vendor gave', async () => {
		const { batch, documentIds } = sim.dify.addDocuments(datasetId, [{ name: 'a.txt', script: difyCompletedScript() }]);
		sim.injectFault({ vendor: 'dify', path: /indexing-status/, kind: { type: 'status', status: 429, headers: { 'Retry-After': '1' } } });
		const started = Date.now();
		const result = await run({ operation: 'getIndexingStatus' }, [uploadResult(batch, documentIds[0])]);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.status).toBe('completed');
		expect(sim.requestsTo('dify').map((r) => r.status)).toEqual([429, 200]);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
	});

	it('stops when the execution is cancelled while asleep until its next poll', async () => {
		const { batch, documentIds } = sim.dify.addDocuments(datasetId, [
			{ name: 'slow.txt', script: difyScript({ segments: 4, paused: true }) },
		]);
		const result = await run({ operation: 'waitUntilIndexed', pollInterval: 30, timeout: 600 }, [uploadResult(batch, documentIds[0])], {
			abortAfterMs: 300,
		});
		// Asleep for 30 s, longer than the test's timeout: only the stop can end the wait.
		expect(result.status).toBe('canceled');
		expect(sim.requestsTo('dify')).toHaveLength(1);
	});
});

describe('Dify Knowledge: errors', () => {
	it('explains a wrong key without showing it', async () => {
		const wrongKey = 'dataset-WRONGwrongWRONG1234';
		const { batch, documentIds } = sim.dify.addDocuments(datasetId, [{ name: 'a.txt' }]);
		const result = await run({ operation: 'getIndexingStatus' }, [uploadResult(batch, documentIds[0])], { apiKey: wrongKey });
		expect(result.error).toBeInstanceOf(NodeApiError);
		const error = result.error as NodeApiError;
		expect(error.message).toBe('Dify batch indexing status failed: the API key was rejected (Access token is invalid)');
		expect(error.description).toContain('HTTP 401');
		expect(error.httpCode).toBe('401');
		const everything = JSON.stringify({ error, description: error.description, context: error.context, runData: result.runData });
		expect(everything).not.toContain(wrongKey);
		expect(sim.requestsTo('dify')).toHaveLength(1);
	});

	it('with Continue On Fail, answers each input item: bad input, a missing dataset, and a good batch', async () => {
		const { batch, documentIds } = sim.dify.addDocuments(datasetId, [{ name: 'a.txt', script: difyCompletedScript() }]);
		const missingDataset = '11111111-2222-4333-8444-555555555555';
		const result = await run(
			{ operation: 'getIndexingStatus', datasetId: '={{ $json.dataset }}' },
			[
				{ dataset: 'not-a-uuid', ...uploadResult(batch, documentIds[0]) },
				{ dataset: missingDataset, ...uploadResult(batch, documentIds[0]) },
				{ dataset: datasetId, ...uploadResult(batch, documentIds[0]) },
				{ dataset: datasetId, document: { id: 'x' } },
			],
			{ continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => [i.pairedItem, i.json.error ?? i.json.status])).toEqual([
			[{ item: 0 }, expect.stringMatching(/^Dataset ID "not-a-uuid" is not a UUID: expected the knowledge base ID/)],
			[{ item: 1 }, 'Dify batch indexing status failed: Dataset not found.'],
			[{ item: 2 }, 'completed'],
			[{ item: 3 }, expect.stringMatching(/^Batch is empty/)],
		]);
	});

	it('without Continue On Fail, stops at the bad item with its index', async () => {
		const result = await run({ operation: 'getIndexingStatus', watch: 'documents', documentIds: ' , ' }, [{}]);
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(result.error?.message).toMatch(/^Document IDs is empty: expected at least one id/);
		expect((result.error as NodeOperationError).context.itemIndex).toBe(0);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('Dify Knowledge Trigger', () => {
	const poll = (parameters: Record<string, unknown>, staticData?: IDataObject, mode: 'trigger' | 'manual' = 'trigger') =>
		runPoll({
			node: new DifyKnowledgeTrigger(),
			parameters: { datasetId, ...parameters } as never,
			credentials: credentials(),
			credentialTypes: [new DifyKnowledgeApi()],
			staticData: staticData as never,
			mode,
		});

	it('on a batch, emits each document once as it finishes, across polls and a restart', async () => {
		const { batch, documentIds } = sim.dify.addDocuments(datasetId, [
			{ name: 'done.txt', script: difyCompletedScript() },
			{ name: 'later.txt', script: quick() },
		]);
		const parameters = { watch: 'batch', batch, event: 'documentFinished' };

		const first = await poll(parameters);
		expect(first.items?.[0].map((i) => i.json.documentId)).toEqual([documentIds[0]]);

		const second = await poll(parameters, first.staticData);
		expect(second.items).toBeNull();

		// A restart: the state goes to the database as JSON and comes back.
		const restored = JSON.parse(JSON.stringify(second.staticData));
		const third = await poll(parameters, restored);
		expect(third.items?.[0].map((i) => [i.json.documentId, i.json.status])).toEqual([[documentIds[1], 'completed']]);

		const fourth = await poll(parameters, JSON.parse(JSON.stringify(third.staticData)));
		expect(fourth.items).toBeNull();
	});

	it('on the whole dataset, takes a baseline first and pages through every document', async () => {
		sim.dify.addDocuments(datasetId, Array.from({ length: 120 }, (_, i) => ({ name: `old-${i}.txt`, script: difyCompletedScript() })));
		const parameters = { watch: 'dataset', event: 'documentFinished' };

		const baseline = await poll(parameters);
		expect(baseline.items).toBeNull();
		expect(sim.requestsTo('dify', /\/documents$/).map((r) => r.query.page)).toEqual(['1', '2']);

		const { documentIds } = sim.dify.addDocuments(datasetId, [{ name: 'new.txt', script: difyCompletedScript() }]);
		const next = await poll(parameters, baseline.staticData);
		expect(next.items?.[0].map((i) => [i.json.documentId, i.json.documentName])).toEqual([[documentIds[0], 'new.txt']]);
	});

	it('fires All Finished once, with a summary', async () => {
		const { batch } = sim.dify.addDocuments(datasetId, [{ name: 'a.txt', script: quick() }]);
		const parameters = { watch: 'batch', batch, event: 'allFinished' };
		let state: IDataObject | undefined;
		const fired: number[] = [];
		for (let i = 0; i < 4; i++) {
			const result = await poll(parameters, state);
			state = result.staticData;
			if (result.items) fired.push(i);
			if (result.items) expect(result.items[0][0].json).toMatchObject({ status: 'completed', total: 1, terminal: true });
		}
		expect(fired).toEqual([2]);
	});

	it('in manual mode returns a sample of the current statuses and keeps its state', async () => {
		const { batch } = sim.dify.addDocuments(datasetId, [{ name: 'a.txt', script: quick() }]);
		const sample = await poll({ watch: 'batch', batch, event: 'documentFinished' }, {}, 'manual');
		expect(sample.items?.[0].map((i) => i.json.status)).toEqual(['processing']);
		expect(sample.staticData).toEqual({});
	});
});

describe('Dify Knowledge API credential', () => {
	it('passes with a good key and fails with a wrong one', async () => {
		const type = new DifyKnowledgeApi();
		await expect(testCredential({ credentialType: type, data: credentials().data })).resolves.toMatchObject({ status: 'OK' });
		await expect(testCredential({ credentialType: type, data: credentials('dataset-nope').data })).resolves.toMatchObject({ status: 'Error' });
		const sent = sim.requestsTo('dify');
		expect(sent.map((r) => r.status)).toEqual(expect.arrayContaining([200, 401]));
		expect(sent.every((r) => r.path === '/datasets' && r.query.page === '1' && r.query.limit === '1')).toBe(true);
	});
});
