/**
 * `npm run bench`: what the package spends and how soon it notices, next to the hand-built
 * Wait → HTTP Request → IF loop, on the bundled simulator (no accounts needed).
 *
 *   npm run bench               the standard scenario (200 documents), then the older cases
 *   npm run bench -- --quick    a scaled-down standard scenario (40 documents), without the hour-long wait
 *   npm run bench -- --mode=openai-batch   one vendor and watch mode only (bench/results-openai-batch.json)
 *
 * The standard scenario, for every vendor and watch mode: documents that finish at spread-out
 * times over 60 s, some failing, watched by Wait Until Indexed and by the loop (one call per
 * document per round, same interval, same timeline), each run on the simulator's clock. It
 * prints the tables and the targets met and missed, and writes the figures to
 * bench/results.json (bench/results-quick.json with --quick) so that two runs can be compared.
 */
import '../test/harness/user-folder';

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { CaseRow } from './bench/cases';
import { CASES } from './bench/cases';
import { heapOverLongWait } from './bench/heap';
import { MODES } from './bench/modes';
import { normalizeCpuMs } from './bench/normalize';
import type { ModeResult } from './bench/report';
import { casesTable, evaluateTargets, modesTable, resourcesTable, targetsText } from './bench/report';
import type { Scale } from './bench/standard';
import { runStandardScenario } from './bench/standard';
import { engineOnRealTime, engineOnSimulatedTime } from './bench/virtualTime';

async function main() {
	const quick = process.argv.includes('--quick');
	// --mode=<key> measures one mode (e.g. openai-batch) and writes its own results file.
	const only = process.argv.find((arg) => arg.startsWith('--mode='))?.slice('--mode='.length);
	const modesToRun = only === undefined ? MODES : MODES.filter((m) => m.key === only);
	if (modesToRun.length === 0) throw new Error(`--mode=${only}: expected one of ${MODES.map((m) => m.key).join(', ')}`);
	const scale: Scale = { documents: quick ? 40 : 200, spanMs: 60_000 };
	// The heap over an hour-long wait: too slow for --quick, and a shorter wait would measure
	// V8 warming up rather than the package.
	const longWaitMs = quick ? null : 60 * 60_000;
	const started = Date.now();

	console.log(
		`Standard scenario${quick ? ' (--quick)' : ''}: ${scale.documents} documents finishing over ${scale.spanMs / 1000} s (finish times rise with upload order, shuffled locally; 1 in 16 fails),\n` +
			'each watched by Wait Until Indexed and by the hand-built loop (one call per document per round) at the vendor\'s default interval,\n' +
			'on the simulator\'s clock. Latency: from the moment a document ends to the first answer that tells the client so.\n',
	);
	engineOnSimulatedTime();
	const modes: ModeResult[] = [];
	const normalize: Record<string, number> = {};
	try {
		for (const mode of modesToRun) {
			const figures = await runStandardScenario(mode, scale);
			const heap = longWaitMs === null ? null : await heapOverLongWait(mode, longWaitMs);
			modes.push({ ...figures, heap });
			normalize[mode.vendor] ??= normalizeCpuMs(mode.vendor);
			process.stderr.write(`  ${mode.label}: done\n`);
		}
	} finally {
		engineOnRealTime();
	}
	const targets = evaluateTargets(modes, normalize);

	console.log(modesTable(modes));
	console.log('');
	console.log(resourcesTable(modes, normalize));
	console.log('');
	console.log('Targets');
	console.log(targetsText(targets));
	if (longWaitMs === null) console.log('(The heap over an hour-long wait is measured by the full run, without --quick.)');

	const cases: CaseRow[] = [];
	if (!quick && only === undefined) {
		console.log('\nOther cases, on the real clock (poll interval 1 s; simulated documents move one step per status read):\n');
		for (const run of CASES) cases.push(await run());
		console.log(casesTable(cases));
	}

	const results = {
		command: `npm run bench${quick ? ' -- --quick' : ''}`,
		quick,
		node: process.version,
		seconds: Math.round((Date.now() - started) / 1000),
		scenario: { ...scale, longWaitMinutes: longWaitMs === null ? null : longWaitMs / 60_000 },
		modes,
		normalizeCpuMs: normalize,
		targets,
		cases,
	};
	const directory = join(__dirname, '..', 'bench');
	mkdirSync(directory, { recursive: true });
	const file = join(directory, `results${only === undefined ? '' : `-${only}`}${quick ? '-quick' : ''}.json`);
	writeFileSync(file, `${JSON.stringify(results, null, '\t')}\n`);
	const missed = targets.filter((t) => !t.met).length;
	console.log(`\n${targets.length - missed} targets met, ${missed} missed. Figures in ${join('bench', file.split(/[\\/]/).pop() as string)} (${results.seconds} s).`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
