import { BailianApi } from '../../credentials/BailianApi.credentials';
import { realClock } from '../../nodes/shared/clock';
import type { Simulator } from '../simulator';
import type { SimulatorTime } from './simulatorTime';

/**
 * What the Bailian integration tests share. Their test files mock nodes/shared/clock with
 * SimulatorTime (see simulatorTime.ts), so the engine sleeps on the simulator's clock.
 */
export const time = realClock as SimulatorTime;

/**
 * The credential as shipped; it also tells the simulator's time that a request is on its way,
 * so that time does not move before the simulator has seen the request (see SimulatorTime).
 */
export class BailianApiOnSimulatorTime extends BailianApi {
	private readonly signAsShipped: BailianApi['authenticate'] = this.authenticate;

	authenticate: BailianApi['authenticate'] = async (...args) => {
		const signed = await this.signAsShipped(...args);
		time.requestSent();
		return signed;
	};
}

/** Puts the simulator's clock under the engine and tells it when Bailian has a request. */
export function followSimulatorTime(sim: Simulator): void {
	time.attach(sim.clock);
	const handle = sim.bailian.handle.bind(sim.bailian);
	sim.bailian.handle = (request) => {
		time.requestReceived();
		return handle(request);
	};
}
