package io.emrvke.server.gateway;

import java.util.List;

/**
 * One page of a List action (docs/api.md#paging): {@code nextToken} is the page index to ask for
 * next; a client stops when {@code nextToken * maxResults >= totalCount}.
 */
public record Page<T>(List<T> items, long totalCount, int maxResults, int nextToken) {

    /** The paging request of every List action: MaxResults 1–100 (default 10), NextToken ≥ 0 (default 0). */
    public record Request(int maxResults, int pageIndex) {
        public long offset() {
            return (long) maxResults * pageIndex;
        }

        public static Request from(Params params) {
            return new Request(params.optionalInt("MaxResults", 1, 100, 10),
                    params.optionalInt("NextToken", 0, Integer.MAX_VALUE, 0));
        }

        public <T> Page<T> page(List<T> items, long totalCount) {
            return new Page<>(items, totalCount, maxResults, pageIndex + 1);
        }
    }
}
