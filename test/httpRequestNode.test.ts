/**
 * The credentials that sign (Amazon Kendra API, Amazon Bedrock Knowledge Base API, Bailian API) used by another node, as the
 * examples use them in n8n's HTTP Request node: that node calls requestWithAuthentication with
 * n8n's older request form (the whole address in `uri`, `qs`, `body`, `json`), not the
 * `baseURL`/`url` form this package's own nodes use. The simulator recomputes each signature.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { AmazonBedrockKnowledgeBaseApi } from '../credentials/AmazonBedrockKnowledgeBaseApi.credentials';
import { AmazonKendraApi } from '../credentials/AmazonKendraApi.credentials';
import { BailianApi } from '../credentials/BailianApi.credentials';
import { runNode } from './harness';
import { type Simulator, startSimulator } from './simulator';

/** A node that sends one request in the older form, the way the HTTP Request node does. */
function legacyRequestNode(credentialType: string, request: IDataObject): INodeType {
	const description: INodeTypeDescription = {
		displayName: 'Legacy Request',
		name: 'legacyRequest',
		group: ['transform'],
		version: 1,
		description: 'Sends one request through requestWithAuthentication',
		defaults: { name: 'Legacy Request' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: credentialType, required: true }],
		properties: [],
	};
	return {
		description,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const response = await this.helpers.requestWithAuthentication.call(this, credentialType, { ...request } as never);
			return [[{ json: (typeof response === 'string' ? JSON.parse(response) : response) as IDataObject }]];
		},
	};
}

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ seed: 21, realClock: true });
});

afterAll(async () => {
	await sim.close();
});

describe('the Amazon Kendra API credential in an HTTP Request node', () => {
	const KEY = { accessKeyId: 'AKIAHTTPREQUESTNODE01', secretAccessKey: 'httpRequestNodeSECRET/0000+key0000000001' };

	it('signs a BatchPutDocument sent with a raw JSON body to the whole address in uri', async () => {
		sim.kendra.addAccessKey(KEY);
		const indexId = sim.kendra.addIndex();
		const body = JSON.stringify({ IndexId: indexId, Documents: [{ Id: 'doc-1', Title: 'One', ContentType: 'PLAIN_TEXT', Blob: 'b25l' }] });
		const result = await runNode({
			node: legacyRequestNode('amazonKendraApi', {
				method: 'POST',
				uri: `${sim.kendra.baseUrl}/`,
				headers: { 'content-type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSKendraFrontendService.BatchPutDocument' },
				body,
				json: false,
			}),
			parameters: {},
			input: [{}],
			credentials: { type: 'amazonKendraApi', data: { ...KEY, region: 'us-east-1', endpoint: '' } },
			credentialTypes: [new AmazonKendraApi()],
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({ FailedDocuments: [] });
		expect(sim.kendra.observationCount(indexId, 'doc-1')).toBe(0); // put, not yet asked about
	});

	it('signs a BatchPutDocument sent with a JSON body (json: true), as the example sends it', async () => {
		const indexId = sim.kendra.addIndex();
		const result = await runNode({
			node: legacyRequestNode('amazonKendraApi', {
				method: 'POST',
				uri: `${sim.kendra.baseUrl}/`,
				headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSKendraFrontendService.BatchPutDocument', accept: 'application/json,text/*;q=0.99' },
				body: { IndexId: indexId, Documents: [{ Id: 'doc-2', Title: 'Two', ContentType: 'PLAIN_TEXT', Blob: 'dHdv' }] },
				json: true,
			}),
			parameters: {},
			input: [{}],
			credentials: { type: 'amazonKendraApi', data: { ...KEY, region: 'us-east-1', endpoint: '' } },
			credentialTypes: [new AmazonKendraApi()],
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({ FailedDocuments: [] });
	});
});

describe('the Bailian API credential in an HTTP Request node', () => {
	it('signs a SubmitIndexAddDocumentsJob whose parameters are in qs, and sends the query it signed', async () => {
		sim.bailian.addAccessKey('LTAI5tHttpRequestNode001', 'httpRequestNodeSECRET0123456789');
		const workspaceId = sim.bailian.addWorkspace();
		const indexId = sim.bailian.addIndex(workspaceId);
		const fileId = sim.bailian.addFile('guide.pdf');
		const result = await runNode({
			node: legacyRequestNode('bailianApi', {
				method: 'POST',
				uri: `${sim.bailian.endpoint}/${workspaceId}/index/add_documents_to_index`,
				qs: { IndexId: indexId, SourceType: 'DATA_CENTER_FILE', DocumentIds: JSON.stringify([fileId]) },
				headers: { 'x-acs-action': 'SubmitIndexAddDocumentsJob' },
				json: true,
			}),
			parameters: {},
			input: [{}],
			credentials: {
				type: 'bailianApi',
				data: { accessKeyId: 'LTAI5tHttpRequestNode001', accessKeySecret: 'httpRequestNodeSECRET0123456789', region: 'custom', endpoint: sim.bailian.endpoint, workspaceId },
			},
			credentialTypes: [new BailianApi()],
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ Success: true, Data: { Id: expect.stringMatching(/^[0-9a-f]{32}$/) } });
		const jobId = String((result.items[0].json.Data as IDataObject | undefined)?.Id);
		expect(sim.bailian.documentIds(jobId)).toEqual([fileId]);
	});
});

describe('the Amazon Bedrock Knowledge Base API credential in an HTTP Request node', () => {
	const KEY = {
		accessKeyId: 'ASIAHTTPREQUESTNODE02',
		secretAccessKey: 'httpRequestNodeBEDROCK/0000+key000000002',
		sessionToken: 'IQoJhttpRequestNodeBedrockSESSION+token=',
	};

	it('signs a StartIngestionJob (PUT, JSON body), as the example sends it, and the answer holds the job id', async () => {
		sim.bedrock.addAccessKey(KEY);
		const knowledgeBaseId = sim.bedrock.addKnowledgeBase();
		const dataSourceId = sim.bedrock.addDataSource(knowledgeBaseId);
		const result = await runNode({
			node: legacyRequestNode('amazonBedrockKnowledgeBaseApi', {
				method: 'PUT',
				uri: `${sim.bedrock.baseUrl}/knowledgebases/${knowledgeBaseId}/datasources/${dataSourceId}/ingestionjobs/`,
				headers: { accept: 'application/json,text/*;q=0.99' },
				body: { clientToken: 'n8n-example-0000000000000000000000001' },
				json: true,
			}),
			parameters: {},
			input: [{}],
			credentials: { type: 'amazonBedrockKnowledgeBaseApi', data: { ...KEY, region: 'us-east-1', endpoint: sim.bedrock.baseUrl } },
			credentialTypes: [new AmazonBedrockKnowledgeBaseApi()],
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({
			ingestionJob: expect.objectContaining({ knowledgeBaseId, dataSourceId, ingestionJobId: expect.stringMatching(/^[0-9A-Z]{10}$/), status: 'STARTING' }),
		});
		expect(sim.bedrock.errorsAnswered).toEqual([]);
	});
});
