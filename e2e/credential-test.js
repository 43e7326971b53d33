// Runs credential tests through a running n8n's REST API, exactly as the editor's "Test" button
// does (POST /rest/credentials/test), so the credentials' `test` requests and `authenticate` run
// inside real n8n.
// Usage: node e2e/credential-test.js <n8n url> <sim.json> [credential type,…]
//   (only those credential types: an n8n with a one-vendor package knows only its own)
//
// The REST API needs a logged-in user. On a fresh user folder n8n has no owner yet; the owner
// setup endpoint creates one and answers with the auth cookie. If the folder was used before,
// logging in with the same account works instead.
'use strict';
const fs = require('node:fs');
const { reporter } = require('./lib');

const [baseUrl, simFile, onlyTypes] = process.argv.slice(2);
const only = onlyTypes ? onlyTypes.split(',') : null;
const sim = JSON.parse(fs.readFileSync(simFile, 'utf8'));
const r = reporter('credential test');
// n8n ties the auth cookie to a browser id header.
const headers = { 'content-type': 'application/json', 'browser-id': 'n8n-nodes-indexing-status-e2e' };
const owner = { email: 'e2e@example.com', firstName: 'E2E', lastName: 'Check', password: 'E2ePassword123' };
const secrets = [
	sim.apiKey,
	sim.coze.token,
	'WRONGkey9999LEAKME5678',
	'WRONGcozeTOKEN9999LEAKME5678',
	sim.kendra.secretAccessKey,
	sim.kendra.temp.secretAccessKey,
	sim.kendra.temp.sessionToken,
	'WRONGkendraSECRET9999LEAKME5678',
	sim.bedrock.secretAccessKey,
	sim.bedrock.temp.secretAccessKey,
	sim.bedrock.temp.sessionToken,
	'WRONGbedrockSECRET9999LEAKME5678',
	sim.bedrock.denied.secretAccessKey,
	sim.bailian.accessKeySecret,
	sim.bailian.stsAccessKeySecret,
	sim.bailian.stsToken,
	'WRONGbailianSECRET9999LEAKME5678',
	sim.openai.apiKey,
	sim.openai.noAccessKey,
	'WRONGopenaiKEY9999LEAKME5678',
];

async function request(method, path, body) {
	const response = await fetch(baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	// n8n clears the cookie (an empty n8n-auth) when it refuses a session; keep the one we have.
	const cookie = (response.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).find((c) => /^n8n-auth=./.test(c));
	if (cookie) headers.cookie = cookie;
	return { status: response.status, text: await response.text() };
}
const post = (path, body) => request('POST', path, body);

// Sets up the owner (a fresh user folder) or logs in (a used one), then waits until n8n accepts
// the session: right after the owner setup, n8n 2.40.7 on SQLite has been seen to refuse the new
// cookie once (HTTP 401), which without this wait failed every credential test after it.
async function logIn() {
	let login = await post('/rest/owner/setup', owner);
	if (login.status !== 200) login = await post('/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
	if (login.status !== 200 || !headers.cookie) return login;
	for (let attempt = 1; attempt <= 20; attempt++) {
		const me = await request('GET', '/rest/login');
		if (me.status === 200) return me;
		console.log(`    n8n answered GET /rest/login with HTTP ${me.status} (attempt ${attempt}); logging in again`);
		await new Promise((resolve) => setTimeout(resolve, 500));
		await post('/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
	}
	return { status: 401, text: 'n8n did not accept the session' };
}

async function test(label, type, data, expectedStatus, expectedMessage) {
	if (only && !only.includes(type)) return;
	const body = { credentials: { id: '', name: label, type, data } };
	let response = await post('/rest/credentials/test', body);
	if (response.status === 401) {
		// A refused session is n8n's, not the credential's answer (that comes with HTTP 200).
		console.log(`    ${label}: n8n refused the session (HTTP 401); logging in again and repeating the test`);
		await logIn();
		response = await post('/rest/credentials/test', body);
	}
	let result = {};
	try {
		result = JSON.parse(response.text).data ?? {};
	} catch {}
	const messageOk = expectedMessage instanceof RegExp ? expectedMessage.test(result.message ?? '') : result.message === expectedMessage;
	r.check(
		response.status === 200 && result.status === expectedStatus && messageOk,
		`${label}: ${expectedStatus}, ${expectedMessage instanceof RegExp ? `a message matching ${expectedMessage}` : expectedMessage}` + (messageOk && result.status === expectedStatus ? '' : ` (got HTTP ${response.status} ${JSON.stringify(result)})`),
	);
	r.check(!secrets.some((s) => response.text.includes(s)), `${label}: the answer holds no key or token`);
}

(async () => {
	const login = await logIn();
	if (!r.check(login.status === 200 && headers.cookie, 'owner account set up (or logged in) through the REST API')) {
		console.log(`    HTTP ${login.status} ${login.text.slice(0, 300)}`);
		r.exit();
	}
	const dify = (apiKey, url = sim.baseUrl) => ({ apiKey, baseUrl: url });
	await test('Dify good key', 'difyKnowledgeApi', dify(sim.apiKey), 'OK', 'Connection successful!');
	await test('Dify good key, Base URL with a trailing slash', 'difyKnowledgeApi', dify(sim.apiKey, `${sim.baseUrl}/`), 'OK', 'Connection successful!');
	await test('Dify wrong key', 'difyKnowledgeApi', dify('dataset-WRONGkey9999LEAKME5678'), 'Error',
		'The API key was rejected. Use a Knowledge API key (Knowledge > Service API), not an app key.');
	await test('Dify Base URL without /v1', 'difyKnowledgeApi', dify(sim.apiKey, sim.baseUrl.replace(/\/v1$/, '')), 'Error',
		'Nothing answers at this Base URL. It must end in /v1, e.g. https://dify.example.com/v1.');
	const coze = (accessToken, url = sim.coze.baseUrl) => ({ accessToken, region: 'custom', baseUrl: url });
	await test('Coze good token', 'cozeApi', coze(sim.coze.token), 'OK', 'Connection successful!');
	await test('Coze good token, Base URL ending in /v1/', 'cozeApi', coze(sim.coze.token, `${sim.coze.baseUrl}/v1/`), 'OK', 'Connection successful!');
	// Coze answers a bad token with HTTP 401 and code 4100: the message must name the token.
	await test('Coze wrong token', 'cozeApi', coze('pat_WRONGcozeTOKEN9999LEAKME5678'), 'Error', /token/i);
	const kendra = (keys, endpoint = sim.kendra.baseUrl) => ({ ...keys, region: sim.kendra.region, endpoint });
	const longTerm = { accessKeyId: sim.kendra.accessKeyId, secretAccessKey: sim.kendra.secretAccessKey };
	await test('Kendra long-term keys (signed ListIndices)', 'amazonKendraApi', kendra(longTerm), 'OK', 'Connection successful!');
	await test('Kendra temporary keys with session token', 'amazonKendraApi', kendra(sim.kendra.temp), 'OK', 'Connection successful!');
	await test('Kendra endpoint with a trailing slash', 'amazonKendraApi', kendra(longTerm, `${sim.kendra.baseUrl}/`), 'OK', 'Connection successful!');
	await test('Kendra wrong secret', 'amazonKendraApi', kendra({ ...sim.kendra.temp, secretAccessKey: 'WRONGkendraSECRET9999LEAKME5678/abcdefgh' }), 'Error', /Secret Access Key/);
	await test('Kendra temporary key without its session token', 'amazonKendraApi', kendra({ ...sim.kendra.temp, sessionToken: '' }), 'Error', /Session Token/);
	const bedrock = (keys, endpoint = sim.bedrock.baseUrl) => ({ ...keys, region: sim.bedrock.region, endpoint });
	const bedrockKeys = { accessKeyId: sim.bedrock.accessKeyId, secretAccessKey: sim.bedrock.secretAccessKey };
	await test('Bedrock long-term keys (signed ListKnowledgeBases)', 'amazonBedrockKnowledgeBaseApi', bedrock(bedrockKeys), 'OK', 'Connection successful!');
	await test('Bedrock temporary keys with session token', 'amazonBedrockKnowledgeBaseApi', bedrock(sim.bedrock.temp), 'OK', 'Connection successful!');
	await test('Bedrock endpoint with a trailing slash', 'amazonBedrockKnowledgeBaseApi', bedrock(bedrockKeys, `${sim.bedrock.baseUrl}/`), 'OK', 'Connection successful!');
	// AWS's REST-JSON front end names these two only in the x-amzn-ErrorType header, which a
	// credential test cannot read (the wrong secret's message goes on with the canonical request,
	// the denial's names the caller): both get the message that names both causes.
	await test('Bedrock wrong secret', 'amazonBedrockKnowledgeBaseApi', bedrock({ ...sim.bedrock.temp, secretAccessKey: 'WRONGbedrockSECRET9999LEAKME5678/abcdefg' }), 'Error',
		/did not list the knowledge bases\. Most often the Secret Access Key is wrong \(InvalidSignatureException\)/);
	await test('Bedrock keys without bedrock:ListKnowledgeBases', 'amazonBedrockKnowledgeBaseApi', bedrock(sim.bedrock.denied), 'Error',
		/or the keys lack the permission bedrock:ListKnowledgeBases \(AccessDeniedException\)/);
	// AWS's "Credential should be scoped to a valid region, not 'eu-west-3'." names the region, so
	// no fixed rule matches it either (its shorter form has its own message).
	await test('Bedrock wrong region', 'amazonBedrockKnowledgeBaseApi', { ...bedrock(bedrockKeys), region: 'eu-west-3' }, 'Error', /did not list the knowledge bases\..*Else check Region/);
	await test('Bedrock temporary key without its session token', 'amazonBedrockKnowledgeBaseApi', bedrock({ ...sim.bedrock.temp, sessionToken: '' }), 'Error', /Session Token/);
	const b = sim.bailian;
	const bailian = (keys) => ({ region: 'custom', endpoint: b.endpoint, workspaceId: b.workspaceId, ...keys });
	await test('Bailian good keys', 'bailianApi', bailian({ accessKeyId: b.accessKeyId, accessKeySecret: b.accessKeySecret }), 'OK', 'Connection successful!');
	await test('Bailian STS keys and token', 'bailianApi',
		bailian({ accessKeyId: b.stsAccessKeyId, accessKeySecret: b.stsAccessKeySecret, securityToken: b.stsToken }), 'OK', 'Connection successful!');
	await test('Bailian wrong secret', 'bailianApi', bailian({ accessKeyId: b.accessKeyId, accessKeySecret: 'WRONGbailianSECRET9999LEAKME5678' }), 'Error',
		/SignatureDoesNotMatch.*AccessKey Secret/);
	await test('Bailian STS key without its token', 'bailianApi', bailian({ accessKeyId: b.stsAccessKeyId, accessKeySecret: b.stsAccessKeySecret }), 'Error',
		/Security Token/);
	const openai = (apiKey, baseUrl = sim.openai.baseUrl, projectId = sim.openai.projectId) => ({ apiKey, organizationId: '', projectId, baseUrl });
	await test('OpenAI good key', 'openAiVectorStoreApi', openai(sim.openai.apiKey), 'OK', 'Connection successful!');
	await test('OpenAI wrong key', 'openAiVectorStoreApi', openai('sk-proj-WRONGopenaiKEY9999LEAKME5678'), 'Error', /API key was rejected \(401\)/);
	await test('OpenAI key of another project', 'openAiVectorStoreApi', openai(sim.openai.apiKey, sim.openai.baseUrl, 'proj_other'), 'Error', /API key was rejected \(401\).*Project ID/);
	await test('OpenAI key without access to vector stores', 'openAiVectorStoreApi', openai(sim.openai.noAccessKey, sim.openai.baseUrl, ''), 'Error', /no access to vector stores here \(403\)/);
	await test('OpenAI wrong Base URL', 'openAiVectorStoreApi', openai(sim.openai.apiKey, sim.openai.baseUrl.replace(/\/v1$/, '')), 'Error', /Nothing answers at Base URL\/vector_stores \(404\)/);
	r.exit();
})().catch((error) => {
	r.check(false, `credential tests crashed: ${error.message}`);
	r.exit();
});
