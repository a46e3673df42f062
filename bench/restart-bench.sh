#!/usr/bin/env bash
# Runtime restart overhead on the embedded sandbox or, with --kubeconfig, on a real Kubernetes API server: the same
# command for both (see docs/benchmarks.md). Not part of `mvn test`.
# Usage: bench/restart-bench.sh [--kubeconfig FILE] [instances=50] [podReadyMs=500 (the sandbox's)] [idleSeconds=20]
# With e2e/realk8s: export EMR_VKE_REALK8S_STATE to also get the CPU its processes used during the run.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/control-plane-cpu.sh
mvn -q -B -DskipTests package   # the jar, its libraries, and the test sources where the bench lives
before="$(mktemp)"
trap 'rm -f "$before"' EXIT
[[ " $* " == *" --kubeconfig "* ]] && control_plane_cpu >"$before"
java -Xmx1g -Dlogback.configurationFile=bench/logback-bench.xml \
  -cp "emr-server/target/test-classes:emr-server/target/emr-vke.jar:emr-server/target/lib/*" \
  io.emrvke.bench.RestartBench "$@"
control_plane_cpu_since "$before"
