/**
 * The standard scenario: documents that finish at spread-out times over about 60 s, some of them
 * failing, watched once by the package's Wait Until Indexed and once by the hand-built loop, each
 * on its own simulator with the same timeline, on the simulator's clock.
 */
import type { IDataObject } from 'n8n-workflow';

import { useSimulatorTime } from '../../test/helpers/simulatedTime';
import { runNode } from '../../test/harness';
import type { Simulator, VendorModule } from '../../test/simulator';
import { SeededRandom, startSimulator } from '../../test/simulator';
import { runHandBuiltLoop } from './handBuiltLoop';
import type { Mode, PlannedDocument, VendorKey } from './modes';
import { heapNow, settledHeap, simulatedTime } from './virtualTime';

export interface Scale {
	documents: number;
	/** When the last document ends, in simulator ms. */
	spanMs: number;
}

export interface RunFigures {
	calls: number;
	/** Poll rounds (the node's `wait.polls`, the loop's rounds). */
	rounds: number;
	latencyMedianS: number;
	latencyMaxS: number;
	/** Most heap in use during the run, above what was in use when it began, in MB. */
	peakHeapMB: number;
}

export interface ModeFigures {
	mode: string;
	label: string;
	vendor: VendorKey;
	documents: number;
	failing: number;
	intervalSeconds: number;
	node: RunFigures;
	loop: RunFigures;
	/** Sum over rounds at the interval of ceil(documents not yet done / the largest batch). */
	minimalCalls: number;
	largestBatch: number | null;
	largestBatchNote: string;
	/** The share of the loop's calls the package aims at. */
	loopShareTarget: number;
	latencyNote?: string;
	/** Shortest gap between two status calls about one job (Bailian), in seconds. */
	shortestJobCallGapS?: number;
}

/**
 * Finish times rise with upload order, shuffled locally (a document may overtake or trail up to
 * 15 of 200 neighbours), from 2 s to the span; one document in 16 fails.
 */
export function plan(scale: Scale, seed = 2025): PlannedDocument[] {
	const random = new SeededRandom(seed);
	const n = scale.documents;
	const jitter = (15 * n) / 200;
	return Array.from({ length: n }, (_, i) => {
		const rank = Math.min(n - 1, Math.max(0, i + (random.next() * 2 - 1) * jitter));
		return {
			name: `bench-${String(i).padStart(4, '0')}.pdf`,
			finishMs: Math.round(2000 + ((scale.spanMs - 2000) * rank) / Math.max(1, n - 1)),
			fail: i % 16 === 7,
		};
	});
}

export function minimalCalls(documents: PlannedDocument[], intervalMs: number, largestBatch: number): number {
	let total = 0;
	let previousRound = Number.NEGATIVE_INFINITY;
	for (let k = 0; ; k++) {
		const at = k * intervalMs;
		const pending = documents.filter((d) => d.finishMs > previousRound).length;
		total += Number.isFinite(largestBatch) ? Math.ceil(pending / largestBatch) : 1;
		if (documents.every((d) => d.finishMs <= at)) return total;
		previousRound = at;
	}
}

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const round1 = (value: number) => Math.round(value * 10) / 10;

interface Measured extends RunFigures {
	shortestJobCallGapS?: number;
}

async function measure(mode: Mode, documents: PlannedDocument[], who: 'node' | 'loop'): Promise<Measured> {
	const sim = await startSimulator({ seed: 5 });
	const unwire = useSimulatorTime(simulatedTime, sim);
	try {
		const start = sim.now();
		const placed = mode.place(sim, documents);
		const endsAt = new Map(placed.ids.map((id, i) => [id, start + documents[i].finishMs]));
		const learnedAt = watchWhatIsServed(sim, mode, endsAt);

		const heapAtStart = settledHeap();
		let peak = heapAtStart;
		const sample = () => {
			peak = Math.max(peak, heapNow());
		};
		const stopSampling = sim.addRequestListener(sample);
		const sampler = setInterval(sample, 5);

		let rounds: number;
		try {
			if (who === 'node') {
				rounds = await runPackageNode(mode, sim, placed.parameters, placed.input, placed.ids.length);
			} else {
				rounds = (await runHandBuiltLoop(mode, sim, placed, 3600_000)).rounds;
			}
		} finally {
			clearInterval(sampler);
			stopSampling();
		}

		const latencies = placed.ids.map((id) => {
			const learned = learnedAt.get(id);
			if (learned === undefined) throw new Error(`${mode.label} (${who}): ${id} was never reported done`);
			return (learned - (endsAt.get(id) as number)) / 1000;
		});
		const figures: Measured = {
			calls: sim.requestsTo(mode.vendor).length,
			rounds,
			latencyMedianS: round1(median(latencies)),
			latencyMaxS: round1(Math.max(...latencies)),
			peakHeapMB: round1((peak - heapAtStart) / 1024 / 1024),
		};
		if (mode.vendor === 'bailian' && who === 'node') figures.shortestJobCallGapS = shortestGap(sim);
		return figures;
	} finally {
		unwire();
		await sim.close();
	}
}

/** When the simulator first told the client that each document had ended (simulator ms). */
function watchWhatIsServed(sim: Simulator, mode: Mode, endsAt: Map<string, number>): Map<string, number> {
	const learnedAt = new Map<string, number>();
	const module = sim[mode.vendor] as VendorModule;
	const handle = module.handle.bind(module);
	module.handle = (request) => {
		const response = handle(request);
		if (response.status === 200) {
			for (const { id, terminal } of mode.served(request.path, response)) {
				if (terminal && endsAt.has(id) && !learnedAt.has(id)) learnedAt.set(id, sim.now());
			}
		}
		return response;
	};
	return learnedAt;
}

async function runPackageNode(mode: Mode, sim: Simulator, parameters: IDataObject, input: IDataObject[], documents: number): Promise<number> {
	const result = await runNode({
		node: mode.node(),
		parameters: { operation: 'waitUntilIndexed', timeout: 3600, ...parameters },
		input,
		credentials: mode.credentials(sim),
		credentialTypes: [mode.credentialType()],
	});
	if (result.error) throw result.error;
	const items = result.items.map((item) => item.json);
	if (items.length !== documents || !items.every((item) => item.terminal === true && (item.wait as IDataObject).timedOut === false)) {
		throw new Error(`${mode.label}: the node did not answer every document as ended`);
	}
	return (items[0].wait as IDataObject).polls as number;
}

function shortestGap(sim: Simulator): number {
	const last = new Map<string, number>();
	let shortest = Number.POSITIVE_INFINITY;
	for (const call of sim.bailian.statusCalls) {
		const before = last.get(call.jobId);
		if (before !== undefined) shortest = Math.min(shortest, call.at - before);
		last.set(call.jobId, call.at);
	}
	return round1(shortest / 1000);
}

export async function runStandardScenario(mode: Mode, scale: Scale): Promise<ModeFigures> {
	const documents = plan(scale);
	const node = await measure(mode, documents, 'node');
	const loop = await measure(mode, documents, 'loop');
	const { shortestJobCallGapS, ...nodeFigures } = node;
	return {
		mode: mode.key,
		label: mode.label,
		vendor: mode.vendor,
		documents: documents.length,
		failing: documents.filter((d) => d.fail).length,
		intervalSeconds: mode.intervalSeconds,
		node: nodeFigures,
		loop,
		minimalCalls: minimalCalls(documents, mode.intervalSeconds * 1000, mode.largestBatch) + (mode.namingCalls?.(documents.length) ?? 0),
		largestBatch: Number.isFinite(mode.largestBatch) ? mode.largestBatch : null,
		largestBatchNote: mode.largestBatchNote,
		loopShareTarget: mode.loopShareTarget ?? 0.1,
		...(mode.latencyNote ? { latencyNote: mode.latencyNote } : {}),
		...(shortestJobCallGapS !== undefined ? { shortestJobCallGapS } : {}),
	};
}
