// The one-vendor packages of `npm run build:packages` in real n8n (e2e/run.sh, E2E_PACKAGES=1 by
// default). Each is installed alone into a fresh user folder, as n8n's community package installer
// does; its workflows are the e2e's own as the all-in-one package's n8n saved and exported them,
// moved over with scripts/migrate-workflows.js, which is how users move theirs. Run under the n8n
// install's Node 24 (sqlite3 and flatted are the install's).
//
//   fixtures <work folder>
//       Before the import: writes <work>/sim-alone.json, sim.json with the fields each package's Get
//       and Wait read replaced by `alone` (documents and jobs nothing else reads), and each vendor's
//       Get and Wait workflows of e2e/fixtures.js for them into <work>/workflows/, under the ids of
//       lib.aloneWorkflowId. They are imported and exported with the all-in-one package's
//       workflows but run only on the vendor's package, so that their checks hold on their own.
//   prepare <vendor> <work folder> <out folder>
//       Writes <out>/credentials.json (the vendor's e2e credentials) and <out>/workflows/ (the
//       exported Get and Wait workflows of `fixtures` and the trigger workflow of e2e/fixtures.js,
//       migrated), and checks that every node of the vendor moved to its package and nothing else
//       changed.
//   publish <n8n app folder> <N8N_USER_FOLDER> <workflow id>
//       Publishes the trigger workflow, so that n8n activates it at start.
//   trigger <vendor> <n8n app folder> <N8N_USER_FOLDER> <prepared folder> <workflow id>
//       Waits up to 60 s for the activation poll's execution: successful, with normalized items of
//       the vendor from the trigger node of the one-vendor package.
//   side-by-side <vendor> <work folder> <out folder>
//       Writes the workflows of the side-by-side check: the Get workflow as the all-in-one package
//       saved it, and its migrated copy under another id, both using the same credential.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const os = require('node:os');
const { reporter, publishWorkflows, readExecutions, aloneWorkflowId } = require('./lib');
const { vendors, PREFIX } = require('../scripts/packages/vendors');
const { migrateWorkflow } = require('../scripts/migrate-workflows');

const entryOf = (vendor) => {
	const entry = vendors.find((e) => e.vendor === vendor);
	if (!entry) throw new Error(`unknown vendor ${vendor}`);
	return entry;
};
const workflowIds = (entry) => [aloneWorkflowId(entry.e2e.get[0]), aloneWorkflowId(entry.e2e.wait[0]), entry.e2e.trigger];
const exported = (work, id) => JSON.parse(fs.readFileSync(path.join(work, 'exported', `${id}.json`), 'utf8'));

function fixtures(work) {
	const sim = JSON.parse(fs.readFileSync(path.join(work, 'sim.json'), 'utf8'));
	const { coze, kendra, bailian, openai, bedrock, ...dify } = sim.alone;
	const alone = {
		...sim,
		...dify,
		coze: { ...sim.coze, ...coze },
		kendra: { ...sim.kendra, ...kendra },
		bailian: { ...sim.bailian, ...bailian },
		openai: { ...sim.openai, ...openai },
		bedrock: { ...sim.bedrock, ...bedrock },
	};
	const simAlone = path.join(work, 'sim-alone.json');
	fs.writeFileSync(simAlone, JSON.stringify(alone, null, 2));
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'alone-fixtures-'));
	execFileSync(process.execPath, [path.join(__dirname, 'fixtures.js'), simAlone, out], { stdio: 'ignore' });
	fs.mkdirSync(path.join(work, 'workflows'), { recursive: true });
	const written = [];
	for (const entry of vendors) {
		for (const id of [entry.e2e.get[0], entry.e2e.wait[0]]) {
			const workflow = JSON.parse(fs.readFileSync(path.join(out, 'workflows', `${id}.json`), 'utf8'));
			workflow.id = aloneWorkflowId(id);
			workflow.name = `${workflow.name} (${entry.package} alone)`;
			fs.writeFileSync(path.join(work, 'workflows', `${workflow.id}.json`), JSON.stringify(workflow, null, 1));
			written.push(workflow.id);
		}
	}
	fs.rmSync(out, { recursive: true, force: true });
	console.log(`one-vendor packages' Get and Wait workflows on documents of their own: ${written.join(' ')}`);
}

function prepare(vendor, work, out) {
	const entry = entryOf(vendor);
	const r = reporter(`package ${vendor}`);
	const credentials = JSON.parse(fs.readFileSync(path.join(work, 'credentials.json'), 'utf8')).filter((c) => entry.credentialTypes.includes(c.type));
	fs.mkdirSync(path.join(out, 'workflows'), { recursive: true });
	fs.writeFileSync(path.join(out, 'credentials.json'), JSON.stringify(credentials, null, 1));
	for (const id of workflowIds(entry)) {
		const saved = exported(work, id);
		const before = JSON.stringify(saved.nodes);
		const moved = migrateWorkflow(saved);
		const ours = saved.nodes.filter((n) => n.type.startsWith(`${entry.package}.`));
		// The migration changes the types of the vendor's nodes and nothing else.
		const restored = JSON.stringify(saved.nodes.map((n) => (n.type.startsWith(`${entry.package}.`) ? { ...n, type: n.type.replace(`${entry.package}.`, `${PREFIX}.`) } : n)));
		r.check(
			Object.keys(moved).join() === entry.package && ours.length === moved[entry.package] && restored === before,
			`${id} (${saved.name}), as the all-in-one package saved it, migrated: ${ours.map((n) => n.type).join(', ')}; nothing else changed`,
		);
		fs.writeFileSync(path.join(out, 'workflows', `${id}.json`), JSON.stringify(saved, null, 1));
	}
	r.exit();
}

async function publish(appDir, userFolder, id) {
	const r = reporter('package');
	try {
		r.check((await publishWorkflows(appDir, userFolder, [id])) === 1, `trigger workflow ${id} published`);
	} catch (error) {
		r.check(false, `publishing ${id}: ${error.message}`);
	}
	r.exit();
}

async function trigger(vendor, appDir, userFolder, prepared, id) {
	const entry = entryOf(vendor);
	const r = reporter(`package ${vendor}`);
	const { parse } = require(path.join(appDir, 'node_modules/flatted'));
	const deadline = Date.now() + 60_000;
	let rows = [];
	while (Date.now() < deadline) {
		rows = await readExecutions(appDir, userFolder, id);
		if (rows.some((row) => row.status !== 'new' && row.status !== 'running')) break;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	const done = rows.find((row) => row.status === 'success');
	const workflow = JSON.parse(fs.readFileSync(path.join(prepared, 'workflows', `${id}.json`), 'utf8'));
	const node = workflow.nodes.find((n) => n.type === `${entry.package}.${entry.types[1]}`);
	const items = done && node ? (parse(done.data).resultData.runData[node.name]?.[0]?.data?.main?.[0] ?? []) : [];
	r.check(
		Boolean(node) && items.length > 0 && items.every((item) => item.json.vendor === vendor && item.json.terminal === true),
		`the trigger ${node?.type ?? '(no node of the package)'} polled at activation and its execution ${done?.id ?? '(none)'} carries ${items.length} terminal ${vendor} documents (${rows.map((row) => `${row.id} ${row.status} ${row.mode}`).join(', ') || 'no execution'})`,
	);
	r.exit();
}

function sideBySide(vendor, work, out) {
	const entry = entryOf(vendor);
	const [id] = entry.e2e.get;
	const saved = exported(work, id);
	fs.mkdirSync(out, { recursive: true });
	fs.writeFileSync(path.join(out, `${id}.json`), JSON.stringify(saved, null, 1));
	const copy = exported(work, id);
	migrateWorkflow(copy);
	copy.id = `${id.slice(0, 13)}PKG`;
	copy.name = `${copy.name} (${entry.package})`;
	fs.writeFileSync(path.join(out, `${copy.id}.json`), JSON.stringify(copy, null, 1));
	console.log(`${id} ${copy.id}`);
}

const [command, ...args] = process.argv.slice(2);
const commands = { fixtures, prepare, publish, trigger, 'side-by-side': sideBySide };
if (commands[command]) {
	Promise.resolve()
		.then(() => commands[command](...args))
		.catch((error) => {
			console.log(`FAIL [package] ${command} crashed: ${error.message}`);
			process.exit(1);
		});
} else {
	console.error('usage: packages-check.js fixtures|prepare|publish|trigger|side-by-side … (see the head of the file)');
	process.exit(2);
}
