/**
 * No piece of a secret in any text. A gateway's error page that echoes the request headers is
 * the hardest case: the package shows an excerpt of such a page, and the cut of that excerpt
 * can fall anywhere, inside a token too. Every vendor's node runs against the simulator with
 * such a page, the cut placed before, inside and after each secret, and the whole serialized
 * output and error are searched for any run of 8 characters of a secret.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';

import { AmazonBedrockKnowledgeBaseApi } from '../credentials/AmazonBedrockKnowledgeBaseApi.credentials';
import { AmazonKendraApi } from '../credentials/AmazonKendraApi.credentials';
import { BailianApi } from '../credentials/BailianApi.credentials';
import { CozeApi } from '../credentials/CozeApi.credentials';
import { DifyKnowledgeApi } from '../credentials/DifyKnowledgeApi.credentials';
import { OpenAiVectorStoreApi } from '../credentials/OpenAiVectorStoreApi.credentials';
import { AmazonBedrockKnowledgeBase } from '../nodes/AmazonBedrockKnowledgeBase/AmazonBedrockKnowledgeBase.node';
import { AmazonKendra } from '../nodes/AmazonKendra/AmazonKendra.node';
import { BailianKnowledge } from '../nodes/Bailian/BailianKnowledge.node';
import { CozeKnowledge } from '../nodes/Coze/CozeKnowledge.node';
import { DifyKnowledge } from '../nodes/Dify/DifyKnowledge.node';
import { OpenAiVectorStore } from '../nodes/OpenAi/OpenAiVectorStore.node';
import { redactSecrets, SECRET_RUN_LENGTH } from '../nodes/shared/errors';
import { runNode } from './harness';
import type { HarnessCredentials } from './harness';
import { leakedRuns, serializeRun } from './helpers/secretRuns';
import { type Simulator, startSimulator } from './simulator';

describe('redactSecrets', () => {
	const secret = 'pat_9f8e7d6c5b4a39281706';

	it('removes a whole secret and any run of 8 of its characters, wherever a text was cut', () => {
		for (let cut = 0; cut <= secret.length; cut++) {
			const text = `Authorization: Bearer ${secret.slice(0, cut)}…`;
			expect(leakedRuns(redactSecrets(text, [secret]), [secret])).toEqual([]);
			const tail = `…${secret.slice(cut)} and more`;
			expect(leakedRuns(redactSecrets(tail, [secret]), [secret])).toEqual([]);
		}
	});

	it('leaves the rest of the text, and short runs that are not secrets, as they were', () => {
		expect(redactSecrets(`HTTP 502 (token ${secret}; pat_9f8)`, [secret])).toBe('HTTP 502 (token [redacted]; pat_9f8)');
		expect(redactSecrets('nothing to hide here', [secret])).toBe('nothing to hide here');
	});
});

interface VendorCase {
	name: string;
	/** Values the credential holds that must never show. */
	secrets: string[];
	/** The secrets that travel in a request header, and so are echoed (a signing key is not). */
	sent: string[];
	/** The headers that carry them, echoed first so that the excerpt can reach them. */
	carriers: string[];
	/**
	 * The gateway's status: 502 by default, retried. Bailian's calls about one job are 5 s apart,
	 * retries included, so its page answers 400, which is not retried.
	 */
	status?: number;
	setUp(sim: Simulator): void;
	run(sim: Simulator, continueOnFail: boolean): ReturnType<typeof runNode>;
	path: RegExp;
}

const DIFY_KEY = 'dataset-Qw3Er5Ty7Ui9Op1As3Df5Gh';
const COZE_TOKEN = 'pat_Zx8Cv6Bn4Mq2Wp9Lk7Jh5Gf3Ds1';
const BAILIAN = {
	accessKeyId: 'STS.NTq8Wm3Rz5Lp1Xv7Yc4Hd',
	accessKeySecret: 'Gk2Jd8Fs5Ah3Lq9Pw6Zx1Cv4Bn7Mm',
	securityToken: 'CAIS8wF1q6Ft5B2yfSjIr5bTemporarySecurityTokenValue9xYz',
};
const KENDRA = {
	accessKeyId: 'ASIAQWERTYUIOPASDFGH',
	secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY',
	sessionToken: 'FwoGZXIvYXdzEBYaDHqa0AP/tMp9s1Tx3yLKAX7bvYq+temporaryTOKENvalue',
};
const BEDROCK = {
	accessKeyId: 'ASIAZXCVBNMLKJHGFDSA',
	secretAccessKey: 'bEdRoCkSeCrEtAcCeSsKeY/K7MDENG/EXAMPLEKEY9',
	sessionToken: 'IQoJb3JpZ2luX2VjEBedrockTemporarySESSIONtokenValue+/=',
};

const OPENAI = { apiKey: 'sk-proj-Hy7Uj9Ik1Ol3Pz5Xc7Vb9Nm1Qw3Er5Ty7Ui9Op1As3Df5', organizationId: 'org-secrets', projectId: 'proj_secrets' };

function action(node: INodeType, credentials: HarnessCredentials, credentialType: object, parameters: IDataObject, continueOnFail: boolean) {
	return runNode({
		node,
		parameters: parameters as never,
		input: [{}],
		credentials,
		credentialTypes: [credentialType as never],
		continueOnFail,
	});
}

const vendors: VendorCase[] = [
	{
		name: 'dify',
		secrets: [DIFY_KEY],
		sent: [DIFY_KEY],
		carriers: ['authorization'],
		path: /indexing-status$/,
		setUp: (sim) => sim.dify.addApiKey(DIFY_KEY),
		run: (sim, continueOnFail) =>
			action(
				new DifyKnowledge(),
				{ type: 'difyKnowledgeApi', data: { apiKey: DIFY_KEY, baseUrl: sim.dify.baseUrl } },
				new DifyKnowledgeApi(),
				{ operation: 'getIndexingStatus', datasetId: '5f3c1c2e-0b6a-4f7e-9d1a-2b3c4d5e6f70', watch: 'batch', batch: '20250306150245647595' },
				continueOnFail,
			),
	},
	{
		name: 'coze',
		secrets: [COZE_TOKEN],
		sent: [COZE_TOKEN],
		carriers: ['authorization'],
		path: /\/process$/,
		setUp: (sim) => sim.coze.addToken(COZE_TOKEN),
		run: (sim, continueOnFail) =>
			action(
				new CozeKnowledge(),
				{ type: 'cozeApi', data: { accessToken: COZE_TOKEN, region: 'custom', baseUrl: sim.coze.baseUrl } },
				new CozeApi(),
				{ operation: 'getIndexingStatus', datasetId: '7442585813587681111', documentIds: '7442585813587680001' },
				continueOnFail,
			),
	},
	{
		name: 'kendra',
		secrets: [KENDRA.secretAccessKey, KENDRA.sessionToken],
		sent: [KENDRA.sessionToken],
		carriers: ['x-amz-security-token'],
		path: /^\/$/,
		setUp: (sim) => sim.kendra.addAccessKey(KENDRA),
		run: (sim, continueOnFail) =>
			action(
				new AmazonKendra(),
				{ type: 'amazonKendraApi', data: { ...KENDRA, region: 'us-east-1', endpoint: sim.kendra.baseUrl } },
				new AmazonKendraApi(),
				{ operation: 'getIndexingStatus', indexId: '0123abcd-0000-1111-2222-333344445555', documentIds: 'doc-1' },
				continueOnFail,
			),
	},
	{
		name: 'bedrock',
		secrets: [BEDROCK.secretAccessKey, BEDROCK.sessionToken],
		sent: [BEDROCK.sessionToken],
		carriers: ['x-amz-security-token'],
		path: /\/ingestionjobs\/[^/]+$/,
		setUp: (sim) => sim.bedrock.addAccessKey(BEDROCK),
		run: (sim, continueOnFail) =>
			action(
				new AmazonBedrockKnowledgeBase(),
				{ type: 'amazonBedrockKnowledgeBaseApi', data: { ...BEDROCK, region: 'us-east-1', endpoint: sim.bedrock.baseUrl } },
				new AmazonBedrockKnowledgeBaseApi(),
				{ operation: 'getIndexingStatus', knowledgeBaseId: 'ABCDE12345', dataSourceId: 'FGHIJ67890', watch: 'ingestionJob', ingestionJobId: 'KLMNO24680' },
				continueOnFail,
			),
	},
	{
		name: 'bailian',
		secrets: [BAILIAN.accessKeySecret, BAILIAN.securityToken],
		sent: [BAILIAN.securityToken],
		carriers: ['x-acs-security-token'],
		status: 400,
		path: /\/index\/job\/status$/,
		setUp: (sim) => sim.bailian.addStsCredentials({ ...BAILIAN, expiresAt: sim.now() + 3600_000 }),
		run: (sim, continueOnFail) =>
			action(
				new BailianKnowledge(),
				{ type: 'bailianApi', data: { ...BAILIAN, region: 'custom', endpoint: sim.bailian.endpoint, workspaceId: 'llm-secrets0test' } },
				new BailianApi(),
				{ operation: 'getIndexingStatus', indexId: 'idx0secrets', jobId: 'job0secrets' },
				continueOnFail,
			),
	},
	{
		name: 'openai',
		secrets: [OPENAI.apiKey],
		sent: [OPENAI.apiKey],
		carriers: ['authorization'],
		path: /\/file_batches\/[^/]+$/,
		setUp: (sim) => sim.openai.addApiKey({ key: OPENAI.apiKey, organizationId: OPENAI.organizationId, projectId: OPENAI.projectId }),
		run: (sim, continueOnFail) =>
			action(
				new OpenAiVectorStore(),
				{ type: 'openAiVectorStoreApi', data: { ...OPENAI, baseUrl: sim.openai.baseUrl } },
				new OpenAiVectorStoreApi(),
				{ operation: 'getIndexingStatus', vectorStoreId: 'vs_secrets0test', watch: 'fileBatch', batchId: 'vsfb_secrets0test' },
				continueOnFail,
			),
	},
];

/** Retries come at once, so that the test does not sit through the backoff. */
const NO_WAIT = { 'Retry-After': '0' };

/** The excerpt an error shows is the start of the body with white space folded, 120 characters. */
const EXCERPT_LENGTH = 120;

describe.each(vendors)('$name: an error page that echoes the request headers', (vendor) => {
	let sim: Simulator;

	beforeAll(async () => {
		sim = await startSimulator();
		vendor.setUp(sim);
	});

	afterAll(async () => {
		await sim.close();
	});

	/** Where each secret starts in the folded echo, learned from one echo with no preamble. */
	async function secretOffsets(): Promise<Array<{ secret: string; offset: number }>> {
		sim.clearRequests();
		sim.injectFault({ vendor: vendor.name, path: vendor.path, times: 10, kind: { type: 'echoHeaders', status: vendor.status ?? 502, preamble: '', headers: NO_WAIT, first: vendor.carriers } });
		await vendor.run(sim, true);
		sim.clearFaults();
		const [request] = sim.requestsTo(vendor.name, vendor.path);
		const rank = (name: string) => (vendor.carriers.includes(name) ? vendor.carriers.indexOf(name) : vendor.carriers.length);
		const echoed = Object.entries(request.headers)
			.sort(([a], [b]) => rank(a) - rank(b))
			.map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : String(value)}`)
			.join(' ');
		return vendor.sent.map((secret) => {
			const offset = echoed.indexOf(secret);
			expect(offset).toBeGreaterThanOrEqual(0); // the secret does travel in a header
			return { secret, offset };
		});
	}

	it('shows no run of 8 characters of any secret, wherever the excerpt is cut', async () => {
		let cutsInside = 0;
		for (const { secret, offset } of await secretOffsets()) {
			// How many characters of the secret the cut would leave: none, some, all, and more.
			for (const shown of [0, 3, SECRET_RUN_LENGTH, SECRET_RUN_LENGTH + 4, secret.length - 1, secret.length, secret.length + 6]) {
				const preambleLength = EXCERPT_LENGTH - offset - shown;
				if (preambleLength < 0) continue;
				if (shown > 0 && shown < secret.length) cutsInside += 1;
				for (const continueOnFail of [true, false]) {
					// Every attempt meets the page, so the error is the page's.
					sim.injectFault({
						vendor: vendor.name,
						path: vendor.path,
						times: 10,
						kind: {
							type: 'echoHeaders',
							status: vendor.status ?? 502,
							preamble: 'Bad gateway. Request was: '.padEnd(preambleLength, '.'),
							headers: NO_WAIT,
							first: vendor.carriers,
						},
					});
					const result = await vendor.run(sim, continueOnFail);
					sim.clearFaults();
					const serialized = serializeRun(result);
					expect(serialized).toContain(`HTTP ${vendor.status ?? 502}`);
					expect(serialized).toContain('Bad gateway. Request was:'); // the excerpt is shown
					expect(leakedRuns(serialized, vendor.secrets)).toEqual([]);
				}
			}
		}
		expect(cutsInside).toBeGreaterThan(0);
	});
});
