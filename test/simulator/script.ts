/**
 * Vendor-neutral building blocks: observation-driven document progress, a deterministic
 * random source, and a clock that only moves when a test moves it.
 *
 * Why observation-driven: tests and benchmarks must be fast and reproducible, so a document
 * never advances with wall-clock time. It advances by one step each time a status call
 * *observes* it. Polling twice shows two consecutive steps, whatever the time in between.
 */

/** One entry of a progress script: `state` is shown for `repeat` observations (default 1). */
export interface ScriptStep<S> {
	state: S;
	repeat?: number;
}

/** A progress script. The last step sticks once reached. */
export type Script<S> = ReadonlyArray<ScriptStep<S>>;

/**
 * Walks a script one observation at a time.
 *
 * `observe()` returns the state the client sees now and then moves on, so the first
 * observation shows the first step. `peek()` returns what the next observation will show,
 * without moving.
 */
export class ScriptCursor<S> {
	private observations = 0;
	private readonly steps: ReadonlyArray<ScriptStep<S>>;

	constructor(script: Script<S>) {
		if (script.length === 0) throw new Error('A progress script needs at least one step');
		for (const step of script) {
			const repeat = step.repeat ?? 1;
			if (!Number.isInteger(repeat) || repeat < 1) {
				throw new Error(`Script step repeat must be a positive integer, got ${String(step.repeat)}`);
			}
		}
		this.steps = script.map((step) => ({ state: step.state, repeat: step.repeat ?? 1 }));
	}

	/** How many times the document has been observed so far. */
	get observationCount(): number {
		return this.observations;
	}

	/** The state the next observation will show, without counting an observation. */
	peek(): S {
		return this.stateAt(this.observations);
	}

	/** Shows the current state to a client and advances one step. */
	observe(): S {
		const state = this.stateAt(this.observations);
		this.observations++;
		return state;
	}

	/** State at an expanded observation index; past the end, the last step sticks. */
	stateAt(index: number): S {
		let remaining = index;
		for (const step of this.steps) {
			const repeat = step.repeat ?? 1;
			if (remaining < repeat) return step.state;
			remaining -= repeat;
		}
		return this.steps[this.steps.length - 1].state;
	}

	/** Number of observations until the final (sticky) step is shown. */
	get length(): number {
		return this.steps.reduce((sum, step) => sum + (step.repeat ?? 1), 0);
	}
}

/**
 * A script that moves with the simulator's clock instead of with status reads: one step every
 * `msPerStep` of simulator time from `startAt`. Benchmarks and durability tests use it, so that
 * a document becomes terminal at a known moment whoever asks, and however often: a per-document
 * loop and the package then watch the very same timeline.
 *
 * `observationCount` is the step reached by now, so the vendor modules, which show
 * `stateAt(observationCount)`, need no change; `reads` counts the status reads.
 */
export class TimedScriptCursor<S> extends ScriptCursor<S> {
	private readCount = 0;

	constructor(
		script: Script<S>,
		private readonly clock: { now(): number },
		readonly msPerStep: number,
		readonly startAt: number = clock.now(),
	) {
		super(script);
		if (!(msPerStep > 0)) throw new Error('msPerStep must be positive');
	}

	override get observationCount(): number {
		return Math.max(0, Math.floor((this.clock.now() - this.startAt) / this.msPerStep));
	}

	/** Status reads so far. */
	get reads(): number {
		return this.readCount;
	}

	override peek(): S {
		return this.stateAt(this.observationCount);
	}

	override observe(): S {
		this.readCount++;
		return this.stateAt(this.observationCount);
	}

	/** Simulator time at which expanded step `index` begins. */
	timeOfStep(index: number): number {
		return this.startAt + index * this.msPerStep;
	}

	/** Simulator time at which the final (sticky) step begins: when the script ends. */
	get endsAt(): number {
		return this.timeOfStep(this.length - 1);
	}
}

/** A cursor for a document: timed when `msPerStep` is given, else moved by status reads. */
export function cursorFor<S>(script: Script<S>, clock: { now(): number }, msPerStep?: number): ScriptCursor<S> {
	return msPerStep === undefined ? new ScriptCursor(script) : new TimedScriptCursor(script, clock, msPerStep);
}

/**
 * Small seeded PRNG (mulberry32). Ids and anything else that would be random in a real
 * vendor come from here, so two runs with the same seed produce the same wire traffic.
 */
export class SeededRandom {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0;
	}

	/** Uniform float in [0, 1). */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** Integer in [min, max], inclusive. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	/** A random (version 4 layout) UUID in lowercase, like Python's str(uuid.uuid4()). */
	uuid(): string {
		const bytes: number[] = [];
		for (let i = 0; i < 16; i++) bytes.push(this.int(0, 255));
		bytes[6] = (bytes[6] & 0x0f) | 0x40;
		bytes[8] = (bytes[8] & 0x3f) | 0x80;
		const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
		return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
	}
}

/**
 * The simulator's notion of "now", in milliseconds since the epoch.
 *
 * By default it is virtual: it starts at a fixed instant and moves only through
 * `advance()`, so timestamps in responses and rate-limit windows are reproducible.
 * With `real: true` it follows Date.now() (useful for a live demo).
 */
export class SimClock {
	private virtualNow: number;

	constructor(
		start: number,
		private readonly real = false,
	) {
		this.virtualNow = start;
	}

	now(): number {
		return this.real ? Date.now() : this.virtualNow;
	}

	/** Unix seconds, as most vendors write timestamps. */
	nowSeconds(): number {
		return Math.floor(this.now() / 1000);
	}

	/** Moves the virtual clock forward. A no-op for the real clock. */
	advance(ms: number): void {
		if (!Number.isFinite(ms) || ms < 0) throw new Error('The clock only moves forward');
		this.virtualNow += ms;
	}
}

/** `YYYYMMDDHHMMSS` in UTC, the prefix Dify batches and Coze log ids share. */
export function compactUtcTimestamp(ms: number): string {
	const d = new Date(ms);
	const pad = (n: number, width = 2) => String(n).padStart(width, '0');
	return (
		pad(d.getUTCFullYear(), 4) +
		pad(d.getUTCMonth() + 1) +
		pad(d.getUTCDate()) +
		pad(d.getUTCHours()) +
		pad(d.getUTCMinutes()) +
		pad(d.getUTCSeconds())
	);
}
