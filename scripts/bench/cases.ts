/**
 * The cases the benchmark has measured since its first version, on the real clock: small waits
 * against documents that move one step per status read, a retry through faults, a 1000-document
 * trigger, an outage, and a timeout against a slow and a silent vendor. Figures, next to what a
 * per-document loop would spend where that applies.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { CozeApi } from '../../credentials/CozeApi.credentials';
import { DifyKnowledgeApi } from '../../credentials/DifyKnowledgeApi.credentials';
import { CozeKnowledge } from '../../nodes/Coze/CozeKnowledge.node';
import { DifyKnowledge } from '../../nodes/Dify/DifyKnowledge.node';
import { DifyKnowledgeTrigger } from '../../nodes/Dify/DifyKnowledgeTrigger.node';
import { runNode, runPoll } from '../../test/harness';
import type { DifyScript, Simulator } from '../../test/simulator';
import { cozeScript, difyCompletedScript, startSimulator } from '../../test/simulator';

const API_KEY = 'dataset-bench000000000000000';

export interface CaseRow {
	scenario: string;
	documents: number;
	calls: number;
	/** What a per-document loop would spend; null where the scenario is about failure, not cost. */
	naiveCalls: number | null;
	seconds: number;
	outcome: string;
}

/** Finishes after `observations` looks, with segment progress rising on the way. */
function finishingAfter(observations: number, fail?: string): DifyScript {
	const total = 10;
	const steps: Array<DifyScript[number]> = [];
	for (let i = 0; i < observations - 1; i++) {
		const done = Math.floor((total * i) / (observations - 1));
		steps.push({ state: { indexing_status: 'indexing', completed_segments: done, total_segments: total } });
	}
	steps.push({
		state: fail
			? { indexing_status: 'error', completed_segments: 5, total_segments: total, error: fail }
			: { indexing_status: 'completed', completed_segments: total, total_segments: total },
	});
	return steps;
}

async function withSimulator<T>(work: (sim: Simulator, datasetId: string) => Promise<T>): Promise<T> {
	const sim = await startSimulator();
	sim.dify.addApiKey(API_KEY);
	try {
		return await work(sim, sim.dify.addDataset());
	} finally {
		await sim.close();
	}
}

async function wait(sim: Simulator, datasetId: string, parameters: INodeParameters, input: IDataObject[]) {
	const started = Date.now();
	const result = await runNode({
		node: new DifyKnowledge(),
		parameters: { operation: 'waitUntilIndexed', pollInterval: 1, datasetId, ...parameters },
		input,
		credentials: { type: 'difyKnowledgeApi', data: { apiKey: API_KEY, baseUrl: sim.dify.baseUrl } },
		credentialTypes: [new DifyKnowledgeApi()],
	});
	if (result.error) throw result.error;
	const seconds = (Date.now() - started) / 1000;
	const statuses = new Map<string, number>();
	for (const item of result.items) statuses.set(String(item.json.status), (statuses.get(String(item.json.status)) ?? 0) + 1);
	const outcome = [...statuses].map(([status, count]) => `${count} ${status}`).join(', ');
	const polls = Math.max(...result.items.map((i) => (i.json.wait as IDataObject).polls as number));
	return { seconds, outcome, polls, calls: sim.requestsTo('dify').length };
}

async function batchesScenario(): Promise<CaseRow> {
	return await withSimulator(async (sim, datasetId) => {
		const input: IDataObject[] = [];
		let documents = 0;
		for (let b = 0; b < 5; b++) {
			const docs = Array.from({ length: 10 }, (_, i) => ({ name: `b${b}-${i}.txt`, script: finishingAfter(2 + ((b + i) % 5)) }));
			const { batch, documentIds } = sim.dify.addDocuments(datasetId, docs);
			documents += documentIds.length;
			input.push({ batch, document: { id: documentIds[0] } });
		}
		const run = await wait(sim, datasetId, {}, input);
		return {
			scenario: 'Dify wait: 5 upload batches of 10 documents',
			documents,
			calls: run.calls,
			// A loop that checks each document on its own, every round, until the slowest is done.
			naiveCalls: documents * run.polls,
			seconds: run.seconds,
			outcome: run.outcome,
		};
	});
}

async function idsScenario(): Promise<CaseRow> {
	return await withSimulator(async (sim, datasetId) => {
		// 20 of the dataset's 25 documents are watched.
		const docs = Array.from({ length: 25 }, (_, i) => ({
			name: `doc-${i}.txt`,
			script: i === 7 ? finishingAfter(3, 'parse error') : finishingAfter(1 + (i % 6)),
		}));
		const documentIds = sim.dify.addDocuments(datasetId, docs).documentIds.slice(0, 20);
		const run = await wait(sim, datasetId, { watch: 'documents', documentIds: '={{ $json.ids }}' }, [{ ids: documentIds }]);
		return {
			scenario: 'Dify wait: 20 of 25 documents by id, one failing',
			documents: documentIds.length,
			calls: run.calls,
			naiveCalls: documentIds.length * run.polls,
			seconds: run.seconds,
			outcome: run.outcome,
		};
	});
}

async function retryScenario(): Promise<CaseRow> {
	return await withSimulator(async (sim, datasetId) => {
		const { batch, documentIds } = sim.dify.addDocuments(
			datasetId,
			Array.from({ length: 10 }, (_, i) => ({ name: `r-${i}.txt`, script: finishingAfter(3) })),
		);
		sim.injectFault({ vendor: 'dify', times: 2, kind: { type: 'status', status: 429, headers: { 'Retry-After': '1' } } });
		sim.injectFault({ vendor: 'dify', times: 1, kind: { type: 'status', status: 502 } });
		sim.injectFault({ vendor: 'dify', times: 1, kind: { type: 'drop' } });
		const run = await wait(sim, datasetId, {}, [{ batch, document: { id: documentIds[0] } }]);
		return {
			scenario: 'Dify wait: 1 batch through two 429s, a 502, a drop',
			documents: documentIds.length,
			calls: run.calls,
			naiveCalls: documentIds.length * run.polls,
			seconds: run.seconds,
			outcome: run.outcome,
		};
	});
}

async function triggerScenario(): Promise<CaseRow> {
	return await withSimulator(async (sim, datasetId) => {
		sim.dify.addDocuments(datasetId, Array.from({ length: 1000 }, (_, i) => ({ name: `kb-${i}.txt`, script: difyCompletedScript() })));
		const poll = (staticData?: IDataObject) =>
			runPoll({
				node: new DifyKnowledgeTrigger(),
				parameters: { datasetId, watch: 'dataset', event: 'documentFinished' },
				credentials: { type: 'difyKnowledgeApi', data: { apiKey: API_KEY, baseUrl: sim.dify.baseUrl } },
				credentialTypes: [new DifyKnowledgeApi()],
				staticData,
			});
		const started = Date.now();
		const baseline = await poll();
		sim.dify.addDocuments(datasetId, [{ name: 'new.txt', script: difyCompletedScript() }]);
		const next = await poll(baseline.staticData);
		const emitted = next.items?.[0].length ?? 0;
		return {
			scenario: 'Dify trigger: whole dataset of 1000 documents, 2 polls',
			documents: 1001,
			calls: sim.requestsTo('dify').length,
			// A per-document status check of every document on each poll.
			naiveCalls: 1000 + 1001,
			seconds: (Date.now() - started) / 1000,
			outcome: `${emitted} emitted (the new one)`,
		};
	});
}

async function stuckScenario(): Promise<CaseRow> {
	return await withSimulator(async (sim, datasetId) => {
		const docs = Array.from({ length: 10 }, (_, i) => ({ name: `s-${i}.txt`, script: finishingAfter(2 + (i % 3)) }));
		// One document never moves again: Dify's "indexing" for hours.
		docs.push({ name: 'held.txt', script: [{ state: { indexing_status: 'indexing', completed_segments: 2, total_segments: 10 } }] });
		const { batch } = sim.dify.addDocuments(datasetId, docs);
		const run = await wait(sim, datasetId, { batch, timeout: 60, options: { stuckAfter: 3 } }, [{}]);
		return {
			scenario: 'Dify wait: 1 of 11 held still, Stuck After 3 s',
			documents: docs.length,
			calls: run.calls,
			naiveCalls: null,
			seconds: run.seconds,
			// Stuck detection reads the polls' answers: one call per poll, none of its own.
			outcome: `${run.outcome}; ended stuck, ${run.calls} calls for ${run.polls} polls`,
		};
	});
}

async function withCoze<T>(work: (sim: Simulator, token: string, datasetId: string) => Promise<T>): Promise<T> {
	const sim = await startSimulator();
	try {
		const token = 'pat_bench00000000000000000000000';
		sim.coze.addToken(token);
		return await work(sim, token, sim.coze.addDataset());
	} finally {
		await sim.close();
	}
}

function runCoze(sim: Simulator, token: string, parameters: INodeParameters, input: IDataObject[], abortAfterMs?: number) {
	return runNode({
		node: new CozeKnowledge(),
		parameters,
		input,
		credentials: { type: 'cozeApi', data: { accessToken: token, region: 'custom', baseUrl: sim.coze.baseUrl } },
		credentialTypes: [new CozeApi()],
		continueOnFail: true,
		abortAfterMs,
	});
}

/** Four items that share one status call, during an outage that outlasts every retry. */
async function outageScenario(): Promise<CaseRow> {
	return await withCoze(async (sim, token, datasetId) => {
		const ids = sim.coze.addDocuments(datasetId, [0, 1, 2, 3].map((i) => ({ name: `o-${i}`, script: cozeScript({ steps: 1 }) })));
		sim.injectFault({ vendor: 'coze', times: Infinity, kind: { type: 'status', status: 503 } });
		const started = Date.now();
		const result = await runCoze(sim, token, { operation: 'getIndexingStatus', datasetId, documentIds: '={{ $json.id }}' }, ids.map((id) => ({ id })));
		return {
			scenario: 'Coze get: 4 items during a 503 outage',
			documents: ids.length,
			calls: sim.requestsTo('coze').length,
			naiveCalls: null,
			seconds: (Date.now() - started) / 1000,
			outcome: `${result.items.filter((i) => i.json.error !== undefined).length} error items`,
		};
	});
}

/** Wait Until Indexed with a 2 s timeout on 60 ids (6 calls), against a slow and a silent vendor. */
function timeoutScenario(label: string, delayMs: number) {
	return async (): Promise<CaseRow> =>
		await withCoze(async (sim, token, datasetId) => {
			const ids = sim.coze.addDocuments(datasetId, Array.from({ length: 60 }, (_, i) => ({ name: `t-${i}`, script: cozeScript({ steps: 50 }) })));
			sim.injectFault({ vendor: 'coze', times: Infinity, kind: { type: 'delay', ms: delayMs } });
			const started = Date.now();
			const result = await runCoze(
				sim,
				token,
				{ operation: 'waitUntilIndexed', timeout: 2, pollInterval: 1, datasetId, documentIds: '={{ $json.ids }}' },
				[{ ids }],
			);
			const timedOut = result.items.filter((i) => (i.json.wait as IDataObject | undefined)?.timedOut === true).length;
			return {
				scenario: `Coze wait, timeout 2 s, 60 ids: ${label}`,
				documents: ids.length,
				calls: sim.requestsTo('coze').length,
				naiveCalls: null,
				seconds: (Date.now() - started) / 1000,
				outcome: timedOut > 0 ? `${timedOut} timed out` : `${result.items.filter((i) => i.json.error !== undefined).length} error items`,
			};
		});
}

/** When Stop is pressed in the stop scenarios. */
const STOP_AFTER_MS = 300;

/**
 * Stop during a long Wait Until Indexed: how long the node takes, in real time, to return after
 * the user's Stop (the README promises within a second). `seconds` is that time, not the run's.
 */
function stopScenario(label: string, pollInterval: number, fault?: Parameters<Simulator['injectFault']>[0]['kind']) {
	return async (): Promise<CaseRow> =>
		await withCoze(async (sim, token, datasetId) => {
			const ids = sim.coze.addDocuments(datasetId, [{ name: 'long.pdf', script: cozeScript({ steps: 1000, secondsPerStep: 0 }) }]);
			if (fault) sim.injectFault({ vendor: 'coze', times: Infinity, kind: fault });
			const started = Date.now();
			const result = await runCoze(
				sim,
				token,
				{ operation: 'waitUntilIndexed', timeout: 3600, pollInterval, datasetId, documentIds: '={{ $json.ids }}' },
				[{ ids }],
				STOP_AFTER_MS,
			);
			return {
				scenario: `Coze wait, Stop ${label} (s from Stop to return)`,
				documents: ids.length,
				calls: sim.requestsTo('coze').length,
				naiveCalls: null,
				seconds: (Date.now() - started - STOP_AFTER_MS) / 1000,
				outcome: result.status,
			};
		});
}

export const CASES: Array<() => Promise<CaseRow>> = [
	batchesScenario,
	idsScenario,
	retryScenario,
	triggerScenario,
	stuckScenario,
	outageScenario,
	timeoutScenario('each call takes 1.5 s', 1500),
	timeoutScenario('the vendor never answers', 60_000),
	stopScenario('asleep until its next poll', 60),
	stopScenario('waiting for an answer that does not come', 5, { type: 'delay', ms: 60_000 }),
	stopScenario('waiting out a Retry-After', 5, { type: 'status', status: 429, headers: { 'Retry-After': '60' } }),
];
