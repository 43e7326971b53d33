// `npm run lint:scan`: lints the package as n8n's community package scanner does before n8n lists
// a package (`npx @n8n/scan-community-package <name>`), without publishing it first.
//
// The scanner (its analyzePackage) lints two things with one ESLint configuration, its
// buildScanConfig (the @n8n/eslint-plugin-community-nodes recommended rules, no-console, and
// eslint-plugin-n8n-nodes-base's community, credentials and nodes rule sets), with inline
// `eslint-disable` comments ignored (allowInlineConfig: false):
//   - the source the npm provenance statement points at: package.json, nodes/ and credentials/
//     (its SOURCE_FILE_PATTERNS);
//   - the published tarball: its compiled JavaScript and its package.json.
// This script does the same, with the scanner's own configuration and ESLint, on this checkout
// and on the tarball `npm pack` makes of it (after `npm run build`), and on every one-vendor
// tarball in dist-packages/ (after `npm run build:packages`; all of scripts/packages/vendors.js
// must be there). What it cannot do before
// publishing is the provenance check; .github/workflows/publish.yml provides the provenance.
//
// One difference, for the metadata only the maintainer can give: package.json's author email
// (@n8n/community-nodes/valid-author) is reported as needed before a release but does not fail
// this check, unless `--release` is given (as the publish workflow does). Everything else fails.
//
// The scanner is resolved from node_modules, else tools/node_modules (npm ci --prefix tools), else
// N8N_SCAN_PACKAGE_DIR (a folder holding @n8n/scan-community-package's package.json).
// Exit status 0 when there is no error.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const release = process.argv.includes('--release');
const RELEASE_METADATA = new Set(['@n8n/community-nodes/valid-author']);

function scannerDir() {
	const candidates = [path.join(root, 'tools/node_modules/@n8n/scan-community-package'), process.env.N8N_SCAN_PACKAGE_DIR];
	try {
		candidates.unshift(path.dirname(createRequire(path.join(root, 'package.json')).resolve('@n8n/scan-community-package/package.json')));
	} catch {}
	const found = candidates.find((dir) => dir && fs.existsSync(path.join(dir, 'scanner/scanner.mjs')));
	if (!found) {
		console.error('lint:scan: @n8n/scan-community-package is not installed; run `npm ci --prefix tools --ignore-scripts` (or set N8N_SCAN_PACKAGE_DIR)');
		process.exit(2);
	}
	return found;
}

const dir = scannerDir();
const fromScanner = createRequire(path.join(dir, 'package.json'));
const { version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
const { buildScanConfig, SOURCE_FILE_PATTERNS } = await import(pathToFileURL(path.join(dir, 'scanner/scanner.mjs')).href);
const { ESLint } = await import(pathToFileURL(fromScanner.resolve('eslint')).href);
const glob = fromScanner('fast-glob');
console.log(`@n8n/scan-community-package ${version}: its rule set and ESLint ${ESLint.version}, inline eslint-disable comments ignored${release ? ', release mode' : ''}`);

/** The scanner's analyzePackage, step by step, keeping ESLint's results. */
async function lint(folder, patterns) {
	const eslint = new ESLint({ cwd: folder, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await buildScanConfig() });
	const files = glob.sync(patterns, { cwd: folder, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	return { files, results: await eslint.lintFiles(files), formatter: await eslint.loadFormatter('stylish') };
}

if (!fs.existsSync(path.join(root, 'dist'))) {
	console.error('lint:scan: no dist/ folder; run `npm run build` first');
	process.exit(2);
}
const { vendors } = createRequire(import.meta.url)('./packages/vendors.js');
const { version: packageVersion } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const vendorTarballs = vendors.map((entry) => path.join(root, 'dist-packages', `${entry.package}-${packageVersion}.tgz`));
const missing = vendorTarballs.filter((file) => !fs.existsSync(file));
if (missing.length) {
	console.error(`lint:scan: ${missing.map((f) => path.relative(root, f)).join(', ')} missing; run \`npm run build:packages\` first`);
	process.exit(2);
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-scan-'));
let errors = 0;
const blockers = new Set();
try {
	const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
	execFileSync('tar', ['-xzf', path.join(work, filename), '-C', work]);
	const targets = [
		['sources (package.json, nodes/, credentials/)', root, SOURCE_FILE_PATTERNS],
		[`packed tarball ${filename} (its JavaScript and package.json)`, path.join(work, 'package'), ['**/*.js', 'package.json']],
	];
	for (const tarball of vendorTarballs) {
		const folder = path.join(work, path.basename(tarball, '.tgz'));
		fs.mkdirSync(folder);
		execFileSync('tar', ['-xzf', tarball, '-C', folder, '--strip-components=1']);
		targets.push([`packed tarball ${path.relative(root, tarball)} (${(fs.statSync(tarball).size / 1024).toFixed(1)} kB; its JavaScript and package.json)`, folder, ['**/*.js', 'package.json']]);
	}
	for (const [label, folder, patterns] of targets) {
		const { files, results, formatter } = await lint(folder, patterns);
		for (const result of results) {
			result.messages = result.messages.filter((m) => {
				if (release || !RELEASE_METADATA.has(m.ruleId)) return true;
				blockers.add(`${path.relative(folder, result.filePath)}: ${m.message} (${m.ruleId})`);
				return false;
			});
			result.errorCount = result.messages.filter((m) => m.severity === 2).length;
			result.warningCount = result.messages.filter((m) => m.severity === 1).length;
		}
		const found = results.reduce((n, r) => n + r.errorCount, 0);
		const warnings = results.reduce((n, r) => n + r.warningCount, 0);
		errors += found;
		console.log(`${found === 0 ? 'ok' : 'FAILED'}: ${label}: ${files.length} files, ${found} errors, ${warnings} warnings`);
		if (found + warnings > 0) console.log(await formatter.format(results));
	}
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
for (const blocker of blockers) console.log(`needed before a release (npm run lint:scan -- --release fails without it): ${blocker}`);
console.log(`lint:scan: ${errors} errors`);
process.exit(errors === 0 ? 0 : 1);
