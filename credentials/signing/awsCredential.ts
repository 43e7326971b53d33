import type {
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { signAwsRequest } from './awsRequest';

/** The AWS key fields every AWS credential of the package asks for, signed by signAwsRequest. */
export const awsKeyProperties: INodeProperties[] = [
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
];

/**
 * Service errors name themselves in `__type` with the service's namespace
 * (`com.amazonaws.kendra#AccessDeniedException`), the AWS front end without it
 * (`UnrecognizedClientException`). The SDK strips the namespace; a credential test rule can only
 * compare whole values, so each name is matched in both forms.
 */
export function byErrorName(namespace: string, name: string, message: string): IAuthenticateRuleResponseSuccessBody[] {
	return ['', namespace].map((prefix) => ({
		type: 'responseSuccessBody' as const,
		properties: { key: '__type', value: `${prefix}${name}`, message },
	}));
}

/** The credential's `endpoint` when set, else `https://{host}.{region}.amazonaws.com`, as an n8n expression. */
export function awsEndpointExpression(host: string): string {
	return `={{ String($credentials.endpoint ?? "").trim() ? String($credentials.endpoint).trim().replace(/\\/+$/, "") : "https://${host}." + String($credentials.region ?? "").trim() + ".amazonaws.com" }}`;
}

/**
 * The `authenticate` of an AWS credential: Signature Version 4 for `service`, with the session
 * token when there is one. Assign it to a property, not a method: n8n describes a community
 * credential to the editor from its own properties, and the HTTP Request node offers only
 * credential types that have `authenticate` there (has:authenticate).
 */
export function awsAuthenticate(
	service: string,
): (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions) => Promise<IHttpRequestOptions> {
	return async (credentials, requestOptions) => signAwsRequest(credentials, requestOptions, service);
}
