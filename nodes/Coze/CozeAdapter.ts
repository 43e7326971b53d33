import type { ICredentialDataDecryptedObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { VendorClient, VendorRequest, VendorResponse } from '../shared/client';
import { newDocumentStatus } from '../shared/documents';
import { InputError, VendorRequestError } from '../shared/errors';
import { parseIdList } from '../shared/idList';
import { jsonObject } from '../shared/json';
import type { ListEntry, ListPage, ListRequest } from '../shared/listSearch';
import { searchList } from '../shared/listSearch';
import type { LocatorSpec } from '../shared/locator';
import { locatorValue } from '../shared/locator';
import { readParameter } from '../shared/parameters';
import { settle } from '../shared/settle';
import { isoFromUnixSeconds, toPercent } from '../shared/status';
import type { DocumentError, DocumentStatus, NormalizedStatus } from '../shared/types';
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

/** Everything the package knows about Coze's knowledge API wire format lives in this file. */

export type CozeWatch = 'documents' | 'dataset';

export interface CozeTarget extends WatchTarget {
	watch: CozeWatch;
	datasetId: string;
}

export const COZE_REGION_HOSTS: Readonly<Record<string, string>> = {
	cn: 'https://api.coze.cn',
	com: 'https://api.coze.com',
};

/**
 * Document ids per `/process` call. Coze documents no maximum; its sibling calls take at most 10
 * (create) and 100 (delete). 10 is the smallest documented limit of the family, so it is the
 * one least likely to hit an undocumented cap, and it is exactly what one create call returns:
 * the usual chain (create, then wait) costs one status call per round. A longer list costs one
 * call per 10 ids, sent one after the other to stay clear of Coze's unpublished rate limits.
 */
export const PROCESS_CHUNK_SIZE = 10;

/**
 * Documents asked for per document-list page. Coze documents `size` (default 10) with no
 * maximum; a server that caps a page lower is handled, because "more pages" is decided from
 * `total`, not from a full page.
 */
export const LIST_PAGE_SIZE = 100;

/**
 * Every value of `components/schemas/DocumentStatus` in Coze's OpenAPI spec (coze-dev's
 * published coze-openapi.yaml), used by both `/v1/datasets/{id}/process` and the document list.
 * The prose docs list only 0, 1 and 9.
 */
export const COZE_DOCUMENT_STATUSES: Readonly<Record<string, { name: string; status: NormalizedStatus }>> = {
	'0': { name: 'Processing', status: 'processing' },
	'1': { name: 'Enable', status: 'completed' },
	// Indexed, but switched off for retrieval: processing is over, and vendorStatus keeps the 2.
	'2': { name: 'Disable', status: 'completed' },
	'3': { name: 'Deleted', status: 'deleted' },
	// Segmented again after a change of its chunking rules: processing anew.
	'4': { name: 'Resegment', status: 'processing' },
	// A web page being fetched again by its update rule: processing anew.
	'5': { name: 'Refreshing', status: 'processing' },
	'9': { name: 'Failed', status: 'failed' },
	'1000': { name: 'AuditFailed', status: 'failed' },
};

/** Coze's `DocumentStatus` for a document that failed the content audit. */
const AUDIT_FAILED = '1000';

const DIGITS = /^\d+$/;

/** Knowledge bases per call of the editor's list (`page_size` is 1 to 300). */
export const DATASET_LIST_PAGE_SIZE = 50;
/** Spaces per call of `GET /v1/workspaces` (at most 50). */
export const SPACE_LIST_PAGE_SIZE = 50;
/** Calls one list request may make to skip spaces with nothing that matches. */
const MAX_DATASET_CALLS_PER_LIST = 5;
/** The most spaces the list reads (4 calls of 50). */
const MAX_SPACES = 200;

/** The web console of the public regions, where each knowledge base has a page. */
const COZE_CONSOLES: Readonly<Record<string, string>> = {
	cn: 'https://www.coze.cn',
	com: 'https://www.coze.com',
};

/**
 * How a knowledge base is picked in the editor. Its console page is
 * `https://www.coze.cn/space/<space ID>/knowledge/<dataset ID>` (coze.com likewise).
 */
export const cozeDatasetLocator: LocatorSpec = {
	label: 'Dataset ID',
	searchMethod: 'searchDatasets',
	searchable: true,
	url: {
		pattern: 'https?://[^\\s/]+(?:/[^\\s]*)?/knowledge/(\\d+)(?:[/?#][^\\s]*)?',
		shape: 'https://www.coze.cn/space/<space ID>/knowledge/<dataset ID> (or www.coze.com)',
		placeholder: 'e.g. https://www.coze.cn/space/7351234567890123456/knowledge/7442585813587681111',
	},
	id: {
		pattern: '\\s*\\d+\\s*',
		expected: 'a knowledge base ID: decimal digits, such as 7442585813587681111',
		placeholder: 'e.g. 7442585813587681111',
	},
};

export const cozeSpec: VendorSpec = {
	name: 'coze',
	displayName: 'Coze',
	credentialType: 'cozeApi',
	// Coze publishes no rate limit for the progress call, and rate-limit answers (4013) are
	// retried with backoff. Processing usually takes seconds to minutes, and while a document is
	// processing the engine waits as long as Coze's remaining_time says (up to 60 s), so a 5 s
	// default costs few calls. The 1 s floor serves short documents without hammering the API.
	pollInterval: { defaultSeconds: 5, minSeconds: 1 },
	secretFields: ['accessToken'],
	requestIdOf: cozeRequestId,
	inspectResponse: inspectCozeResponse,
};

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

interface CozeEnvelope {
	code?: unknown;
	msg?: unknown;
	detail?: { logid?: unknown };
}

interface ErrorClass {
	httpStatus?: number;
	code?: number;
	kind: FailureKind;
	retryable: boolean;
	hint?: string;
}

/**
 * The official SDK's order (@coze/api `APIError.generate`): each row matches the HTTP status or
 * the body code, the first match wins, and any other 5xx is a server error.
 */
const ERROR_CLASSES: ErrorClass[] = [
	{ httpStatus: 400, code: 4000, kind: 'invalid_request', retryable: false },
	{
		httpStatus: 401,
		code: 4100,
		kind: 'auth',
		retryable: false,
		hint: 'Check the access token of the Coze API credential: it may be mistyped, expired or revoked.',
	},
	{
		httpStatus: 403,
		code: 4101,
		kind: 'permission',
		retryable: false,
		hint: 'The token needs the readDocumentProgress permission (and, to watch a whole dataset, the permission to list knowledge files) and access to the knowledge base\'s space.',
	},
	{
		httpStatus: 404,
		code: 4200,
		kind: 'not_found',
		retryable: false,
		hint: 'Check the Dataset ID: it is the number after /knowledge/ in the knowledge base\'s URL. Volcano knowledge bases are not supported.',
	},
	{ httpStatus: 429, code: 4013, kind: 'rate_limit', retryable: true },
];

/** A number, or digits that the lossless parser kept as a string; null when neither. */
function numericCode(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
	return null;
}

function envelopeOf(body: unknown): CozeEnvelope | null {
	return jsonObject(body) as CozeEnvelope | null;
}

/** The log id Coze support asks for: `detail.logid` in the body, else the `x-tt-logid` header. */
export function cozeRequestId(response: RawResponse): string | null {
	const logid = envelopeOf(response.body)?.detail?.logid;
	if (typeof logid === 'string' && logid !== '') return logid;
	const header = response.headers['x-tt-logid'];
	const value = Array.isArray(header) ? header[0] : header;
	return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Coze answers `{code, msg, detail: {logid}}`, where `code` ≠ 0 is a failure, often inside an
 * HTTP 200. Answers without that envelope (a gateway's HTML page) are left to the engine's
 * generic handling, except 401 and 403, whose advice is Coze's own.
 */
export function inspectCozeResponse(response: RawResponse): VendorFailure | null {
	const { statusCode } = response;
	const envelope = envelopeOf(response.body);
	const code = envelope ? numericCode(envelope.code) : null;
	const success = statusCode >= 200 && statusCode < 300;
	if (success && (code === null || code === 0)) return null;

	const byStatus = ERROR_CLASSES.find((c) => c.httpStatus === statusCode);
	if (code === null && !(byStatus && (byStatus.kind === 'auth' || byStatus.kind === 'permission'))) {
		// Not Coze speaking (a proxy's or a wrong host's page): the engine reports the status
		// and an excerpt of the body. Auth answers stay here for the credential hints.
		return null;
	}
	const matched =
		byStatus ??
		ERROR_CLASSES.find((c) => c.code === code) ??
		(statusCode >= 500 ? { kind: 'server' as const, retryable: true } : undefined);

	const vendorMessage = typeof envelope?.msg === 'string' && envelope.msg.trim() !== '' ? envelope.msg.trim() : null;
	const requestId = cozeRequestId(response);
	const facts = [code !== null ? `code ${code}` : `HTTP ${statusCode}`];
	if (requestId) facts.push(`logid ${requestId}`);
	const said = vendorMessage ?? defaultMessage(matched?.kind ?? 'invalid_request', statusCode);
	return {
		kind: matched?.kind ?? 'invalid_request',
		retryable: matched?.retryable ?? false,
		httpStatus: statusCode,
		code: code !== null ? String(code) : null,
		message: `${said} (${facts.join(', ')})`,
		requestId,
		...(matched?.hint ? { hint: matched.hint } : {}),
	};
}

function defaultMessage(kind: FailureKind, statusCode: number): string {
	switch (kind) {
		case 'auth':
			return 'the access token was rejected';
		case 'permission':
			return 'permission denied';
		case 'not_found':
			return 'not found';
		case 'rate_limit':
			return 'too many requests';
		case 'server':
			return 'Coze had a server error';
		default:
			return `the request failed with HTTP ${statusCode}`;
	}
}

/**
 * A coze.cn token is unknown to coze.com and the other way round, and both answer such a token
 * with a plain authentication error. The credential's region tells which mix-up is likely.
 */
export function regionHint(region: unknown): string | null {
	if (region === 'cn') {
		return 'Region is China (api.coze.cn): a token created on coze.com only works with Region International (coze.com).';
	}
	if (region === 'com') {
		return 'Region is International (api.coze.com): a token created on coze.cn only works with Region China (coze.cn).';
	}
	return null;
}

/** Sends a call; an authentication failure on a public region gets the region hint. */
async function send(client: VendorClient, request: VendorRequest): Promise<VendorResponse> {
	const outcome = await client.tryRequest(request);
	if (!(outcome instanceof VendorRequestError)) return outcome;
	if (outcome.failure.kind === 'auth') {
		const hint = regionHint((await client.credential()).region);
		if (hint) {
			const combined = outcome.failure.hint ? `${outcome.failure.hint} ${hint}` : hint;
			throw new VendorRequestError(
				outcome.vendorName,
				outcome.operation,
				{ ...outcome.failure, hint: combined },
				outcome.attempts,
			);
		}
	}
	throw outcome;
}

/** The API root for the credential's region, without a trailing slash or /v1. */
export function cozeBaseUrl(credential: ICredentialDataDecryptedObject): string {
	const region = credential.region ?? 'cn';
	if (typeof region === 'string' && COZE_REGION_HOSTS[region]) return COZE_REGION_HOSTS[region];
	if (region !== 'custom') {
		throw new InputError(`Region "${String(region)}" of the Coze API credential is not supported: expected cn, com or custom`);
	}
	const baseUrl = String(credential.baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '')
		.replace(/\/v1$/, '');
	if (!/^https?:\/\/[^/\s]+/i.test(baseUrl)) {
		throw new InputError(
			`Base URL of the Coze API credential is "${baseUrl}": expected a full URL such as https://coze.example.com (used because Region is Custom)`,
		);
	}
	return baseUrl;
}

// ---------------------------------------------------------------------------------------------
// Statuses
// ---------------------------------------------------------------------------------------------

export function mapCozeStatus(status: unknown): NormalizedStatus {
	if (typeof status !== 'number' && typeof status !== 'string') return 'unknown';
	return COZE_DOCUMENT_STATUSES[String(status)]?.status ?? 'unknown';
}

/**
 * Ids as exact decimal strings. The client's parser already keeps integers beyond 2^53 as
 * strings; smaller ones arrive as numbers and are written out here.
 */
export function cozeId(value: unknown): string | null {
	if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
	if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
	if (typeof value === 'bigint') return value.toString();
	return null;
}

/** One `data.data[]` entry of `POST /v1/datasets/{id}/process`. */
export interface CozeProgressEntry {
	document_id?: unknown;
	document_name?: string;
	status?: number | string;
	progress?: number;
	remaining_time?: number;
	status_descript?: string;
	[field: string]: unknown;
}

/** One `document_infos[]` entry of `POST /open_api/knowledge/document/list`. */
export interface CozeListEntry {
	document_id?: unknown;
	name?: string;
	status?: number | string;
	status_descript?: string;
	update_time?: number;
	[field: string]: unknown;
}

function vendorStatusOf(status: unknown): string | null {
	return typeof status === 'number' || typeof status === 'string' ? String(status) : null;
}

function failureOf(status: NormalizedStatus, vendorStatus: string | null, descript: unknown): DocumentError | null {
	if (status !== 'failed') return null;
	const detail = typeof descript === 'string' && descript.trim() !== '' ? descript.trim() : null;
	if (vendorStatus === AUDIT_FAILED) {
		const message = 'The document failed Coze\'s content audit (status 1000 AuditFailed); Coze will not index it';
		return { code: vendorStatus, message: detail ? `${message}: ${detail}` : message };
	}
	return { code: vendorStatus, message: detail ?? 'Coze could not process the document; Coze suggests uploading it again' };
}

function seconds(value: unknown): number | null {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/** The fields both Coze calls share: id, status, name and failure. Null without a usable id. */
function fromCozeEntry(
	entry: { document_id?: unknown; status?: unknown; status_descript?: unknown },
	documentName: unknown,
	target: CozeTarget,
	requestId: string | null,
	extra: (status: NormalizedStatus) => Partial<DocumentStatus>,
): DocumentStatus | null {
	const documentId = cozeId(entry.document_id);
	if (documentId === null) return null;
	const status = mapCozeStatus(entry.status);
	const vendorStatus = vendorStatusOf(entry.status);
	return newDocumentStatus({
		vendor: 'coze',
		knowledgeBaseId: target.datasetId,
		documentId,
		documentName: typeof documentName === 'string' ? documentName : null,
		status,
		vendorStatus,
		error: failureOf(status, vendorStatus, entry.status_descript),
		requestId,
		raw: entry,
		...extra(status),
	});
}

export function fromProgressEntry(
	entry: CozeProgressEntry,
	target: CozeTarget,
	requestId: string | null,
): DocumentStatus | null {
	return fromCozeEntry(entry, entry.document_name, target, requestId, (status) => ({
		progress: toPercent(entry.progress) ?? (status === 'completed' ? 100 : null),
		remainingSeconds: seconds(entry.remaining_time),
	}));
}

/** The list gives status and name but no progress: only a finished document has a known figure. */
export function fromListEntry(entry: CozeListEntry, target: CozeTarget, requestId: string | null): DocumentStatus | null {
	return fromCozeEntry(entry, entry.name, target, requestId, (status) => ({
		progress: status === 'completed' ? 100 : null,
		updatedAt: isoFromUnixSeconds(entry.update_time),
	}));
}

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

function readDatasetId(ctx: NodeContext, itemIndex: number): string {
	const value = locatorValue(readParameter(ctx, 'datasetId', itemIndex, ''), cozeDatasetLocator);
	if (typeof value === 'number') {
		if (Number.isSafeInteger(value) && value >= 0) return String(value);
		throw new InputError(
			`Dataset ID is the number ${value}, which has lost digits: Coze IDs are 64-bit and must be passed as strings`,
		);
	}
	const datasetId = typeof value === 'string' ? value.trim() : '';
	if (datasetId === '') {
		throw new InputError('Dataset ID is empty: expected the knowledge base ID, the number after /knowledge/ in its URL');
	}
	if (!DIGITS.test(datasetId)) {
		throw new InputError(
			`Dataset ID "${datasetId}" is not a Coze knowledge base ID: expected decimal digits, e.g. 7442585813587681111 (the number after /knowledge/ in the knowledge base's URL)`,
		);
	}
	return datasetId;
}

function readDocumentIds(ctx: NodeContext, itemIndex: number): string[] {
	const value = readParameter(ctx, 'documentIds', itemIndex, '');
	if (isBlank(value)) {
		throw new InputError(
			'Document IDs is empty: expected at least one ID, as a comma- or newline-separated list or an array of strings. The default reads document_infos[].document_id from the output of Coze\'s create-document call; map the IDs here when the input looks different.',
		);
	}
	const ids = parseIdList(value, 'Document IDs');
	const invalid = ids.find((id) => !DIGITS.test(id));
	if (invalid !== undefined) {
		throw new InputError(
			`Document IDs contains "${invalid}", which is not a Coze document ID: expected decimal digits, e.g. 7442585813587681111`,
		);
	}
	return ids;
}

function isBlank(value: unknown): boolean {
	if (value === undefined || value === null) return true;
	if (typeof value === 'string') return value.replace(/[,\s]/g, '') === '';
	return Array.isArray(value) && value.every((entry) => typeof entry === 'string' && isBlank(entry));
}

export function readCozeTarget(ctx: NodeContext, itemIndex: number): CozeTarget {
	const datasetId = readDatasetId(ctx, itemIndex);
	// The action node has no Watch parameter: it always watches document IDs.
	const watch = readParameter(ctx, 'watch', itemIndex, 'documents');
	const base = { datasetId, knowledgeBaseId: datasetId, jobId: null };
	switch (watch) {
		case 'documents':
			return {
				...base,
				watch,
				documentIds: readDocumentIds(ctx, itemIndex),
				wholeKnowledgeBase: false,
				scopeKey: `documents:${datasetId}`,
			};
		case 'dataset':
			return { ...base, watch, documentIds: null, wholeKnowledgeBase: true, scopeKey: `dataset:${datasetId}` };
		default:
			throw new InputError(`Watch is "${String(watch)}": expected "documents" or "dataset"`);
	}
}

// ---------------------------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------------------------

async function fetchDocuments(client: VendorClient, target: CozeTarget, ids: string[]): Promise<DocumentStatus[]> {
	const url = `${cozeBaseUrl(await client.credential())}/v1/datasets/${encodeURIComponent(target.datasetId)}/process`;
	const documents: DocumentStatus[] = [];
	for (let start = 0; start < ids.length; start += PROCESS_CHUNK_SIZE) {
		const response = await send(client, {
			operation: 'document progress',
			method: 'POST',
			url,
			// Ids go out as strings: a JSON number would lose the digits beyond 2^53.
			body: { document_ids: ids.slice(start, start + PROCESS_CHUNK_SIZE) },
		});
		const entries = (response.body as { data?: { data?: CozeProgressEntry[] | null } | null }).data?.data ?? [];
		for (const entry of entries) {
			const document = fromProgressEntry(entry, target, response.requestId);
			if (document) documents.push(document);
		}
	}
	return documents;
}

/**
 * The `page` to send for the engine's page `page` (from 1). Coze's cloud API counts document-list
 * pages from 1. The open-source Coze Studio, which users reach with Region = Custom, computes
 * `offset = page * size` (coze-dev/coze-studio, backend/application/knowledge/knowledge.go,
 * `ListDocument`), so there pages count from 0; sending 1 first would skip the first page.
 */
function wirePage(credential: ICredentialDataDecryptedObject, page: number): number {
	return credential.region === 'custom' ? page - 1 : page;
}

/**
 * Whether a further page may hold documents. `total` decides: a page shorter than asked for does
 * not mean the end when the server caps `size` lower than 100, and a full last page does not
 * mean more. A short page that exactly completes the total is the last one. Any other short
 * page comes from a server that caps pages; it is assumed to count its offset in its own page
 * size, so `page` pages of `entries` cover `page * entries` documents (at the end of such a
 * listing, one empty page is read).
 */
function listHasMore(page: number, entries: number, total: number | null): boolean {
	if (entries === 0) return false;
	if (entries >= LIST_PAGE_SIZE) return total === null || page * LIST_PAGE_SIZE < total;
	if (total === null || (page - 1) * LIST_PAGE_SIZE + entries === total) return false;
	return page * entries < total;
}

/** One page of the dataset's documents, as the knowledge console lists them. */
export async function listDocumentsPage(client: VendorClient, target: CozeTarget, page: number): Promise<ListingPage> {
	const credential = await client.credential();
	const response = await send(client, {
		operation: 'list documents',
		method: 'POST',
		url: `${cozeBaseUrl(credential)}/open_api/knowledge/document/list`,
		// Without this header the gateway writes int64 ids as bare JSON numbers.
		headers: { 'Agw-Js-Conv': 'str' },
		body: { dataset_id: target.datasetId, page: wirePage(credential, page), size: LIST_PAGE_SIZE },
	});
	const body = response.body as { document_infos?: CozeListEntry[] | null; total?: unknown };
	const entries = body.document_infos ?? [];
	const documents: DocumentStatus[] = [];
	for (const entry of entries) {
		const document = fromListEntry(entry, target, response.requestId);
		if (document) documents.push(document);
	}
	return { documents, hasMore: listHasMore(page, entries.length, numericCode(body.total)) };
}

// ---------------------------------------------------------------------------------------------
// The knowledge base list (the editor's From List mode)
// ---------------------------------------------------------------------------------------------

interface CozeSpace {
	id: string;
	name: string;
}

/** Every space the token can see (`GET /v1/workspaces`), personal space first. */
async function listSpaces(client: VendorClient, base: string): Promise<CozeSpace[]> {
	const spaces: CozeSpace[] = [];
	for (let page = 1; spaces.length < MAX_SPACES; page++) {
		const response = await send(client, {
			operation: 'list spaces',
			method: 'GET',
			url: `${base}/v1/workspaces`,
			qs: { page_num: page, page_size: SPACE_LIST_PAGE_SIZE },
		});
		const data = (response.body as { data?: { workspaces?: unknown; total_count?: unknown } | null }).data ?? {};
		const entries = Array.isArray(data.workspaces) ? (data.workspaces as Array<{ id?: unknown; name?: unknown }>) : [];
		for (const entry of entries) {
			const id = cozeId(entry?.id);
			if (id !== null) spaces.push({ id, name: typeof entry.name === 'string' ? entry.name : id });
		}
		const total = numericCode(data.total_count);
		if (entries.length < SPACE_LIST_PAGE_SIZE || (total !== null && spaces.length >= total)) break;
	}
	return spaces;
}

/** `<space ID>:<page>`, where the next list request goes on. */
function parseListToken(token: string | undefined): { spaceId: string | null; page: number } {
	if (token === undefined) return { spaceId: null, page: 1 };
	const match = /^(\d+):(\d+)$/.exec(token);
	if (!match) throw new InputError(`The list's page token "${token}" is not one this node wrote: reload the list`);
	return { spaceId: match[1], page: Number(match[2]) };
}

/**
 * One page of the knowledge bases the token can see. Coze lists knowledge bases per space
 * (`GET /v1/datasets?space_id=…`, filtered by Coze on the name), so the list reads the token's
 * spaces (`GET /v1/workspaces`) and goes through them in turn; with more than one space, each
 * entry names its space. The token says which space and page come next.
 */
export async function listDatasets(client: VendorClient, request: ListRequest): Promise<ListPage> {
	const credential = await client.credential();
	const base = cozeBaseUrl(credential);
	const spaces = await listSpaces(client, base);
	const position = parseListToken(request.token);
	let spaceIndex = position.spaceId === null ? 0 : spaces.findIndex((space) => space.id === position.spaceId);
	if (spaceIndex < 0) throw new InputError('The space the list was reading is gone: reload the list');
	let page = position.page;
	const entries: ListEntry[] = [];
	for (let calls = 0; spaceIndex < spaces.length && calls < MAX_DATASET_CALLS_PER_LIST; calls++) {
		const space = spaces[spaceIndex];
		const response = await send(client, {
			operation: 'list knowledge bases',
			method: 'GET',
			url: `${base}/v1/datasets`,
			qs: {
				space_id: space.id,
				page_num: page,
				page_size: DATASET_LIST_PAGE_SIZE,
				...(request.filter ? { name: request.filter } : {}),
			},
		});
		const data = (response.body as { data?: { dataset_list?: unknown; total_count?: unknown } | null }).data ?? {};
		const list = Array.isArray(data.dataset_list) ? (data.dataset_list as Array<{ dataset_id?: unknown; name?: unknown }>) : [];
		for (const dataset of list) {
			const id = cozeId(dataset?.dataset_id);
			if (id === null) continue;
			entries.push({
				id,
				name: typeof dataset.name === 'string' ? dataset.name : '',
				...(spaces.length > 1 ? { detail: `space ${space.name}` } : {}),
				url: cozeConsoleUrl(credential, space.id, id),
			});
		}
		const total = numericCode(data.total_count);
		const morePages = list.length === DATASET_LIST_PAGE_SIZE && (total === null || page * DATASET_LIST_PAGE_SIZE < total);
		if (morePages) {
			page += 1;
		} else {
			spaceIndex += 1;
			page = 1;
		}
		// A space with nothing to show is skipped at once, so that the dropdown is not left empty.
		if (entries.length > 0) break;
	}
	const nextToken = spaceIndex < spaces.length ? `${spaces[spaceIndex].id}:${page}` : null;
	return { entries, nextToken };
}

/** A knowledge base's page in the console of coze.cn or coze.com; none for a custom endpoint. */
export function cozeConsoleUrl(credential: ICredentialDataDecryptedObject, spaceId: string, datasetId: string): string | undefined {
	const root = COZE_CONSOLES[String(credential.region ?? 'cn')];
	return root ? `${root}/space/${encodeURIComponent(spaceId)}/knowledge/${encodeURIComponent(datasetId)}` : undefined;
}

const LIST_PERMISSION_HINT =
	'To fill the list, the token needs the permissions to list workspaces and knowledge bases, and access to their space. Without them, enter the ID with By ID.';

/** A permission failure of a list call says what listing needs, not what status calls need. */
async function withListHint(list: Promise<ListPage>): Promise<ListPage> {
	const outcome = await settle(list);
	if (outcome.ok) return outcome.value;
	const { error } = outcome;
	if (error instanceof VendorRequestError && error.failure.kind === 'permission') {
		throw new VendorRequestError(error.vendorName, error.operation, { ...error.failure, hint: LIST_PERMISSION_HINT }, error.attempts);
	}
	throw error;
}

/** The `methods.listSearch` of the Coze nodes. */
export const cozeListSearch = {
	async searchDatasets(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		return await searchList(this, cozeSpec, async (client, request) => await withListHint(listDatasets(client, request)), filter, paginationToken);
	},
};

export const cozeAdapter: StatusAdapter<CozeTarget> = {
	spec: cozeSpec,
	readTarget: readCozeTarget,
	async fetchStatuses(client, target, ids) {
		return await fetchDocuments(client, target, ids ?? target.documentIds ?? []);
	},
	idsPerCall: PROCESS_CHUNK_SIZE,
	listPage: listDocumentsPage,
	// The status code and the percentage. Not remaining_time: Coze's estimate can move while
	// nothing else does.
	progressSignature: (d) => [d.vendorStatus, d.progress],
};
