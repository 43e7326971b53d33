/**
 * The Bailian simulator on its own, over HTTP: it must refuse what Bailian refuses, or the node
 * tests that run against it prove nothing.
 */
import { signAcs3 } from '../../credentials/signing/acs3';
import { type Simulator, startSimulator } from '../simulator';

const AK = 'LTAI5tSimulatorCheck0001';
const SECRET = 'simulatorCheckSECRET0123456789';

let sim: Simulator;
let workspaceId: string;
let indexId: string;

beforeAll(async () => {
	sim = await startSimulator({ seed: 3 });
	sim.bailian.addAccessKey(AK, SECRET);
	workspaceId = sim.bailian.addWorkspace();
	indexId = sim.bailian.addIndex(workspaceId);
});

afterAll(async () => {
	await sim.close();
});

afterEach(() => sim.advanceClock(60_000));

interface Call {
	method?: string;
	path?: string;
	query?: Record<string, string>;
	action?: string;
	keys?: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
	tamper?: (request: { url: string; headers: Record<string, string> }) => void;
}

async function call({ method = 'GET', path = `/${workspaceId}/index/job/status`, query = {}, action = 'GetIndexJobStatus', keys, tamper }: Call) {
	const signed = signAcs3(
		{ method, url: `${sim.bailian.endpoint}${path}`, query },
		keys ?? { accessKeyId: AK, accessKeySecret: SECRET },
		{ action, version: '2023-12-29' },
	);
	const request = { url: signed.url, headers: { ...signed.headers } };
	tamper?.(request);
	delete request.headers.host;
	const response = await fetch(request.url, { method, headers: request.headers });
	return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

describe('Bailian simulator', () => {
	it('answers a signed GetIndexJobStatus with the envelope and the documents that have shown up', async () => {
		const jobId = sim.bailian.submitJob(indexId, {
			pendingMs: 1000,
			documents: [
				{ name: 'a.pdf', runMs: 5000 },
				{ name: 'b.pdf', appearAfterMs: 3000, runMs: 3000, result: 'INSERT_ERROR' },
			],
		});
		const ask = () => call({ query: { IndexId: indexId, JobId: jobId } });

		const pending = await ask();
		expect(pending.status).toBe(200);
		expect(pending.body).toMatchObject({ Code: '', Success: true, Status: '200', Data: { JobId: jobId, Status: 'PENDING', Documents: [] } });
		expect(pending.headers.get('x-acs-request-id')).toBe(pending.body.RequestId);

		sim.advanceClock(5000);
		const running = await ask();
		expect(running.body.Data.Status).toBe('RUNNING');
		expect(running.body.Data.Documents.map((d: { Status: string }) => d.Status)).toEqual(['RUNNING', 'RUNNING']);

		sim.advanceClock(5000);
		const done = await ask();
		expect(done.body.Data).toMatchObject({
			Status: 'COMPLETED',
			Documents: [
				{ DocName: 'a.pdf', Status: 'FINISH', Code: '' },
				{ DocName: 'b.pdf', Status: 'INSERT_ERROR', Code: 'Index.Document.ChunkError', Message: 'document parse error' },
			],
		});
	});

	it('starts a job at its first status call when asked to (for runs that reach it late)', async () => {
		const jobId = sim.bailian.submitJob(indexId, { startsOnFirstCall: true, pendingMs: 2000, documents: [{ name: 'late.pdf', runMs: 3000 }] });
		sim.advanceClock(600_000);
		const ask = () => call({ query: { IndexId: indexId, JobId: jobId } });
		expect((await ask()).body.Data.Status).toBe('PENDING');
		sim.advanceClock(5000);
		expect((await ask()).body.Data.Documents).toMatchObject([{ DocName: 'late.pdf', Status: 'FINISH' }]);
	});

	it('pages with the lower-case pageSize only; PageSize falls back to the default 10', async () => {
		const jobId = sim.bailian.submitJob(indexId, { documents: Array.from({ length: 12 }, (_, i) => ({ name: `${i}.txt` })) });
		const wrongSpelling = await call({ query: { IndexId: indexId, JobId: jobId, PageSize: '50' } });
		expect(wrongSpelling.body.Data.Documents).toHaveLength(10);
		sim.advanceClock(5000);
		const second = await call({ query: { IndexId: indexId, JobId: jobId, PageNumber: '2', pageSize: '5' } });
		expect(second.body.Data.Documents.map((d: { DocName: string }) => d.DocName)).toEqual(['5.txt', '6.txt', '7.txt', '8.txt', '9.txt']);
	});

	it('throttles a second call about one job within 5 s, saying in milliseconds when to come back', async () => {
		const jobId = sim.bailian.submitJob(indexId, { documents: [{ name: 'a' }] });
		expect((await call({ query: { IndexId: indexId, JobId: jobId } })).status).toBe(200);
		sim.advanceClock(1200);
		const throttled = await call({ query: { IndexId: indexId, JobId: jobId } });
		expect(throttled.status).toBe(400);
		expect(throttled.body).toMatchObject({ Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' });
		expect(throttled.body).not.toHaveProperty('Success');
		expect(throttled.headers.get('x-acs-retry-after')).toBe('3800');
		// Another job is not held back.
		const other = sim.bailian.submitJob(indexId, { documents: [{ name: 'b' }] });
		expect((await call({ query: { IndexId: indexId, JobId: other } })).status).toBe(200);
		sim.advanceClock(3800);
		expect((await call({ query: { IndexId: indexId, JobId: jobId } })).status).toBe(200);
	});

	it.each([
		['a query changed after signing', (r: { url: string }) => { r.url = r.url.replace('PageNumber=1', 'PageNumber=2'); }, 400, 'SignatureDoesNotMatch'],
		['a path changed after signing', (r: { url: string }) => { r.url = r.url.replace('/index/list_indices', '/index/list_indices/'); }, 404, 'InvalidAction.NotFound'],
		['a signed header changed', (r: { headers: Record<string, string> }) => { r.headers['x-acs-signature-nonce'] = 'f'.repeat(32); }, 400, 'SignatureDoesNotMatch'],
		['an x-acs header left unsigned', (r: { headers: Record<string, string> }) => { r.headers['x-acs-extra'] = '1'; }, 400, 'IncompleteSignature'],
		['no Authorization', (r: { headers: Record<string, string> }) => { delete r.headers.Authorization; }, 400, 'MissingAuthorization'],
		['an old date', (r: { headers: Record<string, string> }) => { r.headers['x-acs-date'] = '2020-01-01T00:00:00Z'; }, 400, 'InvalidTimeStamp.Expired'],
		['another version', (r: { headers: Record<string, string> }) => { r.headers['x-acs-version'] = '2024-01-01'; }, 400, 'InvalidVersion'],
	])('refuses %s', async (_, tamper, status, code) => {
		const answer = await call({ path: `/${workspaceId}/index/list_indices`, action: 'ListIndices', query: { PageNumber: '1', PageSize: '1' }, tamper });
		expect([answer.status, answer.body.Code]).toEqual([status, code]);
	});

	it('refuses a reused nonce, an unknown key and a call signed for another action', async () => {
		let replay: { url: string; headers: Record<string, string> } | undefined;
		await call({ path: `/${workspaceId}/index/list_indices`, action: 'ListIndices', tamper: (r) => { replay = { url: r.url, headers: { ...r.headers } }; } });
		const again = await fetch(replay!.url, { headers: Object.fromEntries(Object.entries(replay!.headers).filter(([k]) => k !== 'host')) });
		expect((await again.json()) as object).toMatchObject({ Code: 'SignatureNonceUsed' });

		const unknown = await call({ path: `/${workspaceId}/index/list_indices`, action: 'ListIndices', keys: { accessKeyId: 'LTAI5tNobody', accessKeySecret: SECRET } });
		expect([unknown.status, unknown.body.Code]).toEqual([404, 'InvalidAccessKeyId.NotFound']);

		const wrongAction = await call({ path: `/${workspaceId}/index/list_indices`, action: 'ListIndexDocuments' });
		expect(wrongAction.body.Code).toBe('InvalidAction.NotFound');
	});

	it('checks STS tokens: required, matching, unexpired', async () => {
		sim.bailian.addStsCredentials({ accessKeyId: 'STS.sim1', accessKeySecret: 'stsSecret', securityToken: 'tok-1', expiresAt: sim.now() + 10_000 });
		const ask = (securityToken?: string) =>
			call({ path: `/${workspaceId}/index/list_indices`, action: 'ListIndices', keys: { accessKeyId: 'STS.sim1', accessKeySecret: 'stsSecret', securityToken } });
		expect((await ask('tok-1')).status).toBe(200);
		expect((await ask()).body.Code).toBe('MissingSecurityToken');
		expect((await ask('tok-2')).body.Code).toBe('InvalidSecurityToken.MismatchWithAccessKey');
		sim.advanceClock(10_000);
		expect((await ask('tok-1')).body.Code).toBe('InvalidSecurityToken.Expired');
	});

	it('refuses a workspace the key may not use with Bailian\'s own envelope', async () => {
		const answer = await call({ path: '/llm-elsewhere/index/list_indices', action: 'ListIndices' });
		expect(answer.status).toBe(403);
		expect(answer.body).toMatchObject({ Code: 'Index.Forbidden', Success: false, Status: '403' });
	});

	it('ends a running document on command, and its job with its last document', async () => {
		const jobId = sim.bailian.submitJob(indexId, { documents: [{ name: 'held-a.pdf', runMs: 3_600_000 }, { name: 'held-b.pdf', runMs: 3_600_000 }] });
		const [a, b] = sim.bailian.documentIds(jobId);
		const statuses = async () => {
			sim.advanceClock(5000);
			const answer = await call({ query: { IndexId: indexId, JobId: jobId } });
			return [answer.body.Data.Status, ...answer.body.Data.Documents.map((d: { Status: string }) => d.Status)];
		};
		expect(await statuses()).toEqual(['RUNNING', 'RUNNING', 'RUNNING']);
		sim.bailian.endDocument(a);
		expect(await statuses()).toEqual(['RUNNING', 'FINISH', 'RUNNING']);
		sim.bailian.endDocument(b, 'INSERT_ERROR');
		expect(await statuses()).toEqual(['COMPLETED', 'FINISH', 'INSERT_ERROR']);
		expect(() => sim.bailian.endDocument(a)).toThrow(/already ended/);
		expect(() => sim.bailian.endDocument('file_unknown')).toThrow(/Unknown Bailian document/);
	});

	it('starts a job over data-center files with a signed SubmitIndexAddDocumentsJob, and refuses unknown files', async () => {
		const file = sim.bailian.addFile('handbook.pdf');
		const submit = (DocumentIds: string, method = 'POST') =>
			call({ method, path: `/${workspaceId}/index/add_documents_to_index`, action: 'SubmitIndexAddDocumentsJob', query: { IndexId: indexId, SourceType: 'DATA_CENTER_FILE', DocumentIds } });
		const answer = await submit(JSON.stringify([file]));
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({ Success: true, Code: '', Data: { Id: expect.stringMatching(/^[0-9a-f]{32}$/) } });
		expect(sim.bailian.documentIds(answer.body.Data.Id)).toEqual([file]);
		expect(sim.bailian.jobStatus(answer.body.Data.Id)).toBe('PENDING');
		expect((await submit(JSON.stringify(['file_unknown']))).body).toMatchObject({ Success: false, Code: 'Index.InvalidParameter' });
		expect((await submit(file)).body).toMatchObject({ Success: false, Code: 'Index.InvalidParameter' });
		expect((await submit(JSON.stringify([file]), 'GET')).status).toBe(404);
	});

	it('lists an index newest first with its total', async () => {
		const own = sim.bailian.addIndex(workspaceId);
		sim.bailian.addFinishedDocuments(own, ['old-1', 'old-2']);
		sim.advanceClock(1000);
		sim.bailian.submitJob(own, { documents: [{ name: 'new' }] });
		const answer = await call({ path: `/${workspaceId}/index/list_index_documents`, action: 'ListIndexDocuments', query: { IndexId: own, PageSize: '2' } });
		expect(answer.body.Data).toMatchObject({ TotalCount: 3, PageNumber: 1, PageSize: 2 });
		expect(answer.body.Data.Documents.map((d: { Name: string; Status: string }) => [d.Name, d.Status])).toEqual([['new', 'RUNNING'], ['old-2', 'FINISH']]);
	});
});
