package io.emrvke.api.client;

/**
 * The call did not produce an API answer: the endpoint could not be reached, timed out, or
 * replied with something that is not the API's JSON envelope. The message names the endpoint.
 */
public class EmrClientException extends RuntimeException {

    public EmrClientException(String message, Throwable cause) {
        super(message, cause);
    }

    public EmrClientException(String message) {
        super(message);
    }
}
