#!/usr/bin/env bash
# Lifecycle API latency on the embedded store (see docs/benchmarks.md, "Lifecycle API"). Not part of `mvn test`.
# Usage: bench/lifecycle-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MVN="mvn -o -q -B"
CLASS=emr-server/target/test-classes/io/emrvke/bench/LifecycleBench.class
if [ ! -f "$CLASS" ] || [ -n "$(find emr-server/src emr-api/src -newer "$CLASS" -type f | head -1)" ]; then
  $MVN -pl emr-server -am test-compile
fi
CP_FILE=emr-server/target/bench.classpath
if [ ! -f "$CP_FILE" ] || [ emr-server/pom.xml -nt "$CP_FILE" ] || [ pom.xml -nt "$CP_FILE" ]; then
  $MVN -pl emr-server dependency:build-classpath -Dmdep.outputFile="$(pwd)/$CP_FILE" -Dmdep.includeScope=test >/dev/null
fi
exec java -Xmx1g -Dlogback.configurationFile=bench/logback-bench.xml \
  -cp "emr-server/target/test-classes:emr-server/target/classes:emr-api/target/classes:$(cat "$CP_FILE")" \
  io.emrvke.bench.LifecycleBench "$@"
