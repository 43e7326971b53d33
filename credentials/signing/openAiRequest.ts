import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

/**
 * The beta header OpenAI's own SDK sends on every vector store call (openai v7,
 * resources/vector-stores). The API answers without it today, but it is what the API declares.
 */
export const OPENAI_BETA_HEADER = { name: 'OpenAI-Beta', value: 'assistants=v2' } as const;

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/**
 * Adds the key and the optional headers to every call of the nodes, the list search and the
 * credential test. OpenAI takes the key as a Bearer token; Azure OpenAI's v1 API (and some
 * OpenAI-compatible hosts) take it in an `api-key` header instead, and Azure may ask for an
 * `api-version` query parameter.
 */
export function authenticateOpenAiRequest(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): IHttpRequestOptions {
	const headers: Record<string, string> = { ...(requestOptions.headers as Record<string, string> | undefined) };
	const apiKey = text(credentials.apiKey);
	if (credentials.keyHeader === 'apiKey') headers['api-key'] = apiKey;
	else headers.Authorization = `Bearer ${apiKey}`;
	const organizationId = text(credentials.organizationId);
	const projectId = text(credentials.projectId);
	if (organizationId) headers['OpenAI-Organization'] = organizationId;
	if (projectId) headers['OpenAI-Project'] = projectId;
	headers[OPENAI_BETA_HEADER.name] = OPENAI_BETA_HEADER.value;
	const apiVersion = text(credentials.apiVersion);
	const qs = apiVersion ? { ...requestOptions.qs, 'api-version': apiVersion } : requestOptions.qs;
	return { ...requestOptions, headers, ...(qs ? { qs } : {}) };
}
