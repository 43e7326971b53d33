import type { IExecuteFunctions, ILoadOptionsFunctions, IPollFunctions } from 'n8n-workflow';

import type { VendorClient } from './client';
import type { DocumentStatus, VendorName } from './types';

/** What the engine needs to know about a vendor's HTTP answers. */
export interface RawResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	/** The parsed body (64-bit integers kept as strings), or undefined when it is not JSON. */
	body: unknown;
	/** The body as sent, for error reports when it is not JSON. */
	text: string;
}

export type FailureKind =
	| 'auth'
	| 'permission'
	| 'not_found'
	| 'rate_limit'
	| 'quota'
	| 'invalid_request'
	| 'server'
	| 'network'
	| 'bad_response'
	/** Not sent: the wait's timeout or the poll's budget left no time for it. */
	| 'out_of_time';

/** A vendor call that did not succeed, described in the vendor's own terms. */
export interface VendorFailure {
	kind: FailureKind;
	retryable: boolean;
	httpStatus: number | null;
	code: string | null;
	message: string;
	requestId: string | null;
	/** The vendor's own word on when to try again (Retry-After or an equivalent header). */
	retryAfterMs?: number | null;
	/** Advice for the user, e.g. that a token may belong to another region. */
	hint?: string;
}

export interface PollIntervalSpec {
	/** Default of the `pollInterval` parameter. */
	defaultSeconds: number;
	/** No poll of the same documents comes sooner than this, whatever the parameter says. */
	minSeconds: number;
}

export interface VendorSpec {
	name: VendorName;
	displayName: string;
	credentialType: string;
	pollInterval: PollIntervalSpec;
	/** Credential fields that must never appear in an error, a log or an item. */
	secretFields: string[];
	/**
	 * Classifies an answer: null when it is a success, else the failure. Called for every
	 * answer, including HTTP 200 (some vendors report errors inside a 200).
	 */
	inspectResponse(response: RawResponse): VendorFailure | null;
	/** The vendor's request id of an answer (header or body), for error reports and items. */
	requestIdOf(response: RawResponse): string | null;
}

/**
 * What one input item (or a trigger) asks to watch. Targets with the same `scopeKey` are fetched
 * together, so two items that watch documents of one dataset cost one call, not two.
 */
export interface WatchTarget {
	scopeKey: string;
	knowledgeBaseId: string;
	jobId: string | null;
	/** The ids to watch, or null when the vendor's call lists the documents (a batch, a job). */
	documentIds: string[] | null;
	/**
	 * True when every document of the knowledge base is watched (trigger only): the first poll
	 * then records a baseline instead of reporting documents that finished long ago.
	 */
	wholeKnowledgeBase: boolean;
}

export type NodeContext = IExecuteFunctions | IPollFunctions;

/** Where vendor calls can be made from: a run, a poll, or the editor filling a list. */
export type ClientContext = NodeContext | ILoadOptionsFunctions;

export interface StatusAdapter<T extends WatchTarget = WatchTarget> {
	spec: VendorSpec;
	/** Reads and checks what item `itemIndex` asks to watch; throws InputError naming the field. */
	readTarget(ctx: NodeContext, itemIndex: number): T;
	/**
	 * The current status of the scope's documents. For a target with `documentIds`, `ids` are
	 * the ones still worth asking about (the union over the items that share the scope); the
	 * engine answers for any id the vendor leaves out.
	 */
	fetchStatuses(client: VendorClient, target: T, ids: string[] | null): Promise<DocumentStatus[]>;
	/**
	 * The most ids one status call takes, where the vendor asks about ids in calls of a fixed
	 * size, one after the other. A wait then asks in steps of this many, so that a round its
	 * timeout cuts short keeps the answers of the steps before.
	 */
	idsPerCall?: number;
	/**
	 * One page (from 1) of every document of the knowledge base, for targets that watch all of
	 * it (`wholeKnowledgeBase`). A trigger reads a long listing over several polls when one
	 * poll's time is not enough, so each page is its own call. `cursor` is what the page before
	 * gave as `nextCursor` (null on page 1), for vendors that page by token instead of number.
	 */
	listPage?(client: VendorClient, target: T, page: number, cursor: string | null): Promise<ListingPage>;
	/**
	 * One page (from 1) of the documents a listed set (a batch, a job) lists, where the vendor
	 * pages them and a long set may take longer than one poll's time. A trigger then reads the
	 * set over several polls, as it reads a whole knowledge base. Page 1 of a set that lists no
	 * document answers with the set's own item (no id); a set still open may add its own
	 * unfinished item to its last page, which keeps the set open. `cursor` is what the page
	 * before gave as `nextCursor` (null on page 1), kept between polls like a listing's, for
	 * vendors that page by token; the adapter may put in it whatever its later pages need (it
	 * is stored as given). A page after the first may come with a null cursor (a state saved
	 * before cursors were kept): the adapter then starts the set over or answers by number.
	 */
	setPage?(client: VendorClient, target: T, page: number, cursor: string | null): Promise<ListingPage>;
	/**
	 * What counts as progress in a document's answer: the values that change while the vendor
	 * works on it (a stage, a percentage, a segment count). A document whose values stay the same
	 * for long enough is stuck (see stuck.ts). Read from what the status calls already return.
	 */
	progressSignature(document: DocumentStatus): ProgressSignature;
}

export type ProgressSignature = ReadonlyArray<string | number | boolean | null>;

export interface ListingPage {
	documents: DocumentStatus[];
	/** Whether a further page may hold more documents. */
	hasMore: boolean;
	/** The vendor's token for the next page, where it pages by token; kept between polls. */
	nextCursor?: string | null;
}
