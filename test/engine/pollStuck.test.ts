/**
 * The Document Stuck event through the trigger's poll, as n8n calls it: overlapping polls on one
 * static data object, and a fixed list too long for one poll's budget. The engine's clock is a
 * hand-moved one here, so that "stuck for 10 minutes" costs no wall time.
 */
const mockTime = { now: Date.parse('2026-03-01T00:00:00Z') };
jest.mock('../../nodes/shared/clock', () => {
	const actual = jest.requireActual('../../nodes/shared/clock');
	return { ...actual, realClock: { ...actual.realClock, now: () => mockTime.now } };
});

import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { VendorRequestError } from '../../nodes/shared/errors';
import { pollIndexingStatus } from '../../nodes/shared/poll';
import type { DocumentStatus } from '../../nodes/shared/types';
import type { StatusAdapter, WatchTarget } from '../../nodes/shared/vendor';
import { doc, testProgress, testSpec } from './fakes';

const MINUTE = 60_000;
const T0 = mockTime.now;
const ids: WatchTarget = { scopeKey: 'documents:kb', knowledgeBaseId: 'kb', jobId: null, documentIds: ['a', 'b'], wholeKnowledgeBase: false };

function pollContext(staticData: IDataObject, target: WatchTarget = ids, stuckAfterMinutes: unknown = 10): IPollFunctions {
	const parameters: Record<string, unknown> = { event: 'documentStuck', stuckAfterMinutes };
	return {
		getNode: () => ({ id: 'n', name: 'Trigger', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} }),
		getNodeParameter: (name: string, fallback: unknown) => parameters[name] ?? fallback,
		getMode: () => 'trigger',
		getWorkflowStaticData: () => staticData,
		getCredentials: async () => ({}),
		helpers: {},
		target,
	} as unknown as IPollFunctions;
}

function deferred<T>() {
	let resolve!: (value: T) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<T>((r, j) => {
		resolve = r;
		reject = j;
	});
	return { promise, resolve, reject };
}

/** An adapter whose answers the test hands out, one per call, in the order it chooses. */
function heldAdapter() {
	const answers: Array<ReturnType<typeof deferred<DocumentStatus[]>>> = [];
	const asked: Array<string[] | null> = [];
	const adapter: StatusAdapter = {
		spec: testSpec(),
		progressSignature: testProgress,
		readTarget: (ctx) => (ctx as unknown as { target: WatchTarget }).target,
		fetchStatuses: async (_client, _target, wanted) => {
			asked.push(wanted);
			const answer = deferred<DocumentStatus[]>();
			answers.push(answer);
			return await answer.promise;
		},
	};
	return { adapter, answers, asked };
}

const emitted = (result: INodeExecutionData[][] | null) => (result ? result[0].map((item) => [item.json.documentId, item.json.stuckSince]) : []);
const held = () => [doc('a', 'processing', { progress: 30 }), doc('b', 'queued', { progress: 0 })];

describe('Document Stuck parameters', () => {
	it.each([0, -5, 'soon'])('refuses Stuck After (Minutes) %p before any call, naming the field', async (value) => {
		const { adapter, asked } = heldAdapter();
		await expect(pollIndexingStatus.call(pollContext({}, ids, value), adapter)).rejects.toThrow(
			/^Stuck After \(Minutes\) is .*: expected a number of minutes, more than 0$/,
		);
		expect(asked).toEqual([]);
	});
});

describe('Document Stuck through overlapping polls', () => {
	async function firstPoll(adapter: StatusAdapter, answers: ReturnType<typeof heldAdapter>['answers'], staticData: IDataObject) {
		const first = pollIndexingStatus.call(pollContext(staticData), adapter);
		await new Promise(setImmediate);
		answers[answers.length - 1].resolve(held());
		expect(await first).toBeNull();
	}

	it.each([
		['the newer poll ends first', [1, 0]],
		['the older poll ends first', [0, 1]],
	])('reports a stuck document once when two polls overlap (%s)', async (_name, order) => {
		const staticData: IDataObject = {};
		const { adapter, answers } = heldAdapter();
		await firstPoll(adapter, answers, staticData);
		mockTime.now = T0 + 10 * MINUTE;
		const polls = [pollIndexingStatus.call(pollContext(staticData), adapter), pollIndexingStatus.call(pollContext(staticData), adapter)];
		await new Promise(setImmediate);
		const results: Array<INodeExecutionData[][] | null> = [];
		for (const i of order) {
			answers[1 + i].resolve(held());
			results.push(await polls[i]);
		}
		const since = new Date(T0).toISOString();
		expect(results.flatMap(emitted)).toEqual([
			['a', since],
			['b', since],
		]);
		mockTime.now = T0 + 30 * MINUTE;
		const later = pollIndexingStatus.call(pollContext(staticData), adapter);
		await new Promise(setImmediate);
		answers[3].resolve(held());
		expect(await later).toBeNull();
		mockTime.now = T0;
	});

	it('keeps the clock of a document a poll had no time to ask about', async () => {
		const staticData: IDataObject = {};
		const { adapter, answers, asked } = heldAdapter();
		await firstPoll(adapter, answers, staticData);
		// Out of time before any answer: the poll records nothing and reports nothing.
		mockTime.now = T0 + 10 * MINUTE;
		const cut = pollIndexingStatus.call(pollContext(staticData), adapter);
		await new Promise(setImmediate);
		answers[1].reject(outOfTime());
		expect(await cut).toBeNull();
		// The next poll finds both as they were at the first poll: stuck since then.
		mockTime.now = T0 + 11 * MINUTE;
		const next = pollIndexingStatus.call(pollContext(staticData), adapter);
		await new Promise(setImmediate);
		answers[2].resolve(held());
		expect(emitted(await next).map(([id]) => id)).toEqual(['a', 'b']);
		expect(asked).toHaveLength(3);
		mockTime.now = T0;
	});
});

function outOfTime() {
	return new VendorRequestError('Test Vendor', 'status', {
		kind: 'out_of_time',
		retryable: true,
		httpStatus: null,
		code: null,
		message: 'no time left',
		requestId: null,
	}, 1);
}
