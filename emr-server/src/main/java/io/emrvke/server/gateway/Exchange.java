package io.emrvke.server.gateway;

/** What one API request has revealed so far, for its envelope and its access-log line. */
final class Exchange {
    final String requestId;
    final long startNanos = System.nanoTime();
    String action;
    String version;
    String region;
    String accessKeyId;

    Exchange(String requestId, String region) {
        this.requestId = requestId;
        this.region = region;
    }

    Envelope.Metadata metadata() {
        return new Envelope.Metadata(requestId, action, version, region);
    }
}
