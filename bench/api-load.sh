#!/usr/bin/env bash
# API load benchmark: a fresh `emr-vke serve` on the embedded store (rate limit off), one virtual
# cluster, then 32 closed-loop clients send signed GetVirtualCluster calls, and the same for an
# unsigned GET /healthz (the floor). Prints throughput and p50/p90/p99 latency.
# Usage: bench/api-load.sh [seconds=20] [concurrency=32]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds="${1:-20}"
concurrency="${2:-32}"
port="${BENCH_PORT:-18480}"

mvn -q -B -DskipTests package   # also compiles the test sources, where the load generator lives
cp="emr-server/target/test-classes:emr-server/target/emr-vke.jar:emr-server/target/lib/*"

data="$(mktemp -d)"
./emr-vke serve --port "$port" --data-dir "$data" --rate-limit 0 >"$data/serve.out" 2>"$data/serve.err" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.5; done

set -a; source "$data/root-credentials"; set +a
cluster=$(./emr-vke call CreateVirtualCluster --endpoint "127.0.0.1:$port" \
  --body '{"ClusterName":"bench","ReleaseVersion":"EMR-VKE-1.8.0","VkeCluster":{"VkeClusterId":"sandbox"}}' \
  | sed -n 's/.*"ClusterId" : "\(emr-[a-z0-9]*\)".*/\1/p')
echo "cluster: $cluster; server pid $server; $(nproc) cores"

java -cp "$cp" io.emrvke.bench.LoadGenerator --endpoint "127.0.0.1:$port" --get /healthz \
  --concurrency "$concurrency" --seconds "$seconds" --warmup 5
java -cp "$cp" io.emrvke.bench.LoadGenerator --endpoint "127.0.0.1:$port" --action GetVirtualCluster \
  --body "{\"ClusterId\":\"$cluster\"}" --concurrency "$concurrency" --seconds "$seconds" --warmup 5
echo "server RSS: $(ps -o rss= -p $server) KiB"
