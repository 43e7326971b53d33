// Types only: this file is loaded inside the jest.mock factory of the clock module, so it must
// not load that module itself; the cancel error class is handed in.
import type { Clock } from '../../nodes/shared/clock';

interface TimeSource {
	now(): number;
	advance(ms: number): void;
}

/**
 * The simulator's clock, lent to the engine in place of real time (the Bailian tests put it in
 * place of `realClock` with jest.mock). A sleep ends as soon as the event loop is otherwise
 * idle, with the simulator's clock moved to the sleep's end, so a 5 s floor costs no wall time,
 * while the simulator sees exactly the gaps the engine keeps and throttles calls that come too
 * soon by its own clock. Concurrent sleeps end in time order, as they would in real time.
 */
export class SimulatorTime implements Clock {
	/** Every requested sleep, in ms, in the order asked. */
	readonly sleeps: number[] = [];
	private source: TimeSource | null = null;
	private timers: Array<{ at: number; seq: number; resolve: () => void }> = [];
	private seq = 0;
	private advancing = false;

	constructor(private readonly CancelledError: new () => Error) {}

	attach(source: TimeSource): void {
		this.source = source;
	}

	now(): number {
		if (!this.source) throw new Error('SimulatorTime is not attached to a simulator clock');
		return this.source.now();
	}

	async sleep(ms: number, signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) throw new this.CancelledError();
		this.sleeps.push(ms);
		await new Promise<void>((resolve, reject) => {
			const onAbort = () => {
				this.timers = this.timers.filter((t) => t !== timer);
				reject(new this.CancelledError());
			};
			const timer = {
				at: this.now() + Math.max(0, ms),
				seq: this.seq++,
				resolve: () => {
					signal?.removeEventListener('abort', onAbort);
					resolve();
				},
			};
			this.timers.push(timer);
			signal?.addEventListener('abort', onAbort, { once: true });
			this.fireWhenIdle();
		});
		if (signal?.aborted) throw new this.CancelledError();
	}

	/**
	 * Requests on their way to the simulator: time must not move between the moment a client
	 * sends a call and the moment the simulator reads its clock for it, or a call made at 0 s
	 * could arrive "at" 5 s. Count a request when it is signed (`requestSent`) and release it
	 * when the simulator receives it (`requestReceived`).
	 */
	private inFlight = 0;
	private busySince: number | null = null;

	requestSent(): void {
		this.inFlight += 1;
	}

	requestReceived(): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
	}

	private fireWhenIdle(): void {
		if (this.advancing) return;
		this.advancing = true;
		setImmediate(() => {
			this.advancing = false;
			// A request that never arrives (refused before sending) must not stop time for good.
			if (this.inFlight > 0 && (this.busySince ??= Date.now()) > Date.now() - 2000) {
				this.advancing = true;
				setTimeout(() => {
					this.advancing = false;
					this.fireWhenIdle();
				}, 1);
				return;
			}
			this.busySince = null;
			this.inFlight = 0;
			this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
			const timer = this.timers.shift();
			if (!timer) return;
			const now = this.now();
			if (timer.at > now) this.source?.advance(timer.at - now);
			timer.resolve();
			if (this.timers.length > 0) this.fireWhenIdle();
		});
	}
}

/**
 * For a test file's top:
 *
 *     jest.mock('../../nodes/shared/clock', () => jest.requireActual('./simulatorTime').mockClockModule());
 *
 * then `realClock` from the clock module is a SimulatorTime to attach to the simulator.
 */
export function mockClockModule(): Record<string, unknown> {
	const actual = jest.requireActual('../../nodes/shared/clock');
	return { ...actual, realClock: new SimulatorTime(actual.ExecutionCancelledError) };
}
