// The trigger check of e2e/run.sh (E2E_TRIGGER=1): every vendor's trigger, activated in `n8n start`,
// under each of n8n's two ways of running polling triggers, across restarts of n8n. The cases and
// their documents are in e2e/trigger-fixtures.ts; their workflows in e2e/fixtures.js.
//
//   publish <n8n app folder> <N8N_USER_FOLDER> <sim.json> <mode> [workflow id…]
//       Publishes the mode's trigger workflows (and the workflows named) as `n8n publish:workflow --id` does (the workflow's
//       current version becomes its active version), in one go rather than one n8n start per
//       workflow. n8n activates them when it starts.
//   wait <sim.json> <mode> <slots> <run label> <since ms>
//       Waits until n8n has had <slots> of the triggers' poll times (seconds 0, 15, 30 and 45 of
//       each minute), plus the durable scheduler's lag, then prints how often each case called
//       the simulator since <since>, and checks that every whole-dataset trigger (which asks on
//       every poll) called it in this run.
//   stage <sim.json> <mode> <stage>
//       Moves the mode's documents to the next stage (see e2e/trigger-fixtures.ts).
//   check <n8n app folder> <N8N_USER_FOLDER> <sim.json> <mode>
//       Reads the executions n8n stored (its execution list: execution_entity and execution_data)
//       and checks, for each case, that Document Finished reported every document that finished
//       after the trigger started (and, for a fixed set, those finished before) exactly once, with
//       its status, and the baseline of a whole dataset never; that All Finished fired exactly
//       once, with every document counted; and that Document Stuck reported each document held
//       processing once, with a stuckSince at least Stuck After before its reading, and no other.
//   check-example <n8n app folder> <N8N_USER_FOLDER> <sim.json> <runs.json>
//       The runnable copy of examples/dify-trigger-on-dataset.json (e2e/examples.js prepare), which
//       watches the dataset of the default mode's Dify whole-dataset case: it reported the same
//       documents exactly once each, and its Switch sent each down the output of its status.
//
//   backoff <n8n app folder> <N8N_USER_FOLDER> <sim.json> <n8n.log>
//       Under the durable scheduler, with n8n running: makes the dataset of the backoff workflow
//       answer Dify Cloud's rate limit (HTTP 403, Retry-After 300 s), waits until n8n has recorded
//       the failed poll in its poller_state table, and checks that the stored backoff follows the
//       vendor's wait (backoffUntil 300 s after the failure), not the 30 minutes n8n gives a
//       failure it takes for permanent, and that n8n logged the cause the node declared.
//
// publish, check, check-example and backoff run under the n8n install's Node 24 and borrow its sqlite3 and
// flatted, whose native parts are built for that Node.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { reporter, triggerWorkflowId, publishWorkflows, readExecutions, openDatabase, stripColours, BACKOFF_WORKFLOW_ID } = require('./lib');

const POLL_SECONDS = [0, 15, 30, 45]; // e2e/fixtures.js TRIGGER_POLL_TIMES
// The durable scheduler claims due runs every 5 s (N8N_SCHEDULER_EXECUTOR_INTERVAL); a poll and
// the execution it starts take a few seconds more.
const SLOT_MARGIN_MS = 9000;

const readSim = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const control = async (sim, route) => {
	const response = await fetch(`${sim.controlUrl}${route}`);
	const body = await response.json();
	if (!response.ok) throw new Error(`${route}: ${body.error ?? response.status}`);
	return body;
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function publish(appDir, userFolder, simFile, mode, ...extra) {
	const sim = readSim(simFile);
	const r = reporter(`trigger ${mode}`);
	const ids = [...sim.triggers.filter((c) => c.mode === mode).map(triggerWorkflowId), ...extra];
	try {
		const changed = await publishWorkflows(appDir, userFolder, ids);
		r.check(changed === ids.length, `${ids.length} trigger workflows${extra.length ? ` (with ${extra.join(', ')})` : ''} published (${changed} updated)`);
	} catch (error) {
		r.check(false, `publishing the trigger workflows: ${error.message}`);
	}
	r.exit();
}

/** Milliseconds from now until `slots` poll times have passed, plus the margin. */
function untilSlots(slots, now = Date.now()) {
	let t = now;
	for (let passed = 0; passed < slots; ) {
		t = Math.floor(t / 1000) * 1000 + 1000;
		if (POLL_SECONDS.includes(new Date(t).getUTCSeconds())) passed += 1;
	}
	return t - now + SLOT_MARGIN_MS;
}

/**
 * Poll slots a whole-dataset trigger may still need after the wait's own: n8n answers its
 * readiness check before it has activated every workflow, and it activates them one after the
 * other, each with a first poll; on a loaded 2-core machine the last of 19 workflows (the OpenAI
 * ones come last) can be activated half a minute after n8n is ready.
 */
const ACTIVATION_SLOTS = 4;

async function wait(simFile, mode, slots, label, since) {
	const sim = readSim(simFile);
	const r = reporter(`trigger ${mode}`);
	await sleep(untilSlots(Number(slots)));
	const silentIn = (calls) => Object.entries(calls).filter(([key, n]) => key.includes('/whole/') && n === 0);
	let calls = await control(sim, `/triggers/calls?mode=${mode}&since=${since}`);
	if (silentIn(calls).length > 0) {
		// Not activated yet, or never polling: wait up to ACTIVATION_SLOTS more slots for a first call.
		const deadline = Date.now() + untilSlots(ACTIVATION_SLOTS);
		while (silentIn(calls).length > 0 && Date.now() < deadline) {
			await sleep(1000);
			calls = await control(sim, `/triggers/calls?mode=${mode}&since=${since}`);
		}
		const late = silentIn(calls).length === 0 ? 'all polled' : 'still silent';
		console.log(`    ${label}: some whole-dataset triggers had not polled after ${slots} slots; waited up to ${ACTIVATION_SLOTS} more (${late})`);
	}
	const short = (key) => key.split('/').slice(1).join('/');
	console.log(`    ${label}: status calls per trigger since n8n started: ${Object.entries(calls).map(([k, n]) => `${short(k)} ${n}`).join(', ')}`);
	const silent = silentIn(calls).map(([key]) => short(key));
	r.check(silent.length === 0, `${label}: every whole-dataset trigger polled${silent.length ? ` (no call from ${silent.join(', ')})` : ''}`);
	r.exit();
}

async function stage(simFile, mode, n) {
	const sim = readSim(simFile);
	const cases = await control(sim, `/triggers/stage?mode=${mode}&stage=${n}`);
	const moved = cases.flatMap((c) => c.documents.filter((d) => d.role === `stage${n}` || (n === '1' && d.role === 'new1')));
	console.log(`    stage ${n}: ${moved.length} documents of ${cases.length} triggers finished or added`);
}

async function checkExample(appDir, userFolder, simFile, runsFile) {
	const sim = readSim(simFile);
	const { parse } = require(path.join(appDir, 'node_modules/flatted'));
	const run = JSON.parse(fs.readFileSync(runsFile, 'utf8')).find((entry) => entry.trigger);
	const r = reporter(`example ${run?.file ?? 'trigger'}`);
	if (!r.check(run !== undefined, 'a runnable copy of the trigger example exists')) r.exit();
	const [c] = await control(sim, '/triggers/cases?mode=default').then((cases) => cases.filter((x) => x.key === 'default/dify/whole/documentFinished'));
	const rows = await readExecutions(appDir, userFolder, run.id);
	const outputs = { completed: [], failed: [] };
	const reported = [];
	for (const row of rows) {
		const runData = parse(row.data).resultData.runData;
		reported.push(...(runData['Dify Knowledge Trigger']?.[0]?.data?.main?.[0] ?? []).map((item) => item.json.documentId));
		const main = runData['By status']?.[0]?.data?.main ?? [];
		outputs.completed.push(...(main[0] ?? []).map((item) => item.json.documentId));
		outputs.failed.push(...(main[1] ?? []).map((item) => item.json.documentId));
	}
	const expected = c.documents.filter((d) => d.role !== 'history');
	r.check(rows.length > 0 && rows.every((row) => row.status === 'success' && row.mode === 'trigger'), `activated in n8n start: ${rows.length} successful trigger executions`);
	r.check(
		reported.length === expected.length && expected.every((d) => reported.filter((id) => id === d.id).length === 1),
		`the ${expected.length} documents that finished after activation reported exactly once each, the baseline never (${reported.length} reported)`,
	);
	const wrong = expected.filter((d) => !(d.ends === 'completed' ? outputs.completed : outputs.failed).includes(d.id));
	r.check(wrong.length === 0, `By status sent each down its output (completed ${outputs.completed.length}, failed ${outputs.failed.length})`);
	r.exit();
}

async function check(appDir, userFolder, simFile, mode) {
	const sim = readSim(simFile);
	const { parse } = require(path.join(appDir, 'node_modules/flatted'));
	const r = reporter(`trigger ${mode}`);
	const cases = await control(sim, `/triggers/cases?mode=${mode}`);
	const rows = await readExecutions(appDir, userFolder, 'wfT%');
	const label = (c) => c.key.split('/').slice(1).join(' ');
	for (const c of cases) {
		const id = triggerWorkflowId(c);
		const executions = rows.filter((row) => row.workflowId === id);
		const items = executions.flatMap((row) => {
			const runData = parse(row.data).resultData.runData;
			const trigger = Object.keys(runData).find((name) => name !== 'No Operation');
			return (runData[trigger]?.[0]?.data?.main?.[0] ?? []).map((item) => item.json);
		});
		const bad = executions.filter((row) => row.status !== 'success' || row.mode !== 'trigger');
		r.check(
			executions.length > 0 && bad.length === 0,
			`${label(c)}: ${executions.length} executions, all successful trigger executions${bad.length ? ` (not: ${bad.map((b) => `${b.id} ${b.status} ${b.mode}`).join(', ')})` : ''}`,
		);
		if (c.event === 'documentFinished') {
			const expected = c.documents.filter((d) => d.role !== 'history');
			const seen = items.map((item) => item.documentId);
			const count = (id) => seen.filter((s) => s === id).length;
			const missing = expected.filter((d) => count(d.id) === 0).map((d) => d.role);
			const twice = expected.filter((d) => count(d.id) > 1).map((d) => `${d.role} ×${count(d.id)}`);
			const history = c.documents.filter((d) => d.role === 'history' && count(d.id) > 0).map((d) => d.id);
			const unknown = seen.filter((s) => !c.documents.some((d) => d.id === s));
			r.check(
				missing.length === 0 && twice.length === 0 && history.length === 0 && unknown.length === 0,
				`${label(c)}: each of the ${expected.length} documents (${expected.map((d) => d.role).join(', ')}) reported exactly once` +
					(c.watch === 'whole' ? ', the baseline never' : '') +
					(missing.length ? `; missing: ${missing.join(', ')}` : '') +
					(twice.length ? `; repeated: ${twice.join(', ')}` : '') +
					(history.length ? `; baseline reported: ${history.length}` : '') +
					(unknown.length ? `; unknown ids: ${unknown.join(', ')}` : ''),
			);
			const wrongStatus = expected.filter((d) => items.some((item) => item.documentId === d.id && item.status !== d.ends));
			r.check(wrongStatus.length === 0 && items.every((item) => item.terminal === true), `${label(c)}: each with its status (the stage 2 document failed, the others completed)${wrongStatus.length ? `; wrong: ${wrongStatus.map((d) => d.role).join(', ')}` : ''}`);
		} else if (c.event === 'documentStuck') {
			const seen = items.map((item) => item.documentId);
			const count = (id) => seen.filter((s) => s === id).length;
			// Held until their stage: stage 2 and 3 documents stay still for more than a minute, so
			// they must be reported; the stage 1 one may complete before a poll finds it still long enough.
			const surely = c.documents.filter((d) => d.role === 'stage2' || d.role === 'stage3');
			const stage1 = c.documents.filter((d) => d.role === 'stage1');
			const never = c.documents.filter((d) => d.role === 'history' || d.role === 'new1');
			const problems = [
				...surely.filter((d) => count(d.id) !== 1).map((d) => `${d.role} ×${count(d.id)}`),
				...stage1.filter((d) => count(d.id) > 1).map((d) => `${d.role} ×${count(d.id)}`),
				...never.filter((d) => count(d.id) > 0).map((d) => `${d.role} reported`),
				...seen.filter((s) => !c.documents.some((d) => d.id === s)).map((s) => `unknown id ${s}`),
			];
			r.check(
				surely.length === 2 && problems.length === 0,
				`${label(c)}: the documents held processing reported stuck once each (${seen.length} items), the baseline and finished ones never${problems.length ? `; ${problems.join(', ')}` : ''}`,
			);
			const stuckAfterMs = c.stuckAfterMinutes * 60_000;
			const early = items.filter(
				(item) => item.status !== 'processing' || item.terminal !== false || !(Date.parse(item.checkedAt) - Date.parse(item.stuckSince) >= stuckAfterMs),
			);
			r.check(
				items.length > 0 && early.length === 0,
				`${label(c)}: each item processing, with a stuckSince at least ${c.stuckAfterMinutes * 60} s before its reading${early.length ? `; not: ${early.map((i) => `${i.status} since ${i.stuckSince} read ${i.checkedAt}`).join(', ')}` : ''}`,
			);
		} else {
			const total = c.documents.length;
			const failed = c.documents.filter((d) => d.ends === 'failed').length;
			const summary = items[0] ?? {};
			r.check(executions.length === 1 && items.length === 1, `${label(c)}: All Finished fired exactly once (${executions.length} executions, ${items.length} items)`);
			r.check(
				summary.total === total && summary.counts?.completed === total - failed && summary.counts?.failed === failed && summary.status === 'failed' && summary.terminal === true,
				`${label(c)}: its summary counts all ${total} documents, ${total - failed} completed and ${failed} failed (got total ${summary.total}, ${JSON.stringify(summary.counts ?? {})})`,
			);
		}
	}
	r.exit();
}

/** A date as n8n's SQLite database stores it ("2026-12-05 23:59:01.123", UTC), in ms. */
const sqliteTime = (value) => (typeof value === 'number' ? value : Date.parse(`${String(value).replace(' ', 'T').replace(/Z?$/, 'Z')}`));

async function backoff(appDir, userFolder, simFile, logFile) {
	const sim = readSim(simFile);
	const r = reporter('trigger backoff');
	await control(sim, '/backoff/throttle');
	const { all, close } = openDatabase(appDir, userFolder, true);
	let row;
	try {
		// The next poll time comes within 15 s, and the scheduler claims it within 5 s more.
		for (let attempt = 0; attempt < 30; attempt++) {
			[row] = await all('select consecutiveErrors, backoffUntil, updatedAt from poller_state where workflowId = ?', [BACKOFF_WORKFLOW_ID]);
			if (row && row.consecutiveErrors > 0) break;
			await sleep(2000);
		}
	} finally {
		await close();
	}
	if (!r.check(row !== undefined && row.consecutiveErrors > 0, `n8n recorded the rate-limited poll in poller_state (${row ? `consecutiveErrors ${row.consecutiveErrors}` : 'no row'})`)) {
		r.exit();
		return;
	}
	const seconds = (sqliteTime(row.backoffUntil) - sqliteTime(row.updatedAt)) / 1000;
	const wanted = sim.backoff.retryAfterSeconds;
	r.check(
		Math.abs(seconds - wanted) <= 10,
		`the stored backoff follows Dify's Retry-After: backoffUntil is ${Math.round(seconds)} s after the failed poll (wanted ${wanted} s, not n8n's 1800 s for a permanent failure)`,
	);
	const logged = stripColours(fs.readFileSync(logFile, 'utf8'))
		.split('\n')
		.filter((line) => line.includes('Poll failed; backing off') && line.includes(BACKOFF_WORKFLOW_ID))
		.map((line) => {
			try {
				return JSON.parse(line);
			} catch {
				return null;
			}
		})
		.filter(Boolean);
	const metadata = logged.at(-1)?.metadata ?? {};
	r.check(
		metadata.cause === 'rate-limited' && metadata.type === 'transient',
		`n8n's log says why: "Poll failed; backing off" with cause ${metadata.cause ?? 'none'}, type ${metadata.type ?? 'none'}, delayMs ${metadata.delayMs ?? 'none'}`,
	);
	r.exit();
}

const [command, ...args] = process.argv.slice(2);
const commands = { publish, wait, stage, check, 'check-example': checkExample, backoff };
if (commands[command]) {
	commands[command](...args).catch((error) => {
		console.log(`FAIL [trigger] ${command} crashed: ${error.message}`);
		process.exit(1);
	});
} else {
	console.error('usage: trigger-check.js publish|wait|stage|check … (see the head of the file)');
	process.exit(2);
}
