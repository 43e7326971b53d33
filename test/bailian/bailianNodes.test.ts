/**
 * The Bailian nodes and credential run through n8n-core (see test/harness) against the simulated
 * Bailian API: parameters, expressions, the credential's ACS3 signing, pairing and errors are real.
 *
 * Time: the engine sleeps on the simulator's clock (SimulatorTime in place of `realClock`), so
 * Bailian's 5 s floor is kept and checked in simulator time without costing wall time. Every
 * GetIndexJobStatus call is in the simulator's log with its simulator time.
 */
jest.mock('../../nodes/shared/clock', () => jest.requireActual('./simulatorTime').mockClockModule());

import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeParameters, IPollFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { BailianApi } from '../../credentials/BailianApi.credentials';
import { createBailianAdapter } from '../../nodes/Bailian/BailianAdapter';
import { BailianKnowledge } from '../../nodes/Bailian/BailianKnowledge.node';
import { BailianKnowledgeTrigger } from '../../nodes/Bailian/BailianKnowledgeTrigger.node';
import { executeIndexingStatus } from '../../nodes/shared/execute';
import { pollIndexingStatus } from '../../nodes/shared/poll';
import { runNode, runPoll, testCredential } from '../harness';
import type { HarnessCredentials } from '../harness';
import { type Simulator, startSimulator } from '../simulator';
import type { BailianStatusCall } from '../simulator';
import { BailianApiOnSimulatorTime, followSimulatorTime } from './onSimulatorTime';


const ACCESS_KEY_ID = 'LTAI5tBailianIntegration01';
const ACCESS_KEY_SECRET = 'bailianIntegrationSECRET0123456789abc';
const STS_KEY_ID = 'STS.NTbailianIntegration0001';
const STS_SECRET = 'stsIntegrationSECRET9876543210zyx';
const STS_TOKEN = 'CAISbailianIntegrationTOKEN+/=0123456789';

let sim: Simulator;
let workspaceId: string;
let indexId: string;

beforeAll(async () => {
	sim = await startSimulator({ seed: 11 });
	followSimulatorTime(sim);
	sim.bailian.addAccessKey(ACCESS_KEY_ID, ACCESS_KEY_SECRET);
	sim.bailian.addStsCredentials({
		accessKeyId: STS_KEY_ID,
		accessKeySecret: STS_SECRET,
		securityToken: STS_TOKEN,
		expiresAt: sim.now() + 24 * 3600_000,
	});
	workspaceId = sim.bailian.addWorkspace();
	indexId = sim.bailian.addIndex(workspaceId, { name: 'Product docs' });
});

afterAll(async () => {
	await sim.close();
});

afterEach(() => {
	sim.clearFaults();
	sim.clearRequests();
	sim.bailian.statusCalls.length = 0;
	// A new test starts well clear of the last one's calls, as a new execution would.
	sim.advanceClock(60_000);
});

function credentials(data: IDataObject = {}): HarnessCredentials {
	return {
		type: 'bailianApi',
		data: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET, region: 'custom', endpoint: sim.bailian.endpoint, workspaceId, ...data },
	};
}

const stsCredentials = () => credentials({ accessKeyId: STS_KEY_ID, accessKeySecret: STS_SECRET, securityToken: STS_TOKEN });

/** The node as shipped, but paging jobs 10 documents at a time, so that a test job spans pages. */
class BailianKnowledgeSmallPages extends BailianKnowledge {
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeIndexingStatus.call(this, createBailianAdapter({ jobPageSize: 10 }));
	}
}

class BailianKnowledgeTriggerSmallPages extends BailianKnowledgeTrigger {
	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollIndexingStatus.call(this, createBailianAdapter({ jobPageSize: 10, listPageSize: 10 }));
	}
}

function runAction(
	parameters: INodeParameters,
	input: IDataObject[] = [{}],
	extra: { continueOnFail?: boolean; credentials?: HarnessCredentials; smallPages?: boolean } = {},
) {
	return runNode({
		node: extra.smallPages ? new BailianKnowledgeSmallPages() : new BailianKnowledge(),
		parameters: { indexId, ...parameters },
		input,
		credentials: extra.credentials ?? credentials(),
		credentialTypes: [new BailianApiOnSimulatorTime()],
		continueOnFail: extra.continueOnFail,
	});
}

function pollTrigger(
	parameters: INodeParameters,
	staticData: IDataObject,
	mode: 'trigger' | 'manual' = 'trigger',
	withCredentials = credentials(),
	pollBudgetMs?: number,
) {
	return runPoll({
		node: new BailianKnowledgeTriggerSmallPages(),
		parameters: { indexId, ...parameters },
		staticData,
		mode,
		credentials: withCredentials,
		credentialTypes: [new BailianApiOnSimulatorTime()],
		pollBudgetMs,
	});
}

const jsonOf = (items: Array<{ json: IDataObject }>) => items.map((item) => item.json);
/** What SubmitIndexAddDocumentsJob answers; the node's Job ID default reads Data.Id from it. */
const submitted = (jobId: string) => ({ Code: '', Data: { Id: jobId }, Message: '', RequestId: 'SUBMIT-REQ', Status: '200', Success: true });

/** The gaps between consecutive calls of each job, in simulator ms. */
function gapsPerJob(calls: BailianStatusCall[]): number[] {
	const gaps: number[] = [];
	const last = new Map<string, number>();
	for (const call of calls) {
		const before = last.get(call.jobId);
		if (before !== undefined) gaps.push(call.at - before);
		last.set(call.jobId, call.at);
	}
	return gaps;
}

describe('Bailian success answers', () => {
	afterEach(() => {
		sim.bailian.successCode = 'empty';
	});

	it('reads a job whose answers carry Code "Success" and Message "success" beside Success: true', async () => {
		sim.bailian.successCode = 'word';
		const jobId = sim.bailian.submitJob(indexId, { documents: [{ name: 'ok.pdf', runMs: 0 }] });
		const run = await runAction({ operation: 'getIndexingStatus' }, [submitted(jobId)]);
		expect(run.error).toBeUndefined();
		expect(jsonOf(run.items)).toEqual([expect.objectContaining({ jobId, documentName: 'ok.pdf', status: 'completed', error: null })]);
	});

	it('passes the credential test on such answers', async () => {
		sim.bailian.successCode = 'word';
		expect(await testCredential({ credentialType: new BailianApiOnSimulatorTime(), data: credentials().data })).toMatchObject({ status: 'OK' });
	});
});

describe('Bailian Knowledge: Wait Until Indexed', () => {
	it('pages through 27 documents of a job until every one has ended, one of them with INSERT_ERROR', async () => {
		const documents = Array.from({ length: 27 }, (_, i) => ({
			name: `manual-${String(i + 1).padStart(2, '0')}.pdf`,
			runMs: 6000 + i * 700,
			...(i === 13 ? { result: 'INSERT_ERROR' as const, error: { code: 'Index.Document.ChunkError', message: 'document parse error' } } : {}),
		}));
		const jobId = sim.bailian.submitJob(indexId, { documents });
		const ids = sim.bailian.documentIds(jobId);

		const run = await runAction(
			{ operation: 'waitUntilIndexed', pollInterval: 5, timeout: 600 },
			[submitted(jobId)],
			{ smallPages: true },
		);

		expect(run.error).toBeUndefined();
		const items = jsonOf(run.items);
		expect(items.map((item) => item.documentId)).toEqual(ids);
		expect(items.filter((item) => item.status === 'completed')).toHaveLength(26);
		expect(items[13]).toMatchObject({
			vendor: 'bailian',
			knowledgeBaseId: indexId,
			jobId,
			documentName: 'manual-14.pdf',
			status: 'failed',
			terminal: true,
			vendorStatus: 'INSERT_ERROR',
			jobStatus: 'COMPLETED',
			progress: 100,
			error: { code: 'Index.Document.ChunkError', message: 'document parse error' },
			updatedAt: expect.stringMatching(/^2025-03-06T13:2\d:\d\d\.\d{3}Z$/),
			requestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
			wait: expect.objectContaining({ timedOut: false }),
		});
		expect(items.every((item) => item.jobStatus === 'COMPLETED' && item.terminal === true)).toBe(true);

		const calls = sim.bailian.statusCalls;
		// Three pages per round (10 + 10 + 7), with the lower-case pageSize the API reads.
		expect(calls.slice(0, 3).map((call) => [call.pageNumber, call.pageSize])).toEqual([[1, 10], [2, 10], [3, 10]]);
		expect(calls.length % 3).toBe(0);
		expect(calls.every((call) => call.outcome === 'ok')).toBe(true);
		expect(Math.min(...gapsPerJob(calls))).toBeGreaterThanOrEqual(5000);
		expect(sim.requestsTo('bailian', /\/index\/job\/status$/).every((r) => r.query.pageSize !== undefined && r.query.PageSize === undefined)).toBe(true);
	});

	it('follows a job from PENDING through RUNNING to COMPLETED, with one item for the job while it lists no document', async () => {
		const jobId = sim.bailian.submitJob(indexId, {
			pendingMs: 12_000,
			documents: [
				{ name: 'a.pdf', appearAfterMs: 8000, runMs: 10_000 },
				{ name: 'b.pdf', appearAfterMs: 8000, runMs: 14_000 },
			],
		});

		const pending = await runAction({ operation: 'getIndexingStatus' }, [submitted(jobId)]);
		expect(jsonOf(pending.items)).toEqual([
			expect.objectContaining({
				vendor: 'bailian',
				knowledgeBaseId: indexId,
				jobId,
				documentId: null,
				documentName: null,
				status: 'queued',
				terminal: false,
				vendorStatus: 'PENDING',
				jobStatus: 'PENDING',
			}),
		]);

		sim.advanceClock(15_000);
		const running = await runAction({ operation: 'getIndexingStatus', options: { outputMode: 'summary' } }, [submitted(jobId)]);
		expect(running.items[0].json).toMatchObject({ status: 'processing', total: 1, jobId });
		expect((running.items[0].json.documents as IDataObject[])[0]).toMatchObject({ documentId: null, jobStatus: 'RUNNING' });

		const waited = await runAction({ operation: 'waitUntilIndexed', pollInterval: 5 }, [submitted(jobId)]);
		expect(waited.error).toBeUndefined();
		expect(jsonOf(waited.items)).toEqual([
			expect.objectContaining({ documentName: 'a.pdf', status: 'completed', vendorStatus: 'FINISH', jobStatus: 'COMPLETED' }),
			expect.objectContaining({ documentName: 'b.pdf', status: 'completed', vendorStatus: 'FINISH', jobStatus: 'COMPLETED' }),
		]);
		// Seen along the way: documents RUNNING while the job ran.
		expect(waited.items[0].json.wait).toMatchObject({ timedOut: false, polls: expect.any(Number) });
		expect((waited.items[0].json.wait as IDataObject).polls).toBeGreaterThan(1);
	});

	it('keeps waiting while the job runs, though every document it lists so far has ended', async () => {
		const jobId = sim.bailian.submitJob(indexId, {
			documents: [
				{ name: 'first.pdf', runMs: 1000 },
				{ name: 'late.pdf', appearAfterMs: 20_000, runMs: 5000 },
			],
		});
		sim.advanceClock(2000);

		const early = await runAction({ operation: 'getIndexingStatus' }, [submitted(jobId)]);
		expect(jsonOf(early.items)).toEqual([
			expect.objectContaining({ documentName: 'first.pdf', status: 'completed', jobStatus: 'RUNNING' }),
			expect.objectContaining({ documentId: null, status: 'processing', terminal: false, jobStatus: 'RUNNING' }),
		]);

		const waited = await runAction({ operation: 'waitUntilIndexed', pollInterval: 5 }, [submitted(jobId)]);
		expect(jsonOf(waited.items).map((d) => [d.documentName, d.status, d.jobStatus])).toEqual([
			['first.pdf', 'completed', 'COMPLETED'],
			['late.pdf', 'completed', 'COMPLETED'],
		]);
	});

	it('asks for a page large enough that one call per round covers a job', async () => {
		const jobId = sim.bailian.submitJob(indexId, {
			documents: Array.from({ length: 40 }, (_, i) => ({ name: `d${i}.txt`, runMs: 0 })),
		});

		const run = await runAction({ operation: 'getIndexingStatus' }, [submitted(jobId)]);

		expect(run.items).toHaveLength(40);
		expect(sim.bailian.statusCalls.map((call) => [call.pageNumber, call.pageSize])).toEqual([[1, 1000]]);
	});

	it('keeps 5 s between two calls about one job, whatever the poll interval and however many items ask', async () => {
		const jobId = sim.bailian.submitJob(indexId, {
			documents: [{ name: 'slow.pdf', runMs: 31_000 }],
		});

		// Two items on one job with different intervals (two scopes), one of them below the floor.
		const run = await runAction(
			{ operation: 'waitUntilIndexed', pollInterval: '={{ $json.interval }}' },
			[{ ...submitted(jobId), interval: 1 }, { ...submitted(jobId), interval: 7 }],
		);

		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => [item.pairedItem, item.json.status])).toEqual([
			[{ item: 0 }, 'completed'],
			[{ item: 1 }, 'completed'],
		]);
		const calls = sim.bailian.statusCalls;
		expect(calls.length).toBeGreaterThanOrEqual(6);
		expect(calls.every((call) => call.outcome === 'ok')).toBe(true);
		expect(Math.min(...gapsPerJob(calls))).toBeGreaterThanOrEqual(5000);
	});
});

describe('Bailian errors', () => {
	it('treats Success: false inside an HTTP 200 as an error naming Code, Message and RequestId', async () => {
		const jobId = sim.bailian.submitJob(indexId, { documents: [{ name: 'a.pdf' }] });
		sim.bailian.returnErrorOnce({ code: 'Index.InvalidParameter', message: 'The job is not valid for this index.' });

		const run = await runAction({ operation: 'getIndexingStatus' }, [submitted(jobId)]);

		expect(run.status).toBe('error');
		expect(run.error).toBeInstanceOf(NodeApiError);
		expect(run.error?.message).toMatch(
			/^Bailian GetIndexJobStatus failed: The job is not valid for this index\. \(Code Index\.InvalidParameter, RequestId [0-9A-F-]{36}\)$/,
		);
		expect(sim.bailian.statusCalls).toHaveLength(1);
		expect(sim.requestsTo('bailian')[0].status).toBe(200);
	});

	it('retries throttling after x-acs-retry-after (milliseconds), and gets the answer', async () => {
		const jobId = sim.bailian.submitJob(indexId, { documents: [{ name: 'a.pdf', runMs: 0 }] });
		sim.bailian.returnErrorOnce({ code: 'Throttling.User', message: 'Request was denied due to user flow control.', httpStatus: 400, retryAfterMs: 8500 });

		const run = await runAction({ operation: 'getIndexingStatus' }, [submitted(jobId)]);

		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({ documentName: 'a.pdf', status: 'completed' });
		const calls = sim.bailian.statusCalls;
		expect(calls.map((call) => call.outcome)).toEqual(['Throttling.User', 'ok']);
		expect(calls[1].at - calls[0].at).toBe(8500);
	});

	it('keeps the 5 s floor when a throttled call asks to come back sooner', async () => {
		const jobId = sim.bailian.submitJob(indexId, { documents: [{ name: 'a.pdf', runMs: 0 }] });
		sim.bailian.returnErrorOnce({ code: 'Throttling.Api', message: 'Request was denied due to api flow control.', httpStatus: 400, retryAfterMs: 300 });

		const run = await runAction({ operation: 'getIndexingStatus' }, [submitted(jobId)]);

		expect(run.error).toBeUndefined();
		const calls = sim.bailian.statusCalls;
		expect(calls.map((call) => call.outcome)).toEqual(['Throttling.Api', 'ok']);
		expect(calls[1].at - calls[0].at).toBe(5000);
	});

	it('lets the simulator throttle a client that calls a job again within 5 s', async () => {
		// A sanity check of the simulator that the floor tests rely on: without the client's
		// spacing (a second execution right after the first), the second call is throttled, and
		// retried 5 s after it (later than the 3 s the simulator asks for).
		const jobId = sim.bailian.submitJob(indexId, { documents: [{ name: 'a.pdf', runMs: 0 }] });
		await runAction({ operation: 'getIndexingStatus' }, [submitted(jobId)]);
		sim.advanceClock(2000);
		const second = await runAction({ operation: 'getIndexingStatus' }, [submitted(jobId)]);

		expect(second.error).toBeUndefined();
		const calls = sim.bailian.statusCalls;
		expect(calls.map((call) => call.outcome)).toEqual(['ok', 'Throttling.User', 'ok']);
		expect(calls[1].at - calls[0].at).toBe(2000);
		expect(calls[2].at - calls[1].at).toBe(5000);
	});

	it('reports a wrong secret clearly, and never the secret', async () => {
		const jobId = sim.bailian.submitJob(indexId, { documents: [{ name: 'a.pdf' }] });
		const wrongSecret = 'wrongSECRETwrongSECRET0123456789';

		const run = await runAction({ operation: 'getIndexingStatus' }, [submitted(jobId)], {
			credentials: credentials({ accessKeySecret: wrongSecret }),
		});

		expect(run.error).toBeInstanceOf(NodeApiError);
		const error = run.error as NodeApiError;
		expect(error.message).toMatch(
			/^Bailian GetIndexJobStatus failed: Specified signature is not matched with our calculation\. \(Code SignatureDoesNotMatch, RequestId [0-9A-F-]{36}\)$/,
		);
		expect(error.description).toContain('Check the AccessKey Secret of the Bailian credential');
		expect(error.httpCode).toBe('400');
		expect(sim.requestsTo('bailian')).toHaveLength(1);
		const everything = JSON.stringify([error.message, error.description, error.context, run.runData]);
		expect(everything).not.toContain(wrongSecret);
		expect(everything).not.toContain(ACCESS_KEY_SECRET);
	});

	it('reports an unknown AccessKey ID, item by item with Continue On Fail', async () => {
		const jobId = sim.bailian.submitJob(indexId, { documents: [{ name: 'a.pdf' }] });

		const run = await runAction({ operation: 'getIndexingStatus' }, [submitted(jobId), submitted(jobId)], {
			continueOnFail: true,
			credentials: credentials({ accessKeyId: 'LTAI5tUnknownKey000000' }),
		});

		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of run.items) {
			expect(String(item.json.error)).toContain('(Code InvalidAccessKeyId.NotFound, RequestId ');
			expect(String(item.json.description)).toContain('Alibaba Cloud does not know it');
		}
	});

	it('reports a workspace the key may not read (Index.Forbidden) with the RAM advice', async () => {
		const jobId = sim.bailian.submitJob(indexId, { documents: [{ name: 'a.pdf' }] });
		const other = sim.bailian.addWorkspace();
		const run = await runAction({ operation: 'getIndexingStatus', workspaceId: 'llm-notmine' }, [submitted(jobId)]);
		expect(run.error?.message).toContain('(Code Index.Forbidden, RequestId ');
		expect((run.error as NodeApiError).description).toContain('AliyunBailianDataReadOnlyAccess');
		// The node's Workspace ID wins over the credential's default.
		expect(sim.requestsTo('bailian')[0].path).toBe('/llm-notmine/index/job/status');
		expect(other).not.toBe(workspaceId);
	});

	it('names the field when the Job ID is empty', async () => {
		const run = await runAction({ operation: 'getIndexingStatus' }, [{ unrelated: true }], { continueOnFail: true });
		expect(String(run.items[0].json.error)).toMatch(/^Job ID is empty: expected the JobId/);
		expect(String(run.items[0].json.error)).toContain('Data.Id');
		expect(sim.requestsTo('bailian')).toHaveLength(0);
	});
});

describe('Bailian with temporary (STS) credentials', () => {
	it('waits with an STS key and its token, which every call sends and signs', async () => {
		const jobId = sim.bailian.submitJob(indexId, { documents: [{ name: 'sts.pdf', runMs: 7000 }] });

		const run = await runAction({ operation: 'waitUntilIndexed', pollInterval: 5 }, [submitted(jobId)], { credentials: stsCredentials() });

		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({ documentName: 'sts.pdf', status: 'completed' });
		const calls = sim.requestsTo('bailian');
		expect(calls.length).toBeGreaterThan(1);
		for (const call of calls) {
			expect(call.headers['x-acs-security-token']).toBe(STS_TOKEN);
			expect(call.headers.authorization).toMatch(/^ACS3-HMAC-SHA256 Credential=STS\.NTbailianIntegration0001,SignedHeaders=[^,]*x-acs-security-token/);
		}
		expect(JSON.stringify(run.runData)).not.toContain(STS_TOKEN);
	});

	it('says what is missing when an STS key comes without its token, before calling', async () => {
		const run = await runAction({ operation: 'getIndexingStatus' }, [submitted('job')], {
			credentials: credentials({ accessKeyId: STS_KEY_ID, accessKeySecret: STS_SECRET, securityToken: '' }),
		});
		expect(run.error?.message).toMatch(/^Security Token of the Bailian credential is empty/);
		expect(sim.requestsTo('bailian')).toHaveLength(0);
	});

	it('reports an expired token without showing it', async () => {
		const expiredKey = 'STS.NTexpired0000000000001';
		const expiredToken = 'CAISexpiredTOKEN0000000000';
		sim.bailian.addStsCredentials({ accessKeyId: expiredKey, accessKeySecret: STS_SECRET, securityToken: expiredToken, expiresAt: sim.now() - 1 });

		const run = await runAction({ operation: 'getIndexingStatus' }, [submitted('job')], {
			credentials: credentials({ accessKeyId: expiredKey, accessKeySecret: STS_SECRET, securityToken: expiredToken }),
		});

		expect(run.error?.message).toContain('(Code InvalidSecurityToken.Expired, RequestId ');
		expect((run.error as NodeApiError).description).toContain('Temporary (STS) credentials need their Security Token');
		expect(JSON.stringify([run.error?.message, (run.error as NodeApiError).description, run.runData])).not.toContain(expiredToken);
	});
});

describe('Bailian Knowledge Trigger', () => {
	it('emits each document of a job once, across polls and a restart', async () => {
		const jobId = sim.bailian.submitJob(indexId, {
			documents: [
				{ name: 'early.pdf', runMs: 0 },
				{ name: 'late.pdf', runMs: 40_000 },
				{ name: 'broken.pdf', runMs: 20_000, result: 'INSERT_ERROR' },
			],
		});
		const [early, late, broken] = sim.bailian.documentIds(jobId);
		const parameters = { watch: 'job', jobId };

		const sample = await pollTrigger(parameters, {}, 'manual');
		expect(sample.items?.[0].map((item) => item.json.documentId)).toEqual([early, late, broken]);

		let state: IDataObject = {};
		const first = await pollTrigger(parameters, state);
		expect(first.items?.[0].map((item) => item.json)).toEqual([
			expect.objectContaining({ documentId: early, status: 'completed', jobId, jobStatus: 'RUNNING' }),
		]);
		state = first.staticData;

		sim.advanceClock(25_000);
		const second = await pollTrigger(parameters, state);
		expect(second.items?.[0].map((item) => [item.json.documentId, item.json.status])).toEqual([[broken, 'failed']]);

		// n8n restarts: the state comes back from its database as JSON.
		state = JSON.parse(JSON.stringify(second.staticData)) as IDataObject;
		expect((await pollTrigger(parameters, state)).items).toBeNull();
		sim.advanceClock(25_000);
		const fourth = await pollTrigger(parameters, state);
		expect(fourth.items?.[0].map((item) => item.json)).toEqual([
			expect.objectContaining({ documentId: late, status: 'completed', jobStatus: 'COMPLETED' }),
		]);
		state = JSON.parse(JSON.stringify(fourth.staticData)) as IDataObject;
		sim.advanceClock(60_000);
		expect((await pollTrigger(parameters, state)).items).toBeNull();
	});

	it('reads a job that needs more pages than one poll has time for page by page across polls, each document once', async () => {
		// 25 documents, 10 a page: 3 pages, 5 s apart. A poll's budget of 5 s leaves time for one.
		const documents = Array.from({ length: 25 }, (_, i) => ({ name: `paged-${i}.pdf`, runMs: i === 22 ? 60_000 : 0 }));
		const jobId = sim.bailian.submitJob(indexId, { documents });
		const ids = sim.bailian.documentIds(jobId);
		const statusCalls = () => sim.requestsTo('bailian', /\/index\/job\/status$/);
		const run = async (event: string) => {
			const state: IDataObject = {};
			const reported: string[][] = [];
			const summaries: IDataObject[] = [];
			const callsPerPoll: number[] = [];
			for (let poll = 0; poll < 12; poll++) {
				const before = statusCalls().length;
				const result = await pollTrigger({ watch: 'job', jobId, event }, state, 'trigger', credentials(), 5000);
				callsPerPoll.push(statusCalls().length - before);
				reported.push((result.items?.[0] ?? []).map((item) => String(item.json.documentId ?? item.json.jobId)));
				if (event === 'allFinished') summaries.push(...(result.items?.[0] ?? []).map((item) => item.json));
				sim.advanceClock(10_000);
			}
			return { reported, summaries, callsPerPoll, pages: statusCalls().map((call) => call.query.PageNumber) };
		};

		const finished = await run('documentFinished');
		expect(finished.callsPerPoll.slice(0, 3)).toEqual([1, 1, 1]);
		expect(finished.pages.slice(0, 3)).toEqual(['1', '2', '3']);
		expect(finished.reported.slice(0, 3)).toEqual([ids.slice(0, 10), ids.slice(10, 20), [...ids.slice(20, 22), ...ids.slice(23)]]);
		// The late one is reported by the poll that reads page 3 after it ended; then the job is done.
		expect(finished.reported.flat().sort()).toEqual([...ids].sort());
		expect(finished.callsPerPoll.slice(-2)).toEqual([0, 0]);
		expect(gapsPerJob(sim.bailian.statusCalls).every((gap) => gap >= 5000)).toBe(true);

		sim.clearRequests();
		sim.advanceClock(60_000);
		const all = await run('allFinished');
		// A job whose documents have all ended: one pass of three polls, then one summary.
		expect(all.callsPerPoll).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
		expect(all.reported.map((items) => items.length)).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
		// The summary counts the whole job, though the poll that fired read only its last page.
		expect(all.summaries).toEqual([
			expect.objectContaining({ status: 'completed', terminal: true, total: 25, progress: 100, counts: expect.objectContaining({ completed: 25, failed: 0 }) }),
		]);
		expect((all.summaries[0].documents as IDataObject[]).map((d) => d.documentId)).toEqual(ids.slice(20));
	});

	it('polls with STS credentials too', async () => {
		const jobId = sim.bailian.submitJob(indexId, { documents: [{ name: 'sts-trigger.pdf', runMs: 0 }] });
		const first = await pollTrigger({ watch: 'job', jobId }, {}, 'trigger', stsCredentials());
		expect(first.items?.[0].map((item) => item.json)).toEqual([expect.objectContaining({ documentName: 'sts-trigger.pdf', status: 'completed' })]);
		expect(sim.requestsTo('bailian').every((call) => call.headers['x-acs-security-token'] === STS_TOKEN)).toBe(true);
	});

	it('watches a whole index through every page of the listing, after a silent baseline, across a restart', async () => {
		const watched = sim.bailian.addIndex(workspaceId, { name: 'Watched' });
		sim.bailian.addFinishedDocuments(watched, Array.from({ length: 23 }, (_, i) => `old-${i}.pdf`));
		const parameters = { watch: 'index', indexId: watched };

		let state: IDataObject = {};
		const baseline = await pollTrigger(parameters, state);
		expect(baseline.items).toBeNull();
		state = baseline.staticData;
		const listCalls = sim.requestsTo('bailian', /\/index\/list_index_documents$/);
		expect(listCalls.map((call) => [call.query.PageNumber, call.query.PageSize])).toEqual([['1', '10'], ['2', '10'], ['3', '10']]);

		const jobId = sim.bailian.submitJob(watched, {
			documents: [
				{ name: 'new-a.pdf', runMs: 10_000 },
				{ name: 'new-b.pdf', runMs: 30_000, result: 'INSERT_ERROR', error: { code: 'Index.Document.ParseError', message: 'unsupported' } },
			],
		});
		const [a, b] = sim.bailian.documentIds(jobId);
		sim.advanceClock(20_000);
		const first = await pollTrigger(parameters, state);
		expect(first.items?.[0].map((item) => item.json)).toEqual([
			expect.objectContaining({ documentId: a, documentName: 'new-a.pdf', status: 'completed', jobId: null, updatedAt: expect.any(String) }),
		]);

		state = JSON.parse(JSON.stringify(first.staticData)) as IDataObject;
		sim.advanceClock(20_000);
		const second = await pollTrigger(parameters, state);
		expect(second.items?.[0].map((item) => item.json)).toEqual([
			expect.objectContaining({ documentId: b, status: 'failed', error: { code: 'Index.Document.ParseError', message: 'unsupported' } }),
		]);
		state = JSON.parse(JSON.stringify(second.staticData)) as IDataObject;
		sim.advanceClock(60_000);
		expect((await pollTrigger(parameters, state)).items).toBeNull();
	});
});

describe('Bailian API credential test', () => {
	const test = (data: IDataObject) =>
		testCredential({
			credentialType: new BailianApi(),
			data: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET, region: 'custom', endpoint: sim.bailian.endpoint, workspaceId, ...data },
		});

	it('passes with valid keys, reading one index of the default workspace (ListIndices)', async () => {
		await expect(test({})).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });
		const [call] = sim.requestsTo('bailian');
		expect(call.path).toBe(`/${workspaceId}/index/list_indices`);
		expect(call.query).toEqual({ PageNumber: '1', PageSize: '1' });
		expect(call.headers['x-acs-action']).toBe('ListIndices');
		expect(call.status).toBe(200);
	});

	it('passes with STS credentials, and fails with their token missing or wrong', async () => {
		const sts = { accessKeyId: STS_KEY_ID, accessKeySecret: STS_SECRET };
		await expect(test({ ...sts, securityToken: STS_TOKEN })).resolves.toMatchObject({ status: 'OK' });
		await expect(test({ ...sts, securityToken: '' })).resolves.toEqual({
			status: 'Error',
			message: expect.stringContaining('fill in the Security Token'),
		});
		await expect(test({ ...sts, securityToken: 'CAISsomeoneElsesToken' })).resolves.toEqual({
			status: 'Error',
			message: expect.stringContaining('InvalidSecurityToken.MismatchWithAccessKey'),
		});
	});

	it('fails with a wrong secret, an unknown key or a foreign workspace, each with its own advice', async () => {
		await expect(test({ accessKeySecret: 'nope-nope-nope' })).resolves.toEqual({
			status: 'Error',
			message: expect.stringContaining('check the AccessKey Secret'),
		});
		await expect(test({ accessKeyId: 'LTAI5tNobody' })).resolves.toEqual({
			status: 'Error',
			message: expect.stringContaining('InvalidAccessKeyId.NotFound'),
		});
		await expect(test({ workspaceId: 'llm-notmine' })).resolves.toEqual({
			status: 'Error',
			message: expect.stringContaining('Index.Forbidden'),
		});
	});

	it('fails when the endpoint is not Bailian at all', async () => {
		await expect(test({ endpoint: `${sim.url}/elsewhere` })).resolves.toEqual({
			status: 'Error',
			message: expect.stringContaining('did not answer as the Model Studio (Bailian) API does'),
		});
	});
});
