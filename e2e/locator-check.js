// Checks for resource locators and AI tools in real n8n, for e2e/run.sh.
//
//   execution <step> <n8n execute output> <sim.json> [chat-model info.json]
//       steps: dify-url, coze-list, kendra-url, bailian-ids, dify-old-format, agent-tool
//       A workflow of e2e/fixtures-locators.js ran and its node read the right knowledge base.
//   stored <exported workflows folder>
//       n8n keeps what was saved: the 0.1.0 workflow's plain string, the locators' objects.
//   tools <package.json> <N8N_USER_FOLDER>
//       The node types n8n generated for the editor list a tool variant of every action node
//       (n8n builds them from `usableAsTool`), and none of a trigger.
//   lists <n8n url> <sim.json>
//       The editor's list requests (POST /rest/dynamic-node-parameters/resource-locator-results),
//       as the dropdown sends them: each vendor's list with a good credential, a search text,
//       and a wrong credential, whose error must be clear and hold no secret.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { reporter, readExecution, nodeItems, describeExecution } = require('./lib');
const { vendors } = require('../scripts/packages/vendors');

const [command, ...args] = process.argv.slice(2);
const PACKAGE = 'n8n-nodes-indexing-status';

function execution(step, outFile, simFile, chatModelFile) {
	const sim = JSON.parse(fs.readFileSync(simFile, 'utf8'));
	const run = readExecution(outFile);
	const r = reporter(step);
	r.check(run !== null, 'n8n printed an execution');
	const ok = r.check(run?.status === 'success', `execution succeeded (${run?.status})`);
	const loc = sim.locators;
	const expectDocuments = (nodeName, knowledgeBaseId, documentIds, status, label) => {
		const items = nodeItems(run, nodeName);
		const ids = items.map((i) => i.json.documentId);
		r.check(items.length === documentIds.length && documentIds.every((id) => ids.includes(id)), `one item per document (${ids.join(', ')})`);
		r.check(items.length > 0 && items.every((i) => i.json.knowledgeBaseId === knowledgeBaseId), `knowledgeBaseId is ${knowledgeBaseId}, ${label}`);
		r.check(items.length > 0 && items.every((i) => i.json.status === status), `every document ${status}`);
	};
	switch (step) {
		case 'dify-url':
			expectDocuments('Dify Knowledge', sim.datasetId, loc.dify.documentIds, 'completed', 'taken out of the console URL (By URL)');
			break;
		case 'coze-list':
			expectDocuments('Coze Knowledge', sim.coze.datasetId, loc.coze, 'completed', 'as picked from the list, 64 bits exact');
			break;
		case 'kendra-url':
			expectDocuments('Amazon Kendra', sim.kendra.indexId, loc.kendra, 'completed', 'taken out of the Kendra console URL');
			break;
		case 'bailian-ids': {
			const items = nodeItems(run, 'Bailian Knowledge');
			r.check(items.length === 1 && items[0].json.knowledgeBaseId === sim.bailian.indexId, `knowledgeBaseId is ${sim.bailian.indexId}, taken out of the console URL`);
			r.check(items.length === 1 && items[0].json.jobId === loc.bailianJob, 'the job of the submit result');
			break;
		}
		case 'dify-old-format':
			expectDocuments('Dify Knowledge', sim.datasetId, loc.oldFormat.documentIds, 'completed', 'read from the plain string as before');
			break;
		case 'agent-tool':
			agentTool(r, run, sim, JSON.parse(fs.readFileSync(chatModelFile, 'utf8')));
			break;
		default:
			r.check(false, `unknown step ${step}`);
	}
	if (!ok || r.failed > 0) {
		for (const line of describeExecution(run, ['Dify Knowledge', 'Coze Knowledge', 'Amazon Kendra', 'Bailian Knowledge', 'AI Agent']).split('\n')) console.log(`    ${line}`);
	}
	r.exit();
}

function agentTool(r, run, sim, chatModel) {
	const documentIds = sim.locators.agent.documentIds;
	const answer = nodeItems(run, 'AI Agent')[0]?.json.output ?? '';
	r.check(/The Dify Knowledge tool answered:/.test(answer), 'the agent answered after calling the tool');
	// What the tool gave the model: the normalized items, one per document.
	const json = answer.replace(/^[^[{]*/, '');
	let items = [];
	try {
		items = JSON.parse(json);
	} catch {}
	r.check(
		Array.isArray(items) && items.length === documentIds.length && items.every((i) => i.vendor === 'dify' && i.knowledgeBaseId === sim.datasetId && i.status === 'completed' && i.terminal === true),
		`the tool returned the normalized items of both documents (${Array.isArray(items) ? items.map((i) => `${i.documentId}: ${i.status}`).join(', ') : 'none'})`,
	);
	r.check(Array.isArray(items) && documentIds.every((id) => items.some((i) => i.documentId === id)), 'for the document IDs the model filled in with $fromAI');
	// The tool node's own run, as n8n records it: the agent's engine runs it as a node, with the
	// model's arguments as its ai_tool input and the normalized items as its ai_tool output.
	const toolRuns = run?.data?.resultData?.runData?.['Dify Knowledge'] ?? [];
	const toolOutput = (toolRuns[0]?.data?.ai_tool?.[0] ?? []).map((item) => item.json);
	r.check(
		toolRuns.length === 1 && toolRuns[0].executionStatus === 'success' && toolOutput.length === documentIds.length && toolOutput.every((item) => item.vendor === 'dify' && item.status === 'completed'),
		`n8n recorded one Dify Knowledge tool run, its output the normalized items (${toolOutput.map((i) => `${i.documentName}: ${i.status}`).join(', ')})`,
	);
	const toolInput = toolRuns[0]?.inputOverride?.ai_tool?.[0]?.[0]?.json ?? {};
	r.check(toolInput.datasetId === sim.datasetId && toolInput.documentIds === documentIds.join(','), `the tool's input is what the model sent (${JSON.stringify(toolInput)})`);
	// What the model saw of the tool: its name, the description written for a model, the $fromAI parameters.
	const requests = fs.existsSync(chatModel.logFile)
		? fs.readFileSync(chatModel.logFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line))
		: [];
	const tool = requests[0]?.tools?.find((t) => /dify/i.test(t.name ?? ''));
	r.check(tool !== undefined, `the chat model was offered the tool (${requests[0]?.tools?.map((t) => t.name).join(', ') ?? 'no request'})`);
	r.check(
		/Dify knowledge base/.test(tool?.description ?? '') && /Returns one item per document/.test(tool?.description ?? ''),
		`the tool description tells the model what it checks and returns ("${(tool?.description ?? '').slice(0, 90)}…")`,
	);
	const properties = Object.keys(tool?.parameters?.properties ?? {});
	r.check(properties.includes('datasetId') && properties.includes('documentIds'), `the tool asks the model for datasetId and documentIds (${properties.join(', ')})`);
	r.check(requests.length === 2 && requests[1].messages.some((m) => m.role === 'tool'), `the model got the tool's answer back (${requests.length} model calls)`);
}

function stored(folder) {
	const r = reporter('stored');
	const read = (id) => {
		const file = fs.readdirSync(folder).find((f) => f.includes(id));
		return file ? JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8')) : null;
	};
	const param = (workflow, nodeName, name) => workflow?.nodes?.find((n) => n.name === nodeName)?.parameters?.[name];
	const old = read('wfDifyOldFmt0001');
	r.check(typeof param(old, 'Dify Knowledge', 'datasetId') === 'string', `the 0.1.0 workflow still stores datasetId as a plain string (${JSON.stringify(param(old, 'Dify Knowledge', 'datasetId'))})`);
	const plain = read('wfWaitE2E0000001');
	r.check(typeof param(plain, 'Dify Knowledge', 'datasetId') === 'string', 'so do the plain-string workflows of e2e/fixtures.js');
	const byUrl = param(read('wfDifyLocUrl0001'), 'Dify Knowledge', 'datasetId');
	r.check(byUrl?.__rl === true && byUrl.mode === 'url', `a locator is stored as n8n saves one (${JSON.stringify(byUrl)})`);
	r.exit();
}

function tools(packageFile, userFolder) {
	const r = reporter('ai tools');
	const pkg = JSON.parse(fs.readFileSync(packageFile, 'utf8'));
	const types = JSON.parse(fs.readFileSync(path.join(userFolder, '.cache/n8n/public/types/nodes.json'), 'utf8'));
	const byName = new Map(types.map((t) => [t.name, t]));
	const ours = pkg.n8n.nodes.map((file) => path.basename(file, '.node.js'));
	let checked = 0;
	for (const type of types.filter((t) => t.name.startsWith(`${PACKAGE}.`) && !t.name.endsWith('Tool'))) {
		const tool = byName.get(`${type.name}Tool`);
		if (type.polling) {
			r.check(tool === undefined, `${type.name}: a trigger, no tool variant`);
			continue;
		}
		checked += 1;
		r.check(tool !== undefined, `${type.name}: n8n lists the tool variant ${type.name}Tool`);
		if (!tool) continue;
		const outputs = JSON.stringify(tool.outputs);
		r.check(outputs.includes('ai_tool') && JSON.stringify(tool.inputs) === '[]', `${type.name}Tool: no main input, an ai_tool output (${outputs})`);
		r.check(tool.displayName === `${type.displayName} Tool`, `${type.name}Tool: shown as "${tool.displayName}"`);
		const description = tool.properties.find((p) => p.name === 'toolDescription');
		const descriptionType = tool.properties.find((p) => p.name === 'descriptionType');
		r.check(descriptionType?.default === 'auto' && description?.default === type.description, `${type.name}Tool: its description for the model is the node's ("${String(type.description).slice(0, 60)}…"), unless set manually`);
		// OpenAI's vector stores hold files: its node says "one item per file".
		r.check(/Needs .*ID/.test(type.description) && /Returns one item per (document|file)\b/.test(type.description), `${type.name}: the description says which IDs it needs and what it returns`);
		r.check(JSON.stringify(tool.credentials) === JSON.stringify(type.credentials), `${type.name}Tool: same credential as the node`);
	}
	r.check(checked === ours.filter((name) => !name.endsWith('Trigger')).length && checked === vendors.length, `a tool variant for each of the ${checked} action nodes`);
	r.exit();
}

async function lists(baseUrl, simFile) {
	const sim = JSON.parse(fs.readFileSync(simFile, 'utf8'));
	const r = reporter('lists');
	const headers = { 'content-type': 'application/json', 'browser-id': 'n8n-nodes-indexing-status-e2e' };
	const post = async (url, body) => {
		const response = await fetch(baseUrl + url, { method: 'POST', headers, body: JSON.stringify(body) });
		const cookie = (response.headers.getSetCookie?.() ?? []).find((c) => c.startsWith('n8n-auth='));
		if (cookie) headers.cookie = cookie.split(';')[0];
		const text = await response.text();
		let json = null;
		try {
			json = JSON.parse(text);
		} catch {}
		return { status: response.status, text, json };
	};
	// The owner e2e/credential-test.js set up.
	const login = await post('/rest/login', { emailOrLdapLoginId: 'e2e@example.com', password: 'E2ePassword123' });
	if (!r.check(login.status === 200, 'logged in through the REST API')) r.exit();
	const secrets = [sim.apiKey, sim.coze.token, sim.kendra.secretAccessKey, sim.bailian.accessKeySecret, 'WRONGkey9999LEAKME5678', 'WRONGcozeTOKEN9999LEAKME5678', 'WRONGkendraSECRET9999LEAKME5678', 'WRONGbailianSECRET9999LEAKME5678', sim.bedrock.secretAccessKey, sim.bedrock.temp.secretAccessKey, sim.bedrock.temp.sessionToken, 'WRONGbedrockSECRET9999LEAKME5678'];
	const list = (type, methodName, credentials, filter, parameters = {}) =>
		post('/rest/dynamic-node-parameters/resource-locator-results', {
			path: 'parameters.x',
			nodeTypeAndVersion: { name: `${PACKAGE}.${type}`, version: 1 },
			currentNodeParameters: parameters,
			methodName,
			credentials,
			...(filter ? { filter } : {}),
		});
	const cases = [
		{ label: 'Dify', type: 'difyKnowledge', method: 'searchDatasets', good: { difyKnowledgeApi: { id: 'difyCredE2E00001', name: 'Dify sim' } }, wrong: { difyKnowledgeApi: { id: 'difyCredWRONG001', name: 'Dify wrong key' } }, id: sim.datasetId, name: 'E2E knowledge', search: 'e2e KNOW', wrongMessage: /API key was rejected/ },
		{ label: 'Coze', type: 'cozeKnowledge', method: 'searchDatasets', good: { cozeApi: { id: 'cozeCredE2E00001', name: 'Coze sim' } }, wrong: { cozeApi: { id: 'cozeCredWRONG001', name: 'Coze wrong token' } }, id: sim.coze.datasetId, name: 'E2E coze knowledge', search: 'coze know', wrongMessage: /authentication is invalid/ },
		{ label: 'Amazon Kendra', type: 'amazonKendra', method: 'searchIndexes', good: { amazonKendraApi: { id: 'kendraCredE2E001', name: 'Kendra sim' } }, wrong: { amazonKendraApi: { id: 'kendraCredWRONG1', name: 'Kendra wrong secret' } }, id: sim.kendra.indexId, name: 'e2e-index', search: 'E2E-IND', wrongMessage: /InvalidSignatureException/ },
		{ label: 'Amazon Bedrock', type: 'amazonBedrockKnowledgeBase', method: 'searchKnowledgeBases', good: { amazonBedrockKnowledgeBaseApi: { id: 'bedrCredE2E00001', name: 'Bedrock sim' } }, wrong: { amazonBedrockKnowledgeBaseApi: { id: 'bedrCredWRONG001', name: 'Bedrock wrong secret' } }, id: sim.bedrock.knowledgeBaseId, name: 'e2e-kb', search: 'E2E-K', wrongMessage: /InvalidSignatureException/ },
		{ label: 'Bailian', type: 'bailianKnowledge', method: 'searchIndexes', good: { bailianApi: { id: 'bailCredE2E00001', name: 'Bailian sim' } }, wrong: { bailianApi: { id: 'bailCredWRONG001', name: 'Bailian wrong secret' } }, id: sim.bailian.indexId, name: 'E2E bailian knowledge', search: 'bailian', wrongMessage: /SignatureDoesNotMatch/ },
	];
	for (const c of cases) {
		const all = await list(c.type, c.method, c.good);
		const results = all.json?.data?.results ?? [];
		r.check(all.status === 200 && results.some((x) => x.value === c.id && x.name === `${c.name} (${c.id})`), `${c.label}: the list shows "${c.name} (${c.id})" (HTTP ${all.status}, ${results.length} entries)`);
		const found = await list(c.type, c.method, c.good, c.search);
		const foundResults = found.json?.data?.results ?? [];
		r.check(found.status === 200 && foundResults.length > 0 && foundResults.every((x) => x.name.toLowerCase().includes(c.search.toLowerCase())), `${c.label}: searching "${c.search}" keeps matching entries only (${foundResults.length})`);
		const none = await list(c.type, c.method, c.good, 'no such knowledge base');
		r.check(none.status === 200 && (none.json?.data?.results ?? []).length === 0, `${c.label}: a search that matches nothing gives an empty list`);
		const wrong = await list(c.type, c.method, c.wrong);
		const body = wrong.json ?? {};
		// The editor shows "Could not load list", then "<httpCode> - <message>" and the description.
		r.check(wrong.status >= 400 && body.name === 'NodeApiError' && c.wrongMessage.test(body.message ?? ''), `${c.label}: a wrong credential answers NodeApiError "${body.message}"`);
		r.check(typeof body.description === 'string' && body.description.length > 0 && /^\d{3}$/.test(String(body.httpCode)), `${c.label}: with HTTP ${body.httpCode} and the advice "${String(body.description).slice(0, 80)}…"`);
		r.check(!secrets.some((s) => wrong.text.includes(s) || all.text.includes(s)), `${c.label}: no key or secret in the answers`);
	}
	const workspaces = await list('bailianKnowledge', 'searchWorkspaces', cases.find((c) => c.label === 'Bailian').good);
	r.check(workspaces.status === 200 && (workspaces.json?.data?.results ?? [])[0]?.value === sim.bailian.workspaceId, 'Bailian: the workspace list offers the credential\'s default workspace');
	r.exit();
}

(async () => {
	switch (command) {
		case 'execution':
			return execution(...args);
		case 'stored':
			return stored(...args);
		case 'tools':
			return tools(...args);
		case 'lists':
			return await lists(...args);
		default:
			console.error('usage: locator-check.js execution|stored|tools|lists …');
			process.exit(2);
	}
})().catch((error) => {
	console.log(`FAIL [${command}] the check crashed: ${error.stack ?? error}`);
	process.exit(1);
});
