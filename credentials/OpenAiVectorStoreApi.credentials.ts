import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { authenticateOpenAiRequest } from './signing/openAiRequest';

export class OpenAiVectorStoreApi implements ICredentialType {
	name = 'openAiVectorStoreApi';

	displayName = 'OpenAI Vector Store API';

	icon: Icon = { light: 'file:../nodes/OpenAi/openAi.svg', dark: 'file:../nodes/OpenAi/openAi.dark.svg' };

	documentationUrl = 'https://platform.openai.com/docs/api-reference/vector-stores';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'An OpenAI API key (platform.openai.com > API keys) that may read vector stores, or your Azure OpenAI resource key',
		},
		{
			displayName: 'Organization ID',
			name: 'organizationId',
			type: 'string',
			default: '',
			placeholder: 'org-…',
			description: 'Optional. Sent as the OpenAI-Organization header, for a key that belongs to several organizations.',
		},
		{
			displayName: 'Project ID',
			name: 'projectId',
			type: 'string',
			default: '',
			placeholder: 'proj_…',
			description: 'Optional. Sent as the OpenAI-Project header: the project whose vector stores the nodes read.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.openai.com/v1',
			required: true,
			placeholder: 'https://api.openai.com/v1',
			description:
				'The API root, ending before /vector_stores. Keep the default for OpenAI. For Azure OpenAI use https://&lt;resource&gt;.openai.azure.com/openai/v1 with Key Header "api-key"; any other OpenAI-compatible vector store API works with its own address.',
		},
		{
			displayName: 'Key Header',
			name: 'keyHeader',
			type: 'options',
			options: [
				{ name: 'Authorization: Bearer (OpenAI)', value: 'bearer' },
				{ name: 'Api-Key (Azure OpenAI)', value: 'apiKey' },
			],
			default: 'bearer',
			description: 'How the key is sent. Azure OpenAI takes its resource key in an api-key header.',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: '',
			placeholder: 'e.g. preview',
			description: 'Optional. Sent as the api-version query parameter, for Azure OpenAI versions that ask for one. Leave empty for OpenAI.',
		},
	];

	// A property, not a method: n8n describes a community credential to the editor from its own
	// properties, and the HTTP Request node offers only credential types that have `authenticate`.
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => authenticateOpenAiRequest(credentials, requestOptions);

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{String($credentials.baseUrl).trim().replace(/\\/+$/, "")}}',
			url: '/vector_stores',
			qs: { limit: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'The API key was rejected (401): check the key, and that the Organization ID and Project ID, when filled in, are the ones the key belongs to.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The key has no access to vector stores here (403): give it the Vector Stores permission in its project, or use a key of the project that holds the stores.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'Nothing answers at Base URL/vector_stores (404): the Base URL must be the API root, e.g. https://api.openai.com/v1 or https://<resource>.openai.azure.com/openai/v1.',
				},
			},
		],
	};
}
