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
import type { VendorClient, VendorRequest, VendorResponse } from '../shared/client';
import { newDocumentStatus } from '../shared/documents';
import { InputError, VendorRequestError } from '../shared/errors';
import { parseFreeTextIds } from '../shared/idList';
import { jsonObject, nonEmptyText } from '../shared/json';
import type { ListEntry, ListPage, ListRequest } from '../shared/listSearch';
import { matchesFilter, searchList } from '../shared/listSearch';
import type { LocatorSpec } from '../shared/locator';
import { locatorValue } from '../shared/locator';
import { readParameter } from '../shared/parameters';
import { isTerminalStatus } from '../shared/status';
import type { DocumentError, DocumentStatus, NormalizedStatus } from '../shared/types';
import type {
	ListingPage,
	NodeContext,
	RawResponse,
	StatusAdapter,
	VendorFailure,
	VendorSpec,
	WatchTarget,
} from '../shared/vendor';

/**
 * Everything the package knows about the wire format of the Agents for Amazon Bedrock build-time
 * API (bedrock-agent, REST-JSON, SigV4 signing name `bedrock`) lives in this file. Paths and
 * shapes are those of @aws-sdk/client-bedrock-agent (each operation's HTTP trait and schema).
 */

export type BedrockWatch = 'ingestionJob' | 'documents' | 'dataSource';

/** How the documents of a data source are named: `CUSTOM` ids or `S3` URIs (ContentDataSourceType). */
export type BedrockIdKind = 'CUSTOM' | 'S3';

export interface BedrockTarget extends WatchTarget {
	watch: BedrockWatch;
	knowledgeBaseId: string;
	dataSourceId: string;
	ingestionJobId: string | null;
	/** `S3` when every id is an s3:// URI; null when the data source's own type must decide. */
	idKindFromText: BedrockIdKind | null;
}

/** GetKnowledgeBaseDocuments takes 1 to 10 `documentIdentifiers` per call. */
export const STATUS_BATCH_SIZE = 10;

/**
 * `maxResults` of ListKnowledgeBaseDocuments, ListKnowledgeBases and ListDataSources: at most
 * 1000 ("Valid Range: Minimum value of 1. Maximum value of 1000." in the Amazon Bedrock API
 * Reference of each operation; the SDK's TypeScript types give no bound).
 */
export const LIST_PAGE_SIZE = 1000;

/**
 * Knowledge base, data source and ingestion job ids are 10 letters or digits (the pattern
 * `^[0-9a-zA-Z]{10}$` of the API Reference).
 */
const ID_TEXT = '[0-9a-zA-Z]{10}';
const ID = new RegExp(`^${ID_TEXT}$`);
/** A custom document id has 1 to 2048 characters; an S3 URI is `s3://bucket/key`. */
const MAX_DOCUMENT_ID_LENGTH = 2048;
const S3_URI = /^s3:\/\/[^/\s]+\/.+$/;

/**
 * How a knowledge base is picked in the editor. Its page in the Bedrock console is
 * `https://<region>.console.aws.amazon.com/bedrock/home?region=<region>#/knowledge-bases/knowledge-base/<name>/<knowledge base ID>/0`.
 */
export const bedrockKnowledgeBaseLocator: LocatorSpec = {
	label: 'Knowledge Base ID',
	searchMethod: 'searchKnowledgeBases',
	searchable: true,
	url: {
		pattern: `https?://[^\\s/]+/bedrock/home[^\\s#]*#/knowledge-bases/knowledge-base/[^\\s/]+/(${ID_TEXT})(?:[/?#][^\\s]*)?`,
		shape: 'https://<region>.console.aws.amazon.com/bedrock/home?region=<region>#/knowledge-bases/knowledge-base/<name>/<knowledge base ID>/0',
		placeholder: 'e.g. https://us-east-1.console.aws.amazon.com/bedrock/home?region=us-east-1#/knowledge-bases/knowledge-base/my-kb/ABCDE12345/0',
	},
	id: {
		pattern: `\\s*${ID_TEXT}\\s*`,
		expected: 'a knowledge base ID of 10 letters or digits, such as ABCDE12345',
		placeholder: 'e.g. ABCDE12345',
	},
};

/** How a data source of the chosen knowledge base is picked (ListDataSources; By ID). */
export const bedrockDataSourceLocator: LocatorSpec = {
	label: 'Data Source ID',
	searchMethod: 'searchDataSources',
	searchable: true,
	id: {
		pattern: `\\s*${ID_TEXT}\\s*`,
		expected: 'a data source ID of 10 letters or digits, such as FGHIJ67890',
		placeholder: 'e.g. FGHIJ67890',
	},
};

/**
 * Every `DocumentStatus` of @aws-sdk/client-bedrock-agent, each mapped on purpose. A partly
 * indexed document counts as completed (its `vendorStatus` says which); the API gives no detail
 * of what was left out.
 */
export const BEDROCK_DOCUMENT_STATUS: Readonly<Record<string, NormalizedStatus>> = {
	PENDING: 'queued',
	STARTING: 'queued',
	IN_PROGRESS: 'processing',
	INDEXED: 'completed',
	PARTIALLY_INDEXED: 'completed',
	METADATA_PARTIALLY_INDEXED: 'completed',
	FAILED: 'failed',
	METADATA_UPDATE_FAILED: 'failed',
	IGNORED: 'failed',
	DELETING: 'deleted',
	DELETE_IN_PROGRESS: 'deleted',
	NOT_FOUND: 'not_found',
};

/** Every `IngestionJobStatus` of @aws-sdk/client-bedrock-agent: the status of a job item. */
export const BEDROCK_JOB_STATUS: Readonly<Record<string, NormalizedStatus>> = {
	STARTING: 'queued',
	IN_PROGRESS: 'processing',
	STOPPING: 'processing',
	COMPLETE: 'completed',
	FAILED: 'failed',
	STOPPED: 'failed',
};

export const bedrockSpec: VendorSpec = {
	name: 'bedrock',
	displayName: 'Amazon Bedrock',
	credentialType: 'amazonBedrockKnowledgeBaseApi',
	// Ingestion jobs take from seconds to hours and say nothing of how far they are. 10 s keeps a
	// long job at 6 calls a minute; throttling is retried with backoff, so 1 s is a safe floor.
	pollInterval: { defaultSeconds: 10, minSeconds: 1 },
	secretFields: ['secretAccessKey', 'sessionToken'],
	requestIdOf: bedrockRequestId,
	inspectResponse: inspectBedrockResponse,
};

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

export type ErrorClass = AwsErrorClass;

/**
 * By error name, the way AWS's SDKs dispatch. It holds every exception of
 * @aws-sdk/client-bedrock-agent and the AWS front end's own errors (rejected keys and
 * signatures), which come before the request reaches Bedrock.
 */
export const BEDROCK_ERROR_CLASSES: Readonly<Record<string, ErrorClass>> = {
	ThrottlingException: { kind: 'rate_limit', retryable: true },
	InternalServerException: { kind: 'server', retryable: true },
	ValidationException: {
		kind: 'invalid_request',
		retryable: false,
		hint: 'Amazon Bedrock rejected the input: check Knowledge Base ID and Data Source ID (10 letters or digits each), Ingestion Job ID, and that the Document IDs fit the data source (custom IDs, or s3:// URIs for an S3 data source).',
	},
	AccessDeniedException: { kind: 'permission', retryable: false },
	ResourceNotFoundException: { kind: 'not_found', retryable: false },
	ConflictException: { kind: 'invalid_request', retryable: false },
	ServiceQuotaExceededException: { kind: 'quota', retryable: false },
	// The AWS front end, before Bedrock: the same names as for every AWS API.
	ServiceUnavailableException: { kind: 'server', retryable: true },
	...awsAuthErrorClasses('Amazon Bedrock Knowledge Base API'),
};

/** The request id AWS support asks for. */
export function bedrockRequestId(response: RawResponse): string | null {
	return awsRequestId(response.headers);
}

/**
 * The error name as the SDK reads a REST-JSON error: the `x-amzn-ErrorType` header, else the
 * body's `code`, else its `__type`; the namespace and a `:http…` suffix are stripped.
 */
export function bedrockErrorName(response: RawResponse): string | null {
	const body = jsonObject(response.body);
	return firstErrorName([awsHeader(response.headers, 'x-amzn-errortype'), bodyErrorCode(body), body?.__type]);
}

/**
 * Success is HTTP 2xx; a failure names itself. Answers with no name at all (a proxy's page)
 * are left to the engine's generic handling.
 */
export function inspectBedrockResponse(response: RawResponse): VendorFailure | null {
	const { statusCode } = response;
	if (statusCode >= 200 && statusCode < 300) return null;
	const name = bedrockErrorName(response);
	if (name === null) return null;
	return awsFailure(response, name, BEDROCK_ERROR_CLASSES);
}

// ---------------------------------------------------------------------------------------------
// Endpoint
// ---------------------------------------------------------------------------------------------

/** The API root: the credential's Custom Endpoint, else `https://bedrock-agent.{region}.amazonaws.com`. */
export function bedrockEndpoint(credential: ICredentialDataDecryptedObject): string {
	return awsServiceEndpoint(credential, {
		credential: 'Amazon Bedrock Knowledge Base API',
		host: 'bedrock-agent',
		example: 'https://bedrock-agent.us-east-1.amazonaws.com',
	});
}

// ---------------------------------------------------------------------------------------------
// Statuses
// ---------------------------------------------------------------------------------------------

/** One `KnowledgeBaseDocumentDetail` of GetKnowledgeBaseDocuments or ListKnowledgeBaseDocuments. */
export interface BedrockDocumentDetail {
	status?: unknown;
	identifier?: { dataSourceType?: unknown; custom?: { id?: unknown }; s3?: { uri?: unknown } };
	statusReason?: unknown;
	updatedAt?: unknown;
	[field: string]: unknown;
}

/** An `IngestionJob` of GetIngestionJob. */
export interface BedrockIngestionJob {
	ingestionJobId?: unknown;
	status?: unknown;
	statistics?: unknown;
	failureReasons?: unknown;
	startedAt?: unknown;
	updatedAt?: unknown;
	[field: string]: unknown;
}

export function mapBedrockDocumentStatus(status: unknown): NormalizedStatus {
	return (typeof status === 'string' && BEDROCK_DOCUMENT_STATUS[status]) || 'unknown';
}

export function mapBedrockJobStatus(status: unknown): NormalizedStatus {
	return (typeof status === 'string' && BEDROCK_JOB_STATUS[status]) || 'unknown';
}

/** REST-JSON gives date-time strings; epoch seconds are read too. */
export function isoTime(value: unknown): string | null {
	const time = typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : Number.NaN;
	return Number.isFinite(time) ? new Date(time).toISOString() : null;
}

/** The id a document is known by: its custom id or its S3 URI. */
export function identifierOf(detail: BedrockDocumentDetail): string | null {
	const identifier = jsonObject(detail.identifier) as BedrockDocumentDetail['identifier'] | null;
	return nonEmptyText(identifier?.custom?.id) ?? nonEmptyText(identifier?.s3?.uri);
}

const FAILED_MESSAGES: Readonly<Record<string, string>> = {
	FAILED: 'Amazon Bedrock could not index the document (FAILED)',
	METADATA_UPDATE_FAILED: 'Amazon Bedrock could not update the document\'s metadata (METADATA_UPDATE_FAILED)',
	IGNORED: 'Amazon Bedrock ignored the document (IGNORED)',
};

export function fromDocumentDetail(
	detail: BedrockDocumentDetail,
	target: BedrockTarget,
	requestId: string | null,
	job: { jobId: string; jobStatus: string | null } | null = null,
): DocumentStatus | null {
	const documentId = identifierOf(detail);
	if (documentId === null) return null;
	const vendorStatus = typeof detail.status === 'string' ? detail.status : null;
	const status = mapBedrockDocumentStatus(detail.status);
	let error: DocumentError | null = null;
	if (status === 'failed') {
		error = {
			code: vendorStatus,
			message: nonEmptyText(detail.statusReason) ?? FAILED_MESSAGES[vendorStatus ?? ''] ?? 'Amazon Bedrock could not index the document',
		};
	} else if (status === 'not_found') {
		error = { code: vendorStatus, message: 'Amazon Bedrock does not know this document in this data source' };
	}
	const updatedAt = isoTime(detail.updatedAt);
	return newDocumentStatus({
		vendor: 'bedrock',
		knowledgeBaseId: target.knowledgeBaseId,
		jobId: job?.jobId ?? target.jobId,
		jobStatus: job?.jobStatus ?? null,
		documentId,
		status,
		vendorStatus,
		// Bedrock gives no figure while it works; a finished document is at 100 %.
		progress: status === 'completed' || status === 'failed' ? 100 : null,
		error,
		updatedAt,
		completedAt: isTerminalStatus(status) ? updatedAt : null,
		requestId,
		raw: detail,
	});
}

/** A job's own item: its status, its times, and its failure reasons as the error. */
export function jobItem(job: BedrockIngestionJob, target: BedrockTarget, requestId: string | null): DocumentStatus {
	const jobStatus = typeof job.status === 'string' ? job.status : null;
	const status = mapBedrockJobStatus(job.status);
	const reasons = Array.isArray(job.failureReasons) ? job.failureReasons.map(nonEmptyText).filter((r): r is string => r !== null) : [];
	let error: DocumentError | null = null;
	if (jobStatus === 'STOPPED') {
		error = { code: 'stopped', message: reasons.join('; ') || 'The ingestion job was stopped before it finished' };
	} else if (status === 'failed') {
		error = { code: jobStatus, message: reasons.join('; ') || 'The ingestion job failed without a reason' };
	}
	const updatedAt = isoTime(job.updatedAt);
	return newDocumentStatus({
		vendor: 'bedrock',
		knowledgeBaseId: target.knowledgeBaseId,
		jobId: target.jobId,
		documentId: null,
		status,
		vendorStatus: jobStatus,
		jobStatus,
		progress: status === 'queued' ? 0 : isTerminalStatus(status) ? 100 : null,
		error,
		startedAt: isoTime(job.startedAt),
		updatedAt,
		completedAt: isTerminalStatus(status) ? updatedAt : null,
		requestId,
		raw: job,
	});
}

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

function readTenCharacterId(
	ctx: NodeContext,
	itemIndex: number,
	name: string,
	label: string,
	example: string,
	where: string,
	locator?: LocatorSpec,
): string {
	const raw = readParameter(ctx, name, itemIndex, '');
	const value = locator ? locatorValue(raw, locator) : raw;
	if (value !== undefined && value !== null && typeof value !== 'string') {
		throw new InputError(`${label} is ${Array.isArray(value) ? 'an array' : `of type ${typeof value}`}: expected a string of 10 letters or digits, e.g. ${example}`);
	}
	const id = (value ?? '').trim();
	if (id === '') throw new InputError(`${label} is empty: expected the 10-character ID ${where}, e.g. ${example}`);
	if (!ID.test(id)) {
		throw new InputError(
			`${label} "${id}" is not an Amazon Bedrock ID: expected 10 letters or digits, e.g. ${example} (${id.length} characters given)`,
		);
	}
	return id;
}

function readDocumentIds(ctx: NodeContext, itemIndex: number): string[] {
	return parseFreeTextIds(readParameter(ctx, 'documentIds', itemIndex, ''), {
		emptyMessage:
			'Document IDs is empty: expected at least one custom document ID or S3 URI (s3://bucket/key), as a comma- or newline-separated list or an array of strings',
		maxLength: MAX_DOCUMENT_ID_LENGTH,
		idsName: 'Amazon Bedrock document IDs',
	});
}

export function readBedrockTarget(ctx: NodeContext, itemIndex: number): BedrockTarget {
	const knowledgeBaseId = readTenCharacterId(
		ctx,
		itemIndex,
		'knowledgeBaseId',
		'Knowledge Base ID',
		'ABCDE12345',
		'shown on the knowledge base\'s page in the Amazon Bedrock console',
		bedrockKnowledgeBaseLocator,
	);
	const dataSourceId = readTenCharacterId(
		ctx,
		itemIndex,
		'dataSourceId',
		'Data Source ID',
		'FGHIJ67890',
		'shown in the Data source section of the knowledge base\'s page',
		bedrockDataSourceLocator,
	);
	const watch = readParameter(ctx, 'watch', itemIndex, 'ingestionJob');
	const scope = `${knowledgeBaseId}/${dataSourceId}`;
	const base = { knowledgeBaseId, dataSourceId, ingestionJobId: null, idKindFromText: null };
	switch (watch) {
		case 'ingestionJob': {
			const ingestionJobId = readTenCharacterId(
				ctx,
				itemIndex,
				'ingestionJobId',
				'Ingestion Job ID',
				'KLMNO24680',
				'of the ingestion job (ingestionJob.ingestionJobId in the answer of StartIngestionJob)',
			);
			return {
				...base,
				watch,
				ingestionJobId,
				jobId: ingestionJobId,
				documentIds: null,
				wholeKnowledgeBase: false,
				scopeKey: `job:${scope}/${ingestionJobId}`,
			};
		}
		case 'documents': {
			const documentIds = readDocumentIds(ctx, itemIndex);
			const allS3 = documentIds.every((id) => id.toLowerCase().startsWith('s3://'));
			return {
				...base,
				watch,
				idKindFromText: allS3 ? 'S3' : null,
				jobId: null,
				documentIds,
				wholeKnowledgeBase: false,
				scopeKey: `documents:${scope}`,
			};
		}
		case 'dataSource':
			return { ...base, watch, jobId: null, documentIds: null, wholeKnowledgeBase: true, scopeKey: `dataSource:${scope}` };
		default:
			throw new InputError(`Watch is "${String(watch)}": expected "ingestionJob", "documents" or "dataSource"`);
	}
}

// ---------------------------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------------------------

const GET_INGESTION_JOB = 'GetIngestionJob';
const GET_DOCUMENTS = 'GetKnowledgeBaseDocuments';
const LIST_DOCUMENTS = 'ListKnowledgeBaseDocuments';
const GET_DATA_SOURCE = 'GetDataSource';
const LIST_KNOWLEDGE_BASES = 'ListKnowledgeBases';
const LIST_DATA_SOURCES = 'ListDataSources';

/** What a ResourceNotFoundException of each operation may be about, in the order of the path. */
const NOT_FOUND_SUBJECTS: Readonly<Record<string, string[]>> = {
	[GET_INGESTION_JOB]: ['knowledge base', 'data source', 'ingestion job'],
	[GET_DOCUMENTS]: ['knowledge base', 'data source'],
	[LIST_DOCUMENTS]: ['knowledge base', 'data source'],
	[GET_DATA_SOURCE]: ['knowledge base', 'data source'],
	[LIST_DATA_SOURCES]: ['knowledge base'],
};

const SUBJECT_FIELDS: Readonly<Record<string, string>> = {
	'knowledge base': 'Knowledge Base ID',
	'data source': 'Data Source ID',
	'ingestion job': 'Ingestion Job ID',
};

/**
 * Which of knowledge base, data source or job AWS did not find: the one its message names, else
 * every one the call's path holds.
 */
export function notFoundHint(operation: string, message: string, region: string): string {
	const subjects = NOT_FOUND_SUBJECTS[operation] ?? ['knowledge base'];
	const lower = message.toLowerCase();
	const named = subjects.filter((subject) => lower.includes(subject) || lower.includes(subject.replace(' ', '')));
	const fields = (named.length > 0 ? [named[named.length - 1]] : subjects).map((subject) => SUBJECT_FIELDS[subject]);
	const which = fields.length === 1 ? fields[0] : `${fields.slice(0, -1).join(', ')} or ${fields[fields.length - 1]}`;
	return `Amazon Bedrock found no such ${named.length > 0 ? named[named.length - 1] : subjects.join(', ')} in ${region || 'the credential\'s region'}: check ${which}, and that the credential's Region is the knowledge base's region.`;
}

function pathOf(...segments: string[]): string {
	return segments.map((segment) => encodeURIComponent(segment)).join('/');
}

/** Sends one operation; a failure gets advice about the credential, the permission or the id. */
async function send(client: VendorClient, request: VendorRequest): Promise<VendorResponse> {
	const outcome = await client.tryRequest(request);
	if (!(outcome instanceof VendorRequestError)) return outcome;
	const { failure } = outcome;
	let hint: string | undefined;
	if (failure.kind === 'auth') {
		const own = temporaryKeyHint(await client.credential());
		if (own) hint = failure.hint ? `${own} ${failure.hint}` : own;
	} else if (failure.kind === 'permission') {
		hint = `The IAM identity of the credential needs the permission bedrock:${request.operation} on the knowledge base (arn:aws:bedrock:<region>:<account>:knowledge-base/<Knowledge Base ID>).`;
		if (request.operation === LIST_KNOWLEDGE_BASES || request.operation === LIST_DATA_SOURCES) {
			hint += ' Without it, enter the ID with By ID.';
		}
	} else if (failure.kind === 'not_found') {
		const region = (await client.credential()).region;
		hint = notFoundHint(request.operation, failure.message, typeof region === 'string' ? region.trim() : '');
	}
	if (hint === undefined) throw outcome;
	throw new VendorRequestError(outcome.vendorName, outcome.operation, { ...failure, hint }, outcome.attempts);
}

async function dataSourceUrl(client: VendorClient, target: BedrockTarget): Promise<string> {
	return `${bedrockEndpoint(await client.credential())}/knowledgebases/${pathOf(target.knowledgeBaseId)}/datasources/${pathOf(target.dataSourceId)}`;
}

function badResponse(operation: string, response: VendorResponse, what: string): VendorRequestError {
	return new VendorRequestError(
		bedrockSpec.displayName,
		operation,
		{
			kind: 'bad_response',
			retryable: false,
			httpStatus: response.statusCode,
			code: null,
			message: `the answer has no ${what} (request id ${response.requestId ?? '(none)'})`,
			requestId: response.requestId,
		},
		1,
	);
}

function detailsOf(operation: string, response: VendorResponse): BedrockDocumentDetail[] {
	const details = jsonObject(response.body)?.documentDetails;
	if (!Array.isArray(details)) throw badResponse(operation, response, 'documentDetails list');
	return details.filter((entry): entry is BedrockDocumentDetail => jsonObject(entry) !== null);
}

/**
 * Each execution asks GetDataSource once per data source: the answers are kept by the
 * execution's credential promise, which every client of one execution shares.
 */
const dataSourceTypes = new WeakMap<object, Map<string, Promise<string | null>>>();

/** The data source's type (`dataSourceConfiguration.type`: S3, CUSTOM, WEB…), from GetDataSource. */
export async function dataSourceType(client: VendorClient, target: BedrockTarget): Promise<string | null> {
	const key = client.credential();
	let known = dataSourceTypes.get(key);
	if (!known) {
		known = new Map();
		dataSourceTypes.set(key, known);
	}
	const scope = `${target.knowledgeBaseId}/${target.dataSourceId}`;
	let answer = known.get(scope);
	if (!answer) {
		answer = (async () => {
			const response = await send(client, { operation: GET_DATA_SOURCE, method: 'GET', url: await dataSourceUrl(client, target) });
			const dataSource = jsonObject(jsonObject(response.body)?.dataSource);
			if (dataSource === null) throw badResponse(GET_DATA_SOURCE, response, 'dataSource object');
			return nonEmptyText(jsonObject(dataSource.dataSourceConfiguration)?.type);
		})();
		known.set(scope, answer);
		// A failed answer is not kept: the next round asks again.
		answer.catch(() => known?.delete(scope));
	}
	return await answer;
}

/**
 * Which kind of identifier the watched ids are: S3 URIs when every id is one; else the data
 * source's type decides. An id that does not fit is an error naming it, before any status call.
 */
export async function idKindOf(client: VendorClient, target: BedrockTarget): Promise<BedrockIdKind> {
	if (target.idKindFromText) return target.idKindFromText;
	const type = await dataSourceType(client, target);
	const ids = target.documentIds ?? [];
	if (type === 'CUSTOM') return 'CUSTOM';
	if (type === 'S3') {
		const misfit = ids.find((id) => !S3_URI.test(id));
		throw new InputError(
			`Document IDs holds "${misfit ?? ids[0]}", which is not an S3 URI: data source ${target.dataSourceId} is an S3 data source, so its documents are named by s3://bucket/key URIs`,
		);
	}
	throw new InputError(
		`Data source ${target.dataSourceId} is of type ${type ?? '(none given)'}: Amazon Bedrock reports documents by ID only for CUSTOM and S3 data sources. Watch its ingestion job, or (trigger) the whole data source, instead`,
	);
}

function identifierFor(kind: BedrockIdKind, id: string): IDataObject {
	return kind === 'S3' ? { dataSourceType: 'S3', s3: { uri: id } } : { dataSourceType: 'CUSTOM', custom: { id } };
}

/** The documents with these ids, 10 a call (GetKnowledgeBaseDocuments), one call after the other. */
export async function fetchDocuments(client: VendorClient, target: BedrockTarget, ids: string[]): Promise<DocumentStatus[]> {
	if (ids.length === 0) return [];
	const kind = await idKindOf(client, target);
	if (kind === 'S3') {
		const misfit = ids.find((id) => !S3_URI.test(id));
		if (misfit !== undefined) {
			throw new InputError(`Document IDs holds "${misfit}", which is not an S3 URI of the shape s3://bucket/key`);
		}
	}
	const url = `${await dataSourceUrl(client, target)}/documents/getDocuments`;
	const documents: DocumentStatus[] = [];
	for (let start = 0; start < ids.length; start += STATUS_BATCH_SIZE) {
		const chunk = ids.slice(start, start + STATUS_BATCH_SIZE);
		const response = await send(client, {
			operation: GET_DOCUMENTS,
			method: 'POST',
			url,
			body: { documentIdentifiers: chunk.map((id) => identifierFor(kind, id)) },
		});
		for (const detail of detailsOf(GET_DOCUMENTS, response)) {
			const document = fromDocumentDetail(detail, target, response.requestId);
			if (document) documents.push(document);
		}
	}
	return documents;
}

/** One page of ListKnowledgeBaseDocuments; `cursor` is the `nextToken` of the page before. */
export async function listDocumentsPage(
	client: VendorClient,
	target: BedrockTarget,
	cursor: string | null,
	pageSize = LIST_PAGE_SIZE,
): Promise<{ details: BedrockDocumentDetail[]; requestId: string | null; nextToken: string | null }> {
	const response = await send(client, {
		operation: LIST_DOCUMENTS,
		method: 'POST',
		url: `${await dataSourceUrl(client, target)}/documents`,
		body: { maxResults: pageSize, ...(cursor !== null ? { nextToken: cursor } : {}) },
	});
	const details = detailsOf(LIST_DOCUMENTS, response);
	return { details, requestId: response.requestId, nextToken: nonEmptyText(jsonObject(response.body)?.nextToken) };
}

/**
 * Where the reading of an ended job's documents stands, between pages: the job as GetIngestionJob
 * gave it (its start time filters the documents; its own item may still be due on the last page),
 * the `nextToken` of ListKnowledgeBaseDocuments (null: its first page), and whether a page has
 * shown a document of the job yet. A trigger keeps it in its state between polls as an opaque
 * cursor (JSON), so a later page costs one call and the job is not read again.
 */
interface JobCursor {
	job: BedrockIngestionJob;
	requestId: string | null;
	token: string | null;
	found: boolean;
}

function encodeJobCursor(cursor: JobCursor): string {
	return JSON.stringify({ v: 1, ...cursor });
}

/**
 * The cursor as encoded above, or null for anything else (none, a cursor of another form, a
 * job that has not ended or has no start time): the job is then read again from its first page.
 */
export function decodeJobCursor(text: string | null): JobCursor | null {
	if (text === null) return null;
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return null;
	}
	const cursor = jsonObject(value);
	const job = jsonObject(cursor?.job) as BedrockIngestionJob | null;
	if (cursor === null || job === null || cursor.v !== 1 || typeof cursor.found !== 'boolean') return null;
	const token = cursor.token === null ? null : nonEmptyText(cursor.token);
	const requestId = cursor.requestId === null ? null : nonEmptyText(cursor.requestId);
	if (token === null && cursor.token !== null) return null;
	if (requestId === null && cursor.requestId !== null) return null;
	if (!isTerminalStatus(mapBedrockJobStatus(job.status)) || startTimeOf(job) === null) return null;
	return { job, requestId, token, found: cursor.found };
}

function startTimeOf(job: BedrockIngestionJob): number | null {
	const time = Date.parse(isoTime(job.startedAt) ?? '');
	return Number.isNaN(time) ? null : time;
}

/**
 * One page of an ingestion job (`cursor` null, or one this function did not give: its first).
 * The first page is one GetIngestionJob: while the job runs, or when it ended without a start
 * time, it answers the job's own item and is the last page. Once the job has ended, each further
 * page is one page of the data source's document list, keeping the documents updated at or after
 * the job started; the last page adds the job's item when the job did not complete, or when no
 * page showed a document of it.
 */
export async function jobPage(client: VendorClient, target: BedrockTarget, cursor: string | null, pageSize = LIST_PAGE_SIZE): Promise<ListingPage> {
	const jobId = target.ingestionJobId as string;
	const at = decodeJobCursor(cursor);
	if (at === null) {
		const response = await send(client, {
			operation: GET_INGESTION_JOB,
			method: 'GET',
			url: `${await dataSourceUrl(client, target)}/ingestionjobs/${pathOf(jobId)}`,
		});
		const job = jsonObject(jsonObject(response.body)?.ingestionJob) as BedrockIngestionJob | null;
		if (job === null) throw badResponse(GET_INGESTION_JOB, response, 'ingestionJob object');
		const item = jobItem(job, target, response.requestId);
		if (!item.terminal || startTimeOf(job) === null) return { documents: [item], hasMore: false, nextCursor: null };
		const next = encodeJobCursor({ job, requestId: response.requestId, token: null, found: false });
		return { documents: [], hasMore: true, nextCursor: next };
	}

	const startedAt = startTimeOf(at.job) as number;
	const jobStatus = typeof at.job.status === 'string' ? at.job.status : null;
	const page = await listDocumentsPage(client, target, at.token, pageSize);
	const documents: DocumentStatus[] = [];
	for (const detail of page.details) {
		const updatedAt = Date.parse(isoTime(detail.updatedAt) ?? '');
		if (Number.isNaN(updatedAt) || updatedAt < startedAt) continue;
		const document = fromDocumentDetail(detail, target, page.requestId, { jobId, jobStatus });
		if (document) documents.push(document);
	}
	const found = at.found || documents.length > 0;
	if (page.nextToken !== null) {
		return { documents, hasMore: true, nextCursor: encodeJobCursor({ ...at, token: page.nextToken, found }) };
	}
	const item = jobItem(at.job, target, at.requestId);
	if (!found || item.status !== 'completed') documents.push(item);
	return { documents, hasMore: false, nextCursor: null };
}

/**
 * An ingestion job: one GetIngestionJob a round while it runs, its own item meanwhile. Once it
 * has ended, the data source's document list gives the documents it touched (updated at or after
 * the job started); the job's item stays beside them when the job did not complete, and stands
 * alone when the list shows none of them. All of `jobPage`'s pages, in one round.
 */
export async function fetchJob(client: VendorClient, target: BedrockTarget, pageSize = LIST_PAGE_SIZE): Promise<DocumentStatus[]> {
	const documents: DocumentStatus[] = [];
	const seen = new Set<string>();
	let cursor: string | null = null;
	for (;;) {
		const page: ListingPage = await jobPage(client, target, cursor, pageSize);
		for (const document of page.documents) {
			if (document.documentId !== null) {
				if (seen.has(document.documentId)) continue;
				seen.add(document.documentId);
			}
			documents.push(document);
		}
		if (!page.hasMore) return documents;
		cursor = page.nextCursor ?? null;
	}
}

/** One page of the whole data source, for the trigger; the token goes on to the next page. */
export async function listDataSourcePage(
	client: VendorClient,
	target: BedrockTarget,
	cursor: string | null,
	pageSize = LIST_PAGE_SIZE,
): Promise<ListingPage> {
	const page = await listDocumentsPage(client, target, cursor, pageSize);
	const documents = page.details
		.map((detail) => fromDocumentDetail(detail, target, page.requestId))
		.filter((document): document is DocumentStatus => document !== null);
	return { documents, hasMore: page.nextToken !== null, nextCursor: page.nextToken };
}

// ---------------------------------------------------------------------------------------------
// The knowledge base and data source lists (the editor's From List mode)
// ---------------------------------------------------------------------------------------------

/** A knowledge base's page in the Bedrock console of the credential's region. */
export function bedrockConsoleUrl(credential: ICredentialDataDecryptedObject, name: string, knowledgeBaseId: string): string | undefined {
	const site = awsConsoleHost(credential);
	return (
		site &&
		`https://${site.host}/bedrock/home?region=${site.region}#/knowledge-bases/knowledge-base/${encodeURIComponent(name || knowledgeBaseId)}/${encodeURIComponent(knowledgeBaseId)}/0`
	);
}

/** Pages one list request may read while the search text matches nothing. */
const MAX_LIST_CALLS = 5;

async function listSummaries(
	client: VendorClient,
	request: ListRequest,
	operation: string,
	url: string,
	field: string,
	idField: string,
	toEntry: (summary: Record<string, unknown>, id: string) => ListEntry,
): Promise<ListPage> {
	const entries: ListEntry[] = [];
	let nextToken: string | null = request.token ?? null;
	for (let calls = 0; calls < MAX_LIST_CALLS; calls++) {
		const response = await send(client, {
			operation,
			method: 'POST',
			url,
			body: { maxResults: LIST_PAGE_SIZE, ...(nextToken !== null ? { nextToken } : {}) },
		});
		const body = jsonObject(response.body) ?? {};
		const summaries = Array.isArray(body[field]) ? (body[field] as unknown[]) : [];
		for (const summary of summaries) {
			const object = jsonObject(summary);
			const id = nonEmptyText(object?.[idField]);
			if (object === null || id === null) continue;
			const entry = toEntry(object, id);
			// Bedrock's list calls take no name filter: the search text is matched here.
			if (!matchesFilter(entry, request.filter)) continue;
			entries.push(entry);
		}
		nextToken = nonEmptyText(body.nextToken);
		if (entries.length > 0 || nextToken === null) break;
	}
	return { entries, nextToken };
}

function statusDetail(status: unknown): string | undefined {
	return typeof status === 'string' && status !== 'ACTIVE' ? status.toLowerCase().replace(/_/g, ' ') : undefined;
}

/** The knowledge bases of the credential's region (ListKnowledgeBases). */
export async function listKnowledgeBases(client: VendorClient, request: ListRequest): Promise<ListPage> {
	const credential = await client.credential();
	return await listSummaries(
		client,
		request,
		LIST_KNOWLEDGE_BASES,
		`${bedrockEndpoint(credential)}/knowledgebases/`,
		'knowledgeBaseSummaries',
		'knowledgeBaseId',
		(summary, id) => {
			const name = typeof summary.name === 'string' ? summary.name : '';
			return { id, name, detail: statusDetail(summary.status), url: bedrockConsoleUrl(credential, name, id) };
		},
	);
}

/** The data sources of the chosen knowledge base (ListDataSources). */
export async function listDataSources(client: VendorClient, request: ListRequest, knowledgeBase: unknown): Promise<ListPage> {
	const chosen = locatorValue(knowledgeBase ?? '', bedrockKnowledgeBaseLocator);
	const knowledgeBaseId = typeof chosen === 'string' ? chosen.trim() : '';
	if (!ID.test(knowledgeBaseId)) {
		throw new InputError(
			'Choose the knowledge base first (Knowledge Base ID must be 10 letters or digits; an expression cannot be worked out here), or enter the data source with By ID',
		);
	}
	const credential = await client.credential();
	return await listSummaries(
		client,
		request,
		LIST_DATA_SOURCES,
		`${bedrockEndpoint(credential)}/knowledgebases/${pathOf(knowledgeBaseId)}/datasources/`,
		'dataSourceSummaries',
		'dataSourceId',
		(summary, id) => ({ id, name: typeof summary.name === 'string' ? summary.name : '', detail: statusDetail(summary.status) }),
	);
}

/** The `methods.listSearch` of the Amazon Bedrock Knowledge Base nodes. */
export const bedrockListSearch = {
	async searchKnowledgeBases(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		return await searchList(this, bedrockSpec, listKnowledgeBases, filter, paginationToken);
	},
	async searchDataSources(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const knowledgeBase = this.getCurrentNodeParameter('knowledgeBaseId');
		return await searchList(
			this,
			bedrockSpec,
			async (client, request) => await listDataSources(client, request, knowledgeBase),
			filter,
			paginationToken,
		);
	},
};

/** The adapter; a smaller list page serves tests that page through few documents. */
export function createBedrockAdapter(listPageSize = LIST_PAGE_SIZE): StatusAdapter<BedrockTarget> {
	return {
		spec: bedrockSpec,
		readTarget: readBedrockTarget,
		idsPerCall: STATUS_BATCH_SIZE,
		async fetchStatuses(client, target, ids) {
			if (target.watch === 'ingestionJob') return await fetchJob(client, target, listPageSize);
			return await fetchDocuments(client, target, ids ?? target.documentIds ?? []);
		},
		listPage: async (client, target, _page, cursor) => await listDataSourcePage(client, target, cursor, listPageSize),
		// The one listed set is a job (the only watch without ids that is not the whole data
		// source). Its document list can take more than one poll: the trigger reads it page by
		// page, each with the cursor of the page before, so a later page needs no GetIngestionJob.
		setPage: async (client, target, _page, cursor) => await jobPage(client, target, cursor, listPageSize),
		// Bedrock gives no progress figure: a document's status and the time Bedrock last changed
		// it, and its job's status, are what can change.
		progressSignature: (d) => [d.vendorStatus, d.jobStatus, d.updatedAt],
	};
}

export const bedrockAdapter = createBedrockAdapter();
