/**
 * The simulated Kendra on its own, over HTTP: it must answer as AWS does, reject what AWS
 * rejects, and check every signature; otherwise the node tests prove nothing.
 */
import { signSigV4 } from '../../credentials/signing/sigv4';
import type { SigV4Credentials } from '../../credentials/signing/sigv4';
import { type Simulator, kendraScript, startSimulator } from '../simulator';

const KEY: SigV4Credentials = { accessKeyId: 'AKIASIMTEST000000001', secretAccessKey: 'simulatorSECRET/key+0000000000000000001' };
const TEMP: SigV4Credentials = {
	accessKeyId: 'ASIASIMTEST000000002',
	secretAccessKey: 'simulatorTEMP/secret+000000000000000002',
	sessionToken: 'IQoJb3JpZ2luX2VjESimulatorToken+/=',
};
const EXPIRED: SigV4Credentials = { ...TEMP, accessKeyId: 'ASIASIMTEST000000003', sessionToken: 'IQoJExpiredToken' };

let sim: Simulator;
let indexId: string;

beforeAll(async () => {
	sim = await startSimulator({ seed: 3 });
	sim.kendra.addAccessKey(KEY as { accessKeyId: string; secretAccessKey: string });
	sim.kendra.addAccessKey(TEMP as Required<SigV4Credentials>);
	sim.kendra.addAccessKey({ ...(EXPIRED as Required<SigV4Credentials>), expiresAt: Date.now() - 1000 });
	indexId = sim.kendra.addIndex();
});

afterAll(async () => {
	await sim.close();
});

interface CallOptions {
	credentials?: SigV4Credentials;
	target?: string;
	contentType?: string;
	region?: string;
	service?: string;
	date?: Date;
	/** Changes the body after signing. */
	tamper?: (body: string) => string;
	unsigned?: boolean;
}

async function call(body: unknown, options: CallOptions = {}) {
	const url = `${sim.kendra.baseUrl}/`;
	const text = JSON.stringify(body);
	const headers: Record<string, string> = {
		'content-type': options.contentType ?? 'application/x-amz-json-1.1',
		'x-amz-target': `AWSKendraFrontendService.${options.target ?? 'BatchGetDocumentStatus'}`,
	};
	const signature = signSigV4({ method: 'POST', url, headers, body: text }, options.credentials ?? KEY, {
		region: options.region ?? 'us-east-1',
		service: options.service ?? 'kendra',
		date: options.date ?? new Date(),
	});
	const response = await fetch(url, {
		method: 'POST',
		headers: options.unsigned ? headers : { ...headers, ...signature.headers },
		body: options.tamper ? options.tamper(text) : text,
	});
	return {
		status: response.status,
		requestId: response.headers.get('x-amzn-requestid'),
		errorType: response.headers.get('x-amzn-errortype'),
		body: (await response.json()) as Record<string, unknown>,
	};
}

const statusOf = (ids: string[]) => call({ IndexId: indexId, DocumentInfoList: ids.map((DocumentId) => ({ DocumentId })) });

describe('simulated Kendra: BatchGetDocumentStatus', () => {
	it('moves documents NOT_FOUND → PROCESSING → INDEXED, one step per read, and lists unknown ids as NOT_FOUND', async () => {
		sim.kendra.addDocuments(indexId, [{ id: 'moving.txt', script: kendraScript({ notFound: 1, processing: 1 }) }]);
		const seen: unknown[] = [];
		for (let i = 0; i < 4; i++) {
			const answer = await statusOf(['moving.txt', 'nobody.txt']);
			expect(answer.status).toBe(200);
			expect(answer.requestId).toMatch(/^5e1a0c7d-/);
			seen.push((answer.body.DocumentStatusList as Array<{ DocumentStatus: string }>).map((d) => d.DocumentStatus));
		}
		expect(seen).toEqual([
			['NOT_FOUND', 'NOT_FOUND'],
			['PROCESSING', 'NOT_FOUND'],
			['INDEXED', 'NOT_FOUND'],
			['INDEXED', 'NOT_FOUND'],
		]);
	});

	it('reports FAILED with FailureCode and FailureReason, and Errors[] entries', async () => {
		sim.kendra.addDocuments(indexId, [
			{ id: 'bad.pdf', script: kendraScript({ processing: 0, fail: { code: 'InvalidRequest', reason: 'Encrypted file' } }) },
			{ id: 'err.txt', dataSourceId: 'ds-9', script: [{ state: { error: { code: 'InternalError', message: 'Status unavailable' } } }] },
		]);
		const answer = await statusOf(['bad.pdf', 'err.txt']);
		expect(answer.body).toEqual({
			DocumentStatusList: [{ DocumentId: 'bad.pdf', DocumentStatus: 'FAILED', FailureCode: 'InvalidRequest', FailureReason: 'Encrypted file' }],
			Errors: [{ DocumentId: 'err.txt', DataSourceId: 'ds-9', ErrorCode: 'InternalError', ErrorMessage: 'Status unavailable' }],
		});
	});

	it('rejects more than 10 ids, and none, with ValidationException', async () => {
		const eleven = await statusOf(Array.from({ length: 11 }, (_, i) => `d${i}`));
		expect(eleven.status).toBe(400);
		expect(eleven.body.__type).toBe('com.amazonaws.kendra#ValidationException');
		expect(eleven.body.message).toMatch(/'documentInfoList' failed to satisfy constraint: Member must have length less than or equal to 10/);
		expect(eleven.errorType).toMatch(/^ValidationException:/);
		expect((await statusOf([])).body.message).toMatch(/greater than or equal to 1/);
	});

	it('rejects an index id that is not 36 characters, and answers ResourceNotFoundException for an unknown one', async () => {
		const short = await call({ IndexId: 'abc', DocumentInfoList: [{ DocumentId: 'a' }] });
		expect(short.body).toMatchObject({ __type: 'com.amazonaws.kendra#ValidationException', message: expect.stringContaining("at 'indexId'") });
		const unknown = await call({ IndexId: '99999999-0000-1111-2222-333344445555', DocumentInfoList: [{ DocumentId: 'a' }] });
		expect(unknown.body.__type).toBe('com.amazonaws.kendra#ResourceNotFoundException');
	});

	it('checks version attributes: known keys, datasourceId with jobExecutionId', async () => {
		const bad = await call({
			IndexId: indexId,
			DocumentInfoList: [{ DocumentId: 'a', Attributes: [{ Key: 'datasourceId', Value: { StringValue: 'ds' } }] }],
		});
		expect(bad.body).toMatchObject({ __type: 'com.amazonaws.kendra#ValidationException', message: 'The datasourceId and jobExecutionId attributes must be used together' });
	});

	it('throttles with HTTP 400 and ThrottlingException when told to', async () => {
		sim.kendra.throttle(1);
		const throttled = await statusOf(['a']);
		expect(throttled).toMatchObject({ status: 400, body: { __type: 'com.amazonaws.kendra#ThrottlingException', message: 'Rate exceeded' } });
		expect(throttled.errorType).toBe('ThrottlingException:http://internal.amazon.com/coral/com.amazonaws.kendra/');
		expect((await statusOf(['a'])).status).toBe(200);
	});

	it('dispatches on X-Amz-Target and requires the awsJson1_1 content type', async () => {
		expect((await call({}, { target: 'DeleteIndex' })).body.__type).toBe('UnknownOperationException');
		expect((await call({ MaxResults: 1 }, { contentType: 'application/json' })).body.__type).toBe('SerializationException');
		const list = await call({ MaxResults: 1 }, { target: 'ListIndices' });
		expect(list.status).toBe(200);
		expect(list.body.IndexConfigurationSummaryItems).toEqual([expect.objectContaining({ Id: indexId, Status: 'ACTIVE' })]);
	});
});

describe('simulated Kendra: authentication', () => {
	it('accepts temporary credentials with their session token', async () => {
		expect((await call({ MaxResults: 1 }, { target: 'ListIndices', credentials: TEMP })).status).toBe(200);
	});

	it.each<[string, CallOptions, string, RegExp]>([
		['no signature', { unsigned: true }, 'MissingAuthenticationTokenException', /^Missing Authentication Token$/],
		['a body changed after signing', { tamper: (body) => body.replace('a', 'b') }, 'InvalidSignatureException', /^The request signature we calculated does not match/],
		['a wrong secret', { credentials: { ...KEY, secretAccessKey: 'wrong' } }, 'InvalidSignatureException', /Check your AWS Secret Access Key/],
		['an unknown key', { credentials: { accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' } }, 'UnrecognizedClientException', /security token included in the request is invalid/],
		['a temporary key without its token', { credentials: { ...TEMP, sessionToken: undefined } }, 'UnrecognizedClientException', /invalid/],
		['a temporary key with another token', { credentials: { ...TEMP, sessionToken: 'IQoJother' } }, 'UnrecognizedClientException', /invalid/],
		['a long-term key with a token', { credentials: { ...KEY, sessionToken: 'IQoJstray' } }, 'UnrecognizedClientException', /invalid/],
		['expired temporary credentials', { credentials: EXPIRED }, 'ExpiredTokenException', /is expired/],
		['a clock 10 minutes behind', { date: new Date(Date.now() - 600_000) }, 'InvalidSignatureException', /^Signature expired: \d{8}T\d{6}Z is now earlier than/],
		['another region', { region: 'eu-west-1' }, 'InvalidSignatureException', /scoped to a valid region/],
		['another service', { service: 'es' }, 'InvalidSignatureException', /scoped to correct service: 'kendra'/],
	])('answers %s as AWS does', async (_label, options, type, message) => {
		const answer = await call({ IndexId: indexId, DocumentInfoList: [{ DocumentId: 'a' }] }, options);
		expect(answer.status).toBe(400);
		expect(answer.body.__type).toBe(type);
		expect(answer.body.message).toMatch(message);
		expect(answer.errorType).toMatch(new RegExp(`^${type}:`));
	});

	it('shows the canonical request it expected on a signature mismatch, as AWS does', async () => {
		const answer = await call({ MaxResults: 1 }, { target: 'ListIndices', credentials: { ...TEMP, secretAccessKey: 'wrong' } });
		const message = String(answer.body.message);
		expect(message).toContain("The Canonical String for this request should have been\n'POST\n/kendra/\n\ncontent-type:application/x-amz-json-1.1\n");
		expect(message).toContain(`x-amz-security-token:${TEMP.sessionToken}`);
		expect(message).toContain('The String-to-Sign should have been\n\'AWS4-HMAC-SHA256\n');
	});
});
