/**
 * Heap over a long wait: Wait Until Indexed for an hour of the simulator's clock on documents that
 * do not finish in that hour, after a first, shorter wait that warms V8 up. The heap holding data
 * after a full garbage collection is sampled as the status calls go by; its slope over the last
 * 80 % of the wait, per poll, is the growth per poll.
 */
import type { IDataObject } from 'n8n-workflow';

import { useSimulatorTime } from '../../test/helpers/simulatedTime';
import { runNode } from '../../test/harness';
import { startSimulator } from '../../test/simulator';
import type { Simulator } from '../../test/simulator';
import type { Mode } from './modes';
import { settledDataHeap, simulatedTime } from './virtualTime';

export interface HeapFigures {
	/** Simulated minutes waited. */
	minutes: number;
	polls: number;
	calls: number;
	/** Slope of the settled heap (Theil–Sen), per poll, in bytes. */
	growthPerPollBytes: number;
	/** Settled heap at the last sample minus the first one measured, in KB. */
	growthKB: number;
	samples: number;
}

const DOCUMENTS = 20;
const SAMPLES = 24;

export async function heapOverLongWait(mode: Mode, durationMs: number): Promise<HeapFigures> {
	// ts-node's source-map support decodes the maps of the files a stack trace passes through, and
	// keeps them: memory of the bench's own TypeScript, not of the package (n8n runs the compiled
	// JavaScript). Stack traces stay plain while the heap is measured.
	const prepareStackTrace = Error.prepareStackTrace;
	Error.prepareStackTrace = undefined as unknown as typeof Error.prepareStackTrace;
	try {
		// A first wait warms V8 up (the optimized code and its metadata grow for a while in any
		// long run); the second one is measured.
		await measureLongWait(mode, durationMs);
		return await measureLongWait(mode, durationMs);
	} finally {
		Error.prepareStackTrace = prepareStackTrace;
	}
}

async function measureLongWait(mode: Mode, durationMs: number): Promise<HeapFigures> {
	const sim = await startSimulator({ seed: 9 });
	const unwire = useSimulatorTime(simulatedTime, sim);
	try {
		// The documents end an hour after the wait has given up.
		const placed = mode.place(
			sim,
			Array.from({ length: DOCUMENTS }, (_, i) => ({ name: `long-${i}.pdf`, finishMs: durationMs + 3600_000 + i * 1000, fail: false })),
		);
		// Samples spread over the wait's simulated time, at the status calls.
		const start = sim.now();
		let nextSampleAt = 0;
		let statusCalls = 0;
		const samples: Array<[number, number]> = [];
		const stop = sim.addRequestListener((entry) => {
			if (entry.vendor !== mode.vendor || !mode.statusPath.test(entry.path)) return;
			statusCalls += 1;
			if (sim.now() - start >= nextSampleAt) {
				forgetSimulatorHistory(sim);
				samples.push([statusCalls, settledDataHeap()]);
				nextSampleAt += durationMs / SAMPLES;
			}
		});
		let result;
		try {
			result = await runNode({
				node: mode.node(),
				parameters: { operation: 'waitUntilIndexed', timeout: durationMs / 1000, ...placed.parameters },
				input: placed.input,
				credentials: mode.credentials(sim),
				credentialTypes: [mode.credentialType()],
			});
		} finally {
			stop();
		}
		if (result.error) throw result.error;
		const wait = result.items[0].json.wait as IDataObject;
		if (wait.timedOut !== true) throw new Error(`${mode.label}: the long wait ended early`);
		const polls = wait.polls as number;
		const measured = samples.filter(([calls]) => calls >= statusCalls * 0.2);
		const perCall = slope(measured);
		return {
			minutes: Math.round(durationMs / 60_000),
			polls,
			calls: statusCalls,
			growthPerPollBytes: Math.round((perCall * statusCalls) / Math.max(1, polls)),
			growthKB: measured.length > 1 ? Math.round((measured[measured.length - 1][1] - measured[0][1]) / 1024) : 0,
			samples: measured.length,
		};
	} finally {
		unwire();
		await sim.close();
	}
}

/**
 * The simulator keeps a log of every request, and the simulated clock of every sleep: what
 * grows there is the simulator's memory, not the node's, so it is emptied before each sample.
 */
function forgetSimulatorHistory(sim: Simulator): void {
	sim.clearRequests();
	sim.kendra.statusCalls.length = 0;
	sim.bedrock.statusCalls.length = 0;
	sim.bedrock.operations.length = 0;
	sim.bailian.statusCalls.length = 0;
	// Bailian's gateway remembers every signature nonce it has seen, to refuse a replay.
	(sim.bailian as unknown as { nonces: Set<string> }).nonces.clear();
	simulatedTime.sleeps.length = 0;
}

/**
 * Theil–Sen slope of y over x: the median of the slopes between every two samples. A sample
 * taken while some buffer happens to be alive does not tilt it, as it would a least-squares fit.
 */
function slope(points: Array<[number, number]>): number {
	const slopes: number[] = [];
	for (let i = 0; i < points.length; i++) {
		for (let j = i + 1; j < points.length; j++) {
			if (points[j][0] !== points[i][0]) slopes.push((points[j][1] - points[i][1]) / (points[j][0] - points[i][0]));
		}
	}
	if (slopes.length === 0) return 0;
	slopes.sort((a, b) => a - b);
	const middle = Math.floor(slopes.length / 2);
	return slopes.length % 2 === 1 ? slopes[middle] : (slopes[middle - 1] + slopes[middle]) / 2;
}
