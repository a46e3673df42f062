#!/usr/bin/env bash
# Create-cluster and restart times through the API, on the embedded sandbox or, with --kubeconfig, on a real
# Kubernetes control plane: the same command for both (see docs/benchmarks.md, "Real control plane (issue 9)").
# Not part of `mvn test`.
# Usage: bench/cluster-bench.sh [--kubeconfig FILE] [runs=5] [instances=10] [applicationSets=Ray:Spark,Ray,...]
# With e2e/realk8s: give `cluster kubeconfig --emr-vke` (deploy/rbac.yaml applied) and export EMR_VKE_REALK8S_STATE
# to also get the CPU its processes used during the run.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/on-target.sh
run_on_target io.emrvke.bench.ClusterBench "$@"
