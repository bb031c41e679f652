#!/usr/bin/env bash
# Benchmarks `bedside serve`: signed POST /v1/messages with distinct ids into a SQLite store
# (synchronous=FULL, WAL), next to GET /healthz on the same server in the same run.
#
#   scripts/bench-serve.sh [seconds] [requests]
#
# wrk cannot sign requests itself, so a small Python script (the PyPI `standardwebhooks` package)
# pre-signs N requests with distinct ids and fresh timestamps; the Lua script cycles through them,
# each wrk thread through its own share. Verification stays on in the server.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
REQUESTS="${2:-300000}"
PORT="${BENCH_PORT:-18080}"
SCRATCH="${BENCH_SCRATCH:-.build-server}"

swift build -c release --scratch-path "$SCRATCH" --product bedside >/dev/null
BIN="$SCRATCH/release/bedside"
WORK="$(mktemp -d)"
trap 'kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
cp -r bedside.yaml guard.yaml rules responses lists "$WORK"/
export BEDSIDE_WEBHOOK_SECRET="whsec_$(head -c 24 /dev/urandom | base64)"

python3 - "$WORK/requests.tsv" "$REQUESTS" <<'PY'
import datetime, json, sys
from standardwebhooks import Webhook
path, count = sys.argv[1], int(sys.argv[2])
import os
hook = Webhook(os.environ["BEDSIDE_WEBHOOK_SECRET"])
texts = [
    "What time do you open on Saturday?",
    "Do you have parking for disabled visitors?",
    "Best dentist in town, thank you all!",
    "I waited 40 minutes and nobody told me why.",
    "Can I book online for a check-up next week?",
    "Lovely weather today",
]
now = datetime.datetime.now(tz=datetime.timezone.utc)
with open(path, "w") as out:
    for i in range(count):
        msg_id = f"bench_{i}"
        body = json.dumps({"id": msg_id, "text": texts[i % len(texts)], "author": f"user{i % 977}", "platform": "facebook"}, separators=(",", ":"))
        sig = hook.sign(msg_id, now, body)
        out.write(f"{msg_id}\t{int(now.timestamp())}\t{sig}\t{body}\n")
PY

cat > "$WORK/signed.lua" <<LUA
local path = "$WORK/requests.tsv"
local threads = {}
local counter = 0
function setup(thread)
  thread:set("index", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  reqs = {}
  local n = 0
  for line in io.lines(path) do
    if n % 2 == index then
      local id, ts, sig, body = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)\t(.*)$")
      reqs[#reqs + 1] = wrk.format("POST", "/v1/messages", {
        ["Content-Type"] = "application/json", ["webhook-id"] = id, ["webhook-timestamp"] = ts, ["webhook-signature"] = sig,
      }, body)
    end
    n = n + 1
  end
  i = 0
end
function request()
  i = i + 1
  if i > #reqs then i = 1 end
  return reqs[i]
end
function done(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("non-2xx: %d\n", non2xx))
end
LUA

"$BIN" serve --config "$WORK/bedside.yaml" --store "$WORK/bench.sqlite" --port "$PORT" --log-level warning >"$WORK/out" 2>"$WORK/err" &
SERVER=$!
for _ in $(seq 100); do grep -q listening "$WORK/out" 2>/dev/null && break; sleep 0.1; done

echo "== signed POST /v1/messages, SQLite store (synchronous=FULL) =="
wrk -t2 -c64 -d"${DURATION}s" --latency -s "$WORK/signed.lua" "http://127.0.0.1:$PORT/v1/messages"
echo "== GET /healthz (trivial handler, same server) =="
wrk -t2 -c64 -d"${DURATION}s" --latency "http://127.0.0.1:$PORT/healthz"
kill -TERM "$SERVER"; wait "$SERVER" || true
python3 - "$WORK/bench.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print("decisions recorded:", db.execute("select count(*) from decision").fetchone()[0],
      "| journal:", db.execute("pragma journal_mode").fetchone()[0])
PY
