#!/usr/bin/env bash
# Runs GraphiQL in a real browser against a freshly started Guichet:
#   1. installs Debian's chromium if /usr/bin/chromium is missing (never a
#      downloaded browser), and playwright-core with npm ci in e2e/browser;
#   2. starts the server (SERVER_CMD, default `go run .`) on a free local port
#      given as GUICHET_ADDR, in its own process group, and waits for /healthz;
#   3. runs e2e/browser/graphiql.mjs, which types QUERY, runs it and waits for
#      EXPECT in the result pane (by default: the first show title the API
#      itself returns), failing on CSP violations, console errors, failed or
#      off-origin requests; screenshot in SCREENSHOT (artifacts/graphiql.png);
#   4. stops the server.
# Environment: SERVER_CMD, EXPECT, QUERY, SCREENSHOT, HEALTH_TIMEOUT (s, 180).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ ! -x /usr/bin/chromium ]; then
  echo "installing chromium (Debian package)"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
(cd e2e/browser && npm ci --no-audit --no-fund --loglevel=error)

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
base="http://127.0.0.1:$port"
mkdir -p artifacts
log="$root/artifacts/browser-test-server.log"
server_cmd=${SERVER_CMD:-go run .}

# setsid gives the server its own process group, so stopping it also stops
# the binary `go run` starts.
GUICHET_ADDR="127.0.0.1:$port" setsid bash -c "exec $server_cmd" >"$log" 2>&1 &
server=$!
stop() {
  kill -TERM -- "-$server" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$server" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$server" 2>/dev/null || true
}
trap stop EXIT

echo "starting: GUICHET_ADDR=127.0.0.1:$port $server_cmd (log: $log)"
deadline=$((SECONDS + ${HEALTH_TIMEOUT:-180}))
until curl -fsS -o /dev/null "$base/healthz" 2>/dev/null; do
  if ! kill -0 "$server" 2>/dev/null; then
    echo "server exited before answering /healthz:" >&2; tail -n 30 "$log" >&2; exit 1
  fi
  if [ $SECONDS -ge $deadline ]; then
    echo "no /healthz answer within ${HEALTH_TIMEOUT:-180}s:" >&2; tail -n 30 "$log" >&2; exit 1
  fi
  sleep 0.3
done

query=${QUERY:-'{ shows(first: 3) { edges { node { id title } } } }'}
expect=${EXPECT:-}
if [ -z "$expect" ]; then
  # Expect what the API answers to the same query: the first title.
  expect=$(curl -fsS -H 'Content-Type: application/json' \
    --data "$(node -e 'console.log(JSON.stringify({query: process.argv[1]}))' "$query")" "$base/graphql" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{
      const t=JSON.parse(s)?.data?.shows?.edges?.[0]?.node?.title;
      if(!t){console.error("no show title in "+s.slice(0,300));process.exit(1)} console.log(t)})')
fi

echo "browser: $base/ expecting $expect"
status=0
(cd e2e/browser && GUICHET_URL="$base/" EXPECT="$expect" QUERY="$query" \
  SCREENSHOT="${SCREENSHOT:-$root/artifacts/graphiql.png}" node graphiql.mjs) || status=$?
[ $status -eq 0 ] || { echo "server log tail:" >&2; tail -n 20 "$log" >&2; }
exit $status
