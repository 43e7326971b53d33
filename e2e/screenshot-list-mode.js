// Screenshots of the Dataset parameter's From List mode in the real n8n editor, for the README,
// taken by headless Chromium driven by playwright-core. e2e/run.sh runs it with
// E2E_LIST_SCREENSHOT=1, while its n8n is up with the package, the simulator's credentials and
// the workflows of e2e/fixtures-locators.js.
//
// Usage: node e2e/screenshot-list-mode.js <n8n url> <sim.json> <output folder>
//   PLAYWRIGHT_CORE  the playwright-core package folder, when it is not in node_modules
//   CHROMIUM_PATH    the Chromium executable (default /usr/bin/chromium)
//
// Writes list-mode-dify.png (the list, filled from the simulated Dify through the node's
// credential) and list-mode-error.png (the same list with a wrong API key: what the dropdown
// shows). Prints PASS/FAIL lines for what it saw: the entries, a search, the error text n8n
// shows, and how a workflow saved with a plain string looks in the field.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { reporter } = require('./lib');

const [baseUrl, simFile, outDir] = process.argv.slice(2);
const sim = JSON.parse(fs.readFileSync(simFile, 'utf8'));
const r = reporter('screenshot');

function loadPlaywright() {
	const candidates = [process.env.PLAYWRIGHT_CORE, 'playwright-core'].filter(Boolean);
	for (const candidate of candidates) {
		try {
			return require(candidate);
		} catch {}
	}
	throw new Error('playwright-core is not installed: add it as a devDependency, or set PLAYWRIGHT_CORE to its folder');
}

const OWNER = { email: 'e2e@example.com', password: 'E2ePassword123' };

async function signIn(page) {
	await page.goto(`${baseUrl}/signin`);
	await page.locator('input[name="emailOrLdapLoginId"], input[type="email"]').first().fill(OWNER.email);
	await page.locator('input[name="password"], input[type="password"]').first().fill(OWNER.password);
	await page.locator('input[type="password"]').first().press('Enter');
	await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 30_000 });
}

/** Opens the node's panel (n8n's /workflow/<id>/<node id> route) and the Dataset dropdown. */
async function openDatasetList(page, workflowId) {
	await page.goto(`${baseUrl}/workflow/${workflowId}/n-difyKnowledge`);
	const locator = page.locator('[data-test-id="resource-locator-datasetId"]');
	await locator.waitFor({ timeout: 30_000 });
	// The second input: the first one picks the mode (From List, By URL, By ID).
	const input = locator.locator('[data-test-id="rlc-input"]');
	await ((await input.count()) > 0 ? input.first() : locator.locator('input').nth(1)).click();
	return locator;
}

async function dismissPopups(page) {
	// First-run notices and tours would cover the panel.
	for (const text of ['Got it', 'Skip', 'Dismiss', 'Close']) {
		const button = page.getByRole('button', { name: text });
		if (await button.count()) await button.first().click({ timeout: 2000 }).catch(() => {});
	}
}

(async () => {
	const { chromium } = loadPlaywright();
	let page;
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-dev-shm-usage'],
	});
	try {
		page = await browser.newPage({ viewport: { width: 1400, height: 860 }, deviceScaleFactor: 1 });
		await signIn(page);
		await dismissPopups(page);

		await openDatasetList(page, 'wfListShot000001');
		const items = page.locator('[data-test-id="rlc-item"]');
		await items.first().waitFor({ timeout: 30_000 });
		const texts = await items.allInnerTexts();
		const expected = `E2E knowledge (${sim.datasetId})`;
		r.check(texts.some((t) => t.trim() === expected), `the editor's list shows "${expected}" (${texts.length} entries: ${texts.map((t) => t.trim()).join(' | ')})`);
		fs.mkdirSync(outDir, { recursive: true });
		const listShot = path.join(outDir, 'list-mode-dify.png');
		await page.screenshot({ path: listShot });
		r.check(fs.statSync(listShot).size > 10_000, `saved ${listShot}`);

		// Typing in the search box asks Dify again, with the text as its keyword.
		await page.keyboard.type('example');
		await page.waitForTimeout(1500);
		const filtered = (await items.allInnerTexts()).map((t) => t.trim());
		r.check(filtered.length > 0 && filtered.every((t) => /example/i.test(t)), `searching "example" keeps matching entries only (${filtered.join(' | ')})`);

		// A workflow saved before the locator (a plain string) shows its ID in the field, as is.
		await page.goto(`${baseUrl}/workflow/wfDifyOldFmt0001/n-difyKnowledge`);
		const old = page.locator('[data-test-id="resource-locator-datasetId"]');
		await old.waitFor({ timeout: 30_000 });
		await page.waitForTimeout(1000);
		const shownValues = await old.locator('input').evaluateAll((inputs) => inputs.map((input) => input.value));
		r.check(shownValues.includes(sim.datasetId), `a workflow saved with a plain string shows its ID in the Dataset field (${JSON.stringify(shownValues)})`);

		await openDatasetList(page, 'wfListShotWrong1');
		const error = page.locator('[data-test-id="rlc-error-container"]');
		await error.waitFor({ timeout: 30_000 });
		const errorText = (await error.innerText()).replace(/\s+/g, ' ').trim();
		r.check(/Could not load list/.test(errorText) && /API key was rejected/.test(errorText), `a wrong key shows in the dropdown: "${errorText}"`);
		r.check(/Knowledge API key/.test(errorText), 'with the advice from the error description');
		r.check(!errorText.includes('WRONGkey9999LEAKME5678'), 'and without the key');
		const errorShot = path.join(outDir, 'list-mode-error.png');
		await page.screenshot({ path: errorShot });
		r.check(fs.statSync(errorShot).size > 10_000, `saved ${errorShot}`);
	} catch (error) {
		// What the editor showed when it went wrong, beside the screenshots (not for the README).
		if (page) await page.screenshot({ path: path.join(outDir, 'list-mode-failure.png') }).catch(() => {});
		throw error;
	} finally {
		await browser.close();
	}
	r.exit();
})().catch((error) => {
	r.check(false, `the screenshot run failed: ${error.message}`);
	r.exit();
});
