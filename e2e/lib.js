// Small pieces the e2e check scripts share: PASS/FAIL reporting and reading `n8n execute --rawOutput`.
'use strict';
const fs = require('node:fs');

/**
 * Prints one `PASS [step] what` or `FAIL [step] what` line per check. e2e/run.sh counts these
 * lines for its final tally, so every check must go through here.
 */
function reporter(step) {
	let failed = 0;
	return {
		check(condition, what) {
			console.log(`${condition ? 'PASS' : 'FAIL'} [${step}] ${what}`);
			if (!condition) failed += 1;
			return Boolean(condition);
		},
		get failed() {
			return failed;
		},
		exit() {
			process.exit(failed === 0 ? 0 : 1);
		},
	};
}

const stripColours = (text) => text.replace(/\x1b\[[0-9;]*m/g, '');

/**
 * `n8n execute --rawOutput` prints log lines around the execution as pretty JSON, and that JSON
 * starts with a line holding only `{` and ends with one holding only `}`. Returns the parsed
 * execution, or null when n8n printed none (it crashed, or the workflow was not found).
 */
function readExecution(file) {
	const text = stripColours(fs.readFileSync(file, 'utf8'));
	const start = text.search(/^\{$/m);
	if (start < 0) return null;
	const rest = text.slice(start);
	const end = rest.search(/^\}$/m);
	if (end < 0) return null;
	try {
		return JSON.parse(rest.slice(0, end + 1));
	} catch {
		return null;
	}
}

/** Output items of a node's first run on its first output (or the given one). */
function nodeItems(execution, nodeName, output = 0) {
	const runs = execution?.data?.resultData?.runData?.[nodeName] ?? [];
	return runs[0]?.data?.main?.[output] ?? [];
}

/** A few lines that say what happened, for the log of a step and for the console when it fails. */
function describeExecution(execution, nodeNames) {
	if (!execution) return 'no execution JSON in the output';
	const result = execution.data.resultData;
	const lines = [`status: ${execution.status} | last node: ${result.lastNodeExecuted}`];
	if (result.error) {
		const { message, description, httpCode, name } = result.error;
		lines.push(`workflow error: ${JSON.stringify({ name, message, description, httpCode })}`);
	}
	for (const nodeName of nodeNames) {
		for (const run of result.runData[nodeName] ?? []) {
			lines.push(`${nodeName}: ${run.executionStatus}, ${run.executionTime} ms`);
			if (run.error) lines.push(`  error: ${JSON.stringify({ message: run.error.message, description: run.error.description })}`);
			for (const output of run.data?.main ?? []) {
				for (const item of output ?? []) lines.push(`  ${JSON.stringify(item).slice(0, 400)}`);
			}
		}
	}
	return lines.join('\n');
}

/**
 * The 16-character id of the workflow of a trigger case of e2e/trigger-fixtures.ts (as n8n import
 * and `n8n execute` want them): wfT, the mode, the vendor, the watch and the event.
 */
const triggerWorkflowId = (c) =>
	`wfT${c.mode === 'default' ? 'D' : 'S'}${c.vendor.slice(0, 4)}${c.watch === 'whole' ? 'W' : 'F'}${{ allFinished: 'A', documentStuck: 'S' }[c.event] ?? 'D'}000000`;

/**
 * n8n's database (SQLite) in a user folder, through the n8n install's sqlite3 (built for its Node 24):
 * run only under that Node.
 */
function openDatabase(appDir, userFolder, readOnly) {
	const sqlite3 = require(require('node:path').join(appDir, 'node_modules/sqlite3'));
	const db = new sqlite3.Database(require('node:path').join(userFolder, '.n8n/database.sqlite'), readOnly ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE);
	return {
		run: (sql, params = []) => new Promise((resolve, reject) => db.run(sql, params, function done(error) { (error ? reject(error) : resolve(this.changes)); })),
		all: (sql, params = []) => new Promise((resolve, reject) => db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows)))),
		close: () => new Promise((resolve) => db.close(resolve)),
	};
}

/**
 * Publishes workflows as `n8n publish:workflow --id` does (WorkflowRepository.publishVersion: the
 * current version, which must be in the history, becomes the active one), all in one go. n8n
 * activates them when it starts. Returns how many were published.
 */
async function publishWorkflows(appDir, userFolder, ids) {
	const { run, all, close } = openDatabase(appDir, userFolder, false);
	try {
		const marks = ids.map(() => '?').join(',');
		const versions = await all(
			`select w.id from workflow_entity w join workflow_history h on h.workflowId = w.id and h.versionId = w.versionId where w.id in (${marks})`,
			ids,
		);
		if (versions.length !== ids.length) throw new Error(`${ids.length - versions.length} of the workflows have no current version in the history`);
		return await run(`update workflow_entity set active = 1, activeVersionId = versionId where id in (${marks})`, ids);
	} finally {
		await close();
	}
}

/**
 * n8n's PostgreSQL database as DB_POSTGRESDB_* name it (n8n's settings), through the install's pg.
 * Same interface as openDatabase; `?` placeholders become `$1`, `$2`, ….
 */
function openPostgres(appDir) {
	const { Client } = require(require('node:path').join(appDir, 'node_modules/pg'));
	const env = process.env;
	const client = new Client({
		host: env.DB_POSTGRESDB_HOST, port: Number(env.DB_POSTGRESDB_PORT), database: env.DB_POSTGRESDB_DATABASE,
		user: env.DB_POSTGRESDB_USER, password: env.DB_POSTGRESDB_PASSWORD || undefined,
	});
	const connected = client.connect();
	const numbered = (sql) => { let n = 0; return sql.replace(/\?/g, () => `$${++n}`); };
	return {
		all: async (sql, params = []) => { await connected; return (await client.query(numbered(sql), params)).rows; },
		close: () => client.end(),
	};
}

/**
 * The executions n8n stored for workflows whose id is like `pattern`, oldest first, with their
 * data, from the database n8n uses: SQLite in the user folder, or PostgreSQL when DB_TYPE says so.
 */
async function readExecutions(appDir, userFolder, pattern) {
	const { all, close } = process.env.DB_TYPE === 'postgresdb' ? openPostgres(appDir) : openDatabase(appDir, userFolder, true);
	try {
		return await all(
			`select e.id, e."workflowId", e.status, e.mode, d.data from execution_entity e
			 join execution_data d on d."executionId" = e.id where e."workflowId" like ? order by e.id`,
			[pattern],
		);
	} finally {
		await close();
	}
}

/** The workflow of the durable scheduler's backoff check (trigger-check.js backoff). */
const BACKOFF_WORKFLOW_ID = 'wfTriggerBackoff';
// The copy of a Get or Wait workflow of e2e/fixtures.js that a one-vendor package runs, on
// documents of its own (e2e/packages-check.js fixtures).
const aloneWorkflowId = (id) => `${id.slice(0, 13)}One`;

module.exports = {
	reporter,
	stripColours,
	readExecution,
	nodeItems,
	describeExecution,
	triggerWorkflowId,
	publishWorkflows,
	readExecutions,
	openDatabase,
	BACKOFF_WORKFLOW_ID,
	aloneWorkflowId,
};
