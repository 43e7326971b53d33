/**
 * Simulated Alibaba Cloud Model Studio (Bailian) knowledge-base API, version 2023-12-29 (`/bailian/...`).
 *
 * Endpoints (ROA style; GET unless said otherwise):
 * - `/{WorkspaceId}/index/job/status?IndexId&JobId&PageNumber&pageSize` (GetIndexJobStatus; the
 *   page size really is `pageSize`, lower-case p; `PageSize` is ignored, as Bailian ignores
 *   unknown parameters, and the page then has the default 10 documents);
 * - `/{WorkspaceId}/index/list_index_documents?IndexId&PageNumber&PageSize[&DocumentName]`
 *   (ListIndexDocuments, newest import first, with TotalCount; DocumentName keeps the documents
 *   whose name contains it);
 * - `/{WorkspaceId}/index/list_indices?IndexName&PageNumber&PageSize` (ListIndices: the credential
 *   test and the editor's list of knowledge bases). Bailian's docs say only that `IndexName`
 *   queries by name; the simulator matches it as a case-insensitive substring. `PageSize` has no
 *   maximum; a page number or size that is not a positive integer is `Index.InvalidParameter`.
 * - POST `/{WorkspaceId}/index/add_documents_to_index?IndexId&SourceType=DATA_CENTER_FILE&DocumentIds`
 *   (SubmitIndexAddDocumentsJob over files registered with `addFile`; DocumentIds is a JSON array).
 *
 * What the gateway checks first, with the gateway's envelope `{RequestId, HostId, Code, Message,
 * Recommend}`:
 * - the ACS3-HMAC-SHA256 signature, recomputed with Alibaba's own @alicloud/openapi-util from the
 *   request as received (path, decoded query, the headers the client says it signed, body hash):
 *   a mismatch is HTTP 400 `SignatureDoesNotMatch`; an unknown key HTTP 404
 *   `InvalidAccessKeyId.NotFound`; every `x-acs-*` header and `host` must be signed;
 * - `x-acs-date` within 15 minutes of the wall clock (the client signs with real time),
 *   `x-acs-signature-nonce` never seen before, `x-acs-version` 2023-12-29, `x-acs-action`
 *   matching the path, `x-acs-content-sha256` the hash of the body;
 * - STS keys (`STS.` …) need `x-acs-security-token`: missing `MissingSecurityToken`, another key's
 *   `InvalidSecurityToken.MismatchWithAccessKey`, past its expiry `InvalidSecurityToken.Expired`;
 * - GetIndexJobStatus more often than once per `minStatusIntervalMs` (5 s) for one job:
 *   HTTP 400 `Throttling.User` with `x-acs-retry-after` in milliseconds (the SDK's unit); a
 *   throttled call does not restart the window.
 *
 * Bailian's own answers use `{RequestId, Code, Message, Status, Success, Data}`; failures are
 * `Success: false` with a code (`Index.Forbidden` 403, `Index.InvalidParameter` 400), and errors
 * queued with `returnErrorOnce` may come inside an HTTP 200, as Bailian's do.
 *
 * Jobs and documents move with the simulator's clock (virtual in tests, moved by the engine's
 * sleeps; real in the demo): a job is PENDING for `pendingMs`, then RUNNING; each document shows
 * up `appearAfterMs` later as RUNNING and ends `runMs` after that as FINISH or INSERT_ERROR; the
 * job is COMPLETED (even with failed documents) or FAILED once every document has ended.
 */

import { createHash } from 'node:crypto';

import OpenApiUtil from '@alicloud/openapi-util';
import type * as $tea from '@alicloud/tea-typescript';

import type { VendorEnvironment, VendorModule, VendorRequest, VendorResponse } from './index';
import type { JsonValue } from './json';

export const BAILIAN_API_VERSION = '2023-12-29';
const ALGORITHM = 'ACS3-HMAC-SHA256';
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

export interface BailianDocumentInput {
	name: string;
	/** `file_…`; generated when omitted. */
	id?: string;
	/** After the job starts running, when the document shows up (default 0). */
	appearAfterMs?: number;
	/** How long it shows RUNNING (default 10 s). */
	runMs?: number;
	/** How it ends (default FINISH). */
	result?: 'FINISH' | 'INSERT_ERROR';
	/** Code and Message of an INSERT_ERROR (default Index.Document.ChunkError). */
	error?: { code: string; message: string };
	/** `DocumentType` in the index listing (default pdf). */
	type?: string;
}

export interface BailianJobInput {
	documents: BailianDocumentInput[];
	/** How long the job is PENDING before it runs (default 0). */
	pendingMs?: number;
	/** End as FAILED instead of COMPLETED. */
	fail?: boolean;
	/** 32 hex digits; generated when omitted. */
	id?: string;
	/**
	 * Start the job's timeline at its first GetIndexJobStatus call instead of now, as if it were
	 * submitted just before (for runs that reach the job long after the simulator started).
	 */
	startsOnFirstCall?: boolean;
}

export interface BailianStsCredentials {
	accessKeyId: string;
	accessKeySecret: string;
	securityToken: string;
	/** Simulator-clock time after which the token is expired. */
	expiresAt: number;
}

/** One status call as the simulator saw it, at simulator-clock time. */
export interface BailianStatusCall {
	jobId: string;
	pageNumber: number;
	pageSize: number;
	at: number;
	/** `ok`, or the code of the error answered. */
	outcome: string;
}

export interface BailianQueuedError {
	code: string;
	message: string;
	/** Default 200: Bailian's own failures often come inside an HTTP 200. */
	httpStatus?: number;
	retryAfterMs?: number;
	action?: string;
}

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

interface SimDocument {
	id: string;
	name: string;
	type: string;
	size: number;
	indexId: string;
	/** Simulator time the document shows up, starts its last run (a re-index starts another), and ends. */
	appearsAt: number;
	runningSince: number;
	endsAt: number;
	result: 'FINISH' | 'INSERT_ERROR';
	error: { code: string; message: string };
	deletedAt: number | null;
	/** Order of import, for the newest-first listing. */
	seq: number;
}

interface SimJob {
	id: string;
	indexId: string;
	startsAt: number;
	fail: boolean;
	documents: SimDocument[];
	submittedAt: number;
	/** Waiting for its first status call to start (see `startsOnFirstCall`). */
	dormant: boolean;
}

interface SimIndex {
	id: string;
	name: string;
	workspaceId: string;
	documents: SimDocument[];
}

interface SimKey {
	secret: string;
	sts?: { token: string; expiresAt: number };
	/** Workspaces the key may use; undefined: all. */
	workspaces?: Set<string>;
}

type DocStatus = 'RUNNING' | 'FINISH' | 'INSERT_ERROR' | 'DELETED';

// ---------------------------------------------------------------------------------------------
// The vendor module
// ---------------------------------------------------------------------------------------------

export class BailianSimulator implements VendorModule {
	readonly name = 'bailian';
	readonly prefix = '/bailian';
	/** Endpoint to put in the credential (Region Custom). */
	readonly endpoint: string;

	/** Shortest gap between two GetIndexJobStatus calls of one job before `Throttling.User`. */
	minStatusIntervalMs = 5000;
	/**
	 * What a success carries besides `Success: true`: `empty` (`Code: ""`, `Message: ""`) or
	 * `word` (`Code: "Success"`, `Message: "success"`, as Alibaba's newer knowledge-base API
	 * answers). No official example settles which one the 2023-12-29 API sends.
	 */
	successCode: 'empty' | 'word' = 'empty';
	/** Every status call, throttled ones included, in arrival order. */
	readonly statusCalls: BailianStatusCall[] = [];

	private readonly keys = new Map<string, SimKey>();
	private readonly workspaces = new Set<string>();
	private readonly indices = new Map<string, SimIndex>();
	private readonly jobs = new Map<string, SimJob>();
	private readonly nonces = new Set<string>();
	private readonly lastStatusCall = new Map<string, number>();
	private readonly queuedErrors: BailianQueuedError[] = [];
	private readonly files = new Map<string, string>();
	private nextSeq = 1;
	/** How jobs that SubmitIndexAddDocumentsJob starts run: pending, then each document running this long. */
	submittedJobTiming = { pendingMs: 2000, runMs: 10_000 };

	constructor(private readonly env: VendorEnvironment) {
		this.endpoint = env.baseUrl;
	}

	// ----- control API ------------------------------------------------------------------------

	/** A permanent AccessKey pair; `workspaces` limits what it may read (default: everything). */
	addAccessKey(accessKeyId: string, secret: string, workspaces?: string[]): void {
		this.keys.set(accessKeyId, { secret, workspaces: workspaces ? new Set(workspaces) : undefined });
	}

	/** Temporary STS credentials: the key id starts with `STS.` and needs its token. */
	addStsCredentials(credentials: BailianStsCredentials): void {
		if (!credentials.accessKeyId.startsWith('STS.')) throw new Error('STS access key ids start with STS.');
		this.keys.set(credentials.accessKeyId, {
			secret: credentials.accessKeySecret,
			sts: { token: credentials.securityToken, expiresAt: credentials.expiresAt },
		});
	}

	addWorkspace(id?: string): string {
		const workspaceId = id ?? `llm-${this.alnum(16)}`;
		this.workspaces.add(workspaceId);
		return workspaceId;
	}

	addIndex(workspaceId: string, options: { id?: string; name?: string } = {}): string {
		if (!this.workspaces.has(workspaceId)) throw new Error(`Unknown Bailian workspace ${workspaceId}`);
		const id = options.id ?? this.alnum(10);
		if (this.indices.has(id)) throw new Error(`Index ${id} already exists`);
		this.indices.set(id, { id, name: options.name ?? `Knowledge ${this.indices.size + 1}`, workspaceId, documents: [] });
		return id;
	}

	/** What SubmitIndexAddDocumentsJob does: a job that starts now. Returns the job id. */
	submitJob(indexId: string, input: BailianJobInput): string {
		const index = this.requireIndex(indexId);
		const id = input.id ?? this.hex(32);
		if (this.jobs.has(id)) throw new Error(`Job ${id} already exists`);
		const startsAt = this.env.clock.now() + (input.pendingMs ?? 0);
		const documents = input.documents.map((doc) => {
			const appearsAt = startsAt + (doc.appearAfterMs ?? 0);
			const simDoc: SimDocument = {
				id: doc.id ?? `file_${this.hex(32)}_${this.env.random.int(10000000, 99999999)}`,
				name: doc.name,
				type: doc.type ?? 'pdf',
				size: this.env.random.int(1000, 900000),
				indexId,
				appearsAt,
				runningSince: appearsAt,
				endsAt: appearsAt + (doc.runMs ?? 10_000),
				result: doc.result ?? 'FINISH',
				error: doc.error ?? { code: 'Index.Document.ChunkError', message: 'document parse error' },
				deletedAt: null,
				seq: this.nextSeq++,
			};
			index.documents.push(simDoc);
			return simDoc;
		});
		this.jobs.set(id, { id, indexId, startsAt, fail: input.fail ?? false, documents, submittedAt: this.env.clock.now(), dormant: input.startsOnFirstCall ?? false });
		return id;
	}

	/**
	 * A file in the workspace's data center (what AddFile leaves behind), which
	 * SubmitIndexAddDocumentsJob can add to an index. Returns its FileId.
	 */
	addFile(name: string): string {
		const id = `file_${this.hex(32)}_${this.env.random.int(10000000, 99999999)}`;
		this.files.set(id, name);
		return id;
	}

	/** Documents already in the index, finished before now (an index's history). */
	addFinishedDocuments(indexId: string, names: string[]): string[] {
		const ago = this.env.clock.now() - 60_000;
		const job = this.submitJob(indexId, { documents: names.map((name) => ({ name, runMs: 0 })) });
		for (const doc of this.requireJob(job).documents) {
			doc.appearsAt = ago;
			doc.runningSince = ago;
			doc.endsAt = ago;
		}
		return this.requireJob(job).documents.map((doc) => doc.id);
	}

	deleteDocument(documentId: string): void {
		this.findDocument(documentId).deletedAt = this.env.clock.now();
	}

	private findDocument(documentId: string): SimDocument {
		for (const index of this.indices.values()) {
			const doc = index.documents.find((d) => d.id === documentId);
			if (doc) return doc;
		}
		throw new Error(`Unknown Bailian document ${documentId}`);
	}

	/** Indexes a document again: RUNNING from now for `runMs`, then it ends with `result`. */
	reindexDocument(documentId: string, runMs: number, result?: 'FINISH' | 'INSERT_ERROR'): void {
		const doc = this.findDocument(documentId);
		const now = this.env.clock.now();
		doc.runningSince = now;
		doc.endsAt = now + runMs;
		doc.deletedAt = null;
		if (result) doc.result = result;
	}

	/**
	 * Ends a running document now, as FINISH or INSERT_ERROR, whatever its `runMs` said: for a
	 * caller that decides when documents finish (the end-to-end trigger check does, between
	 * restarts of n8n). Its job completes when its last document has ended.
	 */
	endDocument(documentId: string, result: 'FINISH' | 'INSERT_ERROR' = 'FINISH'): void {
		const now = this.env.clock.now();
		for (const index of this.indices.values()) {
			const doc = index.documents.find((d) => d.id === documentId);
			if (!doc) continue;
			if (now >= doc.endsAt) throw new Error(`Bailian document ${documentId} has already ended`);
			doc.appearsAt = Math.min(doc.appearsAt, now);
			doc.endsAt = now;
			doc.result = result;
			return;
		}
		throw new Error(`Unknown Bailian document ${documentId}`);
	}

	documentIds(jobId: string): string[] {
		return this.requireJob(jobId).documents.map((doc) => doc.id);
	}

	/**
	 * The next signed request (that passes the gateway's checks) answers this error instead:
	 * by default `Success: false` inside an HTTP 200, as Bailian's own failures often come.
	 */
	returnErrorOnce(error: BailianQueuedError): void {
		this.queuedErrors.push(error);
	}

	/** The job's status now, without a call. */
	jobStatus(jobId: string): string {
		return this.jobStatusAt(this.requireJob(jobId), this.env.clock.now());
	}

	// ----- VendorModule -----------------------------------------------------------------------

	errorResponse(status: number): VendorResponse {
		const code = status === 429 ? 'Throttling' : status >= 500 ? 'InternalError' : status === 404 ? 'InvalidAction.NotFound' : 'InvalidParameter';
		return this.gatewayError(status, code, `The request failed with HTTP ${status}.`);
	}

	commonHeaders(): Record<string, string> {
		return { 'x-acs-request-id': this.requestId() };
	}

	handle(request: VendorRequest): VendorResponse {
		const match = /^\/([^/]+)\/index\/(job\/status|list_index_documents|list_indices|add_documents_to_index)$/.exec(request.path);
		const route = match ? ROUTES[match[2]] : undefined;
		if (!match || !route || request.method !== route.method) {
			return this.gatewayError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
		}

		const denied = this.authenticate(request, route.action);
		if (denied) return denied;
		const accessKeyId = this.accessKeyIdOf(request) as string;

		let workspaceId: string;
		try {
			workspaceId = decodeURIComponent(match[1]);
		} catch {
			return this.fail(400, 'Index.InvalidParameter', 'The workspace ID is malformed.');
		}
		const key = this.keys.get(accessKeyId) as SimKey;
		if (!this.workspaces.has(workspaceId) || (key.workspaces && !key.workspaces.has(workspaceId))) {
			return this.fail(403, 'Index.Forbidden', 'User not authorized to operate on the specified resource.');
		}

		const queued = this.queuedErrors.findIndex((e) => e.action === undefined || e.action === route.action);
		if (queued >= 0) {
			const [error] = this.queuedErrors.splice(queued, 1);
			if (route.action === 'GetIndexJobStatus') this.logStatusCall(request, error.code);
			const httpStatus = error.httpStatus ?? 200;
			const response = /Throttling/.test(error.code)
				? this.gatewayError(httpStatus, error.code, error.message)
				: this.fail(httpStatus, error.code, error.message);
			if (error.retryAfterMs !== undefined) {
				response.headers = { ...response.headers, 'x-acs-retry-after': String(error.retryAfterMs) };
			}
			return response;
		}

		switch (route.action) {
			case 'GetIndexJobStatus':
				return this.getIndexJobStatus(workspaceId, request);
			case 'ListIndexDocuments':
				return this.listIndexDocuments(workspaceId, request.query);
			case 'SubmitIndexAddDocumentsJob':
				return this.submitIndexAddDocumentsJob(workspaceId, request.query);
			default:
				return this.listIndices(workspaceId, request.query);
		}
	}

	// ----- the gateway ------------------------------------------------------------------------

	private accessKeyIdOf(request: VendorRequest): string | null {
		const match = /^ACS3-HMAC-SHA256 Credential=([^,]+),/.exec(headerValue(request, 'authorization') ?? '');
		return match ? match[1] : null;
	}

	/** Null when the request is properly signed; else the gateway's answer. */
	private authenticate(request: VendorRequest, action: string): VendorResponse | null {
		const authorization = headerValue(request, 'authorization');
		if (authorization === undefined) {
			return this.gatewayError(400, 'MissingAuthorization', 'Authorization is mandatory for this action.');
		}
		const parsed = /^(\S+) Credential=([^,]+),SignedHeaders=([^,]*),Signature=([0-9a-f]{64})$/.exec(authorization);
		if (!parsed || parsed[1] !== ALGORITHM) {
			return this.gatewayError(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
		}
		const [, , accessKeyId, signedHeaderList, signature] = parsed;
		const signedHeaders = signedHeaderList.split(';');

		for (const name of Object.keys(request.headers)) {
			if ((name === 'host' || name.startsWith('x-acs-')) && !signedHeaders.includes(name)) {
				return this.gatewayError(400, 'IncompleteSignature', `The header ${name} must be signed.`);
			}
		}
		for (const name of ['x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256']) {
			if (headerValue(request, name) === undefined) {
				return this.gatewayError(400, 'MissingParameter', `The header ${name} is mandatory for this action.`);
			}
		}
		if (headerValue(request, 'x-acs-version') !== BAILIAN_API_VERSION) {
			return this.gatewayError(400, 'InvalidVersion', 'Specified parameter Version is not valid.');
		}
		if (headerValue(request, 'x-acs-action') !== action) {
			return this.gatewayError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
		}
		const date = headerValue(request, 'x-acs-date') as string;
		if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(date)) {
			return this.gatewayError(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
		}
		if (Math.abs(Date.parse(date) - Date.now()) > MAX_CLOCK_SKEW_MS) {
			return this.gatewayError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
		}
		if (headerValue(request, 'x-acs-content-sha256') !== createHash('sha256').update(request.body, 'utf8').digest('hex')) {
			return this.gatewayError(400, 'InvalidParameter.ContentSHA256', 'The x-acs-content-sha256 header does not match the body.');
		}

		const key = this.keys.get(accessKeyId);
		if (!key) return this.gatewayError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');

		const nonce = headerValue(request, 'x-acs-signature-nonce') as string;
		const expected = OpenApiUtil.getAuthorization(
			{
				method: request.method,
				pathname: `${this.prefix}${request.path}`,
				query: Object.fromEntries(request.query),
				headers: Object.fromEntries(signedHeaders.map((name) => [name, headerValue(request, name) ?? ''])),
			} as unknown as $tea.Request,
			ALGORITHM,
			headerValue(request, 'x-acs-content-sha256') as string,
			accessKeyId,
			key.secret,
		);
		if (!expected.endsWith(`Signature=${signature}`)) {
			return this.gatewayError(
				400,
				'SignatureDoesNotMatch',
				'Specified signature is not matched with our calculation.',
			);
		}
		if (this.nonces.has(nonce)) {
			return this.gatewayError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
		}
		this.nonces.add(nonce);

		if (key.sts) {
			const token = headerValue(request, 'x-acs-security-token');
			if (token === undefined) return this.gatewayError(400, 'MissingSecurityToken', 'SecurityToken is mandatory for this action.');
			if (token !== key.sts.token) {
				return this.gatewayError(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
			}
			if (this.env.clock.now() >= key.sts.expiresAt) {
				return this.gatewayError(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
			}
		}
		return null;
	}

	// ----- endpoints --------------------------------------------------------------------------

	private getIndexJobStatus(workspaceId: string, request: VendorRequest): VendorResponse {
		const { query } = request;
		const indexId = query.get('IndexId');
		const jobId = query.get('JobId');
		if (!indexId) return this.fail(400, 'Index.InvalidParameter', 'Required parameter(IndexId) missing or invalid.');
		if (!jobId) return this.fail(400, 'Index.InvalidParameter', 'Required parameter(JobId) missing or invalid.');
		const pageNumber = positiveInt(query.get('PageNumber'), 1);
		// Only the lower-case spelling counts; `PageSize` is not a parameter of this API.
		const pageSize = positiveInt(query.get('pageSize'), 10);
		if (pageNumber === null || pageSize === null) {
			return this.fail(400, 'Index.InvalidParameter', 'PageNumber and pageSize must be positive integers.');
		}

		const now = this.env.clock.now();
		const last = this.lastStatusCall.get(jobId);
		if (last !== undefined && now - last < this.minStatusIntervalMs) {
			this.statusCalls.push({ jobId, pageNumber, pageSize, at: now, outcome: 'Throttling.User' });
			const response = this.gatewayError(400, 'Throttling.User', 'Request was denied due to user flow control.');
			response.headers = { ...response.headers, 'x-acs-retry-after': String(last + this.minStatusIntervalMs - now) };
			return response;
		}
		this.lastStatusCall.set(jobId, now);
		this.statusCalls.push({ jobId, pageNumber, pageSize, at: now, outcome: 'ok' });

		const index = this.indices.get(indexId);
		const job = this.jobs.get(jobId);
		if (!index || index.workspaceId !== workspaceId) {
			return this.fail(400, 'Index.InvalidParameter', `The index ${indexId} does not exist in this workspace.`);
		}
		if (!job || job.indexId !== indexId) {
			return this.fail(400, 'Index.InvalidParameter', `The job ${jobId} does not exist for index ${indexId}.`);
		}

		if (job.dormant) {
			// Submitted "just now": the whole timeline moves to this call.
			const shift = now - job.submittedAt;
			job.dormant = false;
			job.startsAt += shift;
			for (const doc of job.documents) {
				doc.appearsAt += shift;
				doc.runningSince += shift;
				doc.endsAt += shift;
			}
		}
		const listed = job.documents.filter((doc) => doc.appearsAt <= now);
		const page = listed.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
		return this.ok({
			JobId: job.id,
			Status: this.jobStatusAt(job, now),
			Documents: page.map((doc) => {
				const status = docStatusAt(doc, now);
				const failed = status === 'INSERT_ERROR';
				return {
					DocId: doc.id,
					DocName: doc.name,
					Status: status,
					Code: failed ? doc.error.code : '',
					Message: failed ? doc.error.message : '',
					GmtModified: modifiedAt(doc, now),
				};
			}),
		});
	}

	private listIndexDocuments(workspaceId: string, query: URLSearchParams): VendorResponse {
		const indexId = query.get('IndexId');
		if (!indexId) return this.fail(400, 'Index.InvalidParameter', 'Required parameter(IndexId) missing or invalid.');
		const pageNumber = positiveInt(query.get('PageNumber'), 1);
		const pageSize = positiveInt(query.get('PageSize'), 10);
		if (pageNumber === null || pageSize === null) {
			return this.fail(400, 'Index.InvalidParameter', 'PageNumber and PageSize must be positive integers.');
		}
		const index = this.indices.get(indexId);
		if (!index || index.workspaceId !== workspaceId) {
			return this.fail(400, 'Index.InvalidParameter', `The index ${indexId} does not exist in this workspace.`);
		}
		const now = this.env.clock.now();
		// DocumentName narrows the listing to the documents whose name contains it (Bailian's
		// per-document check, when no job is at hand).
		const name = query.get('DocumentName');
		const listed = index.documents
			.filter((doc) => doc.appearsAt <= now && (!name || doc.name.includes(name)))
			.sort((a, b) => b.appearsAt - a.appearsAt || b.seq - a.seq);
		const page = listed.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
		return this.ok({
			IndexId: index.id,
			PageNumber: pageNumber,
			PageSize: pageSize,
			TotalCount: listed.length,
			Documents: page.map((doc) => {
				const status = docStatusAt(doc, now);
				const failed = status === 'INSERT_ERROR';
				return {
					Id: doc.id,
					Name: doc.name,
					Status: status,
					Code: failed ? doc.error.code : '',
					Message: failed ? doc.error.message : '',
					DocumentType: doc.type,
					Size: doc.size,
					SourceId: `cate_${doc.indexId}`,
					GmtModified: modifiedAt(doc, now),
				};
			}),
		});
	}

	private listIndices(workspaceId: string, query: URLSearchParams): VendorResponse {
		const pageNumber = positiveInt(query.get('PageNumber'), 1);
		const pageSize = positiveInt(query.get('PageSize'), 10);
		if (pageNumber === null || pageSize === null) {
			return this.fail(400, 'Index.InvalidParameter', 'PageNumber and PageSize must be positive integers.');
		}
		const name = (query.get('IndexName') ?? '').toLowerCase();
		const all = [...this.indices.values()].filter(
			(index) => index.workspaceId === workspaceId && (name === '' || index.name.toLowerCase().includes(name)),
		);
		return this.ok({
			Indices: all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map((index) => ({
				Id: index.id,
				Name: index.name,
				SinkType: 'BUILT_IN',
				StructureType: 'unstructured',
			})),
			PageNumber: String(pageNumber),
			PageSize: String(pageSize),
			TotalCount: String(all.length),
		});
	}

	/**
	 * SubmitIndexAddDocumentsJob: `POST /{WorkspaceId}/index/add_documents_to_index` with IndexId,
	 * SourceType and DocumentIds (a JSON array of FileIds) in the query. Starts a job over those
	 * files (timing from `submittedJobTiming`) and answers its id in Data.Id.
	 */
	private submitIndexAddDocumentsJob(workspaceId: string, query: URLSearchParams): VendorResponse {
		const indexId = query.get('IndexId') ?? '';
		const index = this.indices.get(indexId);
		if (!index || index.workspaceId !== workspaceId) {
			return this.fail(400, 'Index.InvalidParameter', `The index ${indexId} does not exist in this workspace.`);
		}
		if (query.get('SourceType') !== 'DATA_CENTER_FILE') {
			return this.fail(400, 'Index.InvalidParameter', 'SourceType must be DATA_CENTER_FILE or DATA_CENTER_CATEGORY; this simulator knows DATA_CENTER_FILE.');
		}
		let fileIds: unknown;
		try {
			fileIds = JSON.parse(query.get('DocumentIds') ?? '');
		} catch {
			fileIds = undefined;
		}
		if (!Array.isArray(fileIds) || fileIds.length === 0 || !fileIds.every((id) => typeof id === 'string')) {
			return this.fail(400, 'Index.InvalidParameter', 'DocumentIds must be a JSON array of file IDs.');
		}
		const unknown = fileIds.find((id) => !this.files.has(id));
		if (unknown !== undefined) return this.fail(400, 'Index.InvalidParameter', `The file ${unknown} does not exist.`);
		const { pendingMs, runMs } = this.submittedJobTiming;
		const jobId = this.submitJob(indexId, {
			pendingMs,
			documents: (fileIds as string[]).map((id) => ({ id, name: this.files.get(id) as string, runMs })),
		});
		return this.ok({ Id: jobId });
	}

	// ----- helpers ----------------------------------------------------------------------------

	private jobStatusAt(job: SimJob, now: number): string {
		if (now < job.startsAt) return 'PENDING';
		if (job.documents.some((doc) => now < doc.endsAt)) return 'RUNNING';
		return job.fail ? 'FAILED' : 'COMPLETED';
	}

	private logStatusCall(request: VendorRequest, outcome: string): void {
		this.statusCalls.push({
			jobId: request.query.get('JobId') ?? '',
			pageNumber: Number(request.query.get('PageNumber') ?? 1),
			pageSize: Number(request.query.get('pageSize') ?? 10),
			at: this.env.clock.now(),
			outcome,
		});
	}

	private requestId(): string {
		return this.env.random.uuid().toUpperCase();
	}

	private ok(data: Record<string, JsonValue>): VendorResponse {
		const requestId = this.requestId();
		return {
			status: 200,
			headers: { 'x-acs-request-id': requestId },
			body: {
				RequestId: requestId,
				Code: this.successCode === 'word' ? 'Success' : '',
				Message: this.successCode === 'word' ? 'success' : '',
				Status: '200',
				Success: true,
				Data: data,
			},
		};
	}

	/** Bailian's own failure: `Success: false` with a code. */
	private fail(httpStatus: number, code: string, message: string): VendorResponse {
		const requestId = this.requestId();
		return {
			status: httpStatus,
			headers: { 'x-acs-request-id': requestId },
			body: { RequestId: requestId, Code: code, Message: message, Status: String(httpStatus), Success: false },
		};
	}

	/** The OpenAPI gateway's failure, before Bailian sees the request. */
	private gatewayError(httpStatus: number, code: string, message: string): VendorResponse {
		const requestId = this.requestId();
		return {
			status: httpStatus,
			headers: { 'x-acs-request-id': requestId },
			body: {
				RequestId: requestId,
				HostId: 'bailian.cn-beijing.aliyuncs.com',
				Code: code,
				Message: message,
				Recommend: `https://api.aliyun.com/troubleshoot?q=${code}&product=bailian&requestId=${requestId}`,
			},
		};
	}

	private hex(length: number): string {
		let out = '';
		while (out.length < length) out += this.env.random.int(0, 15).toString(16);
		return out;
	}

	private alnum(length: number): string {
		const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
		let out = '';
		while (out.length < length) out += chars[this.env.random.int(0, chars.length - 1)];
		return out;
	}

	private requireIndex(indexId: string): SimIndex {
		const index = this.indices.get(indexId);
		if (!index) throw new Error(`Unknown Bailian index ${indexId}`);
		return index;
	}

	private requireJob(jobId: string): SimJob {
		const job = this.jobs.get(jobId);
		if (!job) throw new Error(`Unknown Bailian job ${jobId}`);
		return job;
	}
}

const ROUTES: Record<string, { action: string; method: string }> = {
	'job/status': { action: 'GetIndexJobStatus', method: 'GET' },
	list_index_documents: { action: 'ListIndexDocuments', method: 'GET' },
	list_indices: { action: 'ListIndices', method: 'GET' },
	add_documents_to_index: { action: 'SubmitIndexAddDocumentsJob', method: 'POST' },
};

function docStatusAt(doc: SimDocument, now: number): DocStatus {
	if (doc.deletedAt !== null && doc.deletedAt <= now) return 'DELETED';
	return now < doc.endsAt ? 'RUNNING' : doc.result;
}

function modifiedAt(doc: SimDocument, now: number): number {
	if (doc.deletedAt !== null && doc.deletedAt <= now) return doc.deletedAt;
	return now < doc.endsAt ? doc.runningSince : doc.endsAt;
}

function headerValue(request: VendorRequest, name: string): string | undefined {
	const value = request.headers[name];
	return Array.isArray(value) ? value.join(',') : value;
}

function positiveInt(value: string | null, fallback: number): number | null {
	if (value === null) return fallback;
	return /^\d+$/.test(value) && Number(value) > 0 ? Number(value) : null;
}
