package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A fault injected through a container env var {@code SANDBOX_FAULT} on the pod template:
 * {@code crashloop}, {@code pending} or {@code slow:<ms>}.
 */
record SandboxFault(Kind kind, long delayMs) {
    static final String ENV = "SANDBOX_FAULT";

    enum Kind { NONE, CRASHLOOP, PENDING, SLOW }

    static final SandboxFault NONE = new SandboxFault(Kind.NONE, 0);

    /** The fault a pod's containers ask for; unknown values are ignored (no fault). */
    static SandboxFault of(JsonNode pod) {
        for (JsonNode c : pod.path("spec").path("containers")) {
            for (JsonNode env : c.path("env")) {
                if (ENV.equals(env.path("name").asText())) {
                    return parse(env.path("value").asText(""));
                }
            }
        }
        return NONE;
    }

    static SandboxFault parse(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.equals("crashloop")) {
            return new SandboxFault(Kind.CRASHLOOP, 0);
        }
        if (v.equals("pending")) {
            return new SandboxFault(Kind.PENDING, 0);
        }
        if (v.startsWith("slow:")) {
            try {
                long ms = Long.parseLong(v.substring(5).trim());
                if (ms >= 0) {
                    return new SandboxFault(Kind.SLOW, ms);
                }
            } catch (NumberFormatException e) {
                return NONE;
            }
        }
        return NONE;
    }
}
