package io.emrvke.server.runtime;

import java.util.List;

/**
 * What applying one revision of a release did; object names are {@code Kind/name}.
 *
 * @param configChecksum checksum of the revision's rendered config (what a restart will roll pods to)
 */
public record ApplyResult(String configChecksum, List<String> created, List<String> updated, List<String> unchanged,
                          List<String> deleted, long renderMillis) {
}
