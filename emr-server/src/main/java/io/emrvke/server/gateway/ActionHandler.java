package io.emrvke.server.gateway;

/**
 * Serves one action: reads {@link ActionContext#params()}, answers the {@code Result} object
 * (a record, serialised with the wire's UpperCamelCase names, or a Jackson node), or throws
 * {@link io.emrvke.api.ApiException}.
 */
@FunctionalInterface
public interface ActionHandler {
    Object handle(ActionContext context);
}
