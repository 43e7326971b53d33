/**
 * Bad input, across the vendors: each case gets an n8n error that names the field and says what
 * was expected, before any status call is made, and none makes the node crash (no TypeError, no
 * bare "Invalid URL"). One more case is not an error: a Poll Interval below the vendor's minimum
 * is raised to it, with a warning in the node's output pane.
 */
import type { ICredentialType, IDataObject, INodeParameters, INodeType } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

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
import { runNode } from './harness';
import type { HarnessCredentials } from './harness';
import { cozeCompletedScript, cozeScript, startSimulator } from './simulator';
import type { Simulator } from './simulator';

type VendorKey = 'dify' | 'coze' | 'kendra' | 'bailian' | 'openai' | 'bedrock';

let sim: Simulator;
const ids: Record<string, string> = {};

const DIFY_KEY = 'dataset-BadInputs0Key00000000';
const COZE_TOKEN = 'pat_BadInputs0Token000000000000';
const KENDRA = { accessKeyId: 'AKIABADINPUTS0000001', secretAccessKey: 'badInputsSecretKey/0000000000000000000000' };
const BAILIAN = { accessKeyId: 'LTAI5tBadInputs00000001', accessKeySecret: 'badInputsBailianSecret000000000' };
const OPENAI_KEY = 'sk-proj-BadInputs0Key000000000000000000';
const BEDROCK = { accessKeyId: 'AKIABADINPUTS0000002', secretAccessKey: 'badInputsBedrockKey/000000000000000000000' };

beforeAll(async () => {
	sim = await startSimulator({ seed: 25 });
	sim.dify.addApiKey(DIFY_KEY);
	sim.coze.addToken(COZE_TOKEN);
	sim.kendra.addAccessKey(KENDRA);
	sim.bailian.addAccessKey(BAILIAN.accessKeyId, BAILIAN.accessKeySecret);
	sim.bedrock.addAccessKey(BEDROCK);
	ids.difyDataset = sim.dify.addDataset();
	ids.cozeDataset = sim.coze.addDataset();
	ids.kendraIndex = sim.kendra.addIndex();
	ids.bailianWorkspace = sim.bailian.addWorkspace();
	ids.bailianIndex = sim.bailian.addIndex(ids.bailianWorkspace);
	sim.openai.addApiKey(OPENAI_KEY);
	ids.openAiStore = sim.openai.addVectorStore();
	ids.bedrockKnowledgeBase = sim.bedrock.addKnowledgeBase();
	ids.bedrockDataSource = sim.bedrock.addDataSource(ids.bedrockKnowledgeBase, { type: 'S3' });
});

afterAll(async () => {
	await sim.close();
});

afterEach(() => {
	sim.clearRequests();
});

interface VendorRig {
	node: () => INodeType;
	credentialType: () => ICredentialType;
	credentials: (overrides?: IDataObject) => HarnessCredentials;
	/** Parameters of a good Get Indexing Status, which each case spoils. */
	parameters: () => INodeParameters;
}

const vendors: Record<VendorKey, VendorRig> = {
	dify: {
		node: () => new DifyKnowledge(),
		credentialType: () => new DifyKnowledgeApi(),
		credentials: (overrides = {}) => ({ type: 'difyKnowledgeApi', data: { apiKey: DIFY_KEY, baseUrl: sim.dify.baseUrl, ...overrides } }),
		parameters: () => ({ operation: 'getIndexingStatus', datasetId: ids.difyDataset, watch: 'documents', documentIds: 'e7d35b73-03c3-470e-bd0f-21cba6d38819' }),
	},
	coze: {
		node: () => new CozeKnowledge(),
		credentialType: () => new CozeApi(),
		credentials: (overrides = {}) => ({ type: 'cozeApi', data: { accessToken: COZE_TOKEN, region: 'custom', baseUrl: sim.coze.baseUrl, ...overrides } }),
		parameters: () => ({ operation: 'getIndexingStatus', datasetId: ids.cozeDataset, documentIds: '7442585813587680001' }),
	},
	kendra: {
		node: () => new AmazonKendra(),
		credentialType: () => new AmazonKendraApi(),
		credentials: (overrides = {}) => ({
			type: 'amazonKendraApi',
			data: { ...KENDRA, region: 'us-east-1', endpoint: sim.kendra.baseUrl, ...overrides },
		}),
		parameters: () => ({ operation: 'getIndexingStatus', indexId: ids.kendraIndex, documentIds: 'docs/a.html' }),
	},
	bailian: {
		node: () => new BailianKnowledge(),
		credentialType: () => new BailianApi(),
		credentials: (overrides = {}) => ({
			type: 'bailianApi',
			data: { ...BAILIAN, region: 'custom', endpoint: sim.bailian.endpoint, workspaceId: ids.bailianWorkspace, ...overrides },
		}),
		parameters: () => ({ operation: 'getIndexingStatus', indexId: ids.bailianIndex, jobId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' }),
	},
	openai: {
		node: () => new OpenAiVectorStore(),
		credentialType: () => new OpenAiVectorStoreApi(),
		credentials: (overrides = {}) => ({ type: 'openAiVectorStoreApi', data: { apiKey: OPENAI_KEY, baseUrl: sim.openai.baseUrl, ...overrides } }),
		parameters: () => ({ operation: 'getIndexingStatus', vectorStoreId: ids.openAiStore, watch: 'fileBatch', batchId: 'vsfb_abc123' }),
	},
	bedrock: {
		node: () => new AmazonBedrockKnowledgeBase(),
		credentialType: () => new AmazonBedrockKnowledgeBaseApi(),
		credentials: (overrides = {}) => ({
			type: 'amazonBedrockKnowledgeBaseApi',
			data: { ...BEDROCK, region: 'us-east-1', endpoint: sim.bedrock.baseUrl, ...overrides },
		}),
		parameters: () => ({
			operation: 'getIndexingStatus',
			knowledgeBaseId: ids.bedrockKnowledgeBase,
			dataSourceId: ids.bedrockDataSource,
			watch: 'documents',
			documentIds: 's3://bucket/guide.pdf',
		}),
	},
};

interface BadInput {
	name: string;
	vendor: VendorKey;
	/** Replaces parameters of the good call (undefined removes one). */
	parameters?: INodeParameters;
	/** The input item; `{}` by default. */
	input?: IDataObject;
	/** Changes to the good credential's fields. */
	credential?: IDataObject;
	/** Another credential type altogether. */
	otherCredential?: { credentials: HarnessCredentials; type: ICredentialType };
	/** What the message must say: the field's name and what was expected. */
	error: RegExp;
}

const manyIds = (count: number, make: (i: number) => string) => Array.from({ length: count }, (_, i) => make(i));
const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

const badInputs: BadInput[] = [
	// Lists of ids
	{ name: 'an empty id list', vendor: 'dify', parameters: { documentIds: '={{ [] }}' }, error: /^Document IDs is empty: expected at least one id/ },
	{ name: 'an id list of commas only', vendor: 'coze', parameters: { documentIds: ' , ,\n' }, error: /^Document IDs is empty: expected at least one ID/ },
	{ name: 'an empty id list', vendor: 'kendra', parameters: { documentIds: '={{ [] }}' }, error: /^Document IDs is empty: expected at least one ID/ },
	{
		name: 'Coze ids given as numbers that have lost precision',
		vendor: 'coze',
		parameters: { documentIds: '={{ [7442585813587681111, 7442585813587681112] }}' },
		error: /^Document IDs\[0\] is the number 7442585813587681000: expected a string id/,
	},
	{
		name: 'a Coze dataset id given as a number that has lost precision',
		vendor: 'coze',
		parameters: { datasetId: '={{ 7442585813587681111 }}' },
		error: /^Dataset ID is the number 7442585813587681000, which has lost digits: Coze IDs are 64-bit and must be passed as strings/,
	},
	{
		name: 'more than 1 000 ids',
		vendor: 'dify',
		input: { ids: manyIds(1001, uuid) },
		parameters: { documentIds: '={{ $json.ids }}' },
		error: /^Document IDs has 1001 IDs: expected at most 1000 per input item/,
	},
	{
		name: 'more than 1 000 ids',
		vendor: 'coze',
		input: { ids: manyIds(1500, (i) => String(7442585813587690000n + BigInt(i))) },
		parameters: { documentIds: '={{ $json.ids }}' },
		error: /^Document IDs has 1500 IDs: expected at most 1000 per input item/,
	},
	{
		name: 'more than 1 000 ids',
		vendor: 'kendra',
		input: { ids: manyIds(1001, (i) => `docs/${i}.html`) },
		parameters: { documentIds: '={{ $json.ids }}' },
		error: /^Document IDs has 1001 IDs: expected at most 1000 per input item/,
	},
	{
		name: 'an expression that yields objects instead of ids',
		vendor: 'dify',
		input: { documents: [{ id: uuid(1) }, { id: uuid(2) }] },
		parameters: { documentIds: '={{ $json.documents }}' },
		error: /^Document IDs\[0\] is of type object: expected a string id/,
	},
	{
		name: 'an expression that yields objects instead of ids',
		vendor: 'kendra',
		input: { Documents: [{ Id: 'a' }] },
		parameters: { documentIds: '={{ $json.Documents }}' },
		error: /^Document IDs\[0\] is of type object: expected a string id/,
	},
	{
		name: 'an expression that yields one object instead of ids',
		vendor: 'coze',
		input: { document_infos: { document_id: '7442585813587680001' } },
		parameters: { documentIds: '={{ $json.document_infos }}' },
		error: /^Document IDs is of type object: expected a comma- or newline-separated string or an array of strings/,
	},
	{ name: 'a Coze id that is not digits', vendor: 'coze', parameters: { documentIds: '7442585813587680001, doc-2' }, error: /^Document IDs contains "doc-2", which is not a Coze document ID: expected decimal digits/ },
	{ name: 'a Kendra id longer than 2 048 characters', vendor: 'kendra', parameters: { documentIds: 'x'.repeat(2049) }, error: /^Document IDs contains an ID of 2049 characters .*at most 2048/ },
	// Knowledge bases and jobs
	{ name: 'a Dify dataset id that is not a UUID', vendor: 'dify', parameters: { datasetId: 'my-dataset' }, error: /^Dataset ID "my-dataset" is not a UUID: expected the knowledge base ID/ },
	{ name: 'an empty Dify batch', vendor: 'dify', parameters: { watch: 'batch', batch: '={{ $json.batch }}' }, error: /^Batch is empty: expected a value/ },
	{ name: 'a malformed Kendra index id', vendor: 'kendra', parameters: { indexId: 'my-index' }, error: /^Index ID "my-index" is not an Amazon Kendra index ID: expected 36 characters/ },
	{
		name: 'a Kendra document version without its sync job',
		vendor: 'kendra',
		parameters: { options: { documentVersion: { values: { dataSourceId: 'ds-1' } } } },
		error: /^Document Version needs both Data Source ID and Sync Job ID .*Sync Job ID is empty/,
	},
	{ name: 'an empty Bailian job id', vendor: 'bailian', parameters: { jobId: '={{ $json.Data?.Id }}' }, error: /^Job ID is empty: expected the JobId of an indexing job/ },
	{ name: 'a Bailian index id with a slash', vendor: 'bailian', parameters: { indexId: 'idx/1' }, error: /^Index ID "idx\/1" is not a Bailian ID: expected no spaces or slashes/ },
	{ name: 'no Bailian workspace on the node or the credential', vendor: 'bailian', credential: { workspaceId: '' }, error: /^Workspace ID is empty: set it on the node, or as the default workspace/ },
	// Wait settings and options
	{ name: 'a negative timeout', vendor: 'coze', parameters: { operation: 'waitUntilIndexed', timeout: -5 }, error: /^Timeout is -5: expected a number of seconds, 0 or more/ },
	{ name: 'a timeout that is not a number', vendor: 'kendra', parameters: { operation: 'waitUntilIndexed', timeout: '={{ "soon" }}' }, error: /^Timeout is "soon": expected a number of seconds/ },
	{ name: 'a negative not-found grace period', vendor: 'kendra', parameters: { operation: 'waitUntilIndexed', options: { notFoundGrace: -1 } }, error: /^Not Found Grace Period is -1: expected a number of seconds/ },
	{ name: 'a Stuck After that is not a number', vendor: 'coze', parameters: { operation: 'waitUntilIndexed', options: { stuckAfter: '={{ "an hour" }}' } }, error: /^Stuck After is "an hour": expected a number of seconds, 0 or more/ },
	{ name: 'an unknown output mode', vendor: 'dify', parameters: { options: { outputMode: '={{ "table" }}' } }, error: /^Output Mode is "table": expected "perDocument" or "summary"/ },
	{ name: 'an unknown On Timeout', vendor: 'bailian', parameters: { operation: 'waitUntilIndexed', onTimeout: '={{ "retry" }}' }, error: /^On Timeout is "retry": expected "output" or "error"/ },
	// Credentials
	{ name: 'an unknown region', vendor: 'coze', credential: { region: 'eu' }, error: /^Region "eu" of the Coze API credential is not supported: expected cn, com or custom/ },
	{ name: 'an unknown region', vendor: 'bailian', credential: { region: 'cn-shanghai' }, error: /^Region "cn-shanghai" of the Bailian credential is not supported: expected cn-beijing, ap-southeast-1 or custom/ },
	{ name: 'an unknown region', vendor: 'kendra', credential: { region: 'moon-1' }, error: /^Region of the Amazon Kendra API credential is "moon-1": expected an AWS region code such as us-east-1/ },
	{ name: 'a custom endpoint without a scheme', vendor: 'coze', credential: { baseUrl: 'coze.example.com' }, error: /^Base URL of the Coze API credential is "coze.example.com": expected a full URL/ },
	{ name: 'a custom endpoint without a scheme', vendor: 'bailian', credential: { endpoint: 'bailian.example.com' }, error: /^Endpoint of the Bailian credential is "bailian.example.com": expected a full URL/ },
	{ name: 'a custom endpoint without a scheme', vendor: 'kendra', credential: { endpoint: 'kendra.example.com' }, error: /^Custom Endpoint of the Amazon Kendra API credential is "kendra.example.com": expected a full URL/ },
	{ name: 'a base URL without a scheme', vendor: 'dify', credential: { baseUrl: 'dify.example.com/v1' }, error: /^Base URL of the Dify Knowledge API credential is "dify.example.com\/v1": expected a full URL/ },
	{ name: 'an STS key without its token', vendor: 'bailian', credential: { accessKeyId: 'STS.NTbadInputs0001' }, error: /^Security Token of the Bailian credential is empty, but the AccessKey ID is a temporary STS key/ },
	{ name: 'an empty secret access key', vendor: 'kendra', credential: { secretAccessKey: '' }, error: /^Secret Access Key of the Amazon Kendra API credential is empty/ },
	{ name: 'an empty vector store id', vendor: 'openai', parameters: { vectorStoreId: '={{ $json.store }}' }, error: /^Vector Store ID is empty: expected a vector store ID such as vs_abc123/ },
	{ name: 'a malformed vector store id', vendor: 'openai', parameters: { vectorStoreId: 'Handbook' }, error: /^Vector Store ID "Handbook" is not a vector store ID: expected vs_/ },
	{
		name: 'a file batch id the input does not have (the default reads $json.id)',
		vendor: 'openai',
		parameters: { batchId: '={{ $json.id }}' },
		input: { object: 'file' },
		error: /^Batch ID is empty: expected a file batch ID such as vsfb_abc123/,
	},
	{ name: 'a file batch id with a space', vendor: 'openai', parameters: { batchId: 'vsfb 1' }, error: /^Batch ID "vsfb 1" is not a file batch ID/ },
	{ name: 'a file id that is not one', vendor: 'openai', parameters: { watch: 'files', fileIds: 'file-a\nhttps://x/y' }, error: /^File IDs holds "https:\/\/x\/y": expected file IDs such as file-abc123/ },
	{ name: 'an empty file id list', vendor: 'openai', parameters: { watch: 'files', fileIds: '={{ [] }}' }, error: /^File IDs is empty/ },
	{ name: 'a whole vector store on the action node', vendor: 'openai', parameters: { watch: 'vectorStore' }, error: /^Watch is "vectorStore": expected "fileBatch" or "files" \(the OpenAI Vector Store Trigger watches a whole vector store\)/ },
	{ name: 'an OpenAI base URL without a scheme', vendor: 'openai', credential: { baseUrl: 'api.openai.com/v1' }, error: /^Base URL of the OpenAI Vector Store API credential is "api.openai.com\/v1": expected a full URL/ },
	{ name: 'an empty OpenAI API key', vendor: 'openai', credential: { apiKey: '' }, error: /^API Key of the OpenAI Vector Store API credential is empty/ },
	{ name: 'a malformed Bedrock knowledge base id', vendor: 'bedrock', parameters: { knowledgeBaseId: 'my-kb' }, error: /^Knowledge Base ID "my-kb" is not an Amazon Bedrock ID: expected 10 letters or digits/ },
	{ name: 'an empty Bedrock data source', vendor: 'bedrock', parameters: { dataSourceId: '={{ $json.dataSourceId }}' }, error: /^Data Source ID is empty: expected the 10-character ID/ },
	{
		name: 'no StartIngestionJob answer for the default Ingestion Job ID',
		vendor: 'bedrock',
		parameters: { watch: 'ingestionJob', ingestionJobId: '={{ $json.ingestionJob?.ingestionJobId }}' },
		error: /^Ingestion Job ID is empty: expected the 10-character ID of the ingestion job/,
	},
	{ name: 'an S3 URI without a key', vendor: 'bedrock', parameters: { documentIds: 's3://bucket/a.pdf, s3://bucket' }, error: /^Document IDs holds "s3:\/\/bucket", which is not an S3 URI of the shape s3:\/\/bucket\/key/ },
	{ name: 'an unknown region', vendor: 'bedrock', credential: { region: 'Frankfurt' }, error: /^Region of the Amazon Bedrock Knowledge Base API credential is "Frankfurt": expected an AWS region code/ },
	{
		name: 'a wrong credential type (a Coze credential on the Dify node)',
		vendor: 'dify',
		otherCredential: {
			credentials: { type: 'cozeApi', data: { accessToken: COZE_TOKEN, region: 'custom', baseUrl: 'http://127.0.0.1:1' } },
			type: new CozeApi(),
		},
		// n8n's own words, naming the credential type the node needs.
		error: /^Node does not have any credentials set for "difyKnowledgeApi"/,
	},
];

describe('bad input', () => {
	it('has at least 30 cases over the six vendors', () => {
		expect(badInputs.length).toBeGreaterThanOrEqual(30);
		expect(new Set(badInputs.map((c) => c.vendor))).toEqual(new Set(['dify', 'coze', 'kendra', 'bailian', 'openai', 'bedrock']));
	});

	it.each(badInputs)('$vendor: $name gets a clear error naming the field', async (bad) => {
		const rig = vendors[bad.vendor];
		const result = await runNode({
			node: rig.node(),
			parameters: { ...rig.parameters(), ...bad.parameters },
			input: [bad.input ?? {}],
			credentials: bad.otherCredential?.credentials ?? rig.credentials(bad.credential),
			credentialTypes: [bad.otherCredential?.type ?? rig.credentialType()],
		});

		expect(result.status).toBe('error');
		expect(result.items).toEqual([]);
		// An n8n error for the item, not a crash of the node.
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(result.error).not.toBeInstanceOf(NodeApiError);
		expect((result.error as NodeOperationError).context.itemIndex).toBe(0);
		expect(result.error?.message).toMatch(bad.error);
		// Found before asking the vendor anything.
		expect(sim.requests).toHaveLength(0);

		// With Continue On Fail, the same words come as the item's answer.
		const continued = await runNode({
			node: rig.node(),
			parameters: { ...rig.parameters(), ...bad.parameters },
			input: [bad.input ?? {}, bad.input ?? {}],
			credentials: bad.otherCredential?.credentials ?? rig.credentials(bad.credential),
			credentialTypes: [bad.otherCredential?.type ?? rig.credentialType()],
			continueOnFail: true,
		});
		expect(continued.status).toBe('success');
		expect(continued.items.map((item) => [item.pairedItem, typeof item.json.error])).toEqual([
			[{ item: 0 }, 'string'],
			[{ item: 1 }, 'string'],
		]);
		expect(String(continued.items[0].json.error)).toMatch(bad.error);
	});
});

describe('a Poll Interval below the vendor\'s minimum', () => {
	it('is raised to the minimum, with a warning in the output pane, and the wait goes on', async () => {
		const [slow, done] = sim.coze.addDocuments(ids.cozeDataset, [
			{ name: 'slow.pdf', script: cozeScript({ steps: 1, secondsPerStep: 0 }) },
			{ name: 'done.pdf', script: cozeCompletedScript() },
		]);
		const result = await runNode({
			node: new CozeKnowledge(),
			parameters: { operation: 'waitUntilIndexed', datasetId: ids.cozeDataset, documentIds: `${slow},${done}`, pollInterval: 0.2, timeout: 30 },
			input: [{}],
			credentials: vendors.coze.credentials(),
			credentialTypes: [new CozeApi()],
		});

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.status)).toEqual(['completed', 'completed']);
		const calls = sim.requestsTo('coze', /\/process$/);
		expect(calls).toHaveLength(2);
		// Coze's minimum is 1 s: the second look came no sooner, though 0.2 s was asked for.
		expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(950);
		expect(Object.values(result.runData).flatMap((runs) => runs[0]?.hints ?? [])).toEqual([
			{ message: 'Poll Interval 0.2 s is below Coze\'s minimum of 1 s: the node polls every 1 s instead.', type: 'warning', location: 'outputPane' },
		]);
	});

	it('gives no warning at or above the minimum', async () => {
		const [done] = sim.coze.addDocuments(ids.cozeDataset, [{ name: 'done.pdf', script: cozeCompletedScript() }]);
		const result = await runNode({
			node: new CozeKnowledge(),
			parameters: { operation: 'waitUntilIndexed', datasetId: ids.cozeDataset, documentIds: done, pollInterval: 1, timeout: 30 },
			input: [{}],
			credentials: vendors.coze.credentials(),
			credentialTypes: [new CozeApi()],
		});
		expect(result.error).toBeUndefined();
		expect(Object.values(result.runData).flatMap((runs) => runs[0]?.hints ?? [])).toEqual([]);
	});
});
