/**
 * A local fake of the knowledge-base vendor APIs, for tests, the demo and the benchmark.
 *
 * It is a real HTTP server on 127.0.0.1 (ephemeral port). Each vendor lives under its own
 * path prefix and is implemented by one module (dify.ts, coze.ts, ...). This file holds what
 * is vendor-neutral: the server, routing by prefix, the request log, fault injection and the
 * response writer.
 *
 * Adding a vendor: write a module implementing `VendorModule`, construct it in
 * `Simulator.start()` and expose it as a property, and add it to the `vendors` list there.
 *
 * Everything is deterministic: ids come from a seeded PRNG, timestamps from a virtual clock
 * that only moves when a test calls `advanceClock()` (or a simulated engine clock sleeps), and
 * documents progress per observation (see script.ts), or, given `msPerStep`, with that virtual
 * clock (TimedScriptCursor; Bailian's jobs always do). The only timers are the ones `delay`
 * faults create, and `close()` clears them.
 */

import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { BailianSimulator } from './bailian';
import { BedrockSimulator } from './bedrock';
import { CozeSimulator } from './coze';
import { DifySimulator } from './dify';
import { KendraSimulator } from './kendra';
import { OpenAiSimulator } from './openai';
import { type JsonValue, writeJson } from './json';
import { SeededRandom, SimClock } from './script';

export { writeJson, parseJsonLossless, JsonNumberLiteral, isJsonObject } from './json';
export type { JsonValue, LosslessJson } from './json';
export { ScriptCursor, SeededRandom, SimClock, TimedScriptCursor, cursorFor } from './script';
export type { Script, ScriptStep } from './script';
export { DifySimulator, difyScript, difyCompletedScript } from './dify';
export type {
	DifyDocState,
	DifyDocumentInput,
	DifyIndexingStatus,
	DifyScript,
	DifyScriptOptions,
	DifyStatusEntry,
} from './dify';
export { COZE_STATUS, CozeSimulator, cozeScript, cozeCompletedScript } from './coze';
export type { CozeDocState, CozeDocumentInput, CozeProgressEntry, CozeScript, CozeScriptOptions } from './coze';
export { BailianSimulator } from './bailian';
export type {
	BailianDocumentInput,
	BailianJobInput,
	BailianQueuedError,
	BailianStatusCall,
	BailianStsCredentials,
} from './bailian';
export { KendraSimulator, kendraScript, kendraIndexedScript } from './kendra';
export { BEDROCK_ERROR_STATUS, BedrockSimulator, bedrockDocumentScript, bedrockJobScript } from './bedrock';
export type {
	BedrockAccessKey,
	BedrockDocState,
	BedrockDocumentInput,
	BedrockDocumentScript,
	BedrockDocumentStatus,
	BedrockJobScript,
	BedrockJobState,
	BedrockJobStatus,
	BedrockStatusCall,
} from './bedrock';
export type {
	KendraAccessKey,
	KendraDocState,
	KendraDocumentInput,
	KendraDocumentStatus,
	KendraScript,
	KendraScriptOptions,
	KendraStatusCall,
} from './kendra';
export { OpenAiSimulator, openAiScript } from './openai';
export type { OpenAiApiKey, OpenAiErrorCode, OpenAiFileInput, OpenAiFileState, OpenAiFileStatus, OpenAiScript, OpenAiScriptOptions } from './openai';

// ---------------------------------------------------------------------------------------------
// Contract between the server and a vendor module
// ---------------------------------------------------------------------------------------------

/** A request as a vendor module sees it: the path is relative to the vendor prefix. */
export interface VendorRequest {
	method: string;
	/** Path without the vendor prefix and without the query, e.g. `/datasets/…/documents`. */
	path: string;
	query: URLSearchParams;
	/** Node's lower-cased header map. */
	headers: http.IncomingHttpHeaders;
	/** Raw body text (UTF-8). Vendor modules parse it themselves, losslessly where it matters. */
	body: string;
	/** The request target exactly as received (prefix, path and query), for signature checks. */
	rawUrl?: string;
}

/** What a vendor module answers. `body` goes through `writeJson`; `rawBody` is sent verbatim. */
export interface VendorResponse {
	status: number;
	headers?: Record<string, string>;
	body?: JsonValue;
	rawBody?: string;
}

/** Services the server lends to vendor modules. */
export interface VendorEnvironment {
	/** Absolute base URL of the vendor, e.g. `http://127.0.0.1:40123/dify/v1`. */
	baseUrl: string;
	clock: SimClock;
	random: SeededRandom;
}

export interface VendorModule {
	/** Short name used in the request log and in fault filters, e.g. `dify`. */
	readonly name: string;
	/** Path prefix on the simulator, e.g. `/dify/v1`. */
	readonly prefix: string;
	/** Answers one request. Must be synchronous and must not throw for client mistakes. */
	handle(request: VendorRequest): VendorResponse;
	/** The vendor's own error envelope for an HTTP status, used by injected `status` faults. */
	errorResponse(status: number): VendorResponse;
	/** Headers every response of this vendor carries (e.g. Coze's `x-tt-logid`). */
	commonHeaders(): Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Request log and faults
// ---------------------------------------------------------------------------------------------

export type VendorName = 'dify' | 'coze' | (string & {});

export interface RequestLog {
	/** 1-based arrival order; stable across runs, unlike `at`. */
	seq: number;
	/** Vendor name, or `unknown` for a path outside every prefix. */
	vendor: string;
	method: string;
	/** Path without the vendor prefix and without the query. */
	path: string;
	/** Query parameters; a repeated parameter becomes an array. */
	query: Record<string, string | string[]>;
	headers: http.IncomingHttpHeaders;
	/** Raw body text. */
	body: string;
	/** HTTP status sent; 0 while pending or when the connection was dropped. */
	status: number;
	/** Wall-clock arrival time in ms (for the benchmark; not part of deterministic behaviour). */
	at: number;
	/** Set when an injected fault handled (or delayed) the request. */
	fault?: FaultKind['type'];
	/** Set when the vendor module threw (the client got a 500). */
	error?: string;
}

export type FaultKind =
	| {
			type: 'status';
			status: number;
			headers?: Record<string, string>;
			/** Raw text or a JSON value; default: the vendor's own error envelope for `status`. */
			body?: string | JsonValue;
	  }
	/** HTTP 200 with a truncated JSON body. */
	| { type: 'malformed' }
	/** Destroy the socket without answering. */
	| { type: 'drop' }
	/** Answer normally after `ms` milliseconds. */
	| { type: 'delay'; ms: number }
	/**
	 * A gateway's plain-text error page that echoes every request header after `preamble`, as
	 * some proxies do: the test of what an error may show of a credential.
	 */
	| {
			type: 'echoHeaders';
			status: number;
			preamble: string;
			headers?: Record<string, string>;
			/** Lower-case names of headers to echo before the others (a proxy's own order). */
			first?: string[];
	  };

export interface Fault {
	vendor?: VendorName;
	/** HTTP method, case-insensitive. */
	method?: string;
	/** Tested against the path without the vendor prefix. */
	path?: RegExp;
	/** How many matching requests it affects (default 1; `Infinity` for all). */
	times?: number;
	kind: FaultKind;
}

export interface FaultHandle {
	/** Matching requests it will still affect. */
	readonly remaining: number;
	cancel(): void;
}

interface ActiveFault {
	fault: Fault;
	remaining: number;
}

// A body that is valid JSON up to a point and then stops, as a proxy cutting a response would.
const TRUNCATED_JSON_BODY = '{"data":[{"id":"a8e0e5b5-78c6-4130-a5ce-25feb0e0b4ac","indexing_status":"index';

// ---------------------------------------------------------------------------------------------
// The simulator
// ---------------------------------------------------------------------------------------------

export interface SimulatorOptions {
	/** Seed for ids and anything else a vendor would randomize (default 1). */
	seed?: number;
	/** Start of the virtual clock, ms since epoch or a Date (default 2025-03-06T13:20:00Z). */
	startTime?: number | Date;
	/** Follow the wall clock instead of the virtual one (for a live demo). */
	realClock?: boolean;
	/** Port to listen on (default 0: ephemeral). */
	port?: number;
}

/** 2025-03-06T13:20:00Z, the instant used in Dify's own examples (1741267200). */
export const DEFAULT_START_TIME = Date.UTC(2025, 2, 6, 13, 20, 0);

export class Simulator {
	/** `http://127.0.0.1:<port>` */
	readonly url: string;
	readonly dify: DifySimulator;
	readonly coze: CozeSimulator;
	readonly bailian: BailianSimulator;
	readonly kendra: KendraSimulator;
	readonly openai: OpenAiSimulator;
	readonly bedrock: BedrockSimulator;
	readonly clock: SimClock;

	private readonly vendors: VendorModule[];
	private readonly log: RequestLog[] = [];
	private faults: ActiveFault[] = [];
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly sockets = new Set<Socket>();
	private readonly requestListeners = new Set<(entry: RequestLog) => void>();
	private nextSeq = 1;
	private closed = false;

	private constructor(
		private readonly server: http.Server,
		port: number,
		options: SimulatorOptions,
	) {
		this.url = `http://127.0.0.1:${port}`;
		const start = options.startTime instanceof Date ? options.startTime.getTime() : options.startTime;
		this.clock = new SimClock(start ?? DEFAULT_START_TIME, options.realClock ?? false);
		// One PRNG per vendor, derived from the seed, so adding documents to one vendor does
		// not change the ids another vendor hands out.
		const seed = options.seed ?? 1;
		this.dify = new DifySimulator({
			baseUrl: `${this.url}/dify/v1`,
			clock: this.clock,
			random: new SeededRandom(seed * 7919 + 1),
		});
		this.coze = new CozeSimulator({
			baseUrl: `${this.url}/coze`,
			clock: this.clock,
			random: new SeededRandom(seed * 7919 + 2),
		});
		this.bailian = new BailianSimulator({
			baseUrl: `${this.url}/bailian`,
			clock: this.clock,
			random: new SeededRandom(seed * 7919 + 3),
		});
		this.kendra = new KendraSimulator({
			baseUrl: `${this.url}/kendra`,
			clock: this.clock,
			random: new SeededRandom(seed * 7919 + 4),
		});
		this.openai = new OpenAiSimulator({
			baseUrl: `${this.url}/openai/v1`,
			clock: this.clock,
			random: new SeededRandom(seed * 7919 + 5),
		});
		this.bedrock = new BedrockSimulator({
			baseUrl: `${this.url}/bedrock`,
			clock: this.clock,
			random: new SeededRandom(seed * 7919 + 6),
		});
		this.vendors = [this.dify, this.coze, this.bailian, this.kendra, this.openai, this.bedrock];
	}

	/** Starts a simulator on 127.0.0.1 (ephemeral port unless `options.port`). */
	static async start(options: SimulatorOptions = {}): Promise<Simulator> {
		const server = http.createServer();
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(options.port ?? 0, '127.0.0.1', () => {
				server.off('error', reject);
				resolve();
			});
		});
		const { port } = server.address() as AddressInfo;
		const sim = new Simulator(server, port, options);
		server.on('connection', (socket: Socket) => {
			sim.sockets.add(socket);
			socket.once('close', () => sim.sockets.delete(socket));
		});
		server.on('request', (req, res) => sim.onRequest(req, res));
		return sim;
	}

	/** Every request received so far, in arrival order (live array). */
	get requests(): RequestLog[] {
		return this.log;
	}

	/** Requests to one vendor, optionally only those whose path matches. */
	requestsTo(vendor: VendorName, pathPattern?: RegExp): RequestLog[] {
		return this.log.filter(
			(entry) => entry.vendor === vendor && (pathPattern === undefined || pathPattern.test(entry.path)),
		);
	}

	clearRequests(): void {
		this.log.length = 0;
	}

	/**
	 * Calls `listener` as each request arrives, before faults and routing (e.g. for a simulated
	 * clock that must not move while a request is on its way). Returns the unsubscribe function.
	 */
	addRequestListener(listener: (entry: RequestLog) => void): () => void {
		this.requestListeners.add(listener);
		return () => this.requestListeners.delete(listener);
	}

	/** Makes the next matching request(s) fail before routing, like a gateway would. */
	injectFault(fault: Fault): FaultHandle {
		const times = fault.times ?? 1;
		if (!(times > 0)) throw new Error('Fault times must be positive');
		if (fault.kind.type === 'delay' && !(fault.kind.ms >= 0)) throw new Error('Delay ms must be >= 0');
		const active: ActiveFault = { fault, remaining: times };
		this.faults.push(active);
		const faults = () => this.faults;
		const remove = () => {
			this.faults = this.faults.filter((f) => f !== active);
		};
		return {
			get remaining() {
				return faults().includes(active) ? active.remaining : 0;
			},
			cancel: remove,
		};
	}

	clearFaults(): void {
		this.faults = [];
	}

	/** Current simulator time in ms (virtual unless `realClock`). */
	now(): number {
		return this.clock.now();
	}

	/** Moves the virtual clock (rate-limit windows, timestamps of new documents). */
	advanceClock(ms: number): void {
		this.clock.advance(ms);
	}

	/** Stops listening, drops open connections and pending delayed answers. */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
		// Keep-alive connections (fetch keeps them) would otherwise hold close() open.
		this.server.closeAllConnections();
		for (const socket of this.sockets) socket.destroy();
		await closing;
	}

	// -----------------------------------------------------------------------------------------

	private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => this.dispatch(req, res, Buffer.concat(chunks).toString('utf8')));
		req.on('error', () => res.destroy());
	}

	private dispatch(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const method = (req.method ?? 'GET').toUpperCase();
		const vendor = this.vendors.find(
			(v) => url.pathname === v.prefix || url.pathname.startsWith(`${v.prefix}/`),
		);
		const path = vendor ? url.pathname.slice(vendor.prefix.length) || '/' : url.pathname;
		const entry: RequestLog = {
			seq: this.nextSeq++,
			vendor: vendor?.name ?? 'unknown',
			method,
			path,
			query: queryToObject(url.searchParams),
			headers: req.headers,
			body,
			status: 0,
			at: Date.now(),
		};
		this.log.push(entry);
		for (const listener of this.requestListeners) listener(entry);

		if (!vendor) {
			this.send(res, entry, {
				status: 404,
				body: { error: 'not_found', message: `No simulated vendor serves ${url.pathname}` },
			});
			return;
		}

		const request: VendorRequest = { method, path, query: url.searchParams, headers: req.headers, body, rawUrl: req.url };
		const fault = this.takeFault(vendor.name, method, path);
		if (!fault) {
			this.answer(vendor, request, res, entry);
			return;
		}

		// Faults act before routing and auth (a gateway or network failure), so they never
		// reach the vendor module and never tick a document.
		entry.fault = fault.type;
		switch (fault.type) {
			case 'status': {
				const envelope = vendor.errorResponse(fault.status);
				const response: VendorResponse = {
					status: fault.status,
					headers: { ...envelope.headers, ...fault.headers },
				};
				if (fault.body === undefined) response.body = envelope.body;
				else if (typeof fault.body === 'string') response.rawBody = fault.body;
				else response.body = fault.body;
				this.send(res, entry, response);
				return;
			}
			case 'malformed':
				this.send(res, entry, { status: 200, headers: vendor.commonHeaders(), rawBody: TRUNCATED_JSON_BODY });
				return;
			case 'drop':
				res.socket?.destroy();
				return;
			case 'echoHeaders': {
				const first = fault.first ?? [];
				const rank = (name: string) => (first.includes(name) ? first.indexOf(name) : first.length);
				const echoed = Object.entries(req.headers)
					.sort(([a], [b]) => rank(a) - rank(b))
					.map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : String(value)}`)
					.join('\n');
				this.send(res, entry, {
					status: fault.status,
					headers: { 'Content-Type': 'text/plain', ...fault.headers },
					rawBody: `${fault.preamble}${echoed}`,
				});
				return;
			}
			case 'delay': {
				const timer = setTimeout(() => {
					this.timers.delete(timer);
					if (this.closed || res.destroyed) return;
					this.answer(vendor, request, res, entry);
				}, fault.ms);
				this.timers.add(timer);
				return;
			}
		}
	}

	private answer(vendor: VendorModule, request: VendorRequest, res: http.ServerResponse, entry: RequestLog): void {
		let response: VendorResponse;
		try {
			response = vendor.handle(request);
		} catch (error) {
			// A bug in the simulator must be visible, not silently turned into vendor behaviour.
			entry.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
			response = vendor.errorResponse(500);
		}
		this.send(res, entry, response);
	}

	private takeFault(vendor: string, method: string, path: string): FaultKind | undefined {
		const active = this.faults.find(
			({ fault }) =>
				(fault.vendor === undefined || fault.vendor === vendor) &&
				(fault.method === undefined || fault.method.toUpperCase() === method) &&
				(fault.path === undefined || testRegExp(fault.path, path)),
		);
		if (!active) return undefined;
		active.remaining--;
		if (active.remaining <= 0) this.faults = this.faults.filter((f) => f !== active);
		return active.fault.kind;
	}

	private send(res: http.ServerResponse, entry: RequestLog, response: VendorResponse): void {
		entry.status = response.status;
		if (res.destroyed) return;
		const text = response.rawBody ?? (response.body === undefined ? '' : writeJson(response.body));
		const headers: Record<string, string | number> = { ...response.headers };
		if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json';
		headers['Content-Length'] = Buffer.byteLength(text);
		res.writeHead(response.status, headers);
		res.end(text);
	}
}

/** Starts a simulator; see `Simulator`. */
export function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
	return Simulator.start(options);
}

// ---------------------------------------------------------------------------------------------

function queryToObject(params: URLSearchParams): Record<string, string | string[]> {
	const result: Record<string, string | string[]> = {};
	for (const key of new Set(params.keys())) {
		const values = params.getAll(key);
		result[key] = values.length === 1 ? values[0] : values;
	}
	return result;
}

function hasHeader(headers: Record<string, unknown>, name: string): boolean {
	return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/** RegExp.test without the `lastIndex` surprise of global/sticky patterns. */
function testRegExp(pattern: RegExp, value: string): boolean {
	pattern.lastIndex = 0;
	return pattern.test(value);
}
