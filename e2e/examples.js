// Checks the importable workflows in examples/*.json against real n8n. Subcommands:
//
//   recognize <n8n app folder> <N8N_USER_FOLDER> <example.json>...
//       Runs under the n8n install's Node with its n8n-workflow. Reads the node and credential
//       types n8n generated at start (the files it serves the editor as /types/nodes.json and
//       /types/credentials.json), then resolves each example node's parameters with
//       NodeHelpers.getNodeParameters, as the editor does when it opens a workflow: a parameter
//       the node does not know, or one hidden by the displayOptions of the values around it, is
//       dropped there, and would silently be lost for a user. Also: option values that are not
//       among the options, parameter issues n8n itself reports (required fields, IF/Switch
//       conditions), unknown node types or versions, and credentials a node cannot use.
//
//   roundtrip <exported folder> <example.json>...
//       Compares what `n8n export:workflow` gives back after `n8n import:workflow` with the file.
//
//   prepare <sim.json> <out folder> <example.json>...
//       Writes runnable copies of the examples that start with a Manual Trigger: vendor URLs point
//       at the simulator, YOUR-DATASET-ID becomes a simulator dataset, credential ids become the
//       e2e credentials (imported by e2e/run.sh from e2e/fixtures.js). Nothing else changes, so
//       the run checks the example as shipped. Writes <out folder>/runs.json.
//
//   check-run <runs.json entry id> <runs.json> <n8n execute output> <sim.json>
//       Checks one execution of a prepared copy.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { reporter, readExecution, nodeItems, describeExecution } = require('./lib');

const PACKAGE_PREFIX = 'n8n-nodes-indexing-status.';
const isExpression = (value) => typeof value === 'string' && value.startsWith('=');
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const base = (file) => path.basename(file);

// How each vendor's example is pointed at the simulator: its URLs, its placeholders (YOUR-…) and
// its credential. A new vendor's example needs an entry here to be executed; until then it is still
// imported and its parameters checked. `isUpload` picks the upload call out of the simulator's
// request log.
function vendors(sim) {
	return [
		{
			credentialType: 'difyKnowledgeApi',
			e2eCredential: { id: 'difyCredE2E00001', name: 'Dify sim' },
			replace: [
				['https://api.dify.ai/v1', sim.baseUrl],
				['YOUR-DATASET-ID', sim.exampleDatasetId],
			],
			isUpload: (q) => q.method === 'POST' && /\/document\/create[-_]by[-_]text$/.test(q.path),
		},
		{
			credentialType: 'cozeApi',
			e2eCredential: { id: 'cozeCredE2E00001', name: 'Coze sim' },
			replace: [
				['https://api.coze.cn', sim.coze.baseUrl],
				['https://api.coze.com', sim.coze.baseUrl],
				['YOUR-DATASET-ID', sim.coze.exampleDatasetId],
			],
			isUpload: (q) => q.method === 'POST' && /^\/open_api\/knowledge\/document\/create$/.test(q.path),
		},
		{
			credentialType: 'bailianApi',
			e2eCredential: { id: 'bailCredE2E00001', name: 'Bailian sim' },
			replace: [
				['https://bailian.cn-beijing.aliyuncs.com', sim.bailian.endpoint],
				['YOUR-WORKSPACE-ID', sim.bailian.workspaceId],
				['YOUR-INDEX-ID', sim.bailian.exampleIndexId],
				['YOUR-FILE-ID', sim.bailian.exampleFileId],
			],
			isUpload: (q) => q.method === 'POST' && /\/index\/add_documents_to_index$/.test(q.path),
		},
		{
			credentialType: 'amazonKendraApi',
			e2eCredential: { id: 'kendraCredE2E001', name: 'Kendra sim' },
			replace: [
				['https://kendra.us-east-1.amazonaws.com', sim.kendra.baseUrl],
				['YOUR-INDEX-ID', sim.kendra.exampleIndexId],
			],
			isUpload: (q) => q.method === 'POST' && q.amzTarget === 'AWSKendraFrontendService.BatchPutDocument',
		},
		{
			credentialType: 'openAiVectorStoreApi',
			e2eCredential: { id: 'openAiCredE2E001', name: 'OpenAI sim' },
			replace: [
				['https://api.openai.com/v1', sim.openai.baseUrl],
				['YOUR-VECTOR-STORE-ID', sim.openai.exampleStoreId],
			],
			// The file goes up first (POST /files); the batch that adds it to the store is what the node waits on.
			isUpload: (q) => q.method === 'POST' && /^\/vector_stores\/[^/]+\/file_batches$/.test(q.path),
		},
		{
			credentialType: 'amazonBedrockKnowledgeBaseApi',
			e2eCredential: { id: 'bedrCredE2E00001', name: 'Bedrock sim' },
			replace: [
				['https://bedrock-agent.us-east-1.amazonaws.com', sim.bedrock.baseUrl],
				['YOUR-KNOWLEDGE-BASE-ID', sim.bedrock.example.knowledgeBaseId],
				['YOUR-DATA-SOURCE-ID', sim.bedrock.example.dataSourceId],
			],
			// StartIngestionJob, which AWS answers 202 Accepted.
			isUpload: (q) => q.method === 'PUT' && /\/ingestionjobs\/$/.test(q.path),
		},
	];
}

// The one change a runnable copy may get beyond those: a Wait node of minutes or hours (the
// long-jobs loop) waits a few seconds instead, so the loop goes round within the check.
const SHORT_WAIT = { amount: 6, unit: 'seconds' };

// ---------------------------------------------------------------------------------------------

/** Leaf paths of a parameter object, e.g. options.outputMode or rules.values[0].outputKey. */
function leaves(value, prefix = '') {
	if (value === null || typeof value !== 'object') return [[prefix, value]];
	const entries = Array.isArray(value) ? value.map((v, i) => [`${prefix}[${i}]`, v]) : Object.entries(value).map(([k, v]) => [prefix ? `${prefix}.${k}` : k, v]);
	// An empty object or array is a value in itself (e.g. "options": {}).
	if (entries.length === 0) return [[prefix, value]];
	return entries.flatMap(([p, v]) => leaves(v, p));
}

function valueAt(object, leafPath) {
	const parts = leafPath.match(/[^.[\]]+/g) ?? [];
	return parts.reduce((current, key) => (current === undefined || current === null ? undefined : current[key]), object);
}

/**
 * Option values that are not among a property's options, walking collections and fixed
 * collections. A name can have several property variants (HTTP Request's specifyBody differs by
 * content type); a value is wrong only if no variant n8n would display allows it.
 */
function badOptionValues(NodeHelpers, node, type, properties, values, root, prefix = '') {
	const problems = [];
	const names = [...new Set(properties.map((p) => p.name))];
	for (const name of names) {
		const value = values?.[name];
		if (value === undefined) continue;
		const here = prefix ? `${prefix}.${name}` : name;
		const variants = properties.filter((p) => p.name === name);
		const shown = variants.filter((p) => NodeHelpers.displayParameter(values, p, node, type, root));
		const candidates = shown.length > 0 ? shown : variants;
		const property = candidates[0];
		if (property.type === 'options' && !isExpression(value)) {
			const allowed = candidates.flatMap((p) => (Array.isArray(p.options) ? p.options.map((o) => o.value) : []));
			// Options loaded at run time (typeOptions.loadOptionsMethod) cannot be checked here.
			if (allowed.length > 0 && !allowed.includes(value)) problems.push(`${here}=${JSON.stringify(value)} (allowed: ${allowed.join(', ')})`);
		} else if (property.type === 'collection' && value && typeof value === 'object' && !Array.isArray(value)) {
			problems.push(...badOptionValues(NodeHelpers, node, type, property.options ?? [], value, root, here));
		} else if (property.type === 'fixedCollection' && value && typeof value === 'object') {
			for (const group of property.options ?? []) {
				const groupValue = value[group.name];
				for (const [i, entry] of (Array.isArray(groupValue) ? groupValue : groupValue ? [groupValue] : []).entries()) {
					problems.push(...badOptionValues(NodeHelpers, node, type, group.values ?? [], entry, root, `${here}.${group.name}[${i}]`));
				}
			}
		}
	}
	return problems;
}

function findType(nodeTypes, name, version) {
	return nodeTypes.find((t) => t.name === name && (Array.isArray(t.version) ? t.version.includes(version) : t.version === version));
}

function recognize(appDir, userFolder, files) {
	const { NodeHelpers } = require(path.join(appDir, 'node_modules/n8n-workflow'));
	const typesDir = path.join(userFolder, '.cache/n8n/public/types');
	const nodeTypes = readJson(path.join(typesDir, 'nodes.json'));
	const credentialTypes = readJson(path.join(typesDir, 'credentials.json'));
	const r = reporter('examples');
	for (const file of files) {
		const workflow = readJson(file);
		const name = base(file);
		const unknownTypes = [];
		const unrecognized = [];
		const credentialProblems = [];
		for (const node of workflow.nodes) {
			const type = findType(nodeTypes, node.type, node.typeVersion);
			if (!type) {
				unknownTypes.push(`${node.name}: ${node.type} v${node.typeVersion}`);
				continue;
			}
			const resolved = NodeHelpers.getNodeParameters(type.properties, node.parameters, true, false, node, type);
			for (const [leafPath, value] of leaves(node.parameters)) {
				if (leafPath === '') continue; // a node with no parameters
				const kept = valueAt(resolved, leafPath);
				const same = JSON.stringify(kept) === JSON.stringify(value) || (typeof value === 'object' && kept !== undefined);
				if (!same) unrecognized.push(`${node.name}: ${leafPath}=${JSON.stringify(value)} (n8n keeps ${JSON.stringify(kept)})`);
			}
			for (const problem of badOptionValues(NodeHelpers, node, type, type.properties, resolved, resolved)) unrecognized.push(`${node.name}: ${problem}`);
			const issues = NodeHelpers.getNodeParametersIssues(type.properties, { ...node, parameters: resolved }, type);
			for (const [parameter, messages] of Object.entries(issues?.parameters ?? {})) {
				unrecognized.push(`${node.name}: ${parameter}: ${[].concat(messages).join('; ')}`);
			}
			// Credentials: the node must declare the type, except the HTTP Request node, which uses
			// any credential whose type it is told in nodeCredentialType and that can authenticate
			// requests (the editor's filter: has:authenticate, or an OAuth type).
			for (const [credentialType, reference] of Object.entries(node.credentials ?? {})) {
				const credential = credentialTypes.find((c) => c.name === credentialType);
				if (!credential) {
					credentialProblems.push(`${node.name}: unknown credential type ${credentialType}`);
				} else if (node.type === 'n8n-nodes-base.httpRequest') {
					if (resolved.authentication !== 'predefinedCredentialType' || resolved.nodeCredentialType !== credentialType) {
						credentialProblems.push(`${node.name}: credential ${credentialType} is not the node's nodeCredentialType (${resolved.nodeCredentialType})`);
					} else if (!credential.authenticate) {
						credentialProblems.push(`${node.name}: ${credentialType} has no authenticate, so HTTP Request cannot use it`);
					}
				} else if (!(type.credentials ?? []).some((c) => c.name === credentialType)) {
					credentialProblems.push(`${node.name}: ${node.type} does not take ${credentialType}`);
				}
				if (!reference?.id || !reference?.name) credentialProblems.push(`${node.name}: ${credentialType} reference needs an id and a name`);
			}
			// A credential the node requires only counts where n8n shows it (HTTP Request's SSL
			// certificate credential is required only with Provide SSL Certificates on).
			const shownCredentials = (type.credentials ?? []).filter((c) => NodeHelpers.displayParameter(resolved, c, node, type));
			for (const required of shownCredentials.filter((c) => c.required)) {
				if (!node.credentials?.[required.name]) credentialProblems.push(`${node.name}: needs a ${required.name} credential`);
			}
		}
		const names = new Set(workflow.nodes.map((n) => n.name));
		const danglingConnections = Object.entries(workflow.connections ?? {}).flatMap(([from, outputs]) =>
			[from, ...Object.values(outputs).flat(2).map((c) => c?.node)].filter((n) => n !== undefined && !names.has(n)),
		);
		const ourNodes = workflow.nodes.filter((n) => n.type.startsWith(PACKAGE_PREFIX)).length;
		r.check(unknownTypes.length === 0 && ourNodes > 0, `${name}: every node type and version is known to n8n, ${ourNodes} from this package${unknownTypes.length ? ` (unknown: ${unknownTypes.join('; ')})` : ''}`);
		r.check(unrecognized.length === 0, `${name}: n8n keeps every parameter as written, with valid option values and no parameter issues${unrecognized.length ? `:\n      ${unrecognized.join('\n      ')}` : ''}`);
		r.check(credentialProblems.length === 0, `${name}: every credential fits its node${credentialProblems.length ? `:\n      ${credentialProblems.join('\n      ')}` : ''}`);
		r.check(danglingConnections.length === 0, `${name}: connections name existing nodes${danglingConnections.length ? ` (unknown: ${danglingConnections.join(', ')})` : ''}`);
	}
	r.exit();
}

function roundtrip(exportDir, files) {
	const r = reporter('examples');
	const exported = fs.readdirSync(exportDir).map((f) => readJson(path.join(exportDir, f)));
	const essentials = (workflow) => ({
		nodes: [...workflow.nodes]
			.sort((a, b) => a.name.localeCompare(b.name))
			.map(({ name, type, typeVersion, parameters, credentials }) => ({ name, type, typeVersion, parameters, credentials })),
		connections: workflow.connections,
	});
	for (const file of files) {
		const original = readJson(file);
		const back = exported.find((w) => w.id === original.id);
		r.check(
			back !== undefined && JSON.stringify(essentials(back)) === JSON.stringify(essentials(original)),
			`${base(file)}: imported and exported again unchanged (nodes, parameters, credentials, connections)`,
		);
	}
	r.exit();
}

// ---------------------------------------------------------------------------------------------

function prepare(simFile, outDir, files) {
	const sim = readJson(simFile);
	const table = vendors(sim);
	const runs = [];
	fs.mkdirSync(outDir, { recursive: true });
	for (const file of files) {
		const workflow = readJson(file);
		const used = new Set(workflow.nodes.flatMap((n) => Object.keys(n.credentials ?? {})));
		const vendor = table.find((v) => used.has(v.credentialType));
		const manual = workflow.nodes.some((n) => n.type === 'n8n-nodes-base.manualTrigger');
		// The Dify trigger example runs in the trigger check (e2e/trigger-check.js), in n8n start.
		// The Document Stuck example ends in a Slack node, which cannot run here: it is imported and
		// checked, and the trigger check runs a Document Stuck trigger of its own.
		const trigger = workflow.nodes.find((n) => n.type === `${PACKAGE_PREFIX}difyKnowledgeTrigger` && n.parameters.event !== 'documentStuck');
		if (!manual && !trigger) continue;
		if (!vendor) {
			console.log(`note: ${base(file)} is not executed: e2e/examples.js has no simulator mapping for its credentials`);
			continue;
		}
		let text = JSON.stringify(workflow);
		const replace = trigger
			? [['YOUR-DATASET-ID', sim.triggers.find((c) => c.key === 'default/dify/whole/documentFinished').target.datasetId]]
			: vendor.replace;
		for (const [from, to] of replace) text = text.split(from).join(to);
		const copy = JSON.parse(text);
		for (const node of copy.nodes) {
			if (node.credentials?.[vendor.credentialType]) node.credentials[vendor.credentialType] = { ...vendor.e2eCredential };
		}
		const changes = [];
		for (const node of copy.nodes.filter((n) => n.type === 'n8n-nodes-base.wait' && ['minutes', 'hours', 'days'].includes(n.parameters.unit))) {
			changes.push(`${node.name}: ${node.parameters.amount} ${node.parameters.unit} -> ${SHORT_WAIT.amount} ${SHORT_WAIT.unit}`);
			Object.assign(node.parameters, SHORT_WAIT);
		}
		const id = trigger ? 'exampleTrigger01' : `exampleRun${String(runs.length + 1).padStart(6, '0')}`;
		copy.id = id;
		copy.name = `E2E run of ${base(file)}`;
		fs.writeFileSync(path.join(outDir, `${id}.json`), JSON.stringify(copy, null, 1));
		runs.push({ id, file: base(file), credentialType: vendor.credentialType, trigger: Boolean(trigger), changes });
	}
	fs.writeFileSync(path.join(outDir, 'runs.json'), JSON.stringify(runs, null, 1));
	for (const run of runs) {
		const how = run.trigger ? 'activated in the trigger check' : 'run with n8n execute';
		console.log(`runnable copy of ${run.file}: ${run.id}, ${how}${run.changes.length ? ` (changed: ${run.changes.join('; ')})` : ''}`);
	}
}

async function checkRun(id, runsFile, outFile, simFile) {
	const sim = readJson(simFile);
	const run = readJson(runsFile).find((entry) => entry.id === id);
	const workflow = readJson(path.join(path.dirname(runsFile), `${id}.json`));
	const vendor = vendors(sim).find((v) => v.credentialType === run.credentialType);
	const r = reporter(`example ${run.file}`);
	const execution = readExecution(outFile);
	const ours = workflow.nodes.find((n) => n.type.startsWith(PACKAGE_PREFIX));
	const upload = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.httpRequest');

	r.check(execution?.status === 'success', `execution succeeded (${execution?.status ?? 'no execution printed'})`);
	// The simulator checks auth itself, so a 200 on the upload proves the HTTP Request node sent
	// our credential's authentication.
	const requests = await (await fetch(`${sim.controlUrl}/requests`)).json();
	// The simulator's log is shared: only the requests made while this execution ran count.
	const from = Date.parse(execution?.startedAt ?? 0) - 1000;
	const to = Date.parse(execution?.stoppedAt ?? 0) + 1000;
	const uploads = requests.filter((q) => q.at >= from && q.at <= to && vendor.isUpload(q));
	r.check(
		uploads.length === 1 && uploads[0].status >= 200 && uploads[0].status < 300 && uploads[0].authorized,
		`${upload?.name ?? 'the upload'} reached the simulator with the ${run.credentialType} credential and was accepted` +
			` (${uploads.map((q) => `${q.method} ${q.path} -> ${q.status}`).join(', ') || 'no upload request'})`,
	);
	const wait = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.wait');
	if (wait) {
		// The long-jobs loop: Get Indexing Status → Finished? → (false) Wait → Get Indexing Status …
		const runs = execution?.data?.resultData?.runData?.[ours.name] ?? [];
		const summaries = runs.map((one) => one.data?.main?.[0]?.[0]?.json ?? {});
		const last = summaries.at(-1) ?? {};
		r.check(runs.length >= 2, `${ours.name} ran again after ${wait.name} (${runs.length} runs: ${summaries.map((x) => `${x.status}${x.jobStatus ? `/${x.jobStatus}` : ''}`).join(' -> ')})`);
		r.check(summaries.slice(0, -1).every((x) => x.terminal === false) && last.terminal === true && last.status === 'completed', 'every round but the last found the job unfinished; the last found it completed');
		const waits = execution?.data?.resultData?.runData?.[wait.name] ?? [];
		r.check(waits.length === runs.length - 1, `${wait.name} ran once per unfinished round (${waits.length})`);
		const done = workflow.connections['Finished?']?.main?.[0]?.[0]?.node;
		r.check(done !== undefined && nodeItems(execution, done).length === 1, `${done} got the finished summary once`);
	} else {
		const items = nodeItems(execution, ours.name);
		const statuses = items.map((i) => i.json.status);
		r.check(items.length > 0 && statuses.every((s) => s === 'completed'), `${ours.name} reports the uploaded documents completed (${statuses.join(', ') || 'no items'})`);
		r.check(items.length > 0 && items.every((i) => i.json.wait && i.json.wait.timedOut === false), `${ours.name} waited without timing out`);
		// Whatever follows our node (the IF of each example) must get the completed items on its
		// first ("true") output.
		const next = workflow.connections[ours.name]?.main?.[0]?.[0]?.node;
		r.check(next !== undefined, `${ours.name} is followed by a node that branches on the status`);
		if (next) {
			const passed = nodeItems(execution, next, 0);
			r.check(passed.length === items.length, `${next} passes the completed items on its first output (${passed.length} of ${items.length})`);
		}
	}
	if (r.failed > 0) console.log(describeExecution(execution, workflow.nodes.map((n) => n.name)).replace(/^/gm, '    '));
	r.exit();
}

const [command, ...args] = process.argv.slice(2);
if (command === 'recognize') recognize(args[0], args[1], args.slice(2));
else if (command === 'roundtrip') roundtrip(args[0], args.slice(1));
else if (command === 'prepare') prepare(args[0], args[1], args.slice(2));
else if (command === 'check-run') void checkRun(...args);
else {
	console.error('usage: see the top of e2e/examples.js');
	process.exit(2);
}
