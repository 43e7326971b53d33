import type {
	IAuthenticateGeneric,
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

const TOKEN_REJECTED =
	'Coze rejected the access token (code 4100). Check the token, and that Region matches where it was created (coze.cn or coze.com).';
const API_NOT_FOUND = 'Coze did not find the API (code 4200): check the Base URL';

/**
 * n8n reads `responseCode` rules when the test request fails with an HTTP error, and
 * `responseSuccessBody` rules when it succeeds. Coze reports a bad token either way (HTTP 401,
 * or code 4100 inside an HTTP 200), so the test needs both kinds. n8n's type allows one kind per
 * list, while its credential tester reads each rule by its own type.
 */
const testRules: Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> = [
	{ type: 'responseCode', properties: { value: 401, message: TOKEN_REJECTED } },
	{ type: 'responseCode', properties: { value: 404, message: API_NOT_FOUND } },
	{ type: 'responseSuccessBody', properties: { key: 'code', value: 4100, message: TOKEN_REJECTED } },
	{
		type: 'responseSuccessBody',
		properties: { key: 'code', value: 4101, message: 'The access token lacks a permission Coze asks for (code 4101)' },
	},
	{ type: 'responseSuccessBody', properties: { key: 'code', value: 4200, message: API_NOT_FOUND } },
];

export class CozeApi implements ICredentialType {
	name = 'cozeApi';

	displayName = 'Coze API';

	icon: Icon = { light: 'file:../nodes/Coze/coze.svg', dark: 'file:../nodes/Coze/coze.dark.svg' };

	documentationUrl = 'https://docs.coze.cn/developer_guides/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A personal access token (pat_…) or an OAuth access token. It needs the readDocumentProgress permission, and the list permission of knowledge files for the trigger\'s Whole Dataset mode.',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{
					name: 'China (coze.cn)',
					value: 'cn',
					description: 'https://api.coze.cn, for accounts and tokens created on coze.cn',
				},
				{
					name: 'International (coze.com)',
					value: 'com',
					description: 'https://api.coze.com, for accounts and tokens created on coze.com',
				},
				{
					name: 'Custom',
					value: 'custom',
					description: 'Another endpoint, e.g. a private deployment or a gateway',
				},
			],
			default: 'cn',
			description: 'Where the token was created: a coze.cn token does not work on coze.com, and the other way round',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://coze.example.com',
			description:
				'The API address without /v1 (requests go to <Base URL>/v1/...). http:// is fine on a private network.',
			displayOptions: { show: { region: ['custom'] } },
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
			},
		},
	};

	/** Reads the token's own user; the rules turn Coze's failures into advice. */
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.region === "custom" ? String($credentials.baseUrl).trim().replace(/\\/+$/, "").replace(/\\/v1$/, "") : $credentials.region === "com" ? "https://api.coze.com" : "https://api.coze.cn"}}',
			url: '/v1/users/me',
		},
		rules: testRules as ICredentialTestRequest['rules'],
	};
}
