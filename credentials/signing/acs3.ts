import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Alibaba Cloud's ACS3-HMAC-SHA256 request signature (the V3 signature of Alibaba Cloud's
 * OpenAPI gateway), written with node:crypto only. The canonical request follows the official
 * `OpenApiUtil.getAuthorization` of @alicloud/openapi-util, and test/bailian checks it against
 * that function byte for byte.
 *
 * What the gateway recomputes is the canonical request:
 *
 *     METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HashedPayload
 *
 * - CanonicalURI: the path as sent, each segment RFC 3986-encoded;
 * - CanonicalQuery: `key=RFC3986(value)` sorted by key (code units, so upper case first), joined by &;
 * - CanonicalHeaders: `name:value\n` for `host`, `content-type` and every `x-acs-*` header,
 *   names in lower case, values trimmed, sorted by name (so a blank line follows them);
 * - SignedHeaders: those names joined by `;`;
 * - HashedPayload: hex SHA-256 of the body, also sent as `x-acs-content-sha256`.
 *
 * StringToSign = `ACS3-HMAC-SHA256\n` + hex(SHA-256(CanonicalRequest)), and the signature is
 * hex(HMAC-SHA256(AccessKeySecret, StringToSign)).
 */

export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';

export interface Acs3Keys {
	accessKeyId: string;
	accessKeySecret: string;
	/** STS security token, for temporary credentials (an access key id that starts with `STS.`). */
	securityToken?: string;
}

export interface Acs3Request {
	method: string;
	/** Absolute URL; its query may already hold parameters. */
	url: string;
	/** Extra query parameters, merged after the URL's own. */
	query?: Record<string, string>;
	headers?: Record<string, string>;
	/** The body exactly as it goes on the wire; none for a GET. */
	body?: string;
}

export interface Acs3Options {
	/** `x-acs-action`, the API's name, e.g. GetIndexJobStatus. */
	action: string;
	/** `x-acs-version`, the API version, e.g. 2023-12-29. */
	version: string;
	/** Defaults to now; fixed in tests. */
	date?: Date;
	/** Defaults to 32 random hex digits; fixed in tests. */
	nonce?: string;
}

export interface SignedRequest {
	/** The URL to send: canonical path and canonical query, so the wire is what was signed. */
	url: string;
	/** Every header to send, the signed ones and the Authorization header included. */
	headers: Record<string, string>;
	/** For diagnostics and tests; holds no secret. */
	canonicalRequest: string;
	stringToSign: string;
}

/** encodeURIComponent plus the characters RFC 3986 reserves that it leaves alone: ! ' ( ) *. */
export function rfc3986(value: string): string {
	return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Each path segment decoded once (if it was encoded) and encoded again the RFC 3986 way. */
export function canonicalPath(pathname: string): string {
	return pathname
		.split('/')
		.map((segment) => {
			let decoded = segment;
			try {
				decoded = decodeURIComponent(segment);
			} catch {
				// A lone % is taken literally.
			}
			return rfc3986(decoded);
		})
		.join('/');
}

/** Parameters sorted by key in code-unit order, values RFC 3986-encoded. */
export function canonicalQuery(parameters: Record<string, string>): string {
	return Object.keys(parameters)
		.sort()
		.map((key) => `${key}=${rfc3986(parameters[key])}`)
		.join('&');
}

const isSignedHeader = (name: string) => name === 'host' || name === 'content-type' || name.startsWith('x-acs-');

export function sha256Hex(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `YYYY-MM-DDTHH:mm:ssZ` in UTC, the form `x-acs-date` takes. */
export function acsDate(date: Date): string {
	return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The canonical request and the signed-header list for headers already in final form. */
export function canonicalRequestOf(
	method: string,
	path: string,
	query: string,
	headers: Record<string, string>,
	hashedPayload: string,
): { canonicalRequest: string; signedHeaders: string } {
	const names = Object.keys(headers)
		.map((name) => name.toLowerCase())
		.filter(isSignedHeader)
		.sort();
	const byLowerName = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
	const canonicalHeaders = names.map((name) => `${name}:${(byLowerName.get(name) ?? '').trim()}\n`).join('');
	const signedHeaders = names.join(';');
	return {
		canonicalRequest: [method.toUpperCase(), path, query, canonicalHeaders, signedHeaders, hashedPayload].join('\n'),
		signedHeaders,
	};
}

/**
 * Signs a request: adds `host`, `x-acs-action`, `x-acs-version`, `x-acs-date`, a fresh
 * `x-acs-signature-nonce`, `x-acs-content-sha256`, the STS headers when there is a security
 * token, and `Authorization`. Headers that the signature sets are replaced, whatever their case.
 */
export function signAcs3(request: Acs3Request, keys: Acs3Keys, options: Acs3Options): SignedRequest {
	const url = new URL(request.url);
	const parameters: Record<string, string> = {};
	for (const [key, value] of url.searchParams) parameters[key] = value;
	for (const [key, value] of Object.entries(request.query ?? {})) parameters[key] = value;

	const path = canonicalPath(url.pathname);
	const query = canonicalQuery(parameters);
	const body = request.body ?? '';
	const hashedPayload = sha256Hex(body);

	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(request.headers ?? {})) {
		const lower = name.toLowerCase();
		if (lower === 'host' || lower === 'authorization' || lower.startsWith('x-acs-')) continue;
		headers[name] = value;
	}
	headers.host = url.host;
	headers['x-acs-action'] = options.action;
	headers['x-acs-version'] = options.version;
	headers['x-acs-date'] = acsDate(options.date ?? new Date());
	headers['x-acs-signature-nonce'] = options.nonce ?? randomBytes(16).toString('hex');
	headers['x-acs-content-sha256'] = hashedPayload;
	if (keys.securityToken) {
		// What the official SDK sends with STS credentials; both are signed, being x-acs-*.
		headers['x-acs-accesskey-id'] = keys.accessKeyId;
		headers['x-acs-security-token'] = keys.securityToken;
	}

	const { canonicalRequest, signedHeaders } = canonicalRequestOf(request.method, path, query, headers, hashedPayload);
	const stringToSign = `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
	const signature = createHmac('sha256', keys.accessKeySecret).update(stringToSign, 'utf8').digest('hex');
	headers.Authorization = `${ACS3_ALGORITHM} Credential=${keys.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`;

	// Keys are signed as they are and sent encoded: the same thing for the plain names APIs use.
	const wireQuery = Object.keys(parameters)
		.sort()
		.map((key) => `${rfc3986(key)}=${rfc3986(parameters[key])}`)
		.join('&');
	return {
		url: `${url.protocol}//${url.host}${path}${wireQuery ? `?${wireQuery}` : ''}`,
		headers,
		canonicalRequest,
		stringToSign,
	};
}
