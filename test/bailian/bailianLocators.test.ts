/**
 * Picking a Bailian workspace and knowledge base: the From List modes (a signed ListIndices, as
 * n8n's editor calls it), By URL and By ID, and workflows saved before the parameters were
 * resource locators (plain strings).
 *
 * Time: as in bailianNodes.test.ts, the engine sleeps on the simulator's clock, so Bailian's
 * 5 s spacing is kept and checked in simulator time without costing wall time.
 */
jest.mock('../../nodes/shared/clock', () => jest.requireActual('./simulatorTime').mockClockModule());

import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { INDEX_LIST_PAGE_SIZE, bailianConsoleUrl } from '../../nodes/Bailian/BailianAdapter';
import { BailianKnowledge } from '../../nodes/Bailian/BailianKnowledge.node';
import { BailianKnowledgeTrigger } from '../../nodes/Bailian/BailianKnowledgeTrigger.node';
import { runListSearch, runNode, runPoll } from '../harness';
import type { HarnessCredentials } from '../harness';
import { type Simulator, startSimulator } from '../simulator';
import { BailianApiOnSimulatorTime, followSimulatorTime, time } from './onSimulatorTime';


const ACCESS_KEY_ID = 'LTAI5tBailianLocator0001';
const ACCESS_KEY_SECRET = 'bailianLocatorSECRET7Hq2Wm9Zx4Kp';
const OTHER_KEY_ID = 'LTAI5tBailianLocator0002';
const OTHER_SECRET = 'bailianOtherSECRET3Jd8Rv6Nc1Ty';

let sim: Simulator;
let workspaceId: string;
let otherWorkspaceId: string;

beforeEach(async () => {
	sim = await startSimulator({ seed: 23 });
	followSimulatorTime(sim);
	sim.bailian.addAccessKey(ACCESS_KEY_ID, ACCESS_KEY_SECRET);
	workspaceId = sim.bailian.addWorkspace();
	otherWorkspaceId = sim.bailian.addWorkspace();
	// A RAM user who has joined only the default workspace.
	sim.bailian.addAccessKey(OTHER_KEY_ID, OTHER_SECRET, [workspaceId]);
});

afterEach(async () => {
	await sim.close();
});

function credentials(data: IDataObject = {}): HarnessCredentials {
	return {
		type: 'bailianApi',
		data: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET, region: 'custom', endpoint: sim.bailian.endpoint, workspaceId, ...data },
	};
}

function search(method: 'searchIndexes' | 'searchWorkspaces', parameters: INodeParameters = {}, filter?: string, paginationToken?: string, data: IDataObject = {}) {
	return runListSearch({
		node: new BailianKnowledge(),
		method,
		parameters: { operation: 'getIndexingStatus', ...parameters },
		filter,
		paginationToken,
		credentials: credentials(data),
		credentialTypes: [new BailianApiOnSimulatorTime()],
	});
}

const listCalls = () => sim.requestsTo('bailian', /\/index\/list_indices$/);

describe('Bailian Knowledge Base: From List', () => {
	it('pages through the knowledge bases of the credential\'s workspace with a signed ListIndices', async () => {
		const ids = Array.from({ length: INDEX_LIST_PAGE_SIZE + 4 }, (_, i) => sim.bailian.addIndex(workspaceId, { name: `kb-${i + 1}` }));
		sim.bailian.addIndex(otherWorkspaceId, { name: 'elsewhere' });

		const first = await search('searchIndexes');
		expect(first.results).toHaveLength(INDEX_LIST_PAGE_SIZE);
		expect(first.results[0]).toEqual({ name: `kb-1 (${ids[0]})`, value: ids[0] });
		expect(first.paginationToken).toBe('2');
		const second = await search('searchIndexes', {}, undefined, '2');
		expect(second.results.map((r) => r.value)).toEqual(ids.slice(INDEX_LIST_PAGE_SIZE));
		expect(second.paginationToken).toBeUndefined();

		expect(listCalls().map((call) => [call.path, call.query])).toEqual([
			[`/${workspaceId}/index/list_indices`, { PageNumber: '1', PageSize: String(INDEX_LIST_PAGE_SIZE) }],
			[`/${workspaceId}/index/list_indices`, { PageNumber: '2', PageSize: String(INDEX_LIST_PAGE_SIZE) }],
		]);
		expect(listCalls()[0].headers['x-acs-action']).toBe('ListIndices');
		expect(String(listCalls()[0].headers.authorization)).toMatch(/^ACS3-HMAC-SHA256 Credential=LTAI5tBailianLocator0001,/);
	});

	it('lists the workspace chosen on the node, By ID, from the list or as a plain string', async () => {
		const there = sim.bailian.addIndex(otherWorkspaceId, { name: 'Other docs' });
		for (const chosen of [otherWorkspaceId, { __rl: true, mode: 'id', value: ` ${otherWorkspaceId} ` }, { __rl: true, mode: 'list', value: otherWorkspaceId }]) {
			const result = await search('searchIndexes', { workspaceId: chosen as never });
			expect(result.results.map((r) => r.value)).toEqual([there]);
		}
		expect(listCalls().every((call) => call.path === `/${otherWorkspaceId}/index/list_indices`)).toBe(true);
		// An empty workspace on the node means the credential's.
		sim.clearRequests();
		await search('searchIndexes', { workspaceId: { __rl: true, mode: 'list', value: '' } });
		expect(listCalls()[0].path).toBe(`/${workspaceId}/index/list_indices`);
	});

	it('lets Bailian filter by name, and answers an empty list when nothing matches', async () => {
		sim.bailian.addIndex(workspaceId, { name: 'Product docs' });
		const manuals = sim.bailian.addIndex(workspaceId, { name: 'Service manuals' });

		expect((await search('searchIndexes', {}, 'manual')).results.map((r) => r.value)).toEqual([manuals]);
		expect(listCalls()[0].query).toEqual({ IndexName: 'manual', PageNumber: '1', PageSize: String(INDEX_LIST_PAGE_SIZE) });
		expect(await search('searchIndexes', {}, 'no such knowledge base')).toEqual({ results: [] });
	});

	it('shows a wrong secret as an API error in the dropdown, with Bailian\'s code and the fix, and no secret', async () => {
		const wrong = 'WRONGbailianSECRET5Gh2Kl9Mn3Pq';
		const failure = await search('searchIndexes', {}, undefined, undefined, { accessKeySecret: wrong }).catch((error: unknown) => error);

		expect(failure).toBeInstanceOf(NodeApiError);
		const error = failure as NodeApiError;
		expect(error.message).toMatch(/^Bailian ListIndices failed: .* \(Code SignatureDoesNotMatch, RequestId [\w-]+\)$/);
		expect(error.httpCode).toBe('400');
		expect(error.description).toContain('Check the AccessKey Secret of the Bailian credential');
		for (const secret of [wrong, ACCESS_KEY_SECRET]) {
			expect(JSON.stringify({ message: error.message, description: error.description })).not.toContain(secret);
		}
	});

	it('says what listing needs when the key may not read the workspace', async () => {
		const failure = (await search('searchIndexes', { workspaceId: otherWorkspaceId }, undefined, undefined, {
			accessKeyId: OTHER_KEY_ID,
			accessKeySecret: OTHER_SECRET,
		}).catch((error: unknown) => error)) as NodeApiError;

		expect(failure.message).toMatch(/^Bailian ListIndices failed: .*\(Code Index\.Forbidden/);
		expect(failure.description).toContain('the AccessKey needs sfm:ListIndices');
	});

	it('retries throttling, keeping Bailian\'s spacing', async () => {
		const only = sim.bailian.addIndex(workspaceId, { name: 'only' });
		sim.bailian.returnErrorOnce({ code: 'Throttling.User', message: 'Request was denied due to user flow control.', httpStatus: 400, retryAfterMs: 200 });
		const sleptBefore = time.sleeps.length;

		expect((await search('searchIndexes')).results.map((r) => r.value)).toEqual([only]);
		const [throttled, answered] = listCalls();
		expect([throttled.status, answered.status]).toEqual([400, 200]);
		// The retry waited for Bailian's 5 s between two calls about the workspace's knowledge bases.
		expect(time.sleeps.slice(sleptBefore).reduce((sum, ms) => sum + ms, 0)).toBeGreaterThanOrEqual(5000);
	});

	it('says so when the workspace is an expression the editor could not work out', async () => {
		const failure = await search('searchIndexes', { workspaceId: '={{ $json.workspace }}' }).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(NodeOperationError);
		expect((failure as Error).message).toMatch(/^Workspace ID is an expression the list cannot work out/);
		expect(listCalls()).toHaveLength(0);
	});

	it('is offered by the trigger too', async () => {
		const id = sim.bailian.addIndex(workspaceId, { name: 'watched' });
		const result = await runListSearch({
			node: new BailianKnowledgeTrigger(),
			method: 'searchIndexes',
			parameters: { event: 'documentFinished' },
			credentials: credentials(),
			credentialTypes: [new BailianApiOnSimulatorTime()],
		});
		expect(result.results.map((r) => r.value)).toEqual([id]);
	});
});

describe('Bailian Workspace: From List', () => {
	it('offers the credential\'s default workspace once a signed call has shown the credential can read it', async () => {
		const result = await search('searchWorkspaces');
		expect(result).toEqual({ results: [{ name: `The credential's default workspace (${workspaceId})`, value: workspaceId }] });
		expect(listCalls().map((call) => [call.path, call.query])).toEqual([[`/${workspaceId}/index/list_indices`, { PageNumber: '1', PageSize: '1' }]]);
	});

	it('shows a wrong key in the dropdown, and explains that another workspace is entered by ID', async () => {
		const wrong = await search('searchWorkspaces', {}, undefined, undefined, { accessKeyId: 'LTAI5tUnknownKey000000' }).catch((error: unknown) => error);
		expect(wrong).toBeInstanceOf(NodeApiError);
		expect((wrong as NodeApiError).message).toMatch(/\(Code InvalidAccessKeyId\.NotFound, /);

		const none = await search('searchWorkspaces', {}, undefined, undefined, { workspaceId: '' }).catch((error: unknown) => error);
		expect(none).toBeInstanceOf(NodeOperationError);
		expect((none as Error).message).toBe(
			"The Bailian credential has no default Workspace ID, and Model Studio's API cannot list workspaces: enter the workspace ID with By ID",
		);
	});
});

describe('Bailian Workspace and Knowledge Base: the values the node reads', () => {
	let indexId: string;
	let jobId: string;
	let otherIndexId: string;
	let otherJobId: string;

	beforeEach(() => {
		indexId = sim.bailian.addIndex(workspaceId, { name: 'Product docs' });
		jobId = sim.bailian.submitJob(indexId, { documents: [{ name: 'a.pdf', runMs: 0 }] });
		otherIndexId = sim.bailian.addIndex(otherWorkspaceId, { name: 'Other docs' });
		otherJobId = sim.bailian.submitJob(otherIndexId, { documents: [{ name: 'b.pdf', runMs: 0 }] });
	});

	function getStatus(parameters: INodeParameters, input: IDataObject[] = [{}]) {
		return runNode({
			node: new BailianKnowledge(),
			parameters: { operation: 'getIndexingStatus', ...parameters },
			input,
			credentials: credentials(),
			credentialTypes: [new BailianApiOnSimulatorTime()],
		});
	}

	const statusCalls = () => sim.requestsTo('bailian', /\/index\/job\/status$/);
	const summary = (items: Array<{ json: IDataObject }>) => items.map((item) => [item.json.knowledgeBaseId, item.json.status]);

	it('runs a workflow saved with plain strings, as every workflow before the locators did', async () => {
		const run = await getStatus({ workspaceId: otherWorkspaceId, indexId: otherIndexId, jobId: otherJobId });
		expect(run.error).toBeUndefined();
		expect(summary(run.items)).toEqual([[otherIndexId, 'completed']]);
		expect(statusCalls()[0].path).toBe(`/${otherWorkspaceId}/index/job/status`);
	});

	it('reads values picked from the lists, or typed By ID', async () => {
		const run = await getStatus({
			workspaceId: { __rl: true, mode: 'id', value: otherWorkspaceId },
			indexId: { __rl: true, mode: 'list', value: otherIndexId, cachedResultName: 'Other docs' },
			jobId: otherJobId,
		});
		expect(summary(run.items)).toEqual([[otherIndexId, 'completed']]);
		expect(statusCalls()[0].path).toBe(`/${otherWorkspaceId}/index/job/status`);

		// An empty workspace locator is the credential's default workspace.
		const byDefault = await getStatus({ workspaceId: { __rl: true, mode: 'list', value: '' }, indexId: { __rl: true, mode: 'id', value: indexId }, jobId });
		expect(summary(byDefault.items)).toEqual([[indexId, 'completed']]);
		expect(statusCalls()[1].path).toBe(`/${workspaceId}/index/job/status`);
	});

	it('takes the knowledge base ID out of its page in the Model Studio console', async () => {
		for (const url of [
			`https://bailian.console.aliyun.com/?tab=app#/knowledge-base/detail/${indexId}`,
			`https://bailian.console.aliyun.com/cn-beijing#/knowledge-base/detail/${indexId}`,
			`https://bailian.console.alibabacloud.com/#/knowledge-base/detail/${indexId}?tab=docs`,
		]) {
			const run = await getStatus({ indexId: { __rl: true, mode: 'url', value: url }, jobId });
			expect({ url, result: summary(run.items) }).toEqual({ url, result: [[indexId, 'completed']] });
			// Another execution, later: Bailian's 5 s per job apply across executions too.
			sim.advanceClock(10_000);
		}
	});

	it('names the expected URL shape and ID, before the run and at run time', async () => {
		await expect(getStatus({ indexId: { __rl: true, mode: 'url', value: 'https://bailian.console.aliyun.com/#/app-center' }, jobId })).rejects.toThrow(
			'"indexId":["Expected a URL such as https://bailian.console.aliyun.com/?tab=app#/knowledge-base/detail/<index ID> (the knowledge base\'s page in the Model Studio console)"]',
		);
		await expect(getStatus({ workspaceId: { __rl: true, mode: 'id', value: 'llm/x' }, indexId, jobId })).rejects.toThrow(
			'"workspaceId":["Expected a workspace ID without spaces or slashes, such as llm-3z7uw7fwz0vexxxx"]',
		);
		const atRunTime = await getStatus({ indexId: { __rl: true, mode: 'url', value: '={{ $json.link }}' }, jobId }, [{ link: 'https://bailian.console.aliyun.com/#/app-center' }]);
		expect(atRunTime.error).toBeInstanceOf(NodeOperationError);
		expect(atRunTime.error?.message).toMatch(/^Index ID \(By URL\) "https:\/\/bailian.console.aliyun.com\/#\/app-center" is not a URL of the expected shape/);
		expect(statusCalls()).toHaveLength(0);
	});

	it('lets the trigger watch a knowledge base picked from the list', async () => {
		const poll = await runPoll({
			node: new BailianKnowledgeTrigger(),
			parameters: { indexId: { __rl: true, mode: 'list', value: indexId }, watch: 'job', jobId },
			mode: 'manual',
			credentials: credentials(),
			credentialTypes: [new BailianApiOnSimulatorTime()],
		});
		expect(poll.items?.[0].map((item) => item.json.knowledgeBaseId)).toEqual([indexId]);
	});
});

describe('Bailian console URLs', () => {
	it('link the Beijing and Singapore consoles, and nothing for a custom endpoint', () => {
		expect(bailianConsoleUrl({ region: 'cn-beijing' }, 'abc')).toBe('https://bailian.console.aliyun.com/?tab=app#/knowledge-base/detail/abc');
		expect(bailianConsoleUrl({ region: 'ap-southeast-1' }, 'abc')).toBe('https://modelstudio.console.alibabacloud.com/?tab=app#/knowledge-base/detail/abc');
		expect(bailianConsoleUrl({ region: 'custom', endpoint: 'https://x' }, 'abc')).toBeUndefined();
	});
});
