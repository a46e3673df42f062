#!/usr/bin/env bash
# Footprint: time from `./emr-vke serve` to a 200 from /readyz, and RSS at ready and after some idle
# time, optionally after creating one virtual cluster with Ray and Spark (see docs/benchmarks.md).
# Usage: bench/footprint.sh [idleSeconds=30] [cluster|none]
# Environment: EMR_VKE_JAVA_OPTS is passed on (e.g. to compare JVM options).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
idle="${1:-30}"
what="${2:-cluster}"
port="${BENCH_PORT:-18492}"
mvn -q -B -DskipTests package
data="$(mktemp -d)"
started=$(date +%s%N)
./emr-vke serve --port "$port" --data-dir "$data" >"$data/serve.out" 2>&1 &
trap 'kill $(pgrep -f "emr-vke.jar serve --port $port") 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT
until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.05; done
ready=$(date +%s%N)
pid=$(pgrep -f "emr-vke.jar serve --port $port")
echo "ready in $(( (ready - started) / 1000000 )) ms; RSS at ready $(ps -o rss= -p "$pid") KiB"
if [ "$what" = cluster ]; then
  set -a; source "$data/root-credentials"; set +a
  ./emr-vke call CreateVirtualCluster --endpoint "127.0.0.1:$port" --body '{"ClusterName":"footprint",
    "ReleaseVersion":"EMR-VKE-1.8.0","VkeCluster":{"VkeClusterId":"sandbox"},
    "Applications":[{"ApplicationName":"Ray"},{"ApplicationName":"Spark"}]}' >/dev/null
fi
before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
sleep "$idle"
after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
echo "after $idle s idle ($what): RSS $(ps -o rss= -p "$pid") KiB; CPU $(( (after - before) * 1000 / (idle * 100) / 10 )).$(( (after - before) * 1000 / (idle * 100) % 10 )) % of one core"
