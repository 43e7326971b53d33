/**
 * Simulated Coze (扣子) knowledge API (`/coze/...`).
 *
 * Endpoints: `POST /v1/datasets/{dataset_id}/process` (document progress), `GET /v1/users/me`
 * (credential test), `GET /v1/workspaces` and `GET /v1/datasets?space_id=…` (the spaces a
 * token can see and their knowledge bases), `POST /open_api/knowledge/document/list` and
 * `POST /open_api/knowledge/document/create`.
 *
 * Wire rules it enforces, per Coze's docs and SDKs:
 * - Every response carries an `x-tt-logid` header equal to the body's `detail.logid`.
 * - The envelope is `{code, msg, detail:{logid}}`; `code` 0 means success.
 * - Ids are int64 beyond 2^53 and are kept as digit strings here. `/process` takes them as
 *   strings; the `/open_api/knowledge/*` calls write them as strings only with the
 *   `Agw-Js-Conv: str` header and as bare number literals otherwise.
 *
 * HTTP status policy (a choice, since Coze is not consistent): authentication failures are
 * HTTP 401 with code 4100; every other failure (bad request 4000, not found 4200, and errors
 * queued with `returnErrorCodeOnce`, default) is HTTP 200 with `code` ≠ 0, which is Coze's
 * usual style and the case clients most often get wrong. Unknown paths are HTTP 404.
 *
 * Status calls tick each document they report: `/process` each returned document, the list
 * each listed document. Creating a document does not tick it.
 *
 * Spaces: every dataset belongs to a space (a personal space "Personal" unless another is
 * named). A token sees every space unless it was added with a list of spaces, as a personal
 * access token scoped to some spaces; a dataset list for a space the token cannot see answers
 * code 4101. `GET /v1/datasets` filters `name` as a case-insensitive substring (Coze documents
 * a fuzzy search), newest first, `page_size` 1 to 300; `GET /v1/workspaces` takes `page_size`
 * 1 to 50. Space ids come from their own counter, so adding spaces never shifts dataset or
 * document ids.
 */

import type { VendorEnvironment, VendorModule, VendorRequest, VendorResponse } from './index';
import { type JsonValue, type LosslessJson, JsonNumberLiteral, isJsonObject, parseJsonLossless } from './json';
import { type Script, ScriptCursor, TimedScriptCursor, compactUtcTimestamp, cursorFor } from './script';

// ---------------------------------------------------------------------------------------------
// Scripts
// ---------------------------------------------------------------------------------------------

/**
 * Every `DocumentStatus` of Coze's OpenAPI spec (coze-dev's coze-openapi.yaml), by its name
 * there. The simulator can show each of them; test/contracts/coze-document-status.json keeps the
 * dated copy the contract test compares against.
 */
export const COZE_STATUS = {
	Processing: 0,
	Enable: 1,
	Disable: 2,
	Deleted: 3,
	Resegment: 4,
	Refreshing: 5,
	Failed: 9,
	AuditFailed: 1000,
} as const;

/** Statuses under which Coze is still working on the document. */
const WORKING: ReadonlySet<number> = new Set([COZE_STATUS.Processing, COZE_STATUS.Resegment, COZE_STATUS.Refreshing]);
/** Statuses that carry a `status_descript`. */
const FAILING: ReadonlySet<number> = new Set([COZE_STATUS.Failed, COZE_STATUS.AuditFailed]);
/** Statuses of an indexed document (switched on or off). */
const INDEXED: ReadonlySet<number> = new Set([COZE_STATUS.Enable, COZE_STATUS.Disable]);

/** One step of a Coze document's processing. */
export interface CozeDocState {
	/** A `DocumentStatus`: see COZE_STATUS. */
	status: number;
	/** 0–100. */
	progress: number;
	/** Estimated seconds left. */
	remaining_time: number;
	/** Failure detail; only sent when `status` is 9 or 1000. */
	status_descript?: string;
}

export type CozeScript = Script<CozeDocState>;

export interface CozeScriptOptions {
	/** Observations spent processing before the final state. */
	steps: number;
	/** Fail (status 9) with this `status_descript` instead of completing. */
	fail?: string;
	/**
	 * End in this status instead of 1 (or 9 with `fail`): e.g. 2 Disable, 3 Deleted, 1000
	 * AuditFailed (with `fail` as its `status_descript`, if given).
	 */
	end?: number;
	/** Status while processing (default 0; 4 Resegment and 5 Refreshing are processing too). */
	working?: number;
	/** Seconds of `remaining_time` per remaining step (default 5). */
	secondsPerStep?: number;
}

/** Status 0 with `progress` rising and `remaining_time` falling, then status 1 (or 9). */
export function cozeScript(options: CozeScriptOptions): CozeScript {
	const { steps } = options;
	if (!Number.isInteger(steps) || steps < 0) throw new Error('steps must be a non-negative integer');
	const secondsPerStep = options.secondsPerStep ?? 5;
	const script: { state: CozeDocState }[] = [];
	for (let i = 0; i < steps; i++) {
		script.push({
			state: {
				status: options.working ?? COZE_STATUS.Processing,
				progress: Math.floor((100 * i) / steps),
				remaining_time: (steps - i) * secondsPerStep,
			},
		});
	}
	if (options.end !== undefined) {
		const reached = INDEXED.has(options.end) ? 100 : steps > 0 ? Math.floor((100 * (steps - 1)) / steps) : 0;
		const state: CozeDocState = { status: options.end, progress: reached, remaining_time: 0 };
		if (FAILING.has(options.end)) state.status_descript = options.fail ?? '';
		script.push({ state });
	} else if (options.fail !== undefined) {
		// A failed document keeps the progress it had reached.
		const reached = steps > 0 ? Math.floor((100 * (steps - 1)) / steps) : 0;
		script.push({ state: { status: 9, progress: reached, remaining_time: 0, status_descript: options.fail } });
	} else {
		script.push({ state: { status: 1, progress: 100, remaining_time: 0 } });
	}
	return script;
}

/** A document that is already processed when added. */
export function cozeCompletedScript(): CozeScript {
	return [{ state: { status: 1, progress: 100, remaining_time: 0 } }];
}

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

export interface CozeDocumentInput {
	name: string;
	script?: CozeScript;
	/** Digit string; generated when omitted. */
	id?: string;
	/** File suffix, e.g. `pdf` (default `txt`). */
	type?: string;
	/** Bytes (default 2048). */
	size?: number;
	/** File URL (default: a fake signed URL). */
	url?: string;
	/** Segments once processed (default 3). */
	slices?: number;
	/** Web page source. */
	webUrl?: string;
	updateType?: number;
	updateInterval?: number;
	/**
	 * Move one script step every `msPerStep` of simulator time (from when the document is added)
	 * instead of one step per status read: see TimedScriptCursor.
	 */
	msPerStep?: number;
}

/** Exactly the item shape of `/process` (`data.data[]`), with `document_id` as a string. */
export interface CozeProgressEntry {
	document_id: string;
	document_name: string;
	status: number;
	progress: number;
	remaining_time: number;
	size: number;
	type: string;
	url: string;
	update_type: number;
	update_interval: number;
	status_descript?: string;
}

interface CozeDocument {
	id: string;
	datasetId: string;
	name: string;
	type: string;
	size: number;
	url: string;
	slices: number;
	webUrl?: string;
	updateType: number;
	updateInterval: number;
	createTime: number;
	cursor: ScriptCursor<CozeDocState>;
	deleted: boolean;
}

interface CozeDataset {
	id: string;
	name: string;
	spaceId: string;
	description: string;
	createTime: number;
	documents: CozeDocument[];
}

interface CozeSpace {
	id: string;
	name: string;
	type: 'personal' | 'team';
}

interface QueuedError {
	code: number;
	msg: string;
	httpStatus: number;
}

// First id handed out; every id is this plus a counter, so all exceed Number.MAX_SAFE_INTEGER
// and neighbouring ids collapse to the same double if a client parses them as numbers.
const ID_BASE = BigInt('7442585813587610000');
const SPACE_ID_BASE = BigInt('7351000000000000000');

const CODE_FOR_HTTP: Record<number, [code: number, msg: string]> = {
	400: [4000, 'invalid parameter'],
	401: [4100, 'authentication is invalid'],
	403: [4101, 'permission denied'],
	404: [4200, 'resource not found'],
	429: [4013, 'The requests exceed the rate limit. Please try again later.'],
};

// ---------------------------------------------------------------------------------------------
// The vendor module
// ---------------------------------------------------------------------------------------------

export class CozeSimulator implements VendorModule {
	readonly name = 'coze';
	readonly prefix = '/coze';
	/** Base URL; Coze paths such as `/v1/datasets/...` go under it. */
	readonly baseUrl: string;

	/** When true, `/process` writes `document_id` as a bare number literal with all digits. */
	idsAsNumbers = false;
	/** More ids in one `/process` call → code 4000, so tests can prove clients chunk. */
	maxIdsPerProcessCall = 100;
	/**
	 * How `POST /open_api/knowledge/document/list` counts `page`. `studio` (the default, since the
	 * simulator is reached with Region = Custom): the open-source Coze Studio's
	 * `offset = page * size`, pages from 0 (coze-dev/coze-studio,
	 * backend/application/knowledge/knowledge.go). `cloud`: api.coze.cn/.com, pages from 1, page 0
	 * read as the first page.
	 */
	listPaging: 'studio' | 'cloud' = 'studio';
	/** A server-side cap on the document list's `size` (asking for more silently gets this many). */
	maxListPageSize = 100;
	/** Script for documents created through the API or added without one. */
	defaultScript: CozeScript = cozeScript({ steps: 3 });
	/** What `GET /v1/users/me` returns. */
	user = {
		user_id: '7442585813587609999',
		user_name: 'sim_user',
		nick_name: 'Simulator User',
		avatar_url: '',
	};

	/** Token → the spaces it may see (null: every space). */
	private readonly tokens = new Map<string, Set<string> | null>();
	private readonly spaces = new Map<string, CozeSpace>();
	private defaultSpaceId: string | null = null;
	private nextSpaceId = 1n;
	private readonly datasets = new Map<string, CozeDataset>();
	private readonly documents = new Map<string, CozeDocument>();
	private readonly queuedErrors: QueuedError[] = [];
	private nextId = 1n;
	private nextLogId = 1;
	private readonly logIdSalt: string;

	constructor(private readonly env: VendorEnvironment) {
		this.baseUrl = env.baseUrl;
		this.logIdSalt = env.random.int(0, 0xffffff).toString(16).toUpperCase().padStart(6, '0');
	}

	// ----- control API ------------------------------------------------------------------------

	/**
	 * Registers an access token (PAT or OAuth). With `spaces`, the token sees only those spaces,
	 * as a personal access token limited to some spaces does.
	 */
	addToken(token: string, options: { spaces?: string[] } = {}): void {
		this.tokens.set(token, options.spaces ? new Set(options.spaces) : null);
	}

	removeToken(token: string): void {
		this.tokens.delete(token);
	}

	/** Creates a space (workspace) and returns its id. */
	addSpace(name: string, type: CozeSpace['type'] = 'team'): string {
		const id = (SPACE_ID_BASE + this.nextSpaceId++).toString();
		this.spaces.set(id, { id, name, type });
		return id;
	}

	/** The personal space datasets go to when no space is named. */
	personalSpaceId(): string {
		this.defaultSpaceId ??= this.addSpace('Personal', 'personal');
		return this.defaultSpaceId;
	}

	/** Creates a dataset and returns its id (an int64 digit string). */
	addDataset(id?: string, options: { name?: string; spaceId?: string; description?: string } = {}): string {
		const datasetId = id ?? this.newId();
		assertDigits(datasetId);
		if (this.datasets.has(datasetId)) throw new Error(`Dataset ${datasetId} already exists`);
		const spaceId = options.spaceId ?? this.personalSpaceId();
		if (!this.spaces.has(spaceId)) throw new Error(`Unknown Coze space ${spaceId}`);
		this.datasets.set(datasetId, {
			id: datasetId,
			name: options.name ?? `Knowledge ${this.datasets.size + 1}`,
			spaceId,
			description: options.description ?? '',
			createTime: this.env.clock.nowSeconds(),
			documents: [],
		});
		return datasetId;
	}

	/** Adds documents and returns their ids (digit strings) in input order. */
	addDocuments(datasetId: string, docs: CozeDocumentInput[]): string[] {
		const dataset = this.requireDataset(datasetId);
		return docs.map((input) => this.createDocument(dataset, input).id);
	}

	/** Removes a document: it disappears from `/process` and the list. */
	deleteDocument(documentId: string): void {
		this.requireDocument(documentId).deleted = true;
	}

	/**
	 * Replaces a document's script and restarts it from the first step (a re-index); with
	 * `msPerStep` the new script moves with the clock from now.
	 */
	setScript(documentId: string, script: CozeScript, msPerStep?: number): void {
		this.requireDocument(documentId).cursor = cursorFor(script, this.env.clock, msPerStep);
	}

	/**
	 * The next authenticated Coze request (any endpoint) answers this error instead, with
	 * HTTP `httpStatus` (default 200, Coze's usual style). Calls queue up, one per request.
	 */
	returnErrorCodeOnce(code: number, msg: string, httpStatus = 200): void {
		this.queuedErrors.push({ code, msg, httpStatus });
	}

	/** What the next `/process` call will show for this document, without ticking it. */
	peekDocument(documentId: string): CozeProgressEntry {
		const doc = this.requireDocument(documentId);
		return progressEntry(doc, doc.cursor.peek());
	}

	/** How many status calls have observed (ticked) the document. */
	observationCount(documentId: string): number {
		return this.requireDocument(documentId).cursor.observationCount;
	}

	// ----- VendorModule -----------------------------------------------------------------------

	errorResponse(status: number): VendorResponse {
		const [code, msg] = CODE_FOR_HTTP[status] ?? (status >= 500 ? [5000, 'internal server error'] : [status * 10, `HTTP ${status}`]);
		return this.fail(code, msg, status);
	}

	commonHeaders(): Record<string, string> {
		return { 'x-tt-logid': this.newLogId() };
	}

	handle(request: VendorRequest): VendorResponse {
		const token = bearerToken(request.headers.authorization);
		if (token === undefined || !this.tokens.has(token)) {
			return this.fail(4100, 'authentication is invalid', 401);
		}
		const queued = this.queuedErrors.shift();
		if (queued) return this.fail(queued.code, queued.msg, queued.httpStatus);

		const { method, path } = request;
		const visible = (spaceId: string) => {
			const scope = this.tokens.get(token);
			return this.spaces.has(spaceId) && (scope === null || scope === undefined || scope.has(spaceId));
		};
		if (path === '/v1/workspaces' && method === 'GET') return this.listWorkspaces(request.query, visible);
		if (path === '/v1/datasets' && method === 'GET') return this.listDatasets(request.query, visible);
		const process = /^\/v1\/datasets\/([^/]+)\/process$/.exec(path);
		if (process && method === 'POST') return this.withJsonBody(request, (body) => this.process(decodeURIComponent(process[1]), body));
		if (path === '/v1/users/me' && method === 'GET') return this.ok({ data: { ...this.user } });
		if (path === '/open_api/knowledge/document/list' && method === 'POST') {
			return this.withJsonBody(request, (body) => this.listDocuments(body, stringIds(request)));
		}
		if (path === '/open_api/knowledge/document/create' && method === 'POST') {
			return this.withJsonBody(request, (body) => this.createDocuments(body, stringIds(request)));
		}
		return this.fail(4200, `no API matches ${method} ${path}`, 404);
	}

	// ----- endpoints --------------------------------------------------------------------------

	private process(datasetId: string, body: LosslessJson): VendorResponse {
		if (!/^\d+$/.test(datasetId)) return this.badRequest('dataset_id must be an int64 in decimal digits');
		if (!isJsonObject(body)) return this.badRequest('request body must be a JSON object');
		const ids = body.document_ids;
		if (!Array.isArray(ids) || ids.length === 0) return this.badRequest('document_ids must be a non-empty array of strings');
		for (const id of ids) {
			// A bare number here is what a client sends after losing track of int64 ids.
			if (typeof id !== 'string') return this.badRequest('document_ids must be an array of strings, got a non-string element');
			if (!/^\d+$/.test(id)) return this.badRequest(`document_id ${JSON.stringify(id)} is not an int64`);
		}
		if (ids.length > this.maxIdsPerProcessCall) {
			return this.badRequest(`too many document_ids: ${ids.length} > ${this.maxIdsPerProcessCall}`);
		}
		const dataset = this.datasets.get(datasetId);
		if (!dataset) return this.fail(4200, `dataset ${datasetId} not found`);

		const seen = new Set<string>();
		const entries: JsonValue[] = [];
		for (const id of ids as string[]) {
			if (seen.has(id)) continue;
			seen.add(id);
			const doc = this.documents.get(id);
			// Unknown ids, ids of another dataset and deleted documents are silently left out.
			if (!doc || doc.deleted || doc.datasetId !== datasetId) continue;
			const entry: Record<string, JsonValue | undefined> = { ...progressEntry(doc, doc.cursor.observe()) };
			if (this.idsAsNumbers) entry.document_id = new JsonNumberLiteral(doc.id);
			entries.push(entry);
		}
		return this.ok({ data: { data: entries } });
	}

	private listWorkspaces(query: URLSearchParams, visible: (spaceId: string) => boolean): VendorResponse {
		const paging = readPaging(query, 'page_num', 'page_size', 10, 50);
		if (typeof paging === 'string') return this.badRequest(paging);
		// Personal space first, then teams, in creation order.
		const spaces = [...this.spaces.values()]
			.filter((space) => visible(space.id))
			.sort((a, b) => (a.type === b.type ? 0 : a.type === 'personal' ? -1 : 1));
		const page = spaces.slice((paging.page - 1) * paging.size, paging.page * paging.size);
		return this.ok({
			data: {
				workspaces: page.map((space) => ({
					id: space.id,
					name: space.name,
					icon_url: `https://lf-coze-sim.example/space-icon/${space.id}.png`,
					role_type: 'owner',
					workspace_type: space.type,
				})),
				total_count: spaces.length,
			},
		});
	}

	private listDatasets(query: URLSearchParams, visible: (spaceId: string) => boolean): VendorResponse {
		const spaceId = query.get('space_id');
		if (spaceId === null || spaceId === '') return this.badRequest('space_id is required');
		if (!/^\d+$/.test(spaceId)) return this.badRequest('space_id must be an int64 in decimal digits');
		const paging = readPaging(query, 'page_num', 'page_size', 10, 300);
		if (typeof paging === 'string') return this.badRequest(paging);
		if (!visible(spaceId)) return this.fail(4101, `permission denied: no access to space ${spaceId}`);
		const name = (query.get('name') ?? '').toLowerCase();
		const matching = [...this.datasets.values()]
			.filter((dataset) => dataset.spaceId === spaceId && (name === '' || dataset.name.toLowerCase().includes(name)))
			.reverse(); // newest first
		const page = matching.slice((paging.page - 1) * paging.size, paging.page * paging.size);
		return this.ok({
			data: {
				total_count: matching.length,
				dataset_list: page.map((dataset) => this.datasetInfo(dataset)),
			},
		});
	}

	private listDocuments(body: LosslessJson, asStrings: boolean): VendorResponse {
		if (!isJsonObject(body)) return this.badRequest('request body must be a JSON object');
		const datasetId = readInt64(body.dataset_id);
		if (datasetId === undefined) return this.badRequest('dataset_id is required and must be an int64');
		const page = readInt32(body.page, 1);
		const size = readInt32(body.size, 10);
		if (page === undefined || page < 0) return this.badRequest('page must be a non-negative integer');
		if (size === undefined || size < 1 || size > 100) return this.badRequest('size must be an integer between 1 and 100');
		const dataset = this.datasets.get(datasetId);
		if (!dataset) return this.fail(4200, `dataset ${datasetId} not found`);

		// A capped server counts its offset in the page size it really serves.
		const served = Math.min(size, this.maxListPageSize);
		const first = this.listPaging === 'studio' ? page * served : (Math.max(page, 1) - 1) * served;
		const live = dataset.documents.filter((doc) => !doc.deleted).reverse(); // newest first
		const listed = live.slice(first, first + served);
		return this.ok({
			document_infos: listed.map((doc) => this.documentInfo(doc, doc.cursor.observationCount, asStrings, true)),
			total: live.length,
		});
	}

	private createDocuments(body: LosslessJson, asStrings: boolean): VendorResponse {
		if (!isJsonObject(body)) return this.badRequest('request body must be a JSON object');
		const datasetId = readInt64(body.dataset_id);
		if (datasetId === undefined) return this.badRequest('dataset_id is required and must be an int64');
		const bases = body.document_bases;
		if (!Array.isArray(bases) || bases.length < 1 || bases.length > 10) {
			return this.badRequest('document_bases must hold 1 to 10 documents');
		}
		const inputs: CozeDocumentInput[] = [];
		for (const base of bases) {
			if (!isJsonObject(base) || typeof base.name !== 'string' || base.name === '') {
				return this.badRequest('each document_base needs a name');
			}
			const source = base.source_info;
			if (!isJsonObject(source)) return this.badRequest('each document_base needs a source_info');
			const rule = isJsonObject(base.update_rule) ? base.update_rule : {};
			const updateType = readInt32(rule.update_type, 0) ?? 0;
			const updateInterval = readInt32(rule.update_interval, 0) ?? 0;
			if (typeof source.file_base64 === 'string' && typeof source.file_type === 'string') {
				inputs.push({
					name: base.name,
					type: source.file_type,
					size: Buffer.from(source.file_base64, 'base64').length,
					updateType,
					updateInterval,
				});
			} else if (typeof source.web_url === 'string') {
				inputs.push({ name: base.name, type: 'html', size: 0, webUrl: source.web_url, updateType, updateInterval });
			} else {
				return this.badRequest('source_info needs file_base64 and file_type, or web_url');
			}
		}
		const dataset = this.datasets.get(datasetId);
		if (!dataset) return this.fail(4200, `dataset ${datasetId} not found`);

		const created = inputs.map((input) => this.createDocument(dataset, { ...input, script: this.defaultScript }));
		// Not a status observation: the new documents show their first state and do not tick.
		return this.ok({
			document_infos: created.map((doc) => this.documentInfo(doc, doc.cursor.observationCount, asStrings, false)),
		});
	}

	// ----- helpers ----------------------------------------------------------------------------

	/** Requires `Content-Type: application/json` and a body that parses (losslessly). */
	private withJsonBody(request: VendorRequest, handler: (body: LosslessJson) => VendorResponse): VendorResponse {
		const contentType = request.headers['content-type'] ?? '';
		if (contentType.split(';')[0].trim().toLowerCase() !== 'application/json') {
			return this.badRequest('Content-Type must be application/json');
		}
		let body: LosslessJson;
		try {
			body = parseJsonLossless(request.body);
		} catch (error) {
			return this.badRequest(`request body is not valid JSON: ${(error as Error).message}`);
		}
		return handler(body);
	}

	/**
	 * A `document_infos[]` entry. `observe` ticks the document (list) or not (create).
	 * int64 fields follow the `Agw-Js-Conv` header: strings with it, bare numbers without.
	 */
	private documentInfo(doc: CozeDocument, index: number, asStrings: boolean, observe: boolean): JsonValue {
		const s = doc.cursor.stateAt(index);
		if (observe) doc.cursor.observe();
		const done = INDEXED.has(s.status);
		return {
			document_id: asStrings ? doc.id : new JsonNumberLiteral(doc.id),
			name: doc.name,
			status: s.status,
			size: doc.size,
			slice_count: done ? doc.slices : 0,
			char_count: done ? doc.size : 0,
			type: doc.type,
			format_type: 0,
			source_type: doc.webUrl !== undefined ? 1 : 0,
			create_time: doc.createTime,
			// Moves with each state change and stops once the final state is reached.
			update_time: updateTime(doc, index),
			hit_count: 0,
			update_type: doc.updateType,
			update_interval: doc.updateInterval,
			tos_uri: doc.webUrl !== undefined ? undefined : `FileBizType.BIZ_BOT_DATASET/${doc.id}.${doc.type}`,
			web_url: doc.webUrl,
			status_descript: FAILING.has(s.status) ? (s.status_descript ?? '') : undefined,
			chunk_strategy: { chunk_type: 0 },
		};
	}

	/** A `dataset_list[]` entry of `GET /v1/datasets`; ids are strings there. */
	private datasetInfo(dataset: CozeDataset): JsonValue {
		const live = dataset.documents.filter((doc) => !doc.deleted);
		const processing = live.filter((doc) => WORKING.has(doc.cursor.peek().status));
		const failed = live.filter((doc) => FAILING.has(doc.cursor.peek().status));
		return {
			dataset_id: dataset.id,
			name: dataset.name,
			description: dataset.description,
			space_id: dataset.spaceId,
			status: 1,
			format_type: 0,
			can_edit: true,
			icon_url: `https://lf-coze-sim.example/dataset-icon/${dataset.id}.png`,
			doc_count: live.length,
			file_list: live.map((doc) => doc.name),
			hit_count: 0,
			bot_used_count: 0,
			slice_count: live.filter((doc) => INDEXED.has(doc.cursor.peek().status)).reduce((sum, doc) => sum + doc.slices, 0),
			all_file_size: live.reduce((sum, doc) => sum + doc.size, 0),
			chunk_strategy: { chunk_type: 0 },
			failed_file_list: failed.map((doc) => doc.name),
			processing_file_list: processing.map((doc) => doc.name),
			processing_file_id_list: processing.map((doc) => doc.id),
			avatar_url: '',
			creator_id: this.user.user_id,
			creator_name: this.user.user_name,
			create_time: dataset.createTime,
			update_time: dataset.createTime,
		};
	}

	private createDocument(dataset: CozeDataset, input: CozeDocumentInput): CozeDocument {
		const id = input.id ?? this.newId();
		assertDigits(id);
		if (this.documents.has(id)) throw new Error(`Document ${id} already exists`);
		const type = input.type ?? 'txt';
		const doc: CozeDocument = {
			id,
			datasetId: dataset.id,
			name: input.name,
			type,
			size: input.size ?? 2048,
			url:
				input.url ??
				input.webUrl ??
				`https://lf-coze-sim.example/ocean-cloud-tos/FileBizType.BIZ_BOT_DATASET/${id}.${type}?x-expires=1893456000&x-signature=sim`,
			slices: input.slices ?? 3,
			webUrl: input.webUrl,
			updateType: input.updateType ?? 0,
			updateInterval: input.updateInterval ?? 0,
			createTime: this.env.clock.nowSeconds(),
			cursor: cursorFor(input.script ?? this.defaultScript, this.env.clock, input.msPerStep),
			deleted: false,
		};
		dataset.documents.push(doc);
		this.documents.set(id, doc);
		return doc;
	}

	private newId(): string {
		for (;;) {
			const id = (ID_BASE + this.nextId++).toString();
			if (!this.datasets.has(id) && !this.documents.has(id)) return id;
		}
	}

	/** 32 characters: `YYYYMMDDHHMMSS` + 18 upper-case hex digits, like Coze's log ids. */
	private newLogId(): string {
		const counter = (this.nextLogId++).toString(16).toUpperCase().padStart(12, '0');
		return compactUtcTimestamp(this.env.clock.now()) + this.logIdSalt + counter;
	}

	private ok(fields: Record<string, JsonValue>): VendorResponse {
		const logid = this.newLogId();
		return {
			status: 200,
			headers: { 'x-tt-logid': logid },
			body: { code: 0, msg: '', ...fields, detail: { logid } },
		};
	}

	private fail(code: number, msg: string, httpStatus = 200): VendorResponse {
		const logid = this.newLogId();
		return { status: httpStatus, headers: { 'x-tt-logid': logid }, body: { code, msg, detail: { logid } } };
	}

	private badRequest(detail: string): VendorResponse {
		return this.fail(4000, `invalid parameter: ${detail}`);
	}

	private requireDataset(datasetId: string): CozeDataset {
		const dataset = this.datasets.get(datasetId);
		if (!dataset) throw new Error(`Unknown Coze dataset ${datasetId}`);
		return dataset;
	}

	private requireDocument(documentId: string): CozeDocument {
		const doc = this.documents.get(documentId);
		if (!doc) throw new Error(`Unknown Coze document ${documentId}`);
		return doc;
	}
}

// ---------------------------------------------------------------------------------------------
// Pure helpers
// ---------------------------------------------------------------------------------------------

function progressEntry(doc: CozeDocument, s: CozeDocState): CozeProgressEntry {
	const entry: CozeProgressEntry = {
		document_id: doc.id,
		document_name: doc.name,
		status: s.status,
		progress: s.progress,
		remaining_time: s.remaining_time,
		size: doc.size,
		type: doc.type,
		url: doc.url,
		update_type: doc.updateType,
		update_interval: doc.updateInterval,
	};
	if (FAILING.has(s.status)) entry.status_descript = s.status_descript ?? '';
	return entry;
}

/**
 * `update_time` (Unix seconds) at script step `index`: the moment a timed script reached that
 * step; for a script moved by reads, two simulated seconds per step from the creation time.
 */
function updateTime(doc: CozeDocument, index: number): number {
	const step = Math.min(index, doc.cursor.length - 1);
	if (doc.cursor instanceof TimedScriptCursor) return Math.floor(doc.cursor.timeOfStep(step) / 1000);
	return doc.createTime + step * 2;
}

function bearerToken(header: string | undefined): string | undefined {
	const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
	return match ? match[1] : undefined;
}

/** `Agw-Js-Conv: str` asks the gateway to write int64 values as strings. */
function stringIds(request: VendorRequest): boolean {
	const value = request.headers['agw-js-conv'];
	return typeof value === 'string' && value.trim().toLowerCase() === 'str';
}

/** An int64 given as a digit string or as a bare integer literal (read without rounding). */
function readInt64(value: LosslessJson | undefined): string | undefined {
	if (typeof value === 'string' && /^\d+$/.test(value)) return value;
	if (value instanceof JsonNumberLiteral && /^\d+$/.test(value.text)) return value.text;
	return undefined;
}

/** An optional i32 field: `fallback` when absent, undefined when not an integer number. */
function readInt32(value: LosslessJson | undefined, fallback: number): number | undefined {
	if (value === undefined || value === null) return fallback;
	if (value instanceof JsonNumberLiteral && value.isInteger) {
		const n = value.toNumber();
		return Math.abs(n) <= 2 ** 31 ? n : undefined;
	}
	return undefined;
}

/** Page number and size from the query: 1 and `defaultSize` when absent, else the problem. */
function readPaging(
	query: URLSearchParams,
	pageName: string,
	sizeName: string,
	defaultSize: number,
	maxSize: number,
): { page: number; size: number } | string {
	const read = (name: string, fallback: number) => {
		const raw = query.get(name);
		return raw === null ? fallback : /^\d+$/.test(raw) ? Number(raw) : NaN;
	};
	const page = read(pageName, 1);
	const size = read(sizeName, defaultSize);
	if (!(page >= 1)) return `${pageName} must be an integer of at least 1`;
	if (!(size >= 1 && size <= maxSize)) return `${sizeName} must be an integer between 1 and ${maxSize}`;
	return { page, size };
}

function assertDigits(id: string): void {
	if (!/^\d+$/.test(id)) throw new Error(`Coze ids are int64 digit strings, got ${id}`);
}
