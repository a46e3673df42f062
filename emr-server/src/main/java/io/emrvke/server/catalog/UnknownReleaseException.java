package io.emrvke.server.catalog;

/** A release version this server's catalog does not hold; the API answers it NotFound.ReleaseVersion. */
public final class UnknownReleaseException extends RuntimeException {
    public UnknownReleaseException(String message) {
        super(message, null, false, false);
    }
}
