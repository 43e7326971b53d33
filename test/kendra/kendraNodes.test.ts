/**
 * The Amazon Kendra nodes and credential run through n8n-core (see test/harness) against the
 * simulated Kendra, which checks every SigV4 signature: parameters, expressions, the
 * credential's authenticate, pairing and errors are real.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { AmazonKendraApi } from '../../credentials/AmazonKendraApi.credentials';
import { AmazonKendra } from '../../nodes/AmazonKendra/AmazonKendra.node';
import { STATUS_BATCH_SIZE } from '../../nodes/AmazonKendra/AmazonKendraAdapter';
import { AmazonKendraTrigger } from '../../nodes/AmazonKendra/AmazonKendraTrigger.node';
import { runNode, runPoll, testCredential } from '../harness';
import type { HarnessCredentials } from '../harness';
import { type Simulator, kendraIndexedScript, kendraScript, startSimulator } from '../simulator';

const KEY = { accessKeyId: 'AKIAKENDRASIM0000001', secretAccessKey: 'kendraSECRETkey/0000+integration0000001' };
const TEMP = {
	accessKeyId: 'ASIAKENDRASIM0000002',
	secretAccessKey: 'kendraTEMPsecret/0000+integration0000002',
	sessionToken: 'IQoJb3JpZ2luX2VjEKendraSimSESSIONtoken//////////wEaCXVzLWVhc3QtMSJH+example=',
};
const EXPIRED = {
	accessKeyId: 'ASIAKENDRASIM0000003',
	secretAccessKey: 'kendraEXPIREDsecret/0000+integration003',
	sessionToken: 'IQoJb3JpZ2luX2VjEKendraSimEXPIREDtoken/////////wEaCXVzLWVhc3QtMSJH+example=',
};
const READ_ONLY = { accessKeyId: 'AKIAKENDRASIM0000004', secretAccessKey: 'kendraLISTONLYsecret/0000+integration04' };

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ seed: 11 });
	sim.kendra.addAccessKey(KEY);
	sim.kendra.addAccessKey(TEMP);
	sim.kendra.addAccessKey({ ...EXPIRED, expiresAt: Date.now() - 60_000 });
	sim.kendra.addAccessKey({ ...READ_ONLY, allow: ['kendra:ListIndices'] });
});

afterAll(async () => {
	await sim.close();
});

afterEach(() => {
	sim.clearFaults();
	sim.clearRequests();
	sim.kendra.statusCalls.length = 0;
	sim.kendra.errorsAnswered.length = 0;
});

function credentials(data: IDataObject = {}): HarnessCredentials {
	return { type: 'amazonKendraApi', data: { ...KEY, region: 'us-east-1', endpoint: sim.kendra.baseUrl, ...data } };
}

function runAction(
	parameters: INodeParameters,
	input: IDataObject[] = [{}],
	extra: { continueOnFail?: boolean; credentials?: HarnessCredentials } = {},
) {
	return runNode({
		node: new AmazonKendra(),
		parameters,
		input,
		credentials: extra.credentials ?? credentials(),
		credentialTypes: [new AmazonKendraApi()],
		continueOnFail: extra.continueOnFail,
	});
}

function pollTrigger(parameters: INodeParameters, staticData: IDataObject, mode: 'trigger' | 'manual' = 'trigger') {
	return runPoll({
		node: new AmazonKendraTrigger(),
		parameters,
		staticData,
		mode,
		credentials: credentials(),
		credentialTypes: [new AmazonKendraApi()],
	});
}

const statusRequests = () =>
	sim.requestsTo('kendra').filter((r) => r.headers['x-amz-target'] === 'AWSKendraFrontendService.BatchGetDocumentStatus');
const sentIds = (body: string) => (JSON.parse(body) as { DocumentInfoList: Array<{ DocumentId: string }> }).DocumentInfoList.map((d) => d.DocumentId);
const jsonOf = (items: Array<{ json: IDataObject }>) => items.map((item) => item.json);

/** Every secret the tests use; none may appear in any output. */
const SECRETS = [KEY.secretAccessKey, TEMP.secretAccessKey, TEMP.sessionToken, EXPIRED.secretAccessKey, EXPIRED.sessionToken];

describe('Amazon Kendra: Get Indexing Status', () => {
	it('reads the accepted ids of a BatchPutDocument by default, and sends a signed awsJson1_1 call', async () => {
		const indexId = sim.kendra.addIndex();
		sim.kendra.addDocuments(indexId, [
			{ id: 'guide.pdf', script: kendraIndexedScript() },
			{ id: 's3://bucket/faq,v2.html', script: kendraScript({ processing: 3 }) },
		]);
		// A BatchPutDocument request and its answer in one item: the rejected document is left out.
		const put = {
			IndexId: indexId,
			Documents: [{ Id: 'guide.pdf' }, { Id: 's3://bucket/faq,v2.html' }, { Id: 'empty.txt' }],
			FailedDocuments: [{ Id: 'empty.txt', ErrorCode: 'InvalidRequest', ErrorMessage: 'The document is empty' }],
		};

		const run = await runAction({ operation: 'getIndexingStatus', indexId }, [put]);

		expect(run.error).toBeUndefined();
		expect(jsonOf(run.items)).toEqual([
			expect.objectContaining({
				vendor: 'kendra',
				knowledgeBaseId: indexId,
				jobId: null,
				documentId: 'guide.pdf',
				documentName: null,
				status: 'completed',
				terminal: true,
				vendorStatus: 'INDEXED',
				progress: 100,
				error: null,
				requestId: expect.stringMatching(/^5e1a0c7d-/),
			}),
			expect.objectContaining({ documentId: 's3://bucket/faq,v2.html', status: 'processing', terminal: false, vendorStatus: 'PROCESSING', progress: null }),
		]);
		expect(run.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		const [call] = statusRequests();
		expect(statusRequests()).toHaveLength(1);
		expect(call.method).toBe('POST');
		expect(call.path).toBe('/');
		expect(call.headers['content-type']).toBe('application/x-amz-json-1.1');
		expect(call.headers.authorization).toMatch(
			/^AWS4-HMAC-SHA256 Credential=AKIAKENDRASIM0000001\/\d{8}\/us-east-1\/kendra\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$/,
		);
		expect(JSON.parse(call.body)).toEqual({
			IndexId: indexId,
			DocumentInfoList: [{ DocumentId: 'guide.pdf' }, { DocumentId: 's3://bucket/faq,v2.html' }],
		});
	});

	it('names the field when the index id is not 36 characters, and sends nothing', async () => {
		const run = await runAction({ operation: 'getIndexingStatus', indexId: '0123abcd-0000-1111-2222-33334444555', documentIds: 'a' }, [{}], {
			continueOnFail: true,
		});
		expect(run.items).toHaveLength(1);
		expect(String(run.items[0].json.error)).toMatch(/^Index ID "0123abcd-0000-1111-2222-33334444555" is not an Amazon Kendra index ID: expected 36 characters/);
		expect(String(run.items[0].json.error)).toContain('(35 characters given)');
		expect(sim.requestsTo('kendra')).toHaveLength(0);
	});

	it('names the field when the default finds no Documents in the input', async () => {
		const indexId = sim.kendra.addIndex();
		const run = await runAction({ operation: 'getIndexingStatus', indexId }, [{ FailedDocuments: [] }], { continueOnFail: true });
		expect(String(run.items[0].json.error)).toMatch(/^Document IDs is empty/);
		expect(String(run.items[0].json.error)).toContain('Documents[].Id of a BatchPutDocument request');
		expect(sim.requestsTo('kendra')).toHaveLength(0);
	});

	it('lists a document Kendra could not read (Errors[]) as unknown with its error, dropping none', async () => {
		const indexId = sim.kendra.addIndex();
		sim.kendra.addDocuments(indexId, [
			{ id: 'ok.txt', script: kendraIndexedScript() },
			{
				id: 'flaky.txt',
				dataSourceId: 'ds-1',
				script: [{ state: { error: { code: 'InternalError', message: 'Could not retrieve the status' } } }],
			},
		]);

		const run = await runAction({ operation: 'getIndexingStatus', indexId, documentIds: 'ok.txt, flaky.txt, never-put.txt', options: { includeRaw: true } });

		expect(jsonOf(run.items)).toEqual([
			expect.objectContaining({ documentId: 'ok.txt', status: 'completed' }),
			expect.objectContaining({
				documentId: 'flaky.txt',
				status: 'unknown',
				terminal: false,
				vendorStatus: null,
				error: { code: 'InternalError', message: 'Could not retrieve the status' },
				raw: { DocumentId: 'flaky.txt', DataSourceId: 'ds-1', ErrorCode: 'InternalError', ErrorMessage: 'Could not retrieve the status' },
			}),
			expect.objectContaining({ documentId: 'never-put.txt', status: 'not_found', terminal: true, vendorStatus: 'NOT_FOUND', progress: null }),
		]);
		expect(sim.kendra.statusCalls[0].answered).toEqual({ 'ok.txt': 'INDEXED', 'flaky.txt': 'ERROR', 'never-put.txt': 'NOT_FOUND' });
	});

	it('sends the Document Version option as attributes of every document', async () => {
		const indexId = sim.kendra.addIndex();
		sim.kendra.addDocuments(indexId, [{ id: 'synced.pdf', dataSourceId: 'ds-7', jobExecutionId: 'job-42', script: kendraIndexedScript() }]);
		const documentVersion = { values: { dataSourceId: 'ds-7', jobExecutionId: 'job-42', version: '3' } };

		const run = await runAction({ operation: 'getIndexingStatus', indexId, documentIds: 'synced.pdf', options: { documentVersion } });

		expect(run.items[0].json).toMatchObject({ documentId: 'synced.pdf', status: 'completed' });
		expect(JSON.parse(statusRequests()[0].body).DocumentInfoList).toEqual([
			{
				DocumentId: 'synced.pdf',
				Attributes: [
					{ Key: 'datasourceId', Value: { StringValue: 'ds-7' } },
					{ Key: 'jobExecutionId', Value: { StringValue: 'job-42' } },
					{ Key: 'version', Value: { StringValue: '3' } },
				],
			},
		]);

		const half = await runAction(
			{ operation: 'getIndexingStatus', indexId, documentIds: 'synced.pdf', options: { documentVersion: { values: { dataSourceId: 'ds-7' } } } },
			[{}],
			{ continueOnFail: true },
		);
		expect(String(half.items[0].json.error)).toBe(
			'Document Version needs both Data Source ID and Sync Job ID (Kendra takes them together): Sync Job ID is empty',
		);
		expect(statusRequests()).toHaveLength(1);
	});
});

describe('Amazon Kendra: Wait Until Indexed', () => {
	it(`waits for 23 documents in calls of at most ${STATUS_BATCH_SIZE} ids, asking only about unfinished ones`, async () => {
		const indexId = sim.kendra.addIndex();
		// Document i shows PROCESSING on its first i % 4 reads, then its final status.
		const ids = Array.from({ length: 23 }, (_, i) => `doc-${String(i).padStart(2, '0')}.txt`);
		sim.kendra.addDocuments(
			indexId,
			ids.map((id, i) => ({
				id,
				script: kendraScript({ processing: i % 4, ...(i === 9 ? { fail: { code: 'InvalidRequest', reason: 'Unsupported file format' } } : {}) }),
			})),
		);

		const run = await runAction({ operation: 'waitUntilIndexed', indexId, documentIds: '={{ $json.ids }}', pollInterval: 1, timeout: 60 }, [{ ids }]);

		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.documentId)).toEqual(ids);
		expect(run.items.filter((item) => item.json.status === 'completed')).toHaveLength(22);
		expect(run.items[9].json).toMatchObject({
			status: 'failed',
			terminal: true,
			vendorStatus: 'FAILED',
			progress: 100,
			error: { code: 'InvalidRequest', message: 'Unsupported file format' },
		});
		expect(run.items.every((item) => (item.json.wait as IDataObject).timedOut === false)).toBe(true);
		expect((run.items[0].json.wait as IDataObject).polls).toBe(4);

		// The request log: no call above 10 ids, and full calls in every round. Rounds ask about
		// 23, 17, 11 and 5 documents: 10+10+3, 10+7, 10+1 and 5.
		const sizes = statusRequests().map((r) => sentIds(r.body).length);
		expect(Math.max(...sizes)).toBeLessThanOrEqual(STATUS_BATCH_SIZE);
		expect([...sizes].sort((a, b) => a - b)).toEqual([1, 3, 5, 7, 10, 10, 10, 10]);
		// No document is asked about again once it was answered terminal.
		const terminalAt = new Map<string, number>();
		sim.kendra.statusCalls.forEach((call, index) => {
			for (const id of call.documentIds) {
				expect(terminalAt.has(id)).toBe(false);
				if (['INDEXED', 'FAILED'].includes(call.answered[id])) terminalAt.set(id, index);
			}
		});
		expect(terminalAt.size).toBe(23);
		ids.forEach((id, i) => expect(sim.kendra.observationCount(indexId, id)).toBe((i % 4) + 1));
	});

	it('retries ThrottlingException (HTTP 400) and finishes', async () => {
		const indexId = sim.kendra.addIndex();
		sim.kendra.addDocuments(indexId, [{ id: 'a.txt', script: kendraScript({ processing: 1 }) }]);
		sim.kendra.throttle(2);

		const run = await runAction({ operation: 'waitUntilIndexed', indexId, documentIds: 'a.txt', pollInterval: 1, timeout: 60 });

		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({ documentId: 'a.txt', status: 'completed', wait: expect.objectContaining({ polls: 2 }) });
		expect(statusRequests().map((r) => r.status)).toEqual([400, 400, 200, 200]);
		expect(sim.kendra.observationCount(indexId, 'a.txt')).toBe(2);
	});

	it('fails the item on a FAILED document when asked to, naming Kendra\'s reason', async () => {
		const indexId = sim.kendra.addIndex();
		sim.kendra.addDocuments(indexId, [
			{ id: 'good.txt', script: kendraIndexedScript() },
			{ id: 'bad.pdf', script: kendraScript({ processing: 1, fail: { code: 'InvalidRequest', reason: 'The file is encrypted' } }) },
		]);
		const run = await runAction({
			operation: 'waitUntilIndexed',
			indexId,
			documentIds: 'good.txt\nbad.pdf',
			pollInterval: 1,
			options: { failOnDocumentError: true },
		});
		expect(run.status).toBe('error');
		expect(run.error?.message).toBe('1 of 2 documents failed to index in Amazon Kendra');
		expect((run.error as { description?: string }).description).toBe('bad.pdf (failed: The file is encrypted)');
	});

	it('keeps asking about an Errors[] entry until Kendra can read the document', async () => {
		const indexId = sim.kendra.addIndex();
		sim.kendra.addDocuments(indexId, [
			{ id: 'late.txt', script: [{ state: { error: { code: 'InternalError', message: 'try again' } } }, { state: { status: 'INDEXED' } }] },
		]);
		const run = await runAction({ operation: 'waitUntilIndexed', indexId, documentIds: 'late.txt', pollInterval: 1, timeout: 30 });
		expect(run.items[0].json).toMatchObject({ status: 'completed', error: null, wait: expect.objectContaining({ polls: 2 }) });
	});

	it('asks again about NOT_FOUND right after an upload for the grace period', async () => {
		const indexId = sim.kendra.addIndex();
		sim.kendra.addDocuments(indexId, [{ id: 'fresh.pdf', script: kendraScript({ notFound: 2, processing: 1 }) }]);

		const run = await runAction({
			operation: 'waitUntilIndexed',
			indexId,
			documentIds: 'fresh.pdf',
			pollInterval: 1,
			timeout: 60,
			options: { notFoundGrace: 30 },
		});

		expect(run.items[0].json).toMatchObject({ documentId: 'fresh.pdf', status: 'completed', wait: expect.objectContaining({ polls: 4, timedOut: false }) });
		expect(sim.kendra.statusCalls.map((call) => call.answered['fresh.pdf'])).toEqual(['NOT_FOUND', 'NOT_FOUND', 'PROCESSING', 'INDEXED']);
	});

	it('ends NOT_FOUND once the grace period is over, and at once without one', async () => {
		const indexId = sim.kendra.addIndex();
		const base = { operation: 'waitUntilIndexed', indexId, documentIds: 'typo.pdf', pollInterval: 1, timeout: 60 };

		const graced = await runAction({ ...base, options: { notFoundGrace: 1.5 } });
		expect(graced.items[0].json).toMatchObject({ status: 'not_found', terminal: true, wait: expect.objectContaining({ polls: 3, timedOut: false }) });
		expect((graced.items[0].json.error as IDataObject).message).toMatch(/does not know this document/);

		sim.kendra.statusCalls.length = 0;
		const immediate = await runAction({ ...base, options: { notFoundGrace: 0 } });
		expect(immediate.items[0].json).toMatchObject({ status: 'not_found', wait: expect.objectContaining({ polls: 1 }) });
		expect(sim.kendra.statusCalls).toHaveLength(1);
	});
});

describe('Amazon Kendra credentials and errors', () => {
	it('works with temporary credentials: the session token is sent and signed', async () => {
		const indexId = sim.kendra.addIndex();
		sim.kendra.addDocuments(indexId, [{ id: 'a.txt', script: kendraIndexedScript() }]);

		const run = await runAction({ operation: 'getIndexingStatus', indexId, documentIds: 'a.txt' }, [{}], { credentials: credentials(TEMP) });

		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({ status: 'completed' });
		const [call] = statusRequests();
		expect(call.headers['x-amz-security-token']).toBe(TEMP.sessionToken);
		expect(call.headers.authorization).toContain('SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,');
		expect(JSON.stringify(run.items)).not.toContain(TEMP.sessionToken);
	});

	it('reports a wrong secret clearly, without any secret, even though AWS echoes the session token', async () => {
		const indexId = sim.kendra.addIndex();
		const wrongSecret = 'kendraWRONGsecret/9999+LEAKMEnotShownA1';

		const run = await runAction({ operation: 'getIndexingStatus', indexId, documentIds: 'a.txt' }, [{}], {
			credentials: credentials({ ...TEMP, secretAccessKey: wrongSecret }),
		});

		expect(run.status).toBe('error');
		expect(run.error).toBeInstanceOf(NodeApiError);
		const error = run.error as NodeApiError;
		expect(error.message).toBe(
			'Amazon Kendra BatchGetDocumentStatus failed: InvalidSignatureException: The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
		);
		expect(error.description).toMatch(/^HTTP 400, code InvalidSignatureException, request id 5e1a0c7d-[0-9a-f-]+\. Check the Secret Access Key/);
		expect(error.httpCode).toBe('400');
		// The simulator did answer with the canonical request it expected, session token included.
		expect(statusRequests()).toHaveLength(1);
		expect(sim.kendra.errorsAnswered).toEqual(['InvalidSignatureException']);
		const everything = JSON.stringify([error.message, error.description, error.context, run.runData]);
		for (const secret of [...SECRETS, wrongSecret]) expect(everything).not.toContain(secret);
	});

	it.each([
		['a temporary key without its session token', { ...TEMP, sessionToken: '' }, 'UnrecognizedClientException', /starts with ASIA, so it is a temporary key/],
		['a long-term key with a session token', { ...KEY, sessionToken: 'IQoJb3JpZ2luX2VjEStray' }, 'UnrecognizedClientException', /starts with AKIA, a long-term key/],
		['expired temporary credentials', EXPIRED, 'ExpiredTokenException', /have expired/],
		['an unknown key', { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'whatever-secret-0000' }, 'UnrecognizedClientException', /Check the Access Key ID/],
		['another region', { region: 'eu-west-1' }, 'InvalidSignatureException', /Region/],
	])('explains %s', async (_label, data, code, hint) => {
		const indexId = sim.kendra.addIndex();
		const run = await runAction({ operation: 'getIndexingStatus', indexId, documentIds: 'a.txt' }, [{}], { credentials: credentials(data) });
		const error = run.error as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toContain(`failed: ${code}:`);
		expect(error.description).toMatch(hint);
		// Authentication failures are not retried.
		expect(statusRequests()).toHaveLength(1);
		expect(JSON.stringify([error.message, error.description, run.runData])).not.toContain(EXPIRED.sessionToken);
	});

	it('names the missing permission on AccessDeniedException', async () => {
		const indexId = sim.kendra.addIndex();
		const run = await runAction({ operation: 'getIndexingStatus', indexId, documentIds: 'a.txt' }, [{}], { credentials: credentials(READ_ONLY) });
		const error = run.error as NodeApiError;
		expect(error.message).toContain('AccessDeniedException: User: arn:aws:iam::123456789012:user/simulated is not authorized to perform: kendra:BatchGetDocumentStatus');
		expect(error.description).toContain('needs the permission kendra:BatchGetDocumentStatus');
		expect(statusRequests()).toHaveLength(1);
	});

	it('advises on the index id for ResourceNotFoundException, failing only the item that asked', async () => {
		const indexId = sim.kendra.addIndex();
		sim.kendra.addDocuments(indexId, [{ id: 'a.txt', script: kendraIndexedScript() }]);
		const missing = '99999999-0000-1111-2222-333344445555';

		const run = await runAction(
			{ operation: 'getIndexingStatus', indexId: '={{ $json.index }}', documentIds: 'a.txt' },
			[{ index: indexId }, { index: missing }],
			{ continueOnFail: true },
		);

		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(run.items[0].json).toMatchObject({ documentId: 'a.txt', status: 'completed' });
		expect(String(run.items[1].json.error)).toContain(`ResourceNotFoundException: Index ${missing} does not exist`);
		expect(String(run.items[1].json.description)).toContain('Check Index ID');
	});
});

describe('Amazon Kendra Trigger', () => {
	it('emits each watched document once, across polls and a restart', async () => {
		const indexId = sim.kendra.addIndex();
		sim.kendra.addDocuments(indexId, [
			{ id: 'early.txt', script: kendraIndexedScript() },
			// The sample, the first and the second poll each see PROCESSING; the third INDEXED.
			{ id: 'late.txt', script: kendraScript({ processing: 3 }) },
		]);
		const parameters = { indexId, documentIds: 'early.txt, late.txt' };

		const sample = await pollTrigger(parameters, {}, 'manual');
		expect(sample.items?.[0].map((item) => item.json.documentId)).toEqual(['early.txt', 'late.txt']);

		let state: IDataObject = {};
		const first = await pollTrigger(parameters, state);
		expect(first.items?.[0].map((item) => item.json)).toEqual([expect.objectContaining({ documentId: 'early.txt', status: 'completed' })]);
		state = first.staticData;

		expect((await pollTrigger(parameters, state)).items).toBeNull();

		// n8n restarts: the state comes back from its database as JSON.
		state = JSON.parse(JSON.stringify(state)) as IDataObject;
		const third = await pollTrigger(parameters, state);
		expect(third.items?.[0].map((item) => item.json)).toEqual([
			expect.objectContaining({ vendor: 'kendra', knowledgeBaseId: indexId, documentId: 'late.txt', status: 'completed', vendorStatus: 'INDEXED' }),
		]);

		state = JSON.parse(JSON.stringify(third.staticData)) as IDataObject;
		expect((await pollTrigger(parameters, state)).items).toBeNull();
		expect((await pollTrigger(parameters, state)).items).toBeNull();
		// Only the trigger's polls reached Kendra, each asking only about what it had not
		// reported; once both were reported, the polls made no call.
		expect(statusRequests().map((r) => sentIds(r.body))).toEqual([
			['early.txt', 'late.txt'],
			['early.txt', 'late.txt'],
			['late.txt'],
			['late.txt'],
		]);
	});

	it('fires All Finished once, with a FAILED document counted as failed', async () => {
		const indexId = sim.kendra.addIndex();
		sim.kendra.addDocuments(indexId, [
			{ id: 'a.txt', script: kendraIndexedScript() },
			{ id: 'b.txt', script: kendraScript({ processing: 1, fail: { code: 'InternalError', reason: 'boom' } }) },
		]);
		const parameters = { indexId, documentIds: 'a.txt,b.txt', event: 'allFinished' };

		const first = await pollTrigger(parameters, {});
		expect(first.items).toBeNull();
		const second = await pollTrigger(parameters, first.staticData);
		expect(second.items?.[0][0].json).toMatchObject({
			vendor: 'kendra',
			knowledgeBaseId: indexId,
			status: 'failed',
			total: 2,
			counts: expect.objectContaining({ completed: 1, failed: 1 }),
		});
		expect((await pollTrigger(parameters, second.staticData)).items).toBeNull();
	});
});

describe('Amazon Kendra API credential test', () => {
	const test = (data: IDataObject) =>
		testCredential({ credentialType: new AmazonKendraApi(), data: { region: 'us-east-1', endpoint: sim.kendra.baseUrl, ...data } });
	const listCalls = () => sim.requestsTo('kendra').filter((r) => r.headers['x-amz-target'] === 'AWSKendraFrontendService.ListIndices');

	it('passes with long-term keys through a signed ListIndices, also with a trailing slash on the endpoint', async () => {
		sim.kendra.addIndex();
		await expect(test(KEY)).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });
		await expect(test({ ...KEY, endpoint: `${sim.kendra.baseUrl}/` })).resolves.toMatchObject({ status: 'OK' });
		expect(listCalls().map((call) => [call.status, call.path, call.body, call.headers['content-type']])).toEqual([
			[200, '/', '{"MaxResults":1}', 'application/x-amz-json-1.1'],
			[200, '/', '{"MaxResults":1}', 'application/x-amz-json-1.1'],
		]);
	});

	it('passes with temporary credentials and their session token', async () => {
		await expect(test(TEMP)).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(listCalls()[0].headers['x-amz-security-token']).toBe(TEMP.sessionToken);
	});

	it.each([
		['a wrong secret', { ...KEY, secretAccessKey: 'kendraWRONGsecret/9999+LEAKMEnotShownB2' }, 'InvalidSignatureException'],
		['a missing session token', { ...TEMP, sessionToken: '' }, 'UnrecognizedClientException'],
		['expired temporary credentials', EXPIRED, 'ExpiredTokenException'],
	])('fails with %s, naming no secret', async (_label, data, answered) => {
		const result = await test(data);
		expect(result.status).toBe('Error');
		for (const secret of [...SECRETS, String(data.secretAccessKey)]) expect(result.message).not.toContain(secret);
		expect(listCalls().map((call) => call.status)).toEqual([400]);
		expect(sim.requestsTo('kendra')).toHaveLength(1);
		expect(sim.kendra.errorsAnswered).toEqual([answered]);
	});

	it('tells a key without kendra:ListIndices which permission is missing, though AWS answers HTTP 400', async () => {
		sim.kendra.addAccessKey({ accessKeyId: 'AKIAKENDRANOLIST0001', secretAccessKey: 'kendraNoListSecret/0000+integration01', allow: ['kendra:BatchGetDocumentStatus'] });
		const result = await test({ accessKeyId: 'AKIAKENDRANOLIST0001', secretAccessKey: 'kendraNoListSecret/0000+integration01' });
		expect(listCalls().map((call) => call.status)).toEqual([400]);
		expect(sim.kendra.errorsAnswered).toEqual(['AccessDeniedException']);
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining('grant the IAM identity kendra:ListIndices') });
		expect(result.message).not.toContain('rejected');
	});

	it('does not call throttled keys rejected: AWS throttles only a caller it has authenticated', async () => {
		sim.kendra.throttle(1);
		const result = await test(KEY);
		expect(sim.kendra.errorsAnswered).toEqual(['ThrottlingException']);
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining('throttled the test request (ThrottlingException)') });
		await expect(test(KEY)).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });
	});

	it('names AWS\'s error for a wrong secret and an unknown key', async () => {
		await expect(test({ ...KEY, secretAccessKey: 'kendraWRONGsecret/9999+LEAKMEnotShownB2' })).resolves.toEqual({
			status: 'Error',
			message: expect.stringContaining('check the Secret Access Key'),
		});
		await expect(test({ ...KEY, accessKeyId: 'AKIAUNKNOWNKEY000001' })).resolves.toEqual({
			status: 'Error',
			message: expect.stringContaining('AWS does not know this Access Key ID'),
		});
	});

	it('fails on an endpoint that does not answer as Kendra', async () => {
		const result = await test({ ...KEY, endpoint: `${sim.kendra.baseUrl}/nowhere` });
		expect(result.status).toBe('Error');
	});
});
