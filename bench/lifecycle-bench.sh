#!/usr/bin/env bash
# Lifecycle API latency on the embedded store (see docs/benchmarks.md, "Lifecycle API"). Not part of `mvn test`.
# Usage: bench/lifecycle-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MVN="mvn -o -q -B"
CLASS=emr-server/target/test-classes/io/emrvke/bench/LifecycleBench.class
CP_FILE=emr-server/target/bench.classpath
if [ ! -f "$CLASS" ] || [ -n "$(find emr-server/src emr-api/src -newer "$CLASS" -type f | head -1)" ] \
   || [ ! -f "$CP_FILE" ] || [ emr-server/pom.xml -nt "$CP_FILE" ] || [ pom.xml -nt "$CP_FILE" ]; then
  # one reactor run: emr-server's test scope needs emr-api's test classes (a test-jar in the reactor)
  $MVN -pl emr-server -am test-compile dependency:build-classpath -Dmdep.outputFile="$(pwd)/$CP_FILE" \
    -Dmdep.includeScope=test
fi
exec java -Xmx1g -Dlogback.configurationFile=bench/logback-bench.xml \
  -cp "emr-server/target/test-classes:emr-server/target/classes:emr-api/target/classes:$(cat "$CP_FILE")" \
  io.emrvke.bench.LifecycleBench "$@"
