import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { VendorClient } from './client';
import { realClock } from './clock';
import type { Clock } from './clock';
import { toNodeError, VendorRequestError } from './errors';
import { credentialSecrets } from './execute';
import type { VendorSpec } from './vendor';

/**
 * The "From List" mode of a resource locator: one page of the vendor's knowledge bases (or
 * workspaces), fetched through the same client, retry policy and redaction as every status call,
 * with the node's credential. A failure is thrown as the n8n error the editor shows in the
 * dropdown (the vendor's words, the HTTP status and a hint), never as an empty list.
 */

/** One entry of the list: what the vendor calls it, its id, and its page in the console. */
export interface ListEntry {
	id: string;
	name: string;
	/** Shown next to the name, e.g. the space or the status. */
	detail?: string;
	url?: string;
}

export interface ListPage {
	entries: ListEntry[];
	/** Where the next page starts, or null at the end. Opaque to n8n, which hands it back. */
	nextToken: string | null;
}

export interface ListRequest {
	/** The search text, trimmed; undefined when the user typed nothing. */
	filter?: string;
	/** The token of the page to read; undefined for the first page. */
	token?: string;
}

export type ListFetcher = (client: VendorClient, request: ListRequest) => Promise<ListPage>;

/**
 * How long one list request may take, retries and backoff included: the editor waits for the
 * answer, and a vendor that keeps throttling must end in a message, not a spinner.
 */
export const LIST_SEARCH_BUDGET_MS = 20_000;

/** The text of a list entry: its name, with the id as a hint (the dropdown shows names only). */
export function entryLabel(entry: ListEntry): string {
	const name = entry.name.trim();
	const hint = entry.detail ? `${entry.id}, ${entry.detail}` : entry.id;
	return name === '' || name === entry.id ? hint : `${name} (${hint})`;
}

/** Whether an entry matches the search text: in its name or its id, ignoring case. */
export function matchesFilter(entry: Pick<ListEntry, 'id' | 'name'>, filter: string | undefined): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return entry.name.toLowerCase().includes(needle) || entry.id.toLowerCase().includes(needle);
}

/** Runs one list request for a node's `methods.listSearch`. */
export async function searchList(
	ctx: ILoadOptionsFunctions,
	spec: VendorSpec,
	fetch: ListFetcher,
	filter?: string,
	paginationToken?: string,
	clock: Clock = realClock,
): Promise<INodeListSearchResult> {
	const secrets = await credentialSecrets(ctx, spec);
	const client = new VendorClient(ctx, spec, clock).limited({ notAfter: clock.now() + LIST_SEARCH_BUDGET_MS });
	const request: ListRequest = {};
	const text = typeof filter === 'string' ? filter.trim() : '';
	if (text !== '') request.filter = text;
	if (typeof paginationToken === 'string' && paginationToken !== '') request.token = paginationToken;
	let page: ListPage;
	try {
		page = await fetch(client, request);
	} catch (error) {
		throw toNodeError(ctx.getNode(), outOfTimeExplained(error), undefined, secrets);
	}
	const results: INodeListSearchItems[] = page.entries.map((entry) => ({
		name: entryLabel(entry),
		value: entry.id,
		...(entry.url ? { url: entry.url } : {}),
	}));
	return page.nextToken === null ? { results } : { results, paginationToken: page.nextToken };
}

/** A list that ran out of time says so in terms of the list, not of a poll. */
function outOfTimeExplained(error: unknown): unknown {
	if (!(error instanceof VendorRequestError) || error.failure.kind !== 'out_of_time') return error;
	const seconds = LIST_SEARCH_BUDGET_MS / 1000;
	return new VendorRequestError(
		error.vendorName,
		error.operation,
		{ ...error.failure, message: `no answer within ${seconds} s (the vendor kept asking to retry later)`, hint: 'Try again, or enter the ID with By ID.' },
		error.attempts,
	);
}
