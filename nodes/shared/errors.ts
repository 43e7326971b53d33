import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ExecutionCancelledError } from './clock';
import type { VendorFailure } from './vendor';

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

/**
 * Removes every secret of the credential from a text. Errors are built from vendor answers, and
 * a vendor may echo what it was sent; this is the last line of defence.
 */
export function redactSecrets(text: string, secrets: string[]): string {
	let out = text;
	for (const secret of secrets) {
		if (secret.length >= 4) out = out.split(secret).join('[redacted]');
	}
	return out;
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
			code: error.failure.code,
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
