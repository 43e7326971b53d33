import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { signAwsRequest } from './signing/awsRequest';

const KEYS_REJECTED =
	'Amazon Kendra rejected the request (HTTP 400). Check the Access Key ID and Secret Access Key, that temporary keys (ASIA…) come with their Session Token and have not expired, and that Region is the index\'s region.';

export class AmazonKendraApi implements ICredentialType {
	name = 'amazonKendraApi';

	displayName = 'Amazon Kendra API';

	icon: Icon = { light: 'file:../nodes/AmazonKendra/kendra.svg', dark: 'file:../nodes/AmazonKendra/kendra.dark.svg' };

	documentationUrl = 'https://docs.aws.amazon.com/kendra/latest/dg/security-iam.html';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Key ID',
			name: 'accessKeyId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'AKIAIOSFODNN7EXAMPLE',
			description: 'The access key of an IAM user or role: AKIA… for long-term keys, ASIA… for temporary ones',
		},
		{
			displayName: 'Secret Access Key',
			name: 'secretAccessKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for temporary credentials (an ASIA… key from AWS STS, SSO or an assumed role): the session token that came with them',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'string',
			default: 'us-east-1',
			required: true,
			placeholder: 'us-east-1',
			description:
				'The AWS region of the Kendra index, e.g. us-east-1, us-east-2, us-west-2, ca-central-1, eu-west-1, eu-west-2, ap-south-1, ap-southeast-1, ap-southeast-2, ap-northeast-1 or ap-northeast-2',
		},
		{
			displayName: 'Custom Endpoint',
			name: 'endpoint',
			type: 'string',
			default: '',
			placeholder: 'https://vpce-0123456789abcdef0-abcdefgh.kendra.us-east-1.vpce.amazonaws.com',
			description:
				'Leave empty for https://kendra.&lt;region&gt;.amazonaws.com. Set a full URL for a VPC endpoint or a compatible service; requests are still signed for Region.',
		},
	];

	/** AWS Signature Version 4 for the service `kendra`, with the session token when there is one. */
	// A property, not a method: n8n describes a community credential to the editor from its own
	// properties, and the HTTP Request node offers only credential types that have \`authenticate\`
	// there (has:authenticate), so a method would keep this credential out of its list.
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => signAwsRequest(credentials, requestOptions, 'kendra');

	/** ListIndices with one result: a cheap, signed read that fails on wrong or expired keys. */
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ String($credentials.endpoint ?? "").trim() ? String($credentials.endpoint).trim().replace(/\\/+$/, "") : "https://kendra." + String($credentials.region ?? "").trim() + (String($credentials.region ?? "").trim().startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com") }}',
			url: '/',
			method: 'POST',
			headers: {
				'Content-Type': 'application/x-amz-json-1.1',
				'X-Amz-Target': 'AWSKendraFrontendService.ListIndices',
			},
			body: { MaxResults: 1 },
		},
		rules: [
			{ type: 'responseCode', properties: { value: 400, message: KEYS_REJECTED } },
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'The keys are valid but not allowed to list Kendra indices: grant kendra:ListIndices (and kendra:BatchGetDocumentStatus for the node).',
				},
			},
		],
	};
}
