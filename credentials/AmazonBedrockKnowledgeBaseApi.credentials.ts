import type {
	IAuthenticateRuleResponseSuccessBody,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { awsAuthenticate, awsEndpointExpression, awsKeyProperties, byErrorName } from './signing/awsCredential';

/**
 * The Bedrock Agent API is REST-JSON: it names an error only in the `x-amzn-ErrorType` header,
 * and its body carries a `message` (sometimes a `__type` too). n8n's credential test rules read
 * the body alone (n8n 2.40's RoutingNode keeps only the body of the test's answer), and compare
 * whole values. So the rules match the AWS front end's fixed messages for rejected keys, then the
 * error name when the body has one (both forms: see byErrorName); the first rule that matches
 * gives the message.
 *
 * Two causes cannot be told apart here, and share the last rule's message: a wrong secret (AWS's
 * message goes on with the canonical request it expected, different every time) and a missing
 * permission (its message names the caller's ARN). A test run by the nodes (`testedBy`) could
 * read the header, but its context offers only the `request` helper, which n8n's community
 * package scanner rejects (no-deprecated-workflow-functions). The nodes' own errors read the
 * header and name the cause.
 */
const BEDROCK_AGENT = 'com.amazonaws.bedrockagent#';

const byMessage = (value: string, message: string): IAuthenticateRuleResponseSuccessBody => ({
	type: 'responseSuccessBody',
	properties: { key: 'message', value, message },
});

const WRONG_KEY =
	'AWS does not know this Access Key ID (UnrecognizedClientException): check it, and that temporary keys (ASIA…) come with their Session Token.';
const WRONG_SECRET =
	'AWS rejected the signature (InvalidSignatureException): check the Secret Access Key, which belongs to this Access Key ID.';
const WRONG_REGION =
	'AWS refused the region the request was signed for: check Region (e.g. us-east-1), and that Custom Endpoint, if set, is in that region.';
const EXPIRED =
	'The temporary credentials have expired (ExpiredTokenException): get new ones, with their Session Token.';
const NO_PERMISSION =
	'The keys are valid, but not allowed to list knowledge bases (AccessDeniedException): grant the IAM identity bedrock:ListKnowledgeBases, and for the nodes bedrock:GetIngestionJob, bedrock:GetKnowledgeBaseDocuments, bedrock:ListKnowledgeBaseDocuments and bedrock:GetDataSource.';

/** The last rule's message: a refusal whose name only the header gives, or another server. */
const NOT_LISTED =
	'Amazon Bedrock did not list the knowledge bases. Most often the Secret Access Key is wrong (InvalidSignatureException), or the keys lack the permission bedrock:ListKnowledgeBases (AccessDeniedException): AWS names which only in a response header, which a credential test cannot read, and running the node shows it. Else check Region, and that Custom Endpoint, if set, is a Bedrock Agent endpoint.';

const TEST_RULES: IAuthenticateRuleResponseSuccessBody[] = [
	byMessage('The security token included in the request is invalid.', WRONG_KEY),
	byMessage('The security token included in the request is expired', EXPIRED),
	byMessage(
		'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
		WRONG_SECRET,
	),
	byMessage('Credential should be scoped to a valid region. ', WRONG_REGION),
	byMessage('Credential should be scoped to a valid region.', WRONG_REGION),
	byMessage('The credential must be scoped to a valid region.', WRONG_REGION),
	...byErrorName(BEDROCK_AGENT, 'UnrecognizedClientException', WRONG_KEY),
	...byErrorName(BEDROCK_AGENT, 'InvalidClientTokenId', 'AWS does not know this Access Key ID or Session Token (InvalidClientTokenId): check both.'),
	...byErrorName(BEDROCK_AGENT, 'InvalidSignatureException', WRONG_SECRET),
	...byErrorName(BEDROCK_AGENT, 'SignatureDoesNotMatch', WRONG_SECRET),
	...byErrorName(BEDROCK_AGENT, 'ExpiredTokenException', EXPIRED),
	...byErrorName(
		BEDROCK_AGENT,
		'MissingAuthenticationTokenException',
		'AWS received no credentials (MissingAuthenticationTokenException): fill in the Access Key ID and Secret Access Key.',
	),
	...byErrorName(BEDROCK_AGENT, 'AccessDeniedException', NO_PERMISSION),
	...byErrorName(
		BEDROCK_AGENT,
		'ThrottlingException',
		'AWS throttled the test request (ThrottlingException), which it does only after accepting the keys: run the test again in a moment.',
	),
	...byErrorName(
		BEDROCK_AGENT,
		'ValidationException',
		'Amazon Bedrock refused the test request as invalid (ValidationException): check Region, and Custom Endpoint if set.',
	),
	...byErrorName(
		BEDROCK_AGENT,
		'InternalServerException',
		'Amazon Bedrock had a server error (InternalServerException): run the test again in a moment.',
	),
	{
		// ListKnowledgeBases always answers its list, even an empty one. An answer without it is
		// an error the rules above cannot name (a wrong secret, a missing permission answered
		// without __type) or another server.
		type: 'responseSuccessBody',
		properties: {
			key: 'knowledgeBaseSummaries',
			value: undefined,
			message: NOT_LISTED,
		},
	},
];

export class AmazonBedrockKnowledgeBaseApi implements ICredentialType {
	name = 'amazonBedrockKnowledgeBaseApi';

	displayName = 'Amazon Bedrock Knowledge Base API';

	icon: Icon = {
		light: 'file:../nodes/AmazonBedrockKnowledgeBase/bedrock.svg',
		dark: 'file:../nodes/AmazonBedrockKnowledgeBase/bedrock.dark.svg',
	};

	documentationUrl = 'https://docs.aws.amazon.com/bedrock/latest/userguide/kb-permissions.html';

	properties: INodeProperties[] = [
		...awsKeyProperties,
		{
			displayName: 'Region',
			name: 'region',
			type: 'string',
			default: 'us-east-1',
			required: true,
			placeholder: 'us-east-1',
			description: 'The AWS region of the knowledge base, e.g. us-east-1',
		},
		{
			displayName: 'Custom Endpoint',
			name: 'endpoint',
			type: 'string',
			default: '',
			placeholder: 'https://vpce-0123456789abcdef0-abcdefgh.bedrock-agent.us-east-1.vpce.amazonaws.com',
			description:
				'Leave empty for https://bedrock-agent.&lt;region&gt;.amazonaws.com. Set a full URL for a VPC endpoint or a compatible service; requests are still signed for Region.',
		},
	];

	/** AWS Signature Version 4 for the signing name `bedrock` (see awsAuthenticate). */
	authenticate = awsAuthenticate('bedrock');

	/** ListKnowledgeBases with one result: a cheap, signed read that fails on wrong or expired keys. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: awsEndpointExpression('bedrock-agent'),
			url: '/knowledgebases/',
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: { maxResults: 1 },
			ignoreHttpStatusErrors: true,
		},
		rules: TEST_RULES,
	};
}
