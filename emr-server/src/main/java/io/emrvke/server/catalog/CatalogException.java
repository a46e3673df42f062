package io.emrvke.server.catalog;

/**
 * A catalog that cannot be loaded. The message names the file, the element and the rule it breaks,
 * so that a platform team can fix its catalog directory from the server's startup error alone.
 */
public class CatalogException extends RuntimeException {
    public CatalogException(String message) {
        super(message);
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
