#!/usr/bin/env bash
# End-to-end check: this package inside a real n8n 2.40.7 (Node 24), against the repository's
# vendor simulator. `npm run e2e` runs it; see "Checking in real n8n" in README.md.
#
# The jest suite runs the nodes through the n8n-core that Node 20 can install (2.11.1). This check
# covers what that cannot: the n8n users run today loading the packed package from its
# community-nodes folder, its own n8n-workflow, the CLI, the REST API and the database.
#
# Steps: install or reuse n8n; build and pack the package; install the tarball as n8n installs a
# community package; start the simulator; import credentials, workflows and examples/*.json;
# start n8n (package loaded, credential tests through the REST API, example parameters, and
# optionally the editor in a browser); execute the workflows and examples with `n8n execute`;
# optionally run the triggers in n8n start under both schedulers, and queue mode; scan logs and
# files for warnings and secrets. Every check prints a PASS or FAIL line; the last line counts them.
#
# Environment:
#   E2E_N8N_DIR      where n8n and Node 24 are installed, and reused from
#                    (default ${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-indexing-status/n8n-2.40.7)
#   E2E_WORK_DIR     work folder (default: a new temporary folder, removed after a passing run)
#   E2E_KEEP=1       keep the work folder after a passing run too
#   E2E_TRIGGER=1    also run every vendor's trigger in n8n start, under both of n8n's schedulers,
#                    across restarts (adds about 6 minutes)
#   E2E_TRIGGER_MODES  which schedulers (default "default durable")
#   E2E_QUEUE=1      also run n8n in queue mode on PostgreSQL, the database n8n supports for it:
#                    Debian's postgresql and redis-server (must be installed; E2E_PG_BIN names
#                    PostgreSQL's bin folder if not /usr/lib/postgresql/<newest>/bin), each on a free
#                    port, one main process and two `n8n worker`s sharing the database; a webhook
#                    that waits for indexing and a trigger, executed on a worker (about 2 minutes)
#   E2E_EDITOR=1     also open the editor in headless Chromium (Debian's chromium; playwright-core
#                    from node_modules or tools/): node panel, parameters, credential dialogs
#                    (about 2 minutes)
#   E2E_EDITOR_SHOTS where its screenshots go (default: the work folder's editor/; docs/ refreshes
#                    the README's)
#   E2E_EXECUTIONS=0 skip the `n8n execute` steps (while working on the trigger or queue checks)
#   E2E_PACKAGES=0   skip the one-vendor packages (by default each is built by build:packages,
#                    installed alone into a fresh user folder and run: load, credential test,
#                    trigger activation, Get and Wait, on workflows migrated from the all-in-one;
#                    then the all-in-one and the Dify package side by side; about 5 minutes)
# Exit status: 0 when every check passed.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
E2E=$ROOT/e2e

N8N_VERSION=2.40.7
# Absolute paths, taken before the cd below, so that relative values mean what the caller meant.
N8N_DIR=$(realpath -m "${E2E_N8N_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-indexing-status/n8n-$N8N_VERSION}")
if [ -n "${E2E_WORK_DIR:-}" ]; then
	# A used folder would mix in the last run's user folder, executions and simulator file.
	if [ -n "$(ls -A "$E2E_WORK_DIR" 2> /dev/null)" ]; then
		echo "E2E_WORK_DIR=$E2E_WORK_DIR is not empty; give a new or empty folder" >&2
		exit 1
	fi
	mkdir -p "$E2E_WORK_DIR"
	WORK=$(cd "$E2E_WORK_DIR" && pwd)
else
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/n8n-nodes-indexing-status-e2e.XXXXXX")
fi
cd "$ROOT"
OUT=$WORK/out          # n8n outputs, scanned for secrets at the end
RESULTS=$WORK/results.txt
mkdir -p "$OUT"
: > "$RESULTS"

# ---------------------------------------------------------------------------------------------
# Reporting

pass() { echo "PASS [$1] $2" | tee -a "$RESULTS"; }
fail() { echo "FAIL [$1] $2" | tee -a "$RESULTS"; }
failures() { grep -c '^FAIL' "$RESULTS"; }
# Each step's heading; the next heading (or the end) prints how long the step took, so that CI's
# time budget can be followed step by step.
STEP_STARTED=
step_took() { [ -n "$STEP_STARTED" ] && echo "    (step took $((SECONDS - STEP_STARTED)) s)"; STEP_STARTED=; }
step() { step_took; echo; echo "--- $*"; STEP_STARTED=$SECONDS; }
# Runs a check script; its PASS/FAIL lines count. A script that dies without printing a FAIL
# line (a crash, a missing file) counts as one failure, so nothing fails silently.
run_check() {
	local label=$1 before rc
	shift
	before=$(failures)
	"$@" 2>&1 | tee -a "$RESULTS"
	rc=${PIPESTATUS[0]}
	if [ "$rc" != 0 ] && [ "$(failures)" = "$before" ]; then fail "$label" "check script exited with status $rc"; fi
}
# Shows the end of a log when a step fails, indented so that it cannot pass for a result line.
show_tail() { tail -n "${2:-25}" "$1" | sed 's/^/    /'; }

finish() {
	local passed failed
	step_took
	passed=$(grep -c '^PASS' "$RESULTS")
	failed=$(failures)
	echo
	if [ "$failed" = 0 ] && [ "${E2E_KEEP:-0}" != 1 ] && [ -z "${E2E_WORK_DIR:-}" ]; then
		echo "work folder $WORK removed (E2E_KEEP=1 keeps it)"
		REMOVE_WORK=1
	else
		echo "outputs and logs kept in $WORK"
	fi
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit
}

# ---------------------------------------------------------------------------------------------
# Processes. Every long-running process gets its own session (setsid), so that stopping it
# stops its children too (n8n starts a task runner), and the EXIT trap stops whatever is left
# when the run ends, fails or is interrupted.

PGIDS=()
REMOVE_WORK=0
stop_group() {
	local pgid=$1
	kill -TERM -- "-$pgid" 2> /dev/null || return 0
	for _ in $(seq 50); do kill -0 -- "-$pgid" 2> /dev/null || return 0; sleep 0.2; done
	kill -KILL -- "-$pgid" 2> /dev/null
	return 0
}
cleanup() {
	local pgid
	for pgid in "${PGIDS[@]}"; do stop_group "$pgid"; done
	[ "$REMOVE_WORK" = 1 ] && rm -rf "$WORK"
}
# fd 3 is the run's own output: a signal can arrive while a step's output is redirected to a file.
exec 3>&1
trap cleanup EXIT
trap 'echo "interrupted: stopping n8n and the simulator; outputs kept in $WORK" >&3; exit 130' INT TERM
forget_group() {
	local pgid=$1 kept=() p
	for p in "${PGIDS[@]}"; do [ "$p" != "$pgid" ] && kept+=("$p"); done
	PGIDS=("${kept[@]}")
}
# Runs a command in its own session with a time limit and waits for it. Waiting with `wait`
# (not in the foreground) lets Ctrl-C reach the trap at once.
run_limited() {
	local limit=$1 pid rc
	shift
	setsid timeout "$limit" "$@" &
	pid=$!
	PGIDS+=("$pid")
	wait "$pid"
	rc=$?
	forget_group "$pid"
	return "$rc"
}
# Free TCP ports on 127.0.0.1, so that parallel runs (and a developer's own n8n on 5678/5679)
# never collide. They are taken below the kernel's ephemeral range: a port picked there and
# released could be handed to any later listen(0) or outgoing connection (the simulator, the
# chat model, n8n's own clients) before n8n binds it, which once stopped n8n with "port … is
# already in use". Below the range, only a fixed-port server could take it.
free_ports() {
	node -e '
		const fs = require("node:fs");
		const net = require("node:net");
		let low = 32768;
		try {
			low = Number(fs.readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]) || low;
		} catch {}
		const first = Math.max(1024, Math.min(10000, low - 2000));
		const tryListen = (port) =>
			new Promise((resolve) => {
				const server = net.createServer();
				server.once("error", () => resolve(null));
				server.listen(port, "127.0.0.1", () => resolve(server));
			});
		(async () => {
			const servers = [];
			while (servers.length < Number(process.argv[1])) {
				const server = await tryListen(first + Math.floor(Math.random() * (low - first)));
				if (server) servers.push(server);
			}
			console.log(servers.map((s) => s.address().port).join(" "));
			servers.forEach((s) => s.close());
		})();' "$1"
}
http_ok() { node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1"; }

# ---------------------------------------------------------------------------------------------

echo "n8n-nodes-indexing-status end-to-end check in real n8n $N8N_VERSION"
echo "work folder: $WORK"

step "n8n $N8N_VERSION and Node 24 in $N8N_DIR"
if "$E2E/install-n8n.sh" "$N8N_DIR" 2>&1 | tee "$WORK/install-n8n.log" | sed 's/^/    /'; [ "${PIPESTATUS[0]}" = 0 ]; then
	pass runtime "n8n $N8N_VERSION runs under Node 24 ($N8N_DIR)"
else
	fail runtime "n8n $N8N_VERSION under Node 24 could not be installed in $N8N_DIR"
	finish
fi
NODE24_BIN=$N8N_DIR/node24/package/bin
N8N_BIN=$N8N_DIR/app/node_modules/.bin
TS_NODE=$ROOT/node_modules/.bin/ts-node
if [ ! -x "$TS_NODE" ]; then
	fail setup "the repository's dev dependencies are missing (run npm ci first)"
	finish
fi

step "build and pack"
if npm run build > "$WORK/build.log" 2>&1; then
	pass build "npm run build"
else
	fail build "npm run build"
	show_tail "$WORK/build.log"
	finish
fi
if npm pack --pack-destination "$WORK" --json > "$WORK/pack.json" 2> "$WORK/pack.log"; then
	TARBALL=$WORK/$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0].filename' "$WORK/pack.json")
	pass pack "npm pack: $(basename "$TARBALL")"
else
	fail pack "npm pack"
	show_tail "$WORK/pack.log"
	finish
fi
PACKAGE=$(node -p 'require("./package.json").name')

# From here on, node and n8n are the install's: the check scripts that read n8n's files use its
# n8n-workflow and sqlite3, built for Node 24. The simulator keeps the repository's Node.
SIM_NODE_PATH=$PATH
export PATH=$NODE24_BIN:$N8N_BIN:$PATH
read -r BROKER_PORT N8N_PORT < <(free_ports 2)

# n8n reads its whole configuration from the environment. Everything it writes goes into the work
# folder; it listens on 127.0.0.1 only; telemetry, version checks and templates are off (other
# lookups of api.n8n.io may fail offline, harmlessly); settings that a developer's shell may carry
# for another n8n (database, queue mode) are pinned.
export N8N_USER_FOLDER=$WORK/user
export N8N_RUNNERS_BROKER_PORT=$BROKER_PORT N8N_PORT=$N8N_PORT N8N_LISTEN_ADDRESS=127.0.0.1
export DB_TYPE=sqlite EXECUTIONS_MODE=regular
export N8N_DIAGNOSTICS_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false N8N_TEMPLATES_ENABLED=false
export N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=false
export N8N_LOG_OUTPUT=console,file N8N_LOG_FILE_LOCATION=$WORK/n8n.log N8N_LOG_LEVEL=debug
# Earlier n8n versions made tool variants of community nodes only with this switch; 2.40.7 reads
# no such variable and makes them for every node with usableAsTool (locator-check.js tools).
export N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE=true
mkdir -p "$N8N_USER_FOLDER"
echo "n8n user folder: $N8N_USER_FOLDER  task broker port: $BROKER_PORT  n8n port: $N8N_PORT"

step "install the package as n8n installs a community package"
if "$E2E/install-package.sh" "$TARBALL" "$N8N_USER_FOLDER" > "$WORK/install-package.log" 2>&1; then
	pass install "unpacked into .n8n/nodes/node_modules/$PACKAGE, npm install --ignore-scripts without dev/peer dependencies"
else
	fail install "installing the tarball into $N8N_USER_FOLDER/.n8n/nodes"
	show_tail "$WORK/install-package.log"
	finish
fi

step "simulator"
PATH=$SIM_NODE_PATH setsid "$TS_NODE" --transpile-only --prefer-ts-exts "$E2E/simulator.ts" "$WORK/sim.json" > "$WORK/simulator.log" 2>&1 &
PGIDS+=("$!")
for _ in $(seq 120); do [ -s "$WORK/sim.json" ] && break; sleep 0.25; done
if [ -s "$WORK/sim.json" ]; then
	pass simulator "test/simulator running: Dify $(node -p 'require(process.argv[1]).baseUrl' "$WORK/sim.json"), Coze $(node -p 'require(process.argv[1]).coze.baseUrl' "$WORK/sim.json"), Kendra $(node -p 'require(process.argv[1]).kendra.baseUrl' "$WORK/sim.json")"
else
	fail simulator "test/simulator did not start"
	show_tail "$WORK/simulator.log"
	finish
fi
CONTROL=$(node -p 'require(process.argv[1]).controlUrl' "$WORK/sim.json")

step "scripted chat model (for the AI agent check)"
setsid node "$E2E/scripted-chat-model.js" "$WORK/sim.json" "$WORK/chat-model.json" > "$WORK/chat-model.out" 2>&1 &
PGIDS+=("$!")
for _ in $(seq 40); do [ -s "$WORK/chat-model.json" ] && break; sleep 0.25; done
if [ -s "$WORK/chat-model.json" ]; then
	pass "chat model" "an OpenAI-compatible scripted model on $(node -p 'require(process.argv[1]).url' "$WORK/chat-model.json")"
else
	fail "chat model" "e2e/scripted-chat-model.js did not start"
	show_tail "$WORK/chat-model.out"
fi

step "import credentials, workflows and examples"
node "$E2E/fixtures.js" "$WORK/sim.json" "$WORK" > /dev/null
# Each one-vendor package's Get and Wait on documents of its own (imported and exported here with
# the rest, run only on the package).
[ "${E2E_PACKAGES:-1}" = 1 ] && node "$E2E/packages-check.js" fixtures "$WORK" | sed 's/^/    /'
# Resource locators, the workflow saved as 0.1.0 saved it, and the AI agent.
node "$E2E/fixtures-locators.js" "$WORK/sim.json" "$WORK/chat-model.json" "$WORK" > /dev/null
# import:* exits 0 and prints "Successfully imported …" when it worked.
import_check() { # status label logfile
	if [ "$1" = 0 ] && grep -q 'Successfully imported' "$3"; then pass import "$2"; else fail import "$2 (exit status $1)"; show_tail "$3" 15; fi
}
run_limited 120 n8n import:credentials --input="$WORK/credentials.json" > "$OUT/import-credentials.log" 2>&1
import_check $? "credentials (Dify, Coze, Bailian, Kendra, OpenAI and Bedrock, good and wrong secrets)" "$OUT/import-credentials.log"
run_limited 120 n8n import:credentials --input="$WORK/credentials-locators.json" > "$OUT/import-credentials-locators.log" 2>&1
import_check $? "credential of the scripted chat model (OpenAI API, Base URL on 127.0.0.1)" "$OUT/import-credentials-locators.log"
run_limited 120 n8n import:workflow --separate --input="$WORK/workflows" > "$OUT/import-workflows.log" 2>&1
import_check $? "e2e workflows ($(ls "$WORK/workflows" | wc -l))" "$OUT/import-workflows.log"
# The examples as shipped, and runnable copies pointed at the simulator, in one import.
mkdir -p "$WORK/examples"
cp "$ROOT"/examples/*.json "$WORK/examples/"
node "$E2E/examples.js" prepare "$WORK/sim.json" "$WORK/example-runs" "$ROOT"/examples/*.json | sed 's/^/    /'
cp "$WORK"/example-runs/example*.json "$WORK/examples/" 2> /dev/null
run_limited 120 n8n import:workflow --separate --input="$WORK/examples" > "$OUT/import-examples.log" 2>&1
import_check $? "examples/*.json and their runnable copies ($(ls "$WORK/examples" | wc -l) workflows)" "$OUT/import-examples.log"
run_limited 120 n8n export:workflow --all --separate --output="$WORK/exported" > "$OUT/export-workflows.log" 2>&1
run_check examples node "$E2E/examples.js" roundtrip "$WORK/exported" "$ROOT"/examples/*.json
run_check stored node "$E2E/locator-check.js" stored "$WORK/exported"

# The trigger check (and the queue-mode check) start from the user folder as it is now.
cp -a "$N8N_USER_FOLDER" "$WORK/user-snapshot"

step "n8n start: package loaded, credential tests, example parameters"
# A fresh user folder has no owner; the REST API needs one, and credential-test.js creates it.
setsid n8n start > "$OUT/start.log" 2>&1 &
N8N_PID=$!
PGIDS+=("$N8N_PID")
for _ in $(seq 120); do http_ok "http://127.0.0.1:$N8N_PORT/healthz/readiness" && break; sleep 1; done
if http_ok "http://127.0.0.1:$N8N_PORT/healthz/readiness"; then
	pass start "n8n start is ready on port $N8N_PORT"
	run_check load node "$E2E/n8n-log-check.js" loaded "$ROOT/package.json" "$WORK/n8n.log" "$N8N_USER_FOLDER"
	run_check "credential test" node "$E2E/credential-test.js" "http://127.0.0.1:$N8N_PORT" "$WORK/sim.json"
	run_check examples node "$E2E/examples.js" recognize "$N8N_DIR/app" "$N8N_USER_FOLDER" "$ROOT"/examples/*.json
	run_check "ai tools" node "$E2E/locator-check.js" tools "$ROOT/package.json" "$N8N_USER_FOLDER"
	run_check lists node "$E2E/locator-check.js" lists "http://127.0.0.1:$N8N_PORT" "$WORK/sim.json"
	if [ "${E2E_LIST_SCREENSHOT:-0}" = 1 ]; then
		# Headless Chromium driven by playwright-core (PLAYWRIGHT_CORE: its folder, if not in node_modules).
		run_check screenshot node "$E2E/screenshot-list-mode.js" "http://127.0.0.1:$N8N_PORT" "$WORK/sim.json" "$ROOT/docs"
	fi
	if [ "${E2E_EDITOR:-0}" = 1 ]; then
		editor_started=$SECONDS
		run_check editor node "$E2E/editor-check.js" "http://127.0.0.1:$N8N_PORT" "$WORK/sim.json" "$(realpath -m "${E2E_EDITOR_SHOTS:-$WORK/editor}")"
		echo "    editor check took $((SECONDS - editor_started)) s"
	fi
else
	fail start "n8n start did not become ready on port $N8N_PORT"
	show_tail "$OUT/start.log"
fi
stop_group "$N8N_PID"
forget_group "$N8N_PID"

execute() { # step workflowId
	local started=$SECONDS
	# info, not debug: the output file should hold little besides the execution JSON.
	N8N_LOG_LEVEL=info run_limited 300 n8n execute --id "$2" --rawOutput > "$OUT/$1.out" 2>&1
	echo "    $1: n8n execute --id $2 ($((SECONDS - started)) s)"
}
if [ "${E2E_EXECUTIONS:-1}" = 1 ]; then
	step "executions (n8n execute)"
	execute dify-wait wfWaitE2E0000001
	run_check dify-wait node "$E2E/check-execution.js" dify-wait "$OUT/dify-wait.out" "$WORK/sim.json"
	execute dify-get wfGetE2E00000001
	run_check dify-get node "$E2E/check-execution.js" dify-get "$OUT/dify-get.out" "$WORK/sim.json"
	execute dify-wrong-key wfWrongE2E000001
	run_check dify-wrong-key node "$E2E/check-execution.js" dify-wrong-key "$OUT/dify-wrong-key.out" "$WORK/sim.json"
	execute dify-summary wfSumE2E00000001
	run_check dify-summary node "$E2E/check-execution.js" dify-summary "$OUT/dify-summary.out" "$WORK/sim.json"
	execute coze-wait wfCozeWait000001
	run_check coze-wait node "$E2E/check-execution.js" coze-wait "$OUT/coze-wait.out" "$WORK/sim.json"
	# Coze without `Agw-Js-Conv: str` writes int64 ids as bare numbers; the simulator does so now.
	http_ok "$CONTROL/coze/idsAsNumbers?on=1"
	execute coze-number-ids wfCozeNum0000001
	http_ok "$CONTROL/coze/idsAsNumbers?on=0"
	run_check coze-number-ids node "$E2E/check-execution.js" coze-number-ids "$OUT/coze-number-ids.out" "$WORK/sim.json"
	execute coze-wrong-token wfCozeWrong00001
	run_check coze-wrong-token node "$E2E/check-execution.js" coze-wrong-token "$OUT/coze-wrong-token.out" "$WORK/sim.json"
	execute kendra-wait wfKendraWait0001
	run_check kendra-wait node "$E2E/check-execution.js" kendra-wait "$OUT/kendra-wait.out" "$WORK/sim.json"
	execute kendra-get wfKendraGet00001
	run_check kendra-get node "$E2E/check-execution.js" kendra-get "$OUT/kendra-get.out" "$WORK/sim.json"
	execute kendra-wrong-secret wfKendraWrong001
	run_check kendra-wrong-secret node "$E2E/check-execution.js" kendra-wrong-secret "$OUT/kendra-wrong-secret.out" "$WORK/sim.json"
	execute openai-wait wfOpenAiWait0001
	run_check openai-wait node "$E2E/check-execution.js" openai-wait "$OUT/openai-wait.out" "$WORK/sim.json"
	execute openai-get wfOpenAiGet00001
	run_check openai-get node "$E2E/check-execution.js" openai-get "$OUT/openai-get.out" "$WORK/sim.json"
	execute openai-wrong-key wfOpenAiWrong001
	run_check openai-wrong-key node "$E2E/check-execution.js" openai-wrong-key "$OUT/openai-wrong-key.out" "$WORK/sim.json"
	execute bedrock-wait wfBedrockWait001
	run_check bedrock-wait node "$E2E/check-execution.js" bedrock-wait "$OUT/bedrock-wait.out" "$WORK/sim.json"
	execute bedrock-get wfBedrockGet0001
	run_check bedrock-get node "$E2E/check-execution.js" bedrock-get "$OUT/bedrock-get.out" "$WORK/sim.json"
	execute bedrock-wrong-secret wfBedrockWrong01
	run_check bedrock-wrong-secret node "$E2E/check-execution.js" bedrock-wrong-secret "$OUT/bedrock-wrong-secret.out" "$WORK/sim.json"
	execute bailian-get wfBailGet0000001
	run_check bailian-get node "$E2E/check-execution.js" bailian-get "$OUT/bailian-get.out" "$WORK/sim.json"
	execute bailian-wait wfBailWait000001
	run_check bailian-wait node "$E2E/check-execution.js" bailian-wait "$OUT/bailian-wait.out" "$WORK/sim.json"
	execute bailian-sts-wait wfBailSTS0000001
	run_check bailian-sts-wait node "$E2E/check-execution.js" bailian-sts-wait "$OUT/bailian-sts-wait.out" "$WORK/sim.json"
	execute bailian-wrong-secret wfBailWrong00001
	run_check bailian-wrong-secret node "$E2E/check-execution.js" bailian-wrong-secret "$OUT/bailian-wrong-secret.out" "$WORK/sim.json"

	step "resource locators, a workflow saved by 0.1.0, and an AI agent calling the Dify Knowledge tool"
	locator_run() { # step workflowId
		execute "$1" "$2"
		run_check "$1" node "$E2E/locator-check.js" execution "$1" "$OUT/$1.out" "$WORK/sim.json" "$WORK/chat-model.json"
	}
	locator_run dify-url wfDifyLocUrl0001
	locator_run coze-list wfCozeLocList001
	locator_run kendra-url wfKendraLocUrl01
	locator_run bailian-ids wfBailLocIds0001
	locator_run dify-old-format wfDifyOldFmt0001
	locator_run agent-tool wfAgentTool00001

	step "examples executed against the simulator"
	for id in $(node -p 'require(process.argv[1]).filter((r) => !r.trigger).map((r) => r.id).join(" ")' "$WORK/example-runs/runs.json"); do
		file=$(node -p 'require(process.argv[1]).find((r) => r.id === process.argv[2]).file' "$WORK/example-runs/runs.json" "$id")
		execute "example-${file%.json}" "$id"
		run_check "example $file" node "$E2E/examples.js" check-run "$id" "$WORK/example-runs/runs.json" "$OUT/example-${file%.json}.out" "$WORK/sim.json"
	done
fi

if [ "${E2E_PACKAGES:-1}" = 1 ]; then
	# Each one-vendor package alone in a fresh user folder of the same n8n install: the workflows as
	# the all-in-one package's n8n exported them above, moved over with scripts/migrate-workflows.js.
	step "one-vendor packages (npm run build:packages), each installed alone; workflows saved with the all-in-one package migrated"
	packages_started=$SECONDS
	if PATH=$SIM_NODE_PATH node "$ROOT/scripts/build-packages.js" > "$WORK/build-packages.log" 2>&1; then
		pass packages "npm run build:packages: $(grep -c '\.tgz:' "$WORK/build-packages.log") tarballs"
		sed 's/^/    /' "$WORK/build-packages.log"
	else
		fail packages "npm run build:packages"
		show_tail "$WORK/build-packages.log"
	fi
	VERSION=$(node -p 'require("./package.json").version')
	for vendor in $(node -p 'require("./scripts/packages/vendors").vendors.map((e) => e.vendor).join(" ")'); do
		vendor_started=$SECONDS
		read -r PKG_NAME GET_ID GET_STEP WAIT_ID WAIT_STEP TRIGGER_ID CREDENTIAL_TYPES < <(node -p '
			const e = require("./scripts/packages/vendors").vendors.find((v) => v.vendor === process.argv[1]);
			const { aloneWorkflowId } = require("./e2e/lib");
			const [get, getStep] = e.e2e.get, [wait, waitStep] = e.e2e.wait;
			[e.package, aloneWorkflowId(get), getStep, aloneWorkflowId(wait), waitStep, e.e2e.trigger, e.credentialTypes.join(",")].join(" ")' "$vendor")
		PKG_USER=$WORK/user-pkg-$vendor PKG_WORK=$WORK/pkg-$vendor PKG_LOG=$WORK/n8n-pkg-$vendor.log
		mkdir -p "$PKG_USER"
		if ! "$E2E/install-package.sh" "$ROOT/dist-packages/$PKG_NAME-$VERSION.tgz" "$PKG_USER" > "$WORK/install-$PKG_NAME.log" 2>&1; then
			fail "package $vendor" "installing dist-packages/$PKG_NAME-$VERSION.tgz alone"
			show_tail "$WORK/install-$PKG_NAME.log"
			continue
		fi
		pass "package $vendor" "$PKG_NAME-$VERSION.tgz installed alone as n8n installs a community package ($(ls "$PKG_USER/.n8n/nodes/node_modules" | tr '\n' ' '))"
		run_check "package $vendor" node "$E2E/packages-check.js" prepare "$vendor" "$WORK" "$PKG_WORK"
		N8N_USER_FOLDER=$PKG_USER run_limited 120 n8n import:credentials --input="$PKG_WORK/credentials.json" > "$OUT/import-credentials-$vendor.log" 2>&1
		import_check $? "$vendor credentials into the $PKG_NAME user folder" "$OUT/import-credentials-$vendor.log"
		N8N_USER_FOLDER=$PKG_USER run_limited 120 n8n import:workflow --separate --input="$PKG_WORK/workflows" > "$OUT/import-workflows-$vendor.log" 2>&1
		import_check $? "the migrated workflows ($GET_ID, $WAIT_ID, $TRIGGER_ID) into the $PKG_NAME user folder" "$OUT/import-workflows-$vendor.log"
		run_check "package $vendor" node "$E2E/packages-check.js" publish "$N8N_DIR/app" "$PKG_USER" "$TRIGGER_ID"
		setsid env N8N_USER_FOLDER="$PKG_USER" N8N_LOG_FILE_LOCATION="$PKG_LOG" n8n start > "$OUT/start-pkg-$vendor.log" 2>&1 &
		N8N_PID=$!
		PGIDS+=("$N8N_PID")
		for _ in $(seq 120); do http_ok "http://127.0.0.1:$N8N_PORT/healthz/readiness" && break; sleep 1; done
		if http_ok "http://127.0.0.1:$N8N_PORT/healthz/readiness"; then
			run_check "package $vendor" node "$E2E/n8n-log-check.js" loaded "$ROOT/dist-packages/$PKG_NAME/package.json" "$PKG_LOG" "$PKG_USER"
			run_check "package $vendor" node "$E2E/credential-test.js" "http://127.0.0.1:$N8N_PORT" "$WORK/sim.json" "$CREDENTIAL_TYPES"
			run_check "package $vendor" node "$E2E/packages-check.js" trigger "$vendor" "$N8N_DIR/app" "$PKG_USER" "$PKG_WORK" "$TRIGGER_ID"
		else
			fail "package $vendor" "n8n start with $PKG_NAME did not become ready"
			show_tail "$OUT/start-pkg-$vendor.log"
		fi
		stop_group "$N8N_PID"
		forget_group "$N8N_PID"
		N8N_USER_FOLDER=$PKG_USER execute "pkg-$GET_STEP" "$GET_ID"
		run_check "package $vendor" node "$E2E/check-execution.js" "$GET_STEP" "$OUT/pkg-$GET_STEP.out" "$WORK/sim-alone.json"
		N8N_USER_FOLDER=$PKG_USER execute "pkg-$WAIT_STEP" "$WAIT_ID"
		run_check "package $vendor" node "$E2E/check-execution.js" "$WAIT_STEP" "$OUT/pkg-$WAIT_STEP.out" "$WORK/sim-alone.json"
		run_check logs node "$E2E/n8n-log-check.js" warnings "$ROOT/dist-packages/$PKG_NAME/package.json" "$PKG_LOG" "$N8N_DIR" "$WORK"
		echo "    $PKG_NAME took $((SECONDS - vendor_started)) s"
	done

	# The all-in-one package and a one-vendor package in one n8n: both define the same credential
	# types. The same workflow as the all-in-one saved it and migrated, on one credential.
	step "side by side: n8n-nodes-indexing-status and n8n-nodes-indexing-status-dify in one n8n"
	SIDE_USER=$WORK/user-side-by-side SIDE_LOG=$WORK/n8n-side-by-side.log
	mkdir -p "$SIDE_USER"
	if "$E2E/install-package.sh" "$TARBALL" "$SIDE_USER" > "$WORK/install-side.log" 2>&1 &&
		"$E2E/install-package.sh" "$ROOT/dist-packages/$PACKAGE-dify-$VERSION.tgz" "$SIDE_USER" >> "$WORK/install-side.log" 2>&1; then
		pass side-by-side "both installed into one user folder ($(ls "$SIDE_USER/.n8n/nodes/node_modules" | tr '\n' ' '))"
	else
		fail side-by-side "installing both packages"
		show_tail "$WORK/install-side.log"
	fi
	read -r SIDE_OLD SIDE_NEW < <(node "$E2E/packages-check.js" side-by-side dify "$WORK" "$WORK/side-workflows")
	node "$E2E/packages-check.js" prepare dify "$WORK" "$WORK/side-prepared" > /dev/null
	N8N_USER_FOLDER=$SIDE_USER run_limited 120 n8n import:credentials --input="$WORK/side-prepared/credentials.json" > "$OUT/import-credentials-side.log" 2>&1
	import_check $? "Dify credentials into the side-by-side user folder" "$OUT/import-credentials-side.log"
	N8N_USER_FOLDER=$SIDE_USER run_limited 120 n8n import:workflow --separate --input="$WORK/side-workflows" > "$OUT/import-workflows-side.log" 2>&1
	import_check $? "$SIDE_OLD (as the all-in-one saved it) and $SIDE_NEW (migrated)" "$OUT/import-workflows-side.log"
	setsid env N8N_USER_FOLDER="$SIDE_USER" N8N_LOG_FILE_LOCATION="$SIDE_LOG" n8n start > "$OUT/start-side.log" 2>&1 &
	N8N_PID=$!
	PGIDS+=("$N8N_PID")
	for _ in $(seq 120); do http_ok "http://127.0.0.1:$N8N_PORT/healthz/readiness" && break; sleep 1; done
	if http_ok "http://127.0.0.1:$N8N_PORT/healthz/readiness"; then
		pass side-by-side "n8n start is ready with both packages"
		run_check side-by-side node "$E2E/n8n-log-check.js" loaded "$ROOT/package.json" "$SIDE_LOG" "$SIDE_USER"
		run_check side-by-side node "$E2E/n8n-log-check.js" loaded "$ROOT/dist-packages/$PACKAGE-dify/package.json" "$SIDE_LOG" "$SIDE_USER"
		run_check side-by-side node "$E2E/credential-test.js" "http://127.0.0.1:$N8N_PORT" "$WORK/sim.json" difyKnowledgeApi
	else
		fail side-by-side "n8n start with both packages did not become ready"
		show_tail "$OUT/start-side.log"
	fi
	stop_group "$N8N_PID"
	forget_group "$N8N_PID"
	N8N_USER_FOLDER=$SIDE_USER execute side-old "$SIDE_OLD"
	run_check side-by-side node "$E2E/check-execution.js" dify-get "$OUT/side-old.out" "$WORK/sim.json"
	N8N_USER_FOLDER=$SIDE_USER execute side-new "$SIDE_NEW"
	run_check side-by-side node "$E2E/check-execution.js" dify-get "$OUT/side-new.out" "$WORK/sim.json"
	echo "    one-vendor packages and side by side took $((SECONDS - packages_started)) s"
fi

if [ "${E2E_TRIGGER:-0}" = 1 ]; then
	# Each mode gets a copy of the user folder as it was before n8n first started (credentials,
	# workflows, the package), with only its own trigger workflows published.
	for mode in ${E2E_TRIGGER_MODES:-default durable}; do
		step "triggers, $mode scheduler: every vendor, whole dataset and fixed set, across restarts of n8n start"
		MODE_USER=$WORK/user-$mode
		cp -a "$WORK/user-snapshot" "$MODE_USER"
		# The trigger example runs beside the default mode's triggers, on the dataset of one of them.
		EXTRA=()
		if [ "$mode" = default ]; then
			EXTRA=($(node -p 'require(process.argv[1]).filter((r) => r.trigger).map((r) => r.id).join(" ")' "$WORK/example-runs/runs.json"))
		else
			# n8n's poll backoff after a rate-limited poll (trigger-check.js backoff, run 1).
			EXTRA=($(node -p 'require(process.argv[1]).BACKOFF_WORKFLOW_ID' "$E2E/lib.js"))
		fi
		run_check "trigger $mode" node "$E2E/trigger-check.js" publish "$N8N_DIR/app" "$MODE_USER" "$WORK/sim.json" "$mode" "${EXTRA[@]}"
		MODE_ENV=()
		if [ "$mode" = durable ]; then
			MODE_ENV=(N8N_SCHEDULER_ENABLED=true N8N_SCHEDULER_POLL_TRIGGERS_ENABLED=true N8N_USE_WORKFLOW_PUBLICATION_SERVICE=true N8N_POLLER_DURABLE_CURSORS_ENABLED=true)
		else
			MODE_ENV=(N8N_SCHEDULER_ENABLED=false N8N_SCHEDULER_POLL_TRIGGERS_ENABLED=false N8N_POLLER_DURABLE_CURSORS_ENABLED=false)
		fi
		# Three runs of n8n start. Between them (n8n stopped) documents finish; in the second run one
		# more fails between two polls. Each run lasts two poll times (four in the second).
		for run in 1 2 3; do
			started_ms=$(node -p 'Date.now()')
			run_started=$SECONDS
			setsid env "${MODE_ENV[@]}" N8N_USER_FOLDER="$MODE_USER" n8n start > "$OUT/start-trigger-$mode-$run.log" 2>&1 &
			N8N_PID=$!
			PGIDS+=("$N8N_PID")
			# Up to 4 minutes: a restart with 19 active trigger workflows on a loaded 2-core machine
			# has taken more than 2.
			for _ in $(seq 240); do http_ok "http://127.0.0.1:$N8N_PORT/healthz/readiness" && break; sleep 1; done
			if ! http_ok "http://127.0.0.1:$N8N_PORT/healthz/readiness"; then
				fail "trigger $mode" "run $run: n8n start did not become ready"
				show_tail "$OUT/start-trigger-$mode-$run.log"
			fi
			run_check "trigger $mode" node "$E2E/trigger-check.js" wait "$WORK/sim.json" "$mode" 2 "run $run" "$started_ms"
			if [ "$mode" = durable ] && [ "$run" = 1 ]; then
				run_check "trigger backoff" node "$E2E/trigger-check.js" backoff "$N8N_DIR/app" "$MODE_USER" "$WORK/sim.json" "$WORK/n8n.log"
			fi
			if [ "$run" = 2 ]; then
				node "$E2E/trigger-check.js" stage "$WORK/sim.json" "$mode" 2
				run_check "trigger $mode" node "$E2E/trigger-check.js" wait "$WORK/sim.json" "$mode" 2 "run $run after stage 2" "$started_ms"
			fi
			stop_group "$N8N_PID"
			forget_group "$N8N_PID"
			echo "    run $run: n8n start, polls and stop took $((SECONDS - run_started)) s"
			case $run in
				1) node "$E2E/trigger-check.js" stage "$WORK/sim.json" "$mode" 1 ;;
				2) node "$E2E/trigger-check.js" stage "$WORK/sim.json" "$mode" 3 ;;
			esac
		done
		run_check "trigger $mode" node "$E2E/trigger-check.js" check "$N8N_DIR/app" "$MODE_USER" "$WORK/sim.json" "$mode"
		if [ "$mode" = default ] && [ ${#EXTRA[@]} -gt 0 ]; then
			run_check "example trigger" node "$E2E/trigger-check.js" check-example "$N8N_DIR/app" "$MODE_USER" "$WORK/sim.json" "$WORK/example-runs/runs.json"
		fi
	done
fi

if [ "${E2E_QUEUE:-0}" = 1 ]; then
	# n8n supports queue mode on PostgreSQL only (not on SQLite). Debian's postgresql and
	# redis-server, each on a free port of 127.0.0.1 and in the work folder, nothing kept.
	step "queue mode on PostgreSQL: Redis, one main process and two workers sharing the database"
	queue_started=$SECONDS
	QUEUE_USER=$WORK/user-queue
	# The package as installed, no SQLite database: everything goes to PostgreSQL.
	mkdir -p "$QUEUE_USER/.n8n"
	cp -a "$WORK/user-snapshot/.n8n/nodes" "$QUEUE_USER/.n8n/"
	PG_BIN=${E2E_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -n 1)}
	read -r REDIS_PORT PG_PORT WORKER1_BROKER_PORT WORKER2_BROKER_PORT < <(free_ports 4)
	if ! command -v redis-server > /dev/null; then
		fail queue "redis-server is not installed (Debian: apt-get install redis-server; .ci/run installs it)"
	elif [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/postgres" ]; then
		fail queue "PostgreSQL is not installed (Debian: apt-get install postgresql; .ci/run installs it; or set E2E_PG_BIN)"
	else
		# PostgreSQL refuses to run as root: then it runs as Debian's postgres user.
		PG_DIR=$WORK/postgres
		AS_PG=()
		mkdir -p "$PG_DIR"
		if [ "$(id -u)" = 0 ]; then
			chmod o+x "$WORK"
			chown postgres: "$PG_DIR"
			AS_PG=(runuser -u postgres --)
		fi
		if "${AS_PG[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U n8n --auth=trust -E UTF8 > "$OUT/postgres-initdb.log" 2>&1; then
			setsid "${AS_PG[@]}" "$PG_BIN/postgres" -D "$PG_DIR/data" -p "$PG_PORT" -k "$PG_DIR" -c listen_addresses=127.0.0.1 -c fsync=off > "$OUT/postgres.log" 2>&1 &
			PGIDS+=("$!")
			for _ in $(seq 60); do "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && break; sleep 0.5; done
		fi
		if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U n8n n8n > "$OUT/postgres-createdb.log" 2>&1; then
			pass queue "PostgreSQL $("$PG_BIN/postgres" --version | grep -o '[0-9][0-9.]*' | head -n 1) on port $PG_PORT, database n8n"
		else
			fail queue "PostgreSQL did not start on port $PG_PORT"
			show_tail "$OUT/postgres-initdb.log" 10
			show_tail "$OUT/postgres.log" 10
		fi
		# The database settings every n8n process of this check gets (and the check scripts, which read it).
		export DB_TYPE=postgresdb DB_POSTGRESDB_HOST=127.0.0.1 DB_POSTGRESDB_PORT=$PG_PORT DB_POSTGRESDB_DATABASE=n8n DB_POSTGRESDB_USER=n8n DB_POSTGRESDB_PASSWORD=
		mkdir -p "$WORK/queue-workflows"
		cp "$WORK/workflows/wfQueueHook00001.json" "$WORK/workflows/wfQueueTrig00001.json" "$WORK/queue-workflows/"
		N8N_USER_FOLDER=$QUEUE_USER run_limited 180 n8n import:credentials --input="$WORK/credentials.json" > "$OUT/import-credentials-queue.log" 2>&1
		import_check $? "credentials into PostgreSQL (n8n created its tables)" "$OUT/import-credentials-queue.log"
		N8N_USER_FOLDER=$QUEUE_USER run_limited 120 n8n import:workflow --separate --input="$WORK/queue-workflows" > "$OUT/import-workflows-queue.log" 2>&1
		import_check $? "the queue-mode workflows into PostgreSQL" "$OUT/import-workflows-queue.log"
		for id in wfQueueHook00001 wfQueueTrig00001; do
			if N8N_USER_FOLDER=$QUEUE_USER run_limited 120 n8n publish:workflow --id="$id" > "$OUT/publish-$id.log" 2>&1; then
				pass queue "n8n publish:workflow --id=$id"
			else
				fail queue "n8n publish:workflow --id=$id"
				show_tail "$OUT/publish-$id.log" 10
			fi
		done
		setsid redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" > "$OUT/redis.log" 2>&1 &
		PGIDS+=("$!")
		QUEUE_ENV=(EXECUTIONS_MODE=queue QUEUE_BULL_REDIS_HOST=127.0.0.1 QUEUE_BULL_REDIS_PORT="$REDIS_PORT" N8N_USER_FOLDER="$QUEUE_USER")
		setsid env "${QUEUE_ENV[@]}" N8N_LOG_FILE_LOCATION="$WORK/queue-main.log" n8n start > "$OUT/queue-main.out" 2>&1 &
		MAIN_PID=$!
		PGIDS+=("$MAIN_PID")
		# Each worker gets its own task broker port: each process starts one for Code nodes.
		WORKER_PIDS=()
		for worker in 1 2; do
			broker_port=WORKER${worker}_BROKER_PORT
			setsid env "${QUEUE_ENV[@]}" N8N_LOG_FILE_LOCATION="$WORK/queue-worker$worker.log" N8N_RUNNERS_BROKER_PORT="${!broker_port}" n8n worker --concurrency=2 > "$OUT/queue-worker$worker.out" 2>&1 &
			WORKER_PIDS+=("$!")
			PGIDS+=("$!")
		done
		workers_ready() { grep -q 'Worker ready\|n8n worker is now ready' "$OUT/queue-worker1.out" 2> /dev/null && grep -q 'Worker ready\|n8n worker is now ready' "$OUT/queue-worker2.out" 2> /dev/null; }
		for _ in $(seq 120); do http_ok "http://127.0.0.1:$N8N_PORT/healthz/readiness" && workers_ready && break; sleep 1; done
		if http_ok "http://127.0.0.1:$N8N_PORT/healthz/readiness" && workers_ready; then
			pass queue "main process ready on port $N8N_PORT, two workers started, Redis on port $REDIS_PORT ($((SECONDS - queue_started)) s)"
			run_check queue node "$E2E/queue-check.js" webhook "http://127.0.0.1:$N8N_PORT" "$WORK/sim.json"
			# The trigger polled at activation; give its execution time to reach a worker and end.
			finished() { cat "$WORK"/queue-worker[12].log 2> /dev/null | grep -c 'Worker finished execution'; }
			for _ in $(seq 30); do [ "$(finished)" -ge 2 ] && break; sleep 1; done
		else
			fail queue "the main process or a worker did not become ready"
			show_tail "$OUT/queue-main.out"
			show_tail "$OUT/queue-worker1.out" 10
		fi
		for pid in "${WORKER_PIDS[@]}" "$MAIN_PID"; do
			stop_group "$pid"
			forget_group "$pid"
		done
		run_check queue node "$E2E/queue-check.js" check "$N8N_DIR/app" "$QUEUE_USER" "$ROOT/package.json" "$WORK/queue-main.log" "$WORK/queue-worker1.log" "$WORK/queue-worker2.log"
		export DB_TYPE=sqlite
	fi
	echo "    queue mode took $((SECONDS - queue_started)) s"
fi

step "screenshots in docs/ match today's nodes"
# Each editor screenshot's parameter record (written beside it by the editor check) against the built
# nodes and credentials: a stale picture fails here, whether or not the editor check ran.
run_check screenshots node "$E2E/parameter-records.js" check "$ROOT/docs"

step "logs and secrets"
run_check logs node "$E2E/n8n-log-check.js" warnings "$ROOT/package.json" "$WORK/n8n.log" "$N8N_DIR" "$WORK"
for log in "$WORK"/queue-main.log "$WORK"/queue-worker[12].log; do
	[ -f "$log" ] && run_check logs node "$E2E/n8n-log-check.js" warnings "$ROOT/package.json" "$log" "$N8N_DIR" "$WORK"
done
# The secrets of e2e/simulator.ts and e2e/fixtures.js, good and wrong. Only sim.json and
# credentials.json (this check's own inputs) may hold them.
SECRETS=()
for secret in $(node -p 'const s = require(process.argv[1]); [s.apiKey, s.coze.token, s.kendra.secretAccessKey, s.kendra.temp.secretAccessKey, s.kendra.temp.sessionToken, s.bailian.accessKeySecret, s.bailian.stsAccessKeySecret, s.bailian.stsToken, s.openai.apiKey, s.openai.noAccessKey, s.bedrock.secretAccessKey, s.bedrock.temp.secretAccessKey, s.bedrock.temp.sessionToken, s.bedrock.denied.secretAccessKey].join(" ")' "$WORK/sim.json") \
	WRONGkey9999LEAKME5678 WRONGcozeTOKEN9999LEAKME5678 WRONGkendraSECRET9999LEAKME5678 WRONGbailianSECRET9999LEAKME5678 WRONGopenaiKEY9999LEAKME5678 WRONGbedrockSECRET9999LEAKME5678; do
	SECRETS+=(-e "$secret")
done
LEAKS=$(grep -rlaF "${SECRETS[@]}" "$OUT" "$WORK"/*.log "$WORK"/user* 2> /dev/null)
if [ -z "$LEAKS" ]; then
	pass secrets "no Dify key, Coze token, Bailian secret or STS token, Kendra or Bedrock secret or session token, or OpenAI key (good or wrong) in n8n's outputs, n8n.log, the simulator log or the n8n user folders"
else
	fail secrets "a key or token appears in:"
	echo "$LEAKS" | sed 's/^/    /'
fi

finish
