// The optional trigger check (E2E_TRIGGER=1) of e2e/run.sh, in two steps:
//
//   advance <sim.json> <state.json>
//       Reads the trigger batch's status until its documents are completed. The simulator moves a
//       document one step per status read, and the check wants them completed when n8n activates
//       the trigger: the activation poll must emit them, the scheduled poll a minute later not again.
//       Notes in state.json where the simulator's request log stood, to tell n8n's polls apart.
//   check <n8n app folder> <N8N_USER_FOLDER> <sim.json> <state.json> <n8n.log>
//       Checks what the trigger did: how often n8n polled (its log), what it asked (the
//       simulator's request log) and what it emitted (the executions n8n stored in its SQLite
//       database, the only record of trigger runs). Runs under the n8n install's Node 24 and
//       borrows its sqlite3 and flatted, whose native parts are built for that Node.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { reporter } = require('./lib');

const WORKFLOW_ID = 'wfTrigE2E0000001'; // from e2e/fixtures.js

const triggerPath = (sim) => `/datasets/${sim.datasetId}/documents/${sim.trigger.batch}/indexing-status`;
const requestLog = async (sim) => (await fetch(`${sim.controlUrl}/requests`)).json();

async function advance(simFile, stateFile) {
	const sim = JSON.parse(fs.readFileSync(simFile, 'utf8'));
	for (let reads = 0; reads < 20; reads++) {
		const response = await fetch(`${sim.baseUrl}${triggerPath(sim)}`, { headers: { authorization: `Bearer ${sim.apiKey}` } });
		const body = await response.json();
		if (body.data.every((d) => d.indexing_status === 'completed')) {
			const lastSeq = Math.max(0, ...(await requestLog(sim)).map((q) => q.seq));
			fs.writeFileSync(stateFile, JSON.stringify({ lastSeq }));
			return;
		}
	}
	console.log('FAIL [trigger] the trigger batch did not complete in the simulator');
	process.exit(1);
}

async function check(appDir, userFolder, simFile, stateFile, logFile) {
	const sqlite3 = require(path.join(appDir, 'node_modules/sqlite3'));
	const { parse } = require(path.join(appDir, 'node_modules/flatted'));
	const sim = JSON.parse(fs.readFileSync(simFile, 'utf8'));
	const r = reporter('trigger');
	const { lastSeq } = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
	const calls = (await requestLog(sim)).filter((q) => q.seq > lastSeq && q.method === 'GET' && q.path === triggerPath(sim));
	// n8n polls once when it activates the trigger, then on Poll Times (every minute); its debug
	// log says so for each poll. The activation poll reports the whole batch, so the later polls
	// have nothing left to ask: one status call in all.
	const initiated = fs
		.readFileSync(logFile, 'utf8')
		.split('\n')
		.filter((line) => line.includes('Poll trigger initiated') && line.includes(WORKFLOW_ID)).length;
	r.check(initiated >= 2, `n8n polled at activation and on schedule (${initiated} polls in n8n's log)`);
	r.check(calls.length === 1, `one status call: a batch already reported is not asked about again (${calls.length} calls)`);
	const db = new sqlite3.Database(path.join(userFolder, '.n8n/database.sqlite'), sqlite3.OPEN_READONLY);
	const query = `select e.id, e.status, e.mode, d.data from execution_entity e
		join execution_data d on d.executionId = e.id where e.workflowId = ? order by e.id`;
	db.all(query, [WORKFLOW_ID], (error, rows) => {
		if (!r.check(!error, `executions readable${error ? `: ${error.message}` : ''}`)) r.exit();
		r.check(rows.length === 1, `the finished batch was emitted exactly once over those polls (${rows.length} executions)`);
		const first = rows[0];
		if (first) {
			r.check(first.status === 'success' && first.mode === 'trigger', `status success, mode trigger (got ${first.status}, ${first.mode})`);
			const items = parse(first.data).resultData.runData['Dify Knowledge Trigger']?.[0]?.data?.main?.[0] ?? [];
			r.check(
				items.length === sim.trigger.documentIds.length && items.every((i) => i.json.status === 'completed'),
				`one completed item per document of the batch (${items.map((i) => i.json.status).join(', ') || 'none'})`,
			);
			r.check(items.map((i) => i.json.documentId).sort().join() === [...sim.trigger.documentIds].sort().join(), "the batch's document ids");
		}
		r.exit();
	});
}

const [command, ...args] = process.argv.slice(2);
if (command === 'advance') void advance(...args);
else if (command === 'check') void check(...args);
else {
	console.error('usage: trigger-check.js advance <sim.json> <state.json> | check <n8n app folder> <N8N_USER_FOLDER> <sim.json> <state.json> <n8n.log>');
	process.exit(2);
}
