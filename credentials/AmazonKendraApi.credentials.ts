import type {
	IAuthenticateRuleResponseSuccessBody,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { awsAuthenticate, awsEndpointExpression, awsKeyProperties, byErrorName } from './signing/awsCredential';

const KENDRA = 'com.amazonaws.kendra#';

/**
 * The credential test classifies AWS's answer by its error name (`__type`), as the node does,
 * not by the HTTP status: AWS answers access denied, throttling and validation with HTTP 400 as
 * well as rejected keys. Error answers come back as bodies (`ignoreHttpStatusErrors`), so that
 * these rules can read them; the first rule that matches gives the message.
 */
const TEST_RULES: IAuthenticateRuleResponseSuccessBody[] = [
	...byErrorName(
		KENDRA,
		'UnrecognizedClientException',
		'AWS does not know this Access Key ID (UnrecognizedClientException): check it, and that temporary keys (ASIA…) come with their Session Token.',
	),
	...byErrorName(
		KENDRA,
		'InvalidClientTokenId',
		'AWS does not know this Access Key ID or Session Token (InvalidClientTokenId): check both.',
	),
	...byErrorName(
		KENDRA,
		'InvalidSignatureException',
		'AWS rejected the signature (InvalidSignatureException): check the Secret Access Key, which belongs to this Access Key ID.',
	),
	...byErrorName(
		KENDRA,
		'ExpiredTokenException',
		'The temporary credentials have expired (ExpiredTokenException): get new ones, with their Session Token.',
	),
	...byErrorName(
		KENDRA,
		'IncompleteSignatureException',
		'AWS found the signature incomplete (IncompleteSignatureException): check the Access Key ID and Region.',
	),
	...byErrorName(
		KENDRA,
		'MissingAuthenticationTokenException',
		'AWS received no credentials (MissingAuthenticationTokenException): fill in the Access Key ID and Secret Access Key.',
	),
	...byErrorName(
		KENDRA,
		'AccessDeniedException',
		'The keys are valid, but not allowed to list Kendra indices (AccessDeniedException): grant the IAM identity kendra:ListIndices, and kendra:BatchGetDocumentStatus for the node.',
	),
	...byErrorName(
		KENDRA,
		'ThrottlingException',
		'AWS throttled the test request (ThrottlingException), which it does only after accepting the keys: run the test again in a moment.',
	),
	...byErrorName(
		KENDRA,
		'ValidationException',
		'Amazon Kendra refused the test request as invalid (ValidationException): check Region, and Custom Endpoint if set.',
	),
	...byErrorName(
		KENDRA,
		'InternalServerException',
		'Amazon Kendra had a server error (InternalServerException): run the test again in a moment.',
	),
	...byErrorName(
		KENDRA,
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
		...awsKeyProperties,
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

	/** AWS Signature Version 4 for the signing name `kendra` (see awsAuthenticate). */
	authenticate = awsAuthenticate('kendra');

	/** ListIndices with one result: a cheap, signed read that fails on wrong or expired keys. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: awsEndpointExpression('kendra'),
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
