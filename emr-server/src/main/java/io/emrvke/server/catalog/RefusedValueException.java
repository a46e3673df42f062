package io.emrvke.server.catalog;

/**
 * A name or config item a request gives that the catalog does not accept: empty, not one of the
 * release's applications, components or files, a bad key, a value or item count over its limit, a
 * missing dependency. The message names the request field; the API answers it InvalidParameter.
 */
public final class RefusedValueException extends RuntimeException {
    public RefusedValueException(String message) {
        super(message, null, false, false);
    }
}
