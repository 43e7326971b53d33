/**
 * AWS Signature Version 4 as AWS's front end checks it, for the simulated AWS services (Kendra,
 * Bedrock): the signature is computed again from the request as it arrived (the headers named in
 * SignedHeaders, the path, the query and the body bytes). Written from AWS's specification; it
 * shares no code with the package's signer. Failures are what AWS answers:
 * MissingAuthenticationTokenException (no Authorization), IncompleteSignatureException (a
 * malformed one), UnrecognizedClientException (an unknown key, a temporary key without or with the
 * wrong session token, a long-term key with a token), ExpiredTokenException, and
 * InvalidSignatureException (a wrong signature, scope or service, or a clock more than 5 minutes
 * off; a mismatch carries the canonical request AWS expected, as AWS's own message does).
 */
import { createHash, createHmac } from 'node:crypto';

import type { VendorRequest } from './index';

export interface AwsAccessKey {
	accessKeyId: string;
	secretAccessKey: string;
	/** Temporary credentials: requests must carry this X-Amz-Security-Token. */
	sessionToken?: string;
	/** When temporary credentials expire (ms since epoch, on the signing clock). */
	expiresAt?: number;
	/** IAM actions allowed (e.g. `kendra:ListIndices`); default: every action. */
	allow?: string[];
}

export interface SigV4CheckOptions {
	/** The signing name the scope must hold, e.g. `kendra` or `bedrock`. */
	service: string;
	region: string;
	keys: ReadonlyMap<string, AwsAccessKey>;
	/** The clock signatures are checked against. */
	now: () => number;
}

export interface SigV4Rejection {
	name: string;
	message: string;
}

const MAX_SKEW_MS = 5 * 60 * 1000;

/** The access key id of a request's Authorization header, or null. */
export function accessKeyOf(request: VendorRequest): string | null {
	const parsed = parseAuthorization(header(request, 'authorization'));
	return typeof parsed === 'string' ? null : parsed.accessKeyId;
}

/**
 * Null when `request` is signed for `options.service` by a known key, else the error AWS's front
 * end answers (name and message).
 */
export function verifySigV4(request: VendorRequest, options: SigV4CheckOptions): SigV4Rejection | null {
const reject = (name: string, message: string): SigV4Rejection => ({ name, message });
	const authorization = header(request, 'authorization');
	if (authorization === null) return reject('MissingAuthenticationTokenException', 'Missing Authentication Token');
	const parsed = parseAuthorization(authorization);
	if (typeof parsed === 'string') return reject('IncompleteSignatureException', parsed);
	const amzDate = header(request, 'x-amz-date');
	if (amzDate === null || !/^\d{8}T\d{6}Z$/.test(amzDate)) {
		return reject('IncompleteSignatureException', "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
	}
	for (const required of ['host', 'x-amz-date']) {
		if (!parsed.signedHeaders.includes(required)) {
			return reject('InvalidSignatureException', `'${required}' must be a 'SignedHeader' in the AWS Authorization.`);
		}
	}
	const [scopeDate, scopeRegion, scopeService, terminator] = parsed.scope;
	if (scopeDate !== amzDate.slice(0, 8) || terminator !== 'aws4_request') {
		return reject('InvalidSignatureException', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}'`);
	}
	if (scopeService !== options.service) {
		return reject('InvalidSignatureException', `Credential should be scoped to correct service: '${options.service}'. `);
	}
	if (scopeRegion !== options.region) {
		return reject('InvalidSignatureException', `Credential should be scoped to a valid region, not '${scopeRegion}'. `);
	}
	const signedAt = Date.parse(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
	const now = options.now();
	if (Math.abs(now - signedAt) > MAX_SKEW_MS) {
		const later = signedAt > now;
		const bound = compactDate(later ? now + MAX_SKEW_MS : now - MAX_SKEW_MS);
		return reject(
			'InvalidSignatureException',
			later
				? `Signature not yet current: ${amzDate} is still later than ${bound} (${compactDate(now)} + 5 min.)`
				: `Signature expired: ${amzDate} is now earlier than ${bound} (${compactDate(now)} - 5 min.)`,
		);
	}

	const key = options.keys.get(parsed.accessKeyId);
	const token = header(request, 'x-amz-security-token');
	if (!key) return reject('UnrecognizedClientException', 'The security token included in the request is invalid.');
	if (key.sessionToken === undefined ? token !== null : token !== key.sessionToken) {
		return reject('UnrecognizedClientException', 'The security token included in the request is invalid.');
	}
	if (key.expiresAt !== undefined && now >= key.expiresAt) {
		return reject('ExpiredTokenException', 'The security token included in the request is expired');
	}
	if (token !== null && !parsed.signedHeaders.includes('x-amz-security-token')) {
		return reject('InvalidSignatureException', "'x-amz-security-token' must be a 'SignedHeader' in the AWS Authorization.");
	}

	const expected = expectedSignature(request, parsed, amzDate, key.secretAccessKey);
	if (expected.signature !== parsed.signature) {
		return reject(
			'InvalidSignatureException',
			'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n' +
				`The Canonical String for this request should have been\n'${expected.canonicalRequest}'\n\n` +
				`The String-to-Sign should have been\n'${expected.stringToSign}'\n`,
		);
	}
	return null;
}


// ---------------------------------------------------------------------------------------------
// Signature Version 4, as the server checks it
// ---------------------------------------------------------------------------------------------

interface ParsedAuthorization {
	accessKeyId: string;
	scope: string[];
	signedHeaders: string[];
	signature: string;
}

export function header(request: VendorRequest, name: string): string | null {
	const value = request.headers[name];
	if (value === undefined) return null;
	return Array.isArray(value) ? value.join(',') : value;
}

/** `AWS4-HMAC-SHA256 Credential=AK/date/region/service/aws4_request, SignedHeaders=a;b, Signature=hex` */
function parseAuthorization(value: string | null): ParsedAuthorization | string {
	if (value === null) return 'Missing Authentication Token';
	const match = /^AWS4-HMAC-SHA256 (.+)$/.exec(value.trim());
	if (!match) return `Authorization header requires 'Credential' parameter. Authorization=${value.split(' ')[0]}`;
	const fields = new Map<string, string>();
	for (const part of match[1].split(',')) {
		const [name, ...rest] = part.trim().split('=');
		fields.set(name, rest.join('='));
	}
	for (const required of ['Credential', 'SignedHeaders', 'Signature']) {
		if (!fields.get(required)) return `Authorization header requires '${required}' parameter.`;
	}
	const credential = (fields.get('Credential') as string).split('/');
	if (credential.length !== 5) return 'Credential should be scoped correctly: AK/date/region/service/aws4_request';
	return {
		accessKeyId: credential[0],
		scope: credential.slice(1),
		signedHeaders: (fields.get('SignedHeaders') as string).split(';'),
		signature: fields.get('Signature') as string,
	};
}

function encode(value: string): string {
	return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The canonical URI from the path as it arrived: dot segments resolved, then escaped again. */
function serverCanonicalUri(rawPath: string): string {
	const out: string[] = [];
	for (const segment of rawPath.split('/')) {
		if (segment === '' || segment === '.') continue;
		if (segment === '..') out.pop();
		else out.push(encode(segment));
	}
	return `/${out.join('/')}${out.length > 0 && rawPath.endsWith('/') ? '/' : ''}`;
}

function serverCanonicalQuery(rawQuery: string): string {
	if (rawQuery === '') return '';
	const pairs = rawQuery
		.split('&')
		.filter((part) => part !== '')
		.map((part) => {
			const at = part.indexOf('=');
			const key = decodeURIComponent((at < 0 ? part : part.slice(0, at)).replace(/\+/g, '%20'));
			const value = at < 0 ? '' : decodeURIComponent(part.slice(at + 1).replace(/\+/g, '%20'));
			return [encode(key), encode(value)];
		});
	pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
	return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}

function expectedSignature(
	request: VendorRequest,
	auth: ParsedAuthorization,
	amzDate: string,
	secretAccessKey: string,
): { signature: string; canonicalRequest: string; stringToSign: string } {
	const target = request.rawUrl ?? request.path;
	const queryAt = target.indexOf('?');
	const rawPath = queryAt < 0 ? target : target.slice(0, queryAt);
	const rawQuery = queryAt < 0 ? '' : target.slice(queryAt + 1);
	const headerLines = auth.signedHeaders.map((name) => {
		const value = header(request, name) ?? '';
		return `${name}:${value.replace(/\s+/g, ' ').trim()}`;
	});
	const canonicalRequest = [
		request.method,
		serverCanonicalUri(rawPath),
		serverCanonicalQuery(rawQuery),
		...headerLines,
		'',
		auth.signedHeaders.join(';'),
		createHash('sha256').update(Buffer.from(request.body, 'utf8')).digest('hex'),
	].join('\n');
	const scope = auth.scope.join('/');
	const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
	let key: Buffer = createHmac('sha256', `AWS4${secretAccessKey}`).update(auth.scope[0]).digest();
	for (const part of auth.scope.slice(1)) key = createHmac('sha256', key).update(part).digest();
	const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
	return { signature, canonicalRequest, stringToSign };
}

function compactDate(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}
