#!/usr/bin/env node
// After `npm run build`: loads every node and credential that package.json announces to n8n,
// from dist/, the way n8n does (require, then `new`), and checks icons and codex files are there.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const pkg = require(path.join(root, 'package.json'));
const problems = [];
let loaded = 0;

function instantiate(file) {
	const exported = require(path.join(root, file));
	const classes = Object.values(exported).filter((value) => typeof value === 'function');
	if (classes.length !== 1) throw new Error(`exports ${classes.length} classes, expected 1`);
	return new classes[0]();
}

function iconFiles(icon, dir) {
	const variants = typeof icon === 'string' ? [icon] : Object.values(icon ?? {});
	return variants.map((variant) => path.join(dir, String(variant).replace(/^file:/, '')));
}

for (const file of pkg.n8n.credentials) {
	try {
		const credential = instantiate(file);
		for (const icon of iconFiles(credential.icon, path.dirname(path.join(root, file)))) {
			if (!fs.existsSync(icon)) problems.push(`${file}: icon ${icon} is missing`);
		}
		loaded += 1;
	} catch (error) {
		problems.push(`${file}: ${error.message}`);
	}
}
for (const file of pkg.n8n.nodes) {
	try {
		const node = instantiate(file);
		const dir = path.dirname(path.join(root, file));
		for (const icon of iconFiles(node.description.icon, dir)) {
			if (!fs.existsSync(icon)) problems.push(`${file}: icon ${icon} is missing`);
		}
		const codex = path.join(root, file.replace(/\.js$/, '.json'));
		if (!fs.existsSync(codex)) problems.push(`${file}: codex ${codex} is missing`);
		else if (require(codex).node !== `${pkg.name}.${node.description.name}`) problems.push(`${codex}: wrong node name`);
		loaded += 1;
	} catch (error) {
		problems.push(`${file}: ${error.message}`);
	}
}
for (const problem of problems) console.log(`FAIL ${problem}`);
console.log(`dist: ${loaded} loaded, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
