#!/usr/bin/env bash
# Runtime restart overhead on the embedded sandbox or, with --kubeconfig, on a real Kubernetes API server: the same
# command for both (see docs/benchmarks.md). Not part of `mvn test`.
# Usage: bench/restart-bench.sh [--kubeconfig FILE] [instances=50] [podReadyMs=500 (the sandbox's)] [idleSeconds=20]
# With e2e/realk8s: export EMR_VKE_REALK8S_STATE to also get the CPU its processes used during the run.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/on-target.sh
run_on_target io.emrvke.bench.RestartBench "$@"
