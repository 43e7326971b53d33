import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { ACTION_HEADER, signBailianRequest } from './signing/bailianRequest';

const ENDPOINT_EXPRESSION =
	'={{$credentials.region === "custom" ? String($credentials.endpoint).trim().replace(/\\/+$/, "") : "https://bailian." + $credentials.region + ".aliyuncs.com"}}';

/**
 * The credential test reads one index of the default workspace (ListIndices). HTTP errors come
 * back as bodies, so that the rules can tell Bailian's own codes apart: a wrong secret, an
 * unknown key, a bad security token, a workspace the key may not use.
 */
const TEST_RULES: ICredentialTestRequest['rules'] = [
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'Code',
			value: 'SignatureDoesNotMatch',
			message: 'Bailian rejected the signature (SignatureDoesNotMatch): check the AccessKey Secret, which belongs to this AccessKey ID.',
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'Code',
			value: 'InvalidAccessKeyId.NotFound',
			message: 'Alibaba Cloud does not know this AccessKey ID (InvalidAccessKeyId.NotFound): check it, and that it is not deleted.',
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'Code',
			value: 'InvalidAccessKeyId.Inactive',
			message: 'This AccessKey is disabled (InvalidAccessKeyId.Inactive): enable it in the RAM console, or use another one.',
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'Code',
			value: 'MissingSecurityToken',
			message: 'This is a temporary (STS) AccessKey ID: fill in the Security Token that came with it.',
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'Code',
			value: 'InvalidSecurityToken.Expired',
			message: 'The STS security token has expired (InvalidSecurityToken.Expired): get new temporary credentials.',
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'Code',
			value: 'InvalidSecurityToken.MismatchWithAccessKey',
			message: 'The security token does not belong to this AccessKey ID (InvalidSecurityToken.MismatchWithAccessKey).',
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'Code',
			value: 'InvalidSecurityToken.Malformed',
			message: 'The security token is malformed (InvalidSecurityToken.Malformed): copy it again, whole.',
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'Code',
			value: 'Index.Forbidden',
			message: 'The keys are valid, but may not read this workspace (Index.Forbidden): check the Workspace ID, that the RAM user has joined the workspace and has AliyunBailianDataReadOnlyAccess (sfm:ListIndices).',
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'Success',
			value: false,
			message: 'Bailian refused the test request (Success: false): check the AccessKey, the Workspace ID and the Region.',
		},
	},
	{
		// Not Bailian's envelope at all (an HTML page, a proxy error, another service).
		type: 'responseSuccessBody',
		properties: {
			key: 'Success',
			value: undefined,
			message: 'The endpoint did not answer as the Model Studio (Bailian) API does: check the Region, or the Endpoint when Region is Custom.',
		},
	},
];

export class BailianApi implements ICredentialType {
	name = 'bailianApi';

	displayName = 'Alibaba Cloud Model Studio (Bailian) API';

	icon: Icon = { light: 'file:../nodes/Bailian/bailian.svg', dark: 'file:../nodes/Bailian/bailian.dark.svg' };

	documentationUrl = 'https://www.alibabacloud.com/help/en/model-studio/get-accesskey-appid-and-agentkey';

	properties: INodeProperties[] = [
		{
			displayName: 'AccessKey ID',
			name: 'accessKeyId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. LTAI5tXXXXXXXXXXXXXXXXXX',
			description:
				'The AccessKey ID of an Alibaba Cloud account or RAM user that has joined the workspace (RAM policy AliyunBailianDataReadOnlyAccess or wider). Temporary STS keys start with STS.',
		},
		{
			displayName: 'AccessKey Secret',
			name: 'accessKeySecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Security Token',
			name: 'securityToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for temporary credentials from STS (an AccessKey ID that starts with STS.): the token that came with them',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{
					name: 'China (Beijing)',
					value: 'cn-beijing',
					description: 'https://bailian.cn-beijing.aliyuncs.com',
				},
				{
					name: 'Singapore',
					value: 'ap-southeast-1',
					description: 'https://bailian.ap-southeast-1.aliyuncs.com',
				},
				{
					name: 'Custom',
					value: 'custom',
					description: 'Another endpoint, e.g. a VPC endpoint or a gateway',
				},
			],
			default: 'cn-beijing',
			description: 'Where the Model Studio workspace lives',
		},
		{
			displayName: 'Endpoint',
			name: 'endpoint',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://bailian-vpc.cn-beijing.aliyuncs.com',
			description: 'The full URL of the API endpoint (http:// is fine on a private network)',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Workspace ID',
			name: 'workspaceId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. llm-3z7uw7fwz0vexxxx',
			description:
				'The default workspace (Model Studio console: the workspace menu, then the ID). Nodes use it unless they name another one, and the credential test reads its indices.',
		},
	];

	// A property, not a method: n8n describes a community credential to the editor from its own
	// properties, and the HTTP Request node offers only credential types that have \`authenticate\`
	// there (has:authenticate), so a method would keep this credential out of its list.
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => signBailianRequest(credentials, requestOptions);

	test: ICredentialTestRequest = {
		request: {
			baseURL: ENDPOINT_EXPRESSION,
			url: '=/{{encodeURIComponent(String($credentials.workspaceId).trim())}}/index/list_indices',
			qs: { PageNumber: 1, PageSize: 1 },
			headers: { [ACTION_HEADER]: 'ListIndices' },
			ignoreHttpStatusErrors: true,
		},
		rules: TEST_RULES,
	};
}
