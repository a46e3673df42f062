#!/usr/bin/env bash
# Runtime restart overhead on the embedded sandbox (see docs/benchmarks.md). Not part of `mvn test`.
# Usage: bench/restart-bench.sh [instances=50] [podReadyMs=500] [idleSeconds=20]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package   # the jar, its libraries, and the test sources where the bench lives
exec java -Xmx1g -Dlogback.configurationFile=bench/logback-bench.xml \
  -cp "emr-server/target/test-classes:emr-server/target/emr-vke.jar:emr-server/target/lib/*" \
  io.emrvke.bench.RestartBench "$@"
