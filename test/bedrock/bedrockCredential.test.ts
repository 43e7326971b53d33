/**
 * The Amazon Bedrock Knowledge Base API credential: signed with the package's shared SigV4 signer
 * for the Bedrock Agent client's signing name, byte for byte as @smithy/signature-v4 signs, and
 * tested the way the editor's Test button does against an endpoint that verifies the signature.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IHttpRequestOptions } from 'n8n-workflow';

import { AmazonBedrockKnowledgeBaseApi } from '../../credentials/AmazonBedrockKnowledgeBaseApi.credentials';
import { testCredential } from '../harness';
import { smithySign } from '../helpers/smithySigner';

const SDK = readFileSync(require.resolve('@aws-sdk/client-bedrock-agent'), 'utf8');
const KEYS = {
	accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
	secretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
	sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexample+token/with=chars',
};

describe('the Bedrock Agent API as @aws-sdk/client-bedrock-agent defines it', () => {
	it('signs for the SDK\'s signing name, and tests with its ListKnowledgeBases', () => {
		const names = [...SDK.matchAll(/signingName: "([^"]+)"/g)].map((match) => match[1]);
		expect(names.length).toBeGreaterThan(0);
		expect(new Set(names)).toEqual(new Set(['bedrock']));
		// The ListKnowledgeBases operation's HTTP trait: method, path, success code.
		expect(SDK).toContain('["POST", "/knowledgebases/", 200] }, () => ListKnowledgeBasesRequest$');
		const { request } = new AmazonBedrockKnowledgeBaseApi().test;
		expect([request.method, request.url, request.body]).toEqual(['POST', '/knowledgebases/', { maxResults: 1 }]);
	});
});

describe('signing', () => {
	it('signs a REST path with escaped segments and a session token exactly as AWS does', async () => {
		const url =
			'https://bedrock-agent.eu-central-1.amazonaws.com/knowledgebases/KB%20ONE%2F1/datasources/DS*1%3A2/ingestionjobs/JOB~%C3%BC';
		const signed = (await new AmazonBedrockKnowledgeBaseApi().authenticate(
			{ ...KEYS, region: 'eu-central-1' },
			{ url, method: 'GET', headers: { Accept: 'application/json' } },
		)) as IHttpRequestOptions & { headers: Record<string, string> };
		const expected = await smithySign(
			{ credentials: KEYS, region: 'eu-central-1', request: { method: 'GET', url, headers: {} } },
			'bedrock',
			isoOf(signed.headers['X-Amz-Date']),
		);
		expect(signed.headers.Authorization).toBe(expected.authorization);
		expect(signed.headers.Authorization).toContain('/eu-central-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token,');
		expect(signed.headers['X-Amz-Security-Token']).toBe(KEYS.sessionToken);
	});

	it('signs the JSON body of a document status call as the text sent', async () => {
		const url = 'https://bedrock-agent.us-east-1.amazonaws.com/knowledgebases/KB12345678/datasources/DS12345678/documents/getDocuments';
		const body = { documentIdentifiers: [{ dataSourceType: 'S3', s3: { uri: 's3://bucket/Überblick 2026.pdf' } }] };
		const { sessionToken: _unused, ...longTerm } = KEYS;
		const signed = (await new AmazonBedrockKnowledgeBaseApi().authenticate(
			{ ...longTerm, region: 'us-east-1' },
			{ url, method: 'POST', headers: { 'Content-Type': 'application/json' }, body },
		)) as IHttpRequestOptions & { headers: Record<string, string> };
		expect(signed.body).toBe(JSON.stringify(body));
		const expected = await smithySign(
			{
				credentials: longTerm,
				region: 'us-east-1',
				request: { method: 'POST', url, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
			},
			'bedrock',
			isoOf(signed.headers['X-Amz-Date']),
		);
		expect(signed.headers.Authorization).toBe(expected.authorization);
		expect(signed.headers).not.toHaveProperty('X-Amz-Security-Token');
	});
});

/** `20261122T053039Z` back to a Date. */
function isoOf(amzDate: string): Date {
	const [, y, mo, d, h, mi, s] = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(amzDate) as RegExpExecArray;
	return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
}

/**
 * ListKnowledgeBases as the AWS front end answers it: it checks the key, the region of the
 * signature's scope and the signature itself (re-signed with smithy), then the permission, and
 * answers REST-JSON errors with the name in x-amzn-ErrorType and only a message in the body.
 */
describe('credential test (Test button)', () => {
	const REGION = 'us-west-2';
	const DENIED_KEY = 'AKIADENIEDEXAMPLE000';
	const THROTTLED_KEY = 'AKIATHROTTLEDEXAMPLE';
	let throttleWithType = false;
	let baseUrl = '';
	const requests: string[] = [];
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (chunk) => (body += chunk));
		req.on('end', async () => {
			requests.push(`${req.method} ${req.url} ${body}`);
			const answer = (status: number, name: string | null, payload: object) => {
				res.writeHead(status, { 'content-type': 'application/json', ...(name ? { 'x-amzn-errortype': `${name}:http://internal.amazon.com/coral/com.amazon.coral.service/` } : {}) });
				res.end(JSON.stringify(payload));
			};
			const auth = String(req.headers.authorization ?? '');
			const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
			if (!scope) return answer(403, 'MissingAuthenticationTokenException', { message: 'Missing Authentication Token' });
			const [, accessKeyId, region] = scope;
			if (!req.url?.startsWith('/knowledgebases/')) return answer(404, null, { message: 'Not Found' });
			if (![KEYS.accessKeyId, DENIED_KEY, THROTTLED_KEY].includes(accessKeyId)) {
				return answer(403, 'UnrecognizedClientException', { message: 'The security token included in the request is invalid.' });
			}
			if (region !== REGION) {
				// AWS's fronts word it in two fixed ways (and a third that names the region).
				const message = region === 'eu-west-1' ? 'The credential must be scoped to a valid region.' : 'Credential should be scoped to a valid region. ';
				return answer(403, 'InvalidSignatureException', { message });
			}
			const headers: Record<string, string> = { host: String(req.headers.host) };
			for (const name of ['content-type', 'x-amz-security-token']) {
				if (req.headers[name] !== undefined) headers[name] = String(req.headers[name]);
			}
			const expected = await smithySign(
				{
					credentials: { ...KEYS, accessKeyId, ...(req.headers['x-amz-security-token'] ? {} : { sessionToken: undefined }) },
					region: REGION,
					request: { method: String(req.method), url: `${baseUrl}${req.url}`, headers, body },
				},
				'bedrock',
				isoOf(String(req.headers['x-amz-date'])),
			);
			if (expected.authorization !== auth) {
				// AWS goes on with the canonical request and string to sign it expected, session
				// token included, so the message is never the same twice and holds a secret.
				return answer(403, 'InvalidSignatureException', {
					message:
						'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n' +
						`The Canonical String for this request should have been\n'POST\n/knowledgebases/\n\ncontent-type:application/json\nhost:${req.headers.host}\nx-amz-date:${req.headers['x-amz-date']}\nx-amz-security-token:${req.headers['x-amz-security-token'] ?? ''}\n'\n\n` +
						`The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n${req.headers['x-amz-date']}\n'\n`,
				});
			}
			if (accessKeyId === DENIED_KEY) {
				// REST-JSON: the name only in x-amzn-ErrorType, the body only a message.
				return answer(403, 'AccessDeniedException', {
					message: `User: arn:aws:iam::123456789012:user/n8n is not authorized to perform: bedrock:ListKnowledgeBases because no identity-based policy allows the bedrock:ListKnowledgeBases action`,
				});
			}
			if (accessKeyId === THROTTLED_KEY) {
				return answer(429, 'ThrottlingException', { message: 'Rate exceeded', ...(throttleWithType ? { __type: 'ThrottlingException' } : {}) });
			}
			return answer(200, null, { knowledgeBaseSummaries: [] });
		});
	});

	beforeAll(async () => {
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => await new Promise<void>((resolve) => server.close(() => resolve())));

	const run = async (data: Record<string, string>) => {
		const result = await testCredential({
			credentialType: new AmazonBedrockKnowledgeBaseApi(),
			data: { region: REGION, endpoint: baseUrl, ...KEYS, ...data },
		});
		for (const secret of [KEYS.secretAccessKey, KEYS.sessionToken, data.secretAccessKey].filter(Boolean)) {
			expect(result.message).not.toContain(secret);
		}
		return result;
	};

	it('passes with valid keys and a session token, sending ListKnowledgeBases with maxResults 1', async () => {
		requests.length = 0;
		expect(await run({})).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(requests).toEqual(['POST /knowledgebases/ {"maxResults":1}']);
	});

	it('tells a wrong Access Key ID, an unknown temporary key and a wrong region apart', async () => {
		const wrongKey = await run({ accessKeyId: 'AKIAUNKNOWNEXAMPLE00', sessionToken: '' });
		const unknownTemporary = await run({ accessKeyId: 'ASIAUNKNOWNEXAMPLE00' });
		const wrongRegion = await run({ region: 'us-east-1' });
		expect((await run({ region: 'eu-west-1' })).message).toBe(wrongRegion.message);
		expect(wrongKey.message).toMatch(/^AWS does not know this Access Key ID \(UnrecognizedClientException\)/);
		expect(unknownTemporary.message).toMatch(/Session Token/);
		expect(wrongRegion.message).toMatch(/^AWS refused the region the request was signed for: check Region/);
		for (const result of [wrongKey, unknownTemporary, wrongRegion]) expect(result.status).toBe('Error');
	});

	// The credential's last rule: an answer without the knowledge base list.
	const NOT_LISTED = (new AmazonBedrockKnowledgeBaseApi().test.rules?.at(-1) as { properties: { key: string; message: string } }).properties;

	// AWS answers both with HTTP 403 and names them only in x-amzn-ErrorType; the wrong secret's
	// message goes on with the canonical request, the denial's names the caller. No body rule can
	// match either, so both get the message that names both causes.
	it('gives a wrong secret and a missing permission the message that names both', async () => {
		const wrongSecret = await run({ secretAccessKey: 'not-the-secret-of-this-key' });
		const denied = await run({ accessKeyId: DENIED_KEY, sessionToken: '' });
		expect(wrongSecret).toEqual({ status: 'Error', message: NOT_LISTED.message });
		expect(denied).toEqual({ status: 'Error', message: NOT_LISTED.message });
		expect(NOT_LISTED.key).toBe('knowledgeBaseSummaries');
		expect(NOT_LISTED.message).toMatch(/Secret Access Key is wrong \(InvalidSignatureException\).*bedrock:ListKnowledgeBases \(AccessDeniedException\)/);
	});

	it('names a throttled test only when the body names it too, and another server by the missing list', async () => {
		// The SDK's error shapes allow the name in the body (`__type`); then the rule names it.
		throttleWithType = true;
		const throttled = await run({ accessKeyId: THROTTLED_KEY, sessionToken: '' });
		throttleWithType = false;
		expect(throttled.message).toMatch(/^AWS throttled the test request \(ThrottlingException\)/);
		expect(await run({ endpoint: `${baseUrl}/bedrock` })).toEqual({ status: 'Error', message: NOT_LISTED.message });
	});
});
