# Sourced by the benches that take --kubeconfig FILE (the same command measures the embedded sandbox or a real
# control plane). `run_on_target MAIN ARGS...` builds, then runs the bench's main class from the test sources;
# when the control plane is e2e/realk8s's (EMR_VKE_REALK8S_STATE names its state dir) and --kubeconfig is given,
# it also prints the CPU time each of that control plane's processes used during the run.

# "name seconds" per process of the e2e/realk8s control plane: CPU (user + system) used so far.
control_plane_cpu() {
    local state="${EMR_VKE_REALK8S_STATE:-}" f pid ticks
    [[ -n "$state" && -d "$state/pids" ]] || return 0
    ticks="$(getconf CLK_TCK)"
    for f in "$state"/pids/*.pid; do
        pid="$(cat "$f")"
        [[ -r "/proc/$pid/stat" ]] || continue
        # fields 14 and 15 of /proc/PID/stat (after the command in parentheses): utime and stime in clock ticks
        awk -v name="$(basename "$f" .pid)" -v hz="$ticks" '{sub(/.*\) /, ""); printf "%s %.2f\n", name, ($12 + $13) / hz}' \
            "/proc/$pid/stat"
    done
}

# What each process used since FILE was written by `control_plane_cpu >FILE`.
control_plane_cpu_since() {
    [[ -s "$1" ]] || return 0
    echo "CPU used by the control plane's processes during the run (s):"
    control_plane_cpu | awk 'NR == FNR {before[$1] = $2; next} {printf "  %-24s %7.2f\n", $1, $2 - before[$1]; sum += $2 - before[$1]}
        END {printf "  %-24s %7.2f\n", "all", sum}' "$1" -
}

run_on_target() {
    local main="$1" before
    shift
    mvn -q -B -DskipTests package   # the jar, its libraries, and the test sources where the bench lives
    before="$(mktemp)"
    [[ " $* " == *" --kubeconfig "* ]] && control_plane_cpu >"$before"
    java -Xmx1g -Dlogback.configurationFile=bench/logback-bench.xml \
      -cp "emr-server/target/test-classes:emr-server/target/emr-vke.jar:emr-server/target/lib/*" "$main" "$@"
    control_plane_cpu_since "$before"
    rm -f "$before"
}
