import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
} from 'n8n-workflow';

import type { Clock } from './clock';
import { ExecutionCancelledError, throwIfCancelled } from './clock';
import { VendorRequestError } from './errors';
import { parseJsonLossless } from './losslessJson';
import { settle } from './settle';
import type { RetryPolicy } from './retry';
import { DEFAULT_RETRY_POLICY, decideRetry, isRetryableNetworkCode, parseRetryAfterMs } from './retry';
import type { NodeContext, RawResponse, VendorFailure, VendorSpec } from './vendor';

export interface VendorRequest {
	/** The vendor's name for the call, used in error messages (e.g. "GetIndexJobStatus"). */
	operation: string;
	method: IHttpRequestMethods;
	url: string;
	qs?: IDataObject;
	/** Sent as JSON text, so that what a signing credential hashes is what goes on the wire. */
	body?: unknown;
	headers?: Record<string, string>;
	/**
	 * Calls with the same key are spaced at least `minIntervalMs` apart, retries and further
	 * pages included (some vendors ask for this per job).
	 */
	spacing?: { key: string; minIntervalMs: number };
}

export interface VendorResponse {
	statusCode: number;
	headers: RawResponse['headers'];
	body: unknown;
	requestId: string | null;
}

const REQUEST_TIMEOUT_MS = 30_000;
/** The shortest timeout a call gets, even when its round is nearly out of time. */
const MIN_REQUEST_TIMEOUT_MS = 10_000;

/** What the clients of one execution share: per-key call times, Retry-After, the credential. */
interface SharedState {
	lastCallAt: Map<string, number>;
	backoffHintMs: number;
	credentialData?: Promise<ICredentialDataDecryptedObject>;
}

/**
 * Sends a vendor's calls through the node's credential (`httpRequestWithAuthentication`, so
 * that the credential signs them), classifies every answer with the vendor's rules, and retries
 * what can be retried. It never lets the underlying HTTP error out: that error carries the
 * request's headers, and with them the credential.
 */
export class VendorClient {
	private shared: SharedState = { lastCallAt: new Map(), backoffHintMs: 0 };
	/** No retry is scheduled past this time (see `bounded`). */
	private notAfter = Number.POSITIVE_INFINITY;

	constructor(
		private readonly ctx: NodeContext,
		readonly spec: VendorSpec,
		private readonly clock: Clock,
		private readonly signal?: AbortSignal,
		private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
		private readonly random: () => number = Math.random,
	) {}

	/**
	 * A client for one round of polling that gives up, instead of retrying, once a retry would
	 * come after `notAfter`: a wait must not overrun its deadline, nor leave a document
	 * unchecked for longer than it promised, because the vendor asked to come back later.
	 */
	bounded(notAfter: number): VendorClient {
		const child = new VendorClient(this.ctx, this.spec, this.clock, this.signal, this.policy, this.random);
		child.shared = this.shared;
		child.notAfter = notAfter;
		return child;
	}

	/** The node's credential, read once: adapters take endpoints and defaults from it. */
	credential(): Promise<ICredentialDataDecryptedObject> {
		this.shared.credentialData ??= this.ctx.getCredentials(this.spec.credentialType);
		return this.shared.credentialData;
	}

	/**
	 * The longest Retry-After the vendor asked for since the last call of this method: the wait
	 * loop does not poll again sooner than that.
	 */
	takeBackoffHintMs(): number {
		const hint = this.shared.backoffHintMs;
		this.shared.backoffHintMs = 0;
		return hint;
	}

	/** Sends a call, retrying what can be retried; throws VendorRequestError when it fails for good. */
	async request(request: VendorRequest): Promise<VendorResponse> {
		const outcome = await this.tryRequest(request);
		if (outcome instanceof VendorRequestError) throw outcome;
		return outcome;
	}

	/** Like `request`, but a final failure is returned, for callers that expect some (a 404). */
	async tryRequest(request: VendorRequest): Promise<VendorResponse | VendorRequestError> {
		for (let attempt = 1; ; attempt += 1) {
			await this.waitForSpacing(request);
			const outcome = await this.attempt(request);
			if ('body' in outcome) return outcome;
			if (outcome.retryAfterMs) {
				this.shared.backoffHintMs = Math.max(this.shared.backoffHintMs, outcome.retryAfterMs);
			}
			const decision = decideRetry(
				attempt,
				outcome.retryable,
				outcome.retryAfterMs ?? null,
				this.policy,
				this.random,
			);
			if (!decision.retry || this.clock.now() + decision.delayMs > this.notAfter) {
				return new VendorRequestError(this.spec.displayName, request.operation, outcome, attempt);
			}
			await this.clock.sleep(decision.delayMs, this.signal);
		}
	}

	private async waitForSpacing(request: VendorRequest): Promise<void> {
		throwIfCancelled(this.signal);
		if (!request.spacing) return;
		const { key, minIntervalMs } = request.spacing;
		// Look again after each sleep: a concurrent call on the same key may have taken the slot.
		for (;;) {
			const last = this.shared.lastCallAt.get(key);
			const wait = last === undefined ? 0 : last + minIntervalMs - this.clock.now();
			if (wait <= 0) break;
			await this.clock.sleep(wait, this.signal);
		}
		this.shared.lastCallAt.set(key, this.clock.now());
	}

	/** One call: the response on success, else the failure. */
	private async attempt(request: VendorRequest): Promise<VendorResponse | VendorFailure> {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			qs: request.qs,
			headers: { Accept: 'application/json', ...request.headers },
			encoding: 'text',
			json: false,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: Math.min(REQUEST_TIMEOUT_MS, Math.max(MIN_REQUEST_TIMEOUT_MS, this.notAfter - this.clock.now())),
			abortSignal: this.signal,
		};
		if (request.body !== undefined) {
			options.body = JSON.stringify(request.body);
			options.headers = { 'Content-Type': 'application/json', ...options.headers };
		}
		const sent = await settle<{ statusCode: number; headers: RawResponse['headers']; body: unknown }>(
			this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, this.spec.credentialType, options),
		);
		if (!sent.ok) {
			if (this.signal?.aborted) throw new ExecutionCancelledError();
			return this.networkFailure(sent.error, request);
		}
		const answer = sent.value;
		const text = bodyText(answer.body);
		let body: unknown;
		try {
			body = text === '' ? undefined : parseJsonLossless(text);
		} catch {
			body = undefined;
		}
		const raw: RawResponse = { statusCode: answer.statusCode, headers: answer.headers ?? {}, body, text };
		const requestId = this.spec.requestIdOf(raw);
		const failure = this.spec.inspectResponse(raw) ?? this.genericFailure(raw, requestId);
		if (failure) {
			return {
				...failure,
				requestId: failure.requestId ?? requestId,
				retryAfterMs:
					failure.retryAfterMs ?? parseRetryAfterMs(raw.headers['retry-after'], this.clock.now()),
			};
		}
		return { statusCode: raw.statusCode, headers: raw.headers, body, requestId };
	}

	/** What every vendor shares: HTTP errors the vendor rules did not claim, and non-JSON bodies. */
	private genericFailure(raw: RawResponse, requestId: string | null): VendorFailure | null {
		const { statusCode } = raw;
		if (statusCode >= 200 && statusCode < 300) {
			if (raw.body !== undefined) return null;
			return {
				kind: 'bad_response',
				retryable: true,
				httpStatus: statusCode,
				code: null,
				message: `the answer was not valid JSON (${describeText(raw.text)})`,
				requestId,
			};
		}
		const retryable = statusCode === 429 || statusCode >= 500;
		return {
			kind: statusCode === 429 ? 'rate_limit' : statusCode >= 500 ? 'server' : 'invalid_request',
			retryable,
			httpStatus: statusCode,
			code: null,
			message: `HTTP ${statusCode} (${describeText(raw.text)})`,
			requestId,
		};
	}

	private networkFailure(error: unknown, request: VendorRequest): VendorFailure {
		const code = networkErrorCode(error);
		return {
			kind: 'network',
			retryable: isRetryableNetworkCode(code),
			httpStatus: null,
			code,
			message: `could not reach ${hostOf(request.url)}${code ? ` (${code})` : ''}`,
			requestId: null,
		};
	}
}

function bodyText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (body === undefined || body === null) return '';
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	return JSON.stringify(body);
}

/** A short, safe excerpt of a non-JSON body: proxies answer with whole HTML pages. */
function describeText(text: string): string {
	if (text.trim() === '') return 'empty body';
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
}

function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return 'the server';
	}
}

/**
 * The socket error code, wherever it ended up: n8n-core wraps the request error in a
 * NodeApiError that keeps the code as `httpCode` (e.g. "ECONNRESET"); a bare error has `code`.
 */
function networkErrorCode(error: unknown): string | null {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth += 1) {
		for (const key of ['httpCode', 'code'] as const) {
			const code = (current as Record<string, unknown>)[key];
			if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
		}
		current = (current as { cause?: unknown }).cause;
	}
	return null;
}
