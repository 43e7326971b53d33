import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4 in the Authorization header, with node:crypto only. It follows the
 * rules of AWS's own signer (@smithy/signature-v4), and a conformance test compares the two byte
 * for byte: header names are lowercased, values trimmed with inner runs of spaces collapsed, the
 * path normalized and escaped twice (every service but S3), the query sorted and RFC 3986
 * encoded, the payload hashed as UTF-8.
 */

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** An empty body's SHA-256. */
const EMPTY_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Headers that proxies and clients change on the way, so AWS never signs them. */
const UNSIGNABLE = new Set([
	'authorization',
	'cache-control',
	'connection',
	'expect',
	'from',
	'keep-alive',
	'max-forwards',
	'pragma',
	'referer',
	'te',
	'trailer',
	'transfer-encoding',
	'upgrade',
	'user-agent',
	'x-amzn-trace-id',
]);

export interface SigV4Credentials {
	accessKeyId: string;
	secretAccessKey: string;
	/** Present with temporary credentials (STS); sent and signed as X-Amz-Security-Token. */
	sessionToken?: string;
}

export interface SigV4Request {
	method: string;
	/** The absolute URL as it goes on the wire, query included. */
	url: string;
	/** The headers to sign. `host` is taken from the URL when it is not among them. */
	headers: Record<string, string>;
	/** The body exactly as sent; hashed as UTF-8. */
	body?: string;
}

export interface SigV4Scope {
	region: string;
	service: string;
	/** The signing time; it must be within 5 minutes of AWS's clock. */
	date: Date;
}

export interface SigV4Signature {
	/** The headers to add to the request: X-Amz-Date, X-Amz-Security-Token, Authorization. */
	headers: Record<string, string>;
	canonicalRequest: string;
	stringToSign: string;
	signedHeaders: string;
}

const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** encodeURIComponent plus the characters RFC 3986 reserves and it leaves alone. */
export function rfc3986(value: string): string {
	return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `20261122T053039Z` */
export function amzDate(date: Date): string {
	return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** Removes `.` and `..` segments and empty ones, then escapes the already-escaped path again. */
function canonicalPath(pathname: string): string {
	const segments: string[] = [];
	for (const segment of pathname.split('/')) {
		if (segment === '' || segment === '.') continue;
		if (segment === '..') segments.pop();
		else segments.push(segment);
	}
	const trailing = segments.length > 0 && pathname.endsWith('/') ? '/' : '';
	const normalized = `${pathname.startsWith('/') ? '/' : ''}${segments.join('/')}${trailing}`;
	return rfc3986(normalized).replace(/%2F/g, '/');
}

function canonicalQuery(params: URLSearchParams): string {
	const byKey = new Map<string, string[]>();
	for (const [key, value] of params) {
		const encodedKey = rfc3986(key);
		const pairs = byKey.get(encodedKey) ?? [];
		pairs.push(`${encodedKey}=${rfc3986(value)}`);
		byKey.set(encodedKey, pairs);
	}
	return [...byKey.keys()]
		.sort()
		.map((key) => (byKey.get(key) as string[]).sort().join('&'))
		.join('&');
}

function canonicalHeaderValue(value: string): string {
	return value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').trim();
}

/** The key that signs one day's requests for one region and service. */
export function signingKey(secretAccessKey: string, shortDate: string, region: string, service: string): Buffer {
	let key = hmac(`AWS4${secretAccessKey}`, shortDate);
	for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
	return key;
}

/** Signs a request; the caller adds the returned headers and sends exactly what was signed. */
export function signSigV4(request: SigV4Request, credentials: SigV4Credentials, scope: SigV4Scope): SigV4Signature {
	const url = new URL(request.url);
	const longDate = amzDate(scope.date);
	const shortDate = longDate.slice(0, 8);
	const credentialScope = `${shortDate}/${scope.region}/${scope.service}/aws4_request`;

	const added: Record<string, string> = { 'X-Amz-Date': longDate };
	if (credentials.sessionToken) added['X-Amz-Security-Token'] = credentials.sessionToken;

	const canonical = new Map<string, string>();
	const hasHost = Object.keys(request.headers).some((name) => name.toLowerCase() === 'host');
	if (!hasHost) canonical.set('host', url.host);
	for (const [name, value] of Object.entries({ ...request.headers, ...added })) {
		const lower = name.toLowerCase();
		// A Date header would contradict X-Amz-Date; AWS's signer drops it too.
		if (UNSIGNABLE.has(lower) || lower === 'date' || /^(proxy|sec)-/.test(lower)) continue;
		if (value === undefined || value === null) continue;
		canonical.set(lower, canonicalHeaderValue(String(value)));
	}
	const names = [...canonical.keys()].sort();
	const signedHeaders = names.join(';');
	const payloadHash = request.body === undefined ? EMPTY_HASH : sha256Hex(request.body);

	const canonicalRequest = [
		request.method.toUpperCase(),
		canonicalPath(url.pathname),
		canonicalQuery(url.searchParams),
		names.map((name) => `${name}:${canonical.get(name) as string}`).join('\n'),
		'',
		signedHeaders,
		payloadHash,
	].join('\n');
	const stringToSign = [SIGV4_ALGORITHM, longDate, credentialScope, sha256Hex(canonicalRequest)].join('\n');
	const signature = createHmac('sha256', signingKey(credentials.secretAccessKey, shortDate, scope.region, scope.service))
		.update(stringToSign, 'utf8')
		.digest('hex');

	added.Authorization = `${SIGV4_ALGORITHM} Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
	return { headers: added, canonicalRequest, stringToSign, signedHeaders };
}
