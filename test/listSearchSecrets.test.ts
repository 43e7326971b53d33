/**
 * The lists of the editor's From List mode keep secrets as the status calls do: a gateway page
 * that echoes the request headers answers every vendor's list call, cut at many places, and
 * neither the error the dropdown shows nor its description holds a run of 8 characters of a
 * secret (see secrets.test.ts for the status calls).
 */
import type { ICredentialType, INodeType } from 'n8n-workflow';

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
import { SECRET_RUN_LENGTH } from '../nodes/shared/errors';
import { runListSearch } from './harness';
import { type Simulator, startSimulator } from './simulator';

const DIFY_KEY = 'dataset-Lm4Nb6Vc8Xz0Qa2Ws4Ed';
const COZE_TOKEN = 'pat_Rf5Tg7Yh9Uj1Ik3Ol5Pz7Xc9Vb';
const KENDRA = {
	accessKeyId: 'ASIAQ2W3E4R5T6Y7U8I9',
	secretAccessKey: 'kJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8W3E5R7T',
	sessionToken: 'FwoGZXIvYXdzEBYaDk9Gh3Jt6TemporaryTOKENvalue+q1w2e3r4t5y6u7i8',
};
const BEDROCK = {
	accessKeyId: 'ASIAP0O9I8U7Y6T5R4E3',
	secretAccessKey: 'bEdRoCkLiStSeArCh/K7MDENG/bPxRfiCY8Q2W4E6R',
	sessionToken: 'IQoJb3JpZ2luX2VjEQz7Wk2Bedr0ckTempT0KENv4lue+z9x8c7v6b5n4',
};
const BAILIAN = {
	accessKeyId: 'STS.NTq2Mw8Ze5Lp1Xv7Yc',
	accessKeySecret: 'Hk3Jd9Fs6Ah4Lq0Pw7Zx2Cv5Bn8Mm',
	securityToken: 'CAIS9wF2q7Ft6B3yfXk4Rw9SecurityTokenValue0aBcD',
};

const OPENAI_KEY = 'sk-proj-Lk9Jh7Gf5Ds3Aq1Zw2Sx4Dc6Fv8Gb0Hn2Mj4';

interface Case {
	name: 'dify' | 'coze' | 'kendra' | 'bailian' | 'openai' | 'bedrock';
	secrets: string[];
	carriers: string[];
	status: number;
	path: RegExp;
	node: INodeType;
	method: string;
	credentialType: ICredentialType;
	setUp(sim: Simulator): Record<string, unknown>;
}

const cases: Case[] = [
	{
		name: 'dify',
		secrets: [DIFY_KEY],
		carriers: ['authorization'],
		status: 502,
		path: /^\/datasets$/,
		node: new DifyKnowledge(),
		method: 'searchDatasets',
		credentialType: new DifyKnowledgeApi(),
		setUp: (sim) => {
			sim.dify.addApiKey(DIFY_KEY);
			return { apiKey: DIFY_KEY, baseUrl: sim.dify.baseUrl };
		},
	},
	{
		name: 'coze',
		secrets: [COZE_TOKEN],
		carriers: ['authorization'],
		status: 502,
		path: /^\/v1\/workspaces$/,
		node: new CozeKnowledge(),
		method: 'searchDatasets',
		credentialType: new CozeApi(),
		setUp: (sim) => {
			sim.coze.addToken(COZE_TOKEN);
			return { accessToken: COZE_TOKEN, region: 'custom', baseUrl: sim.coze.baseUrl };
		},
	},
	{
		name: 'kendra',
		secrets: [KENDRA.secretAccessKey, KENDRA.sessionToken],
		carriers: ['x-amz-security-token'],
		status: 502,
		path: /^\/$/,
		node: new AmazonKendra(),
		method: 'searchIndexes',
		credentialType: new AmazonKendraApi(),
		setUp: (sim) => {
			sim.kendra.addAccessKey(KENDRA);
			return { ...KENDRA, region: 'us-east-1', endpoint: sim.kendra.baseUrl };
		},
	},
	{
		name: 'bedrock',
		secrets: [BEDROCK.secretAccessKey, BEDROCK.sessionToken],
		carriers: ['x-amz-security-token'],
		status: 502,
		path: /^\/knowledgebases\/$/,
		node: new AmazonBedrockKnowledgeBase(),
		method: 'searchKnowledgeBases',
		credentialType: new AmazonBedrockKnowledgeBaseApi(),
		setUp: (sim) => {
			sim.bedrock.addAccessKey(BEDROCK);
			return { ...BEDROCK, region: 'us-east-1', endpoint: sim.bedrock.baseUrl };
		},
	},
	{
		name: 'bailian',
		secrets: [BAILIAN.accessKeySecret, BAILIAN.securityToken],
		carriers: ['x-acs-security-token'],
		// A 400 is not retried, so that the 5 s spacing costs nothing here.
		status: 400,
		path: /\/index\/list_indices$/,
		node: new BailianKnowledge(),
		method: 'searchIndexes',
		credentialType: new BailianApi(),
		setUp: (sim) => {
			sim.bailian.addStsCredentials({ ...BAILIAN, expiresAt: sim.now() + 3600_000 });
			return { ...BAILIAN, region: 'custom', endpoint: sim.bailian.endpoint, workspaceId: 'llm-listsearch0test' };
		},
	},
	{
		name: 'openai',
		secrets: [OPENAI_KEY],
		carriers: ['authorization'],
		status: 502,
		path: /^\/vector_stores$/,
		node: new OpenAiVectorStore(),
		method: 'searchVectorStores',
		credentialType: new OpenAiVectorStoreApi(),
		setUp: (sim) => {
			sim.openai.addApiKey(OPENAI_KEY);
			return { apiKey: OPENAI_KEY, baseUrl: sim.openai.baseUrl };
		},
	},
];

function leakedRuns(text: string, secrets: string[]): string[] {
	const runs: string[] = [];
	for (const secret of secrets) {
		for (let i = 0; i + SECRET_RUN_LENGTH <= secret.length; i++) {
			if (text.includes(secret.slice(i, i + SECRET_RUN_LENGTH))) runs.push(secret.slice(i, i + SECRET_RUN_LENGTH));
		}
	}
	return runs;
}

describe.each(cases)('$name list: an error page that echoes the request headers', (vendor) => {
	let sim: Simulator;
	let data: Record<string, unknown>;

	beforeAll(async () => {
		sim = await startSimulator();
		data = vendor.setUp(sim);
	});

	afterAll(async () => {
		await sim.close();
	});

	it('shows the page in the dropdown\'s error without any run of 8 characters of a secret, wherever it is cut', async () => {
		// Preambles of every length up to the excerpt's 120 characters move the cut across the
		// echoed headers, the secret's among them.
		for (let preamble = 0; preamble <= 120; preamble += 6) {
			sim.injectFault({
				vendor: vendor.name,
				path: vendor.path,
				times: 10,
				kind: {
					type: 'echoHeaders',
					status: vendor.status,
					preamble: 'Bad gateway. Request was: '.padEnd(preamble, '.').slice(0, Math.max(preamble, 0)),
					headers: { 'Retry-After': '0' },
					first: vendor.carriers,
				},
			});
			const error = (await runListSearch({
				node: vendor.node,
				method: vendor.method,
				parameters: {},
				credentials: { type: vendor.credentialType.name, data: data as never },
				credentialTypes: [vendor.credentialType],
			}).catch((e: unknown) => e)) as Error & { description?: string; httpCode?: string };
			sim.clearFaults();
			expect(error).toBeInstanceOf(Error);
			const shown = JSON.stringify({ message: error.message, description: error.description, httpCode: error.httpCode, stack: error.stack });
			expect(shown).toContain(`HTTP ${vendor.status}`);
			expect(leakedRuns(shown, vendor.secrets)).toEqual([]);
		}
		// The page did carry the secret: the simulator saw it in the header that was echoed.
		const [request] = sim.requestsTo(vendor.name, vendor.path);
		expect(JSON.stringify(request.headers)).toContain(vendor.secrets.at(-1) as string);
	});
});
