/**
 * Simulated OpenAI vector stores (`/openai/v1`), following the official `openai` SDK's types
 * (resources/vector-stores, resources/files) and the API reference.
 *
 * Calls: `GET /vector_stores` (the credential test and the editor's list), `GET /vector_stores/{id}`,
 * `GET /vector_stores/{id}/files[/{file_id}]`, `POST /vector_stores/{id}/file_batches`,
 * `GET /vector_stores/{id}/file_batches/{batch_id}[/files]`, `GET /files/{id}` and `POST /files`
 * (multipart, as n8n's HTTP Request node uploads). Listings are cursor pages: `limit` 1 to 100
 * (default 20), `after`/`before` ids, `order` `asc`/`desc` by `created_at` (default desc),
 * `filter` one of in_progress, completed, failed, cancelled; anything else is a 400.
 *
 * Auth is checked as OpenAI does: `Authorization: Bearer <key>` (or, with `azure` on, an
 * `api-key` header, and an optional `api-version` of `v1` or `preview`). No key: 401; an unknown
 * key: 401 `invalid_api_key`, with the key masked as OpenAI masks it; an `OpenAI-Organization` or
 * `OpenAI-Project` header that is not the key's: 401 `mismatched_organization` /
 * `mismatched_project`; a key without the vector store permission: 403. Unknown stores, files
 * and batches: 404. Every error has the `{"error": {message, type, code, param}}` envelope.
 *
 * Every answer carries `x-request-id` and `x-ratelimit-*` headers; `rateLimit()` answers 429
 * with `retry-after-ms` (and `retry-after`). Each read observes (ticks) the files it reports: a
 * file's retrieve, the files of a listing page, and every file of a batch for the batch call
 * (whose `file_counts` add them up), so statuses move per read, or with the clock given `msPerStep`.
 */

import type { VendorEnvironment, VendorModule, VendorRequest, VendorResponse } from './index';
import type { JsonValue } from './json';
import { type Script, type ScriptCursor, cursorFor } from './script';

export type OpenAiFileStatus = 'in_progress' | 'completed' | 'cancelled' | 'failed';
export type OpenAiErrorCode = 'server_error' | 'unsupported_file' | 'invalid_file';

export interface OpenAiFileState {
	status: OpenAiFileStatus;
	lastError?: { code: OpenAiErrorCode; message: string };
}

export type OpenAiScript = Script<OpenAiFileState>;

export interface OpenAiScriptOptions {
	/** Reads (or steps) spent in_progress before the last state (default 1). */
	inProgress?: number;
	/** End failed with this code. */
	fail?: OpenAiErrorCode;
	/** End cancelled. */
	cancel?: boolean;
}

const ERROR_MESSAGES: Record<OpenAiErrorCode, string> = {
	server_error: 'An internal error occurred while processing the file.',
	unsupported_file: 'The file type is not supported.',
	invalid_file: 'The file could not be parsed.',
};

/** in_progress, then completed (or failed / cancelled). */
export function openAiScript(options: OpenAiScriptOptions = {}): OpenAiScript {
	const script: Array<{ state: OpenAiFileState; repeat?: number }> = [];
	const inProgress = options.inProgress ?? 1;
	if (inProgress > 0) script.push({ state: { status: 'in_progress' }, repeat: inProgress });
	if (options.fail) script.push({ state: { status: 'failed', lastError: { code: options.fail, message: ERROR_MESSAGES[options.fail] } } });
	else if (options.cancel) script.push({ state: { status: 'cancelled' } });
	else script.push({ state: { status: 'completed' } });
	return script;
}

export interface OpenAiApiKey {
	key: string;
	organizationId?: string;
	projectId?: string;
	/** False: the key lacks the vector store permission (403). */
	canReadVectorStores?: boolean;
}

export interface OpenAiFileInput {
	/** The file id (default: a new `file-…`), e.g. one a test has promised in advance. */
	id?: string;
	filename?: string;
	script?: OpenAiScript;
	msPerStep?: number;
	bytes?: number;
}

interface SimFile {
	id: string;
	filename: string;
	bytes: number;
	createdAt: number;
}

interface StoreFile {
	fileId: string;
	createdAt: number;
	cursor: ScriptCursor<OpenAiFileState>;
	/** Insertion order: ties of created_at keep it. */
	seq: number;
}

interface SimBatch {
	id: string;
	createdAt: number;
	fileIds: string[];
	cancelled: boolean;
}

interface SimStore {
	id: string;
	seq: number;
	name: string;
	createdAt: number;
	files: Map<string, StoreFile>;
	batches: Map<string, SimBatch>;
}

const STATUSES: OpenAiFileStatus[] = ['in_progress', 'completed', 'failed', 'cancelled'];

export class OpenAiSimulator implements VendorModule {
	readonly name = 'openai';
	readonly prefix = '/openai/v1';
	/** Accept Azure OpenAI's `api-key` header and `api-version` query parameter. */
	azure = false;
	private readonly keys = new Map<string, OpenAiApiKey>();
	private readonly stores = new Map<string, SimStore>();
	private readonly files = new Map<string, SimFile>();
	private seq = 0;
	private pendingRateLimits: Array<{ retryAfterMs: number }> = [];

	constructor(private readonly env: VendorEnvironment) {}

	get baseUrl(): string {
		return this.env.baseUrl;
	}

	addApiKey(key: string | OpenAiApiKey): void {
		const entry = typeof key === 'string' ? { key } : key;
		this.keys.set(entry.key, entry);
	}

	addVectorStore(name = 'Support docs'): string {
		const id = `vs_${this.token(24)}`;
		this.stores.set(id, { id, seq: this.seq++, name, createdAt: this.env.clock.nowSeconds(), files: new Map(), batches: new Map() });
		return id;
	}

	/** Uploads files (the Files API) without adding them to a store. */
	uploadFiles(inputs: OpenAiFileInput[]): string[] {
		return inputs.map((input, i) => {
			const id = input.id ?? `file-${this.token(22)}`;
			this.files.set(id, { id, filename: input.filename ?? `file-${i + 1}.pdf`, bytes: input.bytes ?? 1024, createdAt: this.env.clock.nowSeconds() });
			return id;
		});
	}

	/** Uploads files and adds each to the store on its own. */
	addFiles(storeId: string, inputs: OpenAiFileInput[]): string[] {
		const ids = this.uploadFiles(inputs);
		ids.forEach((id, i) => this.attach(storeId, id, inputs[i]));
		return ids;
	}

	/** Uploads files and adds them to the store in one file batch. */
	addBatch(storeId: string, inputs: OpenAiFileInput[]): { batchId: string; fileIds: string[] } {
		const fileIds = this.uploadFiles(inputs);
		fileIds.forEach((id, i) => this.attach(storeId, id, inputs[i]));
		return { batchId: this.newBatch(storeId, fileIds), fileIds };
	}

	/** Processes a file of the store again (removed and added anew), from now. */
	setScript(storeId: string, fileId: string, script: OpenAiScript, msPerStep?: number): void {
		const store = this.requireStore(storeId);
		store.files.delete(fileId);
		this.attach(storeId, fileId, { script, msPerStep });
	}

	/** Removes a file from a store (a later read of it is a 404). */
	detachFile(storeId: string, fileId: string): void {
		this.requireStore(storeId).files.delete(fileId);
	}

	/** The next `times` requests answer 429 with `retry-after-ms`. */
	rateLimit(times = 1, retryAfterMs = 1000): void {
		for (let i = 0; i < times; i++) this.pendingRateLimits.push({ retryAfterMs });
	}

	observationCount(storeId: string, fileId: string): number {
		return this.requireStore(storeId).files.get(fileId)?.cursor.observationCount ?? 0;
	}

	errorResponse(status: number): VendorResponse {
		if (status === 429) return this.error(429, 'Rate limit reached for requests', 'requests', 'rate_limit_exceeded');
		if (status >= 500) return this.error(status, 'The server had an error while processing your request. Sorry about that!', 'server_error');
		if (status === 401) return this.error(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
		if (status === 403) return this.error(403, 'You have insufficient permissions for this operation.', 'invalid_request_error');
		if (status === 404) return this.error(404, 'Not found.', 'invalid_request_error');
		if (status === 408) return this.error(408, 'Request timed out.', 'invalid_request_error');
		if (status === 409) return this.error(409, 'The resource is locked by another request. Please try again.', 'invalid_request_error');
		return this.error(status, `HTTP ${status}`, 'invalid_request_error');
	}

	commonHeaders(): Record<string, string> {
		return {
			'x-request-id': `req_${this.token(32).toLowerCase()}`,
			'x-ratelimit-limit-requests': '5000',
			'x-ratelimit-remaining-requests': '4999',
			'x-ratelimit-reset-requests': '12ms',
			'openai-processing-ms': '21',
		};
	}

	handle(request: VendorRequest): VendorResponse {
		const denied = this.authenticate(request);
		if (denied) return denied;
		const limited = this.pendingRateLimits.shift();
		if (limited) {
			const response = this.error(429, 'Rate limit reached for requests per min (RPM). Please try again shortly.', 'requests', 'rate_limit_exceeded');
			return { ...response, headers: { ...response.headers, 'retry-after-ms': String(limited.retryAfterMs), 'retry-after': String(Math.ceil(limited.retryAfterMs / 1000)) } };
		}
		const parts = request.path.split('/').filter(Boolean).map(decodeURIComponent);
		const get = request.method === 'GET';
		if (parts[0] === 'files') {
			if (parts.length === 1 && request.method === 'POST') return this.uploadFromMultipart(request);
			if (parts.length === 2 && get) return this.retrieveFile(parts[1]);
		}
		if (parts[0] === 'vector_stores') {
			if (parts.length === 1 && get) return this.listStores(request.query);
			const store = parts.length > 1 ? this.stores.get(parts[1]) : undefined;
			if (parts.length > 1 && !store) return this.error(404, `No vector store found with id '${parts[1]}'.`, 'invalid_request_error');
			if (store) {
				if (parts.length === 2 && get) return this.ok(this.storeJson(store));
				if (parts[2] === 'files' && parts.length === 3 && get) return this.listFiles(store, [...store.files.values()], request.query);
				if (parts[2] === 'files' && parts.length === 4 && get) {
					const file = store.files.get(parts[3]);
					if (!file) return this.error(404, `No file found with id '${parts[3]}' in vector store '${store.id}'.`, 'invalid_request_error');
					return this.ok(this.fileJson(store, file, true));
				}
				if (parts[2] === 'file_batches' && parts.length === 3 && request.method === 'POST') return this.createBatch(store, request.body);
				if (parts[2] === 'file_batches' && parts.length >= 4) {
					const batch = store.batches.get(parts[3]);
					if (!batch) return this.error(404, `No file batch found with id '${parts[3]}' in vector store '${store.id}'.`, 'invalid_request_error');
					if (parts.length === 4 && get) return this.ok(this.batchJson(store, batch));
					if (parts.length === 5 && parts[4] === 'files' && get) {
						const files = batch.fileIds.map((id) => store.files.get(id)).filter((f): f is StoreFile => f !== undefined);
						return this.listFiles(store, files, request.query);
					}
				}
			}
		}
		return this.error(404, `Invalid URL (${request.method} ${this.prefix}${request.path})`, 'invalid_request_error');
	}

	// -----------------------------------------------------------------------------------------

	private authenticate(request: VendorRequest): VendorResponse | null {
		const bearer = /^Bearer\s+(.+)$/i.exec(String(request.headers.authorization ?? ''))?.[1]?.trim();
		const apiKeyHeader = this.azure ? String(request.headers['api-key'] ?? '').trim() : '';
		const presented = bearer || apiKeyHeader;
		if (!presented) {
			return this.error(
				401,
				"You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
				'invalid_request_error',
			);
		}
		if (this.azure) {
			const version = request.query.get('api-version');
			if (version !== null && version !== 'v1' && version !== 'preview') {
				return this.error(400, `API version not supported: ${version}`, 'invalid_request_error', 'BadRequest', 'api-version');
			}
		}
		const key = this.keys.get(presented);
		if (!key) {
			const masked = presented.length > 12 ? `${presented.slice(0, 8)}${'*'.repeat(presented.length - 12)}${presented.slice(-4)}` : '****';
			return this.error(
				401,
				`Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`,
				'invalid_request_error',
				'invalid_api_key',
			);
		}
		const organization = request.headers['openai-organization'];
		if (organization !== undefined && organization !== key.organizationId) {
			return this.error(401, 'OpenAI-Organization header should match organization for API key', 'invalid_request_error', 'mismatched_organization');
		}
		const project = request.headers['openai-project'];
		if (project !== undefined && project !== key.projectId) {
			return this.error(401, 'OpenAI-Project header should match project for API key', 'invalid_request_error', 'mismatched_project');
		}
		if (key.canReadVectorStores === false) {
			return this.error(
				403,
				'You have insufficient permissions for this operation. Missing scopes: api.vector_stores.read. Check that you have the correct role in your organization (Reader, Writer, Owner) and project (Member, Owner), and if you\'re using a restricted API key, that it has the necessary scopes.',
				'invalid_request_error',
			);
		}
		return null;
	}

	private token(length: number): string {
		const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
		let out = '';
		for (let i = 0; i < length; i++) out += alphabet[this.env.random.int(0, alphabet.length - 1)];
		return out;
	}

	private requireStore(storeId: string): SimStore {
		const store = this.stores.get(storeId);
		if (!store) throw new Error(`Unknown vector store ${storeId}`);
		return store;
	}

	private attach(storeId: string, fileId: string, input: OpenAiFileInput = {}): void {
		const store = this.requireStore(storeId);
		store.files.set(fileId, {
			fileId,
			createdAt: this.env.clock.nowSeconds(),
			cursor: cursorFor(input.script ?? openAiScript(), this.env.clock, input.msPerStep),
			seq: this.seq++,
		});
	}

	private newBatch(storeId: string, fileIds: string[]): string {
		const store = this.requireStore(storeId);
		const id = `vsfb_${this.token(32).toLowerCase()}`;
		store.batches.set(id, { id, createdAt: this.env.clock.nowSeconds(), fileIds, cancelled: false });
		return id;
	}

	private ok(body: JsonValue): VendorResponse {
		return { status: 200, headers: this.commonHeaders(), body };
	}

	private error(status: number, message: string, type: string, code: string | null = null, param: string | null = null): VendorResponse {
		return { status, headers: this.commonHeaders(), body: { error: { message, type, param, code } } };
	}

	private state(file: StoreFile, observe: boolean): OpenAiFileState {
		return observe ? file.cursor.observe() : file.cursor.peek();
	}

	private fileJson(store: SimStore, file: StoreFile, observe: boolean): JsonValue {
		const state = this.state(file, observe);
		return {
			id: file.fileId,
			object: 'vector_store.file',
			usage_bytes: state.status === 'completed' ? (this.files.get(file.fileId)?.bytes ?? 0) : 0,
			created_at: file.createdAt,
			vector_store_id: store.id,
			status: state.status,
			last_error: state.lastError ? { code: state.lastError.code, message: state.lastError.message } : null,
			chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 } },
			attributes: {},
		};
	}

	private counts(files: StoreFile[], observe: boolean): Record<string, number> {
		const counts: Record<string, number> = { in_progress: 0, completed: 0, failed: 0, cancelled: 0, total: files.length };
		for (const file of files) counts[this.state(file, observe).status] += 1;
		return counts;
	}

	private storeJson(store: SimStore): JsonValue {
		const counts = this.counts([...store.files.values()], false);
		return {
			id: store.id,
			object: 'vector_store',
			created_at: store.createdAt,
			name: store.name,
			usage_bytes: 0,
			file_counts: counts,
			status: counts.in_progress > 0 ? 'in_progress' : 'completed',
			expires_after: null,
			expires_at: null,
			last_active_at: store.createdAt,
			metadata: {},
		};
	}

	private batchJson(store: SimStore, batch: SimBatch): JsonValue {
		const files = batch.fileIds.map((id) => store.files.get(id)).filter((f): f is StoreFile => f !== undefined);
		const counts = this.counts(files, true);
		let status: OpenAiFileStatus = 'in_progress';
		if (counts.in_progress === 0) status = counts.cancelled > 0 ? 'cancelled' : counts.failed > 0 && counts.completed === 0 ? 'failed' : 'completed';
		return { id: batch.id, object: 'vector_store.files_batch', created_at: batch.createdAt, vector_store_id: store.id, status, file_counts: counts };
	}

	/** A cursor page of `files`, as every vector store listing answers. */
	private listFiles(store: SimStore, files: StoreFile[], query: URLSearchParams): VendorResponse {
		const checked = this.pageQuery(query);
		if ('status' in checked) return checked;
		const filter = query.get('filter');
		if (filter !== null && !STATUSES.includes(filter as OpenAiFileStatus)) {
			return this.error(400, `Invalid value for 'filter': expected one of in_progress, completed, failed, cancelled.`, 'invalid_request_error', null, 'filter');
		}
		const ordered = [...files].sort((a, b) => (a.createdAt - b.createdAt || a.seq - b.seq) * (checked.order === 'asc' ? 1 : -1));
		const matching = filter === null ? ordered : ordered.filter((f) => this.state(f, false).status === filter);
		const page = this.slice(matching.map((f) => ({ id: f.fileId, f })), checked);
		const data = page.items.map(({ f }) => this.fileJson(store, f, true));
		return this.ok({ object: 'list', data, first_id: page.items[0]?.id ?? null, last_id: page.items.at(-1)?.id ?? null, has_more: page.hasMore });
	}

	private listStores(query: URLSearchParams): VendorResponse {
		const checked = this.pageQuery(query);
		if ('status' in checked) return checked;
		const ordered = [...this.stores.values()].sort((a, b) => (a.createdAt - b.createdAt || a.seq - b.seq) * (checked.order === 'asc' ? 1 : -1));
		const page = this.slice(ordered.map((s) => ({ id: s.id, s })), checked);
		const data = page.items.map(({ s }) => this.storeJson(s));
		return this.ok({ object: 'list', data, first_id: page.items[0]?.id ?? null, last_id: page.items.at(-1)?.id ?? null, has_more: page.hasMore });
	}

	private pageQuery(query: URLSearchParams): VendorResponse | { limit: number; order: 'asc' | 'desc'; after: string | null; before: string | null } {
		const limitText = query.get('limit');
		const limit = limitText === null ? 20 : Number(limitText);
		if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
			const code = limit < 1 ? 'integer_below_min_value' : 'integer_above_max_value';
			return this.error(400, `Invalid 'limit': integer below minimum value or above maximum value. Expected a value between 1 and 100, but got ${limitText} instead.`, 'invalid_request_error', code, 'limit');
		}
		const order = query.get('order') ?? 'desc';
		if (order !== 'asc' && order !== 'desc') {
			return this.error(400, `Invalid value for 'order': expected 'asc' or 'desc'.`, 'invalid_request_error', null, 'order');
		}
		return { limit, order, after: query.get('after'), before: query.get('before') };
	}

	private slice<T extends { id: string }>(items: T[], query: { limit: number; after: string | null; before: string | null }) {
		let start = 0;
		let end = items.length;
		if (query.after !== null) start = items.findIndex((i) => i.id === query.after) + 1;
		if (query.before !== null) end = Math.max(0, items.findIndex((i) => i.id === query.before));
		// An unknown cursor lists nothing (start 0 from findIndex -1 + 1 would restart the listing).
		if (query.after !== null && start === 0) return { items: [] as T[], hasMore: false };
		const window = items.slice(start, end);
		return { items: window.slice(0, query.limit), hasMore: window.length > query.limit };
	}

	private retrieveFile(fileId: string): VendorResponse {
		const file = this.files.get(fileId);
		if (!file) return this.error(404, `No such File object: ${fileId}`, 'invalid_request_error', null, 'id');
		return this.ok({ id: file.id, object: 'file', bytes: file.bytes, created_at: file.createdAt, filename: file.filename, purpose: 'assistants', status: 'processed' });
	}

	private createBatch(store: SimStore, body: string): VendorResponse {
		let fileIds: unknown;
		try {
			fileIds = (JSON.parse(body) as { file_ids?: unknown }).file_ids;
		} catch {
			return this.error(400, 'We could not parse the JSON body of your request.', 'invalid_request_error');
		}
		if (!Array.isArray(fileIds) || fileIds.length === 0 || fileIds.length > 2000 || fileIds.some((id) => typeof id !== 'string')) {
			return this.error(400, "Invalid 'file_ids': expected an array of 1 to 2000 file IDs.", 'invalid_request_error', null, 'file_ids');
		}
		const unknown = (fileIds as string[]).find((id) => !this.files.has(id));
		if (unknown) return this.error(404, `No such File object: ${unknown}`, 'invalid_request_error', null, 'file_ids');
		for (const id of fileIds as string[]) if (!store.files.has(id)) this.attach(store.id, id, { script: openAiScript({ inProgress: 2 }) });
		const batchId = this.newBatch(store.id, fileIds as string[]);
		return this.ok(this.batchJson(store, store.batches.get(batchId) as SimBatch));
	}

	/** `POST /files` as multipart/form-data: the `file` part's filename and the `purpose` field. */
	private uploadFromMultipart(request: VendorRequest): VendorResponse {
		const type = String(request.headers['content-type'] ?? '');
		if (!type.startsWith('multipart/form-data')) {
			return this.error(400, "Invalid Content-Type header (expected multipart/form-data).", 'invalid_request_error');
		}
		const filename = /name="file";\s*filename="([^"]+)"/.exec(request.body)?.[1];
		const purpose = /name="purpose"\r?\n\r?\n([^\r\n]+)/.exec(request.body)?.[1];
		if (!filename) return this.error(400, "Missing required parameter: 'file'.", 'invalid_request_error', null, 'file');
		if (!purpose) return this.error(400, "Missing required parameter: 'purpose'.", 'invalid_request_error', null, 'purpose');
		const [id] = this.uploadFiles([{ filename, bytes: request.body.length }]);
		return this.retrieveFile(id);
	}
}
