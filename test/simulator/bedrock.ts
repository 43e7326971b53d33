/**
 * Simulated Agents for Amazon Bedrock build-time API (`/bedrock`): REST-JSON with AWS Signature
 * Version 4 for the signing name `bedrock`, checked as AWS's front end does (sigv4.ts).
 *
 * Routes, as @aws-sdk/client-bedrock-agent's HTTP traits give them:
 * - `POST /knowledgebases/` ListKnowledgeBases (the credential test, the knowledge base list)
 * - `POST /knowledgebases/{kb}/datasources/` ListDataSources
 * - `GET /knowledgebases/{kb}/datasources/{ds}` GetDataSource
 * - `PUT /knowledgebases/{kb}/datasources/{ds}/ingestionjobs/` StartIngestionJob (the example)
 * - `GET /knowledgebases/{kb}/datasources/{ds}/ingestionjobs/{job}` GetIngestionJob: no trailing
 *   slash; with one, the path is no operation (UnknownOperationException, HTTP 404)
 * - `POST /knowledgebases/{kb}/datasources/{ds}/documents/getDocuments` GetKnowledgeBaseDocuments:
 *   1 to 10 identifiers, each of the data source's own type
 * - `POST /knowledgebases/{kb}/datasources/{ds}/documents` ListKnowledgeBaseDocuments: maxResults
 *   1 to 1000, an opaque nextToken
 *
 * Errors are REST-JSON: the HTTP status of the SDK's error shape, the name in `x-amzn-ErrorType`
 * (`Name:http://internal.amazon.com/coral/com.amazonaws.bedrockagent/`), and `{"message"}` in the
 * body; `errorNameIn` moves the name into the body's `__type` or `code` instead, which the SDK
 * reads too. Documents and jobs move one script step per read, or with the clock (`msPerStep`).
 * A document's `updatedAt` is the simulator time its status last changed.
 */

import type { VendorEnvironment, VendorModule, VendorRequest, VendorResponse } from './index';
import { type JsonValue, type LosslessJson, JsonNumberLiteral, isJsonObject, parseJsonLossless } from './json';
import { type Script, type ScriptCursor, cursorFor } from './script';
import type { AwsAccessKey } from './sigv4';
import { accessKeyOf, verifySigV4 } from './sigv4';

// ---------------------------------------------------------------------------------------------
// Scripts
// ---------------------------------------------------------------------------------------------

/** Every `DocumentStatus` of @aws-sdk/client-bedrock-agent. */
export type BedrockDocumentStatus =
	| 'INDEXED'
	| 'PARTIALLY_INDEXED'
	| 'PENDING'
	| 'FAILED'
	| 'METADATA_PARTIALLY_INDEXED'
	| 'METADATA_UPDATE_FAILED'
	| 'IGNORED'
	| 'NOT_FOUND'
	| 'STARTING'
	| 'IN_PROGRESS'
	| 'DELETING'
	| 'DELETE_IN_PROGRESS';

/** Every `IngestionJobStatus` of @aws-sdk/client-bedrock-agent. */
export type BedrockJobStatus = 'STARTING' | 'IN_PROGRESS' | 'COMPLETE' | 'FAILED' | 'STOPPING' | 'STOPPED';

export interface BedrockDocState {
	status: BedrockDocumentStatus;
	/** Sent only with IGNORED, as the API documents it (and with the failures, when given). */
	statusReason?: string;
}

export interface BedrockJobState {
	status: BedrockJobStatus;
	failureReasons?: string[];
}

export type BedrockDocumentScript = Script<BedrockDocState>;
export type BedrockJobScript = Script<BedrockJobState>;

/** PENDING, IN_PROGRESS (`processing` reads, default 1), then INDEXED or `end`. */
export function bedrockDocumentScript(options: { processing?: number; end?: BedrockDocState } = {}): BedrockDocumentScript {
	const steps: Array<{ state: BedrockDocState; repeat?: number }> = [{ state: { status: 'PENDING' } }];
	if ((options.processing ?? 1) > 0) steps.push({ state: { status: 'IN_PROGRESS' }, repeat: options.processing ?? 1 });
	steps.push({ state: options.end ?? { status: 'INDEXED' } });
	return steps;
}

/** STARTING, IN_PROGRESS (`running` reads, default 2), then COMPLETE or `end`. */
export function bedrockJobScript(options: { running?: number; end?: BedrockJobState } = {}): BedrockJobScript {
	return [
		{ state: { status: 'STARTING' } },
		{ state: { status: 'IN_PROGRESS' }, repeat: options.running ?? 2 },
		{ state: options.end ?? { status: 'COMPLETE' } },
	];
}

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

export type BedrockAccessKey = AwsAccessKey;

export interface BedrockDocumentInput {
	/** The custom id (CUSTOM data source) or the s3:// URI (S3 data source). */
	id: string;
	script?: BedrockDocumentScript;
	msPerStep?: number;
	/** When Bedrock last changed it (ms); default now. */
	updatedAt?: number;
}

interface BedrockDocument {
	id: string;
	script: BedrockDocumentScript;
	msPerStep?: number;
	cursor: ScriptCursor<BedrockDocState>;
	shown: string | null;
	updatedAt: number;
}

interface BedrockJob {
	id: string;
	cursor: ScriptCursor<BedrockJobState>;
	startedAt: number;
	updatedAt: number;
	shown: string | null;
	documentIds: string[];
}

interface BedrockDataSource {
	id: string;
	name: string;
	/** `dataSourceConfiguration.type`: CUSTOM, S3, WEB… */
	type: string;
	createdAt: number;
	documents: Map<string, BedrockDocument>;
	jobs: Map<string, BedrockJob>;
}

interface BedrockKnowledgeBase {
	id: string;
	name: string;
	status: string;
	createdAt: number;
	dataSources: Map<string, BedrockDataSource>;
}

/** What one GetKnowledgeBaseDocuments call asked. */
export interface BedrockStatusCall {
	knowledgeBaseId: string;
	dataSourceId: string;
	identifiers: JsonValue[];
}

interface QueuedError {
	name: string;
	message: string;
	status: number;
}

/** The HTTP status of each error shape (the SDK's models), and of the front end's errors. */
export const BEDROCK_ERROR_STATUS: Readonly<Record<string, number>> = {
	AccessDeniedException: 403,
	ConflictException: 409,
	InternalServerException: 500,
	ResourceNotFoundException: 404,
	ServiceQuotaExceededException: 402,
	ThrottlingException: 429,
	ValidationException: 400,
	UnknownOperationException: 404,
	SerializationException: 400,
	MissingAuthenticationTokenException: 403,
	IncompleteSignatureException: 403,
	UnrecognizedClientException: 403,
	InvalidSignatureException: 403,
	ExpiredTokenException: 403,
};

const ACCOUNT = '123456789012';
const ID = /^[0-9a-zA-Z]{10}$/;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const NAMESPACE_SUFFIX = ':http://internal.amazon.com/coral/com.amazonaws.bedrockagent/';

// ---------------------------------------------------------------------------------------------
// The vendor module
// ---------------------------------------------------------------------------------------------

export class BedrockSimulator implements VendorModule {
	readonly name = 'bedrock';
	readonly prefix = '/bedrock';
	/** The endpoint to put in the credential. */
	readonly baseUrl: string;

	region = 'us-east-1';
	/** The clock signatures are checked against; real time, since clients sign with real time. */
	signingClock: () => number = () => Date.now();
	/** Where an error's name goes: the header (as AWS sends it), or the body's `__type` or `code`. */
	errorNameIn: 'header' | '__type' | 'code' = 'header';
	defaultDocumentScript: BedrockDocumentScript = bedrockDocumentScript();
	defaultJobScript: BedrockJobScript = bedrockJobScript();
	/** Every GetKnowledgeBaseDocuments call that reached the service, in order. */
	readonly statusCalls: BedrockStatusCall[] = [];
	/** The operation of every call that reached the service, in order. */
	readonly operations: string[] = [];
	/** The name of every error answered (authentication included), in order. */
	readonly errorsAnswered: string[] = [];

	private readonly keys = new Map<string, BedrockAccessKey>();
	private readonly knowledgeBases = new Map<string, BedrockKnowledgeBase>();
	private readonly queuedErrors: QueuedError[] = [];
	private nextRequestId = 1;

	constructor(private readonly env: VendorEnvironment) {
		this.baseUrl = env.baseUrl;
	}

	// ----- control API ------------------------------------------------------------------------

	addAccessKey(key: BedrockAccessKey): void {
		this.keys.set(key.accessKeyId, { ...key });
	}

	addKnowledgeBase(options: { id?: string; name?: string; status?: string } = {}): string {
		const id = options.id ?? this.newId();
		if (!ID.test(id)) throw new Error(`Bedrock ids have 10 letters or digits, got ${id}`);
		this.knowledgeBases.set(id, {
			id,
			name: options.name ?? `knowledge-base-${this.knowledgeBases.size + 1}`,
			status: options.status ?? 'ACTIVE',
			createdAt: this.env.clock.now(),
			dataSources: new Map(),
		});
		return id;
	}

	addDataSource(knowledgeBaseId: string, options: { id?: string; name?: string; type?: string } = {}): string {
		const knowledgeBase = this.requireKnowledgeBase(knowledgeBaseId);
		const id = options.id ?? this.newId();
		knowledgeBase.dataSources.set(id, {
			id,
			name: options.name ?? `data-source-${knowledgeBase.dataSources.size + 1}`,
			type: options.type ?? 'CUSTOM',
			createdAt: this.env.clock.now(),
			documents: new Map(),
			jobs: new Map(),
		});
		return id;
	}

	/** Adds (or puts again) documents; their `updatedAt` is now. */
	addDocuments(knowledgeBaseId: string, dataSourceId: string, documents: BedrockDocumentInput[]): string[] {
		const dataSource = this.requireDataSource(knowledgeBaseId, dataSourceId);
		return documents.map((input) => {
			const script = input.script ?? this.defaultDocumentScript;
			dataSource.documents.set(input.id, {
				id: input.id,
				script,
				msPerStep: input.msPerStep,
				cursor: cursorFor(script, this.env.clock, input.msPerStep),
				shown: null,
				updatedAt: input.updatedAt ?? this.env.clock.now(),
			});
			return input.id;
		});
	}

	/**
	 * Starts an ingestion job over `documents` (added or put again now, so updated after the
	 * job's start), and returns its id.
	 */
	addJob(
		knowledgeBaseId: string,
		dataSourceId: string,
		options: { script?: BedrockJobScript; msPerStep?: number; documents?: BedrockDocumentInput[]; id?: string } = {},
	): string {
		const dataSource = this.requireDataSource(knowledgeBaseId, dataSourceId);
		const id = options.id ?? this.newId();
		const documentIds = this.addDocuments(knowledgeBaseId, dataSourceId, options.documents ?? []);
		const now = this.env.clock.now();
		dataSource.jobs.set(id, {
			id,
			cursor: cursorFor(options.script ?? this.defaultJobScript, this.env.clock, options.msPerStep),
			startedAt: now,
			updatedAt: now,
			shown: null,
			documentIds,
		});
		return id;
	}

	/** Removes a document from the data source (DeleteKnowledgeBaseDocuments, done). */
	deleteDocument(knowledgeBaseId: string, dataSourceId: string, documentId: string): void {
		if (!this.requireDataSource(knowledgeBaseId, dataSourceId).documents.delete(documentId)) {
			throw new Error(`Unknown Bedrock document ${documentId}`);
		}
	}

	/** The next `times` service calls answer ThrottlingException, HTTP 429. */
	throttle(times = 1): void {
		for (let i = 0; i < times; i++) this.failNext('ThrottlingException', 'Rate exceeded');
	}

	/** The next service call (after authentication) answers this error. Calls queue up. */
	failNext(name: string, message: string, status = BEDROCK_ERROR_STATUS[name] ?? 400): void {
		this.queuedErrors.push({ name, message, status });
	}

	// ----- VendorModule -----------------------------------------------------------------------

	errorResponse(status: number): VendorResponse {
		if (status >= 500) return this.error('InternalServerException', 'Internal server error', status);
		if (status === 429) return this.error('ThrottlingException', 'Rate exceeded', status);
		if (status === 404) return this.error('ResourceNotFoundException', 'Resource not found', status);
		if (status === 400) return this.error('ValidationException', 'Invalid input', status);
		return this.error('AccessDeniedException', `HTTP ${status}`, status);
	}

	commonHeaders(): Record<string, string> {
		return { 'x-amzn-RequestId': this.newRequestId(), 'Content-Type': 'application/json' };
	}

	handle(request: VendorRequest): VendorResponse {
		const rejected = verifySigV4(request, { service: 'bedrock', region: this.region, keys: this.keys, now: this.signingClock });
		if (rejected) return this.error(rejected.name, rejected.message);
		const key = this.keys.get(accessKeyOf(request) as string) as BedrockAccessKey;

		const route = routeOf(request.method, request.path);
		if (route === null) {
			return this.error('UnknownOperationException', `No operation matches ${request.method} ${request.path}`);
		}
		let body: { [key: string]: LosslessJson } = {};
		if (request.method !== 'GET') {
			try {
				const parsed = parseJsonLossless(request.body === '' ? '{}' : request.body);
				if (!isJsonObject(parsed)) return this.error('SerializationException', 'The request body must be a JSON object');
				body = parsed;
			} catch (error) {
				return this.error('SerializationException', `Could not parse the request body: ${(error as Error).message}`);
			}
		}
		for (const [field, value] of Object.entries(route.ids)) {
			if (!ID.test(value)) {
				return this.error(
					'ValidationException',
					`1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9a-zA-Z]{10}$`,
				);
			}
		}
		const action = `bedrock:${route.operation}`;
		if (key.allow && !key.allow.includes(action)) {
			const resource = route.ids.knowledgeBaseId ? `knowledge-base/${route.ids.knowledgeBaseId}` : 'knowledge-base/*';
			return this.error(
				'AccessDeniedException',
				`User: arn:aws:iam::${ACCOUNT}:user/simulated is not authorized to perform: ${action} on resource: arn:aws:bedrock:${this.region}:${ACCOUNT}:${resource} because no identity-based policy allows the ${action} action`,
			);
		}
		const queued = this.queuedErrors.shift();
		if (queued) return this.error(queued.name, queued.message, queued.status);
		this.operations.push(route.operation);

		if (route.operation === 'ListKnowledgeBases') {
			return this.listPage(body, [...this.knowledgeBases.values()], 'knowledgeBaseSummaries', (kb) => ({
				knowledgeBaseId: kb.id,
				name: kb.name,
				status: kb.status,
				updatedAt: iso(kb.createdAt),
			}));
		}
		const knowledgeBase = this.knowledgeBases.get(route.ids.knowledgeBaseId);
		if (!knowledgeBase) return this.error('ResourceNotFoundException', `Knowledge base with id ${route.ids.knowledgeBaseId} does not exist`);
		if (route.operation === 'ListDataSources') {
			return this.listPage(body, [...knowledgeBase.dataSources.values()], 'dataSourceSummaries', (ds) => ({
				knowledgeBaseId: knowledgeBase.id,
				dataSourceId: ds.id,
				name: ds.name,
				status: 'AVAILABLE',
				updatedAt: iso(ds.createdAt),
			}));
		}
		const dataSource = knowledgeBase.dataSources.get(route.ids.dataSourceId);
		if (!dataSource) return this.error('ResourceNotFoundException', `DataSource with id ${route.ids.dataSourceId} does not exist in knowledge base ${knowledgeBase.id}`);

		switch (route.operation) {
			case 'GetDataSource':
				return this.ok({
					dataSource: {
						knowledgeBaseId: knowledgeBase.id,
						dataSourceId: dataSource.id,
						name: dataSource.name,
						status: 'AVAILABLE',
						dataSourceConfiguration: { type: dataSource.type },
						createdAt: iso(dataSource.createdAt),
						updatedAt: iso(dataSource.createdAt),
					},
				});
			case 'StartIngestionJob': {
				// The job takes in every document again: each runs its script anew from now.
				const id = this.addJob(knowledgeBase.id, dataSource.id, {
					documents: [...dataSource.documents.values()].map(({ id: documentId, script, msPerStep }) => ({ id: documentId, script, msPerStep })),
				});
				return { ...this.ok({ ingestionJob: this.jobView(knowledgeBase, dataSource, dataSource.jobs.get(id) as BedrockJob, false) }), status: 202 };
			}
			case 'GetIngestionJob': {
				const job = dataSource.jobs.get(route.ids.ingestionJobId);
				if (!job) return this.error('ResourceNotFoundException', `Ingestion job with id ${route.ids.ingestionJobId} does not exist`);
				return this.ok({ ingestionJob: this.jobView(knowledgeBase, dataSource, job, true) });
			}
			case 'GetKnowledgeBaseDocuments':
				return this.getDocuments(knowledgeBase, dataSource, body);
			default:
				return this.listDocuments(knowledgeBase, dataSource, body);
		}
	}

	// ----- operations -------------------------------------------------------------------------

	private getDocuments(knowledgeBase: BedrockKnowledgeBase, dataSource: BedrockDataSource, body: { [key: string]: LosslessJson }): VendorResponse {
		const identifiers = body.documentIdentifiers;
		if (!Array.isArray(identifiers)) {
			return this.error('ValidationException', "1 validation error detected: Value null at 'documentIdentifiers' failed to satisfy constraint: Member must not be null");
		}
		if (identifiers.length < 1 || identifiers.length > 10) {
			return this.error(
				'ValidationException',
				`1 validation error detected: Value at 'documentIdentifiers' failed to satisfy constraint: Member must have length ${identifiers.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 10'}`,
			);
		}
		const ids: string[] = [];
		for (const [position, identifier] of identifiers.entries()) {
			const id = identifierId(identifier);
			const type = isJsonObject(identifier) ? identifier.dataSourceType : undefined;
			if (id === null || (type !== 'CUSTOM' && type !== 'S3')) {
				return this.error('ValidationException', `1 validation error detected: Value at 'documentIdentifiers.${position + 1}.member' failed to satisfy constraint: Member must have a dataSourceType of CUSTOM or S3 with its identifier`);
			}
			if (type !== dataSource.type) {
				return this.error('ValidationException', `The document identifier type ${String(type)} does not match the data source type ${dataSource.type}.`);
			}
			ids.push(id);
		}
		this.statusCalls.push({ knowledgeBaseId: knowledgeBase.id, dataSourceId: dataSource.id, identifiers: identifiers as JsonValue[] });
		return this.ok({
			documentDetails: ids.map((id) => {
				const document = dataSource.documents.get(id);
				if (!document) return this.detail(knowledgeBase, dataSource, id, { status: 'NOT_FOUND' }, this.env.clock.now());
				return this.detail(knowledgeBase, dataSource, id, this.observe(document), document.updatedAt);
			}),
		});
	}

	private listDocuments(knowledgeBase: BedrockKnowledgeBase, dataSource: BedrockDataSource, body: { [key: string]: LosslessJson }): VendorResponse {
		return this.listPage(body, [...dataSource.documents.values()], 'documentDetails', (document) => {
			const state = this.observe(document);
			return this.detail(knowledgeBase, dataSource, document.id, state, document.updatedAt);
		});
	}

	/** One page of a list operation: maxResults 1 to 1000 (default 1000), an opaque nextToken. */
	private listPage<T>(body: { [key: string]: LosslessJson }, all: T[], field: string, view: (entry: T) => JsonValue): VendorResponse {
		let size = 1000;
		const max = body.maxResults;
		if (max !== undefined) {
			if (!(max instanceof JsonNumberLiteral) || !max.isInteger || max.toNumber() < 1 || max.toNumber() > 1000) {
				return this.error('ValidationException', "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000");
			}
			size = max.toNumber();
		}
		let start = 0;
		if (body.nextToken !== undefined) {
			const decoded = typeof body.nextToken === 'string' ? /^sim-next:(\d+)$/.exec(Buffer.from(body.nextToken, 'base64').toString('utf8')) : null;
			if (!decoded) return this.error('ValidationException', 'The provided nextToken is not valid.');
			start = Number(decoded[1]);
		}
		const page = all.slice(start, start + size).map(view);
		const next = start + size < all.length ? Buffer.from(`sim-next:${start + size}`).toString('base64') : undefined;
		return this.ok({ [field]: page, nextToken: next });
	}

	// ----- helpers ----------------------------------------------------------------------------

	private observe(document: BedrockDocument): BedrockDocState {
		const state = document.cursor.observe();
		if (document.shown !== null && document.shown !== state.status) document.updatedAt = this.env.clock.now();
		document.shown = state.status;
		return state;
	}

	private detail(knowledgeBase: BedrockKnowledgeBase, dataSource: BedrockDataSource, id: string, state: BedrockDocState, updatedAt: number): JsonValue {
		return {
			knowledgeBaseId: knowledgeBase.id,
			dataSourceId: dataSource.id,
			status: state.status,
			identifier: dataSource.type === 'S3' ? { dataSourceType: 'S3', s3: { uri: id } } : { dataSourceType: 'CUSTOM', custom: { id } },
			statusReason: state.statusReason,
			updatedAt: iso(updatedAt),
		};
	}

	private jobView(knowledgeBase: BedrockKnowledgeBase, dataSource: BedrockDataSource, job: BedrockJob, read: boolean): JsonValue {
		const state = read ? job.cursor.observe() : job.cursor.peek();
		if (read && job.shown !== null && job.shown !== state.status) job.updatedAt = this.env.clock.now();
		if (read) job.shown = state.status;
		const documents = job.documentIds.map((id) => dataSource.documents.get(id)).filter((d): d is BedrockDocument => d !== undefined);
		const count = (...statuses: string[]) => documents.filter((d) => statuses.includes(d.shown ?? '')).length;
		return {
			knowledgeBaseId: knowledgeBase.id,
			dataSourceId: dataSource.id,
			ingestionJobId: job.id,
			status: state.status,
			statistics: {
				numberOfDocumentsScanned: documents.length,
				numberOfMetadataDocumentsScanned: 0,
				numberOfNewDocumentsIndexed: count('INDEXED', 'PARTIALLY_INDEXED'),
				numberOfModifiedDocumentsIndexed: 0,
				numberOfMetadataDocumentsModified: count('METADATA_PARTIALLY_INDEXED'),
				numberOfDocumentsDeleted: count('DELETING', 'DELETE_IN_PROGRESS'),
				numberOfDocumentsFailed: count('FAILED', 'METADATA_UPDATE_FAILED'),
				numberOfDocumentsSkipped: count('IGNORED'),
			},
			failureReasons: state.failureReasons,
			startedAt: iso(job.startedAt),
			updatedAt: iso(job.updatedAt),
		};
	}

	private newId(): string {
		let id = '';
		for (let i = 0; i < 10; i++) id += ALPHABET[this.env.random.int(0, ALPHABET.length - 1)];
		return id;
	}

	private newRequestId(): string {
		const counter = (this.nextRequestId++).toString(16).padStart(12, '0');
		return `b3d7a2e1-6c4f-4a8e-9b1d-${counter}`;
	}

	private ok(body: Record<string, JsonValue | undefined>): VendorResponse {
		return { status: 200, headers: this.commonHeaders(), body };
	}

	private error(name: string, message: string, status = BEDROCK_ERROR_STATUS[name] ?? 400): VendorResponse {
		this.errorsAnswered.push(name);
		const headers = this.commonHeaders();
		const body: Record<string, JsonValue> = { message };
		if (this.errorNameIn === 'header') headers['x-amzn-ErrorType'] = `${name}${NAMESPACE_SUFFIX}`;
		else if (this.errorNameIn === '__type') body.__type = `com.amazonaws.bedrockagent#${name}`;
		else body.code = name;
		return { status, headers, body };
	}

	private requireKnowledgeBase(id: string): BedrockKnowledgeBase {
		const knowledgeBase = this.knowledgeBases.get(id);
		if (!knowledgeBase) throw new Error(`Unknown Bedrock knowledge base ${id}`);
		return knowledgeBase;
	}

	private requireDataSource(knowledgeBaseId: string, dataSourceId: string): BedrockDataSource {
		const dataSource = this.requireKnowledgeBase(knowledgeBaseId).dataSources.get(dataSourceId);
		if (!dataSource) throw new Error(`Unknown Bedrock data source ${dataSourceId}`);
		return dataSource;
	}
}

// ---------------------------------------------------------------------------------------------
// Routing
// ---------------------------------------------------------------------------------------------

interface Route {
	operation: string;
	ids: Record<string, string>;
}

const ROUTES: Array<{ method: string; pattern: RegExp; operation: string; ids: string[] }> = [
	{ method: 'POST', pattern: /^\/knowledgebases\/$/, operation: 'ListKnowledgeBases', ids: [] },
	{ method: 'POST', pattern: /^\/knowledgebases\/([^/]+)\/datasources\/$/, operation: 'ListDataSources', ids: ['knowledgeBaseId'] },
	{ method: 'GET', pattern: /^\/knowledgebases\/([^/]+)\/datasources\/([^/]+)$/, operation: 'GetDataSource', ids: ['knowledgeBaseId', 'dataSourceId'] },
	{
		method: 'PUT',
		pattern: /^\/knowledgebases\/([^/]+)\/datasources\/([^/]+)\/ingestionjobs\/$/,
		operation: 'StartIngestionJob',
		ids: ['knowledgeBaseId', 'dataSourceId'],
	},
	{
		method: 'GET',
		pattern: /^\/knowledgebases\/([^/]+)\/datasources\/([^/]+)\/ingestionjobs\/([^/]+)$/,
		operation: 'GetIngestionJob',
		ids: ['knowledgeBaseId', 'dataSourceId', 'ingestionJobId'],
	},
	{
		method: 'POST',
		pattern: /^\/knowledgebases\/([^/]+)\/datasources\/([^/]+)\/documents\/getDocuments$/,
		operation: 'GetKnowledgeBaseDocuments',
		ids: ['knowledgeBaseId', 'dataSourceId'],
	},
	{
		method: 'POST',
		pattern: /^\/knowledgebases\/([^/]+)\/datasources\/([^/]+)\/documents$/,
		operation: 'ListKnowledgeBaseDocuments',
		ids: ['knowledgeBaseId', 'dataSourceId'],
	},
];

function routeOf(method: string, path: string): Route | null {
	for (const route of ROUTES) {
		const match = route.method === method ? route.pattern.exec(path) : null;
		if (!match) continue;
		const ids: Record<string, string> = {};
		route.ids.forEach((name, index) => (ids[name] = decodeURIComponent(match[index + 1])));
		return { operation: route.operation, ids };
	}
	return null;
}

function identifierId(identifier: LosslessJson): string | null {
	if (!isJsonObject(identifier)) return null;
	const custom = identifier.custom;
	const s3 = identifier.s3;
	if (identifier.dataSourceType === 'CUSTOM' && isJsonObject(custom) && typeof custom.id === 'string' && custom.id !== '') return custom.id;
	if (identifier.dataSourceType === 'S3' && isJsonObject(s3) && typeof s3.uri === 'string' && s3.uri.startsWith('s3://')) return s3.uri;
	return null;
}

function iso(ms: number): string {
	return new Date(ms).toISOString();
}
