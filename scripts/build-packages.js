#!/usr/bin/env node
// `npm run build:packages` (after `npm run build`): one npm package per vendor, from the same
// dist/ as the all-in-one package, for n8n's verification (one third-party service per package).
// Each package in dist-packages/<name>/ and its tarball dist-packages/<name>-<version>.tgz holds:
//   - the vendor's action node, trigger and credential, and every compiled file they require (the
//     engine under dist/nodes/shared, the signers), found by following their relative requires,
//     so the package is whole on its own: no runtime dependency, no shared package;
//   - codex files naming the nodes under the package's own name, the icons;
//   - package.json: the `n8n` section, keywords, MIT, `peerDependencies: { "n8n-workflow": "*" }`
//     only, and the version, author, repository, homepage and bugs of the root package.json (the
//     release fills those in);
//   - README.md (the vendor's part of README.md, scripts/packages/readme.js), LICENSE, the vendor's
//     examples (node types moved to the package) and screenshots.
// Then it loads every node and credential from the package folder as n8n does, and fails on a
// missing file, a wrong name, a require outside the package or a non-English character.
// Usage: node scripts/build-packages.js [vendor…]   (default: every vendor of scripts/packages/vendors.js)
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { PREFIX, vendors } = require('./packages/vendors');
const { vendorPart, NON_ENGLISH } = require('./packages/readme');
const { migrateWorkflow } = require('./migrate-workflows');

const root = path.resolve(__dirname, '..');
const OUT = path.join(root, 'dist-packages');
const rootPkg = require(path.join(root, 'package.json'));
const problems = [];

/** Every compiled file `file` requires through relative paths, itself included. */
function requireClosure(files) {
	const seen = new Set();
	const queue = [...files];
	while (queue.length) {
		const file = queue.pop();
		if (seen.has(file)) continue;
		seen.add(file);
		const source = fs.readFileSync(path.join(root, file), 'utf8');
		for (const [, request] of source.matchAll(/require\("([^"]+)"\)/g)) {
			if (!request.startsWith('.')) {
				if (request !== 'n8n-workflow' && !/^(node:)?crypto$/.test(request)) problems.push(`${file} requires ${request}, which a community package cannot ship`);
				continue;
			}
			const target = path.posix.join(path.posix.dirname(file), request);
			const resolved = [`${target}.js`, `${target}/index.js`, target].find((candidate) => fs.existsSync(path.join(root, candidate)));
			if (!resolved) problems.push(`${file} requires ${request}, which is not in dist/`);
			else queue.push(resolved);
		}
	}
	return [...seen].sort();
}

function copy(from, to) {
	fs.mkdirSync(path.dirname(to), { recursive: true });
	fs.copyFileSync(from, to);
}

function manifest(entry) {
	const pick = (...keys) => Object.fromEntries(keys.filter((k) => rootPkg[k] !== undefined).map((k) => [k, rootPkg[k]]));
	return {
		name: entry.package,
		version: rootPkg.version,
		description: `n8n nodes that report and wait for document indexing in ${entry.stores}: Get Indexing Status, Wait Until Indexed and a trigger`,
		keywords: ['n8n-community-node-package', 'n8n', ...entry.keywords, 'knowledge base', 'indexing', 'rag'],
		license: 'MIT',
		...pick('author', 'homepage', 'repository', 'bugs'),
		main: 'index.js',
		files: ['index.js', 'dist', 'examples', 'docs'],
		engines: rootPkg.engines,
		n8n: { n8nNodesApiVersion: 1, credentials: entry.credentials, nodes: entry.nodes },
		peerDependencies: { 'n8n-workflow': '*' },
	};
}

function build(entry) {
	const dir = path.join(OUT, entry.package);
	fs.rmSync(dir, { recursive: true, force: true });
	const code = requireClosure([...entry.nodes, ...entry.credentials]);
	for (const file of [...code, ...entry.icons]) copy(path.join(root, file), path.join(dir, file));
	for (const file of entry.nodes) {
		const codexFile = file.replace(/\.js$/, '.json');
		const codex = JSON.parse(fs.readFileSync(path.join(root, codexFile), 'utf8'));
		codex.node = codex.node.replace(`${PREFIX}.`, `${entry.package}.`);
		for (const doc of codex.resources?.primaryDocumentation ?? []) doc.url = `https://www.npmjs.com/package/${entry.package}`;
		fs.writeFileSync(path.join(dir, codexFile), `${JSON.stringify(codex, null, '\t')}\n`);
	}
	for (const example of entry.examples) {
		const workflow = JSON.parse(fs.readFileSync(path.join(root, 'examples', example), 'utf8'));
		const moved = migrateWorkflow(workflow);
		if (Object.keys(moved).some((pkg) => pkg !== entry.package)) problems.push(`examples/${example} uses nodes of ${Object.keys(moved).join(', ')}`);
		fs.mkdirSync(path.join(dir, 'examples'), { recursive: true });
		fs.writeFileSync(path.join(dir, 'examples', example), `${JSON.stringify(workflow, null, '\t')}\n`);
	}
	for (const shot of entry.readme.screenshots) copy(path.join(root, 'docs', shot), path.join(dir, 'docs', shot));
	copy(path.join(root, 'LICENSE'), path.join(dir, 'LICENSE'));
	copy(path.join(root, 'index.js'), path.join(dir, 'index.js'));
	fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest(entry), null, 2)}\n`);
	fs.writeFileSync(path.join(dir, 'README.md'), readme(entry));
	check(entry, dir);
	return dir;
}

function readme(entry) {
	const [actionType, triggerType] = entry.types;
	const part = vendorPart(fs.readFileSync(path.join(root, 'README.md'), 'utf8'), vendors, entry);
	return `# ${entry.package}

n8n community nodes that tell you when documents you loaded into ${entry.store}
are indexed: an action node (\`${actionType}\`: Get Indexing Status, Wait Until Indexed, also an AI
agent tool) and a polling trigger (\`${triggerType}\`), with the credential they share. Every node
outputs the same normalized items, one per document, so a workflow can branch on \`status\`.

This package holds ${entry.service} only, as n8n's verification asks of community packages (one
service per package). The same nodes for several services come in the all-in-one package
[\`${PREFIX}\`](https://www.npmjs.com/package/${PREFIX}); install one or the other, not both.

## Install

In n8n: **Settings → Community Nodes → Install**, and enter \`${entry.package}\`. On n8n Cloud and
for verified nodes, search the nodes panel for ${entry.service}.

## Moving from \`${PREFIX}\`

The node and credential type names are the same as in the all-in-one package; only the package
name that n8n stores in front of each node type changes: \`${PREFIX}.${actionType}\` becomes
\`${entry.package}.${actionType}\`. Saved credentials keep working unchanged. To move a workflow:

1. Download it (or \`n8n export:workflow --id <id> --output=workflow.json\`).
2. Replace \`"${PREFIX}.\` with \`"${entry.package}.\` in the file, for example
   \`sed -i 's/"${PREFIX}\\./"${entry.package}./g' workflow.json\`.
3. Uninstall \`${PREFIX}\`, install \`${entry.package}\`, and import the file over the old workflow
   (same id).

${part}
## License

MIT
`;
}

/** Loads the package as n8n does (require, then `new`) and checks names, icons and text. */
function check(entry, dir) {
	const label = entry.package;
	const instantiate = (file) => {
		const classes = Object.values(require(path.join(dir, file))).filter((value) => typeof value === 'function');
		if (classes.length !== 1) throw new Error(`exports ${classes.length} classes, expected 1`);
		return new classes[0]();
	};
	const icons = (icon, file) => (typeof icon === 'string' ? [icon] : Object.values(icon ?? {})).map((v) => path.join(path.dirname(path.join(dir, file)), String(v).replace(/^file:/, '')));
	const names = [];
	for (const file of [...entry.nodes, ...entry.credentials]) {
		try {
			const loaded = instantiate(file);
			const description = loaded.description ?? loaded;
			names.push(description.name);
			for (const icon of icons(description.icon, file)) if (!fs.existsSync(icon)) problems.push(`${label}: ${file}: icon ${path.relative(dir, icon)} is missing`);
			if (loaded.description) {
				const codex = JSON.parse(fs.readFileSync(path.join(dir, file.replace(/\.js$/, '.json')), 'utf8'));
				if (codex.node !== `${entry.package}.${description.name}`) problems.push(`${label}: ${file}: codex node ${codex.node}`);
				for (const credential of description.credentials ?? []) {
					if (!entry.credentials.some((c) => instantiate(c).name === credential.name)) problems.push(`${label}: ${file} needs credential ${credential.name}, which the package lacks`);
				}
			}
		} catch (error) {
			problems.push(`${label}: ${file}: ${error.message}`);
		}
	}
	for (const type of [...entry.types, ...entry.credentialTypes]) if (!names.includes(type)) problems.push(`${label}: no node or credential of type ${type}`);
	const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
	for (const file of walk(dir).filter((f) => /\.(js|json|md)$/.test(f))) {
		const lineNo = fs.readFileSync(file, 'utf8').split('\n').findIndex((line) => NON_ENGLISH.test(line));
		if (lineNo >= 0) problems.push(`${label}: ${path.relative(dir, file)}:${lineNo + 1} is not English only`);
	}
	const readmeText = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
	for (const [, link] of readmeText.matchAll(/\]\(((?:docs|examples)\/[^)#]+)\)/g)) {
		if (!fs.existsSync(path.join(dir, link))) problems.push(`${label}: README.md links to ${link}, which the package does not ship`);
	}
}

if (!fs.existsSync(path.join(root, 'dist'))) {
	console.error('build:packages: no dist/ folder; run `npm run build` first');
	process.exit(2);
}
const wanted = process.argv.slice(2);
const unknown = wanted.filter((v) => !vendors.some((e) => e.vendor === v));
if (unknown.length) {
	console.error(`build:packages: unknown vendor ${unknown.join(', ')}; known: ${vendors.map((e) => e.vendor).join(', ')}`);
	process.exit(2);
}
fs.mkdirSync(OUT, { recursive: true });
for (const old of fs.readdirSync(OUT).filter((f) => f.endsWith('.tgz'))) fs.rmSync(path.join(OUT, old));
for (const entry of vendors.filter((e) => wanted.length === 0 || wanted.includes(e.vendor))) {
	const dir = build(entry);
	if (problems.some((p) => p.startsWith(`${entry.package}:`) || !p.includes(':'))) continue;
	const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', OUT], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
	console.log(`${packed.filename}: ${(packed.size / 1024).toFixed(1)} kB packed, ${(packed.unpackedSize / 1024).toFixed(1)} kB unpacked, ${packed.entryCount} files`);
}
for (const problem of problems) console.log(`FAIL ${problem}`);
console.log(`build:packages: ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
