import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { signSigV4 } from './sigv4';

/**
 * Signs an n8n request with AWS Signature Version 4 for `service`. It signs the
 * request as n8n will send it: `baseURL` and `url` joined the way axios joins them (or the older
 * form's `uri`, as the HTTP Request node sends it), `qs` added
 * to the query, and the body as the exact JSON text that goes on the wire (an object body, as in
 * the credential test, is serialized here and sent as that text).
 */
export function signAwsRequest(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
	service: string,
	now: Date = new Date(),
): IHttpRequestOptions {
	// The HTTP Request node (and other n8n nodes that use requestWithAuthentication) passes the
	// older request form, with the whole address in `uri`; it travels as it is.
	const legacyUri = (requestOptions as { uri?: unknown }).uri;
	const url = new URL(typeof legacyUri === 'string' ? legacyUri : joinLikeAxios(requestOptions.baseURL, requestOptions.url));
	for (const [key, value] of Object.entries(requestOptions.qs ?? {})) {
		if (value === undefined || value === null) continue;
		for (const entry of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(entry));
	}
	const body = bodyText(requestOptions.body);

	// One header per name (the last spelling wins), without a previous signature: n8n signs a
	// request again when it retries it.
	const headers: Record<string, string> = {};
	const names = new Map<string, string>();
	for (const [name, value] of Object.entries((requestOptions.headers ?? {}) as IDataObject)) {
		const lower = name.toLowerCase();
		if (['authorization', 'x-amz-date', 'x-amz-security-token'].includes(lower)) continue;
		if (value === undefined || value === null) continue;
		const previous = names.get(lower);
		if (previous !== undefined) delete headers[previous];
		names.set(lower, name);
		headers[name] = String(value);
	}
	// Sign only what reaches AWS unchanged: Host, Content-Type and the X-Amz-* headers. axios
	// adds or rewrites others (Content-Length, Accept-Encoding, User-Agent) after this point.
	const signed: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		const lower = name.toLowerCase();
		if (lower === 'host' || lower === 'content-type' || lower.startsWith('x-amz-')) signed[name] = value;
	}

	const sessionToken = stringField(credentials.sessionToken);
	const signature = signSigV4(
		{ method: requestOptions.method ?? 'GET', url: url.toString(), headers: signed, body },
		{
			accessKeyId: stringField(credentials.accessKeyId),
			secretAccessKey: String(credentials.secretAccessKey ?? ''),
			...(sessionToken ? { sessionToken } : {}),
		},
		{ region: stringField(credentials.region), service, date: now },
	);

	const signedOptions: IHttpRequestOptions = { ...requestOptions, headers: { ...headers, ...signature.headers } };
	if (body !== undefined) signedOptions.body = body;
	return signedOptions;
}

function stringField(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

/** axios appends a relative url to baseURL (a path in baseURL stays), and ignores it for an absolute one. */
function joinLikeAxios(baseURL: string | undefined, url: string): string {
	if (!baseURL || /^[a-z][a-z\d+.-]*:\/\//i.test(url)) return url;
	return `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

function bodyText(body: unknown): string | undefined {
	if (body === undefined || body === null || body === '') return undefined;
	if (typeof body === 'string') return body;
	return JSON.stringify(body);
}
