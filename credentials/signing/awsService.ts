/**
 * What every AWS API of the package expects and answers alike: the endpoint from the credential,
 * the console host of a region, and answers read the way AWS's SDKs read them (the error name,
 * the request id, a header whatever its case). The adapters of the AWS vendors decide what each
 * error name means for their calls.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { InputError } from '../../nodes/shared/errors';
import type { FailureKind, RawResponse, VendorFailure } from '../../nodes/shared/vendor';

/** An AWS region code, such as us-east-1 or us-gov-west-1. */
export const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export interface AwsEndpointOptions {
	/** The credential's display name, for messages: e.g. "Amazon Kendra API". */
	credential: string;
	/** The service's host name before the region: e.g. `kendra`, `bedrock-agent`. */
	host: string;
	/** A custom endpoint to show as an example. */
	example: string;
}

/**
 * The API root: the credential's Custom Endpoint, else `https://{host}.{region}.amazonaws.com`.
 * Checks the region and that both keys are there, with messages naming the credential's fields.
 */
export function awsServiceEndpoint(credential: ICredentialDataDecryptedObject, options: AwsEndpointOptions): string {
	const region = typeof credential.region === 'string' ? credential.region.trim() : '';
	if (!AWS_REGION.test(region)) {
		throw new InputError(`Region of the ${options.credential} credential is "${region}": expected an AWS region code such as us-east-1`);
	}
	for (const field of ['accessKeyId', 'secretAccessKey'] as const) {
		const value = credential[field];
		if (typeof value !== 'string' || value.trim() === '') {
			const label = field === 'accessKeyId' ? 'Access Key ID' : 'Secret Access Key';
			throw new InputError(`${label} of the ${options.credential} credential is empty`);
		}
	}
	const endpoint = typeof credential.endpoint === 'string' ? credential.endpoint.trim().replace(/\/+$/, '') : '';
	if (endpoint === '') return `https://${options.host}.${region}.amazonaws.com`;
	if (!/^https?:\/\/[^/\s]+/i.test(endpoint)) {
		throw new InputError(
			`Custom Endpoint of the ${options.credential} credential is "${endpoint}": expected a full URL such as ${options.example}, or nothing`,
		);
	}
	return endpoint;
}

/**
 * The AWS console's host for the credential's region: GovCloud regions have their own console
 * domain. None for a region that is not a region code, or China's (another console, not linked).
 */
export function awsConsoleHost(credential: ICredentialDataDecryptedObject): { host: string; region: string } | undefined {
	const region = typeof credential.region === 'string' ? credential.region.trim() : '';
	if (!AWS_REGION.test(region) || region.startsWith('cn-')) return undefined;
	return { host: region.startsWith('us-gov-') ? 'console.amazonaws-us-gov.com' : `${region}.console.aws.amazon.com`, region };
}

/** The headers of an answer, as n8n gives them (Node's lowercased names). */
export type AwsHeaders = Record<string, string | string[] | undefined>;

/** A response header by name, whatever its case. */
export function awsHeader(headers: AwsHeaders, name: string): string | null {
	const lower = name.toLowerCase();
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === lower);
	const value = key === undefined ? undefined : headers[key];
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' && first !== '' ? first : null;
}

/** The request id AWS support asks for. */
export function awsRequestId(headers: AwsHeaders): string | null {
	return awsHeader(headers, 'x-amzn-requestid') ?? awsHeader(headers, 'x-amz-request-id');
}

/**
 * `com.amazonaws.kendra#ThrottlingException` or `ThrottlingException:http://internal.amazon.com/…`
 * → `ThrottlingException`, as the SDKs' `sanitizeErrorCode` does: what follows a `,` (a header
 * sent twice) goes first, then the `:` suffix, then the namespace before `#`.
 */
export function sanitizeErrorName(raw: string): string {
	let name = raw.trim();
	if (name.includes(',')) name = name.slice(0, name.indexOf(','));
	if (name.includes(':')) name = name.slice(0, name.indexOf(':'));
	if (name.includes('#')) name = name.split('#')[1];
	return name;
}

/** The body's `code` field, whatever the case of its key, as the SDKs look it up. */
export function bodyErrorCode(body: Record<string, unknown> | null): unknown {
	const key = body === null ? undefined : Object.keys(body).find((k) => k.toLowerCase() === 'code');
	return key === undefined ? undefined : body?.[key];
}

/** The first of `candidates` that is a non-empty string (or a number), sanitized; null when none is. */
export function firstErrorName(candidates: unknown[]): string | null {
	for (const candidate of candidates) {
		const text = typeof candidate === 'number' ? String(candidate) : candidate;
		if (typeof text === 'string' && text.trim() !== '') return sanitizeErrorName(text);
	}
	return null;
}

/** What an AWS error name means for the package: its kind, whether to retry, and advice. */
export interface AwsErrorClass {
	kind: FailureKind;
	retryable: boolean;
	hint?: string;
}

/** The first paragraph of AWS's message: a signature mismatch goes on with the canonical request AWS expected, which holds the session token, and that part is never kept. */
export function awsErrorMessage(body: unknown): string | null {
	const object = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
	const message = object?.message ?? object?.Message;
	if (typeof message !== 'string' || message.trim() === '') return null;
	return message.trim().split(/\r?\n\s*\r?\n/)[0].replace(/\s+/g, ' ').trim();
}

/**
 * The failure an AWS error answer describes, classified by its `name` (the HTTP status is not
 * reliable across AWS services); a name `classes` does not list goes by the status.
 */
export function awsFailure(response: RawResponse, name: string, classes: Readonly<Record<string, AwsErrorClass>>): VendorFailure {
	const { statusCode } = response;
	const matched: AwsErrorClass = classes[name] ?? {
		kind: statusCode === 429 ? 'rate_limit' : statusCode >= 500 ? 'server' : 'invalid_request',
		retryable: statusCode === 429 || statusCode >= 500,
	};
	const said = awsErrorMessage(response.body);
	return {
		kind: matched.kind,
		retryable: matched.retryable,
		httpStatus: statusCode,
		code: name,
		message: said ? `${name}: ${said}` : name,
		requestId: awsRequestId(response.headers),
		...(matched.hint ? { hint: matched.hint } : {}),
	};
}

/** Advice from the credential's own fields: a temporary key without its token, or a long-term key with one. */
export function temporaryKeyHint(credential: ICredentialDataDecryptedObject): string | null {
	const keyId = typeof credential.accessKeyId === 'string' ? credential.accessKeyId.trim() : '';
	const token = typeof credential.sessionToken === 'string' ? credential.sessionToken.trim() : '';
	if (keyId.startsWith('ASIA') && token === '') {
		return 'The Access Key ID starts with ASIA, so it is a temporary key: it only works with the Session Token it came with.';
	}
	if (keyId.startsWith('AKIA') && token !== '') {
		return 'The Access Key ID starts with AKIA, a long-term key: leave Session Token empty for it.';
	}
	return null;
}

/**
 * The AWS front end's answers to rejected keys and signatures, the same names for every AWS API
 * (they come before the request reaches the service), with advice that names `credential`, the
 * display name of the credential to check.
 */
export function awsAuthErrorClasses(credential: string): Record<string, AwsErrorClass> {
	const keys = `Check the Access Key ID and Secret Access Key of the ${credential} credential. Temporary keys (ASIA…) need their Session Token, and expire.`;
	const secret = `Check the Secret Access Key of the ${credential} credential and its Region.`;
	return {
		UnrecognizedClientException: { kind: 'auth', retryable: false, hint: keys },
		InvalidClientTokenId: { kind: 'auth', retryable: false, hint: keys },
		IncompleteSignatureException: { kind: 'auth', retryable: false, hint: keys },
		MissingAuthenticationTokenException: { kind: 'auth', retryable: false, hint: keys },
		InvalidSignatureException: {
			kind: 'auth',
			retryable: false,
			hint: `${secret} A signature also expires when this machine's clock is more than 5 minutes off.`,
		},
		SignatureDoesNotMatch: { kind: 'auth', retryable: false, hint: secret },
		ExpiredTokenException: {
			kind: 'auth',
			retryable: false,
			hint: `The temporary credentials (Session Token) have expired: put fresh ones in the ${credential} credential.`,
		},
	};
}
