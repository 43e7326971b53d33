import type { ICredentialDataDecryptedObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { VendorClient } from '../shared/client';
import { newDocumentStatus } from '../shared/documents';
import { InputError, VendorRequestError } from '../shared/errors';
import { parseIdList } from '../shared/idList';
import type { ListEntry, ListPage, ListRequest } from '../shared/listSearch';
import { searchList } from '../shared/listSearch';
import type { LocatorSpec } from '../shared/locator';
import { locatorValue } from '../shared/locator';
import { readParameter } from '../shared/parameters';
import { isoFromUnixSeconds, isTerminalStatus } from '../shared/status';
import type { DocumentStatus, NormalizedStatus } from '../shared/types';
import type {
	ListingPage,
	NodeContext,
	RawResponse,
	StatusAdapter,
	VendorFailure,
	VendorSpec,
	WatchTarget,
} from '../shared/vendor';

/** Everything the package knows about Dify's Knowledge API wire format lives in this file. */

export type DifyWatch = 'batch' | 'documents' | 'dataset';

export interface DifyTarget extends WatchTarget {
	watch: DifyWatch;
	datasetId: string;
	batch: string | null;
}

/**
 * Every `indexing_status` of Dify's server code (api/models/dataset.py, the IndexingStatus enum;
 * `paused` as the batch call reports it), each mapped on purpose.
 */
export const DIFY_INDEXING_STATUS: Readonly<Record<string, NormalizedStatus>> = {
	waiting: 'queued',
	parsing: 'processing',
	cleaning: 'processing',
	splitting: 'processing',
	indexing: 'processing',
	paused: 'paused',
	completed: 'completed',
	error: 'failed',
};

/**
 * Every value of Dify's derived `display_status` (the `Document.display_status` property of
 * api/models/dataset.py), for the detail and list calls: it decides when `indexing_status` is a
 * value this package does not know.
 */
export const DIFY_DISPLAY_STATUS: Readonly<Record<string, NormalizedStatus>> = {
	queuing: 'queued',
	indexing: 'processing',
	paused: 'paused',
	error: 'failed',
	available: 'completed',
	disabled: 'completed',
	archived: 'completed',
};

/** The list endpoint's largest page (Dify caps `limit` at 100). */
const LIST_PAGE_SIZE = 100;
/** Detail calls in flight at once when documents are watched by id. */
const DETAIL_CONCURRENCY = 4;
const UUID_TEXT = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const UUID = new RegExp(`^${UUID_TEXT}$`);
/** Datasets per page of the knowledge base list in the editor (Dify allows up to 100). */
export const DATASET_LIST_PAGE_SIZE = 50;

/**
 * How a dataset is picked in the editor. Its console page is
 * `<console>/datasets/<uuid>/documents` (cloud.dify.ai, or a self-hosted Dify's own address);
 * the API's own dataset URLs (`<host>/v1/datasets/<uuid>/…`) have the same tail and work too.
 */
export const difyDatasetLocator: LocatorSpec = {
	label: 'Dataset ID',
	searchMethod: 'searchDatasets',
	searchable: true,
	url: {
		pattern: `https?://[^\\s/]+(?:/[^\\s]*)?/datasets/(${UUID_TEXT})(?:[/?#][^\\s]*)?`,
		shape: 'https://cloud.dify.ai/datasets/<dataset ID>/documents (or the same path on your own Dify)',
		placeholder: 'e.g. https://cloud.dify.ai/datasets/5f3c1c2e-0b6a-4f7e-9d1a-2b3c4d5e6f70/documents',
	},
	id: {
		pattern: `\\s*${UUID_TEXT}\\s*`,
		expected: 'a dataset ID: a UUID such as 5f3c1c2e-0b6a-4f7e-9d1a-2b3c4d5e6f70',
		placeholder: 'e.g. 5f3c1c2e-0b6a-4f7e-9d1a-2b3c4d5e6f70',
	},
};

export const difySpec: VendorSpec = {
	name: 'dify',
	displayName: 'Dify',
	credentialType: 'difyKnowledgeApi',
	// Status reads are not rate limited by Dify (its documented knowledge limit covers writes and
	// retrieval), so a short interval is safe; the default still keeps a batch at 12 calls a minute.
	pollInterval: { defaultSeconds: 5, minSeconds: 1 },
	secretFields: ['apiKey'],
	requestIdOf: () => null,
	inspectResponse: inspectDifyResponse,
};

/** Dify answers errors as `{"status": <http>, "code": "<id>", "message": "…"}`. */
export function inspectDifyResponse(response: RawResponse): VendorFailure | null {
	const { statusCode } = response;
	if (statusCode >= 200 && statusCode < 300) return null;
	const body = (response.body ?? {}) as { code?: unknown; message?: unknown };
	const code = typeof body.code === 'string' ? body.code : null;
	const vendorMessage = typeof body.message === 'string' ? body.message : null;
	const failure = (kind: VendorFailure['kind'], retryable: boolean, message: string, hint?: string): VendorFailure => ({
		kind,
		retryable,
		httpStatus: statusCode,
		code,
		message,
		requestId: null,
		...(hint ? { hint } : {}),
	});
	// Not Dify speaking (a proxy's or gateway's page): the engine reports the status and an
	// excerpt of the body. A 401 keeps the advice on the key, whoever says it.
	if (code === null && vendorMessage === null && statusCode !== 401) return null;
	const said = vendorMessage ?? `HTTP ${statusCode}`;
	if (statusCode === 401) {
		return failure('auth', false, `the API key was rejected (${said})`, 'Use a Knowledge API key (Knowledge > Service API), not an app key.');
	}
	if (statusCode === 403) {
		// Dify Cloud reports its per-minute knowledge request limit as a 403, not a 429.
		if (vendorMessage && /rate limit/i.test(vendorMessage)) return failure('rate_limit', true, said);
		return failure('permission', false, said);
	}
	if (statusCode === 404) return failure('not_found', false, said);
	if (statusCode === 429) {
		// `rate_limit_error` is the plan's quota: waiting a few seconds does not help.
		if (code === 'rate_limit_error') return failure('quota', false, said);
		return failure('rate_limit', true, said);
	}
	if (statusCode >= 500) return failure('server', true, said);
	if (statusCode >= 400) return failure('invalid_request', false, said);
	return null;
}

export function mapDifyStatus(indexingStatus: unknown): NormalizedStatus {
	return (typeof indexingStatus === 'string' && DIFY_INDEXING_STATUS[indexingStatus]) || 'unknown';
}

interface DifyIndexingStatus {
	id: string;
	indexing_status: string;
	processing_started_at?: number | null;
	completed_at?: number | null;
	paused_at?: number | null;
	stopped_at?: number | null;
	error?: string | null;
	completed_segments?: number | null;
	total_segments?: number | null;
}

interface DifyDocument {
	id: string;
	name?: string;
	indexing_status: string;
	/** What Dify's console shows; the only place the detail and list calls say `paused`. */
	display_status?: string;
	/** The document's own pause flag, where the answer carries it (Dify's `Document.to_dict`). */
	is_paused?: boolean | null;
	error?: string | null;
	completed_at?: number | null;
	updated_at?: number | null;
	segment_count?: number | null;
}

function errorOf(status: NormalizedStatus, message: string | null | undefined) {
	if (status !== 'failed') return null;
	return { code: null, message: message || 'Indexing failed' };
}

/** An entry of the batch indexing-status call, the only call with segment progress. */
export function fromIndexingStatus(entry: DifyIndexingStatus, target: DifyTarget): DocumentStatus {
	const status = mapDifyStatus(entry.indexing_status);
	const completed = entry.completed_segments ?? null;
	const total = entry.total_segments ?? null;
	let progress = 0;
	if (status === 'completed') progress = 100;
	else if (total && completed !== null) progress = Math.min(100, Math.round((100 * completed) / total));
	return newDocumentStatus({
		vendor: 'dify',
		knowledgeBaseId: target.datasetId,
		jobId: target.batch,
		documentId: String(entry.id),
		status,
		vendorStatus: String(entry.indexing_status),
		progress,
		completedSegments: completed,
		totalSegments: total,
		error: errorOf(status, entry.error),
		startedAt: isoFromUnixSeconds(entry.processing_started_at),
		completedAt: isoFromUnixSeconds(entry.completed_at),
		updatedAt: isoFromUnixSeconds(entry.stopped_at ?? entry.paused_at),
		raw: entry,
	});
}

/** A document from the detail or list call: status and name, but no segment progress. */
export function fromDocument(entry: DifyDocument, target: DifyTarget): DocumentStatus {
	// These calls keep the pipeline stage in indexing_status and say "paused" through
	// display_status (the batch call says it in indexing_status whenever is_paused is set).
	// Dify releases whose Document.display_status checks "waiting" before "paused"
	// (api/models/dataset.py) show a document paused while waiting as "queuing", so the pause
	// flag itself wins where the answer carries it: one document, one status in every mode.
	const unfinished = entry.indexing_status !== 'completed' && entry.indexing_status !== 'error';
	const paused = entry.display_status === 'paused' || (entry.is_paused === true && unfinished);
	const vendorStatus = paused ? 'paused' : String(entry.indexing_status);
	const byStage = mapDifyStatus(vendorStatus);
	const status =
		byStage === 'unknown' && typeof entry.display_status === 'string' ? (DIFY_DISPLAY_STATUS[entry.display_status] ?? byStage) : byStage;
	// Dify counts segments only once the document is split; 0 before that means "not known yet".
	const counted = typeof entry.segment_count === 'number' ? entry.segment_count : null;
	const segments = counted === 0 && !isTerminalStatus(status) ? null : counted;
	return newDocumentStatus({
		vendor: 'dify',
		knowledgeBaseId: target.datasetId,
		jobId: target.batch,
		documentId: String(entry.id),
		documentName: entry.name ?? null,
		status,
		vendorStatus,
		progress: status === 'completed' ? 100 : status === 'queued' ? 0 : null,
		completedSegments: status === 'completed' ? segments : null,
		totalSegments: segments,
		error: errorOf(status, entry.error),
		completedAt: isoFromUnixSeconds(entry.completed_at),
		updatedAt: isoFromUnixSeconds(entry.updated_at),
		raw: entry,
	});
}

function notFound(target: DifyTarget, documentId: string | null, message: string): DocumentStatus {
	return newDocumentStatus({
		vendor: 'dify',
		knowledgeBaseId: target.datasetId,
		jobId: target.batch,
		documentId,
		status: 'not_found',
		error: { code: 'not_found', message },
	});
}

function readString(ctx: NodeContext, name: string, label: string, itemIndex: number): string {
	const raw = readParameter(ctx, name, itemIndex, '');
	const value = name === 'datasetId' ? locatorValue(raw, difyDatasetLocator) : raw;
	if (typeof value !== 'string' || value.trim() === '') {
		throw new InputError(`${label} is empty: expected ${label === 'Dataset ID' ? 'the knowledge base (dataset) UUID' : 'a value'}`);
	}
	return value.trim();
}

export function readDifyTarget(ctx: NodeContext, itemIndex: number): DifyTarget {
	const datasetId = readString(ctx, 'datasetId', 'Dataset ID', itemIndex);
	if (!UUID.test(datasetId)) {
		throw new InputError(
			`Dataset ID "${datasetId}" is not a UUID: expected the knowledge base ID, e.g. 5f3c1c2e-0b6a-4f7e-9d1a-2b3c4d5e6f70 (shown in the knowledge base's URL)`,
		);
	}
	const watch = readParameter(ctx, 'watch', itemIndex, 'batch') as DifyWatch;
	const base = { datasetId, knowledgeBaseId: datasetId, watch };
	switch (watch) {
		case 'batch': {
			const batch = readString(ctx, 'batch', 'Batch', itemIndex);
			return { ...base, batch, jobId: batch, documentIds: null, wholeKnowledgeBase: false, scopeKey: `batch:${datasetId}:${batch}` };
		}
		case 'documents': {
			const documentIds = parseIdList(readParameter(ctx, 'documentIds', itemIndex, ''), 'Document IDs');
			return { ...base, batch: null, jobId: null, documentIds, wholeKnowledgeBase: false, scopeKey: `documents:${datasetId}` };
		}
		case 'dataset':
			return { ...base, batch: null, jobId: null, documentIds: null, wholeKnowledgeBase: true, scopeKey: `dataset:${datasetId}` };
		default:
			throw new InputError(`Watch is "${String(watch)}": expected "batch", "documents" or "dataset"`);
	}
}

/** The API root from the credential's Base URL, without a trailing slash. */
export function difyBaseUrl(credential: ICredentialDataDecryptedObject): string {
	const baseUrl = String(credential.baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
	if (!/^https?:\/\/[^/\s]+/i.test(baseUrl)) {
		throw new InputError(
			`Base URL of the Dify Knowledge API credential is "${baseUrl}": expected a full URL such as https://api.dify.ai/v1, or http(s)://<your host>/v1 for a self-hosted Dify`,
		);
	}
	return baseUrl;
}

async function datasetUrl(client: VendorClient, datasetId: string): Promise<string> {
	return `${difyBaseUrl(await client.credential())}/datasets/${encodeURIComponent(datasetId)}`;
}

const isMissing = (error: VendorRequestError, what: RegExp) =>
	error.failure.kind === 'not_found' && what.test(error.failure.message);

async function fetchBatch(client: VendorClient, target: DifyTarget): Promise<DocumentStatus[]> {
	const url = `${await datasetUrl(client, target.datasetId)}/documents/${encodeURIComponent(target.batch ?? '')}/indexing-status`;
	const response = await client.tryRequest({ operation: 'batch indexing status', method: 'GET', url });
	if (response instanceof VendorRequestError) {
		// Dify answers 404 "Documents not found." for a batch it does not know (or whose
		// documents were deleted): an answer about the batch, not a failed call.
		if (isMissing(response, /documents not found/i)) return [notFound(target, null, response.failure.message)];
		throw response;
	}
	const entries = (response.body as { data?: DifyIndexingStatus[] }).data ?? [];
	if (entries.length === 0) return [notFound(target, null, 'The batch has no documents')];
	return entries.map((entry) => fromIndexingStatus(entry, target));
}

/** Document ids per listing page: Dify caps `limit` at 100. */
const pagesFor = (total: number) => Math.ceil(total / LIST_PAGE_SIZE);

/** The dataset sizes the listings reported, per watched target, to price the next round. */
const datasetSizes = new WeakMap<DifyTarget, number>();

/**
 * The documents with these ids, at the lowest number of calls Dify allows. A detail call answers
 * for one document; a listing page answers for 100, newest first, so documents that were just
 * uploaded are on the first page. Each round takes whichever is cheaper: list pages until every
 * id is found, switching to detail calls when fewer ids are left than pages; or detail calls
 * from the start, when the dataset has more pages than there are ids.
 */
async function fetchDocuments(client: VendorClient, target: DifyTarget, ids: string[]): Promise<DocumentStatus[]> {
	const knownSize = datasetSizes.get(target);
	const detailsCheaper = ids.length <= 1 || (knownSize !== undefined && pagesFor(knownSize) >= ids.length);
	if (detailsCheaper && !withoutDetailCall.has(target)) {
		const details = await fetchDetails(client, target, ids);
		if (details !== null) return details;
	}
	return await fetchByListing(client, target, ids);
}

/**
 * Targets whose Dify has no document detail call (`GET /datasets/{id}/documents/{document_id}`,
 * missing from older self-hosted releases, which answer it with 404 or 405): they are read from
 * the document list from then on.
 */
const withoutDetailCall = new WeakSet<DifyTarget>();

/**
 * A detail call answered by a Dify without that route: 405 (the path exists for other methods),
 * or a 404 that is not Dify's own "Document not found." / "Dataset not found." (Flask's page for
 * an unknown URL).
 */
function detailCallMissing(error: VendorRequestError): boolean {
	if (error.failure.httpStatus === 405) return true;
	return error.failure.httpStatus === 404 && !/(document|dataset) not found/i.test(error.failure.message);
}

/** The documents with these ids from the list, page by page until each is found or the list ends. */
async function fetchByListing(client: VendorClient, target: DifyTarget, ids: string[]): Promise<DocumentStatus[]> {
	const wanted = new Set(ids);
	const found = new Map<string, DocumentStatus>();
	for (let page = 1; ; page++) {
		const listing = await listDocumentsPage(client, target, page);
		datasetSizes.set(target, listing.total);
		for (const document of listing.documents) {
			if (wanted.has(document.documentId as string)) found.set(document.documentId as string, document);
		}
		const missing = ids.filter((id) => !found.has(id));
		if (missing.length === 0) break;
		if (!listing.hasMore) {
			// Not in the pages read. The newest-first listing shifts when a document is deleted
			// between two pages, so a document may have moved to a page already read: the detail
			// call says whether it exists, where this Dify has one (else the engine answers
			// not_found for the ids left out).
			const details = withoutDetailCall.has(target) ? null : await fetchDetails(client, target, missing);
			for (const document of details ?? []) found.set(document.documentId as string, document);
			break;
		}
		if (pagesFor(listing.total) - page >= missing.length && !withoutDetailCall.has(target)) {
			const details = await fetchDetails(client, target, missing);
			if (details !== null) {
				for (const document of details) found.set(document.documentId as string, document);
				break;
			}
		}
	}
	return ids.map((id) => found.get(id)).filter((d): d is DocumentStatus => d !== undefined);
}

/** The documents by detail calls; null when this Dify has no detail call (see withoutDetailCall). */
async function fetchDetails(client: VendorClient, target: DifyTarget, ids: string[]): Promise<DocumentStatus[] | null> {
	const base = await datasetUrl(client, target.datasetId);
	const results: DocumentStatus[] = new Array(ids.length);
	let next = 0;
	const worker = async () => {
		while (next < ids.length) {
			const index = next++;
			const id = ids[index];
			const response = await client.tryRequest({
				operation: 'get document',
				method: 'GET',
				url: `${base}/documents/${encodeURIComponent(id)}`,
				qs: { metadata: 'without' },
			});
			if (!(response instanceof VendorRequestError)) {
				results[index] = fromDocument(response.body as DifyDocument, target);
			} else if (isMissing(response, /document not found/i)) {
				results[index] = notFound(target, id, response.failure.message);
			} else if (detailCallMissing(response)) {
				withoutDetailCall.add(target);
				next = ids.length;
			} else {
				next = ids.length; // the round has failed: stop the other workers
				throw response;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(DETAIL_CONCURRENCY, ids.length) }, worker));
	return withoutDetailCall.has(target) ? null : results;
}

interface DocumentPage extends ListingPage {
	total: number;
}

/** One page of the dataset's documents, newest first. */
export async function listDocumentsPage(client: VendorClient, target: DifyTarget, page: number): Promise<DocumentPage> {
	const response = await client.request({
		operation: 'list documents',
		method: 'GET',
		url: `${await datasetUrl(client, target.datasetId)}/documents`,
		qs: { page, limit: LIST_PAGE_SIZE },
	});
	const body = response.body as { data?: DifyDocument[]; has_more?: boolean; total?: unknown };
	const entries = body.data ?? [];
	const seen = (page - 1) * LIST_PAGE_SIZE + entries.length;
	return {
		documents: entries.map((entry) => fromDocument(entry, target)),
		hasMore: body.has_more === true && entries.length > 0,
		total: typeof body.total === 'number' && Number.isFinite(body.total) ? body.total : seen,
	};
}

// ---------------------------------------------------------------------------------------------
// The knowledge base list (the editor's From List mode)
// ---------------------------------------------------------------------------------------------

/** One `data[]` entry of `GET /datasets`. */
interface DifyDatasetEntry {
	id?: unknown;
	name?: unknown;
	enable_api?: unknown;
}

/**
 * A dataset's page in Dify's console. Dify Cloud's console is cloud.dify.ai while its API is
 * api.dify.ai/v1; a self-hosted Dify serves both from one address, the API under /v1.
 */
export function difyConsoleUrl(credential: ICredentialDataDecryptedObject, datasetId: string): string | undefined {
	let root: URL;
	try {
		root = new URL(difyBaseUrl(credential));
	} catch {
		return undefined;
	}
	const origin = root.hostname === 'api.dify.ai' ? 'https://cloud.dify.ai' : `${root.origin}${root.pathname.replace(/\/v1\/?$/, '').replace(/\/+$/, '')}`;
	return `${origin}/datasets/${encodeURIComponent(datasetId)}/documents`;
}

/**
 * One page of the workspace's knowledge bases, newest first, filtered by Dify on the name
 * (`keyword`). The page number is the token; Dify says whether another page follows.
 */
export async function listDatasets(client: VendorClient, request: ListRequest): Promise<ListPage> {
	const page = request.token === undefined ? 1 : Number(request.token);
	if (!Number.isSafeInteger(page) || page < 1) {
		throw new InputError(`The list's page token "${request.token}" is not a page number: reload the list`);
	}
	const credential = await client.credential();
	const response = await client.request({
		operation: 'list knowledge bases',
		method: 'GET',
		url: `${difyBaseUrl(credential)}/datasets`,
		qs: { page, limit: DATASET_LIST_PAGE_SIZE, ...(request.filter ? { keyword: request.filter } : {}) },
	});
	const body = (response.body ?? {}) as { data?: unknown; has_more?: unknown };
	const entries: ListEntry[] = [];
	for (const entry of Array.isArray(body.data) ? (body.data as DifyDatasetEntry[]) : []) {
		if (typeof entry?.id !== 'string' || entry.id === '') continue;
		entries.push({
			id: entry.id,
			name: typeof entry.name === 'string' ? entry.name : '',
			// Status calls on such a dataset answer 403 "Dataset api access is not enabled."
			...(entry.enable_api === false ? { detail: 'API access disabled' } : {}),
			url: difyConsoleUrl(credential, entry.id),
		});
	}
	return { entries, nextToken: body.has_more === true && entries.length > 0 ? String(page + 1) : null };
}

/** The `methods.listSearch` of the Dify nodes. */
export const difyListSearch = {
	async searchDatasets(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		return await searchList(this, difySpec, listDatasets, filter, paginationToken);
	},
};

export const difyAdapter: StatusAdapter<DifyTarget> = {
	spec: difySpec,
	readTarget: readDifyTarget,
	async fetchStatuses(client, target, ids) {
		if (target.watch === 'batch') return await fetchBatch(client, target);
		return await fetchDocuments(client, target, ids ?? target.documentIds ?? []);
	},
	listPage: listDocumentsPage,
	// The pipeline stage and the segments done (the batch call counts them; the document calls
	// give only the stage and, once split, the segment count).
	progressSignature: (d) => [d.vendorStatus, d.completedSegments, d.totalSegments],
};
