import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
} from 'n8n-workflow';

import type { Clock } from './clock';
import { ExecutionCancelledError, throwIfCancelled } from './clock';
import { redactSecrets, secretValues, VendorRequestError } from './errors';
import { parseJsonLossless } from './losslessJson';
import { settle } from './settle';
import type { RetryPolicy } from './retry';
import { DEFAULT_RETRY_POLICY, decideRetry, isRetryableNetworkCode, parseRetryAfterMs } from './retry';
import type { ClientContext, RawResponse, VendorFailure, VendorSpec } from './vendor';

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

/** The shortest timeout a call gets: below this a healthy vendor could not answer at all. */
const MIN_REQUEST_TIMEOUT_MS = 250;

/** What the clients of one execution share: per-key call times, Retry-After, the credential. */
interface SharedState {
	lastCallAt: Map<string, number>;
	backoffHintMs: number;
	credentialData?: Promise<ICredentialDataDecryptedObject>;
	secrets?: Promise<string[]>;
}

/** What a derived client may not go past: a time, and a stop signal. */
export interface CallLimits {
	/**
	 * No call starts, and no call runs, past this time: a wait ends at its timeout, and a trigger
	 * poll within its budget, whatever the vendor does.
	 */
	notAfter?: number;
	/** Aborts sleeps and calls in flight, e.g. when another part of the execution has failed. */
	signal?: AbortSignal;
}

/**
 * Sends a vendor's calls through the node's credential (`httpRequestWithAuthentication`, so
 * that the credential signs them), classifies every answer with the vendor's rules, and retries
 * what can be retried. It never lets the underlying HTTP error out: that error carries the
 * request's headers, and with them the credential.
 */
export class VendorClient {
	private shared: SharedState = { lastCallAt: new Map(), backoffHintMs: 0 };
	/** No call or retry starts past this time (see `limited`). */
	private notAfter = Number.POSITIVE_INFINITY;

	constructor(
		private readonly ctx: ClientContext,
		readonly spec: VendorSpec,
		private readonly clock: Clock,
		private readonly signal?: AbortSignal,
		private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
		private readonly random: () => number = Math.random,
	) {}

	/**
	 * A client that shares this one's state (spacing, hints, credential) within tighter limits.
	 * It starts no call and no retry past `notAfter` and cuts a call's HTTP timeout at it: a wait
	 * must not overrun its deadline, nor leave a document unchecked for longer than it promised,
	 * because the vendor asked to come back later. Its `signal` stops it on top of this one's.
	 */
	limited(limits: CallLimits): VendorClient {
		const child = new VendorClient(
			this.ctx,
			this.spec,
			this.clock,
			limits.signal ?? this.signal,
			this.policy,
			this.random,
		);
		child.shared = this.shared;
		child.notAfter = Math.min(this.notAfter, limits.notAfter ?? Number.POSITIVE_INFINITY);
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

	/** The credential's secret values, so that no excerpt of an answer can carry one out. */
	private secrets(): Promise<string[]> {
		this.shared.secrets ??= this.credential().then(
			(data) => secretValues(data, this.spec),
			() => [],
		);
		return this.shared.secrets;
	}

	/** Sends a call, retrying what can be retried; throws VendorRequestError when it fails for good. */
	async request(request: VendorRequest): Promise<VendorResponse> {
		const outcome = await this.tryRequest(request);
		if (outcome instanceof VendorRequestError) throw outcome;
		return outcome;
	}

	/** Like `request`, but a final failure is returned, for callers that expect some (a 404). */
	async tryRequest(request: VendorRequest): Promise<VendorResponse | VendorRequestError> {
		let lastFailure: VendorFailure | null = null;
		for (let attempt = 1; ; attempt += 1) {
			if (!(await this.waitForSpacing(request))) {
				// After a failed attempt, the vendor's answer says more than "no time was left".
				return new VendorRequestError(this.spec.displayName, request.operation, lastFailure ?? outOfTime(), attempt - 1);
			}
			const outcome = await this.attempt(request);
			if ('body' in outcome) return outcome;
			lastFailure = outcome;
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

	/**
	 * Waits until the call may go out: false, without waiting, when that would be past
	 * `notAfter`. Checked before every call, so that a further chunk or page of a round does
	 * not start once the round is out of time.
	 */
	private async waitForSpacing(request: VendorRequest): Promise<boolean> {
		throwIfCancelled(this.signal);
		// Look again after each sleep: a concurrent call on the same key may have taken the slot.
		for (;;) {
			const last = request.spacing ? this.shared.lastCallAt.get(request.spacing.key) : undefined;
			const startAt = last === undefined ? this.clock.now() : Math.max(this.clock.now(), last + (request.spacing?.minIntervalMs ?? 0));
			if (startAt >= this.notAfter) return false;
			const wait = startAt - this.clock.now();
			if (wait <= 0) break;
			await this.clock.sleep(wait, this.signal);
		}
		if (request.spacing) this.shared.lastCallAt.set(request.spacing.key, this.clock.now());
		return true;
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
			timeout: Math.max(MIN_REQUEST_TIMEOUT_MS, Math.min(this.policy.requestTimeoutMs, this.notAfter - this.clock.now())),
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
			const failure = networkFailure(sent.error, request, options.timeout as number);
			// A call that got no answer because its timeout was cut to the wait's timeout or the
			// poll's budget ran out of the package's time, not the vendor's.
			const cutShort = (options.timeout as number) < this.policy.requestTimeoutMs;
			return cutShort && failure.code !== null && TIMEOUT_CODES.has(failure.code) ? outOfTime(failure.message) : failure;
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
		const failure = this.spec.inspectResponse(raw) ?? genericFailure(raw, requestId, await this.secrets());
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

}

/** What every vendor shares: HTTP errors the vendor rules did not claim, and non-JSON bodies. */
function genericFailure(raw: RawResponse, requestId: string | null, secrets: string[]): VendorFailure | null {
	const { statusCode } = raw;
	if (statusCode >= 200 && statusCode < 300) {
		if (raw.body !== undefined) return null;
		return {
			kind: 'bad_response',
			retryable: true,
			httpStatus: statusCode,
			code: null,
			message: `the answer was not valid JSON (${describeText(raw.text, secrets)})`,
			requestId,
		};
	}
	const retryable = statusCode === 429 || statusCode >= 500;
	return {
		kind: statusCode === 429 ? 'rate_limit' : statusCode >= 500 ? 'server' : 'invalid_request',
		retryable,
		httpStatus: statusCode,
		code: null,
		message: `HTTP ${statusCode} (${describeText(raw.text, secrets)})`,
		requestId,
	};
}

/**
 * The failure of a call that was not sent because its time was up, or that the package cut
 * short when its time ran out (`cut` says what happened to it).
 */
function outOfTime(cut?: string): VendorFailure {
	return {
		kind: 'out_of_time',
		// Another round, or the next poll, may ask again.
		retryable: true,
		httpStatus: null,
		code: null,
		message: cut
			? `the timeout or the poll budget ran out while waiting for the answer (${cut})`
			: 'no time was left to ask (the timeout or the poll budget ran out)',
		requestId: null,
	};
}

/** Socket codes of a call that got no answer in time (axios reports its own timeout as the first). */
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/**
 * A call that got no HTTP answer. The message names the host and what happened in words; the
 * socket code goes in `code`, since n8n replaces any message that contains one with a generic
 * text that names neither the vendor nor the call.
 */
function networkFailure(error: unknown, request: VendorRequest, timeoutMs: number): VendorFailure {
	const code = networkErrorCode(error);
	const host = hostOf(request.url);
	return {
		kind: 'network',
		retryable: isRetryableNetworkCode(code),
		httpStatus: null,
		code,
		message: describeNetworkFailure(code, host, timeoutMs),
		requestId: null,
	};
}

function describeNetworkFailure(code: string | null, host: string, timeoutMs: number): string {
	if (code !== null && TIMEOUT_CODES.has(code)) return `no answer from ${host} within ${Math.round(timeoutMs / 100) / 10} s`;
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host ${host} was not found (check the URL)`;
	if (code === 'ECONNREFUSED') return `${host} refused the connection`;
	return `could not reach ${host}`;
}

function bodyText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (body === undefined || body === null) return '';
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	return JSON.stringify(body);
}

/**
 * A short, safe excerpt of a non-JSON body: proxies answer with whole HTML pages, and some echo
 * the request's headers. Secrets are removed before the cut, so that the cut cannot leave a
 * piece of one that no longer matches the whole.
 */
function describeText(text: string, secrets: string[]): string {
	if (text.trim() === '') return 'empty body';
	const flat = redactSecrets(text.replace(/\s+/g, ' ').trim(), secrets);
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
