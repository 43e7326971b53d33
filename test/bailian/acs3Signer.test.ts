/**
 * Conformance of the package's ACS3-HMAC-SHA256 signer with Alibaba Cloud's own
 * (@alicloud/openapi-util `getAuthorization`, the function the official SDKs sign with), on
 * fixed requests, byte for byte. The official function is given the request as the SDK holds it
 * (path encoded by its own `getEncodePath`, decoded query values, the headers the SDK sends), not
 * what the package's signer produced, so that a mistake in the signer shows as a mismatch.
 */
import { createHash, createHmac } from 'node:crypto';

import OpenApiUtil from '@alicloud/openapi-util';
import type * as $tea from '@alicloud/tea-typescript';

import {
	ACS3_ALGORITHM,
	canonicalQuery,
	canonicalRequestOf,
	rfc3986,
	signAcs3,
} from '../../credentials/signing/acs3';
import { signBailianRequest } from '../../credentials/signing/bailianRequest';

const ACCESS_KEY_ID = 'LTAI5tConformance0000000';
const ACCESS_KEY_SECRET = 'conformanceSecret0123456789abcdefghij';
const STS_KEY_ID = 'STS.NTconformance000000000';
const STS_SECRET = 'stsSecret0987654321zyxwvutsrqpo';
const STS_TOKEN = 'CAIS+token/with=chars&more==';
const DATE = new Date(Date.UTC(2026, 10, 22, 5, 30, 20));
const NONCE = '3129edff9c6e4a5f8f0cbd1c1c54d66e';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

interface Case {
	title: string;
	method: string;
	host: string;
	/** Raw path segments, before any encoding. */
	segments: string[];
	query: Record<string, string>;
	body?: string;
	contentType?: string;
	action: string;
	sts?: boolean;
}

const CASES: Case[] = [
	{
		title: 'GetIndexJobStatus with a lower-case pageSize (sorted after PageNumber)',
		method: 'GET',
		host: 'bailian.cn-beijing.aliyuncs.com',
		segments: ['llm-3z7uw7fwz0vexxxx', 'index', 'job', 'status'],
		query: { JobId: '66122af12a4e45ddae6bd6c845556647', IndexId: '79c0aly8zw', PageNumber: '1', pageSize: '1000' },
		action: 'GetIndexJobStatus',
	},
	{
		title: 'a query whose values need RFC 3986 encoding',
		method: 'GET',
		host: '127.0.0.1:18081',
		segments: ['llm-ws', 'index', 'list_index_documents'],
		query: {
			IndexId: 'idx 1',
			DocumentName: "产品介绍 (v2)*!'~ a+b=c&d/é",
			PageNumber: '2',
			PageSize: '500',
			'Z-Key': '',
		},
		action: 'ListIndexDocuments',
	},
	{
		title: 'STS credentials: the security token is sent and signed',
		method: 'GET',
		host: 'bailian.ap-southeast-1.aliyuncs.com',
		segments: ['llm-sts', 'index', 'job', 'status'],
		query: { IndexId: 'i', JobId: 'j', PageNumber: '1', pageSize: '10' },
		action: 'GetIndexJobStatus',
		sts: true,
	},
	{
		title: 'a path segment that needs encoding, and a JSON body with its content type (STS)',
		method: 'POST',
		host: 'bailian-vpc.cn-beijing.aliyuncs.com',
		segments: ["llm ws(1)*'~", 'index', 'add_documents_to_index'],
		query: { IndexId: 'idx', SourceType: 'DATA_CENTER_FILE', DocumentIds: '["file_1","file_2"]' },
		body: '{"note":"中文 body"}',
		contentType: 'application/json; charset=utf-8',
		action: 'SubmitIndexAddDocumentsJob',
		sts: true,
	},
];

function keysOf(c: Case) {
	return c.sts
		? { accessKeyId: STS_KEY_ID, accessKeySecret: STS_SECRET, securityToken: STS_TOKEN }
		: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET };
}

function urlOf(c: Case): string {
	return `https://${c.host}/${c.segments.map(encodeURIComponent).join('/')}`;
}

/** The request as the official SDK builds it for the same call (openapi-core doROARequest). */
function officialRequest(c: Case): $tea.Request {
	const payload = createHash('sha256').update(c.body ?? '', 'utf8').digest('hex');
	const headers: Record<string, string> = {
		host: c.host,
		'x-acs-version': '2023-12-29',
		'x-acs-action': c.action,
		'user-agent': 'AlibabaCloud (linux; x64) Node.js/v20 Core/1.0 TeaDSL/2',
		'x-acs-date': '2026-11-22T05:30:20Z',
		'x-acs-signature-nonce': NONCE,
		accept: 'application/json',
		'x-acs-content-sha256': payload,
	};
	if (c.contentType) headers['content-type'] = c.contentType;
	if (c.sts) {
		headers['x-acs-accesskey-id'] = STS_KEY_ID;
		headers['x-acs-security-token'] = STS_TOKEN;
	}
	return {
		method: c.method,
		pathname: OpenApiUtil.getEncodePath(`/${c.segments.join('/')}`),
		query: { ...c.query },
		headers,
	} as unknown as $tea.Request;
}

function officialAuthorization(c: Case, request = officialRequest(c)): string {
	const keys = keysOf(c);
	return OpenApiUtil.getAuthorization(
		request,
		ACS3_ALGORITHM,
		request.headers['x-acs-content-sha256'],
		keys.accessKeyId,
		keys.accessKeySecret,
	);
}

function sign(c: Case) {
	return signAcs3(
		{
			method: c.method,
			url: urlOf(c),
			query: c.query,
			headers: {
				Accept: 'application/json',
				'User-Agent': 'n8n',
				...(c.contentType ? { 'Content-Type': c.contentType } : {}),
			},
			body: c.body,
		},
		keysOf(c),
		{ action: c.action, version: '2023-12-29', date: DATE, nonce: NONCE },
	);
}

describe('ACS3-HMAC-SHA256 against @alicloud/openapi-util', () => {
	it.each(CASES)('signs $title byte for byte as the official util', (c) => {
		const signed = sign(c);
		expect(signed.headers.Authorization).toBe(officialAuthorization(c));
		// The header values the signature covers are the SDK's own.
		const official = officialRequest(c).headers;
		for (const name of Object.keys(official).filter((n) => n === 'host' || n === 'content-type' || n.startsWith('x-acs-'))) {
			const sent = Object.entries(signed.headers).find(([key]) => key.toLowerCase() === name);
			expect([name, sent?.[1]]).toEqual([name, official[name]]);
		}
	});

	it('sends the token with STS credentials, signed, and nothing STS-related without them', () => {
		const withSts = sign(CASES[2]);
		expect(withSts.headers['x-acs-security-token']).toBe(STS_TOKEN);
		expect(withSts.headers.Authorization).toMatch(/SignedHeaders=[^,]*x-acs-security-token/);
		expect(withSts.headers.Authorization).toMatch(/^ACS3-HMAC-SHA256 Credential=STS\.NTconformance000000000,/);
		const plain = sign(CASES[0]);
		expect(Object.keys(plain.headers).filter((name) => /token|accesskey/i.test(name))).toEqual([]);
	});

	it('puts exactly the signed path and query on the wire', () => {
		const signed = sign(CASES[1]);
		const wire = new URL(signed.url);
		expect(wire.pathname).toBe('/llm-ws/index/list_index_documents');
		// What the gateway reads back, decoded, is what the caller asked for.
		expect(Object.fromEntries(wire.searchParams)).toEqual(CASES[1].query);
		expect(signed.canonicalRequest.split('\n')[2]).toBe(wire.search.slice(1));
		expect(signed.canonicalRequest.split('\n')[2]).toContain("DocumentName=%E4%BA%A7%E5%93%81%E4%BB%8B%E7%BB%8D%20%28v2%29%2A%21%27~%20a%2Bb%3Dc%26d%2F%C3%A9");
	});

	it('hashes an empty body as the empty string, and gives each request a fresh nonce and the current time', () => {
		const request = { method: 'GET', url: 'https://bailian.cn-beijing.aliyuncs.com/w/index/list_indices' };
		const a = signAcs3(request, keysOf(CASES[0]), { action: 'ListIndices', version: '2023-12-29' });
		const b = signAcs3(request, keysOf(CASES[0]), { action: 'ListIndices', version: '2023-12-29' });
		expect(a.headers['x-acs-content-sha256']).toBe(EMPTY_SHA256);
		expect(a.headers['x-acs-signature-nonce']).toMatch(/^[0-9a-f]{32}$/);
		expect(a.headers['x-acs-signature-nonce']).not.toBe(b.headers['x-acs-signature-nonce']);
		expect(Math.abs(Date.parse(a.headers['x-acs-date']) - Date.now())).toBeLessThan(5000);
		expect(a.headers['x-acs-date']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
	});
});

describe('the comparison catches every wrong part of the canonical request', () => {
	// The reference case: a query that needs encoding and a mixed-case key order, with STS.
	const c: Case = {
		title: 'reference',
		method: 'GET',
		host: 'bailian.cn-beijing.aliyuncs.com',
		segments: ['llm ws(1)', 'index', 'job', 'status'],
		query: { JobId: 'job 1', IndexId: "idx(2)*!'", PageNumber: '1', pageSize: '1000', aLower: 'x' },
		action: 'GetIndexJobStatus',
		sts: true,
	};
	const expected = officialAuthorization(c);
	const signed = sign(c);
	const path = new URL(signed.url).pathname;
	const headers = Object.fromEntries(
		Object.entries(signed.headers).filter(([name]) => name !== 'Authorization'),
	);
	const payload = signed.headers['x-acs-content-sha256'];

	/** Signs a canonical request the way the signer does, with the same keys. */
	function authorizationFor(canonicalRequest: string, signedHeaders: string): string {
		const stringToSign = `${ACS3_ALGORITHM}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
		const signature = createHmac('sha256', STS_SECRET).update(stringToSign).digest('hex');
		return `${ACS3_ALGORITHM} Credential=${STS_KEY_ID},SignedHeaders=${signedHeaders},Signature=${signature}`;
	}

	function build(parts: { method?: string; path?: string; query?: string; headers?: Record<string, string>; payload?: string }) {
		const built = canonicalRequestOf(
			parts.method ?? c.method,
			parts.path ?? path,
			parts.query ?? canonicalQuery(c.query),
			parts.headers ?? headers,
			parts.payload ?? payload,
		);
		return authorizationFor(built.canonicalRequest, built.signedHeaders);
	}

	it('matches when nothing is altered (the reconstruction is faithful)', () => {
		expect(signed.headers.Authorization).toBe(expected);
		expect(build({})).toBe(expected);
	});

	const naiveEncode = (params: Record<string, string>) =>
		Object.keys(params)
			.sort()
			.map((key) => `${key}=${encodeURIComponent(params[key])}`)
			.join('&');
	const caseInsensitiveOrder = (params: Record<string, string>) =>
		Object.keys(params)
			.sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))
			.map((key) => `${key}=${rfc3986(params[key])}`)
			.join('&');

	const alterations: Array<[string, () => string]> = [
		['the method in lower case', () => authorizationFor(parts().canonicalRequest.replace(/^GET\n/, 'get\n'), parts().signedHeaders)],
		['another method', () => build({ method: 'POST' })],
		['the path not encoded', () => build({ path: decodeURIComponent(path) })],
		['the path with a trailing slash', () => build({ path: `${path}/` })],
		['query values encoded with encodeURIComponent only', () => build({ query: naiveEncode(c.query) })],
		['query keys sorted without regard to case', () => build({ query: caseInsensitiveOrder(c.query) })],
		['a query value changed', () => build({ query: canonicalQuery({ ...c.query, PageNumber: '3' }) })],
		['spaces encoded as +', () => build({ query: canonicalQuery(c.query).replace(/%20/g, '+') })],
		['a signed header left out (the security token)', () => build({ headers: without(headers, 'x-acs-security-token') })],
		['an unsigned header signed (user-agent)', () => build({ headers: { ...headers, 'x-acs-user-agent': 'n8n' } })],
		['a header value not trimmed', () => authorizationWithRawHeaderValue()],
		['the host with a port', () => build({ headers: { ...headers, host: `${headers.host}:443` } })],
		['another nonce', () => build({ headers: { ...headers, 'x-acs-signature-nonce': 'f'.repeat(32) } })],
		['another date', () => build({ headers: { ...headers, 'x-acs-date': '2026-11-22T05:30:21Z' } })],
		['the payload hash of another body', () => build({ payload: createHash('sha256').update('x').digest('hex') })],
		['no blank line after the headers', () => authorizationWithoutBlankLine()],
		['signed headers not sorted', () => authorizationWithUnsortedSignedHeaders()],
		['another secret', () => OpenApiUtil.getAuthorization(officialRequest(c), ACS3_ALGORITHM, payload, STS_KEY_ID, `${STS_SECRET}x`)],
	];

	function without(from: Record<string, string>, name: string): Record<string, string> {
		const copy = { ...from };
		delete copy[name];
		return copy;
	}
	function parts() {
		return canonicalRequestOf(c.method, path, canonicalQuery(c.query), headers, payload);
	}
	function authorizationWithRawHeaderValue(): string {
		// The canonical form trims values; a signer that did not would sign the raw one.
		const { canonicalRequest, signedHeaders } = parts();
		return authorizationFor(canonicalRequest.replace(`x-acs-action:${c.action}\n`, `x-acs-action: ${c.action} \n`), signedHeaders);
	}
	function authorizationWithoutBlankLine(): string {
		const { canonicalRequest, signedHeaders } = parts();
		return authorizationFor(canonicalRequest.replace(`\n\n${signedHeaders}`, `\n${signedHeaders}`), signedHeaders);
	}
	function authorizationWithUnsortedSignedHeaders(): string {
		const { canonicalRequest, signedHeaders } = parts();
		const unsorted = signedHeaders.split(';').reverse().join(';');
		return authorizationFor(canonicalRequest.replace(`\n${signedHeaders}\n`, `\n${unsorted}\n`), unsorted);
	}

	it.each(alterations)('differs from the official signature with %s', (_, alter) => {
		expect(alter()).not.toBe(expected);
	});
});

describe('the credential signs what n8n hands its authenticate', () => {
	const credentials = { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET, securityToken: '' };

	it('joins baseURL and url as axios does, folds qs into the URL and drops qs', () => {
		const options = signBailianRequest(credentials, {
			baseURL: 'http://127.0.0.1:9000/bailian/',
			url: '/llm-ws/index/list_indices',
			qs: { PageNumber: 1, PageSize: 1 },
			headers: { 'x-acs-action': 'ListIndices', Accept: 'application/json' },
		});
		expect(options.url).toBe('http://127.0.0.1:9000/bailian/llm-ws/index/list_indices?PageNumber=1&PageSize=1');
		expect(options.qs).toBeUndefined();
		expect(options.baseURL).toBeUndefined();
		expect(options.headers).toMatchObject({ Accept: 'application/json', host: '127.0.0.1:9000', 'x-acs-action': 'ListIndices' });

		const c: Case = {
			title: 'n8n',
			method: 'GET',
			host: '127.0.0.1:9000',
			segments: ['bailian', 'llm-ws', 'index', 'list_indices'],
			query: { PageNumber: '1', PageSize: '1' },
			action: 'ListIndices',
		};
		const headers = options.headers as Record<string, string>;
		const request = officialRequest(c);
		request.headers['x-acs-date'] = headers['x-acs-date'];
		request.headers['x-acs-signature-nonce'] = headers['x-acs-signature-nonce'];
		expect(headers.Authorization).toBe(officialAuthorization(c, request));
	});

	it('serialises an object body once and signs that text', () => {
		const options = signBailianRequest(credentials, {
			method: 'POST',
			url: 'https://bailian.cn-beijing.aliyuncs.com/w/index/x',
			body: { a: 1 },
			headers: { 'x-acs-action': 'X' },
		});
		expect(options.body).toBe('{"a":1}');
		expect((options.headers as Record<string, string>)['x-acs-content-sha256']).toBe(
			createHash('sha256').update('{"a":1}').digest('hex'),
		);
		expect(options.headers).toMatchObject({ 'Content-Type': 'application/json' });
	});

	it('refuses a request that does not name its API', () => {
		expect(() => signBailianRequest(credentials, { url: 'https://bailian.cn-beijing.aliyuncs.com/w' })).toThrow(
			'x-acs-action',
		);
	});
});
