/**
 * The simulated Bedrock Agent API on its own, over HTTP, with requests signed by AWS's own signer
 * (@smithy/signature-v4) for the signing name `bedrock`: it must accept them, reject what AWS
 * rejects, and be able to answer every status and error the SDK defines.
 */
import {
	DocumentStatus as SdkDocumentStatus,
	IngestionJobStatus as SdkIngestionJobStatus,
} from '@aws-sdk/client-bedrock-agent';

import type { SigV4Credentials } from '../../credentials/signing/sigv4';
import { BEDROCK_ERROR_STATUS, type BedrockDocumentStatus, type BedrockJobStatus, type Simulator, startSimulator } from '../simulator';
import { smithySign } from '../helpers/smithySigner';

const KEY: SigV4Credentials = { accessKeyId: 'AKIASIMBEDROCK000001', secretAccessKey: 'simulatorBEDROCK/secret+00000000000001' };
const TEMP: SigV4Credentials = {
	accessKeyId: 'ASIASIMBEDROCK000002',
	secretAccessKey: 'simulatorBEDROCK/temp+0000000000000002',
	sessionToken: 'IQoJb3JpZ2luX2VjEBedrockToken+/=',
};

let sim: Simulator;
let kb: string;
let custom: string;
let s3: string;

beforeAll(async () => {
	sim = await startSimulator({ seed: 5 });
	sim.bedrock.addAccessKey(KEY as { accessKeyId: string; secretAccessKey: string });
	sim.bedrock.addAccessKey(TEMP as Required<SigV4Credentials>);
	kb = sim.bedrock.addKnowledgeBase({ name: 'handbook' });
	custom = sim.bedrock.addDataSource(kb, { type: 'CUSTOM' });
	s3 = sim.bedrock.addDataSource(kb, { type: 'S3' });
});

afterAll(async () => {
	await sim.close();
});

interface CallOptions {
	credentials?: SigV4Credentials;
	service?: string;
	region?: string;
}

async function call(method: string, path: string, body?: unknown, options: CallOptions = {}) {
	const url = `${sim.bedrock.baseUrl}${path}`;
	const text = body === undefined ? '' : JSON.stringify(body);
	const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
	const credentials = options.credentials ?? KEY;
	const signed = await smithySign(
		{ request: { method, url, headers, body: text }, credentials, region: options.region ?? 'us-east-1' },
		options.service ?? 'bedrock',
		new Date(),
	);
	delete signed.host;
	const response = await fetch(url, { method, headers: signed, body: body === undefined ? undefined : text });
	return {
		status: response.status,
		errorType: response.headers.get('x-amzn-errortype'),
		requestId: response.headers.get('x-amzn-requestid'),
		body: (await response.json()) as Record<string, unknown>,
	};
}

const documentsPath = (ds: string) => `/knowledgebases/${kb}/datasources/${ds}/documents`;

describe('authentication (SigV4, signing name bedrock, checked against smithy\'s signatures)', () => {
	it('accepts a request smithy signed for bedrock, with and without a session token', async () => {
		const answer = await call('POST', '/knowledgebases/', { maxResults: 1 });
		expect(answer.status).toBe(200);
		expect(answer.body.knowledgeBaseSummaries).toEqual([expect.objectContaining({ knowledgeBaseId: kb, name: 'handbook' })]);
		expect(answer.requestId).toMatch(/^[0-9a-f-]{36}$/);
		expect((await call('POST', '/knowledgebases/', {}, { credentials: TEMP })).status).toBe(200);
	});

	it('rejects a signature for another service, another region, a wrong secret and an unknown key, as AWS does', async () => {
		const kendra = await call('POST', '/knowledgebases/', {}, { service: 'kendra' });
		expect([kendra.status, kendra.errorType]).toEqual([403, expect.stringMatching(/^InvalidSignatureException:/)]);
		expect(kendra.body.message).toContain("scoped to correct service: 'bedrock'");
		const region = await call('POST', '/knowledgebases/', {}, { region: 'eu-west-1' });
		expect(region.body.message).toContain('Credential should be scoped to a valid region');
		const secret = await call('POST', '/knowledgebases/', {}, { credentials: { ...KEY, secretAccessKey: 'wrong' } });
		expect(secret.body.message).toMatch(/^The request signature we calculated does not match/);
		const unknown = await call('POST', '/knowledgebases/', {}, { credentials: { ...KEY, accessKeyId: 'AKIAUNKNOWN000000000' } });
		expect([unknown.status, unknown.errorType]).toEqual([403, expect.stringMatching(/^UnrecognizedClientException/)]);
		const noToken = await call('POST', '/knowledgebases/', {}, { credentials: { ...TEMP, sessionToken: undefined } });
		expect(noToken.errorType).toMatch(/^UnrecognizedClientException/);
	});
});

describe('requests AWS rejects', () => {
	it('answers GetIngestionJob only without a trailing slash', async () => {
		const job = sim.bedrock.addJob(kb, custom);
		expect((await call('GET', `/knowledgebases/${kb}/datasources/${custom}/ingestionjobs/${job}`)).status).toBe(200);
		const slash = await call('GET', `/knowledgebases/${kb}/datasources/${custom}/ingestionjobs/${job}/`);
		expect([slash.status, slash.errorType]).toEqual([404, expect.stringMatching(/^UnknownOperationException/)]);
	});

	it('takes 1 to 10 identifiers of the data source\'s own type', async () => {
		const ids = (n: number) => Array.from({ length: n }, (_, i) => ({ dataSourceType: 'CUSTOM', custom: { id: `d${i}` } }));
		expect((await call('POST', `${documentsPath(custom)}/getDocuments`, { documentIdentifiers: ids(10) })).status).toBe(200);
		const eleven = await call('POST', `${documentsPath(custom)}/getDocuments`, { documentIdentifiers: ids(11) });
		expect([eleven.status, eleven.errorType]).toEqual([400, expect.stringMatching(/^ValidationException/)]);
		expect(eleven.body.message).toContain('less than or equal to 10');
		const wrongType = await call('POST', `${documentsPath(s3)}/getDocuments`, { documentIdentifiers: ids(1) });
		expect(wrongType.body.message).toBe('The document identifier type CUSTOM does not match the data source type S3.');
	});

	it('checks ids, maxResults and nextToken, and names what it did not find', async () => {
		const badId = await call('GET', `/knowledgebases/short/datasources/${custom}`);
		expect([badId.status, badId.body.message]).toEqual([400, expect.stringContaining("'short' at 'knowledgeBaseId'")]);
		expect((await call('POST', documentsPath(custom), { maxResults: 1001 })).errorType).toMatch(/^ValidationException/);
		expect((await call('POST', documentsPath(custom), { nextToken: 'forged' })).body.message).toBe('The provided nextToken is not valid.');
		const missing = await call('GET', `/knowledgebases/${kb}/datasources/ZZZZZZZZZZ/ingestionjobs/ZZZZZZZZZZ`);
		expect([missing.status, missing.errorType, missing.body.message]).toEqual([404, expect.stringMatching(/^ResourceNotFoundException/), expect.stringContaining('DataSource')]);
	});

	it('refuses an operation the key\'s IAM policy does not allow, naming the bedrock: action', async () => {
		const limited = { accessKeyId: 'AKIASIMBEDROCK000003', secretAccessKey: 'limited/secret+000000000000000000003' };
		sim.bedrock.addAccessKey({ ...limited, allow: ['bedrock:ListKnowledgeBases'] });
		const denied = await call('POST', documentsPath(custom), {}, { credentials: limited });
		expect([denied.status, denied.errorType]).toEqual([403, expect.stringMatching(/^AccessDeniedException/)]);
		expect(denied.body.message).toContain('bedrock:ListKnowledgeBaseDocuments');
	});
});

describe('every status and error of the SDK', () => {
	it('shows every DocumentStatus, with IGNORED\'s statusReason, by custom id and by S3 URI', async () => {
		const statuses = Object.values(SdkDocumentStatus) as BedrockDocumentStatus[];
		sim.bedrock.addDocuments(
			kb,
			custom,
			statuses.map((status) => ({ id: `status-${status}`, script: [{ state: { status, statusReason: status === 'IGNORED' ? 'unsupported file type' : undefined } }] })),
		);
		const shown: string[] = [];
		for (let i = 0; i < statuses.length; i += 10) {
			const chunk = statuses.slice(i, i + 10).map((status) => ({ dataSourceType: 'CUSTOM', custom: { id: `status-${status}` } }));
			const answer = await call('POST', `${documentsPath(custom)}/getDocuments`, { documentIdentifiers: chunk });
			for (const detail of answer.body.documentDetails as Array<{ status: string; statusReason?: string }>) {
				shown.push(detail.status);
				if (detail.status === 'IGNORED') expect(detail.statusReason).toBe('unsupported file type');
			}
		}
		expect(shown.sort()).toEqual([...statuses].sort());
		sim.bedrock.addDocuments(kb, s3, [{ id: 's3://bucket/guide.pdf', script: [{ state: { status: 'INDEXED' } }] }]);
		const byUri = await call('POST', `${documentsPath(s3)}/getDocuments`, { documentIdentifiers: [{ dataSourceType: 'S3', s3: { uri: 's3://bucket/guide.pdf' } }] });
		expect(byUri.body.documentDetails).toEqual([expect.objectContaining({ status: 'INDEXED', identifier: { dataSourceType: 'S3', s3: { uri: 's3://bucket/guide.pdf' } } })]);
	});

	it('moves a job through every IngestionJobStatus it is scripted with, with its eight statistics', async () => {
		const statuses = Object.values(SdkIngestionJobStatus) as BedrockJobStatus[];
		const job = sim.bedrock.addJob(kb, custom, {
			script: statuses.map((status) => ({ state: { status, failureReasons: status === 'FAILED' ? ['bucket gone'] : undefined } })),
			documents: [{ id: 'job-doc' }],
		});
		const seen: string[] = [];
		for (const _ of statuses) {
			const answer = await call('GET', `/knowledgebases/${kb}/datasources/${custom}/ingestionjobs/${job}`);
			const ingestionJob = answer.body.ingestionJob as { status: string; statistics: Record<string, number>; failureReasons?: string[] };
			seen.push(ingestionJob.status);
			expect(Object.keys(ingestionJob.statistics)).toHaveLength(8);
			if (ingestionJob.status === 'FAILED') expect(ingestionJob.failureReasons).toEqual(['bucket gone']);
		}
		expect(seen).toEqual(statuses);
	});

	it.each(Object.keys(BEDROCK_ERROR_STATUS).filter((name) => !name.includes('Signature') && !name.includes('Token') && !name.includes('Unrecognized')))(
		'answers %s with its HTTP status and its name in x-amzn-ErrorType',
		async (name) => {
			sim.bedrock.failNext(name, `simulated ${name}`);
			const answer = await call('POST', '/knowledgebases/', {});
			expect([answer.status, answer.errorType, answer.body.message]).toEqual([
				BEDROCK_ERROR_STATUS[name],
				`${name}:http://internal.amazon.com/coral/com.amazonaws.bedrockagent/`,
				`simulated ${name}`,
			]);
		},
	);

	it('can put the error name in the body instead (__type or code), as the SDK also reads', async () => {
		try {
			sim.bedrock.errorNameIn = '__type';
			sim.bedrock.failNext('ConflictException', 'busy');
			const typed = await call('POST', '/knowledgebases/', {});
			expect([typed.errorType, typed.body.__type]).toEqual([null, 'com.amazonaws.bedrockagent#ConflictException']);
			sim.bedrock.errorNameIn = 'code';
			sim.bedrock.throttle();
			expect((await call('POST', '/knowledgebases/', {})).body.code).toBe('ThrottlingException');
		} finally {
			sim.bedrock.errorNameIn = 'header';
		}
	});

	it('pages documents with an opaque token, and stamps updatedAt when a status changes', async () => {
		const ds = sim.bedrock.addDataSource(kb);
		sim.bedrock.addDocuments(kb, ds, Array.from({ length: 3 }, (_, i) => ({ id: `p${i}` })));
		const first = await call('POST', documentsPath(ds), { maxResults: 2 });
		expect((first.body.documentDetails as unknown[]).length).toBe(2);
		const second = await call('POST', documentsPath(ds), { maxResults: 2, nextToken: first.body.nextToken });
		expect(second.body).toEqual({ documentDetails: [expect.objectContaining({ identifier: { dataSourceType: 'CUSTOM', custom: { id: 'p2' } } })] });
		const before = (second.body.documentDetails as Array<{ updatedAt: string }>)[0].updatedAt;
		sim.clock.advance(60_000);
		const after = await call('POST', documentsPath(ds), { maxResults: 1000 });
		const p2 = (after.body.documentDetails as Array<{ status: string; updatedAt: string; identifier: { custom: { id: string } } }>).find((d) => d.identifier.custom.id === 'p2');
		expect(p2?.status).toBe('IN_PROGRESS');
		expect(Date.parse(p2?.updatedAt ?? '') - Date.parse(before)).toBe(60_000);
	});
});
