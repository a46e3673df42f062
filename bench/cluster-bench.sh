#!/usr/bin/env bash
# Create-cluster and restart times through the API, on the embedded sandbox or, with --kubeconfig, on a real
# Kubernetes control plane: the same command for both (see docs/benchmarks.md, "Real control plane (issue 9)").
# Not part of `mvn test`.
# Usage: bench/cluster-bench.sh [--kubeconfig FILE] [runs=5] [instances=10] [applicationSets=Ray:Spark,Ray,...]
# With e2e/realk8s: give `cluster kubeconfig --emr-vke` (deploy/rbac.yaml applied) and export EMR_VKE_REALK8S_STATE
# to also get the CPU its processes used during the run.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/control-plane-cpu.sh
mvn -q -B -DskipTests package   # the jar, its libraries, and the test sources where the bench lives
before="$(mktemp)"
trap 'rm -f "$before"' EXIT
[[ " $* " == *" --kubeconfig "* ]] && control_plane_cpu >"$before"
java -Xmx1g -Dlogback.configurationFile=bench/logback-bench.xml \
  -cp "emr-server/target/test-classes:emr-server/target/emr-vke.jar:emr-server/target/lib/*" \
  io.emrvke.bench.ClusterBench "$@"
control_plane_cpu_since "$before"
