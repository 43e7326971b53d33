import type { ICredentialDataDecryptedObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { VendorClient } from '../shared/client';
import { newDocumentStatus } from '../shared/documents';
import { InputError, VendorRequestError } from '../shared/errors';
import { parseIdList } from '../shared/idList';
import type { ListEntry, ListPage, ListRequest } from '../shared/listSearch';
import { matchesFilter, searchList } from '../shared/listSearch';
import type { LocatorSpec } from '../shared/locator';
import { locatorValue } from '../shared/locator';
import { readParameter } from '../shared/parameters';
import { settle } from '../shared/settle';
import { isoFromUnixSeconds } from '../shared/status';
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
 * Everything the package knows about OpenAI's vector store API wire format lives in this file.
 * Field names, statuses, error codes and paging follow the official `openai` SDK's types
 * (resources/vector-stores): a vector store file and a file batch have `status` `in_progress`,
 * `completed`, `cancelled` or `failed`; a file's `last_error.code` is `server_error`,
 * `unsupported_file` or `invalid_file`; listings are cursor pages (`limit` up to 100, `after`,
 * `has_more`, `filter` by status, `order` by `created_at`).
 */

export type OpenAiWatch = 'fileBatch' | 'files' | 'vectorStore';

export interface OpenAiTarget extends WatchTarget {
	watch: OpenAiWatch;
	vectorStoreId: string;
	batchId: string | null;
	/** Look up each file's name (`GET /files/{id}`), once per file at most. */
	fileNames: boolean;
}

export type OpenAiFileStatus = 'in_progress' | 'completed' | 'cancelled' | 'failed';

/** Every status a vector store file or file batch can have (openai SDK: VectorStoreFile.status). */
export const OPENAI_STATUS: Record<OpenAiFileStatus, NormalizedStatus> = {
	in_progress: 'processing',
	completed: 'completed',
	failed: 'failed',
	// Cancelled files will never be searchable: a failure, told apart by its error code.
	cancelled: 'failed',
};

/** Every `last_error.code` of a vector store file (openai SDK: VectorStoreFile.LastError.code). */
export const OPENAI_FILE_ERRORS: Record<string, string> = {
	server_error: 'OpenAI had a server error while processing the file; adding it again may work',
	unsupported_file: 'The file type is not supported for vector stores',
	invalid_file: 'The file could not be parsed',
};

/** The statuses a listing can be filtered by, in the order a finished batch is read. */
const TERMINAL_FILTERS: OpenAiFileStatus[] = ['completed', 'failed', 'cancelled'];

/** The largest page of every vector store listing. */
export const LIST_PAGE_SIZE = 100;
/** File calls in flight at once when files are watched by id. */
const DETAIL_CONCURRENCY = 4;
/** Vector stores per page of the list in the editor. */
export const STORE_LIST_PAGE_SIZE = 50;

const STORE_ID = /^vs_[A-Za-z0-9_-]+$/;

/**
 * How a vector store is picked in the editor. Its page on the platform is
 * `https://platform.openai.com/storage/vector_stores/<vs_…>`.
 */
export const openAiVectorStoreLocator: LocatorSpec = {
	label: 'Vector Store ID',
	searchMethod: 'searchVectorStores',
	searchable: true,
	url: {
		pattern: 'https?://[^\\s/]+(?:/[^\\s]*)?/vector_stores/(vs_[A-Za-z0-9_-]+)(?:[/?#][^\\s]*)?',
		shape: 'https://platform.openai.com/storage/vector_stores/<vector store ID>',
		placeholder: 'e.g. https://platform.openai.com/storage/vector_stores/vs_abc123',
	},
	id: {
		pattern: '\\s*vs_[A-Za-z0-9_-]+\\s*',
		expected: 'a vector store ID: vs_ followed by letters and digits, e.g. vs_abc123',
		placeholder: 'e.g. vs_abc123',
	},
};

export const openAiSpec: VendorSpec = {
	name: 'openai',
	displayName: 'OpenAI',
	credentialType: 'openAiVectorStoreApi',
	// One batch call a round whatever the batch's size; OpenAI's rate limits count requests per
	// minute per project, so the default stays at 12 calls a minute for a batch.
	pollInterval: { defaultSeconds: 5, minSeconds: 1 },
	secretFields: ['apiKey'],
	requestIdOf: (response) => header(response, 'x-request-id'),
	inspectResponse: inspectOpenAiResponse,
};

function header(response: Pick<RawResponse, 'headers'>, name: string): string | null {
	const value = response.headers[name];
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' && first !== '' ? first : null;
}

/**
 * OpenAI answers errors as `{"error": {"message", "type", "code", "param"}}`. A 429 says when to
 * come back in `retry-after-ms` (milliseconds) or `retry-after` (seconds); a 429 whose code is
 * `insufficient_quota` is the account's billing limit, which waiting does not lift. As the
 * official SDK does, a request timeout (408) and a lock timeout (409) are asked again, and the
 * server's `x-should-retry` (true or false) decides over the status wherever it is sent.
 */
export function inspectOpenAiResponse(response: RawResponse): VendorFailure | null {
	const { statusCode } = response;
	if (statusCode >= 200 && statusCode < 300) return null;
	const envelope = (response.body as { error?: unknown } | undefined)?.error;
	const error = envelope !== null && typeof envelope === 'object' ? (envelope as Record<string, unknown>) : null;
	// Not OpenAI speaking (a proxy's or gateway's page): the engine reports the status and an
	// excerpt of the body. A 401 keeps the advice on the key, whoever says it.
	if (error === null && statusCode !== 401) return null;
	const code = typeof error?.code === 'string' ? error.code : typeof error?.type === 'string' ? error.type : null;
	const said = typeof error?.message === 'string' && error.message !== '' ? error.message : `HTTP ${statusCode}`;
	const failure = (kind: VendorFailure['kind'], retryable: boolean, hint?: string): VendorFailure => ({
		kind,
		retryable,
		httpStatus: statusCode,
		code,
		message: said,
		requestId: header(response, 'x-request-id'),
		...(hint ? { hint } : {}),
	});
	if (statusCode === 401) {
		if (code === 'mismatched_organization' || code === 'mismatched_project') {
			return failure('auth', false, 'The Organization ID or Project ID of the credential is not one the API key belongs to.');
		}
		return failure('auth', false, 'Check the API key (and, for Azure OpenAI, set Key Header to api-key).');
	}
	if (statusCode === 403) {
		return failure('permission', false, 'The key may not read vector stores of this project: check its permissions, or the Project ID.');
	}
	if (statusCode === 404) return failure('not_found', false);
	if (statusCode === 429 && code === 'insufficient_quota') {
		return failure('quota', false, 'The account is out of credit: see Billing on the OpenAI platform.');
	}
	const shouldRetry = header(response, 'x-should-retry');
	const retry = shouldRetry === 'true' || (shouldRetry !== 'false' && (statusCode === 408 || statusCode === 409 || statusCode === 429 || statusCode >= 500));
	const kind = statusCode === 429 ? 'rate_limit' : statusCode >= 500 || statusCode === 408 || statusCode === 409 || retry ? 'server' : 'invalid_request';
	if (!retry) return failure(kind, false);
	// `retry-after` (seconds or a date) is read by the engine when this leaves it unset.
	const fromMs = Number(header(response, 'retry-after-ms'));
	return { ...failure(kind, true), ...(Number.isFinite(fromMs) && fromMs > 0 ? { retryAfterMs: fromMs } : {}) };
}

export function mapOpenAiStatus(status: unknown): NormalizedStatus {
	return (typeof status === 'string' && OPENAI_STATUS[status as OpenAiFileStatus]) || 'unknown';
}

/** A vector store file (openai SDK: VectorStoreFile). */
export interface OpenAiVectorStoreFile {
	id: string;
	status: string;
	created_at?: number;
	usage_bytes?: number;
	last_error?: { code?: string; message?: string } | null;
	vector_store_id?: string;
}

/** A file batch (openai SDK: VectorStoreFileBatch). */
interface OpenAiFileBatch {
	id: string;
	status: string;
	created_at?: number;
	file_counts?: Partial<Record<OpenAiFileStatus | 'total', number>>;
}

/** The error of a failed or cancelled file or batch, else null. */
export function errorOf(status: string, lastError: OpenAiVectorStoreFile['last_error']): DocumentError | null {
	if (status === 'cancelled') {
		return { code: 'cancelled', message: lastError?.message || 'The processing was cancelled before it ended' };
	}
	if (mapOpenAiStatus(status) !== 'failed') return null;
	const code = typeof lastError?.code === 'string' ? lastError.code : null;
	const message = lastError?.message || (code && OPENAI_FILE_ERRORS[code]) || 'Processing the file failed';
	return { code, message };
}

export function fromFile(
	entry: OpenAiVectorStoreFile,
	target: OpenAiTarget,
	requestId: string | null,
	jobStatus: string | null = null,
): DocumentStatus {
	const status = mapOpenAiStatus(entry.status);
	return newDocumentStatus({
		vendor: 'openai',
		knowledgeBaseId: target.vectorStoreId,
		jobId: target.batchId,
		documentId: String(entry.id),
		status,
		vendorStatus: String(entry.status),
		jobStatus,
		progress: status === 'completed' || status === 'failed' ? 100 : null,
		error: errorOf(String(entry.status), entry.last_error),
		startedAt: isoFromUnixSeconds(entry.created_at),
		requestId,
		raw: entry,
	});
}

function notFound(target: OpenAiTarget, documentId: string | null, message: string, requestId: string | null): DocumentStatus {
	return newDocumentStatus({
		vendor: 'openai',
		knowledgeBaseId: target.vectorStoreId,
		jobId: target.batchId,
		documentId,
		status: 'not_found',
		error: { code: 'not_found', message },
		requestId,
	});
}

function readString(ctx: NodeContext, name: string, label: string, expected: string, itemIndex: number): string {
	const raw = readParameter(ctx, name, itemIndex, '');
	const value = name === 'vectorStoreId' ? locatorValue(raw, openAiVectorStoreLocator) : raw;
	if (typeof value !== 'string' || value.trim() === '') throw new InputError(`${label} is empty: expected ${expected}`);
	return value.trim();
}

export function readOpenAiTarget(ctx: NodeContext, itemIndex: number): OpenAiTarget {
	const vectorStoreId = readString(ctx, 'vectorStoreId', 'Vector Store ID', 'a vector store ID such as vs_abc123', itemIndex);
	if (!STORE_ID.test(vectorStoreId)) {
		throw new InputError(`Vector Store ID "${vectorStoreId}" is not a vector store ID: expected vs_ followed by letters and digits, e.g. vs_abc123`);
	}
	const watch = readParameter(ctx, 'watch', itemIndex, 'fileBatch') as OpenAiWatch;
	const fileNames = readParameter(ctx, 'fileNames', itemIndex, false) === true;
	const base = { vectorStoreId, knowledgeBaseId: vectorStoreId, watch, fileNames };
	switch (watch) {
		case 'fileBatch': {
			const batchId = readString(ctx, 'batchId', 'Batch ID', 'a file batch ID such as vsfb_abc123', itemIndex);
			if (!/^[A-Za-z0-9_-]+$/.test(batchId)) {
				throw new InputError(`Batch ID "${batchId}" is not a file batch ID: expected letters, digits, _ and - only, e.g. vsfb_abc123`);
			}
			return { ...base, batchId, jobId: batchId, documentIds: null, wholeKnowledgeBase: false, scopeKey: `batch:${vectorStoreId}:${batchId}` };
		}
		case 'files': {
			const documentIds = parseIdList(readParameter(ctx, 'fileIds', itemIndex, ''), 'File IDs');
			const bad = documentIds.find((id) => !/^[A-Za-z0-9_-]+$/.test(id));
			if (bad !== undefined) throw new InputError(`File IDs holds "${bad}": expected file IDs such as file-abc123`);
			return { ...base, batchId: null, jobId: null, documentIds, wholeKnowledgeBase: false, scopeKey: `files:${vectorStoreId}` };
		}
		case 'vectorStore':
			// Only the trigger lists a whole store (over several polls when it is large).
			if (typeof (ctx as { getInputData?: unknown }).getInputData === 'function') {
				throw new InputError('Watch is "vectorStore": expected "fileBatch" or "files" (the OpenAI Vector Store Trigger watches a whole vector store)');
			}
			return { ...base, batchId: null, jobId: null, documentIds: null, wholeKnowledgeBase: true, scopeKey: `store:${vectorStoreId}` };
		default:
			throw new InputError(`Watch is "${String(watch)}": expected "fileBatch", "files" or "vectorStore"`);
	}
}

/**
 * The API root from the credential's Base URL, without a trailing slash; every call goes through
 * here, so an empty key is named before any call is made.
 */
export function openAiBaseUrl(credential: ICredentialDataDecryptedObject): string {
	if (typeof credential.apiKey !== 'string' || credential.apiKey.trim() === '') {
		throw new InputError('API Key of the OpenAI Vector Store API credential is empty: expected an OpenAI API key (or an Azure OpenAI resource key)');
	}
	const baseUrl = String(credential.baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
	if (!/^https?:\/\/[^/\s]+/i.test(baseUrl)) {
		throw new InputError(
			`Base URL of the OpenAI Vector Store API credential is "${baseUrl}": expected a full URL such as https://api.openai.com/v1`,
		);
	}
	return baseUrl;
}

async function storeUrl(client: VendorClient, vectorStoreId: string): Promise<string> {
	return `${openAiBaseUrl(await client.credential())}/vector_stores/${encodeURIComponent(vectorStoreId)}`;
}

interface FilePage {
	files: OpenAiVectorStoreFile[];
	hasMore: boolean;
	lastId: string | null;
	requestId: string | null;
}

async function listFilesPage(
	client: VendorClient,
	url: string,
	operation: string,
	query: { filter?: OpenAiFileStatus; after?: string; order: 'asc' | 'desc' },
): Promise<FilePage> {
	const response = await client.request({
		operation,
		method: 'GET',
		url,
		qs: { limit: LIST_PAGE_SIZE, ...query },
	});
	const body = (response.body ?? {}) as { data?: unknown; has_more?: unknown; last_id?: unknown };
	const files = (Array.isArray(body.data) ? body.data : []).filter(
		(entry): entry is OpenAiVectorStoreFile => entry !== null && typeof entry === 'object' && typeof (entry as { id?: unknown }).id === 'string',
	);
	const lastId = files.length ? files[files.length - 1].id : null;
	return { files, hasMore: body.has_more === true && lastId !== null, lastId, requestId: response.requestId };
}

/** Every file of a listing (a batch's, or one status of it), page after page, oldest first. */
async function listAllFiles(client: VendorClient, url: string, operation: string, filter?: OpenAiFileStatus) {
	const files: OpenAiVectorStoreFile[] = [];
	let after: string | undefined;
	let requestId: string | null = null;
	for (;;) {
		// Oldest first: the files come out in the order the batch was given them.
		const page = await listFilesPage(client, url, operation, { order: 'asc', ...(filter ? { filter } : {}), ...(after ? { after } : {}) });
		files.push(...page.files);
		requestId = page.requestId ?? requestId;
		if (!page.hasMore) return { files, requestId };
		after = page.lastId as string;
	}
}

// ---------------------------------------------------------------------------------------------
// A file batch: one call a round while it runs
// ---------------------------------------------------------------------------------------------

/** What the last full look at a batch found: its files, and the counts they add up to. */
interface BatchSnapshot {
	files: Map<string, OpenAiVectorStoreFile>;
	counts: Record<string, number>;
}

/**
 * The last snapshot of recently watched batches, so that a later look reads only the statuses
 * whose counts moved. A file's status only moves forward (in progress, then one final status),
 * so while a batch's counts stay the same its files' statuses do too.
 */
const batchSnapshots = new Map<string, BatchSnapshot>();
const MAX_SNAPSHOTS = 200;
/** Targets that have had one full answer in this run: later rounds of a wait need only the counts. */
const answered = new WeakSet<OpenAiTarget>();
/** The file_counts the last round of a target read (to tell a batch that stood still for a round). */
const lastRoundCounts = new WeakMap<OpenAiTarget, string>();
/** The answers about files of a batch still running, with that batch's file_counts (progressSignature). */
const runningBatchCounts = new WeakMap<DocumentStatus, string>();

function rememberSnapshot(key: string, snapshot: BatchSnapshot): void {
	batchSnapshots.delete(key);
	batchSnapshots.set(key, snapshot);
	if (batchSnapshots.size > MAX_SNAPSHOTS) batchSnapshots.delete(batchSnapshots.keys().next().value as string);
}

function countsOf(batch: OpenAiFileBatch): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const key of ['in_progress', 'completed', 'failed', 'cancelled', 'total'] as const) {
		const value = batch.file_counts?.[key];
		counts[key] = typeof value === 'number' && Number.isFinite(value) ? value : 0;
	}
	return counts;
}

function tally(files: Iterable<OpenAiVectorStoreFile>): Record<string, number> {
	const counts: Record<string, number> = { in_progress: 0, completed: 0, failed: 0, cancelled: 0 };
	for (const file of files) counts[file.status] = (counts[file.status] ?? 0) + 1;
	return counts;
}

/** The batch itself, when it lists no files: the item that answers for the input item. */
function batchItem(batch: OpenAiFileBatch, target: OpenAiTarget, requestId: string | null): DocumentStatus {
	const status = mapOpenAiStatus(batch.status);
	const counts = countsOf(batch);
	return newDocumentStatus({
		vendor: 'openai',
		knowledgeBaseId: target.vectorStoreId,
		jobId: target.batchId,
		documentId: null,
		status,
		vendorStatus: String(batch.status),
		jobStatus: String(batch.status),
		progress: status === 'completed' ? 100 : counts.total > 0 ? Math.round((100 * (counts.total - counts.in_progress)) / counts.total) : null,
		error: errorOf(String(batch.status), null),
		startedAt: isoFromUnixSeconds(batch.created_at),
		requestId,
		raw: batch,
	});
}

/**
 * A batch's files at the lowest number of calls. The batch call (`file_counts`) comes first.
 * Within a wait, once the files have been read, a round where the batch still runs and its
 * counts move costs that one call. When the batch has ended, when its counts stood still for a
 * round since they last moved, or when the answer must list every file (Get Indexing Status, a
 * trigger poll, the first round), only the statuses whose counts moved since the last snapshot
 * are listed (`filter`); with no snapshot, the whole batch is listed once. `runningCounts` is the
 * batch's file_counts while it runs, else null.
 */
async function fetchBatch(client: VendorClient, target: OpenAiTarget): Promise<{ documents: DocumentStatus[]; runningCounts: string | null }> {
	const url = `${await storeUrl(client, target.vectorStoreId)}/file_batches/${encodeURIComponent(target.batchId ?? '')}`;
	const response = await client.tryRequest({ operation: 'retrieve file batch', method: 'GET', url });
	if (response instanceof VendorRequestError) {
		// 404 for a batch (or a store) OpenAI does not know: an answer about the batch.
		if (response.failure.kind === 'not_found') return { documents: [notFound(target, null, response.failure.message, response.failure.requestId)], runningCounts: null };
		throw response;
	}
	const batch = response.body as OpenAiFileBatch;
	const jobStatus = String(batch.status);
	const counts = countsOf(batch);
	const countsKey = JSON.stringify(counts);
	const key = `${openAiBaseUrl(await client.credential())}\u0000${target.vectorStoreId}\u0000${target.batchId}`;
	let snapshot = batchSnapshots.get(key);
	const running = batch.status === 'in_progress';
	// The counts moved since the files were read, and then stood still for a round: the files as
	// last read may be out of date, and waiting for the next move may take long.
	const stoodStill = snapshot !== undefined && lastRoundCounts.get(target) === countsKey && JSON.stringify(snapshot.counts) !== countsKey;
	lastRoundCounts.set(target, countsKey);

	if (!(snapshot && running && answered.has(target)) || stoodStill) {
		snapshot = await refreshSnapshot(client, url, counts, snapshot);
		rememberSnapshot(key, snapshot);
		answered.add(target);
	}
	const runningCounts = running ? countsKey : null;
	if (snapshot.files.size === 0) return { documents: [batchItem(batch, target, response.requestId)], runningCounts };
	return { documents: [...snapshot.files.values()].map((file) => fromFile(file, target, response.requestId, jobStatus)), runningCounts };
}

async function refreshSnapshot(
	client: VendorClient,
	batchUrl: string,
	counts: Record<string, number>,
	previous: BatchSnapshot | undefined,
): Promise<BatchSnapshot> {
	const filesUrl = `${batchUrl}/files`;
	const known = previous ? tally(previous.files.values()) : null;
	const shrunk = known !== null && (previous?.counts.total !== counts.total || TERMINAL_FILTERS.some((s) => counts[s] < known[s]));
	if (known === null || shrunk) {
		const { files } = await listAllFiles(client, filesUrl, 'list batch files');
		return { files: new Map(files.map((f) => [f.id, f])), counts };
	}
	const files = new Map(previous?.files);
	for (const status of TERMINAL_FILTERS) {
		if (counts[status] === known[status]) continue;
		const listed = await listAllFiles(client, filesUrl, `list ${status} batch files`, status);
		for (const file of listed.files) files.set(file.id, file);
	}
	return { files, counts };
}

// ---------------------------------------------------------------------------------------------
// Files by id
// ---------------------------------------------------------------------------------------------

/**
 * Pages of the store listing that the last search for ids read until it ended, per store: a search
 * for fewer ids than that is cheaper one retrieve call per id.
 */
const listingPagesNeeded = new Map<string, number>();
const MAX_STORES = 5000;

/**
 * The files with these ids, at the lowest number of calls OpenAI allows. A retrieve call answers
 * for one file; a listing page for 100, newest first, so files just added are on the first page.
 * A round lists pages until every id is found (an id missing from a complete listing is not in
 * the store: what the retrieve call would say), unless the last search took at least as many
 * pages as there are ids to ask about. Once the pages read are as many as the ids still missing
 * (old files, or ids the store does not have, in a large store), those are retrieved one by one:
 * a round never costs more than twice the calls of retrieving every id.
 */
async function fetchFiles(client: VendorClient, target: OpenAiTarget, ids: string[]): Promise<DocumentStatus[]> {
	const url = `${await storeUrl(client, target.vectorStoreId)}/files`;
	const pagesNeeded = listingPagesNeeded.get(url);
	if (ids.length <= 1 || (pagesNeeded !== undefined && pagesNeeded >= ids.length)) return await retrieveFiles(client, target, url, ids);
	const wanted = new Set(ids);
	const found = new Map<string, DocumentStatus>();
	let after: string | undefined;
	for (let page = 1; ; page++) {
		const listed = await settle(listFilesPage(client, url, 'list vector store files', { order: 'desc', ...(after ? { after } : {}) }));
		if (!listed.ok) {
			// A store OpenAI does not know (its first page is not found): each id is not found, as
			// its retrieve call would say.
			const failure = listed.error instanceof VendorRequestError && listed.error.failure.kind === 'not_found' ? listed.error.failure : null;
			if (failure === null || page > 1) throw listed.error;
			return ids.map((id) => notFound(target, id, failure.message, failure.requestId));
		}
		for (const file of listed.value.files) {
			if (wanted.has(file.id)) found.set(file.id, fromFile(file, target, listed.value.requestId));
		}
		const complete = found.size === wanted.size || !listed.value.hasMore;
		const missing = ids.filter((id) => !found.has(id));
		if (complete || page >= missing.length) {
			// At least this many pages, when the search stops before it is complete.
			listingPagesNeeded.set(url, complete ? page : page + 1);
			if (listingPagesNeeded.size > MAX_STORES) listingPagesNeeded.delete(listingPagesNeeded.keys().next().value as string);
		}
		if (found.size === wanted.size) break;
		if (listed.value.hasMore && page >= missing.length) {
			const retrieved = await retrieveFiles(client, target, url, missing);
			missing.forEach((id, index) => found.set(id, retrieved[index]));
			break;
		}
		if (!listed.value.hasMore) {
			for (const id of ids) {
				if (!found.has(id)) found.set(id, notFound(target, id, `No file found with id '${id}' in vector store '${target.vectorStoreId}'.`, listed.value.requestId));
			}
			break;
		}
		after = listed.value.lastId as string;
	}
	return ids.map((id) => found.get(id) as DocumentStatus);
}

async function retrieveFiles(client: VendorClient, target: OpenAiTarget, base: string, ids: string[]): Promise<DocumentStatus[]> {
	const results: DocumentStatus[] = new Array(ids.length);
	let next = 0;
	const worker = async () => {
		while (next < ids.length) {
			const index = next++;
			const id = ids[index];
			const response = await client.tryRequest({ operation: 'retrieve vector store file', method: 'GET', url: `${base}/${encodeURIComponent(id)}` });
			if (!(response instanceof VendorRequestError)) {
				results[index] = fromFile(response.body as OpenAiVectorStoreFile, target, response.requestId);
			} else if (response.failure.kind === 'not_found') {
				results[index] = notFound(target, id, response.failure.message, response.failure.requestId);
			} else {
				next = ids.length; // the round has failed: stop the other workers
				throw response;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(DETAIL_CONCURRENCY, ids.length) }, worker));
	return results;
}

// ---------------------------------------------------------------------------------------------
// The whole store (trigger): cursor pages, oldest first
// ---------------------------------------------------------------------------------------------

/**
 * Page N of a store's listing. OpenAI pages by cursor: page N starts after the last file id of
 * page N-1, which the engine keeps in the trigger's state as `cursor` (`nextCursor` of the page
 * before). A state saved without it reaches page N from the first page again.
 */
export async function listStorePage(client: VendorClient, target: OpenAiTarget, page: number, cursor: string | null): Promise<ListingPage> {
	const url = `${await storeUrl(client, target.vectorStoreId)}/files`;
	let after = page > 1 && cursor !== null ? cursor : undefined;
	for (let n = after === undefined ? 1 : page; ; n++) {
		// Oldest first: files added during a pass land on its last pages, and cursors stay put.
		const listed = await listFilesPage(client, url, 'list vector store files', { order: 'asc', ...(after ? { after } : {}) });
		if (n === page || !listed.hasMore) {
			return {
				documents: n === page ? listed.files.map((file) => fromFile(file, target, listed.requestId)) : [],
				hasMore: n === page && listed.hasMore,
				nextCursor: n === page ? listed.lastId : null,
			};
		}
		after = listed.lastId as string;
	}
}

// ---------------------------------------------------------------------------------------------
// File names: `GET /files/{id}`, once per file
// ---------------------------------------------------------------------------------------------

/** Names already looked up (a file's name never changes), across rounds and executions. */
const fileNames = new Map<string, string | null>();
const MAX_NAMES = 10_000;

async function withNames(client: VendorClient, documents: DocumentStatus[]): Promise<DocumentStatus[]> {
	const root = openAiBaseUrl(await client.credential());
	const missing = [...new Set(documents.map((d) => d.documentId).filter((id): id is string => id !== null && !fileNames.has(`${root}\u0000${id}`)))];
	let next = 0;
	const worker = async () => {
		while (next < missing.length) {
			const id = missing[next++];
			const response = await client.tryRequest({ operation: 'retrieve file', method: 'GET', url: `${root}/files/${encodeURIComponent(id)}` });
			if (response instanceof VendorRequestError) {
				// A file deleted from the Files API keeps its vector store entry: no name to give.
				if (response.failure.kind !== 'not_found') {
					next = missing.length;
					throw response;
				}
				fileNames.set(`${root}\u0000${id}`, null);
				continue;
			}
			const filename = (response.body as { filename?: unknown }).filename;
			fileNames.set(`${root}\u0000${id}`, typeof filename === 'string' ? filename : null);
			if (fileNames.size > MAX_NAMES) fileNames.delete(fileNames.keys().next().value as string);
		}
	};
	await Promise.all(Array.from({ length: Math.min(DETAIL_CONCURRENCY, missing.length) }, worker));
	return documents.map((d) =>
		d.documentId === null ? d : { ...d, documentName: fileNames.get(`${root}\u0000${d.documentId}`) ?? null },
	);
}

// ---------------------------------------------------------------------------------------------
// The vector store list (the editor's From List mode)
// ---------------------------------------------------------------------------------------------

interface OpenAiVectorStoreEntry {
	id?: unknown;
	name?: unknown;
	status?: unknown;
	file_counts?: { total?: unknown };
}

/** A vector store's page on the OpenAI platform (none for other hosts). */
export function openAiStoreUrl(credential: ICredentialDataDecryptedObject, vectorStoreId: string): string | undefined {
	try {
		if (new URL(openAiBaseUrl(credential)).hostname !== 'api.openai.com') return undefined;
	} catch {
		return undefined;
	}
	return `https://platform.openai.com/storage/vector_stores/${encodeURIComponent(vectorStoreId)}`;
}

/**
 * One page of the project's vector stores, newest first. OpenAI's list has no name search, so
 * the search text narrows each page here. The token is the `after` cursor.
 */
export async function listVectorStores(client: VendorClient, request: ListRequest): Promise<ListPage> {
	const credential = await client.credential();
	const response = await client.request({
		operation: 'list vector stores',
		method: 'GET',
		url: `${openAiBaseUrl(credential)}/vector_stores`,
		qs: { limit: STORE_LIST_PAGE_SIZE, order: 'desc', ...(request.token ? { after: request.token } : {}) },
	});
	const body = (response.body ?? {}) as { data?: unknown; has_more?: unknown };
	const stores = (Array.isArray(body.data) ? (body.data as OpenAiVectorStoreEntry[]) : []).filter(
		(entry) => typeof entry?.id === 'string' && entry.id !== '',
	);
	const entries: ListEntry[] = [];
	for (const entry of stores) {
		const total = typeof entry.file_counts?.total === 'number' ? entry.file_counts.total : null;
		const detail = [total === null ? null : `${total} file${total === 1 ? '' : 's'}`, entry.status === 'expired' ? 'expired' : null]
			.filter(Boolean)
			.join(', ');
		const listed: ListEntry = {
			id: entry.id as string,
			name: typeof entry.name === 'string' ? entry.name : '',
			...(detail ? { detail } : {}),
			url: openAiStoreUrl(credential, entry.id as string),
		};
		if (matchesFilter(listed, request.filter)) entries.push(listed);
	}
	const last = stores.length ? (stores[stores.length - 1].id as string) : null;
	return { entries, nextToken: body.has_more === true && last !== null ? last : null };
}

/** The `methods.listSearch` of the OpenAI nodes. */
export const openAiListSearch = {
	async searchVectorStores(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		return await searchList(this, openAiSpec, listVectorStores, filter, paginationToken);
	},
};

export const openAiAdapter: StatusAdapter<OpenAiTarget> = {
	spec: openAiSpec,
	readTarget: readOpenAiTarget,
	async fetchStatuses(client, target, ids) {
		if (target.watch !== 'fileBatch') {
			const documents = await fetchFiles(client, target, ids ?? target.documentIds ?? []);
			return target.fileNames ? await withNames(client, documents) : documents;
		}
		const { documents, runningCounts } = await fetchBatch(client, target);
		const answer = target.fileNames ? await withNames(client, documents) : documents;
		if (runningCounts !== null) for (const document of answer) runningBatchCounts.set(document, runningCounts);
		return answer;
	},
	async listPage(client, target, page, cursor) {
		const listed = await listStorePage(client, target, page, cursor);
		return target.fileNames ? { ...listed, documents: await withNames(client, listed.documents) } : listed;
	},
	// A vector store file gives no progress figure while in progress: its status is all there is.
	// The batch's own item (an empty batch) carries the share of its files that finished. A file
	// of a running batch also counts as moving while the batch's file_counts move: a wait reads
	// the files again only once the counts stand still (see fetchBatch), and OpenAI works on a
	// batch's files a few at a time, so a file waiting its turn is not stuck.
	progressSignature: (d) => [d.vendorStatus, d.progress, runningBatchCounts.get(d) ?? null],
};
