/**
 * The simulator's own contract, checked with plain fetch. Client code is tested against the
 * simulator, so the simulator must be shown to reject what the vendors reject and to answer
 * in the vendors' exact shapes.
 */

import {
	type Simulator,
	cozeCompletedScript,
	cozeScript,
	difyCompletedScript,
	difyScript,
	startSimulator,
} from './simulator';

const DIFY_KEY = 'dataset-sim-key';
const COZE_TOKEN = 'pat_sim_token';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ seed: 42 });
	sim.dify.addApiKey(DIFY_KEY);
	sim.coze.addToken(COZE_TOKEN);
});

afterAll(async () => {
	await sim.close();
});

afterEach(() => {
	sim.clearFaults();
	sim.dify.setRateLimit(null);
	sim.coze.idsAsNumbers = false;
	sim.coze.maxIdsPerProcessCall = 100;
});

// ----- request helpers ----------------------------------------------------------------------

function difyGet(path: string, headers: Record<string, string> = { Authorization: `Bearer ${DIFY_KEY}` }) {
	return fetch(`${sim.dify.baseUrl}${path}`, { headers });
}

function difyPost(path: string, body: unknown, contentType = 'application/json') {
	return fetch(`${sim.dify.baseUrl}${path}`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${DIFY_KEY}`, 'Content-Type': contentType },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
}

function cozePost(path: string, body: unknown, extraHeaders: Record<string, string> = {}) {
	return fetch(`${sim.coze.baseUrl}${path}`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${COZE_TOKEN}`, 'Content-Type': 'application/json', ...extraHeaders },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
}

async function json(res: Response): Promise<any> {
	return JSON.parse(await res.text());
}

// ----- Dify ---------------------------------------------------------------------------------

describe('Dify auth and routing', () => {
	it('rejects a missing header, a non-Bearer scheme and an unknown key with 401 in Dify\'s envelope', async () => {
		const missing = await difyGet('/datasets', {});
		expect(missing.status).toBe(401);
		expect(await json(missing)).toEqual({
			code: 'unauthorized',
			message: "Authorization header must be provided and start with 'Bearer'",
			status: 401,
		});

		const basic = await difyGet('/datasets', { Authorization: 'Basic abc' });
		expect(basic.status).toBe(401);
		expect((await json(basic)).message).toBe("Authorization scheme must be 'Bearer'");

		const unknown = await difyGet('/datasets', { Authorization: 'Bearer nope' });
		expect(unknown.status).toBe(401);
		expect(await json(unknown)).toEqual({ code: 'unauthorized', message: 'Access token is invalid', status: 401 });
	});

	it('routes before auth: unknown paths are 404 and wrong methods 405, like Flask', async () => {
		const unknownPath = await difyGet('/nothing-here', {});
		expect(unknownPath.status).toBe(404);
		expect((await json(unknownPath)).code).toBe('not_found');

		// <uuid:dataset_id> does not match a non-UUID, so the URL itself is unknown.
		expect((await difyGet('/datasets/not-a-uuid/documents')).status).toBe(404);

		const wrongMethod = await fetch(`${sim.dify.baseUrl}/datasets`, { method: 'DELETE' });
		expect(wrongMethod.status).toBe(405);
		expect(await json(wrongMethod)).toMatchObject({ code: 'method_not_allowed', status: 405 });
		expect(wrongMethod.headers.get('allow')).toContain('GET');
	});

	it('lists datasets (the credential test) in the paged shape', async () => {
		const id = sim.dify.addDataset(undefined, { name: 'Credential check' });
		const res = await difyGet('/datasets?page=1&limit=100');
		expect(res.status).toBe(200);
		const body = await json(res);
		expect(body).toMatchObject({ page: 1, limit: 100, has_more: false });
		expect(body.data.map((d: { id: string }) => d.id)).toContain(id);
		expect(body.total).toBe(body.data.length);
	});

	it('answers 404 "Dataset not found." and 403 when API access is off', async () => {
		const res = await difyGet('/datasets/00000000-0000-4000-8000-000000000000/documents');
		expect(res.status).toBe(404);
		expect(await json(res)).toEqual({ code: 'not_found', message: 'Dataset not found.', status: 404 });

		const ds = sim.dify.addDataset();
		sim.dify.setApiAccess(ds, false);
		const forbidden = await difyGet(`/datasets/${ds}/documents`);
		expect(forbidden.status).toBe(403);
		expect((await json(forbidden)).message).toBe('Dataset api access is not enabled.');
	});

	it('answers 403 forbidden with the plan rate-limit message once the limit is exceeded', async () => {
		const ds = sim.dify.addDataset();
		sim.dify.setRateLimit(2);
		expect((await difyGet(`/datasets/${ds}/documents`)).status).toBe(200);
		expect((await difyGet(`/datasets/${ds}/documents`)).status).toBe(200);
		const limited = await difyGet(`/datasets/${ds}/documents`);
		expect(limited.status).toBe(403);
		expect(await json(limited)).toEqual({
			code: 'forbidden',
			message: 'Sorry, you have reached the knowledge base request rate limit of your subscription.',
			status: 403,
		});
		// The window is a minute of simulator time.
		sim.advanceClock(60_001);
		expect((await difyGet(`/datasets/${ds}/documents`)).status).toBe(200);
	});
});

describe('Dify indexing status', () => {
	it('progresses a batch one step per observation to completed, with segment counts and Unix seconds', async () => {
		const ds = sim.dify.addDataset();
		const { batch, documentIds } = sim.dify.addDocuments(ds, [
			{ name: 'a.txt', script: difyScript({ segments: 5 }) },
			{ name: 'b.txt', script: difyCompletedScript(2) },
		]);
		expect(batch).toMatch(/^\d{20}$/);

		const seen: string[] = [];
		let last: any;
		for (let i = 0; i < 12; i++) {
			const res = await difyGet(`/datasets/${ds}/documents/${batch}/indexing-status`);
			expect(res.status).toBe(200);
			const body = await json(res);
			expect(body.data).toHaveLength(2);
			last = body.data.find((d: { id: string }) => d.id === documentIds[0]);
			seen.push(`${last.indexing_status}:${last.completed_segments}/${last.total_segments}`);
		}
		expect(seen.slice(0, 11)).toEqual([
			'waiting:0/0',
			'parsing:0/0',
			'cleaning:0/0',
			'splitting:0/0',
			'indexing:0/5',
			'indexing:1/5',
			'indexing:2/5',
			'indexing:3/5',
			'indexing:4/5',
			'completed:5/5',
			'completed:5/5', // the last state sticks
		]);

		expect(Object.keys(last).sort()).toEqual(
			[
				'id',
				'indexing_status',
				'processing_started_at',
				'parsing_completed_at',
				'cleaning_completed_at',
				'splitting_completed_at',
				'completed_at',
				'paused_at',
				'error',
				'stopped_at',
				'completed_segments',
				'total_segments',
			].sort(),
		);
		const start = Math.floor(sim.now() / 1000);
		for (const key of ['processing_started_at', 'parsing_completed_at', 'cleaning_completed_at', 'splitting_completed_at', 'completed_at']) {
			expect(Number.isInteger(last[key])).toBe(true);
			// Unix seconds, not milliseconds.
			expect(last[key]).toBeGreaterThanOrEqual(start);
			expect(last[key]).toBeLessThan(start + 3600);
		}
		expect(last.processing_started_at).toBeLessThan(last.completed_at);
		expect(last).toMatchObject({ paused_at: null, stopped_at: null, error: null });
	});

	it('reports failures with error and stopped_at, and pauses as "paused"', async () => {
		const ds = sim.dify.addDataset();
		const failing = sim.dify.addDocuments(ds, [
			{ name: 'bad.pdf', script: difyScript({ segments: 4, fail: 'Embedding model quota exceeded', ticksPerStage: 0, waiting: 0 }) },
		]);
		const paused = sim.dify.addDocuments(ds, [{ name: 'p.txt', script: difyScript({ segments: 4, paused: true, waiting: 0, ticksPerStage: 0 }) }]);

		const failed = (await json(await difyGet(`/datasets/${ds}/documents/${failing.batch}/indexing-status`))).data[0];
		expect(failed).toMatchObject({ indexing_status: 'error', error: 'Embedding model quota exceeded', total_segments: 4 });
		expect(Number.isInteger(failed.stopped_at)).toBe(true);
		expect(failed.completed_at).toBeNull();

		const pausedEntry = (await json(await difyGet(`/datasets/${ds}/documents/${paused.batch}/indexing-status`))).data[0];
		expect(pausedEntry.indexing_status).toBe('paused');
		expect(Number.isInteger(pausedEntry.paused_at)).toBe(true);
		// The detail keeps the stored status and reports the pause through display_status.
		const detail = await json(await difyGet(`/datasets/${ds}/documents/${paused.documentIds[0]}`));
		expect(detail).toMatchObject({ indexing_status: 'indexing', display_status: 'paused' });
	});

	it('answers 404 "Documents not found." for an unknown batch and for a batch whose documents were deleted', async () => {
		const ds = sim.dify.addDataset();
		const unknown = await difyGet(`/datasets/${ds}/documents/20250101000000123456/indexing-status`);
		expect(unknown.status).toBe(404);
		expect(await json(unknown)).toEqual({ code: 'not_found', message: 'Documents not found.', status: 404 });

		const { batch, documentIds } = sim.dify.addDocuments(ds, [{ name: 'gone.txt' }]);
		sim.dify.deleteDocument(ds, documentIds[0]);
		expect((await difyGet(`/datasets/${ds}/documents/${batch}/indexing-status`)).status).toBe(404);
		expect((await difyGet(`/datasets/${ds}/documents/${documentIds[0]}`)).status).toBe(404);
	});

	it('peeks without ticking, and a poll shows exactly what was peeked', async () => {
		const ds = sim.dify.addDataset();
		const { batch, documentIds } = sim.dify.addDocuments(ds, [{ name: 'x.txt', script: difyScript({ segments: 2 }) }]);
		const [id] = documentIds;
		expect(sim.dify.peekDocument(ds, id).indexing_status).toBe('waiting');
		expect(sim.dify.peekDocument(ds, id).indexing_status).toBe('waiting');
		expect(sim.dify.observationCount(ds, id)).toBe(0);
		const peeked = sim.dify.peekDocument(ds, id);
		const polled = (await json(await difyGet(`/datasets/${ds}/documents/${batch}/indexing-status`))).data[0];
		expect(polled).toEqual(peeked);
		expect(sim.dify.observationCount(ds, id)).toBe(1);
		expect(sim.dify.peekDocument(ds, id).indexing_status).toBe('parsing');
	});
});

describe('Dify document detail and list', () => {
	it('returns the detail with segment_count and no completed_segments, 404 for an unknown document', async () => {
		const ds = sim.dify.addDataset();
		const { documentIds } = sim.dify.addDocuments(ds, [{ name: 'guide.txt', script: difyCompletedScript(5) }]);
		const res = await difyGet(`/datasets/${ds}/documents/${documentIds[0]}?metadata=without`);
		expect(res.status).toBe(200);
		const detail = await json(res);
		expect(detail).toMatchObject({
			id: documentIds[0],
			name: 'guide.txt',
			indexing_status: 'completed',
			display_status: 'available',
			segment_count: 5,
			enabled: true,
			error: null,
		});
		expect(detail).not.toHaveProperty('completed_segments');
		expect(detail).not.toHaveProperty('doc_metadata');
		expect(Number.isInteger(detail.completed_at)).toBe(true);
		expect(detail.tokens).toBeGreaterThan(0);

		const only = await json(await difyGet(`/datasets/${ds}/documents/${documentIds[0]}?metadata=only`));
		expect(only).toEqual({ id: documentIds[0], doc_type: null, doc_metadata: [] });

		const invalid = await difyGet(`/datasets/${ds}/documents/${documentIds[0]}?metadata=some`);
		expect(invalid.status).toBe(400);
		expect(await json(invalid)).toEqual({ code: 'invalid_metadata', message: 'Invalid metadata value: some', status: 400 });

		const missing = await difyGet(`/datasets/${ds}/documents/11111111-2222-4333-8444-555555555555`);
		expect(missing.status).toBe(404);
		expect(await json(missing)).toEqual({ code: 'not_found', message: 'Document not found.', status: 404 });
	});

	it('pages the document list newest first with Dify\'s has_more, and validates limit', async () => {
		const ds = sim.dify.addDataset();
		const { documentIds } = sim.dify.addDocuments(
			ds,
			['d1', 'd2', 'd3', 'd4', 'd5'].map((name) => ({ name, script: difyCompletedScript(1) })),
		);
		const page1 = await json(await difyGet(`/datasets/${ds}/documents?page=1&limit=2`));
		expect(page1).toMatchObject({ page: 1, limit: 2, total: 5, has_more: true });
		expect(page1.data.map((d: { name: string }) => d.name)).toEqual(['d5', 'd4']);
		expect(page1.data[0]).toMatchObject({ id: documentIds[4], indexing_status: 'completed', display_status: 'available', error: null });

		const page3 = await json(await difyGet(`/datasets/${ds}/documents?page=3&limit=2`));
		expect(page3).toMatchObject({ page: 3, has_more: false });
		expect(page3.data.map((d: { name: string }) => d.name)).toEqual(['d1']);

		const filtered = await json(await difyGet(`/datasets/${ds}/documents?keyword=d3`));
		expect(filtered.total).toBe(1);

		for (const bad of ['101', '0', 'abc']) {
			const res = await difyGet(`/datasets/${ds}/documents?limit=${bad}`);
			expect(res.status).toBe(400);
			expect((await json(res)).code).toBe('invalid_param');
		}
		expect((await difyGet(`/datasets/${ds}/documents?limit=100`)).status).toBe(200);
	});

	it('ticks listed documents and filters on display status', async () => {
		const ds = sim.dify.addDataset();
		sim.dify.addDocuments(ds, [{ name: 'slow.txt', script: difyScript({ segments: 1 }) }]);
		const first = await json(await difyGet(`/datasets/${ds}/documents?status=queuing`));
		expect(first.data.map((d: { display_status: string }) => d.display_status)).toEqual(['queuing']);
		// Listed once, so it moved on to parsing and is no longer queuing.
		expect((await json(await difyGet(`/datasets/${ds}/documents?status=queuing`))).total).toBe(0);
		expect((await json(await difyGet(`/datasets/${ds}/documents?status=indexing`))).total).toBe(1);
	});

	it('creates a document by text in a new batch and validates the body', async () => {
		const ds = sim.dify.addDataset();
		for (const path of ['create-by-text', 'create_by_text']) {
			const res = await difyPost(`/datasets/${ds}/document/${path}`, {
				name: 'notes.txt',
				text: 'Dify means Do it for you.',
				indexing_technique: 'high_quality',
				process_rule: { mode: 'automatic' },
			});
			expect(res.status).toBe(200);
			const body = await json(res);
			expect(body.batch).toMatch(/^\d{20}$/);
			expect(body.document).toMatchObject({ name: 'notes.txt', indexing_status: 'waiting', display_status: 'queuing' });
			const status = await json(await difyGet(`/datasets/${ds}/documents/${body.batch}/indexing-status`));
			expect(status.data.map((d: { id: string }) => d.id)).toEqual([body.document.id]);
		}

		const missing = await difyPost(`/datasets/${ds}/document/create-by-text`, { name: 'x' });
		expect(missing.status).toBe(400);
		const missingBody = await json(missing);
		expect(missingBody).toMatchObject({ code: 'invalid_param', status: 400 });
		expect(missingBody.message).toContain('text');

		expect((await difyPost(`/datasets/${ds}/document/create-by-text`, '{"name":', 'application/json')).status).toBe(400);
		expect((await difyPost(`/datasets/${ds}/document/create-by-text`, 'name=x', 'text/plain')).status).toBe(415);
	});
});

// ----- Coze ---------------------------------------------------------------------------------

describe('Coze', () => {
	function processIds(datasetId: string, ids: unknown[]) {
		return cozePost(`/v1/datasets/${datasetId}/process`, { document_ids: ids });
	}

	it('rejects a missing or unknown token with HTTP 401, code 4100 and a matching x-tt-logid', async () => {
		for (const headers of [{}, { Authorization: 'Bearer wrong' }] as Record<string, string>[]) {
			const res = await fetch(`${sim.coze.baseUrl}/v1/users/me`, { headers });
			expect(res.status).toBe(401);
			const body = await json(res);
			expect(body.code).toBe(4100);
			expect(body.msg).toMatch(/authentication/);
			expect(body.detail.logid).toMatch(/^[0-9A-F]{32}$/);
			expect(res.headers.get('x-tt-logid')).toBe(body.detail.logid);
		}
	});

	it('answers /v1/users/me for a valid token', async () => {
		const res = await fetch(`${sim.coze.baseUrl}/v1/users/me`, { headers: { Authorization: `Bearer ${COZE_TOKEN}` } });
		expect(res.status).toBe(200);
		const body = await json(res);
		expect(body).toMatchObject({ code: 0, msg: '', data: { user_id: expect.any(String), user_name: expect.any(String) } });
		expect(res.headers.get('x-tt-logid')).toBe(body.detail.logid);
	});

	it('reports progress per observation with string ids, omitting unknown ids', async () => {
		const ds = sim.coze.addDataset();
		const [ok, bad] = sim.coze.addDocuments(ds, [
			{ name: 'ok.pdf', type: 'pdf', script: cozeScript({ steps: 2 }) },
			{ name: 'bad.pdf', type: 'pdf', script: cozeScript({ steps: 1, fail: 'slice failed' }) },
		]);
		expect(BigInt(ok)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));

		const rounds: string[] = [];
		for (let i = 0; i < 3; i++) {
			const res = await processIds(ds, [ok, bad, '7442585813587699999']);
			expect(res.status).toBe(200);
			const body = await json(res);
			expect(body.code).toBe(0);
			expect(res.headers.get('x-tt-logid')).toBe(body.detail.logid);
			const items = body.data.data;
			expect(items.map((d: { document_id: string }) => d.document_id)).toEqual([ok, bad]);
			rounds.push(items.map((d: any) => `${d.status}/${d.progress}/${d.remaining_time}`).join(' '));
			if (i === 2) {
				expect(items[0]).not.toHaveProperty('status_descript');
				expect(items[1]).toMatchObject({ status: 9, status_descript: 'slice failed', document_name: 'bad.pdf' });
				expect(Object.keys(items[0]).sort()).toEqual(
					['document_id', 'document_name', 'status', 'progress', 'remaining_time', 'size', 'type', 'url', 'update_type', 'update_interval'].sort(),
				);
			}
		}
		expect(rounds).toEqual(['0/0/10 0/0/5', '0/50/5 9/0/0', '1/100/0 9/0/0']);
	});

	it('writes document_id as a bare number literal with all digits in idsAsNumbers mode', async () => {
		const ds = sim.coze.addDataset();
		const [id] = sim.coze.addDocuments(ds, [{ name: 'n.txt', script: cozeCompletedScript() }]);
		sim.coze.idsAsNumbers = true;
		const text = await (await processIds(ds, [id])).text();
		expect(text).toContain(`"document_id":${id},`);
		// A naive JSON.parse loses the low digits, which is the point of this mode.
		expect(String(JSON.parse(text).data.data[0].document_id)).not.toBe(id);
	});

	it('answers code 4000 in HTTP 200 for numeric ids, too many ids, a missing body and a wrong Content-Type', async () => {
		const ds = sim.coze.addDataset();
		const [id] = sim.coze.addDocuments(ds, [{ name: 'a.txt' }]);

		// The raw body carries the id as a number, exactly as a client that lost the string would.
		const numeric = await cozePost(`/v1/datasets/${ds}/process`, `{"document_ids":[${id}]}`);
		expect(numeric.status).toBe(200);
		expect((await json(numeric)).code).toBe(4000);

		sim.coze.maxIdsPerProcessCall = 2;
		const tooMany = await processIds(ds, [id, id, id]);
		expect(tooMany.status).toBe(200);
		expect((await json(tooMany)).code).toBe(4000);
		expect((await json(await processIds(ds, [id, id]))).code).toBe(0);

		expect((await json(await processIds(ds, []))).code).toBe(4000);
		const wrongType = await fetch(`${sim.coze.baseUrl}/v1/datasets/${ds}/process`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${COZE_TOKEN}`, 'Content-Type': 'text/plain' },
			body: JSON.stringify({ document_ids: [id] }),
		});
		expect((await json(wrongType)).code).toBe(4000);
		// None of these rejected calls observed the document.
		expect(sim.coze.observationCount(id)).toBe(1);
	});

	it('answers 4200 in HTTP 200 for an unknown dataset, and queued error codes once', async () => {
		const missing = await processIds('7442585813587600000', ['7442585813587600001']);
		expect(missing.status).toBe(200);
		expect((await json(missing)).code).toBe(4200);

		const ds = sim.coze.addDataset();
		const [id] = sim.coze.addDocuments(ds, [{ name: 'a.txt' }]);
		sim.coze.returnErrorCodeOnce(4013, 'rate limited');
		const limited = await processIds(ds, [id]);
		expect(limited.status).toBe(200);
		const body = await json(limited);
		expect(body).toMatchObject({ code: 4013, msg: 'rate limited' });
		expect(limited.headers.get('x-tt-logid')).toBe(body.detail.logid);
		expect(sim.coze.observationCount(id)).toBe(0);

		sim.coze.returnErrorCodeOnce(4101, 'no permission', 403);
		expect((await processIds(ds, [id])).status).toBe(403);
		expect((await json(await processIds(ds, [id]))).code).toBe(0);
	});

	it('lists documents with int64 ids as strings only under Agw-Js-Conv: str', async () => {
		const ds = sim.coze.addDataset();
		const ids = sim.coze.addDocuments(ds, [
			{ name: 'one.txt', script: cozeCompletedScript() },
			{ name: 'two.txt', script: cozeCompletedScript() },
		]);
		// Pages count from 0, as on Coze Studio (the simulator's default listPaging).
		const withConv = await cozePost('/open_api/knowledge/document/list', { dataset_id: ds, page: 0, size: 1 }, { 'Agw-Js-Conv': 'str' });
		const body = await json(withConv);
		expect(body).toMatchObject({ code: 0, msg: '', total: 2 });
		expect(body.document_infos).toHaveLength(1);
		expect(body.document_infos[0]).toMatchObject({ document_id: ids[1], name: 'two.txt', status: 1, slice_count: 3 });

		const raw = await (await cozePost('/open_api/knowledge/document/list', { dataset_id: ds, page: 1, size: 1 })).text();
		expect(raw).toContain(`"document_id":${ids[0]},`);

		// The Coze cloud counts from 1 and reads page 0 as the first page.
		sim.coze.listPaging = 'cloud';
		const cloudPage = async (page: number) =>
			(await json(await cozePost('/open_api/knowledge/document/list', { dataset_id: ds, page, size: 1 }, { 'Agw-Js-Conv': 'str' })))
				.document_infos[0].document_id;
		expect([await cloudPage(0), await cloudPage(1), await cloudPage(2)]).toEqual([ids[1], ids[1], ids[0]]);
		sim.coze.listPaging = 'studio';

		// A capped server serves fewer than asked for, counting its offset in the pages it serves.
		sim.coze.maxListPageSize = 1;
		const capped = await json(await cozePost('/open_api/knowledge/document/list', { dataset_id: ds, page: 1, size: 100 }, { 'Agw-Js-Conv': 'str' }));
		expect(capped).toMatchObject({ total: 2, document_infos: [expect.objectContaining({ document_id: ids[0] })] });
		sim.coze.maxListPageSize = 100;

		const badSize = await cozePost('/open_api/knowledge/document/list', { dataset_id: ds, size: 101 }, { 'Agw-Js-Conv': 'str' });
		expect((await json(badSize)).code).toBe(4000);
	});

	it('creates documents from base64 or web pages, 1 to 10 per call', async () => {
		const ds = sim.coze.addDataset();
		const res = await cozePost(
			'/open_api/knowledge/document/create',
			{
				dataset_id: ds,
				document_bases: [
					{ name: 'a.txt', source_info: { file_base64: Buffer.from('hello').toString('base64'), file_type: 'txt' } },
					{ name: 'site', source_info: { web_url: 'https://example.com', document_source: 1 } },
				],
			},
			{ 'Agw-Js-Conv': 'str' },
		);
		const body = await json(res);
		expect(body.code).toBe(0);
		expect(body.document_infos).toHaveLength(2);
		expect(body.document_infos[0]).toMatchObject({ name: 'a.txt', status: 0, size: 5, type: 'txt' });
		const newId = body.document_infos[0].document_id;
		expect(newId).toMatch(/^\d{19}$/);
		const progress = await json(await cozePost(`/v1/datasets/${ds}/process`, { document_ids: [newId] }));
		expect(progress.data.data[0]).toMatchObject({ document_id: newId, status: 0 });

		const empty = await cozePost('/open_api/knowledge/document/create', { dataset_id: ds, document_bases: [] }, { 'Agw-Js-Conv': 'str' });
		expect((await json(empty)).code).toBe(4000);
		const eleven = Array.from({ length: 11 }, (_, i) => ({ name: `f${i}`, source_info: { web_url: 'https://example.com' } }));
		const tooMany = await cozePost('/open_api/knowledge/document/create', { dataset_id: ds, document_bases: eleven }, { 'Agw-Js-Conv': 'str' });
		expect((await json(tooMany)).code).toBe(4000);
	});
});

// ----- faults and the request log -------------------------------------------------------------

describe('fault injection', () => {
	it('status faults use the vendor envelope by default, carry extra headers, and do not tick', async () => {
		const ds = sim.dify.addDataset();
		const { batch, documentIds } = sim.dify.addDocuments(ds, [{ name: 'x.txt' }]);
		const handle = sim.injectFault({ vendor: 'dify', path: /indexing-status$/, kind: { type: 'status', status: 429, headers: { 'Retry-After': '1' } } });
		expect(handle.remaining).toBe(1);

		const res = await difyGet(`/datasets/${ds}/documents/${batch}/indexing-status`);
		expect(res.status).toBe(429);
		expect(res.headers.get('retry-after')).toBe('1');
		expect(await json(res)).toMatchObject({ code: 'too_many_requests', status: 429 });
		expect(sim.dify.observationCount(ds, documentIds[0])).toBe(0);
		expect(handle.remaining).toBe(0);
		expect((await difyGet(`/datasets/${ds}/documents/${batch}/indexing-status`)).status).toBe(200);

		// Faults hit before auth, like a gateway in front of the vendor.
		sim.injectFault({ vendor: 'coze', kind: { type: 'status', status: 503 } });
		const coze = await fetch(`${sim.coze.baseUrl}/v1/users/me`);
		expect(coze.status).toBe(503);
		const cozeBody = await json(coze);
		expect(typeof cozeBody.code).toBe('number');
		expect(coze.headers.get('x-tt-logid')).toBe(cozeBody.detail.logid);

		sim.injectFault({ kind: { type: 'status', status: 502, body: '<html>Bad Gateway</html>', headers: { 'Content-Type': 'text/html' } } });
		const html = await difyGet('/datasets');
		expect(html.status).toBe(502);
		expect(html.headers.get('content-type')).toBe('text/html');
		expect(await html.text()).toBe('<html>Bad Gateway</html>');
	});

	it('applies a fault the given number of times, and only to matching requests', async () => {
		sim.injectFault({ vendor: 'dify', method: 'GET', path: /^\/datasets$/, times: 2, kind: { type: 'status', status: 500 } });
		expect((await fetch(`${sim.coze.baseUrl}/v1/users/me`, { headers: { Authorization: `Bearer ${COZE_TOKEN}` } })).status).toBe(200);
		expect((await difyGet('/datasets')).status).toBe(500);
		expect((await difyGet('/datasets')).status).toBe(500);
		expect((await difyGet('/datasets')).status).toBe(200);
	});

	it('malformed answers HTTP 200 with truncated JSON', async () => {
		sim.injectFault({ vendor: 'coze', kind: { type: 'malformed' } });
		const res = await cozePost('/v1/datasets/1/process', { document_ids: ['1'] });
		expect(res.status).toBe(200);
		const text = await res.text();
		expect(() => JSON.parse(text)).toThrow();
		expect(res.headers.get('x-tt-logid')).toMatch(/^[0-9A-F]{32}$/);
	});

	it('drop destroys the socket without an answer', async () => {
		sim.injectFault({ kind: { type: 'drop' } });
		await expect(difyGet('/datasets')).rejects.toThrow();
		const entry = sim.requests[sim.requests.length - 1];
		expect(entry).toMatchObject({ fault: 'drop', status: 0 });
	});

	it('delay answers normally after the given time', async () => {
		const ds = sim.dify.addDataset();
		sim.injectFault({ vendor: 'dify', kind: { type: 'delay', ms: 80 } });
		const started = Date.now();
		const res = await difyGet(`/datasets/${ds}/documents`);
		expect(res.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(70);
	});

	it('close() does not wait for pending delayed answers', async () => {
		const other = await startSimulator();
		other.injectFault({ kind: { type: 'delay', ms: 60_000 } });
		const pending = fetch(`${other.dify.baseUrl}/datasets`);
		const outcome = pending.then(
			() => 'answered',
			() => 'failed',
		);
		await new Promise((resolve) => setTimeout(resolve, 20));
		// Waiting for the 60 s answer would outlast the test's timeout.
		await other.close();
		expect(await outcome).toBe('failed');
	});
});

describe('request log', () => {
	it('records vendor, method, path without prefix, query, headers, raw body and status', async () => {
		const ds = sim.coze.addDataset();
		sim.clearRequests();
		await difyGet('/datasets?page=2&limit=5');
		const rawBody = `{"document_ids":["${ds}"]}`;
		await cozePost(`/v1/datasets/${ds}/process`, rawBody);

		expect(sim.requests).toHaveLength(2);
		const [dify, coze] = sim.requests;
		expect(dify).toMatchObject({ vendor: 'dify', method: 'GET', path: '/datasets', query: { page: '2', limit: '5' }, body: '', status: 200 });
		expect(dify.headers.authorization).toBe(`Bearer ${DIFY_KEY}`);
		expect(coze).toMatchObject({ vendor: 'coze', method: 'POST', path: `/v1/datasets/${ds}/process`, body: rawBody, status: 200 });
		expect(coze.seq).toBeGreaterThan(dify.seq);
		expect(typeof coze.at).toBe('number');

		expect(sim.requestsTo('coze')).toEqual([coze]);
		expect(sim.requestsTo('dify', /^\/datasets$/)).toEqual([dify]);
		expect(sim.requestsTo('dify', /indexing-status/)).toEqual([]);
		sim.clearRequests();
		expect(sim.requests).toHaveLength(0);
	});

	it('is deterministic: the same seed hands out the same ids and batches', async () => {
		const make = async () => {
			const s = await startSimulator({ seed: 7 });
			const ds = s.dify.addDataset();
			const { batch, documentIds } = s.dify.addDocuments(ds, [{ name: 'a' }]);
			const cozeDs = s.coze.addDataset();
			const cozeDocs = s.coze.addDocuments(cozeDs, [{ name: 'b' }]);
			await s.close();
			return [ds, batch, ...documentIds, cozeDs, ...cozeDocs];
		};
		expect(await make()).toEqual(await make());
	});
});
