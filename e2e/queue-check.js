// The queue-mode check of e2e/run.sh (E2E_QUEUE=1): n8n as it scales past one machine. One main
// process (`n8n start`) and two workers (`n8n worker`) share a PostgreSQL database and a Redis
// queue (EXECUTIONS_MODE=queue); the main process receives webhooks and polls triggers and
// enqueues the executions, a worker runs each. Workflows from e2e/fixtures.js: wfQueueHook00001 (Webhook →
// Dify Knowledge Wait Until Indexed → Respond to Webhook) and wfQueueTrig00001 (Dify Knowledge
// Trigger on a batch indexed before activation).
//
//   webhook <n8n url> <sim.json>
//       Calls the webhook with the batch to wait for; the answer must come from Respond to
//       Webhook, after the wait, with every document completed.
//   check <n8n app folder> <N8N_USER_FOLDER> <package.json> <main log> <worker log>…
//       Reads every process's log and the executions (from the database DB_TYPE and DB_POSTGRESDB_*
//       name): the package loaded in every process; the webhook's execution and the trigger's were
//       enqueued by the main process and each run by exactly one worker; the trigger polled on the
//       main process only.
// Run under the n8n install's Node 24 (pg, sqlite3 and flatted are the install's).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { reporter, stripColours, readExecutions } = require('./lib');

const WEBHOOK = 'wfQueueHook00001';
const TRIGGER = 'wfQueueTrig00001';

function logEntries(file) {
	return stripColours(fs.readFileSync(file, 'utf8'))
		.split('\n')
		.filter((line) => line.startsWith('{'))
		.map((line) => {
			try {
				return JSON.parse(line);
			} catch {
				return null;
			}
		})
		.filter(Boolean);
}

async function webhook(baseUrl, simFile) {
	const sim = JSON.parse(fs.readFileSync(simFile, 'utf8'));
	const r = reporter('queue');
	const started = Date.now();
	let response;
	let text = '';
	try {
		response = await fetch(`${baseUrl}/webhook/e2e-queue-wait`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ batch: sim.queue.webhookBatch.batch }),
			signal: AbortSignal.timeout(90_000),
		});
		text = await response.text();
	} catch (error) {
		r.check(false, `webhook call: ${error.message}`);
		r.exit();
	}
	let items = [];
	try {
		items = JSON.parse(text);
	} catch {}
	const list = Array.isArray(items) ? items : [items];
	r.check(response.status === 200, `the webhook answered HTTP ${response.status} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
	r.check(
		list.length === sim.queue.webhookBatch.documentIds.length && list.every((item) => item.status === 'completed' && item.wait?.timedOut === false && item.wait?.polls > 1),
		`Respond to Webhook answered after Wait Until Indexed polled until every document was completed: ${list.map((item) => `${item.status} after ${item.wait?.polls} polls`).join(', ') || text.slice(0, 200)}`,
	);
	r.exit();
}

async function check(appDir, userFolder, packageFile, mainLog, ...workerLogs) {
	const pkg = JSON.parse(fs.readFileSync(packageFile, 'utf8'));
	const { parse } = require(path.join(appDir, 'node_modules/flatted'));
	const r = reporter('queue');
	const main = logEntries(mainLog);
	const workers = workerLogs.map(logEntries);
	for (const [name, entries] of [['main', main], ...workers.map((w, i) => [`worker ${i + 1}`, w])]) {
		const load = entries.filter((e) => e.message === `Loaded all credentials and nodes from ${pkg.name}`).at(-1)?.metadata;
		r.check(
			load?.nodes === pkg.n8n.nodes.length && load?.credentials === pkg.n8n.credentials.length,
			`the ${name} process loaded the package from the shared user folder (${load ? `${load.nodes} nodes, ${load.credentials} credentials` : 'no load line'})`,
		);
	}
	const rows = await readExecutions(appDir, userFolder, 'wfQueue%');
	const started = (entries, id) => entries.some((e) => new RegExp(`^Worker started execution ${id} \\(job `).test(e.message));
	// Run by exactly one of the workers, never by main.
	const ranOnOneWorker = (id) => workers.filter((w) => started(w, id)).length === 1 && !started(main, id);
	const whichWorker = (id) => workers.map((w, i) => (started(w, id) ? `worker ${i + 1}` : null)).filter(Boolean).join(' and ') || 'no worker';
	const enqueued = (id) => main.some((e) => new RegExp(`^Enqueued execution ${id} \\(job `).test(e.message));
	const hook = rows.filter((row) => row.workflowId === WEBHOOK);
	const trigger = rows.filter((row) => row.workflowId === TRIGGER);
	r.check(hook.length === 1 && hook[0].status === 'success' && hook[0].mode === 'webhook', `one successful webhook execution (${hook.map((h) => `${h.id} ${h.status} ${h.mode}`).join(', ') || 'none'})`);
	if (hook[0]) {
		r.check(enqueued(hook[0].id) && ranOnOneWorker(hook[0].id), `the webhook execution ${hook[0].id} was enqueued by main and run by one worker (${whichWorker(hook[0].id)}: "Worker started execution ${hook[0].id}")`);
		const runData = parse(hook[0].data).resultData.runData;
		r.check((runData['Dify Knowledge']?.[0]?.data?.main?.[0] ?? []).every((item) => item.json.status === 'completed') && runData['Respond to Webhook'] !== undefined, 'on the worker, Dify Knowledge waited until every document was completed, then Respond to Webhook ran');
	}
	r.check(trigger.length === 1 && trigger[0].status === 'success', `one successful trigger execution (${trigger.map((t) => `${t.id} ${t.status} ${t.mode}`).join(', ') || 'none'})`);
	if (trigger[0]) {
		r.check(enqueued(trigger[0].id) && ranOnOneWorker(trigger[0].id), `the trigger's execution ${trigger[0].id} was enqueued by main and run by one worker (${whichWorker(trigger[0].id)})`);
		const items = parse(trigger[0].data).resultData.runData['Dify Knowledge Trigger']?.[0]?.data?.main?.[0] ?? [];
		r.check(items.length === 2 && items.every((item) => item.json.status === 'completed'), `it carries the batch's two completed documents (${items.length})`);
	}
	const polled = (entries) => entries.some((e) => /^Poll trigger initiated for workflow "E2E queue trigger"/.test(e.message));
	r.check(polled(main) && !workers.some(polled), `the trigger polled on the main process, never on a worker`);
	r.exit();
}

const [command, ...args] = process.argv.slice(2);
const commands = { webhook, check };
if (commands[command]) {
	commands[command](...args).catch((error) => {
		console.log(`FAIL [queue] ${command} crashed: ${error.message}`);
		process.exit(1);
	});
} else {
	console.error('usage: queue-check.js webhook|check … (see the head of the file)');
	process.exit(2);
}
