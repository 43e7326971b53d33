import type { ICredentialDataDecryptedObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { VendorClient, VendorRequest, VendorResponse } from '../shared/client';
import { newDocumentStatus } from '../shared/documents';
import { InputError, VendorRequestError } from '../shared/errors';
import { jsonObject, nonEmptyText } from '../shared/json';
import type { ListEntry, ListPage, ListRequest } from '../shared/listSearch';
import { searchList } from '../shared/listSearch';
import type { LocatorSpec } from '../shared/locator';
import { locatorValue } from '../shared/locator';
import { readParameter } from '../shared/parameters';
import { isTerminalStatus } from '../shared/status';
import type { DocumentStatus, NormalizedStatus } from '../shared/types';
import type {
	FailureKind,
	ListingPage,
	NodeContext,
	RawResponse,
	StatusAdapter,
	VendorFailure,
	VendorSpec,
	WatchTarget,
} from '../shared/vendor';

/**
 * Everything the package knows about the wire format of Alibaba Cloud Model Studio's (Bailian)
 * knowledge-base API (version 2023-12-29, ROA style) lives in this file. The signature itself
 * (ACS3-HMAC-SHA256) belongs to the credential, so that node, trigger and credential test sign
 * alike; each call here names its API in the `x-acs-action` header the credential signs.
 */

export type BailianWatch = 'job' | 'index';

export interface BailianTarget extends WatchTarget {
	watch: BailianWatch;
	/** Null: the credential's default workspace, read when the call is made. */
	workspaceId: string | null;
	indexId: string;
}

export const BAILIAN_REGION_ENDPOINTS: Readonly<Record<string, string>> = {
	'cn-beijing': 'https://bailian.cn-beijing.aliyuncs.com',
	'ap-southeast-1': 'https://bailian.ap-southeast-1.aliyuncs.com',
};

/**
 * Bailian asks for at least 5 s between two GetIndexJobStatus calls of one job (and throttles
 * beyond 20 a minute). The package keeps that gap for every call about one job: a poll, a
 * retry after throttling, a further page. Whole-index listings keep the same gap per index.
 */
export const STATUS_CALL_SPACING_MS = 5000;

export interface BailianPaging {
	/**
	 * `pageSize` of GetIndexJobStatus. The API sets no maximum, and every further page of a job
	 * costs another 5 s, so one page should cover a whole job.
	 */
	jobPageSize: number;
	/** `PageSize` of ListIndexDocuments (no maximum either). */
	listPageSize: number;
}

export const DEFAULT_PAGING: BailianPaging = { jobPageSize: 1000, listPageSize: 500 };

/** Knowledge bases per page of the editor's list (`PageSize` of ListIndices, no maximum). */
export const INDEX_LIST_PAGE_SIZE = 50;

/**
 * How a knowledge base is picked in the editor. Its page in the Model Studio console is
 * `https://bailian.console.aliyun.com/?tab=app#/knowledge-base/detail/<index ID>` (China; the
 * international console is modelstudio.console.alibabacloud.com, with the same path). A link
 * from the earlier international host, bailian.console.alibabacloud.com, is read too.
 */
export const bailianIndexLocator: LocatorSpec = {
	label: 'Index ID',
	searchMethod: 'searchIndexes',
	searchable: true,
	url: {
		pattern: 'https?://[^\\s/]+[^\\s#]*#/knowledge-base/detail/([A-Za-z0-9_-]+)(?:[/?#][^\\s]*)?',
		shape: 'https://bailian.console.aliyun.com/?tab=app#/knowledge-base/detail/<index ID> (the knowledge base\'s page in the Model Studio console)',
		placeholder: 'e.g. https://bailian.console.aliyun.com/?tab=app#/knowledge-base/detail/79c0alxxxx',
	},
	id: {
		pattern: '\\s*[^\\s/]+\\s*',
		expected: 'a knowledge base ID (IndexId) without spaces or slashes, such as 79c0alxxxx',
		placeholder: 'e.g. 79c0alxxxx',
	},
};

/**
 * How a workspace is picked. Model Studio's knowledge-base API has no call that lists
 * workspaces, so the list offers the credential's default workspace (checked with the
 * credential); another workspace is entered by ID. Empty means the credential's default.
 */
export const bailianWorkspaceLocator: LocatorSpec = {
	label: 'Workspace ID',
	searchMethod: 'searchWorkspaces',
	searchable: false,
	id: {
		pattern: '\\s*(?:[^\\s/]+)?\\s*',
		expected: 'a workspace ID without spaces or slashes, such as llm-3z7uw7fwz0vexxxx',
		placeholder: 'e.g. llm-3z7uw7fwz0vexxxx',
	},
};

/**
 * The Model Studio console of the public regions, where each knowledge base has a page. The
 * international console is modelstudio.console.alibabacloud.com: the newer doc comments of
 * @alicloud/bailian20231229 link it (the older ones still say bailian.console.alibabacloud.com,
 * the host it replaced).
 */
const BAILIAN_CONSOLES: Readonly<Record<string, string>> = {
	'cn-beijing': 'https://bailian.console.aliyun.com',
	'ap-southeast-1': 'https://modelstudio.console.alibabacloud.com',
};

/**
 * A document's `Status`, in GetIndexJobStatus (`Data.Documents[]`) and ListIndexDocuments
 * (`Data.Documents[]`) alike: the "Valid values" of @alicloud/bailian20231229's models
 * (GetIndexJobStatusResponseBodyDataDocuments, ListIndexDocumentsResponseBodyDataDocuments).
 * `DOC_PARSING` and `PARSE_FAILED`, mapped here before, come from no official source for index
 * documents (`PARSE_FAILED` is a status of DescribeFile's data-center files), so they are
 * unknown like any value Alibaba adds later.
 */
export const BAILIAN_DOCUMENT_STATUS: Readonly<Record<string, NormalizedStatus>> = {
	RUNNING: 'processing',
	FINISH: 'completed',
	INSERT_ERROR: 'failed',
	DELETED: 'deleted',
};

/** A job's `Data.Status` in GetIndexJobStatus, from GetIndexJobStatusResponseBodyData's "Valid values". */
export const BAILIAN_JOB_STATUS: Readonly<Record<string, NormalizedStatus>> = {
	PENDING: 'queued',
	RUNNING: 'processing',
	COMPLETED: 'completed',
	FAILED: 'failed',
};

export const bailianSpec: VendorSpec = {
	name: 'bailian',
	displayName: 'Bailian',
	credentialType: 'bailianApi',
	// 5 s is Bailian's own floor for GetIndexJobStatus. Indexing jobs take minutes to hours, and
	// Bailian gives no per-document progress, so 10 s costs few calls and still notices the end
	// promptly.
	pollInterval: { defaultSeconds: 10, minSeconds: STATUS_CALL_SPACING_MS / 1000 },
	secretFields: ['accessKeySecret', 'securityToken'],
	requestIdOf: bailianRequestId,
	inspectResponse: inspectBailianResponse,
};

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** `{RequestId, Code, Message, Status, Success, Data}`, the envelope of every answer. */
interface BailianEnvelope {
	RequestId?: unknown;
	Code?: unknown;
	Message?: unknown;
	Success?: unknown;
	Data?: unknown;
}

function envelopeOf(body: unknown): BailianEnvelope | null {
	return jsonObject(body) as BailianEnvelope | null;
}

function header(response: RawResponse, name: string): string | null {
	const value = response.headers[name];
	return nonEmptyText(Array.isArray(value) ? value[0] : value);
}

/** The request id Alibaba support asks for: `RequestId` in the body, else `x-acs-request-id`. */
export function bailianRequestId(response: RawResponse): string | null {
	return nonEmptyText(envelopeOf(response.body)?.RequestId) ?? header(response, 'x-acs-request-id');
}

/**
 * `x-acs-retry-after` is in milliseconds: the official SDK (@alicloud/openapi-core,
 * `getThrottlingTimeLeft`) hands it as `retryAfter` to its retry policy, whose delays are ms, and
 * ignores values that are not positive integers.
 */
export function acsRetryAfterMs(response: RawResponse): number | null {
	const value = header(response, 'x-acs-retry-after');
	if (value === null || !/^\d+$/.test(value)) return null;
	const ms = Number(value);
	return ms > 0 ? ms : null;
}

interface Classification {
	kind: FailureKind;
	retryable: boolean;
	hint?: string;
}

const AUTH_HINTS: Array<[RegExp, string]> = [
	[
		/^SignatureDoesNotMatch$/,
		'Check the AccessKey Secret of the Bailian credential: it must be the secret of this AccessKey ID.',
	],
	[/^InvalidAccessKeyId\.NotFound$/, 'Check the AccessKey ID of the Bailian credential: Alibaba Cloud does not know it.'],
	[/^InvalidAccessKeyId\.Inactive$/, 'The AccessKey is disabled: enable it in the RAM console or use another one.'],
	[
		/^(MissingSecurityToken|InvalidSecurityToken\..*)$/,
		'Temporary (STS) credentials need their Security Token in the credential, and expire: get new ones when they do.',
	],
	[/^InvalidTimeStamp\..*$/, 'Alibaba Cloud rejects requests whose time is off by more than 15 minutes: check the clock of the n8n host.'],
	[/^IncompleteSignature$/, 'The request signature was incomplete.'],
];

const PERMISSION_HINT =
	'The AccessKey must belong to the Alibaba Cloud account, or to a RAM user with AliyunBailianDataReadOnlyAccess (sfm:GetIndexJobStatus, sfm:ListIndexDocuments) who has joined the workspace. Check the Workspace ID too.';

const NOT_FOUND_HINT =
	'Check the Index ID and the Job ID (Data.Id of SubmitIndexJob or SubmitIndexAddDocumentsJob), and that both belong to the workspace.';

function classify(code: string | null, statusCode: number, retryAfterMs: number | null): Classification {
	// The SDK treats an error answer with x-acs-retry-after as throttling, whatever its code.
	if ((code !== null && /Throttling/i.test(code)) || retryAfterMs !== null) return { kind: 'rate_limit', retryable: true };
	if (code === 'SignatureNonceUsed') return { kind: 'invalid_request', retryable: true };
	if (code !== null) {
		for (const [pattern, hint] of AUTH_HINTS) {
			if (pattern.test(code)) return { kind: 'auth', retryable: false, hint };
		}
		if (/(^|\.)(Forbidden|NoPermission|AccessDenied)/i.test(code)) {
			return { kind: 'permission', retryable: false, hint: PERMISSION_HINT };
		}
		if (/(NotExist|NotFound)/i.test(code)) return { kind: 'not_found', retryable: false, hint: NOT_FOUND_HINT };
		if (/^(InternalError|ServiceUnavailable|Internal\.)/i.test(code)) return { kind: 'server', retryable: true };
	}
	if (statusCode === 401) return { kind: 'auth', retryable: false };
	if (statusCode === 403) return { kind: 'permission', retryable: false, hint: PERMISSION_HINT };
	if (statusCode === 404) return { kind: 'not_found', retryable: false, hint: NOT_FOUND_HINT };
	if (statusCode === 429) return { kind: 'rate_limit', retryable: true };
	if (statusCode >= 500) return { kind: 'server', retryable: true };
	return { kind: 'invalid_request', retryable: false };
}

/** What a success may carry in `Code`: Alibaba's newer knowledge-base API answers `"code": "Success"`. */
const SUCCESS_CODES: ReadonlySet<string> = new Set(['success', 'ok', '200']);

/**
 * Whether an HTTP 2xx answer reports success. `Success` decides when it is there: the official
 * SDK reads neither `Code` nor `Message` of a success, and what the 2023-12-29 API puts in
 * `Code` on success is not settled by any official example (an empty string, or `"Success"` as
 * Alibaba's newer knowledge-base API answers). Only without `Success` does a `Code` other than a
 * success word mean an error.
 */
function reportsSuccess(envelope: BailianEnvelope | null, code: string | null): boolean {
	if (envelope === null) return true;
	if (envelope.Success === true) return true;
	if (envelope.Success === false) return false;
	return code === null || SUCCESS_CODES.has(code.toLowerCase());
}

/**
 * Bailian answers `{RequestId, Code, Message, Status, Success}`. A failure may come inside an
 * HTTP 200 (`Success: false`), and throttling as `Throttling*` codes with an
 * `x-acs-retry-after` header. Answers without that envelope (a proxy's page) are left to the
 * engine's generic handling, unless they carry `x-acs-retry-after`.
 */
export function inspectBailianResponse(response: RawResponse): VendorFailure | null {
	const { statusCode } = response;
	const envelope = envelopeOf(response.body);
	const code = nonEmptyText(envelope?.Code);
	const ok = statusCode >= 200 && statusCode < 300;
	if (ok && reportsSuccess(envelope, code)) return null;

	const retryAfterMs = ok ? null : acsRetryAfterMs(response);
	if (!ok && code === null && envelope?.Success !== false && retryAfterMs === null) return null;

	const { kind, retryable, hint } = classify(code, statusCode, retryAfterMs);
	const requestId = bailianRequestId(response);
	const said = nonEmptyText(envelope?.Message) ?? defaultMessage(kind, statusCode);
	const facts = [`Code ${code ?? '(none)'}`, `RequestId ${requestId ?? '(none)'}`];
	return {
		kind,
		retryable,
		httpStatus: statusCode,
		code,
		message: `${said} (${facts.join(', ')})`,
		requestId,
		retryAfterMs,
		...(hint ? { hint } : {}),
	};
}

function defaultMessage(kind: FailureKind, statusCode: number): string {
	switch (kind) {
		case 'rate_limit':
			return 'the request was throttled';
		case 'auth':
			return 'the credentials were rejected';
		case 'permission':
			return 'permission denied';
		case 'not_found':
			return 'not found';
		case 'server':
			return 'Bailian had a server error';
		default:
			return `the request failed with HTTP ${statusCode} (Success: false)`;
	}
}

// ---------------------------------------------------------------------------------------------
// Credential
// ---------------------------------------------------------------------------------------------

/** The API root for the credential's region, without a trailing slash. */
export function bailianEndpoint(credential: ICredentialDataDecryptedObject): string {
	const region = credential.region ?? 'cn-beijing';
	if (typeof region === 'string' && BAILIAN_REGION_ENDPOINTS[region]) return BAILIAN_REGION_ENDPOINTS[region];
	if (region !== 'custom') {
		throw new InputError(
			`Region "${String(region)}" of the Bailian credential is not supported: expected cn-beijing, ap-southeast-1 or custom`,
		);
	}
	const endpoint = String(credential.endpoint ?? '')
		.trim()
		.replace(/\/+$/, '');
	if (!/^https?:\/\/[^/\s]+/i.test(endpoint)) {
		throw new InputError(
			`Endpoint of the Bailian credential is "${endpoint}": expected a full URL such as https://bailian-vpc.cn-beijing.aliyuncs.com (used because Region is Custom)`,
		);
	}
	return endpoint;
}

/** Temporary keys are useless without their token; say so before Bailian does, less clearly. */
function checkKeys(credential: ICredentialDataDecryptedObject): void {
	const accessKeyId = String(credential.accessKeyId ?? '').trim();
	if (accessKeyId === '') throw new InputError('AccessKey ID of the Bailian credential is empty');
	if (accessKeyId.startsWith('STS.') && String(credential.securityToken ?? '').trim() === '') {
		throw new InputError(
			'Security Token of the Bailian credential is empty, but the AccessKey ID is a temporary STS key (it starts with STS.): fill in the token that came with it',
		);
	}
}

interface CallContext {
	endpoint: string;
	workspaceId: string;
}

/** The endpoint and workspace of a call: the node's workspace, else the credential's default. */
async function callContext(client: VendorClient, nodeWorkspaceId: string | null): Promise<CallContext> {
	const credential = await client.credential();
	const endpoint = bailianEndpoint(credential);
	checkKeys(credential);
	const workspaceId = nodeWorkspaceId ?? (String(credential.workspaceId ?? '').trim() || null);
	if (workspaceId === null) {
		throw new InputError(
			'Workspace ID is empty: set it on the node, or as the default workspace of the Bailian credential (e.g. llm-3z7uw7fwz0vexxxx)',
		);
	}
	return { endpoint, workspaceId };
}

/** RFC 3986, as Alibaba's gateway encodes path segments. */
function pathSegment(value: string): string {
	return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

// ---------------------------------------------------------------------------------------------
// Statuses
// ---------------------------------------------------------------------------------------------

export function mapBailianDocumentStatus(status: unknown): NormalizedStatus {
	return typeof status === 'string' ? (BAILIAN_DOCUMENT_STATUS[status] ?? 'unknown') : 'unknown';
}

export function mapBailianJobStatus(status: unknown): NormalizedStatus {
	return typeof status === 'string' ? (BAILIAN_JOB_STATUS[status] ?? 'unknown') : 'unknown';
}

/** `GmtModified`, epoch milliseconds, as ISO 8601; null when absent or 0 (the SDK's example). */
export function isoFromEpochMs(value: unknown): string | null {
	const ms = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
	if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) return null;
	const date = new Date(ms);
	return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** One `Data.Documents[]` entry of GetIndexJobStatus. */
export interface BailianJobDocument {
	DocId?: unknown;
	DocName?: unknown;
	Status?: unknown;
	Code?: unknown;
	Message?: unknown;
	GmtModified?: unknown;
	[field: string]: unknown;
}

/** One `Data.Documents[]` entry of ListIndexDocuments. */
export interface BailianIndexDocument {
	Id?: unknown;
	Name?: unknown;
	Status?: unknown;
	Code?: unknown;
	Message?: unknown;
	GmtModified?: unknown;
	[field: string]: unknown;
}

interface Fields {
	id: unknown;
	name: unknown;
	status: unknown;
	code: unknown;
	message: unknown;
	gmtModified: unknown;
}

function fromFields(
	fields: Fields,
	raw: object,
	target: BailianTarget,
	jobStatus: string | null,
	requestId: string | null,
): DocumentStatus | null {
	const documentId = nonEmptyText(fields.id);
	if (documentId === null) return null;
	const status = mapBailianDocumentStatus(fields.status);
	const vendorStatus = typeof fields.status === 'string' ? fields.status : null;
	let error = null;
	if (status === 'failed') {
		error = {
			code: nonEmptyText(fields.code),
			message: nonEmptyText(fields.message) ?? `Bailian could not import the document (${vendorStatus})`,
		};
	} else if (status === 'unknown' && (nonEmptyText(fields.code) !== null || nonEmptyText(fields.message) !== null)) {
		error = { code: nonEmptyText(fields.code), message: nonEmptyText(fields.message) ?? 'Bailian reported an error code' };
	}
	return newDocumentStatus({
		vendor: 'bailian',
		knowledgeBaseId: target.indexId,
		jobId: target.jobId,
		documentId,
		documentName: typeof fields.name === 'string' ? fields.name : null,
		status,
		vendorStatus,
		jobStatus,
		// Bailian reports no progress while a document runs; a finished one is done.
		progress: isTerminalStatus(status) ? 100 : null,
		error,
		updatedAt: isoFromEpochMs(fields.gmtModified),
		requestId,
		raw,
	});
}

export function fromJobDocument(
	entry: BailianJobDocument,
	target: BailianTarget,
	jobStatus: string | null,
	requestId: string | null,
): DocumentStatus | null {
	return fromFields(
		{ id: entry.DocId, name: entry.DocName, status: entry.Status, code: entry.Code, message: entry.Message, gmtModified: entry.GmtModified },
		entry,
		target,
		jobStatus,
		requestId,
	);
}

export function fromIndexDocument(
	entry: BailianIndexDocument,
	target: BailianTarget,
	requestId: string | null,
): DocumentStatus | null {
	return fromFields(
		{ id: entry.Id, name: entry.Name, status: entry.Status, code: entry.Code, message: entry.Message, gmtModified: entry.GmtModified },
		entry,
		target,
		null,
		requestId,
	);
}

/**
 * The answer for a job that lists no document yet (PENDING, or RUNNING before its first
 * document shows; also a job that ended without any): one item with the job's status.
 */
export function jobItem(
	data: { Status?: unknown; JobId?: unknown },
	target: BailianTarget,
	requestId: string | null,
): DocumentStatus {
	const jobStatus = typeof data.Status === 'string' ? data.Status : null;
	const status = mapBailianJobStatus(data.Status);
	return newDocumentStatus({
		vendor: 'bailian',
		knowledgeBaseId: target.indexId,
		jobId: target.jobId,
		documentId: null,
		status,
		vendorStatus: jobStatus,
		jobStatus,
		progress: status === 'queued' ? 0 : isTerminalStatus(status) ? 100 : null,
		error:
			status === 'failed'
				? { code: null, message: 'The Bailian job failed without listing any document' }
				: null,
		requestId,
		raw: { JobId: data.JobId, Status: data.Status },
	});
}

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

function readId(ctx: NodeContext, itemIndex: number, name: string, label: string, example: string, fallback: string, locator?: LocatorSpec): string {
	const raw = readParameter(ctx, name, itemIndex, fallback);
	let value = locator ? locatorValue(raw, locator) : raw;
	if (typeof value === 'number' && Number.isSafeInteger(value)) value = String(value);
	if (value === undefined || value === null || value === '') return '';
	if (typeof value !== 'string') {
		throw new InputError(`${label} is ${Array.isArray(value) ? 'an array' : `of type ${typeof value}`}: expected a string, e.g. ${example}`);
	}
	const id = value.trim();
	if (/[\s/]/.test(id)) {
		throw new InputError(`${label} "${id}" is not a Bailian ID: expected no spaces or slashes, e.g. ${example}`);
	}
	return id;
}

export function readBailianTarget(ctx: NodeContext, itemIndex: number): BailianTarget {
	const workspaceId = readId(ctx, itemIndex, 'workspaceId', 'Workspace ID', 'llm-3z7uw7fwz0vexxxx', '', bailianWorkspaceLocator) || null;
	const indexId = readId(ctx, itemIndex, 'indexId', 'Index ID', '79c0alxxxx', '', bailianIndexLocator);
	if (indexId === '') {
		throw new InputError('Index ID is empty: expected the knowledge base ID (IndexId), e.g. 79c0alxxxx');
	}
	// The action node has no Watch parameter: it always watches one job.
	const watch = readParameter(ctx, 'watch', itemIndex, 'job');
	const scope = `${workspaceId ?? ''}/${indexId}`;
	switch (watch) {
		case 'job': {
			const jobId = readId(ctx, itemIndex, 'jobId', 'Job ID', '66122af12a4e45ddae6bd6c84555xxxx', '');
			if (jobId === '') {
				throw new InputError(
					'Job ID is empty: expected the JobId of an indexing job. The default reads Data.Id from the output of SubmitIndexJob or SubmitIndexAddDocumentsJob; map the ID here when the input looks different.',
				);
			}
			return {
				watch,
				workspaceId,
				indexId,
				knowledgeBaseId: indexId,
				jobId,
				documentIds: null,
				wholeKnowledgeBase: false,
				scopeKey: `job:${scope}/${jobId}`,
			};
		}
		case 'index':
			return {
				watch,
				workspaceId,
				indexId,
				knowledgeBaseId: indexId,
				jobId: null,
				documentIds: null,
				wholeKnowledgeBase: true,
				scopeKey: `index:${scope}`,
			};
		default:
			throw new InputError(`Watch is "${String(watch)}": expected "job" or "index"`);
	}
}

// ---------------------------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------------------------

function badResponse(operation: string, response: VendorResponse, what: string): VendorRequestError {
	return new VendorRequestError(
		bailianSpec.displayName,
		operation,
		{
			kind: 'bad_response',
			retryable: false,
			httpStatus: response.statusCode,
			code: null,
			message: `the answer has no ${what} (RequestId ${response.requestId ?? '(none)'})`,
			requestId: response.requestId,
		},
		1,
	);
}

function dataOf(operation: string, response: VendorResponse): Record<string, unknown> {
	const data = envelopeOf(response.body)?.Data;
	if (data === null || typeof data !== 'object' || Array.isArray(data)) throw badResponse(operation, response, 'Data object');
	return data as Record<string, unknown>;
}

function entriesOf<T>(operation: string, response: VendorResponse, data: Record<string, unknown>): T[] {
	const documents = data.Documents;
	if (documents === undefined || documents === null) return [];
	if (!Array.isArray(documents)) throw badResponse(operation, response, 'Documents list');
	return documents.filter((entry): entry is T => entry !== null && typeof entry === 'object');
}

const GET_INDEX_JOB_STATUS = 'GetIndexJobStatus';
const LIST_INDEX_DOCUMENTS = 'ListIndexDocuments';

/** One page of GetIndexJobStatus: the job's `Data` and its `Documents[]`. */
async function jobStatusPage(
	client: VendorClient,
	target: BailianTarget,
	page: number,
	pageSize: number,
): Promise<{ data: Record<string, unknown>; entries: BailianJobDocument[]; requestId: string | null }> {
	const { endpoint, workspaceId } = await callContext(client, target.workspaceId);
	const jobId = target.jobId as string;
	const response = await client.request({
		operation: GET_INDEX_JOB_STATUS,
		method: 'GET',
		url: `${endpoint}/${pathSegment(workspaceId)}/index/job/status`,
		qs: { IndexId: target.indexId, JobId: jobId, PageNumber: page, pageSize },
		headers: { 'x-acs-action': GET_INDEX_JOB_STATUS },
		spacing: { key: `${GET_INDEX_JOB_STATUS} ${endpoint}/${workspaceId}/${target.indexId}/${jobId}`, minIntervalMs: STATUS_CALL_SPACING_MS },
	});
	const data = dataOf(GET_INDEX_JOB_STATUS, response);
	return { data, entries: entriesOf<BailianJobDocument>(GET_INDEX_JOB_STATUS, response, data), requestId: response.requestId };
}

/**
 * Every document of a job, through as many pages as it takes (`PageNumber`, and `pageSize`
 * with a lower-case p, as Bailian spells it). There is no total in the answer: a page shorter
 * than asked for is the last one.
 */
export async function fetchJobStatuses(
	client: VendorClient,
	target: BailianTarget,
	pageSize = DEFAULT_PAGING.jobPageSize,
): Promise<DocumentStatus[]> {
	const pages: Array<{ entries: BailianJobDocument[]; requestId: string | null }> = [];
	const seen = new Set<string>();
	let data: Record<string, unknown> = {};
	let requestId: string | null = null;
	for (let page = 1; ; page++) {
		const answer = await jobStatusPage(client, target, page, pageSize);
		data = answer.data;
		requestId = answer.requestId;
		const fresh = answer.entries.filter((entry) => {
			const id = nonEmptyText(entry.DocId);
			if (id === null || seen.has(id)) return false;
			seen.add(id);
			return true;
		});
		pages.push({ entries: fresh, requestId });
		// A short page ends the job; so does a page of nothing new (a server that ignores paging).
		if (answer.entries.length < pageSize || fresh.length === 0) break;
	}

	// The job status of the last page is the newest; documents keep the request id of their page.
	const jobStatus = typeof data.Status === 'string' ? data.Status : null;
	const documents: DocumentStatus[] = [];
	for (const { entries, requestId: pageRequestId } of pages) {
		for (const entry of entries) {
			const document = fromJobDocument(entry, target, jobStatus, pageRequestId);
			if (document) documents.push(document);
		}
	}
	if (documents.length === 0) return [jobItem(data, target, requestId)];
	// A job still running may list more documents later: while every listed one has ended, the
	// job's own item keeps the set open, so that a wait or a trigger does not end before it does.
	if (!isTerminalStatus(mapBailianJobStatus(data.Status)) && documents.every((d) => d.terminal)) {
		documents.push(jobItem(data, target, requestId));
	}
	return documents;
}

/**
 * One page of a job's documents, for a trigger that reads a job too long for one poll over
 * several (pages of one job are at least 5 s apart). A job that lists nothing answers with its
 * own item on page 1. A job still running adds its own unfinished item to a last page whose
 * documents have all ended (an unfinished document on an earlier page keeps the set open
 * anyway), so that the set stays open until the job ends.
 */
export async function jobDocumentsPage(
	client: VendorClient,
	target: BailianTarget,
	page: number,
	pageSize = DEFAULT_PAGING.jobPageSize,
): Promise<ListingPage> {
	const { data, entries, requestId } = await jobStatusPage(client, target, page, pageSize);
	const jobStatus = typeof data.Status === 'string' ? data.Status : null;
	const documents = entries
		.map((entry) => fromJobDocument(entry, target, jobStatus, requestId))
		.filter((d): d is DocumentStatus => d !== null);
	const hasMore = entries.length >= pageSize;
	const running = !isTerminalStatus(mapBailianJobStatus(data.Status));
	const listsNothing = page === 1 && documents.length === 0;
	if (listsNothing || (!hasMore && running && documents.every((d) => d.terminal))) documents.push(jobItem(data, target, requestId));
	return { documents, hasMore };
}

/**
 * One page of ListIndexDocuments (newest imports first). `hasMore` says whether another page
 * may hold more documents, by `TotalCount`, or by a full page when the total is missing.
 */
export async function listIndexDocumentsPage(
	client: VendorClient,
	target: BailianTarget,
	pageNumber: number,
	pageSize = DEFAULT_PAGING.listPageSize,
): Promise<ListingPage> {
	const { endpoint, workspaceId } = await callContext(client, target.workspaceId);
	const response = await client.request({
		operation: LIST_INDEX_DOCUMENTS,
		method: 'GET',
		url: `${endpoint}/${pathSegment(workspaceId)}/index/list_index_documents`,
		qs: { IndexId: target.indexId, PageNumber: pageNumber, PageSize: pageSize },
		headers: { 'x-acs-action': LIST_INDEX_DOCUMENTS },
		spacing: { key: `${LIST_INDEX_DOCUMENTS} ${endpoint}/${workspaceId}/${target.indexId}`, minIntervalMs: STATUS_CALL_SPACING_MS },
	});
	const data = dataOf(LIST_INDEX_DOCUMENTS, response);
	const entries = entriesOf<BailianIndexDocument>(LIST_INDEX_DOCUMENTS, response, data);
	const documents = entries
		.map((entry) => fromIndexDocument(entry, target, response.requestId))
		.filter((document): document is DocumentStatus => document !== null);
	const total = typeof data.TotalCount === 'number' ? data.TotalCount : null;
	const hasMore =
		entries.length > 0 && (total !== null ? (pageNumber - 1) * pageSize + entries.length < total : entries.length >= pageSize);
	return { documents, hasMore };
}

// ---------------------------------------------------------------------------------------------
// The knowledge base and workspace lists (the editor's From List mode)
// ---------------------------------------------------------------------------------------------

const LIST_INDICES = 'ListIndices';

const LIST_PERMISSION_HINT =
	'To fill the list, the AccessKey needs sfm:ListIndices (in AliyunBailianDataReadOnlyAccess) and must have joined the workspace. Check the Workspace ID and the Region too, or enter the ID with By ID.';

/** A knowledge base's page in the Model Studio console; none for a custom endpoint. */
export function bailianConsoleUrl(credential: ICredentialDataDecryptedObject, indexId: string): string | undefined {
	const root = BAILIAN_CONSOLES[String(credential.region ?? 'cn-beijing')];
	return root ? `${root}/?tab=app#/knowledge-base/detail/${encodeURIComponent(indexId)}` : undefined;
}

/**
 * One ListIndices call of a list. List calls keep the spacing of the other calls about the
 * workspace's knowledge bases, retries included, and a refused permission says what listing
 * needs.
 */
async function listIndicesCall(
	client: VendorClient,
	endpoint: string,
	workspaceId: string,
	qs: NonNullable<VendorRequest['qs']>,
): Promise<VendorResponse> {
	const outcome = await client.tryRequest({
		operation: LIST_INDICES,
		method: 'GET',
		url: `${endpoint}/${pathSegment(workspaceId)}/index/list_indices`,
		qs,
		headers: { 'x-acs-action': LIST_INDICES },
		spacing: { key: `${LIST_INDICES} ${endpoint}/${workspaceId}`, minIntervalMs: STATUS_CALL_SPACING_MS },
	});
	if (!(outcome instanceof VendorRequestError)) return outcome;
	if (outcome.failure.kind === 'permission') {
		throw new VendorRequestError(outcome.vendorName, outcome.operation, { ...outcome.failure, hint: LIST_PERMISSION_HINT }, outcome.attempts);
	}
	throw outcome;
}

function numberOf(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
	return null;
}

/**
 * One page of a workspace's knowledge bases (ListIndices), filtered by Bailian on the name
 * (`IndexName`). The page number is the token; `TotalCount` says whether more follow.
 * `workspace` is the node's Workspace ID as the editor has it, or empty for the credential's.
 */
export async function listIndexes(client: VendorClient, request: ListRequest, workspace: unknown): Promise<ListPage> {
	const page = request.token === undefined ? 1 : Number(request.token);
	if (!Number.isSafeInteger(page) || page < 1) {
		throw new InputError(`The list's page token "${request.token}" is not a page number: reload the list`);
	}
	const chosen = locatorValue(workspace ?? '', bailianWorkspaceLocator);
	if (typeof chosen === 'string' && chosen.startsWith('=')) {
		throw new InputError(
			'Workspace ID is an expression the list cannot work out: pick the workspace from its list or type its ID, or enter the knowledge base with By ID',
		);
	}
	const workspaceId = typeof chosen === 'string' && chosen.trim() !== '' ? chosen.trim() : null;
	const credential = await client.credential();
	const { endpoint, workspaceId: resolved } = await callContext(client, workspaceId);
	const response = await listIndicesCall(client, endpoint, resolved, {
		PageNumber: page,
		PageSize: INDEX_LIST_PAGE_SIZE,
		...(request.filter ? { IndexName: request.filter } : {}),
	});
	const data = dataOf(LIST_INDICES, response);
	const indices = Array.isArray(data.Indices) ? (data.Indices as Array<{ Id?: unknown; Name?: unknown }>) : [];
	const entries: ListEntry[] = [];
	for (const index of indices) {
		const id = nonEmptyText(index?.Id);
		if (id === null) continue;
		entries.push({ id, name: typeof index.Name === 'string' ? index.Name : '', url: bailianConsoleUrl(credential, id) });
	}
	const total = numberOf(data.TotalCount);
	const more = indices.length > 0 && (total !== null ? (page - 1) * INDEX_LIST_PAGE_SIZE + indices.length < total : indices.length >= INDEX_LIST_PAGE_SIZE);
	return { entries, nextToken: more ? String(page + 1) : null };
}

/**
 * The workspace list: the credential's default workspace, once a ListIndices call has shown
 * that the credential can read it (so a wrong key, region or workspace shows in the dropdown).
 */
export async function listWorkspaces(client: VendorClient, request: ListRequest): Promise<ListPage> {
	const credential = await client.credential();
	const workspaceId = String(credential.workspaceId ?? '').trim();
	if (workspaceId === '') {
		throw new InputError(
			'The Bailian credential has no default Workspace ID, and Model Studio\'s API cannot list workspaces: enter the workspace ID with By ID',
		);
	}
	const { endpoint } = await callContext(client, workspaceId);
	await listIndicesCall(client, endpoint, workspaceId, { PageNumber: 1, PageSize: 1 });
	const entry: ListEntry = { id: workspaceId, name: "The credential's default workspace" };
	return { entries: request.filter && !workspaceId.toLowerCase().includes(request.filter.toLowerCase()) ? [] : [entry], nextToken: null };
}

/** The `methods.listSearch` of the Bailian nodes. */
export const bailianListSearch = {
	async searchIndexes(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const workspace = this.getCurrentNodeParameter('workspaceId');
		return await searchList(this, bailianSpec, async (client, request) => await listIndexes(client, request, workspace), filter, paginationToken);
	},
	async searchWorkspaces(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		return await searchList(this, bailianSpec, listWorkspaces, filter, paginationToken);
	},
};

/** The adapter; other page sizes serve tests that page through few documents. */
export function createBailianAdapter(paging: Partial<BailianPaging> = {}): StatusAdapter<BailianTarget> {
	const { jobPageSize, listPageSize } = { ...DEFAULT_PAGING, ...paging };
	return {
		spec: bailianSpec,
		readTarget: readBailianTarget,
		async fetchStatuses(client, target) {
			return await fetchJobStatuses(client, target, jobPageSize);
		},
		setPage: async (client, target, page) => await jobDocumentsPage(client, target, page, jobPageSize),
		listPage: async (client, target, page) => await listIndexDocumentsPage(client, target, page, listPageSize),
		// Bailian gives no progress figure: the document's Status and its job's status are all
		// that can change.
		progressSignature: (d) => [d.vendorStatus, d.jobStatus],
	};
}

export const bailianAdapter = createBailianAdapter();
