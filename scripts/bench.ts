/**
 * Call counts and wall time of the package's nodes against the local simulator, next to what a
 * hand-built Wait → HTTP Request → IF loop would spend on the same work. Figures, not tests:
 * `npm run bench`.
 */
import '../test/harness/user-folder';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { BailianApi } from '../credentials/BailianApi.credentials';
import { CozeApi } from '../credentials/CozeApi.credentials';
import { DifyKnowledgeApi } from '../credentials/DifyKnowledgeApi.credentials';
import { BailianKnowledge } from '../nodes/Bailian/BailianKnowledge.node';
import { CozeKnowledge } from '../nodes/Coze/CozeKnowledge.node';
import { DifyKnowledge } from '../nodes/Dify/DifyKnowledge.node';
import { DifyKnowledgeTrigger } from '../nodes/Dify/DifyKnowledgeTrigger.node';
import { runNode, runPoll } from '../test/harness';
import type { DifyScript, Simulator } from '../test/simulator';
import { cozeScript, difyCompletedScript, startSimulator } from '../test/simulator';

const API_KEY = 'dataset-bench000000000000000';

interface Row {
	scenario: string;
	documents: number;
	calls: number;
	naiveCalls: number;
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
		const docs = Array.from({ length: 20 }, (_, i) => ({
			name: `doc-${i}.txt`,
			script: i === 7 ? finishingAfter(3, 'parse error') : finishingAfter(1 + (i % 6)),
		}));
		const { documentIds } = sim.dify.addDocuments(datasetId, docs);
		const run = await wait(sim, datasetId, { watch: 'documents', documentIds: '={{ $json.ids }}' }, [{ ids: documentIds }]);
		return {
			scenario: 'Dify wait: 20 documents by id, one failing',
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

async function main() {
	const rows: Row[] = [];
	for (const scenario of [batchesScenario, idsScenario, retryScenario, triggerScenario, cozeScenario, bailianScenario]) {
		rows.push(await scenario());
	}
	const header = ['scenario', 'docs', 'API calls', 'per-doc loop', 'saved', 'wall s', 'outcome'];
	const lines = rows.map((r) => [
		r.scenario,
		String(r.documents),
		String(r.calls),
		String(r.naiveCalls),
		`${Math.round(100 * (1 - r.calls / r.naiveCalls))} %`,
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
