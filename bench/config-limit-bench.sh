#!/usr/bin/env bash
# Config items at the limit (see docs/benchmarks.md, "Config item limits"): a fresh `emr-vke serve` with a 1 GB heap
# and a GC log, then N concurrent CreateVirtualCluster requests each giving Ray ITEMS __envs__ items of VALUE_CHARS
# characters (ROUNDS times); prints each answer's latency, when its operation ended, the server's heap (from the GC
# log), its RSS and the CPU time it used.
# Usage: bench/config-limit-bench.sh [concurrency=4] [items=500] [valueChars=1000] [rounds=1]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
concurrency="${1:-4}"
items="${2:-500}"
value_chars="${3:-1000}"
rounds="${4:-1}"
port="${BENCH_PORT:-18494}"

mvn -q -B -DskipTests package   # also compiles the test sources, where ConfigItemLoad lives
cp="emr-server/target/test-classes:emr-server/target/emr-vke.jar:emr-server/target/lib/*"

data="$(mktemp -d)"
EMR_VKE_JAVA_OPTS="-Xmx1g -XX:+ExitOnOutOfMemoryError -Xlog:gc:file=$data/gc.log" \
  ./emr-vke serve --port "$port" --data-dir "$data" --rate-limit 0 --sandbox-pod-ready-ms 100 \
  >"$data/serve.out" 2>"$data/serve.err" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
pid=$(pgrep -f "emr-vke.jar serve --port $port")
echo "server pid $pid; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

set -a; source "$data/root-credentials"; set +a
java -cp "$cp" io.emrvke.bench.ConfigItemLoad --endpoint "127.0.0.1:$port" --concurrency "$concurrency" \
  --items "$items" --value-chars "$value_chars" --rounds "$rounds" --gc-log "$data/gc.log"
if kill -0 "$pid" 2>/dev/null; then
  echo "server RSS: $(ps -o rss= -p "$pid") KiB; CPU since start: $(awk '{print ($14 + $15) / 100}' "/proc/$pid/stat") s"
else
  echo "server exited:"; tail -n 5 "$data/serve.err"
fi
