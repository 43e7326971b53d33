import type { SimulatorTime } from '../bailian/simulatorTime';
import { onAuthenticatedRequest } from '../harness';
import type { Simulator } from '../simulator';

/**
 * Lends the simulator's clock to the engine: `time` (the SimulatorTime that a test file put in
 * place of `realClock` with jest.mock) follows `sim.clock`, and holds still from the moment a
 * node's request is signed until the simulator has received it, for every vendor. Returns the
 * function that undoes the wiring.
 */
export function useSimulatorTime(time: SimulatorTime, sim: Simulator): () => void {
	time.attach(sim.clock);
	const stopSent = onAuthenticatedRequest(() => time.requestSent());
	const stopReceived = sim.addRequestListener(() => time.requestReceived());
	return () => {
		stopSent();
		stopReceived();
	};
}
