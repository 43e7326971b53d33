// The editor check of e2e/run.sh (E2E_EDITOR=1): the package as a user sees it in n8n's editor,
// in headless Chromium (Debian's `chromium`) driven by playwright-core. For every node: the node
// panel finds it, with its icon; its parameters render; and each credential's dialog saves and
// tests the connection against the simulator ("Connection tested successfully"). Screenshots of
// the node panel, each action node, each trigger and each credential dialog go to <shots folder>
// (docs/ holds the ones README.md shows: E2E_EDITOR_SHOTS=docs npm run e2e refreshes them), each
// node's and credential's with its parameter record beside it (e2e/parameter-records.js).
//
// Usage: node e2e/editor-check.js <n8n url> <sim.json> <shots folder>
// playwright-core is taken from node_modules, tools/node_modules (npm ci --prefix tools) or the
// folder E2E_PLAYWRIGHT_CORE names; the browser from E2E_CHROMIUM (default /usr/bin/chromium).
// No browser is downloaded.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { reporter } = require('./lib');
const parameterRecords = require('./parameter-records');

const ROOT = path.resolve(__dirname, '..');
const [baseUrl, simFile, shotsDir] = process.argv.slice(2);
const sim = JSON.parse(fs.readFileSync(simFile, 'utf8'));
const r = reporter('editor');
const OWNER = { email: 'e2e@example.com', firstName: 'E2E', lastName: 'Check', password: 'E2ePassword123' };
const PREFIX = 'n8n-nodes-indexing-status.';

function playwright() {
	const candidates = [process.env.E2E_PLAYWRIGHT_CORE, path.join(ROOT, 'node_modules/playwright-core'), path.join(ROOT, 'tools/node_modules/playwright-core')];
	const dir = candidates.find((d) => d && fs.existsSync(path.join(d, 'package.json')));
	if (!dir) throw new Error('playwright-core is not installed: npm ci --prefix tools --ignore-scripts, or set E2E_PLAYWRIGHT_CORE');
	return require(dir);
}

/** What a user fills in each credential dialog, and the node types that use it. */
const VENDORS = [
	{
		slug: 'dify',
		search: 'Dify',
		action: 'difyKnowledge',
		trigger: 'difyKnowledgeTrigger',
		credential: 'Dify Knowledge API',
		fields: [['apiKey', sim.apiKey], ['baseUrl', sim.baseUrl]],
	},
	{
		slug: 'coze',
		search: 'Coze',
		action: 'cozeKnowledge',
		trigger: 'cozeKnowledgeTrigger',
		credential: 'Coze API',
		fields: [['accessToken', sim.coze.token], ['region', 'Custom'], ['baseUrl', sim.coze.baseUrl]],
	},
	{
		slug: 'bailian',
		search: 'Bailian',
		action: 'bailianKnowledge',
		trigger: 'bailianKnowledgeTrigger',
		credential: 'Alibaba Cloud Model Studio (Bailian) API',
		fields: [
			['accessKeyId', sim.bailian.accessKeyId],
			['accessKeySecret', sim.bailian.accessKeySecret],
			['region', 'Custom'],
			['endpoint', sim.bailian.endpoint],
			['workspaceId', sim.bailian.workspaceId],
		],
	},
	{
		slug: 'kendra',
		search: 'Kendra',
		action: 'amazonKendra',
		trigger: 'amazonKendraTrigger',
		credential: 'Amazon Kendra API',
		fields: [['accessKeyId', sim.kendra.accessKeyId], ['secretAccessKey', sim.kendra.secretAccessKey], ['region', sim.kendra.region], ['endpoint', sim.kendra.baseUrl]],
	},
	{
		slug: 'openai',
		search: 'OpenAI Vector Store',
		action: 'openAiVectorStore',
		trigger: 'openAiVectorStoreTrigger',
		credential: 'OpenAI Vector Store API',
		fields: [['apiKey', sim.openai.apiKey], ['projectId', sim.openai.projectId], ['baseUrl', sim.openai.baseUrl]],
	},
	{
		slug: 'bedrock',
		search: 'Bedrock',
		action: 'amazonBedrockKnowledgeBase',
		trigger: 'amazonBedrockKnowledgeBaseTrigger',
		credential: 'Amazon Bedrock Knowledge Base API',
		fields: [['accessKeyId', sim.bedrock.accessKeyId], ['secretAccessKey', sim.bedrock.secretAccessKey], ['region', sim.bedrock.region], ['endpoint', sim.bedrock.baseUrl]],
	},
];

/** The node types as n8n serves them to the editor, from the built package (what n8n loaded). */
function description(name) {
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	for (const file of pkg.n8n.nodes) {
		const exported = require(path.join(ROOT, file));
		const node = new (Object.values(exported)[0])();
		if (node.description.name === name) return node.description;
	}
	throw new Error(`no node ${name} in the package`);
}

async function ownerCookie() {
	const headers = { 'content-type': 'application/json', 'browser-id': 'n8n-nodes-indexing-status-editor' };
	const setup = await fetch(`${baseUrl}/rest/owner/setup`, { method: 'POST', headers, body: JSON.stringify(OWNER) });
	return setup.status;
}

async function main() {
	const { chromium, selectors } = playwright();
	selectors.setTestIdAttribute('data-test-id');
	fs.mkdirSync(shotsDir, { recursive: true });
	await ownerCookie(); // a fresh user folder has no owner yet; one that has keeps it
	const browser = await chromium.launch({
		executablePath: process.env.E2E_CHROMIUM || '/usr/bin/chromium',
		// As root, without a sandbox; no background traffic (this machine has no network).
		args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
	});
	const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	page.setDefaultTimeout(20_000);
	const shot = async (name) => {
		// n8n's toasts ("Credential successfully created…") would cover part of the picture.
		for (const close of await page.locator('.el-notification .el-notification__closeBtn').all()) await close.click().catch(() => {});
		await page.waitForTimeout(600); // let transitions end
		await page.screenshot({ path: path.join(shotsDir, name) });
		parameterRecords.write(shotsDir, name.replace(/\.png$/, '.json'));
	};
	try {
		await page.goto(`${baseUrl}/signin`);
		await page.getByTestId('emailOrLdapLoginId').locator('input').fill(OWNER.email);
		await page.getByTestId('password').locator('input').fill(OWNER.password);
		await page.getByTestId('form-submit-button').click();
		await page.waitForURL(/home|workflows/);
		r.check(true, 'signed in to the editor in headless Chromium');

		// The node panel: one search finds every vendor's action node, each with its icon.
		await page.goto(`${baseUrl}/workflow/new`);
		await page.getByTestId('canvas-plus-button').click();
		await page.getByTestId('node-creator-search-bar').fill('indexing');
		await page.waitForTimeout(800);
		const panelItems = page.getByTestId('node-creator').getByTestId('item-iterator-item');
		const found = await panelItems.evaluateAll((elements) =>
			elements.map((e) => ({ text: e.innerText.split('\n')[0], icons: [...e.querySelectorAll('img')].map((img) => img.complete && img.naturalWidth > 0) })),
		);
		const expected = ['Dify Knowledge', 'Coze Knowledge', 'Bailian Knowledge', 'Amazon Kendra', 'Amazon Bedrock Knowledge Base'];
		const missing = expected.filter((name) => !found.some((f) => f.text === name));
		const noIcon = expected.filter((name) => !found.some((f) => f.text === name && f.icons.some(Boolean)));
		r.check(missing.length === 0, `the node panel finds every node when searching "indexing"${missing.length ? ` (missing: ${missing.join(', ')}; found: ${found.map((f) => f.text).join(', ')})` : ''}`);
		r.check(noIcon.length === 0, `each with its icon${noIcon.length ? ` (no icon: ${noIcon.join(', ')})` : ''}`);
		await shot('editor-node-panel.png');

		for (const vendor of VENDORS) {
			let credentialName = null;
			for (const kind of ['action', 'trigger']) {
				const desc = description(vendor[kind]);
				await page.goto(`${baseUrl}/workflow/new`);
				await page.getByTestId('canvas-plus-button').click();
				if (kind === 'action') {
					// Actions come after a trigger: start the workflow with a Manual Trigger.
					await page.getByTestId('node-creator-search-bar').fill('manual');
					await page.waitForTimeout(500);
					await page.getByTestId('node-creator').getByTestId('item-iterator-item').first().click();
					await page.waitForTimeout(800);
					await page.keyboard.press('Escape');
					await page.getByTestId('node-creator-plus-button').click();
				}
				await page.getByTestId('node-creator-search-bar').fill(vendor.search);
				await page.waitForTimeout(600);
				await page.getByTestId('node-creator').getByTestId('item-iterator-item').filter({ hasText: desc.displayName.replace(/ Trigger$/, '') }).first().click();
				// The app's actions: the action node's operations, or the trigger's events.
				const actionItems = page.getByTestId('node-creator').getByTestId('item-iterator-item');
				await actionItems.first().waitFor();
				const actionTexts = (await actionItems.allInnerTexts()).map((t) => t.split('\n')[0]);
				const want = kind === 'action' ? ['Get indexing status', 'Wait until indexed'] : ['On document finished', 'On all finished'];
				r.check(want.every((w) => actionTexts.includes(w)), `${desc.displayName}: the node panel lists ${want.join(' and ')} (${actionTexts.join('; ')})`);
				await actionItems.filter({ hasText: want[kind === 'action' ? 1 : 0] }).first().click();
				const ndv = page.getByTestId('ndv');
				await ndv.waitFor();
				await page.waitForTimeout(500);

				if (kind === 'action') {
					// A new credential from the node, as a user creates one: fill it in and save; n8n tests it.
					await ndv.getByTestId('node-credentials-select').click();
					await page.getByText('Create new credential', { exact: true }).click();
					const modal = page.getByTestId('editCredential-modal');
					await modal.waitFor();
					for (const [field, value] of vendor.fields) {
						const input = modal.getByTestId(`parameter-input-${field}`);
						if (value === 'Custom') {
							await input.click();
							await page.locator('.el-select-dropdown__item:visible').filter({ hasText: value }).first().click();
						} else {
							await input.locator('input, textarea').first().fill(value);
						}
					}
					credentialName = (await modal.getByTestId('credential-name').innerText()).trim();
					// Save creates the credential and runs its test (POST /rest/credentials/test), as
					// the Test button does; on success n8n closes the dialog and selects the credential.
					const testAnswer = page.waitForResponse((response) => response.url().endsWith('/rest/credentials/test'), { timeout: 30_000 });
					await modal.getByTestId('credential-save-button').click();
					const result = await testAnswer.then(
						async (response) => (await response.json()).data ?? {},
						(error) => ({ status: 'no test', message: error.message }),
					);
					r.check(result.status === 'OK', `${vendor.credential} (${credentialName}): saved, and its test passed against the simulator (${result.status}: ${result.message})`);
					await modal.waitFor({ state: 'hidden' }).catch(() => {});
					// Open it again: the dialog tests it and shows the result.
					await ndv.getByTestId('credential-edit-button').click();
					await modal.waitFor();
					const shown = await modal.getByTestId('credentials-config-container-test-success').waitFor({ timeout: 30_000 }).then(
						() => true,
						() => false,
					);
					r.check(shown, `${vendor.credential}: the dialog shows the connection tested successfully`);
					await shot(`editor-${vendor.slug}-credential.png`);
					await modal.locator('.el-dialog__close, [aria-label="Close"]').first().click();
					await modal.waitFor({ state: 'hidden' });
				} else if (credentialName) {
					await ndv.getByTestId('node-credentials-select').click();
					await page.locator('.el-select-dropdown__item:visible').filter({ hasText: credentialName }).first().click();
				}
				const credentialShown = await ndv.getByTestId('node-credentials-select').locator('input').inputValue().catch(() => '');
				r.check(credentialName !== null && credentialShown === credentialName, `${desc.displayName}: uses the new credential (${credentialShown})`);

				const names = parameterRecords.shownParameters(desc.properties).map((p) => p.name);
				const absent = [];
				for (const name of names) {
					const property = desc.properties.find((p) => p.name === name);
					const shown =
						property.type === 'collection'
							? (await ndv.getByTestId('collection-parameter-add').count()) > 0 && (await ndv.getByText(property.displayName, { exact: true }).count()) > 0
							: (await ndv.getByTestId(`parameter-input-${name}`).count()) > 0;
					if (!shown) absent.push(name);
				}
				r.check(absent.length === 0, `${desc.displayName}: its parameters render (${names.join(', ')})${absent.length ? `; not shown: ${absent.join(', ')}` : ''}`);
				await shot(`editor-${vendor.slug}-${kind}.png`);
			}
		}
	} finally {
		await browser.close();
	}
}

main()
	.catch((error) => {
		r.check(false, `the editor check stopped: ${error.message.split('\n')[0]}`);
	})
	.finally(() => r.exit());
