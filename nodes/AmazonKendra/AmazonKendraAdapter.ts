import type { ICredentialDataDecryptedObject, IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { AwsErrorClass } from '../../credentials/signing/awsService';
import {
	awsAuthErrorClasses,
	awsConsoleHost,
	awsFailure,
	awsHeader,
	awsRequestId,
	awsServiceEndpoint,
	bodyErrorCode,
	firstErrorName,
	temporaryKeyHint,
} from '../../credentials/signing/awsService';
import type { VendorClient, VendorResponse } from '../shared/client';
import { newDocumentStatus } from '../shared/documents';
import { InputError, VendorRequestError } from '../shared/errors';
import { parseFreeTextIds } from '../shared/idList';
import { jsonObject, nonEmptyText } from '../shared/json';
import type { ListEntry, ListPage, ListRequest } from '../shared/listSearch';
import { matchesFilter, searchList } from '../shared/listSearch';
import type { LocatorSpec } from '../shared/locator';
import { locatorValue } from '../shared/locator';
import { readParameter } from '../shared/parameters';
import type { DocumentError, DocumentStatus, NormalizedStatus } from '../shared/types';
import type {
	NodeContext,
	RawResponse,
	StatusAdapter,
	VendorFailure,
	VendorSpec,
	WatchTarget,
} from '../shared/vendor';

/** Everything the package knows about Amazon Kendra's API wire format lives in this file. */

/** Attributes that pin the version of a document whose status is asked for. */
export interface KendraDocumentVersion {
	dataSourceId: string;
	jobExecutionId: string;
	version: string | null;
}

export interface KendraTarget extends WatchTarget {
	indexId: string;
	documentIds: string[];
	documentVersion: KendraDocumentVersion | null;
}

/** awsJson1_1: one POST to `/`, the operation in X-Amz-Target, the input as JSON. */
export const CONTENT_TYPE = 'application/x-amz-json-1.1';
export const TARGET_PREFIX = 'AWSKendraFrontendService.';

/** `DocumentInfoList` takes 1 to 10 documents. */
export const STATUS_BATCH_SIZE = 10;
/**
 * Status calls in flight at once for a long list. Kendra throttles per account and region;
 * three at a time turns 100 ids into 4 rounds of calls instead of 10, and throttling is retried.
 */
export const STATUS_CONCURRENCY = 3;

/** Index ids are exactly 36 characters (a UUID as the console shows it). */
const INDEX_ID_TEXT = '[a-zA-Z0-9][a-zA-Z0-9-]{35}';
const INDEX_ID = new RegExp(`^${INDEX_ID_TEXT}$`);
/** `MaxResults` of ListIndices, at most 100. */
export const INDEX_LIST_PAGE_SIZE = 100;
/**
 * ListIndices calls one list request may make. Kendra cannot filter by name, so the list filters
 * the pages itself and reads on until something matches.
 */
const MAX_INDEX_LIST_CALLS = 5;

/**
 * How an index is picked in the editor. Its page in the Kendra console is
 * `https://<region>.console.aws.amazon.com/kendra/home?region=<region>#indexes/<index ID>`, also
 * written `#/indexes/<index ID>/details` (GovCloud: `https://console.amazonaws-us-gov.com/kendra/…`).
 */
export const kendraIndexLocator: LocatorSpec = {
	label: 'Index ID',
	searchMethod: 'searchIndexes',
	searchable: true,
	url: {
		pattern: `https?://[^\\s/]+/kendra/home[^\\s#]*#/?indexes/(${INDEX_ID_TEXT})(?:[/?#][^\\s]*)?`,
		shape: 'https://<region>.console.aws.amazon.com/kendra/home?region=<region>#indexes/<index ID>',
		placeholder: 'e.g. https://us-east-1.console.aws.amazon.com/kendra/home?region=us-east-1#indexes/0123abcd-0000-1111-2222-333344445555',
	},
	id: {
		pattern: `\\s*${INDEX_ID_TEXT}\\s*`,
		expected: 'an index ID of 36 characters (letters, digits and hyphens), such as 0123abcd-0000-1111-2222-333344445555',
		placeholder: 'e.g. 0123abcd-0000-1111-2222-333344445555',
	},
};
const MAX_DOCUMENT_ID_LENGTH = 2048;

/** Every `DocumentStatus` of the official SDK (@aws-sdk/client-kendra), each mapped on purpose. */
export const KENDRA_DOCUMENT_STATUS: Readonly<Record<string, NormalizedStatus>> = {
	PROCESSING: 'processing',
	INDEXED: 'completed',
	UPDATED: 'completed',
	FAILED: 'failed',
	UPDATE_FAILED: 'failed',
	NOT_FOUND: 'not_found',
};

export const kendraSpec: VendorSpec = {
	name: 'kendra',
	displayName: 'Amazon Kendra',
	credentialType: 'amazonKendraApi',
	// Indexing a document through BatchPutDocument takes from seconds to minutes and Kendra gives
	// no estimate; 5 s keeps a 10-document wait at 12 calls a minute. Throttling answers are
	// retried with backoff, so the 1 s floor serves short documents without risk.
	pollInterval: { defaultSeconds: 5, minSeconds: 1 },
	secretFields: ['secretAccessKey', 'sessionToken'],
	requestIdOf: kendraRequestId,
	inspectResponse: inspectKendraResponse,
};

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

export type ErrorClass = AwsErrorClass;

/**
 * `ErrorCode` of an `Errors[]` entry of BatchGetDocumentStatus (the SDK's `ErrorCode`): either way
 * the document's status could not be read, so its item is `unknown` with the error, and a wait
 * asks again. Listed so that a code added upstream is noticed.
 */
export const KENDRA_STATUS_ERROR_CODES: readonly string[] = ['InternalError', 'InvalidRequest'];

/**
 * By error name, the way AWS's SDKs dispatch; the HTTP status is not reliable across services.
 * It holds every exception of @aws-sdk/client-kendra and the AWS front end's own errors.
 */
export const KENDRA_ERROR_CLASSES: Readonly<Record<string, ErrorClass>> = {
	ThrottlingException: { kind: 'rate_limit', retryable: true },
	ThrottledException: { kind: 'rate_limit', retryable: true },
	TooManyRequestsException: { kind: 'rate_limit', retryable: true },
	RequestLimitExceeded: { kind: 'rate_limit', retryable: true },
	InternalServerException: { kind: 'server', retryable: true },
	InternalFailure: { kind: 'server', retryable: true },
	ServiceUnavailable: { kind: 'server', retryable: true },
	ServiceUnavailableException: { kind: 'server', retryable: true },
	ValidationException: {
		kind: 'invalid_request',
		retryable: false,
		hint: 'Kendra rejected the input: check Index ID (36 characters), Document IDs (1 to 2048 characters each) and, if set, the Document Version option.',
	},
	AccessDeniedException: {
		kind: 'permission',
		retryable: false,
		hint: 'The IAM identity of the credential needs the permission kendra:BatchGetDocumentStatus on the index (arn:aws:kendra:<region>:<account>:index/<Index ID>).',
	},
	ResourceNotFoundException: {
		kind: 'not_found',
		retryable: false,
		hint: 'Check Index ID, and that the credential\'s Region is the index\'s region.',
	},
	ConflictException: { kind: 'invalid_request', retryable: false },
	FeaturedResultsConflictException: { kind: 'invalid_request', retryable: false },
	InvalidRequestException: { kind: 'invalid_request', retryable: false },
	ResourceAlreadyExistException: { kind: 'invalid_request', retryable: false },
	// The index is busy or not ready yet (e.g. still being created or updated): it passes.
	ResourceInUseException: { kind: 'server', retryable: true },
	ResourceUnavailableException: { kind: 'server', retryable: true },
	ServiceQuotaExceededException: { kind: 'quota', retryable: false },
	...awsAuthErrorClasses('Amazon Kendra API'),
};

/** The request id AWS support asks for. */
export function kendraRequestId(response: RawResponse): string | null {
	return awsRequestId(response.headers);
}

/**
 * The error name as AWS's JSON protocols give it: body `__type`, else body `code`, else the
 * `x-amzn-ErrorType` header.
 */
export function kendraErrorName(response: RawResponse): string | null {
	const body = jsonObject(response.body);
	return firstErrorName([body?.__type, bodyErrorCode(body), awsHeader(response.headers, 'x-amzn-errortype')]);
}

/**
 * Kendra answers success with HTTP 200 and a failure with an error name; the name decides, since
 * AWS's reference pages give HTTP 400 for throttling where the SDK model says 429. Answers with
 * no name at all (a proxy's page) are left to the engine's generic handling.
 */
export function inspectKendraResponse(response: RawResponse): VendorFailure | null {
	const { statusCode } = response;
	if (statusCode >= 200 && statusCode < 300) return null;
	const name = kendraErrorName(response);
	if (name === null) return null;
	return awsFailure(response, name, KENDRA_ERROR_CLASSES);
}

// ---------------------------------------------------------------------------------------------
// Endpoint
// ---------------------------------------------------------------------------------------------

/** The API root: the credential's Custom Endpoint, else `https://kendra.{region}.amazonaws.com`. */
export function kendraEndpoint(credential: ICredentialDataDecryptedObject): string {
	// Every partition with a Kendra endpoint (aws, aws-us-gov) uses amazonaws.com; Kendra has no
	// China region (botocore data/endpoints.json).
	return awsServiceEndpoint(credential, {
		credential: 'Amazon Kendra API',
		host: 'kendra',
		example: 'https://vpce-0123.kendra.us-east-1.vpce.amazonaws.com',
	});
}

// ---------------------------------------------------------------------------------------------
// Statuses
// ---------------------------------------------------------------------------------------------

/** One `DocumentStatusList[]` entry of BatchGetDocumentStatus. */
export interface KendraStatusEntry {
	DocumentId?: unknown;
	DocumentStatus?: unknown;
	FailureCode?: unknown;
	FailureReason?: unknown;
	[field: string]: unknown;
}

/** One `Errors[]` entry: a document whose status Kendra could not read. */
export interface KendraErrorEntry {
	DocumentId?: unknown;
	DataSourceId?: unknown;
	ErrorCode?: unknown;
	ErrorMessage?: unknown;
	[field: string]: unknown;
}

export function mapKendraStatus(status: unknown): NormalizedStatus {
	return (typeof status === 'string' && KENDRA_DOCUMENT_STATUS[status]) || 'unknown';
}

export function fromStatusEntry(entry: KendraStatusEntry, target: KendraTarget, requestId: string | null): DocumentStatus | null {
	const documentId = typeof entry.DocumentId === 'string' && entry.DocumentId !== '' ? entry.DocumentId : null;
	if (documentId === null) return null;
	const status = mapKendraStatus(entry.DocumentStatus);
	let error: DocumentError | null = null;
	if (status === 'failed') {
		error = {
			code: nonEmptyText(entry.FailureCode),
			message: nonEmptyText(entry.FailureReason) ?? 'Amazon Kendra could not index the document',
		};
	} else if (status === 'not_found') {
		error = {
			code: null,
			message: 'Amazon Kendra does not know this document in this index: not indexed yet, deleted, or another ID',
		};
	}
	return newDocumentStatus({
		vendor: 'kendra',
		knowledgeBaseId: target.indexId,
		documentId,
		status,
		vendorStatus: typeof entry.DocumentStatus === 'string' ? entry.DocumentStatus : null,
		// Kendra gives no figure while processing; a finished document is at 100 %.
		progress: status === 'completed' || status === 'failed' ? 100 : null,
		error,
		requestId,
		raw: entry,
	});
}

/** A document Kendra could not read the status of: `unknown`, so a wait asks again. */
export function fromErrorEntry(entry: KendraErrorEntry, target: KendraTarget, requestId: string | null): DocumentStatus | null {
	const documentId = typeof entry.DocumentId === 'string' && entry.DocumentId !== '' ? entry.DocumentId : null;
	if (documentId === null) return null;
	return newDocumentStatus({
		vendor: 'kendra',
		knowledgeBaseId: target.indexId,
		documentId,
		status: 'unknown',
		error: {
			code: nonEmptyText(entry.ErrorCode),
			message: nonEmptyText(entry.ErrorMessage) ?? 'Amazon Kendra could not read the status of this document',
		},
		requestId,
		raw: entry,
	});
}

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

function readIndexId(ctx: NodeContext, itemIndex: number): string {
	const value = locatorValue(readParameter(ctx, 'indexId', itemIndex, ''), kendraIndexLocator);
	const indexId = typeof value === 'string' ? value.trim() : '';
	if (indexId === '') {
		throw new InputError('Index ID is empty: expected the 36-character ID shown on the index\'s page in the Amazon Kendra console');
	}
	if (!INDEX_ID.test(indexId)) {
		throw new InputError(
			`Index ID "${indexId}" is not an Amazon Kendra index ID: expected 36 characters (letters, digits and hyphens), e.g. 0123abcd-0000-1111-2222-333344445555, as shown on the index's page in the Kendra console (${indexId.length} characters given)`,
		);
	}
	return indexId;
}

function readDocumentIds(ctx: NodeContext, itemIndex: number): string[] {
	return parseFreeTextIds(readParameter(ctx, 'documentIds', itemIndex, ''), {
		emptyMessage:
			'Document IDs is empty: expected at least one ID, as a comma- or newline-separated list or an array of strings. The default reads Documents[].Id of a BatchPutDocument request, minus its answer\'s FailedDocuments[].Id; map the IDs here when the input looks different.',
		maxLength: MAX_DOCUMENT_ID_LENGTH,
		idsName: 'Amazon Kendra document IDs',
	});
}

function readDocumentVersion(ctx: NodeContext, itemIndex: number): KendraDocumentVersion | null {
	const options = (readParameter(ctx, 'options', itemIndex, {}) ?? {}) as IDataObject;
	const group = jsonObject(options.documentVersion);
	const values = jsonObject(group?.values) ?? {};
	const field = (name: string) => (typeof values[name] === 'string' ? (values[name] as string).trim() : '');
	const dataSourceId = field('dataSourceId');
	const jobExecutionId = field('jobExecutionId');
	const version = field('version');
	if (dataSourceId === '' && jobExecutionId === '' && version === '') return null;
	if (dataSourceId === '' || jobExecutionId === '') {
		const missing = dataSourceId === '' ? 'Data Source ID' : 'Sync Job ID';
		throw new InputError(
			`Document Version needs both Data Source ID and Sync Job ID (Kendra takes them together): ${missing} is empty`,
		);
	}
	return { dataSourceId, jobExecutionId, version: version === '' ? null : version };
}

export function readKendraTarget(ctx: NodeContext, itemIndex: number): KendraTarget {
	const indexId = readIndexId(ctx, itemIndex);
	const documentIds = readDocumentIds(ctx, itemIndex);
	const documentVersion = readDocumentVersion(ctx, itemIndex);
	// Items that pin different versions cannot share a call: the attributes go with every id.
	const versionKey = documentVersion
		? `${documentVersion.dataSourceId}\u0000${documentVersion.jobExecutionId}\u0000${documentVersion.version ?? ''}`
		: '';
	return {
		indexId,
		knowledgeBaseId: indexId,
		jobId: null,
		documentIds,
		documentVersion,
		wholeKnowledgeBase: false,
		scopeKey: `documents:${indexId}\u0000${versionKey}`,
	};
}

// ---------------------------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------------------------

function documentAttributes(version: KendraDocumentVersion | null): IDataObject[] | undefined {
	if (!version) return undefined;
	const attributes: IDataObject[] = [
		{ Key: 'datasourceId', Value: { StringValue: version.dataSourceId } },
		{ Key: 'jobExecutionId', Value: { StringValue: version.jobExecutionId } },
	];
	if (version.version !== null) attributes.push({ Key: 'version', Value: { StringValue: version.version } });
	return attributes;
}

/** Sends one operation; an authentication failure gets the credential's advice. */
async function send(client: VendorClient, url: string, body: IDataObject, operation = 'BatchGetDocumentStatus'): Promise<VendorResponse> {
	const outcome = await client.tryRequest({
		operation,
		method: 'POST',
		url,
		// The client's own Content-Type is application/json; this spelling replaces it.
		headers: { 'Content-Type': CONTENT_TYPE, 'X-Amz-Target': `${TARGET_PREFIX}${operation}` },
		body,
	});
	if (!(outcome instanceof VendorRequestError)) return outcome;
	if (outcome.failure.kind === 'auth') {
		const hint = temporaryKeyHint(await client.credential());
		if (hint) {
			const combined = outcome.failure.hint ? `${hint} ${outcome.failure.hint}` : hint;
			throw new VendorRequestError(outcome.vendorName, outcome.operation, { ...outcome.failure, hint: combined }, outcome.attempts);
		}
	}
	if (outcome.failure.kind === 'permission' && operation === LIST_INDICES) {
		throw new VendorRequestError(outcome.vendorName, outcome.operation, { ...outcome.failure, hint: LIST_PERMISSION_HINT }, outcome.attempts);
	}
	throw outcome;
}

/** Splits ids into full calls of `size`, in order: 23 ids make 10, 10 and 3. */
export function packIds(ids: string[], size = STATUS_BATCH_SIZE): string[][] {
	const chunks: string[][] = [];
	for (let start = 0; start < ids.length; start += size) chunks.push(ids.slice(start, start + size));
	return chunks;
}

/**
 * Runs `task` over `inputs` with at most `limit` in flight. When one fails, no new one starts;
 * the ones in flight finish, and then the first failure is thrown.
 */
export async function mapWithConcurrency<I, O>(inputs: I[], limit: number, task: (input: I) => Promise<O>): Promise<O[]> {
	const results: O[] = new Array(inputs.length);
	let next = 0;
	let failure: { error: unknown } | null = null;
	const worker = async () => {
		while (failure === null && next < inputs.length) {
			const index = next++;
			try {
				results[index] = await task(inputs[index]);
			} catch (error) {
				failure ??= { error };
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, worker));
	if (failure !== null) throw (failure as { error: unknown }).error;
	return results;
}

async function fetchDocuments(client: VendorClient, target: KendraTarget, ids: string[]): Promise<DocumentStatus[]> {
	if (ids.length === 0) return [];
	const url = `${kendraEndpoint(await client.credential())}/`;
	const attributes = documentAttributes(target.documentVersion);
	const answers = await mapWithConcurrency(packIds(ids), STATUS_CONCURRENCY, async (chunk) => {
		const response = await send(client, url, {
			IndexId: target.indexId,
			DocumentInfoList: chunk.map((DocumentId) => (attributes ? { DocumentId, Attributes: attributes } : { DocumentId })),
		});
		const body = (jsonObject(response.body) ?? {}) as { DocumentStatusList?: unknown; Errors?: unknown };
		const documents = new Map<string, DocumentStatus>();
		// A document in both lists keeps its status; one only in Errors[] gets an unknown status.
		for (const entry of Array.isArray(body.Errors) ? (body.Errors as KendraErrorEntry[]) : []) {
			const document = fromErrorEntry(entry, target, response.requestId);
			if (document) documents.set(document.documentId as string, document);
		}
		for (const entry of Array.isArray(body.DocumentStatusList) ? (body.DocumentStatusList as KendraStatusEntry[]) : []) {
			const document = fromStatusEntry(entry, target, response.requestId);
			if (document) documents.set(document.documentId as string, document);
		}
		return [...documents.values()];
	});
	return answers.flat();
}

// ---------------------------------------------------------------------------------------------
// The index list (the editor's From List mode)
// ---------------------------------------------------------------------------------------------

const LIST_INDICES = 'ListIndices';

const LIST_PERMISSION_HINT =
	'To fill the list, the IAM identity of the credential needs kendra:ListIndices (arn:aws:kendra:<region>:<account>:index/*). Without it, enter the ID with By ID.';

/** One `IndexConfigurationSummaryItems[]` entry of ListIndices. */
interface KendraIndexSummary {
	Id?: unknown;
	Name?: unknown;
	Status?: unknown;
}

/**
 * An index's page in the Kendra console of the credential's region. GovCloud regions have their
 * own console domain, console.amazonaws-us-gov.com.
 */
export function kendraConsoleUrl(credential: ICredentialDataDecryptedObject, indexId: string): string | undefined {
	// Kendra has no China region, so there is no console page to link there.
	const site = awsConsoleHost(credential);
	return site && `https://${site.host}/kendra/home?region=${site.region}#indexes/${encodeURIComponent(indexId)}`;
}

/**
 * The indexes of the credential's region, from ListIndices. Kendra takes no name filter, so the
 * search text is matched here, on the name and the id; a request reads on (a few pages at most)
 * until something matches, and Kendra's NextToken says where the next request goes on.
 */
export async function listIndexes(client: VendorClient, request: ListRequest): Promise<ListPage> {
	const credential = await client.credential();
	const url = `${kendraEndpoint(credential)}/`;
	const entries: ListEntry[] = [];
	let nextToken: string | null = request.token ?? null;
	for (let calls = 0; calls < MAX_INDEX_LIST_CALLS; calls++) {
		const response = await send(
			client,
			url,
			{ MaxResults: INDEX_LIST_PAGE_SIZE, ...(nextToken !== null ? { NextToken: nextToken } : {}) },
			LIST_INDICES,
		);
		const body = (jsonObject(response.body) ?? {}) as { IndexConfigurationSummaryItems?: unknown; NextToken?: unknown };
		const items = Array.isArray(body.IndexConfigurationSummaryItems) ? (body.IndexConfigurationSummaryItems as KendraIndexSummary[]) : [];
		for (const item of items) {
			if (typeof item?.Id !== 'string' || item.Id === '') continue;
			const entry: ListEntry = { id: item.Id, name: typeof item.Name === 'string' ? item.Name : '' };
			if (!matchesFilter(entry, request.filter)) continue;
			// An index that is not ACTIVE (CREATING, DELETING, FAILED…) says so beside its name.
			if (typeof item.Status === 'string' && item.Status !== 'ACTIVE') entry.detail = item.Status.toLowerCase().replace(/_/g, ' ');
			entry.url = kendraConsoleUrl(credential, item.Id);
			entries.push(entry);
		}
		nextToken = typeof body.NextToken === 'string' && body.NextToken !== '' ? body.NextToken : null;
		if (entries.length > 0 || nextToken === null) break;
	}
	return { entries, nextToken };
}

/** The `methods.listSearch` of the Amazon Kendra nodes. */
export const kendraListSearch = {
	async searchIndexes(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		return await searchList(this, kendraSpec, listIndexes, filter, paginationToken);
	},
};

export const kendraAdapter: StatusAdapter<KendraTarget> = {
	spec: kendraSpec,
	readTarget: readKendraTarget,
	async fetchStatuses(client, target, ids) {
		return await fetchDocuments(client, target, ids ?? target.documentIds);
	},
	// BatchGetDocumentStatus gives no progress figure and no time: DocumentStatus is all there is.
	progressSignature: (d) => [d.vendorStatus],
};
