/**
 * Picking an Amazon Kendra index: the Index parameter's From List mode (a signed ListIndices, as
 * n8n's editor calls it), By URL and By ID, and workflows saved before the parameter was a
 * resource locator (a plain string).
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { AmazonKendraApi } from '../../credentials/AmazonKendraApi.credentials';
import { AmazonKendra } from '../../nodes/AmazonKendra/AmazonKendra.node';
import { INDEX_LIST_PAGE_SIZE, kendraConsoleUrl } from '../../nodes/AmazonKendra/AmazonKendraAdapter';
import { AmazonKendraTrigger } from '../../nodes/AmazonKendra/AmazonKendraTrigger.node';
import { runListSearch, runNode, runPoll } from '../harness';
import type { HarnessCredentials } from '../harness';
import { type Simulator, kendraIndexedScript, startSimulator } from '../simulator';

const KEY = { accessKeyId: 'AKIAKENDRALIST000001', secretAccessKey: 'kendraLISTsecret/Qz7+locator0000key0001' };
const STATUS_ONLY = { accessKeyId: 'AKIAKENDRALIST000002', secretAccessKey: 'kendraSTATUSonly/Pw4+locator000key0002' };

let sim: Simulator;

beforeEach(async () => {
	sim = await startSimulator({ seed: 3 });
	sim.kendra.addAccessKey(KEY);
	sim.kendra.addAccessKey({ ...STATUS_ONLY, allow: ['kendra:BatchGetDocumentStatus'] });
});

afterEach(async () => {
	await sim.close();
});

function credentials(data: IDataObject = {}): HarnessCredentials {
	return { type: 'amazonKendraApi', data: { ...KEY, region: 'us-east-1', endpoint: sim.kendra.baseUrl, ...data } };
}

function search(filter?: string, paginationToken?: string, data: IDataObject = {}) {
	return runListSearch({
		node: new AmazonKendra(),
		method: 'searchIndexes',
		parameters: { operation: 'getIndexingStatus' },
		filter,
		paginationToken,
		credentials: credentials(data),
		credentialTypes: [new AmazonKendraApi()],
	});
}

const listCalls = () => sim.requestsTo('kendra').filter((r) => r.headers['x-amz-target'] === 'AWSKendraFrontendService.ListIndices');
const bodies = () => listCalls().map((call) => JSON.parse(call.body) as IDataObject);

describe('Amazon Kendra Index: From List', () => {
	it('pages through the indexes of the region with Kendra\'s NextToken, through a signed ListIndices', async () => {
		const ids = Array.from({ length: INDEX_LIST_PAGE_SIZE + 2 }, (_, i) => sim.kendra.addIndex(undefined, { name: `index-${String(i + 1).padStart(3, '0')}` }));

		const first = await search();
		expect(first.results).toHaveLength(INDEX_LIST_PAGE_SIZE);
		expect(first.results[0]).toEqual({
			name: `index-001 (${ids[0]})`,
			value: ids[0],
			url: `https://us-east-1.console.aws.amazon.com/kendra/home?region=us-east-1#indexes/${ids[0]}`,
		});
		expect(typeof first.paginationToken).toBe('string');

		const second = await search(undefined, first.paginationToken as string);
		expect(second.results.map((r) => r.value)).toEqual(ids.slice(INDEX_LIST_PAGE_SIZE));
		expect(second.paginationToken).toBeUndefined();

		expect(bodies()).toEqual([{ MaxResults: INDEX_LIST_PAGE_SIZE }, { MaxResults: INDEX_LIST_PAGE_SIZE, NextToken: first.paginationToken }]);
		expect(listCalls().every((call) => /^AWS4-HMAC-SHA256 Credential=AKIAKENDRALIST000001\//.test(String(call.headers.authorization)))).toBe(true);
	});

	it('filters by the search text itself (Kendra cannot), on names and IDs, reading on until something matches', async () => {
		for (let i = 0; i < INDEX_LIST_PAGE_SIZE; i++) sim.kendra.addIndex(undefined, { name: `bulk-${i}` });
		const support = sim.kendra.addIndex(undefined, { name: 'Support-Articles', status: 'CREATING' });

		const found = await search('support');
		expect(found.results).toEqual([expect.objectContaining({ name: `Support-Articles (${support}, creating)`, value: support })]);
		expect(found.paginationToken).toBeUndefined();
		expect(listCalls()).toHaveLength(2);

		expect((await search(support.slice(0, 13).toUpperCase())).results.map((r) => r.value)).toEqual([support]);
	});

	it('answers an empty list when nothing matches', async () => {
		sim.kendra.addIndex(undefined, { name: 'docs' });
		expect(await search('no such index')).toEqual({ results: [] });
	});

	it('shows a wrong secret as an API error in the dropdown, with AWS\'s words and the fix, and no secret', async () => {
		const wrong = 'WRONGkendraLISTsecret/Ab9+Cd8Ef7Gh6Ij5Kl';
		const failure = await search(undefined, undefined, { secretAccessKey: wrong }).catch((error: unknown) => error);

		expect(failure).toBeInstanceOf(NodeApiError);
		const error = failure as NodeApiError;
		expect(error.message).toMatch(/^Amazon Kendra ListIndices failed: InvalidSignatureException: The request signature we calculated does not match/);
		expect(error.httpCode).toBe('400');
		expect(error.description).toContain('Check the Secret Access Key of the Amazon Kendra API credential and its Region.');
		for (const secret of [wrong, KEY.secretAccessKey]) {
			expect(JSON.stringify({ message: error.message, description: error.description })).not.toContain(secret);
		}
	});

	it('says the identity needs kendra:ListIndices when it may only read statuses', async () => {
		const failure = (await search(undefined, undefined, STATUS_ONLY).catch((error: unknown) => error)) as NodeApiError;
		expect(failure.message).toMatch(/^Amazon Kendra ListIndices failed: AccessDeniedException: .*not authorized to perform: kendra:ListIndices/);
		expect(failure.description).toContain('needs kendra:ListIndices');
	});

	it('retries throttling as status calls do', async () => {
		const only = sim.kendra.addIndex(undefined, { name: 'only' });
		sim.kendra.throttle(1);
		expect((await search()).results.map((r) => r.value)).toEqual([only]);
		expect(listCalls().map((call) => call.status)).toEqual([400, 200]);
	});

	it('is offered by the trigger too', async () => {
		const id = sim.kendra.addIndex(undefined, { name: 'watched' });
		const result = await runListSearch({
			node: new AmazonKendraTrigger(),
			method: 'searchIndexes',
			parameters: { event: 'documentFinished' },
			credentials: credentials(),
			credentialTypes: [new AmazonKendraApi()],
		});
		expect(result.results.map((r) => r.value)).toEqual([id]);
	});
});

describe('Amazon Kendra Index: the value the node reads', () => {
	let indexId: string;

	beforeEach(() => {
		indexId = sim.kendra.addIndex(undefined, { name: 'docs' });
		sim.kendra.addDocuments(indexId, [{ id: 'doc-1', script: kendraIndexedScript() }]);
	});

	function getStatus(indexParameter: unknown, input: IDataObject[] = [{}]) {
		return runNode({
			node: new AmazonKendra(),
			parameters: { operation: 'getIndexingStatus', indexId: indexParameter, documentIds: 'doc-1' } as INodeParameters,
			input,
			credentials: credentials(),
			credentialTypes: [new AmazonKendraApi()],
		});
	}

	const indexOf = (items: Array<{ json: IDataObject }>) => items.map((item) => item.json.knowledgeBaseId);

	it('runs a workflow saved with a plain string, as every workflow before the locator did', async () => {
		const run = await getStatus(indexId);
		expect(run.error).toBeUndefined();
		expect(indexOf(run.items)).toEqual([indexId]);
		expect(run.items[0].json).toMatchObject({ documentId: 'doc-1', status: 'completed' });
	});

	it('reads a value picked from the list or typed By ID', async () => {
		expect(indexOf((await getStatus({ __rl: true, mode: 'list', value: indexId, cachedResultName: 'docs' })).items)).toEqual([indexId]);
		expect(indexOf((await getStatus({ __rl: true, mode: 'id', value: indexId })).items)).toEqual([indexId]);
	});

	it('takes the ID out of the index page of the Kendra console, in either form', async () => {
		for (const url of [
			`https://us-east-1.console.aws.amazon.com/kendra/home?region=us-east-1#indexes/${indexId}`,
			`https://console.aws.amazon.com/kendra/home?region=us-east-1#/indexes/${indexId}/details`,
		]) {
			const run = await getStatus({ __rl: true, mode: 'url', value: url });
			expect({ url, ids: indexOf(run.items) }).toEqual({ url, ids: [indexId] });
		}
	});

	it('names the expected URL shape and ID, before the run and at run time', async () => {
		await expect(getStatus({ __rl: true, mode: 'url', value: 'https://us-east-1.console.aws.amazon.com/s3/home' })).rejects.toThrow(
			'"indexId":["Expected a URL such as https://<region>.console.aws.amazon.com/kendra/home?region=<region>#indexes/<index ID>"]',
		);
		await expect(getStatus({ __rl: true, mode: 'id', value: 'too-short' })).rejects.toThrow(
			'"indexId":["Expected an index ID of 36 characters (letters, digits and hyphens), such as 0123abcd-0000-1111-2222-333344445555"]',
		);
		const atRunTime = await getStatus({ __rl: true, mode: 'id', value: '={{ $json.index }}' }, [{ index: 'too-short' }]);
		expect(atRunTime.error).toBeInstanceOf(NodeOperationError);
		expect(atRunTime.error?.message).toMatch(/^Index ID "too-short" is not an Amazon Kendra index ID: expected 36 characters/);
		expect(listCalls()).toHaveLength(0);
	});

	it('lets the trigger watch an index picked from the list', async () => {
		const poll = await runPoll({
			node: new AmazonKendraTrigger(),
			parameters: { indexId: { __rl: true, mode: 'list', value: indexId }, documentIds: 'doc-1' },
			mode: 'manual',
			credentials: credentials(),
			credentialTypes: [new AmazonKendraApi()],
		});
		expect(poll.items?.[0].map((item) => item.json.knowledgeBaseId)).toEqual([indexId]);
	});
});

describe('Amazon Kendra console URLs', () => {
	it('link to the index in the credential\'s region', () => {
		expect(kendraConsoleUrl({ region: 'eu-west-1' }, 'x')).toBe('https://eu-west-1.console.aws.amazon.com/kendra/home?region=eu-west-1#indexes/x');
		expect(kendraConsoleUrl({ region: 'us-gov-west-1' }, 'x')).toBe('https://console.amazonaws-us-gov.com/kendra/home?region=us-gov-west-1#indexes/x');
		expect(kendraConsoleUrl({ region: 'cn-north-1' }, 'x')).toBeUndefined();
		expect(kendraConsoleUrl({ region: '' }, 'x')).toBeUndefined();
	});
});
