/**
 * What every AWS API of the package answers alike, read the way AWS's SDKs read it: the error
 * name, the request id, a header whatever its case. The adapters of the AWS vendors decide what
 * each name means for their calls.
 */

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
 * → `ThrottlingException`, as the SDKs' `sanitizeErrorCode` does: the `:` suffix goes first, then
 * the namespace before `#`.
 */
export function sanitizeErrorName(raw: string): string {
	let name = raw.trim();
	if (name.includes(':')) name = name.slice(0, name.indexOf(':'));
	if (name.includes('#')) name = name.slice(name.lastIndexOf('#') + 1);
	return name;
}

/** The first of `candidates` that is a non-empty string, sanitized; null when none is. */
export function firstErrorName(candidates: unknown[]): string | null {
	for (const candidate of candidates) {
		if (typeof candidate === 'string' && candidate.trim() !== '') return sanitizeErrorName(candidate);
	}
	return null;
}
