#!/usr/bin/env bash
# Benchmarks `bedside serve`: signed POST /v1/messages with distinct ids into a SQLite store
# (synchronous=FULL, WAL), next to GET /healthz on the same server in the same run.
#
#   scripts/bench-serve.sh [seconds] [requests]
#   BENCH_STORE=postgres [BENCH_INSTANCES=2] scripts/bench-serve.sh [seconds] [requests]
#
# With BENCH_STORE=postgres the store is a PostgreSQL database: $BENCH_POSTGRES_URL, else a
# throw-away cluster made here with initdb (Debian's postgresql; synchronous_commit=on, fsync=on,
# the durable defaults). BENCH_INSTANCES=2 starts two receivers on that one database, on PORT and
# PORT+1, and drives each with its own wrk (half the connections, a disjoint half of the requests).
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
STORE_KIND="${BENCH_STORE:-sqlite}"
INSTANCES="${BENCH_INSTANCES:-1}"

# BENCH_BINARY runs a bedside already built (say, a debug build) instead of building a release one.
if [ -n "${BENCH_BINARY:-}" ]; then
  BIN="$BENCH_BINARY"
else
  swift build -c release --scratch-path "$SCRATCH" --product bedside >/dev/null
  BIN="$SCRATCH/release/bedside"
fi
WORK="$(mktemp -d)"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
AS_PG=""; if [ "$(id -u)" = 0 ]; then AS_PG="runuser -u postgres --"; fi
cleanup() {
  kill ${SERVERS:-} 2>/dev/null || true
  if [ -d "$WORK/pg" ]; then $AS_PG "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
cp -r bedside.yaml guard.yaml rules responses lists fragments "$WORK"/
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
  -- With several wrk processes (one per instance), process p of P, each of T threads, takes its
  -- own share: slot p*T+index of P*T (arguments after --: p P T; by default one process of 2 threads).
  local part, parts, per = tonumber(args[1] or "0"), tonumber(args[2] or "1"), tonumber(args[3] or "2")
  local slots = parts * per
  local slot = part * per + index
  for line in io.lines(path) do
    if n % slots == slot then
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

if [ "$STORE_KIND" = postgres ]; then
  if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
    STORE="$BENCH_POSTGRES_URL"
  else
    PGPORT=$((PORT + 100))
    mkdir -p "$WORK/pg"
    if [ -n "$AS_PG" ]; then chmod 755 "$WORK"; chown postgres "$WORK/pg"; fi
    $AS_PG "$PGBIN/initdb" -D "$WORK/pg/data" -U bedside -A trust -E UTF8 --no-locale >/dev/null
    $AS_PG "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w \
      -o "-p $PGPORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
    STORE="postgres://bedside@127.0.0.1:$PGPORT/postgres?sslmode=disable"
  fi
  LABEL="PostgreSQL store, $INSTANCES instance(s)"
else
  STORE="$WORK/bench.sqlite"
  LABEL="SQLite store (synchronous=FULL)"
fi

SERVERS=""
for i in $(seq 0 $((INSTANCES - 1))); do
  "$BIN" serve --config "$WORK/bedside.yaml" --store "$STORE" --port $((PORT + i)) --log-level warning >"$WORK/out$i" 2>"$WORK/err$i" &
  SERVERS="$SERVERS $!"
  for _ in $(seq 600); do grep -q listening "$WORK/out$i" 2>/dev/null && break; sleep 0.1; done
done

echo "== signed POST /v1/messages, $LABEL =="
if [ "$INSTANCES" = 1 ]; then
  wrk -t2 -c64 -d"${DURATION}s" --latency -s "$WORK/signed.lua" "http://127.0.0.1:$PORT/v1/messages"
else
  WRKS=""
  for i in $(seq 0 $((INSTANCES - 1))); do
    wrk -t1 -c$((64 / INSTANCES)) -d"${DURATION}s" --latency -s "$WORK/signed.lua" "http://127.0.0.1:$((PORT + i))/v1/messages" -- "$i" "$INSTANCES" 1 >"$WORK/wrk$i" &
    WRKS="$WRKS $!"
  done
  wait $WRKS
  for i in $(seq 0 $((INSTANCES - 1))); do echo "-- instance $i"; cat "$WORK/wrk$i"; done
fi
echo "== GET /healthz (trivial handler, same server) =="
wrk -t2 -c64 -d"${DURATION}s" --latency "http://127.0.0.1:$PORT/healthz"
kill -TERM $SERVERS; wait $SERVERS || true
SERVERS=""
if [ "$STORE_KIND" = postgres ]; then
  psql "$STORE" -Atc "select 'decisions recorded: ' || count(*) || ' | synchronous_commit: ' || current_setting('synchronous_commit') || ' | fsync: ' || current_setting('fsync') from decision"
else
  python3 - "$WORK/bench.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print("decisions recorded:", db.execute("select count(*) from decision").fetchone()[0],
      "| journal:", db.execute("pragma journal_mode").fetchone()[0])
PY
fi
