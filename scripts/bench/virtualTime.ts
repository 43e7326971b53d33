/**
 * The benchmark's clock. The package's engine sleeps through `realClock`; for the standard
 * scenario it sleeps on the simulator's clock instead (the tests do the same with jest.mock), so a
 * minute of indexing, or an hour of waiting, costs seconds of wall time while the simulator sees
 * exactly the gaps the engine keeps. The hand-built loop's Wait sleeps on the same clock.
 */
import { getHeapCodeStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import type { Clock } from '../../nodes/shared/clock';
import { ExecutionCancelledError, realClock } from '../../nodes/shared/clock';
import { SimulatorTime } from '../../test/bailian/simulatorTime';

/** The clock every simulated run shares; attach it to each run's simulator. */
export const simulatedTime = new SimulatorTime(ExecutionCancelledError);

const real: Clock = { now: realClock.now, sleep: realClock.sleep };

/** From now on the engine's `realClock` is the simulator's clock. */
export function engineOnSimulatedTime(): void {
	const clock = realClock as { now: Clock['now']; sleep: Clock['sleep'] };
	clock.now = () => simulatedTime.now();
	clock.sleep = async (ms, signal) => await simulatedTime.sleep(ms, signal);
}

/** Back to real time (the failure cases time out against real sockets). */
export function engineOnRealTime(): void {
	const clock = realClock as { now: Clock['now']; sleep: Clock['sleep'] };
	clock.now = real.now;
	clock.sleep = real.sleep;
}

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** Heap in use after a full garbage collection, in bytes. */
export function settledHeap(): number {
	collect();
	collect();
	return process.memoryUsage().heapUsed;
}

export function heapNow(): number {
	return process.memoryUsage().heapUsed;
}

/**
 * Heap holding data after a full garbage collection, in bytes: the heap in use without the
 * machine code and bytecode V8 compiles as functions get hot, and their metadata (which grow for
 * a while in any long run, and are not the package's memory).
 */
export function settledDataHeap(): number {
	const used = settledHeap();
	const code = getHeapCodeStatistics();
	return used - code.code_and_metadata_size - code.bytecode_and_metadata_size;
}
