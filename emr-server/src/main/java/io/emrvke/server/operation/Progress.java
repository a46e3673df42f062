package io.emrvke.server.operation;

import java.util.Collection;
import java.util.Map;

/** How far an operation's steps are (GetOperation's {@code Progress}); queued steps count in total only. */
public record Progress(int total, int succeeded, int failed, int running, int skipped, int cancelled) {

    public static final Progress NONE = new Progress(0, 0, 0, 0, 0, 0);

    public static Progress of(Collection<StepRow> steps) {
        int[] n = new int[StepState.values().length];
        for (StepRow s : steps) {
            n[s.state().ordinal()]++;
        }
        return fromCounts(steps.size(), n);
    }

    public static Progress fromCounts(Map<StepState, Integer> counts) {
        int[] n = new int[StepState.values().length];
        int total = 0;
        for (Map.Entry<StepState, Integer> e : counts.entrySet()) {
            n[e.getKey().ordinal()] = e.getValue();
            total += e.getValue();
        }
        return fromCounts(total, n);
    }

    private static Progress fromCounts(int total, int[] n) {
        return new Progress(total, n[StepState.SUCCESS.ordinal()], n[StepState.FAILED.ordinal()],
                n[StepState.RUNNING.ordinal()], n[StepState.SKIP.ordinal()], n[StepState.CANCEL.ordinal()]);
    }
}
