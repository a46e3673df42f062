package io.emrvke.server.gateway;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link ReplayRecords} in a map: replays are caught for the life of the process. */
final class MemoryReplayRecords implements ReplayRecords {
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

    @Override
    public boolean claim(Key key, String action, String owner, String requestId, long now, long expireTime) {
        return entries.putIfAbsent(key, new Entry(owner, requestId, false, null, null, now, expireTime)) == null;
    }

    @Override
    public Optional<Entry> find(Key key) {
        return Optional.ofNullable(entries.get(key));
    }

    @Override
    public void answer(Key key, String errorCode, String answer) {
        entries.computeIfPresent(key, (k, e) -> new Entry(e.owner(), e.requestId(), true, errorCode, answer,
                e.createTime(), e.expireTime()));
    }

    @Override
    public void release(Key key) {
        entries.remove(key);
    }

    @Override
    public int purge(long now) {
        int before = entries.size();
        entries.values().removeIf(e -> e.expireTime() < now);
        return before - entries.size();
    }
}
