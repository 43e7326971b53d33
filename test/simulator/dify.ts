/**
 * Simulated Dify Knowledge API (`/dify/v1/...`).
 *
 * Behaviour follows Dify's service API (`api/controllers/service_api/dataset/document.py`,
 * `wraps.py`, `libs/external_api.py`) and its OpenAPI spec:
 *
 * - Flask routing comes first: an unknown path is a 404 and a known path with the wrong
 *   method a 405, both before auth. `<uuid:…>` path parts must be UUIDs or the URL is unknown.
 * - Then `validate_dataset_token`: Bearer API key (401), then the dataset named in the path
 *   must exist (404 "Dataset not found.") and have API access enabled (403).
 * - Every error uses Dify's envelope `{"code","message","status"}`; `code` is the snake-cased
 *   werkzeug exception name (`not_found`, `unauthorized`, …), and a ValueError (which includes
 *   pydantic validation errors) becomes 400 `invalid_param`.
 * - Timestamps are Unix seconds.
 *
 * Deliberate choices, documented for test writers:
 * - The plan rate limit (`setRateLimit`) counts every authenticated request in a sliding
 *   60 s window of the simulator clock and answers 403 `forbidden` like Dify Cloud. Rejected
 *   requests count too (Dify adds to its window before comparing).
 * - `has_more` is `len(page) == limit`, exactly Dify's formula: a full last page says
 *   `has_more: true` and the next page is empty.
 * - `limit` over 100: Dify silently caps the page at 100; the simulator answers 400
 *   `invalid_param` by default so tests can prove clients stay within 100. Set
 *   `listLimitMode = 'cap'` for Dify's own behaviour.
 * - Status calls tick (advance) each document they report: indexing-status ticks the batch,
 *   the document list ticks the listed page, the detail ticks the document (except with
 *   `metadata=only`, which reports no status).
 */

import type { VendorEnvironment, VendorModule, VendorRequest, VendorResponse } from './index';
import { type JsonValue, type LosslessJson, isJsonObject, parseJsonLossless } from './json';
import { type Script, ScriptCursor, compactUtcTimestamp, cursorFor } from './script';

// ---------------------------------------------------------------------------------------------
// Scripts
// ---------------------------------------------------------------------------------------------

/** Dify's `indexing_status` values as stored on the document (`paused` is derived, see below). */
export type DifyIndexingStatus = 'waiting' | 'parsing' | 'cleaning' | 'splitting' | 'indexing' | 'completed' | 'error';

/** One step of a Dify document's life. */
export interface DifyDocState {
	indexing_status: DifyIndexingStatus;
	completed_segments: number;
	total_segments: number;
	/** Error message; only meaningful with `indexing_status: 'error'`. */
	error?: string | null;
	/**
	 * Paused by a user. Like Dify, the stored status stays what it was (e.g. `indexing`); the
	 * indexing-status endpoint reports `paused`, the detail/list report `display_status: paused`.
	 */
	is_paused?: boolean;
}

export type DifyScript = Script<DifyDocState>;

export interface DifyScriptOptions {
	/** Number of segments (chunks) the document splits into. */
	segments: number;
	/** Fail with this message (status `error`, `stopped_at` set). */
	fail?: string;
	/** Stage where the failure happens (default `indexing`, halfway through the segments). */
	failAt?: 'parsing' | 'cleaning' | 'splitting' | 'indexing';
	/** Observations spent in `waiting` (default `ticksPerStage`; 0 skips the queue). */
	waiting?: number;
	/** Pause halfway through indexing; the paused state then sticks. */
	paused?: boolean;
	/** Observations each non-terminal state is held (default 1). */
	ticksPerStage?: number;
	/** Distinct `completed_segments` values shown while indexing (default min(segments, 10), at least 1). */
	indexingTicks?: number;
}

function state(
	indexing_status: DifyIndexingStatus,
	completed_segments = 0,
	total_segments = 0,
	extra: Partial<DifyDocState> = {},
): DifyDocState {
	return { indexing_status, completed_segments, total_segments, error: null, ...extra };
}

/**
 * A realistic script: waiting → parsing → cleaning → splitting → indexing (completed_segments
 * rising) → completed, or → error with `fail`, or a sticky pause with `paused`.
 */
export function difyScript(options: DifyScriptOptions): DifyScript {
	const { segments } = options;
	if (!Number.isInteger(segments) || segments < 0) throw new Error('segments must be a non-negative integer');
	if (options.paused && options.fail !== undefined) throw new Error('A script cannot both pause and fail');
	const perStage = options.ticksPerStage ?? 1;
	const failAt = options.fail !== undefined ? (options.failAt ?? 'indexing') : undefined;
	const steps: { state: DifyDocState; repeat?: number }[] = [];
	const hold = (s: DifyDocState, repeat = perStage) => {
		if (repeat > 0) steps.push({ state: s, repeat });
	};
	const errorState = (completed: number, total: number) =>
		state('error', completed, total, { error: options.fail ?? 'Unknown error' });

	hold(state('waiting'), options.waiting ?? perStage);
	for (const stage of ['parsing', 'cleaning', 'splitting'] as const) {
		hold(state(stage));
		if (failAt === stage) {
			steps.push({ state: errorState(0, 0) });
			return steps;
		}
	}

	// Segments exist (total known) once splitting is done; each one completes as it is embedded.
	const ticks = Math.max(1, options.indexingTicks ?? Math.min(segments, 10));
	const stopAt = failAt === 'indexing' || options.paused ? Math.ceil(ticks / 2) : ticks;
	const completedAt = (i: number) => Math.floor((segments * i) / ticks);
	for (let i = 0; i < stopAt; i++) hold(state('indexing', completedAt(i), segments));
	if (options.paused) {
		steps.push({ state: state('indexing', completedAt(stopAt), segments, { is_paused: true }) });
	} else if (failAt === 'indexing') {
		steps.push({ state: errorState(completedAt(stopAt), segments) });
	} else {
		steps.push({ state: state('completed', segments, segments) });
	}
	return steps;
}

/** A document that is already indexed when added. */
export function difyCompletedScript(segments = 3): DifyScript {
	return [{ state: state('completed', segments, segments) }];
}

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

export interface DifyDocumentInput {
	name: string;
	script?: DifyScript;
	/** UUID; generated when omitted. */
	id?: string;
	/** Document text; drives `word_count`/`tokens` (default: derived from the segment count). */
	text?: string;
	/** Disabled documents show `display_status: disabled` once completed. */
	enabled?: boolean;
	archived?: boolean;
	/**
	 * Move one script step every `msPerStep` of simulator time (from when the document is added)
	 * instead of one step per status read: see TimedScriptCursor.
	 */
	msPerStep?: number;
}

/** Exactly the item shape of `GET …/documents/{batch}/indexing-status`. */
export interface DifyStatusEntry {
	id: string;
	indexing_status: DifyIndexingStatus | 'paused';
	processing_started_at: number | null;
	parsing_completed_at: number | null;
	cleaning_completed_at: number | null;
	splitting_completed_at: number | null;
	completed_at: number | null;
	paused_at: number | null;
	error: string | null;
	stopped_at: number | null;
	completed_segments: number;
	total_segments: number;
}

interface Timestamps {
	processing_started_at: number | null;
	parsing_completed_at: number | null;
	cleaning_completed_at: number | null;
	splitting_completed_at: number | null;
	completed_at: number | null;
	paused_at: number | null;
	stopped_at: number | null;
	updated_at: number;
}

interface DifyDocument {
	id: string;
	datasetId: string;
	batch: string;
	name: string;
	position: number;
	createdAt: number;
	secondsPerTick: number;
	cursor: ScriptCursor<DifyDocState>;
	timeline: Timestamps[];
	text?: string;
	enabled: boolean;
	archived: boolean;
	deleted: boolean;
	uploadFileId: string;
}

interface DifyDataset {
	id: string;
	name: string;
	indexingTechnique: 'high_quality' | 'economy' | null;
	apiEnabled: boolean;
	createdAt: number;
	processRuleId: string;
	documents: DifyDocument[];
	nextPosition: number;
}

export interface DifyDatasetOptions {
	name?: string;
	/** `null` makes `indexing_technique` required on the first create-by-text, like Dify. */
	indexingTechnique?: 'high_quality' | 'economy' | null;
	/** `false` answers 403 "Dataset api access is not enabled." */
	apiEnabled?: boolean;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STAGE_RANK: Record<DifyIndexingStatus, number> = {
	waiting: 0,
	parsing: 1,
	cleaning: 2,
	splitting: 3,
	indexing: 4,
	completed: 5,
	error: -1,
};

// Werkzeug's standard descriptions, which Dify passes through as `message`.
const HTTP_ERRORS: Record<number, [code: string, message: string]> = {
	400: ['bad_request', 'The browser (or proxy) sent a request that this server could not understand.'],
	401: [
		'unauthorized',
		"The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn't understand how to supply the credentials required.",
	],
	403: [
		'forbidden',
		"You don't have the permission to access the requested resource. It is either read-protected or not readable by the server.",
	],
	404: [
		'not_found',
		'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.',
	],
	405: ['method_not_allowed', 'The method is not allowed for the requested URL.'],
	408: [
		'request_timeout',
		"The server closed the network connection because the browser didn't finish the request within the specified time.",
	],
	409: [
		'conflict',
		'A conflict happened while processing the request. The resource might have been modified while the request was being processed.',
	],
	413: ['request_entity_too_large', 'The data value transmitted exceeds the capacity limit.'],
	415: ['unsupported_media_type', 'The server does not support the media type transmitted in the request.'],
	429: ['too_many_requests', 'This user has exceeded an allotted request count. Try again later.'],
	500: [
		'internal_server_error',
		'The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.',
	],
	502: ['bad_gateway', 'The proxy server received an invalid response from an upstream server.'],
	503: [
		'service_unavailable',
		'The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later.',
	],
	504: ['gateway_timeout', 'The connection to an upstream server timed out.'],
};

export const DIFY_RATE_LIMIT_MESSAGE =
	'Sorry, you have reached the knowledge base request rate limit of your subscription.';

function difyError(status: number, code: string, message: string, headers?: Record<string, string>): VendorResponse {
	return { status, headers, body: { code, message, status } };
}

/** A pydantic-style message, as Dify's `invalid_param` answers carry for request validation. */
function validationMessage(model: string, errors: { loc: string; msg: string; type: string }[]): string {
	const head = `${errors.length} validation error${errors.length === 1 ? '' : 's'} for ${model}`;
	return [head, ...errors.map((e) => `${e.loc}\n  ${e.msg} [type=${e.type}]`)].join('\n');
}

// ---------------------------------------------------------------------------------------------
// The vendor module
// ---------------------------------------------------------------------------------------------

interface RouteMatch {
	allowed: string[];
	datasetId?: string;
	run: (request: VendorRequest, dataset: DifyDataset | undefined) => VendorResponse;
}

export class DifySimulator implements VendorModule {
	readonly name = 'dify';
	readonly prefix = '/dify/v1';
	/** What a user would put in the credential's base URL. */
	readonly baseUrl: string;

	/** Script for documents created through the API or added without one. */
	defaultScript: DifyScript = difyScript({ segments: 3 });
	/** Simulated seconds between two consecutive observations, for the timestamps. */
	secondsPerTick = 2;
	/** How `limit` > 100 is answered: `reject` (400 invalid_param, default) or `cap` (Dify's own). */
	listLimitMode: 'reject' | 'cap' = 'reject';
	/**
	 * The document detail call `GET /datasets/{id}/documents/{document_id}`: `present` (default),
	 * or missing as on older self-hosted releases, answered with 404 (Flask's unknown URL) or
	 * 405 (the path served only other methods).
	 */
	documentDetailRoute: 'present' | 'missing404' | 'missing405' = 'present';

	private readonly apiKeys = new Set<string>();
	private readonly datasets = new Map<string, DifyDataset>();
	private readonly batches = new Set<string>();
	private rateLimitPerMinute: number | null = null;
	private rateWindow: number[] = [];
	private readonly accountId: string;

	constructor(private readonly env: VendorEnvironment) {
		this.baseUrl = env.baseUrl;
		this.accountId = env.random.uuid();
	}

	// ----- control API ------------------------------------------------------------------------

	/** Registers a dataset API key; one key works on every dataset, as in Dify. */
	addApiKey(key: string): void {
		this.apiKeys.add(key);
	}

	removeApiKey(key: string): void {
		this.apiKeys.delete(key);
	}

	/** Creates a dataset and returns its id (a UUID). */
	addDataset(id?: string, options: DifyDatasetOptions = {}): string {
		const datasetId = (id ?? this.env.random.uuid()).toLowerCase();
		if (!UUID_PATTERN.test(datasetId)) throw new Error(`Dify dataset ids are UUIDs, got ${datasetId}`);
		if (this.datasets.has(datasetId)) throw new Error(`Dataset ${datasetId} already exists`);
		this.datasets.set(datasetId, {
			id: datasetId,
			name: options.name ?? `Knowledge ${this.datasets.size + 1}`,
			indexingTechnique: options.indexingTechnique === undefined ? 'high_quality' : options.indexingTechnique,
			apiEnabled: options.apiEnabled ?? true,
			createdAt: this.env.clock.nowSeconds(),
			processRuleId: this.env.random.uuid(),
			documents: [],
			nextPosition: 1,
		});
		return datasetId;
	}

	/** Turns the dataset's API access on or off (off → 403 "Dataset api access is not enabled."). */
	setApiAccess(datasetId: string, enabled: boolean): void {
		this.requireDataset(datasetId).apiEnabled = enabled;
	}

	/**
	 * Adds documents in one batch (a new one unless `options.batch` is given) and returns the
	 * batch and the document ids in input order.
	 */
	addDocuments(
		datasetId: string,
		docs: DifyDocumentInput[],
		options: { batch?: string } = {},
	): { batch: string; documentIds: string[] } {
		const dataset = this.requireDataset(datasetId);
		const batch = options.batch ?? this.newBatch();
		this.batches.add(batch);
		const documentIds = docs.map((input) => this.createDocument(dataset, batch, input).id);
		return { batch, documentIds };
	}

	/** Marks a document deleted: every endpoint answers as if it never existed. */
	deleteDocument(datasetId: string, documentId: string): void {
		this.requireDocument(datasetId, documentId).deleted = true;
	}

	/**
	 * Replaces a document's script and restarts it from the first step (a re-index); with
	 * `msPerStep` the new script moves with the clock from now.
	 */
	setScript(datasetId: string, documentId: string, script: DifyScript, msPerStep?: number): void {
		const doc = this.requireDocument(datasetId, documentId);
		doc.cursor = cursorFor(script, this.env.clock, msPerStep);
		const startedAt = msPerStep === undefined ? doc.createdAt : this.env.clock.nowSeconds();
		if (msPerStep !== undefined) doc.secondsPerTick = msPerStep / 1000;
		doc.timeline = buildTimeline(doc.cursor, startedAt, doc.secondsPerTick);
	}

	/**
	 * Enables Dify Cloud's knowledge request rate limit (requests per sliding minute of the
	 * simulator clock); `null` disables it. Resets the window.
	 */
	setRateLimit(perMinute: number | null): void {
		this.rateLimitPerMinute = perMinute;
		this.rateWindow = [];
	}

	/** What the next indexing-status call will show for this document, without ticking it. */
	peekDocument(datasetId: string, documentId: string): DifyStatusEntry {
		const doc = this.requireDocument(datasetId, documentId);
		return statusEntry(doc, doc.cursor.observationCount);
	}

	/** How many status calls have observed (ticked) the document. */
	observationCount(datasetId: string, documentId: string): number {
		return this.requireDocument(datasetId, documentId).cursor.observationCount;
	}

	// ----- VendorModule -----------------------------------------------------------------------

	errorResponse(status: number): VendorResponse {
		const [code, message] = HTTP_ERRORS[status] ?? [`http_${status}`, `HTTP ${status}`];
		return difyError(status, code, message);
	}

	commonHeaders(): Record<string, string> {
		return {};
	}

	handle(request: VendorRequest): VendorResponse {
		const route = this.route(request.path);
		if (!route) return this.errorResponse(404);

		// Flask answers HEAD like GET and OPTIONS with the allowed methods.
		const allowed = route.allowed.includes('GET') ? [...route.allowed, 'HEAD', 'OPTIONS'] : [...route.allowed, 'OPTIONS'];
		const allowHeader = { Allow: [...allowed].sort().join(', ') };
		if (request.method === 'OPTIONS') return { status: 200, headers: allowHeader, rawBody: '' };
		if (!allowed.includes(request.method)) {
			const [code, message] = HTTP_ERRORS[405];
			return difyError(405, code, message, allowHeader);
		}

		const authFailure = this.authenticate(request);
		if (authFailure) return authFailure;

		let dataset: DifyDataset | undefined;
		if (route.datasetId !== undefined) {
			dataset = this.datasets.get(route.datasetId);
			if (!dataset) return difyError(404, 'not_found', 'Dataset not found.');
			if (!dataset.apiEnabled) return difyError(403, 'forbidden', 'Dataset api access is not enabled.');
		}

		if (this.rateLimited()) return difyError(403, 'forbidden', DIFY_RATE_LIMIT_MESSAGE);

		return route.run(request, dataset);
	}

	// ----- routing ----------------------------------------------------------------------------

	private route(path: string): RouteMatch | undefined {
		const parts = path.split('/').slice(1);
		if (parts.length === 1 && parts[0] === 'datasets') {
			return { allowed: ['GET'], run: (req) => this.listDatasets(req) };
		}
		if (parts[0] !== 'datasets' || parts.length < 3 || !UUID_PATTERN.test(parts[1])) return undefined;
		const datasetId = parts[1].toLowerCase();
		const withDataset = (allowed: string[], run: (req: VendorRequest, dataset: DifyDataset) => VendorResponse) => ({
			allowed,
			datasetId,
			run: (req: VendorRequest, dataset: DifyDataset | undefined) => run(req, dataset as DifyDataset),
		});

		if (parts.length === 3 && parts[2] === 'documents') {
			return withDataset(['GET'], (req, ds) => this.listDocuments(req, ds));
		}
		if (parts.length === 4 && parts[2] === 'document' && (parts[3] === 'create-by-text' || parts[3] === 'create_by_text')) {
			return withDataset(['POST'], (req, ds) => this.createByText(req, ds));
		}
		if (parts.length === 5 && parts[2] === 'documents' && parts[3] !== '' && parts[4] === 'indexing-status') {
			const batch = decodeURIComponent(parts[3]);
			return withDataset(['GET'], (_req, ds) => this.indexingStatus(ds, batch));
		}
		if (parts.length === 4 && parts[2] === 'documents' && UUID_PATTERN.test(parts[3])) {
			const documentId = parts[3].toLowerCase();
			if (this.documentDetailRoute === 'missing404') return undefined;
			if (this.documentDetailRoute === 'missing405') return withDataset(['DELETE'], () => ({ status: 204, body: '' }));
			return withDataset(['GET'], (req, ds) => this.documentDetail(req, ds, documentId));
		}
		return undefined;
	}

	private authenticate(request: VendorRequest): VendorResponse | undefined {
		// Same checks and messages as Dify's validate_and_get_api_token.
		const header = request.headers.authorization;
		const match = typeof header === 'string' ? /^\s*(\S+)\s+([\s\S]*)$/.exec(header) : null;
		if (!match) {
			return difyError(401, 'unauthorized', "Authorization header must be provided and start with 'Bearer'");
		}
		if (match[1].toLowerCase() !== 'bearer') {
			return difyError(401, 'unauthorized', "Authorization scheme must be 'Bearer'");
		}
		if (!this.apiKeys.has(match[2])) return difyError(401, 'unauthorized', 'Access token is invalid');
		return undefined;
	}

	private rateLimited(): boolean {
		if (this.rateLimitPerMinute === null) return false;
		const now = this.env.clock.now();
		this.rateWindow = this.rateWindow.filter((t) => t > now - 60_000);
		this.rateWindow.push(now);
		return this.rateWindow.length > this.rateLimitPerMinute;
	}

	// ----- endpoints --------------------------------------------------------------------------

	private listDatasets(request: VendorRequest): VendorResponse {
		const paging = this.parsePaging(request.query, 'DatasetListQuery');
		if ('error' in paging) return paging.error;
		const keyword = request.query.get('keyword');
		// Dify filters with SQL ILIKE '%keyword%': a substring, whatever the case.
		const matching = [...this.datasets.values()]
			.filter((ds) => !keyword || ds.name.toLowerCase().includes(keyword.toLowerCase()))
			.reverse(); // newest first, like Dify's created_at desc
		const page = matching.slice((paging.page - 1) * paging.perPage, paging.page * paging.perPage);
		return {
			status: 200,
			body: {
				data: page.map((ds) => this.datasetJson(ds)),
				has_more: page.length === paging.limit,
				limit: paging.limit,
				total: matching.length,
				page: paging.page,
			},
		};
	}

	private listDocuments(request: VendorRequest, dataset: DifyDataset): VendorResponse {
		const paging = this.parsePaging(request.query, 'DocumentListQuery');
		if ('error' in paging) return paging.error;
		const keyword = request.query.get('keyword');
		const status = request.query.get('status');
		const matching = liveDocuments(dataset)
			.filter((doc) => !keyword || doc.name.includes(keyword))
			// Filter on what the client is about to see; unknown filter values filter nothing.
			.filter((doc) => !status || !DISPLAY_STATUSES.has(status) || displayStatus(doc, doc.cursor.peek()) === status)
			// Dify orders by created_at desc, position desc.
			.sort((a, b) => b.createdAt - a.createdAt || b.position - a.position);
		const page = matching.slice((paging.page - 1) * paging.perPage, paging.page * paging.perPage);
		return {
			status: 200,
			body: {
				data: page.map((doc) => this.documentListJson(doc, observe(doc))),
				has_more: page.length === paging.limit,
				limit: paging.limit,
				total: matching.length,
				page: paging.page,
			},
		};
	}

	private indexingStatus(dataset: DifyDataset, batch: string): VendorResponse {
		const documents = liveDocuments(dataset).filter((doc) => doc.batch === batch);
		if (documents.length === 0) return difyError(404, 'not_found', 'Documents not found.');
		return { status: 200, body: { data: documents.map((doc) => statusEntry(doc, observe(doc)) as unknown as JsonValue) } };
	}

	private documentDetail(request: VendorRequest, dataset: DifyDataset, documentId: string): VendorResponse {
		const doc = liveDocuments(dataset).find((d) => d.id === documentId);
		if (!doc) return difyError(404, 'not_found', 'Document not found.');
		const metadata = request.query.get('metadata') ?? 'all';
		if (metadata !== 'all' && metadata !== 'only' && metadata !== 'without') {
			// Dify's InvalidMetadataError (400 `invalid_metadata`), checked after the lookup.
			return difyError(400, 'invalid_metadata', `Invalid metadata value: ${metadata}`);
		}
		if (metadata === 'only') {
			// No status in this shape, so nothing is observed and the document does not tick.
			return { status: 200, body: { id: doc.id, doc_type: null, doc_metadata: [] } };
		}
		return { status: 200, body: this.documentDetailJson(doc, observe(doc), metadata === 'all') };
	}

	private createByText(request: VendorRequest, dataset: DifyDataset): VendorResponse {
		const parsed = parseFlaskJson(request);
		if ('error' in parsed) return parsed.error;
		// flask-restx: `ns.payload or {}`, so a JSON null counts as an empty object.
		const payload = parsed.value ?? {};
		if (!isJsonObject(payload)) {
			return difyError(
				400,
				'invalid_param',
				validationMessage('DocumentTextCreatePayload', [
					{ loc: '', msg: 'Input should be a valid dictionary or instance of DocumentTextCreatePayload', type: 'model_type' },
				]),
			);
		}
		const problems: { loc: string; msg: string; type: string }[] = [];
		for (const field of ['name', 'text'] as const) {
			const value = payload[field];
			if (value === undefined) problems.push({ loc: field, msg: 'Field required', type: 'missing' });
			else if (typeof value !== 'string') problems.push({ loc: field, msg: 'Input should be a valid string', type: 'string_type' });
		}
		if (problems.length > 0) {
			return difyError(400, 'invalid_param', validationMessage('DocumentTextCreatePayload', problems));
		}
		const technique = payload.indexing_technique;
		if (technique !== undefined && technique !== null && technique !== 'high_quality' && technique !== 'economy') {
			return difyError(
				400,
				'invalid_param',
				validationMessage('KnowledgeConfig', [
					{ loc: 'indexing_technique', msg: "Input should be 'high_quality' or 'economy'", type: 'literal_error' },
				]),
			);
		}
		if (!dataset.indexingTechnique && !technique) {
			return difyError(400, 'invalid_param', 'indexing_technique is required.');
		}
		if (!dataset.indexingTechnique) dataset.indexingTechnique = technique as 'high_quality' | 'economy';

		const batch = this.newBatch();
		this.batches.add(batch);
		const doc = this.createDocument(dataset, batch, {
			name: payload.name as string,
			text: payload.text as string,
			script: this.defaultScript,
		});
		// Creating is not a status observation: the document shows its first state and does not tick.
		return { status: 200, body: { document: this.documentListJson(doc, doc.cursor.observationCount), batch } };
	}

	// ----- helpers ----------------------------------------------------------------------------

	private parsePaging(
		query: URLSearchParams,
		model: string,
	): { page: number; limit: number; perPage: number } | { error: VendorResponse } {
		const problems: { loc: string; msg: string; type: string }[] = [];
		const readInt = (name: string, fallback: number): number => {
			const raw = query.get(name);
			if (raw === null) return fallback;
			if (!/^\s*[+-]?\d+\s*$/.test(raw)) {
				problems.push({ loc: name, msg: 'Input should be a valid integer, unable to parse string as an integer', type: 'int_parsing' });
				return fallback;
			}
			return Number.parseInt(raw, 10);
		};
		const page = readInt('page', 1);
		const limit = readInt('limit', 20);
		if (problems.length === 0) {
			if (page < 1) problems.push({ loc: 'page', msg: 'Input should be greater than or equal to 1', type: 'greater_than_equal' });
			if (limit < 1) problems.push({ loc: 'limit', msg: 'Input should be greater than or equal to 1', type: 'greater_than_equal' });
			else if (limit > 100 && this.listLimitMode === 'reject') {
				problems.push({ loc: 'limit', msg: 'Input should be less than or equal to 100', type: 'less_than_equal' });
			}
		}
		if (problems.length > 0) return { error: difyError(400, 'invalid_param', validationMessage(model, problems)) };
		return { page, limit, perPage: Math.min(limit, 100) };
	}

	private newBatch(): string {
		// Dify: time.strftime("%Y%m%d%H%M%S") + str(random.randint(100000, 999999)).
		for (;;) {
			const batch = compactUtcTimestamp(this.env.clock.now()) + String(this.env.random.int(100000, 999999));
			if (!this.batches.has(batch)) return batch;
		}
	}

	private createDocument(dataset: DifyDataset, batch: string, input: DifyDocumentInput): DifyDocument {
		const id = (input.id ?? this.env.random.uuid()).toLowerCase();
		if (!UUID_PATTERN.test(id)) throw new Error(`Dify document ids are UUIDs, got ${id}`);
		if (this.findDocument(id)) throw new Error(`Document ${id} already exists`);
		const cursor = cursorFor(input.script ?? this.defaultScript, this.env.clock, input.msPerStep);
		const createdAt = this.env.clock.nowSeconds();
		const secondsPerTick = input.msPerStep === undefined ? this.secondsPerTick : input.msPerStep / 1000;
		const doc: DifyDocument = {
			id,
			datasetId: dataset.id,
			batch,
			name: input.name,
			position: dataset.nextPosition++,
			createdAt,
			secondsPerTick,
			cursor,
			timeline: buildTimeline(cursor, createdAt, secondsPerTick),
			text: input.text,
			enabled: input.enabled ?? true,
			archived: input.archived ?? false,
			deleted: false,
			uploadFileId: this.env.random.uuid(),
		};
		dataset.documents.push(doc);
		return doc;
	}

	private findDocument(documentId: string): DifyDocument | undefined {
		for (const dataset of this.datasets.values()) {
			const doc = dataset.documents.find((d) => d.id === documentId);
			if (doc) return doc;
		}
		return undefined;
	}

	private requireDataset(datasetId: string): DifyDataset {
		const dataset = this.datasets.get(datasetId.toLowerCase());
		if (!dataset) throw new Error(`Unknown Dify dataset ${datasetId}`);
		return dataset;
	}

	private requireDocument(datasetId: string, documentId: string): DifyDocument {
		const doc = this.requireDataset(datasetId).documents.find((d) => d.id === documentId.toLowerCase());
		if (!doc) throw new Error(`Unknown Dify document ${documentId} in dataset ${datasetId}`);
		return doc;
	}

	private datasetJson(ds: DifyDataset): JsonValue {
		const docs = liveDocuments(ds);
		const wordCount = docs.reduce((sum, doc) => sum + wordCountOf(doc, doc.cursor.peek()), 0);
		return {
			id: ds.id,
			name: ds.name,
			description: '',
			provider: 'vendor',
			permission: 'only_me',
			data_source_type: docs.length > 0 ? 'upload_file' : null,
			indexing_technique: ds.indexingTechnique,
			app_count: 0,
			document_count: docs.length,
			word_count: wordCount,
			created_by: this.accountId,
			author_name: 'simulator',
			created_at: ds.createdAt,
			updated_by: this.accountId,
			updated_at: ds.createdAt,
			embedding_model: ds.indexingTechnique === 'high_quality' ? 'text-embedding-3-small' : null,
			embedding_model_provider: ds.indexingTechnique === 'high_quality' ? 'langgenius/openai/openai' : null,
			embedding_available: true,
			retrieval_model_dict: {
				search_method: 'semantic_search',
				reranking_enable: false,
				reranking_mode: null,
				reranking_model: { reranking_provider_name: '', reranking_model_name: '' },
				weights: null,
				top_k: 3,
				score_threshold_enabled: false,
				score_threshold: null,
			},
			tags: [],
			doc_form: 'text_model',
			external_knowledge_info: null,
			external_retrieval_model: null,
			doc_metadata: [],
			built_in_field_enabled: false,
			total_documents: docs.length,
			total_available_documents: docs.filter((doc) => displayStatus(doc, doc.cursor.peek()) === 'available').length,
			enable_api: ds.apiEnabled,
		};
	}

	/** Dify's `document_fields` (list entries and the create response). */
	private documentListJson(doc: DifyDocument, index: number): JsonValue {
		const s = doc.cursor.stateAt(index);
		return {
			id: doc.id,
			position: doc.position,
			data_source_type: 'upload_file',
			data_source_info: { upload_file_id: doc.uploadFileId },
			data_source_detail_dict: { upload_file: this.uploadFileJson(doc) },
			dataset_process_rule_id: this.datasets.get(doc.datasetId)?.processRuleId ?? null,
			name: doc.name,
			created_from: 'api',
			created_by: this.accountId,
			created_at: doc.createdAt,
			tokens: tokensOf(doc, s),
			indexing_status: s.indexing_status,
			error: s.indexing_status === 'error' ? (s.error ?? null) : null,
			enabled: doc.enabled,
			disabled_at: doc.enabled ? null : doc.createdAt,
			disabled_by: doc.enabled ? null : this.accountId,
			archived: doc.archived,
			display_status: displayStatus(doc, s),
			word_count: wordCountOf(doc, s),
			hit_count: 0,
			doc_form: 'text_model',
			doc_metadata: [],
			summary_index_status: null,
			need_summary: false,
		};
	}

	/** The single-document detail; no `completed_segments`, but `segment_count`. */
	private documentDetailJson(doc: DifyDocument, index: number, withMetadata: boolean): JsonValue {
		const s = doc.cursor.stateAt(index);
		const t = timestampsAt(doc, index);
		const segmentCount = s.total_segments;
		const wordCount = wordCountOf(doc, s);
		return {
			id: doc.id,
			position: doc.position,
			data_source_type: 'upload_file',
			data_source_info: { upload_file: this.uploadFileJson(doc) },
			dataset_process_rule_id: this.datasets.get(doc.datasetId)?.processRuleId ?? null,
			dataset_process_rule: { mode: 'automatic', rules: {} },
			document_process_rule: {},
			name: doc.name,
			created_from: 'api',
			created_by: this.accountId,
			created_at: doc.createdAt,
			tokens: tokensOf(doc, s),
			// The stored status: a paused document still says e.g. `indexing` here, beside its
			// pause flag (Dify's Document.to_dict carries is_paused).
			indexing_status: s.indexing_status,
			is_paused: Boolean(s.is_paused),
			completed_at: t.completed_at,
			updated_at: t.updated_at,
			indexing_latency:
				t.completed_at !== null && t.processing_started_at !== null ? t.completed_at - t.processing_started_at : null,
			error: s.indexing_status === 'error' ? (s.error ?? null) : null,
			enabled: doc.enabled,
			disabled_at: doc.enabled ? null : doc.createdAt,
			disabled_by: doc.enabled ? null : this.accountId,
			archived: doc.archived,
			doc_type: withMetadata ? null : undefined,
			doc_metadata: withMetadata ? [] : undefined,
			segment_count: segmentCount,
			average_segment_length: segmentCount > 0 ? Math.round(wordCount / segmentCount) : 0,
			hit_count: 0,
			display_status: displayStatus(doc, s),
			doc_form: 'text_model',
			doc_language: 'English',
		};
	}

	private uploadFileJson(doc: DifyDocument): JsonValue {
		return {
			id: doc.uploadFileId,
			name: doc.name,
			// The uploaded file exists before indexing, so its size is the final word count.
			size: doc.text !== undefined ? Buffer.byteLength(doc.text) : doc.cursor.stateAt(doc.cursor.length - 1).total_segments * 120,
			extension: 'txt',
			mime_type: 'text/plain',
			created_by: this.accountId,
			created_at: doc.createdAt,
		};
	}
}

// ---------------------------------------------------------------------------------------------
// Pure helpers
// ---------------------------------------------------------------------------------------------

const DISPLAY_STATUSES = new Set(['queuing', 'indexing', 'paused', 'error', 'available', 'disabled', 'archived']);

function liveDocuments(dataset: DifyDataset): DifyDocument[] {
	return dataset.documents.filter((doc) => !doc.deleted);
}

/** Counts one observation and returns the expanded script index that was shown. */
function observe(doc: DifyDocument): number {
	const index = doc.cursor.observationCount;
	doc.cursor.observe();
	return index;
}

/** Dify's `Document.display_status` (api/models/dataset.py), in the same order of checks. */
function displayStatus(doc: DifyDocument, s: DifyDocState): string | null {
	const status = s.indexing_status;
	if (status === 'waiting') return 'queuing';
	if (status !== 'completed' && status !== 'error' && s.is_paused) return 'paused';
	if (status === 'parsing' || status === 'cleaning' || status === 'splitting' || status === 'indexing') return 'indexing';
	if (status === 'error') return 'error';
	if (status === 'completed' && !doc.archived && doc.enabled) return 'available';
	if (status === 'completed' && !doc.archived && !doc.enabled) return 'disabled';
	if (status === 'completed' && doc.archived) return 'archived';
	return null;
}

/** word_count is known once the text is split into segments. */
function wordCountOf(doc: DifyDocument, s: DifyDocState): number {
	if (s.total_segments === 0 && s.indexing_status !== 'completed') return 0;
	return doc.text !== undefined ? doc.text.length : s.total_segments * 120;
}

/** tokens are written when indexing completes. */
function tokensOf(doc: DifyDocument, s: DifyDocState): number {
	return s.indexing_status === 'completed' ? Math.ceil(wordCountOf(doc, s) / 4) : 0;
}

function statusEntry(doc: DifyDocument, index: number): DifyStatusEntry {
	const s = doc.cursor.stateAt(index);
	const t = timestampsAt(doc, index);
	return {
		id: doc.id,
		indexing_status: s.is_paused && s.indexing_status !== 'completed' && s.indexing_status !== 'error' ? 'paused' : s.indexing_status,
		processing_started_at: t.processing_started_at,
		parsing_completed_at: t.parsing_completed_at,
		cleaning_completed_at: t.cleaning_completed_at,
		splitting_completed_at: t.splitting_completed_at,
		completed_at: t.completed_at,
		paused_at: t.paused_at,
		error: s.indexing_status === 'error' ? (s.error ?? null) : null,
		stopped_at: t.stopped_at,
		completed_segments: s.completed_segments,
		total_segments: s.total_segments,
	};
}

function timestampsAt(doc: DifyDocument, index: number): Timestamps {
	return doc.timeline[Math.min(index, doc.timeline.length - 1)];
}

/**
 * Precomputes the timestamps a document shows at each observation. Observation k happens at
 * `createdAt + k * secondsPerTick`; a stage's "completed" timestamp is the time the document
 * was first seen past that stage, the way Dify's indexing runner stamps each transition.
 */
function buildTimeline(cursor: ScriptCursor<DifyDocState>, createdAt: number, secondsPerTick: number): Timestamps[] {
	const timeline: Timestamps[] = [];
	let current: Timestamps = {
		processing_started_at: null,
		parsing_completed_at: null,
		cleaning_completed_at: null,
		splitting_completed_at: null,
		completed_at: null,
		paused_at: null,
		stopped_at: null,
		updated_at: createdAt,
	};
	let previous: DifyDocState | undefined;
	for (let k = 0; k < cursor.length; k++) {
		const s = cursor.stateAt(k);
		// Whole seconds, as Dify writes them (a timed script may step in fractions of a second).
		const at = Math.floor(createdAt + k * secondsPerTick);
		const rank = STAGE_RANK[s.indexing_status];
		const next = { ...current };
		const stamp = (key: keyof Omit<Timestamps, 'updated_at'>) => {
			if (next[key] === null) next[key] = at;
		};
		if (rank >= 1) stamp('processing_started_at');
		if (rank >= 2) stamp('parsing_completed_at');
		if (rank >= 3) stamp('cleaning_completed_at');
		if (rank >= 4) stamp('splitting_completed_at');
		if (s.indexing_status === 'completed') stamp('completed_at');
		if (s.indexing_status === 'error') stamp('stopped_at');
		if (s.is_paused) stamp('paused_at');
		if (previous !== undefined && !sameState(previous, s)) next.updated_at = at;
		timeline.push(next);
		current = next;
		previous = s;
	}
	return timeline;
}

function sameState(a: DifyDocState, b: DifyDocState): boolean {
	return (
		a.indexing_status === b.indexing_status &&
		a.completed_segments === b.completed_segments &&
		a.total_segments === b.total_segments &&
		Boolean(a.is_paused) === Boolean(b.is_paused)
	);
}

/**
 * Reads a JSON body the way Flask's `request.get_json()` does: 415 when the Content-Type is
 * not JSON, 400 `bad_request` when it does not parse (an empty body does not parse either).
 */
function parseFlaskJson(request: VendorRequest): { value: LosslessJson } | { error: VendorResponse } {
	const contentType = request.headers['content-type'] ?? '';
	const mimetype = contentType.split(';')[0].trim().toLowerCase();
	if (mimetype !== 'application/json' && !(mimetype.startsWith('application/') && mimetype.endsWith('+json'))) {
		return {
			error: difyError(
				415,
				'unsupported_media_type',
				"Did not attempt to load JSON data because the request Content-Type was not 'application/json'.",
			),
		};
	}
	try {
		return { value: parseJsonLossless(request.body) };
	} catch (error) {
		return {
			error: difyError(400, 'bad_request', `Failed to decode JSON object: ${(error as Error).message}`),
		};
	}
}
