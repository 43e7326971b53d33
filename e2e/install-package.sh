#!/usr/bin/env bash
# Installs a packed n8n-nodes-indexing-status tarball into an n8n user folder the way n8n 2.40.7
# installs a community package from Settings > Community nodes (CommunityPackagesService
# .downloadPackage): unpack into .n8n/nodes/node_modules/<name>, drop dev, peer and optional
# dependencies from its package.json, run `npm install --ignore-scripts …` there, and record the
# package in .n8n/nodes/package.json. Doing the same steps means that anything the built code
# needs at run time but does not ship (a stray runtime dependency, a file outside `files`)
# fails here as it would for a user. n8n then finds the package by scanning that folder at start.
#
# Usage: e2e/install-package.sh <tarball> <N8N_USER_FOLDER>   (PATH must lead to the Node that runs n8n)
set -euo pipefail
TGZ=$(readlink -f "$1")
NODES=$2/.n8n/nodes
NAME=$(tar -xzOf "$TGZ" package/package.json | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).name')
PKGDIR=$NODES/node_modules/$NAME

rm -rf "$PKGDIR"
mkdir -p "$PKGDIR"
tar -xzf "$TGZ" -C "$PKGDIR" --strip-components=1
node -e '
	const fs = require("fs");
	const [pkgDir, nodesDir] = process.argv.slice(1);
	const file = `${pkgDir}/package.json`;
	const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(fs.readFileSync(file, "utf8"));
	fs.writeFileSync(file, JSON.stringify(pkg, null, 2));
	let top = { name: "installed-nodes", private: true, dependencies: {} };
	try { top = JSON.parse(fs.readFileSync(`${nodesDir}/package.json`, "utf8")); } catch {}
	top.dependencies = { ...top.dependencies, [pkg.name]: pkg.version };
	fs.writeFileSync(`${nodesDir}/package.json`, JSON.stringify(top, null, 2));
' "$PKGDIR" "$NODES"
cd "$PKGDIR"
npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow --ignore-scripts=true --package-lock=false
