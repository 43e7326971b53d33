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

module.exports = { reporter, stripColours, readExecution, nodeItems, describeExecution };
