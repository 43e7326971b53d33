import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class DifyKnowledgeApi implements ICredentialType {
	name = 'difyKnowledgeApi';

	displayName = 'Dify Knowledge API';

	icon: Icon = { light: 'file:../nodes/Dify/dify.svg', dark: 'file:../nodes/Dify/dify.dark.svg' };

	documentationUrl = 'https://docs.dify.ai/en/guides/knowledge-base/knowledge-and-documents-maintenance/maintain-dataset-via-api';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A Knowledge API key (in Dify: Knowledge > Service API > API Key). App API keys do not work here. One key covers every knowledge base of the workspace.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.dify.ai/v1',
			required: true,
			placeholder: 'https://dify.example.com/v1',
			description:
				'The API base URL, ending in /v1. Keep the default for Dify Cloud; for a self-hosted Dify use its own address (http:// is fine on a private network).',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/datasets',
			qs: { page: 1, limit: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'The API key was rejected. Use a Knowledge API key (Knowledge > Service API), not an app key.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'Nothing answers at this Base URL. It must end in /v1, e.g. https://dify.example.com/v1.',
				},
			},
		],
	};
}
