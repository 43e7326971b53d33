#!/usr/bin/env node
// Moves workflows saved with the all-in-one package `n8n-nodes-indexing-status` over to the
// one-vendor packages (`n8n-nodes-indexing-status-dify`, …). n8n stores a node's type with its
// package's name in front (`n8n-nodes-indexing-status.difyKnowledge`); the one-vendor packages keep
// every node and credential type name, so only that prefix changes
// (`n8n-nodes-indexing-status-dify.difyKnowledge`). Credentials stay attached: their type names
// are the same in both.
//
// Usage: node scripts/migrate-workflows.js <workflow.json | folder of them> [<output file or folder>]
//   Reads workflows as n8n exports them (`n8n export:workflow`, or Download in the editor: one
//   workflow or an array), rewrites the node types, and writes them to the output (default: in
//   place). Prints, per file, how many nodes moved to which package. Run it, then import the
//   output (`n8n import:workflow`, or Import from File), install the one-vendor packages the
//   summary names, and uninstall the all-in-one package.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { PREFIX, vendors } = require('./packages/vendors');

/** Node type names (without package) → the one-vendor package that holds them. */
function packageOfType() {
	const map = new Map();
	for (const entry of vendors) for (const type of entry.types) map.set(type, entry.package);
	return map;
}

/**
 * Rewrites one workflow's node types; returns the packages it now needs. An AI tool variant
 * (`…Tool`, made by n8n from a node with usableAsTool) moves with its node.
 */
function migrateWorkflow(workflow, map = packageOfType()) {
	const moved = {};
	for (const node of workflow.nodes ?? []) {
		if (typeof node.type !== 'string' || !node.type.startsWith(`${PREFIX}.`)) continue;
		const type = node.type.slice(PREFIX.length + 1);
		const target = map.get(type) ?? (type.endsWith('Tool') ? map.get(type.slice(0, -4)) : undefined);
		if (!target) throw new Error(`node "${node.name}" has the type ${node.type}, which no one-vendor package holds`);
		node.type = `${target}.${type}`;
		moved[target] = (moved[target] ?? 0) + 1;
	}
	return moved;
}

function migrateFile(input, output) {
	const data = JSON.parse(fs.readFileSync(input, 'utf8'));
	const workflows = Array.isArray(data) ? data : [data];
	const moved = {};
	for (const workflow of workflows) {
		for (const [pkg, count] of Object.entries(migrateWorkflow(workflow))) moved[pkg] = (moved[pkg] ?? 0) + count;
	}
	fs.writeFileSync(output, `${JSON.stringify(data, null, '\t')}\n`);
	return moved;
}

if (require.main === module) {
	const [input, output = input] = process.argv.slice(2);
	if (!input) {
		console.error('usage: node scripts/migrate-workflows.js <workflow.json | folder> [<output file or folder>]');
		process.exit(2);
	}
	try {
		const files = fs.statSync(input).isDirectory()
			? fs.readdirSync(input).filter((f) => f.endsWith('.json')).map((f) => [path.join(input, f), path.join(output, f)])
			: [[input, output]];
		if (output !== input && fs.statSync(input).isDirectory()) fs.mkdirSync(output, { recursive: true });
		for (const [from, to] of files) {
			const moved = migrateFile(from, to);
			const summary = Object.entries(moved).map(([pkg, n]) => `${n} node${n === 1 ? '' : 's'} to ${pkg}`).join(', ');
			console.log(`${from}: ${summary || `no ${PREFIX} nodes`}`);
		}
	} catch (error) {
		console.error(`migrate-workflows: ${error.message}`);
		process.exit(1);
	}
}

module.exports = { migrateWorkflow, packageOfType };
