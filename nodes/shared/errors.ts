import type { ICredentialDataDecryptedObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ExecutionCancelledError } from './clock';
import type { FailureKind, VendorFailure, VendorSpec } from './vendor';

/** Bad input from a node parameter: the message names the field and what was expected. */
export class InputError extends Error {}

/** A vendor call that failed for good (not retryable, or out of attempts). */
export class VendorRequestError extends Error {
	constructor(
		readonly vendorName: string,
		readonly operation: string,
		readonly failure: VendorFailure,
		readonly attempts: number,
	) {
		super(`${vendorName} ${operation} failed: ${failure.message}`);
	}
}

/**
 * Why a trigger's poll failed, in the words n8n's poll scheduler reads (n8n 2.40 and later): it
 * looks for a `failure` property on the thrown error or any error in its `cause` chain, backs a
 * poll off by its cause, and waits at least `retryAfterMs` when given. Without it n8n guesses
 * from the HTTP status, and a throttled vendor that answers 403 is backed off for 30 minutes.
 * A plain property: older n8n versions ignore it.
 */
export interface PollFailure {
	cause:
		| 'credential-invalid'
		| 'configuration-invalid'
		| 'node-defect'
		| 'rate-limited'
		| 'quota-exhausted'
		| 'temporarily-unavailable';
	retryAfterMs?: number;
}

/** The cause n8n backs off by, from the vendor's own classification of the failure. */
const CAUSE_OF_KIND: Record<FailureKind, PollFailure['cause']> = {
	auth: 'credential-invalid',
	permission: 'configuration-invalid',
	not_found: 'configuration-invalid',
	invalid_request: 'configuration-invalid',
	rate_limit: 'rate-limited',
	quota: 'quota-exhausted',
	server: 'temporarily-unavailable',
	network: 'temporarily-unavailable',
	bad_response: 'temporarily-unavailable',
	out_of_time: 'temporarily-unavailable',
};

/** The cause of whatever a poll threw: a vendor's failure, bad input, or a defect of the node. */
export function pollFailureOf(error: unknown): PollFailure {
	if (error instanceof VendorRequestError) {
		const cause = CAUSE_OF_KIND[error.failure.kind];
		const wait = error.failure.retryAfterMs;
		const timed = cause === 'rate-limited' || cause === 'quota-exhausted' || cause === 'temporarily-unavailable';
		return timed && typeof wait === 'number' && wait > 0 ? { cause, retryAfterMs: wait } : { cause };
	}
	if (error instanceof InputError) return { cause: 'configuration-invalid' };
	return { cause: 'node-defect' };
}

/** The extra lines of an API error: HTTP status, vendor code, request id, attempts, hint. */
export function describeFailure(error: VendorRequestError): string {
	const { failure } = error;
	const parts: string[] = [];
	if (failure.httpStatus !== null) parts.push(`HTTP ${failure.httpStatus}`);
	if (failure.code) parts.push(`code ${failure.code}`);
	if (failure.requestId) parts.push(`request id ${failure.requestId}`);
	if (error.attempts > 1) parts.push(`after ${error.attempts} attempts`);
	let text = parts.length ? `${parts.join(', ')}.` : '';
	if (failure.hint) text = `${text} ${failure.hint}`.trim();
	return text;
}

const REDACTED = '[redacted]';

/** The shortest run of a secret's characters that may not appear in any text. */
export const SECRET_RUN_LENGTH = 8;

/** The values of the credential's secret fields (the vendor spec names them). */
export function secretValues(data: ICredentialDataDecryptedObject, spec: VendorSpec): string[] {
	return spec.secretFields
		.map((field) => data[field])
		.filter((value): value is string => typeof value === 'string' && value !== '');
}

/**
 * Removes the credential's secrets from a text: each whole secret, and any run of 8 or more
 * characters of one, so that a text cut inside a secret, or one that shows only a part of it,
 * gives nothing away. Errors are built from vendor answers, and a vendor, a proxy or a gateway
 * may echo what it was sent; this is the last line of defence.
 */
export function redactSecrets(text: string, secrets: string[]): string {
	let out = text;
	for (const secret of secrets) {
		if (secret.length >= 4) out = out.split(secret).join(REDACTED);
	}
	const runs = new Set<string>();
	for (const secret of secrets) {
		for (let i = 0; i + SECRET_RUN_LENGTH <= secret.length; i++) runs.add(secret.slice(i, i + SECRET_RUN_LENGTH));
	}
	if (runs.size === 0) return out;
	// Mark every character covered by a run, then replace each marked stretch once.
	const covered = new Uint8Array(out.length);
	let any = false;
	for (let i = 0; i + SECRET_RUN_LENGTH <= out.length; i++) {
		if (runs.has(out.slice(i, i + SECRET_RUN_LENGTH))) {
			covered.fill(1, i, i + SECRET_RUN_LENGTH);
			any = true;
		}
	}
	if (!any) return out;
	let result = '';
	for (let i = 0; i < out.length; ) {
		if (!covered[i]) {
			result += out[i++];
			continue;
		}
		while (i < out.length && covered[i]) i++;
		result += REDACTED;
	}
	return result;
}

/** Turns whatever an item's processing threw into the n8n error for that item. */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number | undefined,
	secrets: string[],
): NodeApiError | NodeOperationError {
	const clean = (text: string) => redactSecrets(text, secrets);
	if (error instanceof VendorRequestError) {
		const message = clean(error.message);
		const description = clean(describeFailure(error));
		const response: JsonObject = {
			message,
			description,
			vendor: error.vendorName,
			operation: error.operation,
			// Not `code`: n8n would swap the message for a generic one when it is a socket code.
			vendorCode: error.failure.code,
			requestId: error.failure.requestId,
		};
		if (error.failure.httpStatus !== null) response.httpCode = String(error.failure.httpStatus);
		const apiError = new NodeApiError(node, response, {
			message,
			description,
			httpCode: error.failure.httpStatus === null ? undefined : String(error.failure.httpStatus),
			itemIndex,
		});
		// NodeApiError swaps a message that merely contains a socket error code (ENOTFOUND inside
		// "ResourceNotFoundException") for a text about a wrong host: keep the vendor's words.
		apiError.message = message;
		return apiError;
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		// Re-wrapping an n8n error returns it unchanged, options and all, so set the item here.
		if (itemIndex !== undefined) error.context.itemIndex = itemIndex;
		error.message = clean(error.message);
		if (error.description) error.description = clean(error.description);
		return error;
	}
	if (error instanceof ExecutionCancelledError) {
		return new NodeOperationError(node, error.message, { itemIndex });
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, clean(message), { itemIndex });
}
