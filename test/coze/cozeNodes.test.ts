/**
 * The Coze nodes and credential run through n8n-core (see test/harness) against the simulated
 * Coze API: parameters, expressions, the credential's authenticate, pairing and errors are real.
 */
import type { IDataObject, IHttpRequestOptions, INodeParameters } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { CozeApi } from '../../credentials/CozeApi.credentials';
import { PROCESS_CHUNK_SIZE } from '../../nodes/Coze/CozeAdapter';
import { CozeKnowledge } from '../../nodes/Coze/CozeKnowledge.node';
import { CozeKnowledgeTrigger } from '../../nodes/Coze/CozeKnowledgeTrigger.node';
import { runNode, runPoll, testCredential } from '../harness';
import type { HarnessCredentials } from '../harness';
import { COZE_STATUS, type Simulator, cozeCompletedScript, cozeScript, startSimulator } from '../simulator';

const TOKEN = 'pat_coze_integration_token_0123456789';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ seed: 7 });
	sim.coze.addToken(TOKEN);
});

afterAll(async () => {
	await sim.close();
});

afterEach(() => {
	sim.clearFaults();
	sim.clearRequests();
	sim.coze.idsAsNumbers = false;
	sim.coze.maxIdsPerProcessCall = 100;
});

function credentials(data: IDataObject = {}): HarnessCredentials {
	return { type: 'cozeApi', data: { accessToken: TOKEN, region: 'custom', baseUrl: sim.coze.baseUrl, ...data } };
}

function runAction(parameters: INodeParameters, input: IDataObject[] = [{}], extra: { continueOnFail?: boolean; credentials?: HarnessCredentials } = {}) {
	return runNode({
		node: new CozeKnowledge(),
		parameters,
		input,
		credentials: extra.credentials ?? credentials(),
		credentialTypes: [new CozeApi()],
		continueOnFail: extra.continueOnFail,
	});
}

function pollTrigger(parameters: INodeParameters, staticData: IDataObject, mode: 'trigger' | 'manual' = 'trigger') {
	return runPoll({
		node: new CozeKnowledgeTrigger(),
		parameters,
		staticData,
		mode,
		credentials: credentials(),
		credentialTypes: [new CozeApi()],
	});
}

const processCalls = () => sim.requestsTo('coze', /\/process$/);
const jsonOf = (items: Array<{ json: IDataObject }>) => items.map((item) => item.json);

describe('Coze Knowledge: Get Indexing Status', () => {
	it('reports progress, remaining time and names, reading the IDs from a create-document output by default', async () => {
		const datasetId = sim.coze.addDataset();
		const [first, second] = sim.coze.addDocuments(datasetId, [
			{ name: 'guide.pdf', type: 'pdf', script: cozeScript({ steps: 3, secondsPerStep: 4 }) },
			{ name: 'faq.txt', script: cozeCompletedScript() },
		]);
		// The shape of Coze's document/create answer; documentIds keeps its default expression.
		const created = { code: 0, msg: '', document_infos: [{ document_id: first, name: 'guide.pdf' }, { document_id: second, name: 'faq.txt' }] };

		const run = await runAction({ operation: 'getIndexingStatus', datasetId }, [created]);

		expect(run.error).toBeUndefined();
		expect(jsonOf(run.items)).toEqual([
			expect.objectContaining({
				vendor: 'coze',
				knowledgeBaseId: datasetId,
				jobId: null,
				documentId: first,
				documentName: 'guide.pdf',
				status: 'processing',
				terminal: false,
				vendorStatus: '0',
				progress: 0,
				remainingSeconds: 12,
				error: null,
				requestId: expect.stringMatching(/^\d{14}[0-9A-F]{18}$/),
			}),
			expect.objectContaining({ documentId: second, status: 'completed', terminal: true, vendorStatus: '1', progress: 100 }),
		]);
		expect(run.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(run.items[0].json).not.toHaveProperty('wait');
		expect(run.items[0].json).not.toHaveProperty('raw');
		expect(processCalls()).toHaveLength(1);
		expect(JSON.parse(processCalls()[0].body)).toEqual({ document_ids: [first, second] });
	});

	it('answers each input item with its own documents, in one call for a shared dataset', async () => {
		const datasetId = sim.coze.addDataset();
		const [a, b] = sim.coze.addDocuments(datasetId, [
			{ name: 'a.txt', script: cozeCompletedScript() },
			{ name: 'b.txt', script: cozeCompletedScript() },
		]);

		const run = await runAction(
			{ operation: 'getIndexingStatus', datasetId, documentIds: '={{ $json.ids }}', options: { outputMode: 'summary', includeRaw: true } },
			[{ ids: [a] }, { ids: `${b}\n${a}` }],
		);

		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(run.items[0].json).toMatchObject({ vendor: 'coze', status: 'completed', total: 1, progress: 100 });
		expect(run.items[1].json).toMatchObject({ total: 2, counts: expect.objectContaining({ completed: 2 }) });
		const documents = run.items[1].json.documents as IDataObject[];
		expect(documents.map((d) => d.documentId)).toEqual([b, a]);
		expect(documents[0].raw).toMatchObject({ document_id: b, document_name: 'b.txt', status: 1 });
		expect(processCalls()).toHaveLength(1);
	});

	it('names the field when Document IDs is empty', async () => {
		const datasetId = sim.coze.addDataset();
		const run = await runAction({ operation: 'getIndexingStatus', datasetId }, [{ unrelated: true }], { continueOnFail: true });
		expect(run.items).toHaveLength(1);
		expect(String(run.items[0].json.error)).toMatch(/^Document IDs is empty/);
		expect(String(run.items[0].json.error)).toContain('document_infos[].document_id');
		expect(processCalls()).toHaveLength(0);
	});
});

describe('Coze Knowledge: Wait Until Indexed', () => {
	it('waits until every document is completed', async () => {
		const datasetId = sim.coze.addDataset();
		const ids = sim.coze.addDocuments(datasetId, [
			{ name: 'one.pdf', script: cozeScript({ steps: 1, secondsPerStep: 1 }) },
			{ name: 'two.pdf', script: cozeScript({ steps: 1, secondsPerStep: 1 }) },
		]);

		const run = await runAction({ operation: 'waitUntilIndexed', datasetId, documentIds: ids.join(','), pollInterval: 1, timeout: 30 });

		expect(run.error).toBeUndefined();
		expect(jsonOf(run.items)).toEqual(
			ids.map((id) =>
				expect.objectContaining({
					documentId: id,
					status: 'completed',
					terminal: true,
					progress: 100,
					remainingSeconds: 0,
					wait: expect.objectContaining({ polls: 2, timedOut: false }),
				}),
			),
		);
		expect(processCalls()).toHaveLength(2);
	});

	it('reports a failed document with Coze\'s description, and fails the item when asked to', async () => {
		const datasetId = sim.coze.addDataset();
		const [good, bad] = sim.coze.addDocuments(datasetId, [
			{ name: 'good.pdf', script: cozeCompletedScript() },
			{ name: 'bad.pdf', script: cozeScript({ steps: 0, fail: 'slicing failed: the file is encrypted' }) },
		]);
		const parameters = { operation: 'waitUntilIndexed', datasetId, documentIds: `${good},${bad}`, pollInterval: 1 };

		const run = await runAction(parameters);
		expect(jsonOf(run.items)).toEqual([
			expect.objectContaining({ documentId: good, status: 'completed', error: null }),
			expect.objectContaining({
				documentId: bad,
				documentName: 'bad.pdf',
				status: 'failed',
				terminal: true,
				vendorStatus: '9',
				error: { code: '9', message: 'slicing failed: the file is encrypted' },
			}),
		]);

		const strict = await runAction({ ...parameters, options: { failOnDocumentError: true } });
		expect(strict.status).toBe('error');
		expect(strict.error?.message).toContain('1 of 2 documents failed to index in Coze');
		expect((strict.error as { description?: string }).description).toContain('bad.pdf (failed: slicing failed: the file is encrypted)');
	});
});

describe('Coze Knowledge: every DocumentStatus of Coze\'s OpenAPI spec', () => {
	it('ends the wait on a document that fails the content audit (1000) or is deleted (3), and on one switched off (2)', async () => {
		const datasetId = sim.coze.addDataset();
		const ids = sim.coze.addDocuments(datasetId, [
			{ name: 'audit.pdf', script: cozeScript({ steps: 1, end: COZE_STATUS.AuditFailed }) },
			{ name: 'gone.pdf', script: cozeScript({ steps: 1, end: COZE_STATUS.Deleted }) },
			{ name: 'off.pdf', script: cozeScript({ steps: 1, working: COZE_STATUS.Resegment, end: COZE_STATUS.Disable }) },
			{ name: 'web.html', script: cozeScript({ steps: 1, working: COZE_STATUS.Refreshing }) },
		]);

		const run = await runAction({ operation: 'waitUntilIndexed', datasetId, documentIds: ids.join(','), pollInterval: 1, timeout: 5 });

		expect(run.error).toBeUndefined();
		expect(jsonOf(run.items)).toEqual([
			expect.objectContaining({
				documentId: ids[0],
				status: 'failed',
				terminal: true,
				vendorStatus: '1000',
				error: { code: '1000', message: expect.stringContaining("failed Coze's content audit") },
				wait: expect.objectContaining({ polls: 2, timedOut: false }),
			}),
			expect.objectContaining({ documentId: ids[1], status: 'deleted', terminal: true, vendorStatus: '3', error: null }),
			expect.objectContaining({ documentId: ids[2], status: 'completed', terminal: true, vendorStatus: '2' }),
			expect.objectContaining({ documentId: ids[3], status: 'completed', terminal: true, vendorStatus: '1' }),
		]);
		// The first poll saw Resegment (4) and Refreshing (5) as processing.
		expect(processCalls()).toHaveLength(2);
	});
});

describe('Coze Knowledge: a wait that runs out of its own time', () => {
	/** 60 ids (6 progress calls of 10), each call answered after 1.5 s, Timeout 3 s. */
	async function slowWait(onTimeout: 'output' | 'error') {
		const datasetId = sim.coze.addDataset();
		const ids = sim.coze.addDocuments(datasetId, Array.from({ length: 60 }, (_, i) => ({ name: `slow-${i}.pdf`, script: cozeScript({ steps: 50 }) })));
		sim.injectFault({ vendor: 'coze', path: /\/process$/, times: Infinity, kind: { type: 'delay', ms: 1500 } });
		const run = await runAction(
			{ operation: 'waitUntilIndexed', datasetId, documentIds: '={{ $json.ids }}', timeout: 3, pollInterval: 5, onTimeout },
			[{ ids }],
		);
		return { ids, run };
	}

	it('outputs every document timed out: answered ones with their status, the others unknown', async () => {
		const { ids, run } = await slowWait('output');
		expect(run.error).toBeUndefined();
		const items = jsonOf(run.items);
		expect(items.map((item) => item.documentId)).toEqual(ids);
		for (const item of items) {
			expect(item.wait).toMatchObject({ timedOut: true });
			expect(['processing', 'unknown']).toContain(item.status);
		}
		// The call the timeout cut short is answered for as unknown, not as the vendor's failure.
		expect(items.filter((item) => item.status === 'unknown').length).toBeGreaterThan(0);
	});

	it('fails the item with a message that says the timeout ran out when On Timeout is Error', async () => {
		const { run } = await slowWait('error');
		expect(run.error?.message).toMatch(/^Timed out after [\d.]+ s: \d+ of 60 documents are not indexed yet$/);
	});
});

describe('Coze errors', () => {
	it('retries a rate limit reported inside an HTTP 200 (code 4013)', async () => {
		const datasetId = sim.coze.addDataset();
		const [id] = sim.coze.addDocuments(datasetId, [{ name: 'a.txt', script: cozeCompletedScript() }]);
		sim.coze.returnErrorCodeOnce(4013, 'The requests exceed the rate limit. Please try again later.');

		const run = await runAction({ operation: 'getIndexingStatus', datasetId, documentIds: id });

		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({ documentId: id, status: 'completed' });
		expect(processCalls().map((call) => call.status)).toEqual([200, 200]);
	});

	it('reports code 4100 clearly, with Coze\'s msg and logid, and never the token', async () => {
		const datasetId = sim.coze.addDataset();
		const [id] = sim.coze.addDocuments(datasetId, [{ name: 'a.txt' }]);
		// Coze may echo what it was sent; the token must not get through even then.
		sim.coze.returnErrorCodeOnce(4100, `authentication is invalid: ${TOKEN}`);

		const run = await runAction({ operation: 'getIndexingStatus', datasetId, documentIds: id });

		expect(run.status).toBe('error');
		expect(run.error).toBeInstanceOf(NodeApiError);
		const error = run.error as NodeApiError;
		expect(error.message).toMatch(/^Coze document progress failed: authentication is invalid: \[redacted\] \(code 4100, logid \d{14}[0-9A-F]{18}\)$/);
		expect(error.description).toContain('Check the access token of the Coze API credential');
		expect(error.description).not.toContain('Region is');
		expect(processCalls()).toHaveLength(1);
		const everything = JSON.stringify([error.message, error.description, error.context, run.runData]);
		expect(everything).not.toContain(TOKEN);
	});

	it('reports a wrong token with the same care, as an item error with Continue On Fail', async () => {
		const datasetId = sim.coze.addDataset();
		const [id] = sim.coze.addDocuments(datasetId, [{ name: 'a.txt' }]);
		const wrongToken = 'pat_wrong_token_9876543210';

		const run = await runAction({ operation: 'getIndexingStatus', datasetId, documentIds: id }, [{}, {}], {
			continueOnFail: true,
			credentials: credentials({ accessToken: wrongToken }),
		});

		expect(run.items).toHaveLength(2);
		for (const [index, item] of run.items.entries()) {
			expect(item.pairedItem).toEqual({ item: index });
			expect(String(item.json.error)).toMatch(/authentication is invalid \(code 4100, logid /);
		}
		expect(JSON.stringify(run.runData)).not.toContain(wrongToken);
	});

	it.each([
		['com', 'https://api.coze.com', 'Region is International (api.coze.com): a token created on coze.cn'],
		['cn', 'https://api.coze.cn', 'Region is China (api.coze.cn): a token created on coze.com'],
	])('hints at the other region when the %s host answers 401', async (region, host, hint) => {
		const datasetId = sim.coze.addDataset();
		const [id] = sim.coze.addDocuments(datasetId, [{ name: 'a.txt' }]);

		const run = await runNode({
			node: new CozeKnowledge(),
			parameters: { operation: 'getIndexingStatus', datasetId, documentIds: id },
			input: [{}],
			credentials: { type: 'cozeApi', data: { accessToken: 'pat_from_the_other_region', region } },
			credentialTypes: [new CozeApiRoutedToSimulator(host, sim.coze.baseUrl)],
		});

		expect(run.error).toBeInstanceOf(NodeApiError);
		const error = run.error as NodeApiError;
		expect(error.httpCode).toBe('401');
		expect(error.message).toContain('authentication is invalid (code 4100');
		expect(error.description).toContain(hint);
		expect(processCalls()).toHaveLength(1);
		expect(processCalls()[0].headers.authorization).toBe('Bearer pat_from_the_other_region');
	});

	it('fails every item of a shared call at once during an outage, after one retry sequence', async () => {
		const datasetId = sim.coze.addDataset();
		const ids = sim.coze.addDocuments(datasetId, [0, 1, 2, 3].map((i) => ({ name: `${i}.txt`, script: cozeCompletedScript() })));
		// The outage outlasts the 5 attempts; Retry-After 0 keeps the test fast.
		sim.injectFault({ vendor: 'coze', path: /\/process$/, times: 100, kind: { type: 'status', status: 503, headers: { 'Retry-After': '0' } } });

		const result = await runAction(
			{ operation: 'getIndexingStatus', datasetId, documentIds: '={{ $json.id }}' },
			ids.map((id) => ({ id })),
			{ continueOnFail: true },
		);

		expect(processCalls()).toHaveLength(5);
		expect(result.items).toHaveLength(4);
		result.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.description).toMatch(/HTTP 503, code 5000/);
		});
	});

	it('returns at the timeout with the vendor silent, asking nothing after it', async () => {
		const datasetId = sim.coze.addDataset();
		const ids = sim.coze.addDocuments(datasetId, [{ name: 'slow.txt', script: cozeScript({ steps: 5 }) }]);
		sim.injectFault({ vendor: 'coze', path: /\/process$/, times: 100, kind: { type: 'delay', ms: 20_000 } });

		const result = await runAction(
			{ operation: 'waitUntilIndexed', datasetId, documentIds: ids[0], timeout: 1, pollInterval: 1 },
			[{}],
			{ continueOnFail: true },
		);

		// The call's HTTP timeout was cut at the time left, so the item answers at once: out of
		// its own time, not failed by the vendor.
		expect(processCalls()).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ documentId: ids[0], status: 'unknown', wait: { timedOut: true } });
	});

	it('reports a dataset Coze does not know (code 4200) with advice on the ID', async () => {
		const run = await runAction({ operation: 'getIndexingStatus', datasetId: '7442585813587699999', documentIds: '7442585813587600001' });
		expect(run.error?.message).toMatch(/dataset 7442585813587699999 not found \(code 4200, logid /);
		expect((run.error as NodeApiError).description).toContain('number after /knowledge/');
	});
});

describe('Coze ids', () => {
	it('keeps 64-bit ids exact from the parameter through the request body to the output', async () => {
		// Neighbours that a JavaScript number cannot tell apart: both round to 7442585813587681000.
		const datasetId = sim.coze.addDataset('7442585813587680001');
		const ids = sim.coze.addDocuments(datasetId, [
			{ id: '7442585813587681111', name: 'a.txt', script: cozeCompletedScript() },
			{ id: '7442585813587681112', name: 'b.txt', script: cozeCompletedScript() },
		]);
		expect(Number(ids[0])).toBe(Number(ids[1]));
		sim.coze.idsAsNumbers = true;

		const run = await runAction({ operation: 'getIndexingStatus', datasetId, documentIds: '={{ $json.ids }}' }, [{ ids }]);

		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.documentId)).toEqual(['7442585813587681111', '7442585813587681112']);
		expect(run.items.map((item) => item.json.status)).toEqual(['completed', 'completed']);
		expect(run.items[0].json.knowledgeBaseId).toBe('7442585813587680001');
		// The simulator really wrote bare numbers, and the node really sent strings.
		expect(processCalls()[0].path).toBe('/v1/datasets/7442585813587680001/process');
		expect(processCalls()[0].body).toBe('{"document_ids":["7442585813587681111","7442585813587681112"]}');
	});
});

describe('Coze chunking', () => {
	it(`asks about a long list in calls of ${PROCESS_CHUNK_SIZE} ids`, async () => {
		const datasetId = sim.coze.addDataset();
		const ids = sim.coze.addDocuments(
			datasetId,
			Array.from({ length: 25 }, (_, index) => ({ name: `doc-${index}.txt`, script: cozeCompletedScript() })),
		);
		// Any call above the chosen size would now fail with code 4000.
		sim.coze.maxIdsPerProcessCall = PROCESS_CHUNK_SIZE;

		const run = await runAction({ operation: 'getIndexingStatus', datasetId, documentIds: ids.join('\n') });

		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.documentId)).toEqual(ids);
		expect(run.items.every((item) => item.json.status === 'completed')).toBe(true);
		const sent = processCalls().map((call) => (JSON.parse(call.body) as { document_ids: string[] }).document_ids);
		expect(sent.map((chunk) => chunk.length)).toEqual([10, 10, 5]);
		expect(sent.flat()).toEqual(ids);
	});
});

describe('Coze Knowledge Trigger', () => {
	it('emits each watched document once, across polls and a restart', async () => {
		const datasetId = sim.coze.addDataset();
		const [early, late] = sim.coze.addDocuments(datasetId, [
			{ name: 'early.txt', script: cozeCompletedScript() },
			// Three processing steps: the sample, the first and the second poll each see one.
			{ name: 'late.txt', script: cozeScript({ steps: 3 }) },
		]);
		const parameters = { watch: 'documents', datasetId, documentIds: `${early}, ${late}` };

		// The editor's "Fetch Test Event" shows the current state and moves nothing.
		const sample = await pollTrigger(parameters, {}, 'manual');
		expect(sample.items?.[0].map((item) => item.json.documentId)).toEqual([early, late]);

		let state: IDataObject = {};
		const first = await pollTrigger(parameters, state);
		expect(first.items?.[0].map((item) => item.json)).toEqual([
			expect.objectContaining({ documentId: early, documentName: 'early.txt', status: 'completed' }),
		]);
		state = first.staticData;

		const second = await pollTrigger(parameters, state);
		expect(second.items).toBeNull();

		// n8n restarts: the state comes back from its database as JSON.
		state = JSON.parse(JSON.stringify(state)) as IDataObject;
		const third = await pollTrigger(parameters, state);
		expect(third.items?.[0].map((item) => item.json)).toEqual([
			expect.objectContaining({ documentId: late, status: 'completed', progress: 100 }),
		]);

		state = JSON.parse(JSON.stringify(third.staticData)) as IDataObject;
		expect((await pollTrigger(parameters, state)).items).toBeNull();
		expect((await pollTrigger(parameters, state)).items).toBeNull();
	});

	it('watches a whole dataset through every page of the list, after a silent baseline', async () => {
		const datasetId = sim.coze.addDataset();
		sim.coze.addDocuments(
			datasetId,
			Array.from({ length: 120 }, (_, index) => ({ name: `old-${index}.txt`, script: cozeCompletedScript() })),
		);
		const parameters = { watch: 'dataset', datasetId };

		let state: IDataObject = {};
		const baseline = await pollTrigger(parameters, state);
		expect(baseline.items).toBeNull();
		state = baseline.staticData;
		const listCalls = sim.requestsTo('coze', /\/open_api\/knowledge\/document\/list$/);
		expect(listCalls).toHaveLength(2);
		// Region Custom is Coze Studio, whose pages count from 0 (offset = page * size).
		expect(listCalls.map((call) => JSON.parse(call.body))).toEqual([
			{ dataset_id: datasetId, page: 0, size: 100 },
			{ dataset_id: datasetId, page: 1, size: 100 },
		]);
		expect(listCalls.every((call) => call.headers['agw-js-conv'] === 'str')).toBe(true);

		const [fresh] = sim.coze.addDocuments(datasetId, [{ name: 'new.pdf', script: cozeScript({ steps: 1 }) }]);
		expect((await pollTrigger(parameters, state)).items).toBeNull();

		state = JSON.parse(JSON.stringify(state)) as IDataObject;
		const finished = await pollTrigger(parameters, state);
		expect(finished.items?.[0].map((item) => item.json)).toEqual([
			expect.objectContaining({ documentId: fresh, documentName: 'new.pdf', status: 'completed', vendorStatus: '1' }),
		]);
		expect((await pollTrigger(parameters, state)).items).toBeNull();
	});

	it('never asks again about a document it reported, and stops asking once all are reported', async () => {
		const datasetId = sim.coze.addDataset();
		const [early, late] = sim.coze.addDocuments(datasetId, [
			{ name: 'early.txt', script: cozeCompletedScript() },
			{ name: 'late.txt', script: cozeScript({ steps: 2 }) },
		]);
		const parameters = { watch: 'documents', datasetId, documentIds: `${early}, ${late}` };
		const state: IDataObject = {};
		const emitted: string[] = [];
		for (let poll = 0; poll < 5; poll++) {
			const result = await pollTrigger(parameters, state);
			emitted.push(...(result.items?.[0] ?? []).map((item) => item.json.documentId as string));
		}
		expect(emitted).toEqual([early, late]);
		const asked = processCalls().map((call) => (JSON.parse(call.body) as { document_ids: string[] }).document_ids);
		expect(asked).toEqual([[early, late], [late], [late]]);
	});

	it('fires All Finished for a whole dataset after a restart lost the poll that saw a document unfinished', async () => {
		const datasetId = sim.coze.addDataset();
		sim.coze.addDocuments(datasetId, [{ name: 'old.txt', script: cozeCompletedScript() }]);
		const parameters = { watch: 'dataset', datasetId, event: 'allFinished' };

		// n8n saves static data after the activation poll and after polls that emit, only.
		let saved: IDataObject = {};
		const activation = await pollTrigger(parameters, saved);
		expect(activation.items).toBeNull();
		saved = JSON.parse(JSON.stringify(activation.staticData)) as IDataObject;

		sim.coze.addDocuments(datasetId, [{ name: 'new.txt', script: cozeScript({ steps: 1 }) }]);
		const unsaved = await pollTrigger(parameters, JSON.parse(JSON.stringify(saved)) as IDataObject);
		expect(unsaved.items).toBeNull();
		expect(unsaved.savedToDatabase).toBe(false);

		// Restart: the state is the one saved after the activation poll.
		const afterRestart = await pollTrigger(parameters, JSON.parse(JSON.stringify(saved)) as IDataObject);
		expect(afterRestart.items?.[0][0].json).toMatchObject({ status: 'completed', total: 2 });
		expect((await pollTrigger(parameters, afterRestart.staticData)).items).toBeNull();
	});

	it('fires All Finished once when the watched documents are all terminal', async () => {
		const datasetId = sim.coze.addDataset();
		const ids = sim.coze.addDocuments(datasetId, [
			{ name: 'a.txt', script: cozeCompletedScript() },
			{ name: 'b.txt', script: cozeScript({ steps: 1, fail: 'unsupported file' }) },
		]);
		const parameters = { watch: 'documents', datasetId, documentIds: ids.join(','), event: 'allFinished' };

		let state: IDataObject = {};
		const first = await pollTrigger(parameters, state);
		expect(first.items).toBeNull();
		state = first.staticData;
		const second = await pollTrigger(parameters, state);
		expect(second.items?.[0][0].json).toMatchObject({
			vendor: 'coze',
			knowledgeBaseId: datasetId,
			status: 'failed',
			total: 2,
			counts: expect.objectContaining({ completed: 1, failed: 1 }),
		});
		expect((await pollTrigger(parameters, second.staticData)).items).toBeNull();
	});
});

describe('Coze API credential test', () => {
	const test = (data: IDataObject) => testCredential({ credentialType: new CozeApi(), data: { region: 'custom', baseUrl: sim.coze.baseUrl, ...data } });

	it('passes with a valid token and a base URL written with /v1 or a trailing slash', async () => {
		await expect(test({ accessToken: TOKEN })).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });
		await expect(test({ accessToken: TOKEN, baseUrl: `${sim.coze.baseUrl}/v1/` })).resolves.toMatchObject({ status: 'OK' });
		expect(sim.requestsTo('coze').map((call) => call.path)).toEqual(['/v1/users/me', '/v1/users/me']);
	});

	it('fails with a wrong token', async () => {
		await expect(test({ accessToken: 'pat_wrong' })).resolves.toMatchObject({ status: 'Error' });
	});

	it('fails when Coze reports the token error inside an HTTP 200', async () => {
		sim.coze.returnErrorCodeOnce(4100, 'authentication is invalid');
		await expect(test({ accessToken: TOKEN })).resolves.toEqual({
			status: 'Error',
			message: expect.stringContaining('Coze rejected the access token (code 4100)'),
		});
	});
});

/**
 * Coze's credential as the user saves it, except that requests to one public Coze host are sent
 * to the simulator instead, as a hosts-file entry would do. It lets a test run the node with
 * Region cn or com end to end.
 */
class CozeApiRoutedToSimulator extends CozeApi {
	constructor(
		private readonly publicHost: string,
		private readonly simulatorBase: string,
	) {
		super();
		const bearer = (options: IHttpRequestOptions, token: unknown) => {
			options.headers = { ...options.headers, Authorization: `Bearer ${String(token)}` };
		};
		(this as { authenticate: unknown }).authenticate = async (creds: IDataObject, options: IHttpRequestOptions) => {
			bearer(options, creds.accessToken);
			if (options.url.startsWith(this.publicHost)) options.url = this.simulatorBase + options.url.slice(this.publicHost.length);
			return options;
		};
	}
}
