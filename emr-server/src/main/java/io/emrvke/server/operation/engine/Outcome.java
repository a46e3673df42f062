package io.emrvke.server.operation.engine;

import io.emrvke.server.operation.OperationState;
import io.emrvke.server.operation.StepRow;
import io.emrvke.server.operation.StepState;
import java.util.List;

/**
 * How an operation ends, from its steps' states: any failure makes it FAILED, else any cancelled
 * step CANCEL, else all skipped SKIP, else SUCCESS; with a StateChangeReason saying what failed and why.
 */
record Outcome(OperationState state, String reason) {
    private static final int LISTED_FAILURES = 3;

    static Outcome of(List<StepRow> steps, int notRun) {
        List<StepRow> failed = steps.stream().filter(s -> s.state() == StepState.FAILED).toList();
        long cancelled = steps.stream().filter(s -> s.state() == StepState.CANCEL).count();
        long skipped = steps.stream().filter(s -> s.state() == StepState.SKIP).count();
        if (!failed.isEmpty()) {
            return new Outcome(OperationState.FAILED, failureReason(failed, notRun));
        }
        if (cancelled > 0) {
            return new Outcome(OperationState.CANCEL, "Cancelled on request: " + cancelled + " of " + steps.size()
                    + " step(s) did not complete.");
        }
        if (!steps.isEmpty() && skipped == steps.size()) {
            String first = steps.get(0).message();
            return new Outcome(OperationState.SKIP, "Nothing to do" + (first == null ? "." : ": " + first));
        }
        return new Outcome(OperationState.SUCCESS, null);
    }

    /** e.g. "restart of raycluster-4f2a failed: 2 of 3 pods not ready: CrashLoopBackOff". */
    private static String failureReason(List<StepRow> failed, int notRun) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(LISTED_FAILURES, failed.size()); i++) {
            if (i > 0) {
                sb.append("; ");
            }
            StepRow s = failed.get(i);
            sb.append(describe(s)).append(" failed");
            if (s.message() != null && !s.message().isBlank()) {
                sb.append(": ").append(s.message());
            }
        }
        if (failed.size() > LISTED_FAILURES) {
            sb.append("; and ").append(failed.size() - LISTED_FAILURES).append(" more step(s) failed");
        }
        if (notRun > 0) {
            sb.append(" (").append(notRun).append(" step(s) not run)");
        }
        return OperationRun.clip(sb.toString());
    }

    /** "restart of raycluster-4f2a", or of the component/application/cluster when the step has no instance. */
    static String describe(StepRow s) {
        String target = s.releaseName() != null ? s.releaseName()
                : s.componentName() != null ? s.componentName()
                : s.applicationName() != null ? s.applicationName()
                : "the cluster";
        return s.action() + " of " + target;
    }
}
