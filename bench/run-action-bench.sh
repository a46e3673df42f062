#!/usr/bin/env bash
# RunApplicationAction through the API and the engine, embedded store + sandbox (see docs/benchmarks.md,
# section RunApplicationAction). Not part of `mvn test`.
# Usage: bench/run-action-bench.sh [podReadyMs=500] [instances=50] [clientCounts=1,32] [latencySeconds=30]
set -euo pipefail
cd "$(dirname "$0")/.."
MVN="mvn -o -q -B"
if [ ! -f emr-server/target/test-classes/io/emrvke/bench/RunActionBench.class ] \
   || [ -n "$(find emr-server/src emr-api/src -newer emr-server/target/test-classes/io/emrvke/bench/RunActionBench.class -type f | head -1)" ]; then
  $MVN -pl emr-server -am test-compile
fi
CP_FILE=emr-server/target/bench.classpath
if [ ! -f "$CP_FILE" ] || [ emr-server/pom.xml -nt "$CP_FILE" ] || [ pom.xml -nt "$CP_FILE" ]; then
  # with -am and a phase, so emr-api (and its test-jar, which emr-server's tests use) resolve from the reactor;
  # emr-server runs last and leaves its own class path in the file
  $MVN -pl emr-server -am test-compile dependency:build-classpath -Dmdep.outputFile="$(pwd)/$CP_FILE" \
    -Dmdep.includeScope=test >/dev/null
fi
API_CLASSES=emr-api/target/classes
exec java -Xmx1g -Dlogback.configurationFile=bench/logback-bench.xml -cp "emr-server/target/test-classes:emr-server/target/classes:$API_CLASSES:$(cat "$CP_FILE")" \
  io.emrvke.bench.RunActionBench "$@"
