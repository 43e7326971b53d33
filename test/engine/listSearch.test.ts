import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { ILoadOptionsFunctions, INode } from 'n8n-workflow';

import { InputError, VendorRequestError } from '../../nodes/shared/errors';
import type { ListFetcher, ListRequest } from '../../nodes/shared/listSearch';
import { LIST_SEARCH_BUDGET_MS, entryLabel, matchesFilter, searchList } from '../../nodes/shared/listSearch';
import type { RawResponse, VendorSpec } from '../../nodes/shared/vendor';
import { SimulatedClock } from './fakes';

const SECRET = 'sk-list-search-SECRET-9f8e7d6c';

const spec: VendorSpec = {
	name: 'dify',
	displayName: 'Test Vendor',
	credentialType: 'testApi',
	pollInterval: { defaultSeconds: 5, minSeconds: 1 },
	secretFields: ['apiKey'],
	requestIdOf: () => null,
	inspectResponse: (r: RawResponse) =>
		r.statusCode === 429
			? { kind: 'rate_limit', retryable: true, httpStatus: 429, code: 'busy', message: 'slow down', requestId: null, retryAfterMs: 60_000 }
			: null,
};

const node: INode = { id: 'n', name: 'Temp-Node', type: 'x.test', typeVersion: 1, position: [0, 0], parameters: {} };

/** A load-options context whose HTTP helper answers from a list of status codes. */
function context(statuses: number[] = []) {
	const sent: string[] = [];
	const ctx = {
		getNode: () => node,
		getCredentials: async () => ({ apiKey: SECRET }),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: { url: string }) => {
				sent.push(options.url);
				const statusCode = statuses.shift() ?? 200;
				return { statusCode, headers: {}, body: '{"data":[]}' };
			},
		},
	} as unknown as ILoadOptionsFunctions;
	return { ctx, sent };
}

describe('entryLabel and matchesFilter', () => {
	it('shows the name with the id, and the detail, as the hint', () => {
		expect(entryLabel({ id: 'kb-1', name: 'Guides' })).toBe('Guides (kb-1)');
		expect(entryLabel({ id: 'kb-1', name: ' Guides ', detail: 'space Team' })).toBe('Guides (kb-1, space Team)');
		expect(entryLabel({ id: 'kb-1', name: '' })).toBe('kb-1');
		expect(entryLabel({ id: 'kb-1', name: 'kb-1', detail: 'creating' })).toBe('kb-1, creating');
	});

	it('matches the search text in the name or the id, ignoring case', () => {
		expect(matchesFilter({ id: 'ABC-123', name: 'Support' }, 'sup')).toBe(true);
		expect(matchesFilter({ id: 'ABC-123', name: 'Support' }, 'c-12')).toBe(true);
		expect(matchesFilter({ id: 'ABC-123', name: 'Support' }, 'sales')).toBe(false);
		expect(matchesFilter({ id: 'ABC-123', name: 'Support' }, undefined)).toBe(true);
	});
});

describe('searchList', () => {
	it('hands the fetcher the trimmed search text and the token, and n8n the entries and the next token', async () => {
		const { ctx } = context();
		const seen: ListRequest[] = [];
		const fetch: ListFetcher = async (_client, request) => {
			seen.push(request);
			return { entries: [{ id: 'a', name: 'Alpha', url: 'https://console/a' }, { id: 'b', name: 'Beta' }], nextToken: 'p2' };
		};
		expect(await searchList(ctx, spec, fetch, '  alp  ', 'p1')).toEqual({
			results: [
				{ name: 'Alpha (a)', value: 'a', url: 'https://console/a' },
				{ name: 'Beta (b)', value: 'b' },
			],
			paginationToken: 'p2',
		});
		expect(await searchList(ctx, spec, async () => ({ entries: [], nextToken: null }), '   ')).toEqual({ results: [] });
		expect(seen).toEqual([{ filter: 'alp', token: 'p1' }]);
	});

	it('sends through the vendor client, retrying as every call does', async () => {
		const { ctx, sent } = context([500, 200]);
		const clock = new SimulatedClock();
		const result = await searchList(
			ctx,
			spec,
			async (client) => {
				await client.request({ operation: 'list things', method: 'GET', url: 'http://vendor/things' });
				return { entries: [{ id: 'x', name: 'X' }], nextToken: null };
			},
			undefined,
			undefined,
			clock,
		);
		expect(result.results).toEqual([{ name: 'X (x)', value: 'x' }]);
		expect(sent).toEqual(['http://vendor/things', 'http://vendor/things']);
	});

	it('throws a vendor failure as an API error for the dropdown, without the secret', async () => {
		const { ctx } = context();
		const failing: ListFetcher = async () => {
			throw new VendorRequestError('Test Vendor', 'list things', {
				kind: 'auth',
				retryable: false,
				httpStatus: 401,
				code: 'unauthorized',
				message: `the key ${SECRET} was rejected`,
				requestId: 'r-1',
				hint: `Check the key (${SECRET.slice(3, 15)}).`,
			}, 1);
		};
		const error = (await searchList(ctx, spec, failing).catch((e: unknown) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Test Vendor list things failed: the key [redacted] was rejected');
		expect(error.httpCode).toBe('401');
		expect(error.description).toBe('HTTP 401, code unauthorized, request id r-1. Check the key ([redacted]).');
	});

	it('throws bad settings as an operation error naming the field', async () => {
		const { ctx } = context();
		const error = await searchList(ctx, spec, async () => {
			throw new InputError('Workspace ID is empty: expected a workspace');
		}).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe('Workspace ID is empty: expected a workspace');
	});

	it('gives up within the list\'s budget when the vendor keeps asking to come back later', async () => {
		const { ctx, sent } = context([429, 429, 429]);
		const clock = new SimulatedClock();
		const started = clock.now();
		const error = (await searchList(
			ctx,
			spec,
			async (client) => {
				await client.request({ operation: 'list things', method: 'GET', url: 'http://vendor/things' });
				return { entries: [], nextToken: null };
			},
			undefined,
			undefined,
			clock,
		).catch((e: unknown) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Test Vendor list things failed: slow down');
		// Retry-After asked for 60 s: more than the list may wait, so no retry was sent.
		expect(sent).toHaveLength(1);
		expect(clock.now() - started).toBeLessThanOrEqual(LIST_SEARCH_BUDGET_MS);
	});
});
