package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Consumer;

/** The API's {@code pods/log} served from the simulated kubelet's {@link PodLogs}. */
final class KubeletLogs implements io.emrvke.server.sandbox.api.PodLogs {
    private final PodLogs logs;

    KubeletLogs(PodLogs logs) {
        this.logs = logs;
    }

    @Override
    public Text read(JsonNode pod, Query query) {
        PodLogs.Answer answer = logs.read(pod, query.container(), query.previous(), options(query));
        return new Text(answer.text(), answer.badRequest());
    }

    @Override
    public AutoCloseable follow(JsonNode pod, Query query, Consumer<String> sink, Runnable onEnd) {
        return logs.follow(pod, query.container(), options(query), sink, onEnd);
    }

    private static PodLogs.Options options(Query q) {
        return new PodLogs.Options(q.timestamps(), q.tailLines(), q.sinceSeconds(), q.sinceTime(), q.limitBytes());
    }
}
