#!/usr/bin/env bash
# Lifecycle API latency on the embedded store (see docs/benchmarks.md, "Lifecycle API"). Not part of `mvn test`.
# Usage: bench/lifecycle-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package   # the jar, its libraries, and the test sources where the bench lives
exec java -Xmx1g -Dlogback.configurationFile=bench/logback-bench.xml \
  -cp "emr-server/target/test-classes:emr-server/target/emr-vke.jar:emr-server/target/lib/*" \
  io.emrvke.bench.LifecycleBench "$@"
