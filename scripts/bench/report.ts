/**
 * The benchmark's tables, its targets (met or missed, and why), and its JSON results.
 */
import type { CaseRow } from './cases';
import type { HeapFigures } from './heap';
import type { ModeFigures } from './standard';

export interface ModeResult extends ModeFigures {
	/** The long wait's heap; not measured with --quick. */
	heap: HeapFigures | null;
}

export interface TargetResult {
	target: string;
	subject: string;
	value: string;
	met: boolean;
	/** Why a missed target cannot be met by the package, where that is so. */
	reason?: string;
}

/** A heap that grows by less than this per poll is flat: one retained status item alone is over 1 KB. */
export const FLAT_HEAP_BYTES_PER_POLL = 512;
export const NORMALIZE_BUDGET_MS = 200;

const ratio = (value: number) => value.toFixed(3);

export function evaluateTargets(modes: ModeResult[], normalize: Record<string, number>): TargetResult[] {
	const targets: TargetResult[] = [];
	for (const m of modes) {
		const versusLoop = m.node.calls / m.loop.calls;
		const floor = m.minimalCalls / m.loop.calls;
		const share = m.loopShareTarget ?? 0.1;
		targets.push({
			target: `API calls ≤ ${share} × the loop's`,
			subject: m.label,
			value: `${ratio(versusLoop)} × (${m.node.calls} / ${m.loop.calls})`,
			met: versusLoop <= share,
			...(versusLoop > share && floor > share
				? {
						reason: `${m.largestBatchNote}, so even the minimal-call limit is ${ratio(floor)} × the loop's: a round costs at least a tenth of the loop's calls, and its last, partly filled call adds to that`,
					}
				: {}),
		});
	}
	for (const m of modes) {
		const versusLimit = m.node.calls / m.minimalCalls;
		targets.push({
			target: '≤ 1.2 × the minimal-call limit',
			subject: m.label,
			value: `${versusLimit.toFixed(2)} × (${m.node.calls} / ${m.minimalCalls})`,
			met: versusLimit <= 1.2,
		});
	}
	for (const m of modes) {
		targets.push({
			target: 'median detection latency ≤ one poll interval',
			subject: m.label,
			value: `${m.node.latencyMedianS} s (interval ${m.intervalSeconds} s)`,
			met: m.node.latencyMedianS <= m.intervalSeconds,
			...(m.node.latencyMedianS > m.intervalSeconds && m.latencyNote ? { reason: m.latencyNote } : {}),
		});
	}
	for (const m of modes) {
		if (m.shortestJobCallGapS === undefined) continue;
		targets.push({
			target: 'no two Bailian calls for one job within 5 s',
			subject: m.label,
			value: `shortest gap ${m.shortestJobCallGapS} s`,
			met: m.shortestJobCallGapS >= 5,
		});
	}
	for (const [vendor, ms] of Object.entries(normalize)) {
		targets.push({
			target: `normalizing 10 000 statuses < ${NORMALIZE_BUDGET_MS} ms of CPU`,
			subject: vendor,
			value: `${ms} ms`,
			met: ms < NORMALIZE_BUDGET_MS,
		});
	}
	for (const m of modes) {
		if (m.heap === null) continue;
		targets.push({
			target: `heap flat over a ${m.heap.minutes}-minute wait (< ${FLAT_HEAP_BYTES_PER_POLL} B per poll)`,
			subject: m.label,
			value: `${m.heap.growthPerPollBytes} B per poll over ${m.heap.polls} polls`,
			met: m.heap.growthPerPollBytes < FLAT_HEAP_BYTES_PER_POLL,
		});
	}
	return targets;
}

function table(header: string[], rows: string[][], leftAligned: number[] = [0]): string {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) =>
		cells.map((c, i) => (leftAligned.includes(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
	return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function modesTable(modes: ModeResult[]): string {
	return table(
		['watch', 'docs', 'interval', 'calls', 'loop calls', '× loop', 'limit', '× limit', 'latency med/max', 'loop latency med/max', 'heap MB node/loop'],
		modes.map((m) => [
			m.label,
			`${m.documents} (${m.failing} fail)`,
			`${m.intervalSeconds} s`,
			String(m.node.calls),
			String(m.loop.calls),
			ratio(m.node.calls / m.loop.calls),
			String(m.minimalCalls),
			(m.node.calls / m.minimalCalls).toFixed(2),
			`${m.node.latencyMedianS} / ${m.node.latencyMaxS} s`,
			`${m.loop.latencyMedianS} / ${m.loop.latencyMaxS} s`,
			`${m.node.peakHeapMB} / ${m.loop.peakHeapMB}`,
		]),
	);
}

export function resourcesTable(modes: ModeResult[], normalize: Record<string, number>): string {
	return table(
		['watch', 'normalize 10 000 (CPU)', 'long wait', 'polls', 'heap growth per poll'],
		modes.map((m) => [
			m.label,
			`${normalize[m.vendor]} ms`,
			m.heap ? `${m.heap.minutes} min` : '-',
			m.heap ? String(m.heap.polls) : '-',
			m.heap ? `${m.heap.growthPerPollBytes} B` : '-',
		]),
	);
}

export function targetsText(targets: TargetResult[]): string {
	return targets
		.map((t) => {
			const head = `${t.met ? 'met   ' : 'MISSED'}  ${t.target}: ${t.subject}, ${t.value}`;
			return t.reason ? `${head}\n        why: ${t.reason}` : head;
		})
		.join('\n');
}

export function casesTable(rows: CaseRow[]): string {
	return table(
		['scenario', 'docs', 'API calls', 'per-doc loop', 'saved', 'wall s', 'outcome'],
		rows.map((r) => [
			r.scenario,
			String(r.documents),
			String(r.calls),
			r.naiveCalls === null ? '-' : String(r.naiveCalls),
			r.naiveCalls === null ? '-' : `${Math.round(100 * (1 - r.calls / r.naiveCalls))} %`,
			r.seconds.toFixed(1),
			r.outcome,
		]),
		[0, 6],
	);
}
