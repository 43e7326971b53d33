import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { signAcs3 } from './acs3';

/** The Model Studio (Bailian) API version every call of this package is signed for. */
export const BAILIAN_API_VERSION = '2023-12-29';

/** The header through which a request names its API (the signature covers it). */
export const ACTION_HEADER = 'x-acs-action';

/**
 * Signs a request for the Bailian API with ACS3-HMAC-SHA256. The request names its API in an
 * `x-acs-action` header (each call of the adapter and the credential test set it).
 *
 * n8n hands `authenticate` the options as the node built them: `baseURL` and `url` apart (axios
 * joins them by concatenation), or the whole address in `uri` (the older form the HTTP Request
 * node uses), `qs` not yet in the URL, `body` not yet serialised. The signed
 * request goes out with the query already in the URL, in canonical form, and no `qs`, so that
 * what travels is exactly what was signed.
 */
export function signBailianRequest(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): IHttpRequestOptions {
	const headers: Record<string, string> = {};
	let action = '';
	for (const [name, value] of Object.entries(requestOptions.headers ?? {})) {
		if (value === undefined || value === null) continue;
		if (name.toLowerCase() === ACTION_HEADER) action = String(value).trim();
		else headers[name] = String(value);
	}
	if (action === '') {
		throw new Error('A Bailian request must name its API in the x-acs-action header');
	}

	let body: string | undefined;
	if (typeof requestOptions.body === 'string') {
		body = requestOptions.body;
	} else if (requestOptions.body !== undefined && requestOptions.body !== null) {
		body = JSON.stringify(requestOptions.body);
		if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
			headers['Content-Type'] = 'application/json';
		}
	}

	const query: Record<string, string> = {};
	for (const [key, value] of Object.entries(requestOptions.qs ?? {})) {
		if (value !== undefined && value !== null) query[key] = String(value);
	}

	// The HTTP Request node (and other n8n nodes that use requestWithAuthentication) passes the
	// older request form: the address in `uri`, which the signed address then replaces.
	const legacyUri = (requestOptions as { uri?: unknown }).uri;
	const securityToken = String(credentials.securityToken ?? '').trim();
	const signed = signAcs3(
		{
			method: requestOptions.method ?? 'GET',
			url: typeof legacyUri === 'string' ? legacyUri : joinLikeAxios(requestOptions.baseURL, requestOptions.url),
			query,
			headers,
			body,
		},
		{
			accessKeyId: String(credentials.accessKeyId ?? '').trim(),
			accessKeySecret: String(credentials.accessKeySecret ?? ''),
			securityToken: securityToken === '' ? undefined : securityToken,
		},
		{ action, version: BAILIAN_API_VERSION },
	);

	const options: IHttpRequestOptions = { ...requestOptions, headers: signed.headers };
	if (typeof legacyUri === 'string') (options as { uri?: string }).uri = signed.url;
	else options.url = signed.url;
	delete options.baseURL;
	delete options.qs;
	if (body !== undefined) options.body = body;
	return options;
}

function joinLikeAxios(baseURL: string | undefined, url: string): string {
	if (!baseURL || /^[a-z][a-z\d+.-]*:\/\//i.test(url)) return url;
	return `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}
