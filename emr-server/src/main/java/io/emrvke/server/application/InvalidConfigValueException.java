package io.emrvke.server.application;

/**
 * A config item value the instance's release cannot use (e.g. worker_replicas "lots"). At request
 * time the API answers it as InvalidParameter; in a step it fails the step with the same message.
 */
public final class InvalidConfigValueException extends RuntimeException {
    public InvalidConfigValueException(String message) {
        super(message, null, false, false);
    }
}
