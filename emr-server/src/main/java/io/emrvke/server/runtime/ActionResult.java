package io.emrvke.server.runtime;

/**
 * Outcome of restart/stop/start on one instance.
 *
 * @param outcome APPLIED when this call changed the workload, ALREADY_DONE when it was already so
 *                (the engine marks the step SKIP)
 * @param token   the restart token the workload carries (restart only), else null
 * @param status  the instance's status when the action finished
 * @param note    e.g. "already running", "already stopped", "already restarted with token ..."
 */
public record ActionResult(Outcome outcome, String token, InstanceStatus status, String note) {
    public enum Outcome { APPLIED, ALREADY_DONE }
}
