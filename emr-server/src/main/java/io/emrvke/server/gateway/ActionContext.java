package io.emrvke.server.gateway;

import io.emrvke.server.account.Caller;

/** One authenticated request as an action sees it. */
public record ActionContext(String action, String requestId, String region, Caller caller, Params params) {
}
