/**
 * Call counts and wall time of the package's nodes against the local simulator, next to what a
 * hand-built Wait → HTTP Request → IF loop would spend on the same work. Figures, not tests:
 * `npm run bench`.
 */
import '../test/harness/user-folder';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { AmazonKendraApi } from '../credentials/AmazonKendraApi.credentials';
import { BailianApi } from '../credentials/BailianApi.credentials';
import { CozeApi } from '../credentials/CozeApi.credentials';
import { AmazonKendra } from '../nodes/AmazonKendra/AmazonKendra.node';
import { BailianKnowledge } from '../nodes/Bailian/BailianKnowledge.node';
import { DifyKnowledgeApi } from '../credentials/DifyKnowledgeApi.credentials';
import { CozeKnowledge } from '../nodes/Coze/CozeKnowledge.node';
import { DifyKnowledge } from '../nodes/Dify/DifyKnowledge.node';
import { DifyKnowledgeTrigger } from '../nodes/Dify/DifyKnowledgeTrigger.node';
import { runNode, runPoll } from '../test/harness';
import type { DifyScript, Simulator } from '../test/simulator';
import { cozeScript, difyCompletedScript, kendraScript, startSimulator } from '../test/simulator';

const API_KEY = 'dataset-bench000000000000000';

interface Row {
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

async function batchesScenario(): Promise<Row> {
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

async function idsScenario(): Promise<Row> {
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

async function retryScenario(): Promise<Row> {
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

async function triggerScenario(): Promise<Row> {
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

async function cozeScenario(): Promise<Row> {
	const sim = await startSimulator();
	try {
		const token = 'pat_bench00000000000000000000000';
		sim.coze.addToken(token);
		const datasetId = sim.coze.addDataset();
		const ids = sim.coze.addDocuments(
			datasetId,
			Array.from({ length: 100 }, (_, i) => ({ name: `page-${i}`, script: cozeScript({ steps: i % 5, secondsPerStep: 1 }) })),
		);
		const started = Date.now();
		const result = await runNode({
			node: new CozeKnowledge(),
			parameters: { operation: 'waitUntilIndexed', pollInterval: 1, datasetId, documentIds: '={{ $json.ids }}' },
			input: [{ ids }],
			credentials: { type: 'cozeApi', data: { accessToken: token, region: 'custom', baseUrl: sim.coze.baseUrl } },
			credentialTypes: [new CozeApi()],
		});
		if (result.error) throw result.error;
		const polls = (result.items[0].json.wait as IDataObject).polls as number;
		return {
			scenario: 'Coze wait: 100 documents by id (10 ids a call)',
			documents: ids.length,
			calls: sim.requestsTo('coze').length,
			naiveCalls: ids.length * polls,
			seconds: (Date.now() - started) / 1000,
			outcome: `${result.items.filter((i) => i.json.status === 'completed').length} completed`,
		};
	} finally {
		await sim.close();
	}
}

async function kendraScenario(): Promise<Row> {
	const sim = await startSimulator();
	try {
		const keys = { accessKeyId: 'AKIABENCH00000000000', secretAccessKey: 'benchSECRETkey/000000000000000000000000' };
		sim.kendra.addAccessKey(keys);
		const indexId = sim.kendra.addIndex();
		const ids = Array.from({ length: 100 }, (_, i) => `docs/page-${i}.html`);
		sim.kendra.addDocuments(indexId, ids.map((id, i) => ({ id, script: kendraScript({ notFound: i % 2, processing: i % 5 }) })));
		sim.kendra.throttle(2);
		const started = Date.now();
		const result = await runNode({
			node: new AmazonKendra(),
			parameters: { operation: 'waitUntilIndexed', pollInterval: 1, indexId, documentIds: '={{ $json.ids }}' },
			input: [{ ids }],
			credentials: { type: 'amazonKendraApi', data: { ...keys, region: 'us-east-1', endpoint: sim.kendra.baseUrl } },
			credentialTypes: [new AmazonKendraApi()],
		});
		if (result.error) throw result.error;
		const polls = (result.items[0].json.wait as IDataObject).polls as number;
		const calls = sim.requestsTo('kendra');
		return {
			scenario: 'Kendra wait: 100 documents by id (10 a call, 3 at once), 2 throttles',
			documents: ids.length,
			calls: calls.length,
			// BatchGetDocumentStatus takes at most 10 ids: a loop without packing asks 10 at a time
			// about every document, every round.
			naiveCalls: Math.ceil(ids.length / 10) * polls,
			seconds: (Date.now() - started) / 1000,
			outcome: `${result.items.filter((i) => i.json.status === 'completed').length} completed, ${calls.filter((c) => c.status === 400).length} throttled calls retried`,
		};
	} finally {
		await sim.close();
	}
}

/**
 * Bailian: one job of 120 documents that finish over 12 s, on the real clock (Bailian's jobs move
 * with time, and its status calls of one job must be 5 s apart). The comparison is a loop that
 * pages with Bailian's default pageSize of 10: 12 calls a round, 5 s apart, so a round alone
 * takes a minute.
 */
async function bailianScenario(): Promise<Row> {
	const sim = await startSimulator({ realClock: true });
	try {
		const accessKeyId = 'LTAI5tBench0000000000000';
		const accessKeySecret = 'benchSecret00000000000000000000';
		sim.bailian.addAccessKey(accessKeyId, accessKeySecret);
		const workspaceId = sim.bailian.addWorkspace();
		const indexId = sim.bailian.addIndex(workspaceId);
		const documents = Array.from({ length: 120 }, (_, i) => ({
			name: `manual-${i}.pdf`,
			runMs: (i % 13) * 1000,
			...(i === 60 ? { result: 'INSERT_ERROR' as const } : {}),
		}));
		const jobId = sim.bailian.submitJob(indexId, { documents });
		const started = Date.now();
		const result = await runNode({
			node: new BailianKnowledge(),
			parameters: { operation: 'waitUntilIndexed', pollInterval: 5, indexId },
			input: [{ Data: { Id: jobId }, Success: true }],
			credentials: { type: 'bailianApi', data: { accessKeyId, accessKeySecret, region: 'custom', endpoint: sim.bailian.endpoint, workspaceId } },
			credentialTypes: [new BailianApi()],
		});
		if (result.error) throw result.error;
		const polls = (result.items[0].json.wait as IDataObject).polls as number;
		const statuses = new Map<string, number>();
		for (const item of result.items) statuses.set(String(item.json.status), (statuses.get(String(item.json.status)) ?? 0) + 1);
		const gaps = sim.bailian.statusCalls.slice(1).map((call, i) => call.at - sim.bailian.statusCalls[i].at);
		return {
			scenario: `Bailian wait: 1 job of 120 docs (loop: pageSize 10; calls ≥ ${(Math.min(...gaps) / 1000).toFixed(1)} s apart)`,
			documents: documents.length,
			calls: sim.bailian.statusCalls.length,
			naiveCalls: Math.ceil(documents.length / 10) * polls,
			seconds: (Date.now() - started) / 1000,
			outcome: [...statuses].map(([status, count]) => `${count} ${status}`).join(', '),
		};
	} finally {
		await sim.close();
	}
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

function runCoze(sim: Simulator, token: string, parameters: INodeParameters, input: IDataObject[]) {
	return runNode({
		node: new CozeKnowledge(),
		parameters,
		input,
		credentials: { type: 'cozeApi', data: { accessToken: token, region: 'custom', baseUrl: sim.coze.baseUrl } },
		credentialTypes: [new CozeApi()],
		continueOnFail: true,
	});
}

/** Four items that share one status call, during an outage that outlasts every retry. */
async function outageScenario(): Promise<Row> {
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
	return async (): Promise<Row> =>
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

async function main() {
	const rows: Row[] = [];
	const scenarios = [
		batchesScenario,
		idsScenario,
		retryScenario,
		triggerScenario,
		cozeScenario,
		kendraScenario,
		bailianScenario,
		outageScenario,
		timeoutScenario('each call takes 1.5 s', 1500),
		timeoutScenario('the vendor never answers', 60_000),
	];
	for (const scenario of scenarios) {
		rows.push(await scenario());
	}
	const header = ['scenario', 'docs', 'API calls', 'per-doc loop', 'saved', 'wall s', 'outcome'];
	const lines = rows.map((r) => [
		r.scenario,
		String(r.documents),
		String(r.calls),
		r.naiveCalls === null ? '-' : String(r.naiveCalls),
		r.naiveCalls === null ? '-' : `${Math.round(100 * (1 - r.calls / r.naiveCalls))} %`,
		r.seconds.toFixed(1),
		r.outcome,
	]);
	const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
	const format = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 6 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
	console.log('Poll interval 1 s (Bailian 5 s, its floor); simulated documents move one step per status read (Bailian: with the clock).\n');
	console.log(format(header));
	console.log(widths.map((w) => '-'.repeat(w)).join('  '));
	for (const line of lines) console.log(format(line));
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
