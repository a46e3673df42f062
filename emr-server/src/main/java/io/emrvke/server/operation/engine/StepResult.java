package io.emrvke.server.operation.engine;

import io.emrvke.server.operation.StepState;
import java.util.Objects;

/** How a step ended, with a message for people (why it failed, why it was skipped). */
public record StepResult(Outcome outcome, String message) {

    public enum Outcome {
        SUCCESS(StepState.SUCCESS), SKIP(StepState.SKIP), FAILED(StepState.FAILED), CANCEL(StepState.CANCEL);

        private final StepState state;

        Outcome(StepState state) {
            this.state = state;
        }

        public StepState state() {
            return state;
        }
    }

    public StepResult {
        Objects.requireNonNull(outcome, "outcome");
    }

    public static StepResult success() {
        return new StepResult(Outcome.SUCCESS, null);
    }

    public static StepResult success(String message) {
        return new StepResult(Outcome.SUCCESS, message);
    }

    public static StepResult skip(String message) {
        return new StepResult(Outcome.SKIP, message);
    }

    public static StepResult failed(String message) {
        return new StepResult(Outcome.FAILED, message);
    }

    /** The step noticed {@link StepContext#cancelRequested()} and stopped at a safe point. */
    public static StepResult cancelled(String message) {
        return new StepResult(Outcome.CANCEL, message);
    }
}
