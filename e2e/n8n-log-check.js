// Reads n8n's own log (N8N_LOG_FILE_LOCATION, one JSON object per line) for e2e/run.sh.
//
//   loaded <package.json> <n8n.log> <N8N_USER_FOLDER>
//       n8n loaded every node and credential the package announces: its loader's debug line
//       counts them, and the node and credential types n8n generated for the editor (the files
//       it serves as /types/nodes.json and /types/credentials.json) list them.
//   warnings <package.json> <n8n.log> <n8n install folder> <work folder>
//       No warning or error in the log is about the package (loading, descriptions, credentials),
//       apart from the errors the wrong-key and wrong-token workflows exist to cause. The two
//       folders are blanked out first: their paths contain the package name (the default cache
//       folder, the temporary work folder), so every stack trace would otherwise look related.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { reporter, stripColours } = require('./lib');

const [command, packageFile, logFile, ...folders] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(packageFile, 'utf8'));
const entries = stripColours(fs.readFileSync(logFile, 'utf8'))
	.split('\n')
	.filter((line) => line.startsWith('{'))
	.map((line) => {
		try {
			return JSON.parse(line);
		} catch {
			return null;
		}
	})
	.filter(Boolean);

if (command === 'loaded') {
	const r = reporter('load');
	const nodes = pkg.n8n.nodes.length;
	const credentials = pkg.n8n.credentials.length;
	const loads = entries.filter((e) => e.message === `Loaded all credentials and nodes from ${pkg.name}`);
	const last = loads.at(-1)?.metadata ?? {};
	r.check(
		loads.length > 0 && last.nodes === nodes && last.credentials === credentials,
		`n8n's loader reports ${nodes} nodes and ${credentials} credentials from ${pkg.name} (got ${loads.length ? `${last.nodes} and ${last.credentials}` : 'no load line'})`,
	);
	const typesDir = path.join(folders[0], '.cache/n8n/public/types');
	const nodeTypes = JSON.parse(fs.readFileSync(path.join(typesDir, 'nodes.json'), 'utf8'));
	const credentialTypes = JSON.parse(fs.readFileSync(path.join(typesDir, 'credentials.json'), 'utf8'));
	// n8n adds a "…Tool" variant of every node with usableAsTool; those are not in package.json.
	const ours = nodeTypes.filter((t) => t.name.startsWith(`${pkg.name}.`) && !t.name.endsWith('Tool')).map((t) => t.name);
	const ourCredentials = credentialTypes.filter((c) => (c.supportedNodes ?? []).some((n) => n.startsWith(`${pkg.name}.`))).map((c) => c.name);
	r.check(ours.length === nodes, `the editor's node types list ${nodes} nodes of the package (${ours.join(', ')})`);
	r.check(ourCredentials.length === credentials, `the editor's credential types list ${credentials} credentials used by them (${ourCredentials.join(', ')})`);
	r.exit();
} else if (command === 'warnings') {
	const r = reporter('logs');
	// Anything naming the package, one of its node or credential types, or a vendor.
	const about = new RegExp(`${pkg.name}|dify|coze|bailian|kendra|openai|bedrock`, 'i');
	// The wrong-key, wrong-token and wrong-secret workflows fail on purpose, with these messages.
	// The backoff workflow's vendor answers Dify Cloud's rate limit on purpose (trigger-check.js backoff).
	const expected = [
		/The API key was rejected/,
		/access token/i,
		/authentication is invalid/i,
		/InvalidSignatureException/,
		/Code SignatureDoesNotMatch/,
		/OpenAI [a-z ]+ failed: Incorrect API key provided/,
		// n8n 2.40's durable scheduler stopped while polls are in flight: closing SQLite cancels the
		// write lock (SqliteWriteConnection.close → mutex.cancel), so the cursor of those polls is not
		// committed and their next poll repeats the window. The trigger checks show that a repeated
		// window reports nothing twice. Such a line names the package only through a file path.
		/Failed to commit the poll cursor; the next poll repeats the same window.*request for lock canceled/,
		/request rate limit of your subscription/,
	];
	const blank = (text) => folders.reduce((t, folder) => t.split(folder).join('<folder>'), text);
	const problems = entries
		.filter((e) => ['warn', 'error'].includes(e.level))
		.map((e) => blank(JSON.stringify(e)))
		.filter((text) => about.test(text) && !expected.some((x) => x.test(text)));
	r.check(problems.length === 0, `no warning or error about the package in n8n.log (${entries.length} log lines)`);
	for (const problem of problems.slice(0, 5)) console.log(`    ${problem.slice(0, 400)}`);
	r.exit();
} else {
	console.error('usage: n8n-log-check.js loaded <package.json> <n8n.log> <N8N_USER_FOLDER> | warnings <package.json> <n8n.log> <folder>...');
	process.exit(2);
}
