import type {
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { signAwsRequest } from './signing/awsRequest';

/**
 * Kendra's service errors name themselves in `__type` with the namespace
 * (`com.amazonaws.kendra#AccessDeniedException`), the AWS front end without it
 * (`UnrecognizedClientException`). The SDK strips the namespace; a credential test rule can only
 * compare whole values, so each name is matched in both forms.
 */
function byErrorName(name: string, message: string): IAuthenticateRuleResponseSuccessBody[] {
	return ['', 'com.amazonaws.kendra#'].map((namespace) => ({
		type: 'responseSuccessBody' as const,
		properties: { key: '__type', value: `${namespace}${name}`, message },
	}));
}

/**
 * The credential test classifies AWS's answer by its error name (`__type`), as the node does,
 * not by the HTTP status: AWS answers access denied, throttling and validation with HTTP 400 as
 * well as rejected keys. Error answers come back as bodies (`ignoreHttpStatusErrors`), so that
 * these rules can read them; the first rule that matches gives the message.
 */
const TEST_RULES: IAuthenticateRuleResponseSuccessBody[] = [
	...byErrorName(
		'UnrecognizedClientException',
		'AWS does not know this Access Key ID (UnrecognizedClientException): check it, and that temporary keys (ASIA…) come with their Session Token.',
	),
	...byErrorName(
		'InvalidClientTokenId',
		'AWS does not know this Access Key ID or Session Token (InvalidClientTokenId): check both.',
	),
	...byErrorName(
		'InvalidSignatureException',
		'AWS rejected the signature (InvalidSignatureException): check the Secret Access Key, which belongs to this Access Key ID.',
	),
	...byErrorName(
		'ExpiredTokenException',
		'The temporary credentials have expired (ExpiredTokenException): get new ones, with their Session Token.',
	),
	...byErrorName(
		'IncompleteSignatureException',
		'AWS found the signature incomplete (IncompleteSignatureException): check the Access Key ID and Region.',
	),
	...byErrorName(
		'MissingAuthenticationTokenException',
		'AWS received no credentials (MissingAuthenticationTokenException): fill in the Access Key ID and Secret Access Key.',
	),
	...byErrorName(
		'AccessDeniedException',
		'The keys are valid, but not allowed to list Kendra indices (AccessDeniedException): grant the IAM identity kendra:ListIndices, and kendra:BatchGetDocumentStatus for the node.',
	),
	...byErrorName(
		'ThrottlingException',
		'AWS throttled the test request (ThrottlingException), which it does only after accepting the keys: run the test again in a moment.',
	),
	...byErrorName(
		'ValidationException',
		'Amazon Kendra refused the test request as invalid (ValidationException): check Region, and Custom Endpoint if set.',
	),
	...byErrorName(
		'InternalServerException',
		'Amazon Kendra had a server error (InternalServerException): run the test again in a moment.',
	),
	...byErrorName(
		'UnknownOperationException',
		'The endpoint does not know Kendra\'s ListIndices (UnknownOperationException): check Custom Endpoint.',
	),
	{
		// Neither a known error nor ListIndices' answer (another AWS error, a proxy's page, another
		// service): ListIndices always lists its indices, even none.
		type: 'responseSuccessBody',
		properties: {
			key: 'IndexConfigurationSummaryItems',
			value: undefined,
			message: 'The endpoint did not answer as Amazon Kendra\'s ListIndices does: check Region, and Custom Endpoint if set.',
		},
	},
];

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
			// The regions with a Kendra endpoint in AWS's official endpoint data (botocore
			// data/endpoints.json 1.43.11, service "kendra": partition aws, and us-gov-west-1 in
			// aws-us-gov; no China partition), leaving out the fips-* pseudo-regions.
			description:
				'The AWS region of the Kendra index: us-east-1, us-east-2, us-west-2, ca-central-1, eu-west-1, eu-west-2, ap-south-1, ap-southeast-1, ap-southeast-2, ap-northeast-1 or us-gov-west-1 (GovCloud)',
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
				'={{ String($credentials.endpoint ?? "").trim() ? String($credentials.endpoint).trim().replace(/\\/+$/, "") : "https://kendra." + String($credentials.region ?? "").trim() + ".amazonaws.com" }}',
			url: '/',
			method: 'POST',
			headers: {
				'Content-Type': 'application/x-amz-json-1.1',
				'X-Amz-Target': 'AWSKendraFrontendService.ListIndices',
			},
			body: { MaxResults: 1 },
			ignoreHttpStatusErrors: true,
		},
		rules: TEST_RULES,
	};
}
