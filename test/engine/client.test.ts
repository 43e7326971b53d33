import type { IHttpRequestOptions } from 'n8n-workflow';

import { VendorClient } from '../../nodes/shared/client';
import { VendorRequestError } from '../../nodes/shared/errors';
import { DEFAULT_RETRY_POLICY } from '../../nodes/shared/retry';
import type { NodeContext, RawResponse, VendorSpec } from '../../nodes/shared/vendor';
import { SimulatedClock } from './fakes';

type Answer = { statusCode: number; body: string; headers?: Record<string, string> } | { networkError: string };

const spec: VendorSpec = {
	name: 'dify',
	displayName: 'Test Vendor',
	credentialType: 'testApi',
	pollInterval: { defaultSeconds: 5, minSeconds: 1 },
	secretFields: ['apiKey'],
	requestIdOf: (r: RawResponse) => (r.headers['x-request-id'] as string | undefined) ?? null,
	inspectResponse: (r: RawResponse) => {
		const body = r.body as { code?: number; msg?: string } | undefined;
		if (r.statusCode === 200 && body?.code === 4013) {
			return { kind: 'rate_limit', retryable: true, httpStatus: 200, code: '4013', message: body.msg ?? '', requestId: null };
		}
		return null;
	},
};

/** A node context whose HTTP helper answers from a script and records what it was asked. */
function contextAnswering(answers: Answer[]) {
	const sent: IHttpRequestOptions[] = [];
	const ctx = {
		getCredentials: async () => ({ apiKey: 'secret-key' }),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				sent.push(options);
				const answer = answers.shift();
				if (!answer) throw new Error('no more scripted answers');
				if ('networkError' in answer) {
					// n8n-core wraps the socket error in a NodeApiError that keeps its code as httpCode.
					throw Object.assign(new Error('The connection to the server was closed unexpectedly'), { httpCode: answer.networkError });
				}
				return { statusCode: answer.statusCode, headers: answer.headers ?? {}, body: answer.body };
			},
		},
	} as unknown as NodeContext;
	return { ctx, sent };
}

const ok = (body: unknown, headers?: Record<string, string>): Answer => ({ statusCode: 200, body: JSON.stringify(body), headers });

describe('VendorClient', () => {
	it('sends JSON text and returns the parsed body with the request id', async () => {
		const { ctx, sent } = contextAnswering([{ statusCode: 200, body: '{"id":7442585813587681111}', headers: { 'x-request-id': 'r-1' } }]);
		const client = new VendorClient(ctx, spec, new SimulatedClock());
		const response = await client.request({ operation: 'get', method: 'POST', url: 'http://h/x', body: { ids: ['1'] } });
		expect(response).toMatchObject({ statusCode: 200, body: { id: '7442585813587681111' }, requestId: 'r-1' });
		expect(sent[0]).toMatchObject({
			method: 'POST',
			body: '{"ids":["1"]}',
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		});
		expect(sent[0].headers).toMatchObject({ 'Content-Type': 'application/json', Accept: 'application/json' });
	});

	it('honours Retry-After on a 429 and reports it as a hint for the next poll', async () => {
		const clock = new SimulatedClock();
		const { ctx, sent } = contextAnswering([{ statusCode: 429, body: '{}', headers: { 'retry-after': '3' } }, ok({ fine: true })]);
		const client = new VendorClient(ctx, spec, clock);
		await expect(client.request({ operation: 'get', method: 'GET', url: 'http://h/x' })).resolves.toMatchObject({ body: { fine: true } });
		expect(sent).toHaveLength(2);
		expect(clock.sleeps).toEqual([3000]);
		expect(client.takeBackoffHintMs()).toBe(3000);
		expect(client.takeBackoffHintMs()).toBe(0);
	});

	it('retries server errors, malformed bodies, errors inside a 200 and dropped sockets', async () => {
		const clock = new SimulatedClock();
		const { ctx, sent } = contextAnswering([
			{ statusCode: 503, body: '<html>busy</html>' },
			{ statusCode: 200, body: '{"data": [' },
			ok({ code: 4013, msg: 'slow down' }),
			{ networkError: 'ECONNRESET' },
			ok({ code: 0 }),
		]);
		const client = new VendorClient(ctx, spec, clock, undefined, undefined, () => 0);
		await expect(client.request({ operation: 'get', method: 'GET', url: 'http://h/x' })).resolves.toMatchObject({ body: { code: 0 } });
		expect(sent).toHaveLength(5);
		expect(clock.sleeps).toEqual([500, 1000, 2000, 4000]);
	});

	it('gives up after the last attempt with the vendor, operation, status and attempts', async () => {
		const { ctx } = contextAnswering(Array.from({ length: 5 }, () => ({ statusCode: 500, body: 'oops', headers: { 'x-request-id': 'r-9' } })));
		const client = new VendorClient(ctx, spec, new SimulatedClock(), undefined, undefined, () => 0);
		const outcome = await client.tryRequest({ operation: 'list documents', method: 'GET', url: 'http://h/x' });
		expect(outcome).toBeInstanceOf(VendorRequestError);
		const error = outcome as VendorRequestError;
		expect(error.message).toBe('Test Vendor list documents failed: HTTP 500 (oops)');
		expect(error.attempts).toBe(5);
		expect(error.failure).toMatchObject({ kind: 'server', httpStatus: 500, requestId: 'r-9' });
	});

	it('does not retry a client error or an unresolvable host', async () => {
		const { ctx, sent } = contextAnswering([{ statusCode: 400, body: '{"message":"bad"}' }, { networkError: 'ENOTFOUND' }]);
		const client = new VendorClient(ctx, spec, new SimulatedClock());
		await expect(client.request({ operation: 'get', method: 'GET', url: 'http://h/x' })).rejects.toMatchObject({
			failure: { kind: 'invalid_request', httpStatus: 400 },
		});
		await expect(client.request({ operation: 'get', method: 'GET', url: 'https://kb.example.com/x' })).rejects.toThrow(
			'Test Vendor get failed: the host kb.example.com was not found (check the URL)',
		);
		expect(sent).toHaveLength(2);
	});

	it('spaces calls that share a spacing key, retries included', async () => {
		const clock = new SimulatedClock();
		const { ctx } = contextAnswering([ok({}), { statusCode: 500, body: '' }, ok({}), ok({})]);
		const client = new VendorClient(ctx, spec, clock, undefined, undefined, () => 0);
		const spacing = { key: 'job-1', minIntervalMs: 5000 };
		await client.request({ operation: 'status', method: 'GET', url: 'http://h/x', spacing });
		await client.request({ operation: 'status', method: 'GET', url: 'http://h/x', spacing });
		await client.request({ operation: 'status', method: 'GET', url: 'http://h/y' });
		// 5 s before the second call, then the 0.5 s backoff is topped up to 5 s before its retry.
		expect(clock.sleeps).toEqual([5000, 500, 4500]);
	});

	it('reports the vendor\'s last answer, not the lack of time, when spacing leaves no time for a retry', async () => {
		const clock = new SimulatedClock(0);
		const { ctx, sent } = contextAnswering([{ statusCode: 503, body: '{}', headers: { 'x-request-id': 'r-503' } }, ok({})]);
		const client = new VendorClient(ctx, spec, clock, undefined, undefined, () => 0).limited({ notAfter: 3000 });
		const outcome = await client.tryRequest({ operation: 'status', method: 'GET', url: 'http://h/x', spacing: { key: 'job-1', minIntervalMs: 5000 } });
		expect(outcome).toBeInstanceOf(VendorRequestError);
		expect((outcome as VendorRequestError).failure).toMatchObject({ kind: 'server', httpStatus: 503, requestId: 'r-503' });
		expect(sent).toHaveLength(1);
		// Nothing was tried at all: then the lack of time is the answer.
		const late = await client.tryRequest({ operation: 'status', method: 'GET', url: 'http://h/x', spacing: { key: 'job-1', minIntervalMs: 5000 } });
		expect((late as VendorRequestError).failure.kind).toBe('out_of_time');
	});

	it('spaces concurrent calls that share a spacing key, each after the one before', async () => {
		const clock = new SimulatedClock();
		const { ctx } = contextAnswering([ok({}), ok({}), ok({})]);
		const client = new VendorClient(ctx, spec, clock, undefined, undefined, () => 0);
		const spacing = { key: 'job-1', minIntervalMs: 5000 };
		const calledAt: number[] = [];
		const call = async () => {
			await client.request({ operation: 'status', method: 'GET', url: 'http://h/x', spacing });
			calledAt.push(clock.now());
		};
		await call();
		// Two waiters for the same slot: the second must not go out together with the first.
		await Promise.all([call(), client.limited({}).request({ operation: 'status', method: 'GET', url: 'http://h/x', spacing }).then(() => calledAt.push(clock.now()))]);
		const start = calledAt[0];
		expect(calledAt.map((at) => at - start)).toEqual([0, 5000, 10000]);
	});

	it('gives each call the request timeout of its retry policy', async () => {
		const { ctx, sent } = contextAnswering([ok({}), ok({})]);
		await new VendorClient(ctx, spec, new SimulatedClock()).request({ operation: 'get', method: 'GET', url: 'http://h/x' });
		const policy = { ...DEFAULT_RETRY_POLICY, requestTimeoutMs: 4000 };
		await new VendorClient(ctx, spec, new SimulatedClock(), undefined, policy).request({ operation: 'get', method: 'GET', url: 'http://h/x' });
		expect(sent.map((options) => options.timeout)).toEqual([30_000, 4000]);
	});

	it('stops at once when the execution is cancelled', async () => {
		const controller = new AbortController();
		controller.abort();
		const { ctx, sent } = contextAnswering([ok({})]);
		const client = new VendorClient(ctx, spec, new SimulatedClock(), controller.signal);
		await expect(client.request({ operation: 'get', method: 'GET', url: 'http://h/x' })).rejects.toThrow('The execution was canceled');
		expect(sent).toHaveLength(0);
	});
});
