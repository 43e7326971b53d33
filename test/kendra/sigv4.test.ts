/**
 * The package's SigV4 signer against AWS's own (@smithy/signature-v4, what the AWS SDK v3 signs
 * with), on fixed requests: the signed headers must be identical byte for byte.
 */
import { createHash } from 'node:crypto';

import type { IHttpRequestOptions } from 'n8n-workflow';

import { AmazonKendraApi } from '../../credentials/AmazonKendraApi.credentials';
import { signAwsRequest } from '../../credentials/signing/awsRequest';
import { amzDate, signSigV4, signingKey } from '../../credentials/signing/sigv4';
import type { SigV4Credentials, SigV4Request } from '../../credentials/signing/sigv4';
import { smithySign } from '../helpers/smithySigner';
import type { SmithyCase } from '../helpers/smithySigner';

const DATE = new Date('2026-11-22T05:30:39.123Z');
const LONG_TERM: SigV4Credentials = {
	accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
	secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const TEMPORARY: SigV4Credentials = {
	accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
	secretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
	sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexample+token/with=chars',
};

const kendraHeaders = (target: string) => ({
	'content-type': 'application/x-amz-json-1.1',
	'x-amz-target': `AWSKendraFrontendService.${target}`,
});

interface Case {
	name: string;
	request: SigV4Request;
	credentials: SigV4Credentials;
	region: string;
}

const cases: Case[] = [
	{
		name: 'BatchGetDocumentStatus with long-term keys',
		credentials: LONG_TERM,
		region: 'us-east-1',
		request: {
			method: 'POST',
			url: 'https://kendra.us-east-1.amazonaws.com/',
			headers: kendraHeaders('BatchGetDocumentStatus'),
			body: '{"IndexId":"0123abcd-0000-1111-2222-333344445555","DocumentInfoList":[{"DocumentId":"doc-1"},{"DocumentId":"s3://bucket/key.pdf"}]}',
		},
	},
	{
		name: 'a session token (temporary credentials)',
		credentials: TEMPORARY,
		region: 'eu-west-1',
		request: {
			method: 'POST',
			url: 'https://kendra.eu-west-1.amazonaws.com/',
			headers: kendraHeaders('ListIndices'),
			body: '{"MaxResults":1}',
		},
	},
	{
		name: 'a custom endpoint with a port and a path',
		credentials: TEMPORARY,
		region: 'us-west-2',
		request: {
			method: 'POST',
			url: 'http://127.0.0.1:40123/kendra/',
			headers: kendraHeaders('BatchGetDocumentStatus'),
			body: '{"IndexId":"0123abcd-0000-1111-2222-333344445555","DocumentInfoList":[{"DocumentId":"a"}]}',
		},
	},
	{
		name: 'a body with non-ASCII text',
		credentials: LONG_TERM,
		region: 'ap-northeast-1',
		request: {
			method: 'POST',
			url: 'https://kendra.ap-northeast-1.amazonaws.com/',
			headers: kendraHeaders('BatchGetDocumentStatus'),
			body: '{"IndexId":"0123abcd-0000-1111-2222-333344445555","DocumentInfoList":[{"DocumentId":"報告書-2026 Überblick.pdf"},{"DocumentId":"emoji-📄"}]}',
		},
	},
	{
		name: 'a query, an escaped path, a Host header and untrimmed values',
		credentials: LONG_TERM,
		region: 'us-east-1',
		request: {
			method: 'GET',
			url: 'https://vpce-0123.kendra.us-east-1.vpce.amazonaws.com:8443/a%20b/./c/../d*e?z=1&a=x%20y&a=%21w&empty=&tilde=~',
			headers: { Host: 'vpce-0123.kendra.us-east-1.vpce.amazonaws.com:8443', 'X-Amz-Meta': '  two   spaces\tand tab  ' },
		},
	},
	{
		name: 'an empty body and unsignable headers',
		credentials: TEMPORARY,
		region: 'us-east-2',
		request: {
			method: 'POST',
			url: 'https://kendra.us-east-2.amazonaws.com/',
			headers: { ...kendraHeaders('ListIndices'), 'user-agent': 'n8n', 'x-amzn-trace-id': 'Root=1' },
			body: '',
		},
	},
];

const smithySignKendra = (testCase: SmithyCase) => smithySign(testCase, 'kendra', DATE);

describe('SigV4 signer, conformance with @smithy/signature-v4', () => {
	it.each(cases.map((c) => [c.name, c] as const))('signs %s exactly as AWS does', async (_name, testCase) => {
		const expected = await smithySignKendra(testCase);
		const ours = signSigV4(testCase.request, testCase.credentials, { region: testCase.region, service: 'kendra', date: DATE });

		expect(ours.headers.Authorization).toBe(expected.authorization);
		expect(ours.headers['X-Amz-Date']).toBe(expected['x-amz-date']);
		expect(ours.headers['X-Amz-Security-Token']).toBe(expected['x-amz-security-token']);
		expect(Object.keys(ours.headers).sort()).toEqual(
			['Authorization', 'X-Amz-Date', ...(testCase.credentials.sessionToken ? ['X-Amz-Security-Token'] : [])].sort(),
		);
	});

	it('signs the session token and the target, and never the User-Agent', () => {
		const signed = signSigV4(cases[5].request, TEMPORARY, { region: 'us-east-2', service: 'kendra', date: DATE });
		expect(signed.signedHeaders).toBe('content-type;host;x-amz-date;x-amz-security-token;x-amz-target');
	});

	it('hashes a non-ASCII body as UTF-8', () => {
		const signed = signSigV4(cases[3].request, LONG_TERM, { region: 'ap-northeast-1', service: 'kendra', date: DATE });
		const utf8Hash = createHash('sha256').update(Buffer.from(cases[3].request.body as string, 'utf8')).digest('hex');
		expect(signed.canonicalRequest.endsWith(`\n${utf8Hash}`)).toBe(true);
	});

	it('matches the key derivation example of the AWS documentation', () => {
		// docs.aws.amazon.com/general/latest/gr/sigv4-calculate-signature.html (iam, 2015-08-30)
		const key = signingKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830', 'us-east-1', 'iam');
		expect(key.toString('hex')).toBe('c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
		expect(amzDate(DATE)).toBe('20261122T053039Z');
	});
});

describe('signAwsRequest, what the credential signs in n8n', () => {
	const credentials = {
		accessKeyId: TEMPORARY.accessKeyId,
		secretAccessKey: TEMPORARY.secretAccessKey,
		sessionToken: TEMPORARY.sessionToken as string,
		region: 'us-west-2',
	};

	it('joins baseURL and url as axios does, serializes an object body, and signs that text', async () => {
		const options: IHttpRequestOptions = {
			baseURL: 'http://127.0.0.1:40123/kendra/',
			url: '/',
			method: 'POST',
			headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSKendraFrontendService.ListIndices', Accept: 'application/json' },
			body: { MaxResults: 1 },
		};
		const signed = signAwsRequest(credentials, options, 'kendra', DATE);
		expect(signed.body).toBe('{"MaxResults":1}');
		expect(signed.baseURL).toBe(options.baseURL);
		const expected = await smithySignKendra({
			credentials: TEMPORARY,
			region: 'us-west-2',
			request: {
				method: 'POST',
				url: 'http://127.0.0.1:40123/kendra/',
				headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSKendraFrontendService.ListIndices' },
				body: '{"MaxResults":1}',
			},
		});
		const headers = signed.headers as Record<string, string>;
		expect(headers.Authorization).toBe(expected.authorization);
		expect(headers['X-Amz-Security-Token']).toBe(TEMPORARY.sessionToken);
		// Accept stays as it was, unsigned: n8n may add its own.
		expect(headers.Accept).toBe('application/json');
		expect(headers.Authorization).toContain('SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,');
	});

	it('signs again from scratch when n8n retries with the already signed options', () => {
		const options: IHttpRequestOptions = {
			url: 'https://kendra.us-west-2.amazonaws.com/',
			method: 'POST',
			headers: { 'content-type': 'application/x-amz-json-1.1' },
			body: '{}',
		};
		const first = signAwsRequest(credentials, options, 'kendra', DATE);
		const again = signAwsRequest(credentials, first, 'kendra', DATE);
		expect(again.headers).toEqual(first.headers);
		expect(Object.keys(again.headers as object).filter((name) => name.toLowerCase() === 'authorization')).toHaveLength(1);
	});

	it('adds qs to the signed query, as n8n sends it', async () => {
		const signed = signAwsRequest(
			{ ...credentials, sessionToken: '' },
			{ url: 'https://kendra.us-west-2.amazonaws.com/path', method: 'GET', qs: { b: 'two words', a: 1 } },
			'kendra',
			DATE,
		);
		const expected = await smithySignKendra({
			credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
			region: 'us-west-2',
			request: { method: 'GET', url: 'https://kendra.us-west-2.amazonaws.com/path?b=two%20words&a=1', headers: {} },
		});
		expect((signed.headers as Record<string, string>).Authorization).toBe(expected.authorization);
		expect(signed.headers).not.toHaveProperty('X-Amz-Security-Token');
	});

	it('is the authenticate of the Amazon Kendra API credential', async () => {
		const options: IHttpRequestOptions = { url: 'https://kendra.us-west-2.amazonaws.com/', method: 'POST', body: '{}' };
		const signed = await new AmazonKendraApi().authenticate(credentials, options);
		expect((signed.headers as Record<string, string>).Authorization).toMatch(
			/^AWS4-HMAC-SHA256 Credential=ASIAIOSFODNN7EXAMPLE\/\d{8}\/us-west-2\/kendra\/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
		);
	});
});
