#!/usr/bin/env bash
# What sealing the store's secrets costs: seal/open, an uncached credential lookup, and the one-time
# sealing of a previous-version store at open (see docs/benchmarks.md, "Secrets sealed at rest").
# Not part of `mvn test`.
# Usage: bench/sealing-bench.sh [credentials=1000] [secretConfigItems=20000]
# Environment: BENCH_DATABASE_URL=<jdbc url of an empty PostgreSQL schema> runs the upgrade part there.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package   # the jar, its libraries, and the test sources where the bench lives
exec java -Xmx512m -Dlogback.configurationFile=bench/logback-bench.xml \
  -cp "emr-server/target/test-classes:emr-server/target/emr-vke.jar:emr-server/target/lib/*" \
  io.emrvke.bench.SealingBench "$@"
