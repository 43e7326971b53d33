import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { harnessUserFolder, runNode, runPoll, testCredential } from './harness';
import { HarnessBearerApi } from './harness/fixtures/HarnessBearerApi.credentials';
import { HarnessFixture } from './harness/fixtures/HarnessFixture.node';
import { HarnessFixtureTrigger } from './harness/fixtures/HarnessFixtureTrigger.node';
import { HarnessSignedApi } from './harness/fixtures/HarnessSignedApi.credentials';
import { HarnessTokenApi } from './harness/fixtures/HarnessTokenApi.credentials';
import { startFixtureServer } from './harness/fixtures/fixture-server';
import type { FixtureServer } from './harness/fixtures/fixture-server';

const BEARER_KEY = 'good-key';
const SIGNING_KEY_ID = 'key-1';
const SIGNING_SECRET = 'signing-secret';
const TOKEN_SECRET = 'client-secret';
const UNAUTHORIZED_MESSAGE = 'Authorization failed - please check your credentials';

let server: FixtureServer;

beforeAll(async () => {
	server = await startFixtureServer({
		bearerKey: BEARER_KEY,
		signingKeys: { [SIGNING_KEY_ID]: SIGNING_SECRET },
		tokenSecret: TOKEN_SECRET,
	});
});

afterAll(async () => {
	await server.close();
});

beforeEach(() => {
	server.requests.length = 0;
	server.events.length = 0;
});

const credentialTypes = [new HarnessBearerApi(), new HarnessSignedApi(), new HarnessTokenApi()];

function bearer(apiKey = BEARER_KEY) {
	return { type: 'harnessBearerApi', data: { baseUrl: server.baseUrl, apiKey } };
}

function signed(secret = SIGNING_SECRET) {
	return {
		type: 'harnessSignedApi',
		data: { baseUrl: server.baseUrl, keyId: SIGNING_KEY_ID, secret },
	};
}

describe('n8n user folder', () => {
	it('points n8n-core at the harness folder, not ~/.n8n', () => {
		expect(process.env.N8N_USER_FOLDER).toBe(harnessUserFolder);
	});
});

describe('runNode', () => {
	it('sends the generic Bearer header and resolves expressions per item', async () => {
		const result = await runNode({
			node: new HarnessFixture(),
			parameters: { operation: 'request', value: '={{ $json.x }}-{{ $itemIndex }}' },
			input: [{ x: 'a' }, { x: 'b' }],
			credentials: bearer(),
			credentialTypes,
		});

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(server.requests.map((request) => request.headers.authorization)).toEqual([
			`Bearer ${BEARER_KEY}`,
			`Bearer ${BEARER_KEY}`,
		]);
		expect(result.items.map((item) => item.json.query)).toEqual([
			{ value: 'a-0' },
			{ value: 'b-1' },
		]);
	});

	it('keeps the pairedItem the node sets, where n8n could not infer it', async () => {
		// Two outputs per input: the engine cannot infer pairing, so what arrives is the node's own.
		const result = await runNode({
			node: new HarnessFixture(),
			parameters: { value: '={{ $json.x }}', copies: 2 },
			input: [{ x: 'a' }, { x: 'b' }],
			credentials: bearer(),
			credentialTypes,
		});

		expect(result.items.map((item) => [item.json.query, item.json.copy, item.pairedItem])).toEqual([
			[{ value: 'a' }, 0, { item: 0 }],
			[{ value: 'a' }, 1, { item: 0 }],
			[{ value: 'b' }, 0, { item: 1 }],
			[{ value: 'b' }, 1, { item: 1 }],
		]);
	});

	it('applies a function-form authenticate to the final URL and query', async () => {
		const result = await runNode({
			node: new HarnessFixture(),
			parameters: { authentication: 'signed', value: '={{ $json.x }}' },
			input: [{ x: 'needs signing' }],
			credentials: signed(),
			credentialTypes,
		});

		// The server recomputed the signature from the request line it received and accepted it.
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			scheme: 'signed',
			keyId: SIGNING_KEY_ID,
			query: { value: 'needs signing' },
		});
		expect(server.requests[0].headers['x-harness-signature']).toMatch(/^[0-9a-f]{64}$/);
	});

	it('runs preAuthentication once for an empty expirable token, then reuses the token', async () => {
		const result = await runNode({
			node: new HarnessFixture(),
			parameters: { authentication: 'token', value: '={{ $json.x }}' },
			input: [{ x: 'a' }, { x: 'b' }],
			credentials: {
				type: 'harnessTokenApi',
				data: { baseUrl: server.baseUrl, clientSecret: TOKEN_SECRET },
			},
			credentialTypes,
		});

		expect(result.error).toBeUndefined();
		// n8n saves the fetched token with the credential, so the second item does not fetch again.
		expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			'POST /token',
			'GET /echo?value=a',
			'GET /echo?value=b',
		]);
		expect(result.items.map((item) => item.json.authorization)).toEqual([
			'Bearer session-1',
			'Bearer session-1',
		]);
	});

	it('surfaces a thrown NodeOperationError with its item index', async () => {
		const result = await runNode({
			node: new HarnessFixture(),
			parameters: { value: '={{ $json.x }}' },
			input: [{ x: 'ok' }, { x: 'fail' }],
			credentials: bearer(),
			credentialTypes,
		});

		expect(result.status).toBe('error');
		expect(result.items).toEqual([]);
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(result.error).toMatchObject({
			message: 'Fixture refused value "fail"',
			description: 'The value "fail" is refused on purpose',
			context: { itemIndex: 1 },
		});
		// n8n's own record of the error is a plain copy with the same fields.
		expect(result.runData['Harness Fixture'][0].error).toMatchObject({
			name: 'NodeOperationError',
			message: 'Fixture refused value "fail"',
			context: { itemIndex: 1 },
		});
	});

	it('surfaces an API rejection as NodeApiError with the HTTP code', async () => {
		const result = await runNode({
			node: new HarnessFixture(),
			parameters: {},
			input: [{}],
			credentials: bearer('wrong-key'),
			credentialTypes,
		});

		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error).toMatchObject({
			httpCode: '401',
			description: 'Invalid credentials',
			context: { itemIndex: 0 },
		});
	});

	it('turns a failing item into an error item when continueOnFail is on', async () => {
		const result = await runNode({
			node: new HarnessFixture(),
			parameters: { value: '={{ $json.x }}' },
			input: [{ x: 'ok' }, { x: 'fail' }],
			credentials: bearer(),
			credentialTypes,
			continueOnFail: true,
		});

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.items).toHaveLength(2);
		expect(result.items[0].json.query).toEqual({ value: 'ok' });
		expect(result.items[1]).toEqual({
			json: { error: 'Fixture refused value "fail"' },
			pairedItem: { item: 1 },
		});
	});

	it('shows that n8n passes the input through when a node throws despite continueOnFail', async () => {
		const result = await runNode({
			node: new HarnessFixture(),
			parameters: { operation: 'crash' },
			input: [{ x: 1 }, { x: 2 }],
			continueOnFail: true,
		});

		// The error stays the execution's error even though the items went on.
		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({ message: 'Fixture crashed' });
		expect(result.items.map((item) => item.json)).toEqual([{ x: 1 }, { x: 2 }]);
	});

	it('stops a waiting node after abortAfterMs, through its cancel signal', async () => {
		// The fixture waits 30 s, longer than the test's timeout: only the stop can end it.
		const result = await runNode({
			node: new HarnessFixture(),
			parameters: { operation: 'wait', waitSeconds: 30 },
			input: [{}],
			abortAfterMs: 200,
		});

		expect(result.status).toBe('canceled');
		expect(result.items[0].json.aborted).toBe(true);
	});

	it('aborts an in-flight HTTP request when the execution is stopped', async () => {
		// The server never answers /hang: only the stop can end the request.
		const result = await runNode({
			node: new HarnessFixture(),
			parameters: { path: '/hang' },
			input: [{}],
			credentials: bearer(),
			credentialTypes,
			abortAfterMs: 200,
		});

		expect(result.status).toBe('canceled');
		// axios rejects the aborted request and n8n-core wraps that in a NodeApiError.
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error).toMatchObject({ message: 'canceled', httpCode: 'ERR_CANCELED' });
		// The server sees the client's socket close a moment later.
		for (let attempt = 0; attempt < 50 && server.abandonedHangs === 0; attempt++) {
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		expect(server.abandonedHangs).toBe(1);
	});

	it('names the credential type it is missing', async () => {
		await expect(
			runNode({
				node: new HarnessFixture(),
				parameters: {},
				input: [{}],
				credentials: bearer(),
			}),
		).rejects.toThrow('Unknown credential type "harnessBearerApi"');
	});
});

describe('runPoll', () => {
	const trigger = () => ({
		node: new HarnessFixtureTrigger(),
		parameters: { label: '={{ "build-" + $execution.mode }}' },
		credentials: bearer(),
		credentialTypes,
	});

	it('emits new items, keeps static data across polls, and survives a restart', async () => {
		server.events.push({ id: 1, name: 'first' }, { id: 2, name: 'second' });
		const staticData: IDataObject = {};

		const first = await runPoll({ ...trigger(), staticData });
		expect(first.items?.[0].map((item) => item.json)).toEqual([
			{ id: 1, name: 'first', label: 'build-production', mode: 'trigger' },
			{ id: 2, name: 'second', label: 'build-production', mode: 'trigger' },
		]);
		expect(first.staticData).toBe(staticData);
		expect(staticData).toEqual({ polls: 1, cursor: 2 });
		expect(first.savedToDatabase).toBe(true);

		const quiet = await runPoll({ ...trigger(), staticData });
		expect(quiet.items).toBeNull();
		expect(staticData).toEqual({ polls: 2, cursor: 2 });
		expect(quiet.savedToDatabase).toBe(false);

		server.events.push({ id: 3, name: 'third' });
		const restarted = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		const afterRestart = await runPoll({ ...trigger(), staticData: restarted });
		expect(afterRestart.items?.[0].map((item) => item.json.id)).toEqual([3]);
		expect(restarted).toEqual({ polls: 3, cursor: 3 });
	});

	it('runs in manual mode without touching the stored static data', async () => {
		server.events.push({ id: 7, name: 'seventh' });
		const staticData: IDataObject = { polls: 5, cursor: 7 };

		const result = await runPoll({ ...trigger(), staticData, mode: 'manual' });

		expect(result.items?.[0][0].json).toEqual({
			id: 7,
			name: 'seventh',
			label: 'build-test',
			mode: 'manual',
			sample: true,
		});
		expect(staticData).toEqual({ polls: 5, cursor: 7 });
		expect(result.savedToDatabase).toBe(false);
	});
});

describe('testCredential', () => {
	it('reports OK for a good Bearer key, using the default of an omitted field', async () => {
		const result = await testCredential({
			credentialType: new HarnessBearerApi(),
			data: { baseUrl: server.baseUrl, apiKey: BEARER_KEY },
		});

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		// `apiVersion` was not given: its default "v1" went into the test request's URL.
		expect(server.requests.map((request) => request.path)).toEqual(['/v1/me']);
		expect(server.requests[0].headers.authorization).toBe(`Bearer ${BEARER_KEY}`);
	});

	it('reports Error when the server answers 401', async () => {
		const result = await testCredential({
			credentialType: new HarnessBearerApi(),
			data: { baseUrl: server.baseUrl, apiKey: 'wrong-key' },
		});

		// n8n-workflow 2.11's NodeApiError loses its `cause`, so n8n reports the error's message
		// rather than the HTTP status text.
		expect(result).toEqual({ status: 'Error', message: UNAUTHORIZED_MESSAGE });
	});

	it('applies a function-form authenticate to the test request', async () => {
		const good = await testCredential({ credentialType: new HarnessSignedApi(), data: signed().data });
		const bad = await testCredential({
			credentialType: new HarnessSignedApi(),
			data: signed('wrong-secret').data,
		});

		expect(good).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(bad).toEqual({ status: 'Error', message: UNAUTHORIZED_MESSAGE });
		expect(server.requests[0].path).toBe('/signed/me?probe=1');
	});
});
