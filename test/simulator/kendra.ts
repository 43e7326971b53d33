/**
 * Simulated Amazon Kendra (`/kendra`): the awsJson1_1 protocol, with AWS Signature Version 4.
 *
 * Every call is `POST /` (under the prefix) with `Content-Type: application/x-amz-json-1.1` and
 * the operation in `X-Amz-Target: AWSKendraFrontendService.<Operation>`. Operations:
 * BatchGetDocumentStatus (the node), ListIndices (the credential test) and BatchPutDocument (the
 * demo uploads with it).
 *
 * Authentication is checked as AWS does, by recomputing the signature from the request as it
 * arrived, for the signing name `kendra` (sigv4.ts, shared with the simulated Bedrock).
 *
 * BatchGetDocumentStatus takes 1 to 10 documents (more is a ValidationException) and lists each
 * document in `DocumentStatusList` (an unknown id is NOT_FOUND) or in `Errors[]`. Each call
 * observes (ticks) the documents it reports, so statuses move one script step per status read.
 * Service errors are HTTP 400 (500 for InternalServerException), as AWS's API reference lists
 * them, with `__type` naming the error; clients must classify by name, not by status.
 *
 * Every answer carries `x-amzn-RequestId`; errors also `x-amzn-ErrorType`.
 */

import type { VendorEnvironment, VendorModule, VendorRequest, VendorResponse } from './index';
import { type JsonValue, type LosslessJson, JsonNumberLiteral, isJsonObject, parseJsonLossless } from './json';
import { type Script, ScriptCursor, cursorFor } from './script';
import type { AwsAccessKey } from './sigv4';
import { accessKeyOf, header, verifySigV4 } from './sigv4';

// ---------------------------------------------------------------------------------------------
// Scripts
// ---------------------------------------------------------------------------------------------

export type KendraDocumentStatus = 'NOT_FOUND' | 'PROCESSING' | 'INDEXED' | 'UPDATED' | 'FAILED' | 'UPDATE_FAILED';

/** One step of a document's life, as BatchGetDocumentStatus shows it. */
export type KendraDocState =
	| { status: KendraDocumentStatus; failureCode?: string; failureReason?: string }
	/** Kendra could not read the status: the document goes to `Errors[]`. */
	| { error: { code: 'InternalError' | 'InvalidRequest'; message: string } };

export type KendraScript = Script<KendraDocState>;

export interface KendraScriptOptions {
	/** Observations that still say NOT_FOUND, as right after BatchPutDocument (default 0). */
	notFound?: number;
	/** Observations spent PROCESSING (default 1). */
	processing?: number;
	/** End FAILED with this code and reason instead of INDEXED. */
	fail?: { code: string; reason: string };
	/** End UPDATED / UPDATE_FAILED: the document was put again. */
	update?: boolean;
}

/** NOT_FOUND (optional lag), PROCESSING, then INDEXED or FAILED. */
export function kendraScript(options: KendraScriptOptions = {}): KendraScript {
	const script: Array<{ state: KendraDocState; repeat?: number }> = [];
	if (options.notFound) script.push({ state: { status: 'NOT_FOUND' }, repeat: options.notFound });
	const processing = options.processing ?? 1;
	if (processing > 0) script.push({ state: { status: 'PROCESSING' }, repeat: processing });
	if (options.fail) {
		script.push({
			state: {
				status: options.update ? 'UPDATE_FAILED' : 'FAILED',
				failureCode: options.fail.code,
				failureReason: options.fail.reason,
			},
		});
	} else {
		script.push({ state: { status: options.update ? 'UPDATED' : 'INDEXED' } });
	}
	return script;
}

export function kendraIndexedScript(): KendraScript {
	return [{ state: { status: 'INDEXED' } }];
}

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

export type KendraAccessKey = AwsAccessKey;

export interface KendraDocumentInput {
	id: string;
	title?: string;
	script?: KendraScript;
	/** The data source and sync job that indexed it (matched against version attributes). */
	dataSourceId?: string;
	jobExecutionId?: string;
	/**
	 * Move one script step every `msPerStep` of simulator time (from when the document is added)
	 * instead of one step per status read: see TimedScriptCursor.
	 */
	msPerStep?: number;
}

interface KendraDocument {
	id: string;
	title: string;
	dataSourceId?: string;
	jobExecutionId?: string;
	cursor: ScriptCursor<KendraDocState>;
}

interface KendraIndex {
	id: string;
	name: string;
	/** ACTIVE, or CREATING, DELETING, FAILED, UPDATING, SYSTEM_UPDATING. */
	status: string;
	createdAt: number;
	documents: Map<string, KendraDocument>;
}

/** What one BatchGetDocumentStatus call asked and what it answered, per document. */
export interface KendraStatusCall {
	indexId: string;
	documentIds: string[];
	attributes: Array<JsonValue | undefined>;
	/** DocumentId → the status shown, or `ERROR` for an `Errors[]` entry. */
	answered: Record<string, string>;
}

interface QueuedError {
	name: string;
	message: string;
	status: number;
}

const ACCOUNT = '123456789012';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'AWSKendraFrontendService.';
const NAMESPACE = 'com.amazonaws.kendra#';
const INDEX_ID = /^[a-zA-Z0-9][a-zA-Z0-9-]{35}$/;
const VERSION_KEYS = new Set(['version', 'datasourceId', 'jobExecutionId']);

/** Errors raised before the service itself (the AWS front end) carry no namespace. */
const FRONT_END_ERRORS = new Set([
	'MissingAuthenticationTokenException',
	'IncompleteSignatureException',
	'UnrecognizedClientException',
	'InvalidSignatureException',
	'ExpiredTokenException',
	'UnknownOperationException',
	'SerializationException',
]);

// ---------------------------------------------------------------------------------------------
// The vendor module
// ---------------------------------------------------------------------------------------------

export class KendraSimulator implements VendorModule {
	readonly name = 'kendra';
	readonly prefix = '/kendra';
	/** The endpoint to put in the credential: requests go to `<baseUrl>/`. */
	readonly baseUrl: string;

	/** The region requests must be signed for. */
	region = 'us-east-1';
	/** The clock signatures are checked against; real time, since clients sign with real time. */
	signingClock: () => number = () => Date.now();
	/** Script for documents put through BatchPutDocument or added without one. */
	defaultScript: KendraScript = kendraScript({ processing: 2 });
	/** Every BatchGetDocumentStatus call that reached the service, in order. */
	readonly statusCalls: KendraStatusCall[] = [];
	/** The name of every error answered (authentication included), in order. */
	readonly errorsAnswered: string[] = [];

	private readonly keys = new Map<string, KendraAccessKey>();
	private readonly indices = new Map<string, KendraIndex>();
	private readonly queuedErrors: QueuedError[] = [];
	private nextRequestId = 1;

	constructor(private readonly env: VendorEnvironment) {
		this.baseUrl = env.baseUrl;
	}

	// ----- control API ------------------------------------------------------------------------

	addAccessKey(key: KendraAccessKey): void {
		this.keys.set(key.accessKeyId, { ...key });
	}

	/** Creates an index and returns its 36-character id. */
	addIndex(id?: string, options: { name?: string; status?: string } = {}): string {
		const indexId = id ?? this.env.random.uuid();
		if (!INDEX_ID.test(indexId)) throw new Error(`Kendra index ids have 36 characters, got ${indexId}`);
		if (this.indices.has(indexId)) throw new Error(`Index ${indexId} already exists`);
		this.indices.set(indexId, {
			id: indexId,
			name: options.name ?? `index-${this.indices.size + 1}`,
			status: options.status ?? 'ACTIVE',
			createdAt: this.env.clock.now(),
			documents: new Map(),
		});
		return indexId;
	}

	addDocuments(indexId: string, docs: KendraDocumentInput[]): string[] {
		const index = this.requireIndex(indexId);
		return docs.map((input) => this.putDocument(index, input).id);
	}

	/** Replaces a document's script (a document put again); `msPerStep` times it from now. */
	setScript(indexId: string, documentId: string, script: KendraScript, msPerStep?: number): void {
		this.requireDocument(indexId, documentId).cursor = cursorFor(script, this.env.clock, msPerStep);
	}

	/** Removes a document from the index (BatchDeleteDocument): it is NOT_FOUND from now on. */
	deleteDocument(indexId: string, documentId: string): void {
		this.requireDocument(indexId, documentId);
		this.requireIndex(indexId).documents.delete(documentId);
	}

	/** How many status calls have observed the document. */
	observationCount(indexId: string, documentId: string): number {
		return this.requireDocument(indexId, documentId).cursor.observationCount;
	}

	/** The next `times` service calls (after authentication) answer ThrottlingException, HTTP 400. */
	throttle(times = 1): void {
		for (let i = 0; i < times; i++) this.failNext('ThrottlingException', 'Rate exceeded', 400);
	}

	/** The next service call (after authentication) answers this error. Calls queue up. */
	failNext(name: string, message: string, status = 400): void {
		this.queuedErrors.push({ name, message, status });
	}

	// ----- VendorModule -----------------------------------------------------------------------

	errorResponse(status: number): VendorResponse {
		if (status >= 500) return this.error('InternalServerException', 'We encountered an internal error. Please try again.', status);
		if (status === 429 || status === 400) return this.error('ThrottlingException', 'Rate exceeded', status);
		return this.error('AccessDeniedException', `HTTP ${status}`, status);
	}

	commonHeaders(): Record<string, string> {
		return { 'x-amzn-RequestId': this.newRequestId(), 'Content-Type': CONTENT_TYPE };
	}

	handle(request: VendorRequest): VendorResponse {
		const denied = this.authenticate(request);
		if (denied) return denied;
		const key = this.keys.get(accessKeyOf(request) as string) as KendraAccessKey;

		if (request.method !== 'POST' || request.path !== '/') {
			return this.error('UnknownOperationException', `No operation at ${request.method} ${request.path}`);
		}
		const target = header(request, 'x-amz-target') ?? '';
		const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
		if (!['BatchGetDocumentStatus', 'ListIndices', 'BatchPutDocument'].includes(operation)) {
			return this.error('UnknownOperationException', `Unknown operation ${target || '(no X-Amz-Target)'}`);
		}
		const contentType = (header(request, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
		if (contentType !== CONTENT_TYPE) {
			return this.error('SerializationException', `Content-Type must be ${CONTENT_TYPE}, got ${contentType || 'none'}`);
		}
		let body: LosslessJson;
		try {
			body = parseJsonLossless(request.body === '' ? '{}' : request.body);
		} catch (error) {
			return this.error('SerializationException', `Could not parse the request body: ${(error as Error).message}`);
		}
		if (!isJsonObject(body)) return this.error('SerializationException', 'The request body must be a JSON object');

		const action = `kendra:${operation}`;
		if (key.allow && !key.allow.includes(action)) {
			const resource =
				operation === 'ListIndices'
					? `arn:aws:kendra:${this.region}:${ACCOUNT}:index/*`
					: `arn:aws:kendra:${this.region}:${ACCOUNT}:index/${typeof body.IndexId === 'string' ? body.IndexId : '*'}`;
			return this.error(
				'AccessDeniedException',
				`User: arn:aws:iam::${ACCOUNT}:user/simulated is not authorized to perform: ${action} on resource: ${resource}`,
			);
		}
		const queued = this.queuedErrors.shift();
		if (queued) return this.error(queued.name, queued.message, queued.status);

		switch (operation) {
			case 'BatchGetDocumentStatus':
				return this.batchGetDocumentStatus(body);
			case 'ListIndices':
				return this.listIndices(body);
			default:
				return this.batchPutDocument(body);
		}
	}

	// ----- operations -------------------------------------------------------------------------

	private batchGetDocumentStatus(body: { [key: string]: LosslessJson }): VendorResponse {
		const indexId = body.IndexId;
		const invalid = validateIndexId(indexId);
		if (invalid) return this.error('ValidationException', invalid);
		const list = body.DocumentInfoList;
		if (!Array.isArray(list)) {
			return this.error('ValidationException', "1 validation error detected: Value null at 'documentInfoList' failed to satisfy constraint: Member must not be null");
		}
		if (list.length < 1 || list.length > 10) {
			const bound = list.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 10';
			return this.error(
				'ValidationException',
				`1 validation error detected: Value '[${list.length} items]' at 'documentInfoList' failed to satisfy constraint: Member must have length ${bound}`,
			);
		}
		const requests: Array<{ id: string; attributes: Map<string, string> | null; raw: JsonValue | undefined }> = [];
		for (const [position, info] of list.entries()) {
			if (!isJsonObject(info) || typeof info.DocumentId !== 'string' || info.DocumentId.length < 1 || info.DocumentId.length > 2048) {
				return this.error(
					'ValidationException',
					`1 validation error detected: Value at 'documentInfoList.${position + 1}.member.documentId' failed to satisfy constraint: Member must have length between 1 and 2048`,
				);
			}
			const attributes = readVersionAttributes(info.Attributes);
			if (typeof attributes === 'string') return this.error('ValidationException', attributes);
			requests.push({ id: info.DocumentId, attributes, raw: toJsonValue(info.Attributes) });
		}
		const index = this.indices.get(indexId as string);
		if (!index) return this.error('ResourceNotFoundException', `Index ${String(indexId)} does not exist in account ${ACCOUNT} in ${this.region}`);

		const statuses: JsonValue[] = [];
		const errors: JsonValue[] = [];
		const call: KendraStatusCall = {
			indexId: index.id,
			documentIds: requests.map((r) => r.id),
			attributes: requests.map((r) => r.raw),
			answered: {},
		};
		for (const { id, attributes } of requests) {
			const doc = index.documents.get(id);
			const matches =
				doc !== undefined &&
				(attributes === null ||
					(attributes.get('datasourceId') === doc.dataSourceId && attributes.get('jobExecutionId') === doc.jobExecutionId));
			if (!doc || !matches) {
				statuses.push({ DocumentId: id, DocumentStatus: 'NOT_FOUND' });
				call.answered[id] = 'NOT_FOUND';
				continue;
			}
			const state = doc.cursor.observe();
			if ('error' in state) {
				errors.push({ DocumentId: id, DataSourceId: doc.dataSourceId, ErrorCode: state.error.code, ErrorMessage: state.error.message });
				call.answered[id] = 'ERROR';
			} else {
				statuses.push({
					DocumentId: id,
					DocumentStatus: state.status,
					FailureCode: state.failureCode,
					FailureReason: state.failureReason,
				});
				call.answered[id] = state.status;
			}
		}
		this.statusCalls.push(call);
		return this.ok({ Errors: errors, DocumentStatusList: statuses });
	}

	private listIndices(body: { [key: string]: LosslessJson }): VendorResponse {
		const max = body.MaxResults;
		let size = 100;
		if (max !== undefined) {
			if (!(max instanceof JsonNumberLiteral) || !max.isInteger || max.toNumber() < 1 || max.toNumber() > 100) {
				return this.error(
					'ValidationException',
					"1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100",
				);
			}
			size = max.toNumber();
		}
		const all = [...this.indices.values()];
		// NextToken is opaque, and Kendra rejects one it did not issue.
		let start = 0;
		if (body.NextToken !== undefined) {
			const decoded = typeof body.NextToken === 'string' ? /^sim-next:(\d+)$/.exec(Buffer.from(body.NextToken, 'base64').toString('utf8')) : null;
			if (!decoded) return this.error('ValidationException', 'The provided NextToken is not valid.');
			start = Number(decoded[1]);
		}
		const page = all.slice(start, start + size);
		const next = start + size < all.length ? Buffer.from(`sim-next:${start + size}`).toString('base64') : undefined;
		return this.ok({
			IndexConfigurationSummaryItems: page.map((index) => ({
				Name: index.name,
				Id: index.id,
				Edition: 'DEVELOPER_EDITION',
				CreatedAt: index.createdAt / 1000,
				UpdatedAt: index.createdAt / 1000,
				Status: index.status,
			})),
			NextToken: next,
		});
	}

	private batchPutDocument(body: { [key: string]: LosslessJson }): VendorResponse {
		const invalid = validateIndexId(body.IndexId);
		if (invalid) return this.error('ValidationException', invalid);
		const documents = body.Documents;
		if (!Array.isArray(documents) || documents.length < 1 || documents.length > 10) {
			return this.error('ValidationException', "1 validation error detected: Value at 'documents' failed to satisfy constraint: Member must have length between 1 and 10");
		}
		const index = this.indices.get(body.IndexId as string);
		if (!index) return this.error('ResourceNotFoundException', `Index ${String(body.IndexId)} does not exist`);
		const failed: JsonValue[] = [];
		for (const document of documents) {
			if (!isJsonObject(document) || typeof document.Id !== 'string' || document.Id === '') {
				return this.error('ValidationException', "1 validation error detected: Value at 'documents.member.id' failed to satisfy constraint: Member must not be null");
			}
			const blob = typeof document.Blob === 'string' ? Buffer.from(document.Blob, 'base64') : null;
			if (blob === null && typeof document.S3Path !== 'object') {
				failed.push({ Id: document.Id, ErrorCode: 'InvalidRequest', ErrorMessage: 'The document has neither Blob nor S3Path' });
				continue;
			}
			if (blob !== null && blob.length === 0) {
				failed.push({ Id: document.Id, ErrorCode: 'InvalidRequest', ErrorMessage: 'The document is empty' });
				continue;
			}
			const title = typeof document.Title === 'string' ? document.Title : document.Id;
			const existing = index.documents.get(document.Id);
			if (existing) existing.cursor = new ScriptCursor(this.defaultScript);
			else this.putDocument(index, { id: document.Id, title });
		}
		return this.ok({ FailedDocuments: failed });
	}

	// ----- authentication ---------------------------------------------------------------------

	/** Null when the request is signed by a known key, else AWS's answer. */
	private authenticate(request: VendorRequest): VendorResponse | null {
		const rejected = verifySigV4(request, { service: 'kendra', region: this.region, keys: this.keys, now: this.signingClock });
		return rejected ? this.error(rejected.name, rejected.message) : null;
	}

	// ----- helpers ----------------------------------------------------------------------------

	private putDocument(index: KendraIndex, input: KendraDocumentInput): KendraDocument {
		if (index.documents.has(input.id)) throw new Error(`Document ${input.id} already exists in index ${index.id}`);
		const doc: KendraDocument = {
			id: input.id,
			title: input.title ?? input.id,
			dataSourceId: input.dataSourceId,
			jobExecutionId: input.jobExecutionId,
			cursor: cursorFor(input.script ?? this.defaultScript, this.env.clock, input.msPerStep),
		};
		index.documents.set(doc.id, doc);
		return doc;
	}

	private newRequestId(): string {
		const counter = (this.nextRequestId++).toString(16).padStart(12, '0');
		return `5e1a0c7d-4b2f-4c1e-9a8b-${counter}`;
	}

	private ok(body: Record<string, JsonValue | undefined>): VendorResponse {
		return { status: 200, headers: this.commonHeaders(), body };
	}

	private error(name: string, message: string, status = name === 'InternalServerException' ? 500 : 400): VendorResponse {
		const type = FRONT_END_ERRORS.has(name) ? name : `${NAMESPACE}${name}`;
		this.errorsAnswered.push(name);
		return {
			status,
			headers: {
				...this.commonHeaders(),
				'x-amzn-ErrorType': `${name}:http://internal.amazon.com/coral/com.amazonaws.kendra/`,
			},
			body: { __type: type, message },
		};
	}

	private requireIndex(indexId: string): KendraIndex {
		const index = this.indices.get(indexId);
		if (!index) throw new Error(`Unknown Kendra index ${indexId}`);
		return index;
	}

	private requireDocument(indexId: string, documentId: string): KendraDocument {
		const doc = this.requireIndex(indexId).documents.get(documentId);
		if (!doc) throw new Error(`Unknown Kendra document ${documentId} in index ${indexId}`);
		return doc;
	}
}

// ---------------------------------------------------------------------------------------------
// Pure helpers
// ---------------------------------------------------------------------------------------------

function validateIndexId(value: LosslessJson | undefined): string | null {
	if (typeof value !== 'string') {
		return "1 validation error detected: Value null at 'indexId' failed to satisfy constraint: Member must not be null";
	}
	if (value.length !== 36) {
		const bound = value.length < 36 ? 'greater than or equal to 36' : 'less than or equal to 36';
		return `1 validation error detected: Value '${value}' at 'indexId' failed to satisfy constraint: Member must have length ${bound}`;
	}
	if (!INDEX_ID.test(value)) {
		return `1 validation error detected: Value '${value}' at 'indexId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9][a-zA-Z0-9-]*`;
	}
	return null;
}

/** The version attributes of one DocumentInfo, or AWS's validation message. */
function readVersionAttributes(value: LosslessJson | undefined): Map<string, string> | null | string {
	if (value === undefined || value === null) return null;
	if (!Array.isArray(value)) return "1 validation error detected: Value at 'attributes' failed to satisfy constraint: Member must be a list";
	const attributes = new Map<string, string>();
	for (const attribute of value) {
		if (!isJsonObject(attribute) || typeof attribute.Key !== 'string' || !isJsonObject(attribute.Value)) {
			return 'Each attribute needs a Key and a Value';
		}
		if (!VERSION_KEYS.has(attribute.Key)) {
			return `The attribute ${attribute.Key} is not valid here: use version, datasourceId and jobExecutionId`;
		}
		const stringValue = attribute.Value.StringValue;
		if (typeof stringValue !== 'string') return `The attribute ${attribute.Key} needs a StringValue`;
		attributes.set(attribute.Key, stringValue);
	}
	if (attributes.has('datasourceId') !== attributes.has('jobExecutionId')) {
		return 'The datasourceId and jobExecutionId attributes must be used together';
	}
	return attributes;
}

function toJsonValue(value: LosslessJson | undefined): JsonValue | undefined {
	return value as JsonValue | undefined;
}
