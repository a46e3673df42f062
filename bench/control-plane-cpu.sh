# Sourced by the benches that take --kubeconfig. When that control plane is e2e/realk8s's (EMR_VKE_REALK8S_STATE
# names its state dir), `control_plane_cpu` prints the CPU seconds (user + system) each of its processes has used
# so far, one "name seconds" line each; `control_plane_cpu_since FILE` prints what each used since FILE was written
# by `control_plane_cpu >FILE`. Without EMR_VKE_REALK8S_STATE both print nothing.
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

control_plane_cpu_since() {
    [[ -s "$1" ]] || return 0
    echo "CPU used by the control plane's processes during the run (s):"
    control_plane_cpu | awk 'NR == FNR {before[$1] = $2; next} {printf "  %-24s %7.2f\n", $1, $2 - before[$1]; sum += $2 - before[$1]}
        END {printf "  %-24s %7.2f\n", "all", sum}' "$1" -
}
