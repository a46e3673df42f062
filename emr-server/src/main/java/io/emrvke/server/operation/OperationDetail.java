package io.emrvke.server.operation;

import java.util.List;

/** An operation with its steps in order. */
public record OperationDetail(OperationRow operation, List<StepRow> steps) {
    public Progress progress() {
        return Progress.of(steps);
    }
}
