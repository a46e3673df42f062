#!/usr/bin/env bash
# RunApplicationAction through the API and the engine, embedded store + sandbox (see docs/benchmarks.md,
# section RunApplicationAction). Not part of `mvn test`.
# Usage: bench/run-action-bench.sh [podReadyMs=500] [instances=50] [clientCounts=1,32] [latencySeconds=30] [--kubeconfig FILE]
# Environment: BENCH_ONLY=latency skips the batch-size runs; BENCH_DATABASE_URL=<jdbc url> uses another store.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package   # the jar, its libraries, and the test sources where the bench lives
exec java -Xmx1g -Dlogback.configurationFile=bench/logback-bench.xml \
  -cp "emr-server/target/test-classes:emr-server/target/emr-vke.jar:emr-server/target/lib/*" \
  io.emrvke.bench.RunActionBench "$@"
