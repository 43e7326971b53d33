// What each editor screenshot of docs/ shows, recorded beside it, so that a screenshot cannot go
// stale unnoticed: docs/editor-<vendor>-<action|trigger|credential>.png has
// docs/editor-<vendor>-<…>.json, the parameters a new node (or the credential dialog) shows: name,
// display name, type and, for knowledge base pickers, their modes.
//
// e2e/editor-check.js writes a record beside every screenshot it takes. `npm run e2e` always runs
//   node e2e/parameter-records.js check <docs folder>
// which computes the same record from the built package and fails for every screenshot whose
// record differs (a parameter added, removed, renamed or retyped since the picture was taken). To
// take the pictures and records again: E2E_EDITOR=1 E2E_EDITOR_SHOTS=docs npm run e2e
// (needs Chromium; see README.md).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

function load(file) {
	const exported = require(path.join(ROOT, file));
	return new (Object.values(exported).find((value) => typeof value === 'function'))();
}

/** Top-level parameters n8n shows for a new node (their show/hide conditions met by the defaults). */
function shownParameters(properties) {
	const defaults = Object.fromEntries(properties.map((p) => [p.name, p.default]));
	const matches = (conditions, wanted) => Object.entries(conditions ?? {}).every(([name, values]) => values.includes(defaults[name]) === wanted);
	return properties.filter((p) => p.type !== 'notice' && matches(p.displayOptions?.show, true) && matches(p.displayOptions?.hide, false));
}

const describe = (p) => ({
	name: p.name,
	displayName: p.displayName,
	type: p.type,
	...(p.modes ? { modes: p.modes.map((m) => m.name) } : {}),
	...(p.type === 'options' && !p.typeOptions?.loadOptionsMethod ? { options: (p.options ?? []).map((o) => o.value) } : {}),
});

/** Every record the package's nodes and credentials give: { 'editor-dify-action.json': {...}, … }. */
function records(slugs) {
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const nodes = pkg.n8n.nodes.map(load).map((n) => n.description);
	const credentials = pkg.n8n.credentials.map(load);
	const out = {};
	for (const { slug, action, trigger } of slugs) {
		for (const [kind, name] of [['action', action], ['trigger', trigger]]) {
			const desc = nodes.find((d) => d.name === name);
			if (!desc) throw new Error(`no node ${name} in the package`);
			out[`editor-${slug}-${kind}.json`] = { node: name, displayName: desc.displayName, parameters: shownParameters(desc.properties).map(describe) };
		}
		const credentialName = nodes.find((d) => d.name === action).credentials?.[0]?.name;
		const credential = credentials.find((c) => c.name === credentialName);
		out[`editor-${slug}-credential.json`] = { credential: credentialName, displayName: credential.displayName, parameters: shownParameters(credential.properties).map(describe) };
	}
	return out;
}

/** The vendors the editor check photographs, by slug, with their node types. */
const SLUGS = [
	{ slug: 'dify', action: 'difyKnowledge', trigger: 'difyKnowledgeTrigger' },
	{ slug: 'coze', action: 'cozeKnowledge', trigger: 'cozeKnowledgeTrigger' },
	{ slug: 'bailian', action: 'bailianKnowledge', trigger: 'bailianKnowledgeTrigger' },
	{ slug: 'kendra', action: 'amazonKendra', trigger: 'amazonKendraTrigger' },
	{ slug: 'openai', action: 'openAiVectorStore', trigger: 'openAiVectorStoreTrigger' },
	{ slug: 'bedrock', action: 'amazonBedrockKnowledgeBase', trigger: 'amazonBedrockKnowledgeBaseTrigger' },
];

function write(dir, file) {
	const record = records(SLUGS)[file];
	if (record) fs.writeFileSync(path.join(dir, file), `${JSON.stringify(record, null, '\t')}\n`);
}

function check(dir) {
	const { reporter } = require('./lib');
	const r = reporter('screenshots');
	for (const [file, record] of Object.entries(records(SLUGS))) {
		const picture = file.replace(/\.json$/, '.png');
		let saved = null;
		try {
			saved = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
		} catch {}
		const now = JSON.stringify(record);
		const diff = () => {
			const names = (rec) => (rec?.parameters ?? []).map((p) => JSON.stringify(p));
			const was = names(saved);
			const is = names(record);
			return [...is.filter((p) => !was.includes(p)).map((p) => `now ${p}`), ...was.filter((p) => !is.includes(p)).map((p) => `pictured ${p}`)].join('; ');
		};
		r.check(
			saved !== null && JSON.stringify(saved) === now && fs.existsSync(path.join(dir, picture)),
			`docs/${picture} shows today's ${record.node ?? record.credential} (${record.parameters.map((p) => p.name).join(', ')})` +
				(saved === null ? `: no record docs/${file}` : JSON.stringify(saved) === now ? '' : `: stale, retake with E2E_EDITOR=1 E2E_EDITOR_SHOTS=docs npm run e2e (${diff()})`),
		);
	}
	r.exit();
}

if (require.main === module) {
	const [command, dir] = process.argv.slice(2);
	if (command === 'check' && dir) check(dir);
	else {
		console.error('usage: node e2e/parameter-records.js check <docs folder>');
		process.exit(2);
	}
}

module.exports = { write, shownParameters, SLUGS };
