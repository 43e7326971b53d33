/**
 * The Amazon Bedrock Knowledge Base nodes run through n8n-core (see test/harness) against the
 * simulated Bedrock Agent API, which checks every SigV4 signature for the signing name bedrock:
 * parameters, expressions, the credential's authenticate, pairing and errors are real. The engine
 * sleeps on the simulator's clock, so waits cost no wall time.
 */
jest.mock('../../nodes/shared/clock', () => jest.requireActual('../bailian/simulatorTime').mockClockModule());

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeParameters, IPollFunctions } from 'n8n-workflow';

import { AmazonBedrockKnowledgeBaseApi } from '../../credentials/AmazonBedrockKnowledgeBaseApi.credentials';
import { AmazonBedrockKnowledgeBase } from '../../nodes/AmazonBedrockKnowledgeBase/AmazonBedrockKnowledgeBase.node';
import { createBedrockAdapter } from '../../nodes/AmazonBedrockKnowledgeBase/AmazonBedrockKnowledgeBaseAdapter';
import { AmazonBedrockKnowledgeBaseTrigger } from '../../nodes/AmazonBedrockKnowledgeBase/AmazonBedrockKnowledgeBaseTrigger.node';
import { realClock } from '../../nodes/shared/clock';
import { executeIndexingStatus } from '../../nodes/shared/execute';
import { pollIndexingStatus } from '../../nodes/shared/poll';
import type { SimulatorTime } from '../bailian/simulatorTime';
import { runListSearch, runNode, runPoll } from '../harness';
import type { HarnessCredentials } from '../harness';
import { useSimulatorTime } from '../helpers/simulatedTime';
import { type Simulator, bedrockDocumentScript, bedrockJobScript, startSimulator } from '../simulator';

const time = realClock as unknown as SimulatorTime;

const KEY = { accessKeyId: 'AKIABEDROCKSIM000001', secretAccessKey: 'bedrockSECRETkey/0000+integration000001' };
const TEMP = {
	accessKeyId: 'ASIABEDROCKSIM000002',
	secretAccessKey: 'bedrockTEMPsecret/0000+integration000002',
	sessionToken: 'IQoJb3JpZ2luX2VjEBedrockSimSESSIONtoken/////////wEaCXVzLWVhc3QtMSJH+example=',
};
const NO_DOCUMENTS = { accessKeyId: 'AKIABEDROCKSIM000003', secretAccessKey: 'bedrockJOBSONLYsecret/0000+integration03' };
const SECRETS = [KEY.secretAccessKey, TEMP.secretAccessKey, TEMP.sessionToken, NO_DOCUMENTS.secretAccessKey];

let sim: Simulator;
let kb: string;
let unwire: () => void;

beforeAll(async () => {
	sim = await startSimulator({ seed: 19 });
	unwire = useSimulatorTime(time, sim);
	sim.bedrock.addAccessKey(KEY);
	sim.bedrock.addAccessKey(TEMP);
	sim.bedrock.addAccessKey({ ...NO_DOCUMENTS, allow: ['bedrock:GetIngestionJob', 'bedrock:GetDataSource'] });
	kb = sim.bedrock.addKnowledgeBase({ name: 'Handbook' });
});

afterAll(async () => {
	unwire();
	await sim.close();
});

afterEach(() => {
	sim.clearFaults();
	sim.clearRequests();
	sim.bedrock.statusCalls.length = 0;
	sim.bedrock.operations.length = 0;
});

function credentials(data: IDataObject = {}): HarnessCredentials {
	return { type: 'amazonBedrockKnowledgeBaseApi', data: { ...KEY, region: 'us-east-1', endpoint: sim.bedrock.baseUrl, ...data } };
}

function runAction(
	parameters: INodeParameters,
	input: IDataObject[] = [{}],
	extra: { continueOnFail?: boolean; credentials?: HarnessCredentials; smallPages?: boolean } = {},
) {
	return runNode({
		node: extra.smallPages ? new BedrockSmallPages() : new AmazonBedrockKnowledgeBase(),
		parameters,
		input,
		credentials: extra.credentials ?? credentials(),
		credentialTypes: [new AmazonBedrockKnowledgeBaseApi()],
		continueOnFail: extra.continueOnFail,
	});
}

/** The nodes as shipped, but listing documents 10 a page, so that a test job spans pages. */
class BedrockSmallPages extends AmazonBedrockKnowledgeBase {
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeIndexingStatus.call(this, createBedrockAdapter(10));
	}
}

class BedrockTriggerSmallPages extends AmazonBedrockKnowledgeBaseTrigger {
	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollIndexingStatus.call(this, createBedrockAdapter(10));
	}
}

function pollTrigger(
	parameters: INodeParameters,
	staticData: IDataObject,
	mode: 'trigger' | 'manual' = 'trigger',
	paging: { smallPages?: boolean; pollBudgetMs?: number } = {},
) {
	return runPoll({
		node: paging.smallPages ? new BedrockTriggerSmallPages() : new AmazonBedrockKnowledgeBaseTrigger(),
		parameters,
		staticData,
		mode,
		credentials: credentials(),
		credentialTypes: [new AmazonBedrockKnowledgeBaseApi()],
		pollBudgetMs: paging.pollBudgetMs,
	});
}

const jsonOf = (items: Array<{ json: IDataObject }>) => items.map((item) => item.json);
/** What one poll emitted (poll() returns null for nothing new). */
const emitted = (items: Array<Array<{ json: IDataObject }>> | null) => (items === null ? [] : jsonOf(items[0]));
const requests = () => sim.requestsTo('bedrock');

describe('Amazon Bedrock Knowledge Base: an ingestion job', () => {
	it('reads the job id of a StartIngestionJob answer by default, and sends one signed GET without a trailing slash', async () => {
		const ds = sim.bedrock.addDataSource(kb);
		const job = sim.bedrock.addJob(kb, ds, { documents: [{ id: 'a' }] });
		const started = { ingestionJob: { knowledgeBaseId: kb, dataSourceId: ds, ingestionJobId: job, status: 'STARTING' } };

		const run = await runAction({ operation: 'getIndexingStatus', knowledgeBaseId: kb, dataSourceId: ds }, [started], { credentials: credentials(TEMP) });

		expect(run.error).toBeUndefined();
		expect(jsonOf(run.items)).toEqual([
			expect.objectContaining({ vendor: 'bedrock', knowledgeBaseId: kb, jobId: job, documentId: null, status: 'queued', terminal: false, vendorStatus: 'STARTING', jobStatus: 'STARTING' }),
		]);
		const [call] = requests();
		expect(requests()).toHaveLength(1);
		expect([call.method, call.path]).toEqual(['GET', `/knowledgebases/${kb}/datasources/${ds}/ingestionjobs/${job}`]);
		expect(call.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=ASIABEDROCKSIM000002\/\d{8}\/us-east-1\/bedrock\/aws4_request, /);
		expect(call.headers['x-amz-security-token']).toBe(TEMP.sessionToken);
	});

	it('waits with one GetIngestionJob a round, then gives the documents the job touched', async () => {
		const ds = sim.bedrock.addDataSource(kb);
		sim.bedrock.addDocuments(kb, ds, [{ id: 'older', script: [{ state: { status: 'INDEXED' } }] }]);
		sim.clock.advance(60_000);
		const job = sim.bedrock.addJob(kb, ds, {
			script: bedrockJobScript({ running: 2 }),
			documents: [
				{ id: 'guide', script: [{ state: { status: 'INDEXED' } }] },
				{ id: 'scan', script: [{ state: { status: 'IGNORED', statusReason: 'unsupported file type' } }] },
			],
		});

		const run = await runAction({ operation: 'waitUntilIndexed', knowledgeBaseId: kb, dataSourceId: ds, watch: 'ingestionJob', ingestionJobId: job, pollInterval: 1, timeout: 120 });

		expect(run.error).toBeUndefined();
		expect(jsonOf(run.items)).toEqual([
			expect.objectContaining({ documentId: 'guide', jobId: job, jobStatus: 'COMPLETE', status: 'completed', vendorStatus: 'INDEXED', wait: expect.objectContaining({ timedOut: false }) }),
			expect.objectContaining({ documentId: 'scan', status: 'failed', error: { code: 'IGNORED', message: 'unsupported file type' } }),
		]);
		// STARTING, IN_PROGRESS ×2, COMPLETE: four job reads, then one document page.
		expect(sim.bedrock.operations).toEqual(['GetIngestionJob', 'GetIngestionJob', 'GetIngestionJob', 'GetIngestionJob', 'ListKnowledgeBaseDocuments']);
		expect(JSON.parse(requests()[4].body)).toEqual({ maxResults: 1000 });
	});

	it('reads every page of an ended job\'s document list in one round, each document once, the failed job\'s item last', async () => {
		const ds = sim.bedrock.addDataSource(kb);
		sim.bedrock.addDocuments(kb, ds, Array.from({ length: 7 }, (_, i) => ({ id: `before-${i}`, script: [{ state: { status: 'INDEXED' as const } }] })));
		sim.clock.advance(60_000);
		const touched = Array.from({ length: 18 }, (_, i) => `touched-${i}`);
		const job = sim.bedrock.addJob(kb, ds, {
			script: [{ state: { status: 'FAILED', failureReasons: ['the role lacks s3:GetObject'] } }],
			documents: touched.map((id) => ({ id, script: [{ state: { status: 'INDEXED' as const } }] })),
		});
		const run = await runAction({ operation: 'getIndexingStatus', knowledgeBaseId: kb, dataSourceId: ds, watch: 'ingestionJob', ingestionJobId: job }, [{}], { smallPages: true });
		expect(run.error).toBeUndefined();
		expect(jsonOf(run.items).map((item) => item.documentId)).toEqual([...touched, null]);
		expect(jsonOf(run.items).at(-1)).toMatchObject({ status: 'failed', jobStatus: 'FAILED', error: { code: 'FAILED', message: 'the role lacks s3:GetObject' } });
		expect(sim.bedrock.operations).toEqual(['GetIngestionJob', 'ListKnowledgeBaseDocuments', 'ListKnowledgeBaseDocuments', 'ListKnowledgeBaseDocuments']);
	});

	it('gives one failed job item, code stopped, for a stopped job that touched nothing', async () => {
		const ds = sim.bedrock.addDataSource(kb);
		const job = sim.bedrock.addJob(kb, ds, { script: [{ state: { status: 'STOPPED' } }] });
		const run = await runAction({ operation: 'getIndexingStatus', knowledgeBaseId: kb, dataSourceId: ds, watch: 'ingestionJob', ingestionJobId: job });
		expect(jsonOf(run.items)).toEqual([expect.objectContaining({ documentId: null, status: 'failed', jobStatus: 'STOPPED', error: expect.objectContaining({ code: 'stopped' }) })]);
	});

	it('names the missing bedrock: permission, without a secret in the error', async () => {
		const ds = sim.bedrock.addDataSource(kb);
		const job = sim.bedrock.addJob(kb, ds, { script: [{ state: { status: 'COMPLETE' } }], documents: [{ id: 'x' }] });
		const run = await runAction(
			{ operation: 'getIndexingStatus', knowledgeBaseId: kb, dataSourceId: ds, watch: 'ingestionJob', ingestionJobId: job },
			[{}],
			{ continueOnFail: true, credentials: credentials(NO_DOCUMENTS) },
		);
		const text = JSON.stringify(run.items);
		expect(text).toContain('AccessDeniedException');
		expect(text).toContain('bedrock:ListKnowledgeBaseDocuments');
		for (const secret of SECRETS) expect(text).not.toContain(secret.slice(0, 8));
	});

	it('says which id Bedrock did not find', async () => {
		const ds = sim.bedrock.addDataSource(kb);
		const run = await runAction(
			{ operation: 'getIndexingStatus', knowledgeBaseId: kb, dataSourceId: ds, watch: 'ingestionJob', ingestionJobId: 'ZZZZZZZZZZ' },
			[{}],
			{ continueOnFail: true },
		);
		expect(JSON.stringify(run.items)).toContain('check Ingestion Job ID');
	});
});

describe('Amazon Bedrock Knowledge Base: documents', () => {
	it('asks custom ids 10 a call, only while unsettled, after one GetDataSource', async () => {
		const ds = sim.bedrock.addDataSource(kb, { type: 'CUSTOM' });
		const ids = Array.from({ length: 12 }, (_, i) => `doc-${i}`);
		sim.bedrock.addDocuments(kb, ds, ids.map((id, i) => ({ id, script: i < 10 ? [{ state: { status: 'INDEXED' } }] : bedrockDocumentScript({ processing: 1 }) })));

		const run = await runAction({ operation: 'waitUntilIndexed', knowledgeBaseId: kb, dataSourceId: ds, watch: 'documents', documentIds: ids.join(','), pollInterval: 1, timeout: 120 });

		expect(run.error).toBeUndefined();
		expect(jsonOf(run.items).map((item) => [item.documentId, item.status])).toEqual(ids.map((id) => [id, 'completed']));
		expect(sim.bedrock.operations[0]).toBe('GetDataSource');
		expect(sim.bedrock.operations.filter((op) => op === 'GetDataSource')).toHaveLength(1);
		const sizes = sim.bedrock.statusCalls.map((call) => call.identifiers.length);
		expect(sizes.slice(0, 2)).toEqual([10, 2]);
		// After the first round only the two unsettled documents are asked about.
		expect(sizes.slice(2).every((size) => size === 2)).toBe(true);
		expect(sim.bedrock.statusCalls[0].identifiers[0]).toEqual({ dataSourceType: 'CUSTOM', custom: { id: 'doc-0' } });
	});

	it('takes S3 URIs from their text, with no GetDataSource', async () => {
		const ds = sim.bedrock.addDataSource(kb, { type: 'S3' });
		sim.bedrock.addDocuments(kb, ds, [{ id: 's3://bucket/a.pdf', script: [{ state: { status: 'PARTIALLY_INDEXED' } }] }]);
		const run = await runAction({ operation: 'getIndexingStatus', knowledgeBaseId: kb, dataSourceId: ds, watch: 'documents', documentIds: ['s3://bucket/a.pdf', 's3://bucket/gone.pdf'] });
		expect(jsonOf(run.items)).toEqual([
			expect.objectContaining({ documentId: 's3://bucket/a.pdf', status: 'completed', vendorStatus: 'PARTIALLY_INDEXED' }),
			expect.objectContaining({ documentId: 's3://bucket/gone.pdf', status: 'not_found', vendorStatus: 'NOT_FOUND' }),
		]);
		expect(sim.bedrock.operations).toEqual(['GetKnowledgeBaseDocuments']);
	});

	it('names the first id that does not fit an S3 data source, before any status call', async () => {
		const ds = sim.bedrock.addDataSource(kb, { type: 'S3' });
		const run = await runAction(
			{ operation: 'getIndexingStatus', knowledgeBaseId: kb, dataSourceId: ds, watch: 'documents', documentIds: 's3://bucket/a.pdf, guide.pdf' },
			[{}],
			{ continueOnFail: true },
		);
		expect(JSON.stringify(run.items)).toContain('Document IDs holds \\"guide.pdf\\", which is not an S3 URI');
		expect(sim.bedrock.operations).toEqual(['GetDataSource']);
	});

	it('refuses documents by id on a data source type that has none (WEB)', async () => {
		const ds = sim.bedrock.addDataSource(kb, { type: 'WEB' });
		const run = await runAction({ operation: 'getIndexingStatus', knowledgeBaseId: kb, dataSourceId: ds, watch: 'documents', documentIds: 'page-1' }, [{}], { continueOnFail: true });
		expect(JSON.stringify(run.items)).toContain('is of type WEB');
		expect(sim.bedrock.statusCalls).toHaveLength(0);
	});

	it('retries throttling and server errors, and answers every input item', async () => {
		const ds = sim.bedrock.addDataSource(kb, { type: 'CUSTOM' });
		sim.bedrock.addDocuments(kb, ds, [{ id: 'x', script: [{ state: { status: 'INDEXED' } }] }]);
		sim.bedrock.throttle(1);
		sim.bedrock.failNext('InternalServerException', 'try again');
		const run = await runAction({ operation: 'getIndexingStatus', knowledgeBaseId: kb, dataSourceId: ds, watch: 'documents', documentIds: '={{ $json.id }}' }, [{ id: 'x' }, { id: 'x' }]);
		expect(jsonOf(run.items).map((item) => item.status)).toEqual(['completed', 'completed']);
		expect(sim.bedrock.errorsAnswered.slice(-2)).toEqual(['ThrottlingException', 'InternalServerException']);
	});
});

describe('Amazon Bedrock Knowledge Base Trigger', () => {
	it('records a baseline of the whole data source, then emits documents that finish', async () => {
		const ds = sim.bedrock.addDataSource(kb);
		sim.bedrock.addDocuments(kb, ds, [{ id: 'old', script: [{ state: { status: 'INDEXED' } }] }]);
		const staticData: IDataObject = {};
		const parameters = { knowledgeBaseId: kb, dataSourceId: ds, watch: 'dataSource' };
		expect(emitted((await pollTrigger(parameters, staticData)).items)).toEqual([]);
		sim.clock.advance(60_000);
		sim.bedrock.addDocuments(kb, ds, [{ id: 'new', script: bedrockDocumentScript({ processing: 1 }) }]);
		expect(emitted((await pollTrigger(parameters, staticData)).items)).toEqual([]);
		sim.clock.advance(60_000);
		await pollTrigger(parameters, staticData);
		const finished = await pollTrigger(parameters, staticData);
		expect(emitted(finished.items)).toEqual([expect.objectContaining({ documentId: 'new', status: 'completed' })]);
		expect(emitted((await pollTrigger(parameters, staticData)).items)).toEqual([]);
	});

	it('fires for a job once, when it has ended', async () => {
		const ds = sim.bedrock.addDataSource(kb);
		const job = sim.bedrock.addJob(kb, ds, { script: bedrockJobScript({ running: 1 }), documents: [{ id: 'j', script: [{ state: { status: 'INDEXED' } }] }] });
		const staticData: IDataObject = {};
		const parameters = { knowledgeBaseId: kb, dataSourceId: ds, watch: 'ingestionJob', ingestionJobId: job, event: 'allFinished' };
		const fired: IDataObject[] = [];
		for (let i = 0; i < 5; i++) fired.push(...emitted((await pollTrigger(parameters, staticData)).items));
		expect(fired).toEqual([expect.objectContaining({ vendor: 'bedrock', jobId: job, status: 'completed', total: 1 })]);
	});
});

describe('Amazon Bedrock Knowledge Base Trigger: a job whose document list takes several polls', () => {
	/**
	 * 5 documents from before the job, then the job's 45, 10 a page: 5 pages. Each page takes
	 * 1.5 s on the simulated clock; a poll's budget of 5 s (4 s for calls) leaves time for
	 * GetIngestionJob and 3 pages, so the list takes two polls.
	 */
	const JOB_DOCUMENTS = Array.from({ length: 45 }, (_, i) => `doc-${String(i).padStart(2, '0')}`);
	let slowPages: () => void = () => {};
	beforeEach(() => {
		slowPages = sim.addRequestListener((entry) => {
			if (entry.vendor === 'bedrock' && entry.method === 'POST' && /\/documents$/.test(entry.path)) sim.clock.advance(1500);
		});
	});
	afterEach(() => slowPages());

	function jobWithManyDocuments(end: { status: 'COMPLETE' | 'STOPPED'; failureReasons?: string[] } = { status: 'COMPLETE' }) {
		const ds = sim.bedrock.addDataSource(kb);
		sim.bedrock.addDocuments(kb, ds, Array.from({ length: 5 }, (_, i) => ({ id: `old-${i}`, script: [{ state: { status: 'INDEXED' as const } }] })));
		sim.clock.advance(60_000);
		const job = sim.bedrock.addJob(kb, ds, {
			script: bedrockJobScript({ running: 1, end }),
			documents: JOB_DOCUMENTS.map((id) => ({ id, script: [{ state: { status: 'INDEXED' as const } }] })),
		});
		return { ds, job };
	}

	/** Polls `count` times, 10 s apart, and says what each poll reported and which calls it made. */
	async function pollJob(parameters: INodeParameters, staticData: IDataObject, count: number, between?: (poll: number) => void) {
		const reported: IDataObject[][] = [];
		const calls: string[][] = [];
		for (let poll = 0; poll < count; poll++) {
			between?.(poll);
			const before = sim.bedrock.operations.length;
			reported.push(emitted((await pollTrigger(parameters, staticData, 'trigger', { smallPages: true, pollBudgetMs: 5000 })).items));
			calls.push(sim.bedrock.operations.slice(before));
			sim.clock.advance(10_000);
		}
		return { reported, calls };
	}

	/** Where each ListKnowledgeBaseDocuments call started: 0 without a token, else the offset the simulator's token names. */
	const listOffsets = () =>
		requests()
			.filter((call) => call.method === 'POST' && /\/documents$/.test(call.path))
			.map((call) => {
				const body = JSON.parse(call.body) as { maxResults: number; nextToken?: string };
				expect(body.maxResults).toBe(10);
				return body.nextToken === undefined ? 0 : Number(/^sim-next:(\d+)$/.exec(Buffer.from(body.nextToken, 'base64').toString('utf8'))?.[1]);
			});

	it('goes on with the list where the last poll stopped, and reports each document of the job once', async () => {
		const { ds, job } = jobWithManyDocuments();
		const staticData: IDataObject = {};
		const { reported, calls } = await pollJob({ knowledgeBaseId: kb, dataSourceId: ds, watch: 'ingestionJob', ingestionJobId: job }, staticData, 6);

		const LIST = 'ListKnowledgeBaseDocuments';
		// Two polls while the job runs; the poll that sees it ended reads 3 pages, the next one
		// the other 2 without reading the job again; then the job is done: no call.
		expect(calls).toEqual([['GetIngestionJob'], ['GetIngestionJob'], ['GetIngestionJob', LIST, LIST, LIST], [LIST, LIST], [], []]);
		expect(listOffsets()).toEqual([0, 10, 20, 30, 40]);
		expect(reported.map((items) => items.map((item) => item.documentId))).toEqual([[], [], JOB_DOCUMENTS.slice(0, 25), JOB_DOCUMENTS.slice(25), [], []]);
		expect(reported[3]).toEqual(
			expect.arrayContaining([expect.objectContaining({ jobId: job, jobStatus: 'COMPLETE', status: 'completed', vendorStatus: 'INDEXED' })]),
		);
	});

	it('fires All Finished once, when the last page has been read', async () => {
		const { ds, job } = jobWithManyDocuments();
		const { reported, calls } = await pollJob({ knowledgeBaseId: kb, dataSourceId: ds, watch: 'ingestionJob', ingestionJobId: job, event: 'allFinished' }, {}, 6);
		expect(calls.map((operations) => operations.length)).toEqual([1, 1, 4, 2, 0, 0]);
		// The summary counts every document of the job, though the poll that ended the pass read
		// only the last 20 of them (and lists those).
		expect(reported).toEqual([
			[],
			[],
			[],
			[expect.objectContaining({ vendor: 'bedrock', jobId: job, status: 'completed', total: 45, counts: expect.objectContaining({ completed: 45 }) })],
			[],
			[],
		]);
		expect((reported[3][0].documents as IDataObject[]).length).toBe(20);
	});

	it('reads the job again from its first page when AWS refuses the nextToken kept in its cursor, and still reports each document once', async () => {
		const { ds, job } = jobWithManyDocuments();
		const staticData: IDataObject = {};
		const { reported, calls } = await pollJob({ knowledgeBaseId: kb, dataSourceId: ds, watch: 'ingestionJob', ingestionJobId: job }, staticData, 6, (poll) => {
			if (poll !== 3) return;
			// The token that the last poll kept expired while n8n was down.
			const setPass = (staticData.indexingStatus as { setPass: { nextCursor: string } }).setPass;
			setPass.nextCursor = JSON.stringify({ ...JSON.parse(setPass.nextCursor), token: Buffer.from('sim-expired').toString('base64') });
		});
		expect(calls[3]).toEqual(['ListKnowledgeBaseDocuments', 'GetIngestionJob', 'ListKnowledgeBaseDocuments', 'ListKnowledgeBaseDocuments']);
		expect(sim.bedrock.errorsAnswered.at(-1)).toBe('ValidationException');
		expect(reported.flat().map((item) => item.documentId).sort()).toEqual(JOB_DOCUMENTS);
	});

	it('reads the whole data source again from its first page when AWS refuses the kept nextToken, and reports what finished', async () => {
		const { ds } = jobWithManyDocuments();
		sim.clock.advance(60_000);
		const staticData: IDataObject = {};
		const parameters = { knowledgeBaseId: kb, dataSourceId: ds, watch: 'dataSource' };
		// The baseline takes two polls (5 pages, 3 fit in one); then a new document finishes.
		const first = await pollJob(parameters, staticData, 2);
		expect(first.reported).toEqual([[], []]);
		sim.bedrock.addDocuments(kb, ds, [{ id: 'late', script: [{ state: { status: 'INDEXED' as const } }] }]);
		const next = await pollJob(parameters, staticData, 1);
		expect(next.calls).toEqual([['ListKnowledgeBaseDocuments', 'ListKnowledgeBaseDocuments', 'ListKnowledgeBaseDocuments']]);
		// The token that poll kept expired while n8n was down: AWS answers ValidationException.
		const listing = (staticData.indexingStatus as { listing: { nextCursor: string } }).listing;
		expect(listing.nextCursor).toEqual(expect.any(String));
		listing.nextCursor = Buffer.from('sim-expired').toString('base64');
		const after = await pollJob(parameters, staticData, 1);
		expect(after.calls).toEqual([['ListKnowledgeBaseDocuments', 'ListKnowledgeBaseDocuments', 'ListKnowledgeBaseDocuments']]);
		expect(sim.bedrock.errorsAnswered.at(-1)).toBe('ValidationException');
		expect(listOffsets().slice(-3)).toEqual([Number.NaN, 0, 10]);
		// The pass goes on from there; the new document is reported once, at the pass's end.
		const rest = await pollJob(parameters, staticData, 3);
		expect([...first.reported, ...next.reported, ...after.reported, ...rest.reported].flat().map((item) => item.documentId)).toEqual(['late']);
	});

	it('reads the job again from its first page when the kept cursor cannot be read, and still reports each item once', async () => {
		const { ds, job } = jobWithManyDocuments({ status: 'STOPPED', failureReasons: ['Stopped by the user'] });
		const staticData: IDataObject = {};
		const { reported, calls } = await pollJob({ knowledgeBaseId: kb, dataSourceId: ds, watch: 'ingestionJob', ingestionJobId: job }, staticData, 6, (poll) => {
			// A cursor damaged in the database, or of another form.
			if (poll === 3) (staticData.indexingStatus as { setPass: { nextCursor: string } }).setPass.nextCursor = '{"v":1,"token":';
		});
		expect(calls[3]).toEqual(['GetIngestionJob', 'ListKnowledgeBaseDocuments', 'ListKnowledgeBaseDocuments', 'ListKnowledgeBaseDocuments']);
		expect(listOffsets()).toEqual([0, 10, 20, 0, 10, 20, 30, 40]);
		const ids = reported.flat().map((item) => item.documentId);
		// The stopped job's own item comes once, beside its documents, on the list's last page.
		expect(ids).toEqual([...JOB_DOCUMENTS, null]);
		expect(reported.flat().at(-1)).toMatchObject({ jobId: job, status: 'failed', error: { code: 'stopped', message: 'Stopped by the user' } });
		expect(calls.slice(-1)).toEqual([[]]);
	});
});

describe('the knowledge base and data source lists', () => {
	it('lists knowledge bases with console links, and the data sources of the chosen one', async () => {
		const ds = sim.bedrock.addDataSource(kb, { name: 'Policies' });
		const bases = await runListSearch({
			node: new AmazonBedrockKnowledgeBase(),
			method: 'searchKnowledgeBases',
			filter: 'hand',
			parameters: {},
			credentials: credentials(),
			credentialTypes: [new AmazonBedrockKnowledgeBaseApi()],
		});
		expect(bases.results).toEqual([
			expect.objectContaining({ value: kb, name: expect.stringContaining('Handbook'), url: `https://us-east-1.console.aws.amazon.com/bedrock/home?region=us-east-1#/knowledge-bases/knowledge-base/Handbook/${kb}/0` }),
		]);
		const sources = await runListSearch({
			node: new AmazonBedrockKnowledgeBase(),
			method: 'searchDataSources',
			filter: 'polic',
			parameters: { knowledgeBaseId: { __rl: true, mode: 'list', value: kb } },
			credentials: credentials(),
			credentialTypes: [new AmazonBedrockKnowledgeBaseApi()],
		});
		expect(sources.results).toEqual([expect.objectContaining({ value: ds, name: expect.stringContaining('Policies') })]);
	});
});

describe('the example workflow (examples/bedrock-wait-after-start-ingestion.json)', () => {
	it('waits for the job a StartIngestionJob answer names, with the parameters as saved, and gives one summary item', async () => {
		const workflow = JSON.parse(readFileSync(join(__dirname, '../../examples/bedrock-wait-after-start-ingestion.json'), 'utf8')) as {
			nodes: Array<{ type: string; parameters: INodeParameters }>;
		};
		const saved = workflow.nodes.find((node) => node.type === 'n8n-nodes-indexing-status.amazonBedrockKnowledgeBase');
		const ds = sim.bedrock.addDataSource(kb);
		const job = sim.bedrock.addJob(kb, ds, { script: bedrockJobScript({ running: 1 }), documents: [{ id: 'welcome', script: [{ state: { status: 'INDEXED' } }] }] });
		const parameters = JSON.parse(JSON.stringify(saved?.parameters).replace(/YOUR-KNOWLEDGE-BASE-ID/g, kb).replace(/YOUR-DATA-SOURCE-ID/g, ds)) as INodeParameters;

		const run = await runAction(parameters, [{ ingestionJob: { knowledgeBaseId: kb, dataSourceId: ds, ingestionJobId: job, status: 'STARTING' } }]);

		expect(run.error).toBeUndefined();
		expect(jsonOf(run.items)).toEqual([expect.objectContaining({ vendor: 'bedrock', jobId: job, status: 'completed', total: 1, documents: [expect.objectContaining({ documentId: 'welcome' })] })]);
	});
});
