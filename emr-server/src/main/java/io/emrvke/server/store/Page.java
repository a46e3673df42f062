package io.emrvke.server.store;

import java.util.List;

/**
 * One page of a List action (docs/api.md#paging): {@code nextToken} is the page index to ask for
 * next; a client stops when {@code nextToken * maxResults >= totalCount}.
 */
public record Page<T>(List<T> items, long totalCount, int maxResults, int nextToken) {

    /** Which page to read: {@code maxResults} items from the {@code pageIndex}-th page (0 first). */
    public record Request(int maxResults, int pageIndex) {
        public long offset() {
            return (long) maxResults * pageIndex;
        }

        public <T> Page<T> page(List<T> items, long totalCount) {
            return new Page<>(items, totalCount, maxResults, pageIndex + 1);
        }
    }
}
