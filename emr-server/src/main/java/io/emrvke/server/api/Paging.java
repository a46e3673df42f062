package io.emrvke.server.api;

import io.emrvke.server.gateway.Params;
import io.emrvke.server.store.Page;

/** The paging request of every List action (docs/api.md#paging). */
final class Paging {
    private Paging() {
    }

    /** MaxResults 1–100 (default 10), NextToken ≥ 0 (default 0). */
    static Page.Request of(Params params) {
        return new Page.Request(params.optionalInt("MaxResults", 1, 100, 10),
                params.optionalInt("NextToken", 0, Integer.MAX_VALUE, 0));
    }
}
