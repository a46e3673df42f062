package io.emrvke.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.Json;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Thousands of malformed, mistyped and hostile requests over real HTTP: every one is answered
 * with a well-formed envelope, none with a 5xx, and the server still serves a valid request.
 */
class BadRequestsNeverCauseServerErrorsTest {
    private static final int COUNT = 2_400;

    @Test
    void everyBadRequestGetsAClientErrorEnvelopeAndTheServerStaysHealthy() {
        try (GatewayHarness gw = new GatewayHarness()) {
            BadRequestGenerator generator = new BadRequestGenerator(gw.admin(), GatewayConfig.DEFAULT_MAX_BODY_BYTES, 20261127L);
            List<BadRequestGenerator.BadRequest> requests = generator.generate(
                    List.of("Probe", "ProbeChange", "GetOperation"), GatewayHarness.PROBE_FIELDS, COUNT);

            List<String> problems = new ArrayList<>();
            Map<BadRequestGenerator.Kind, int[]> perKind = new EnumMap<>(BadRequestGenerator.Kind.class);
            int clientErrors = 0;
            for (BadRequestGenerator.BadRequest bad : requests) {
                RawHttp.Response r = gw.send(bad.request());
                String problem = check(bad, r);
                if (problem != null) {
                    problems.add(problem + " <- " + bad + " -> " + clip(r.toString()));
                }
                perKind.computeIfAbsent(bad.kind(), k -> new int[2])[r.status() >= 400 && r.status() < 500 ? 0 : 1]++;
                clientErrors += r.status() >= 400 && r.status() < 500 ? 1 : 0;
            }

            assertThat(problems).as("requests answered wrongly").isEmpty();
            assertThat(requests).hasSizeGreaterThanOrEqualTo(2_000);
            assertThat(perKind).containsOnlyKeys(BadRequestGenerator.Kind.values());
            // mistyped fields must mostly be refused by Params, not silently accepted
            assertThat(clientErrors).isGreaterThan(requests.size() * 8 / 10);
            assertThat(gw.send(gw.admin().post("Probe", "{\"Name\":\"still-fine\",\"Count\":\"7\"}")).status())
                    .isEqualTo(200);
        }
    }

    /** Null when the answer is right for what the request promised, else what is wrong. */
    static String check(BadRequestGenerator.BadRequest bad, RawHttp.Response r) {
        if (r.status() >= 500) {
            return "server error " + r.status();
        }
        if (bad.expect() == BadRequestGenerator.Expect.CLIENT_ERROR && (r.status() < 400 || r.status() >= 500)) {
            return "expected 4xx, got " + r.status();
        }
        JsonNode json;
        try {
            json = Json.plain().readTree(r.body());
        } catch (Exception e) {
            return "not a JSON envelope";
        }
        JsonNode meta = json == null ? null : json.get("ResponseMetadata");
        if (meta == null || !meta.path("RequestId").isTextual()) {
            return "no ResponseMetadata.RequestId";
        }
        if (r.status() >= 400) {
            JsonNode error = meta.path("Error");
            if (!error.path("Code").isTextual() || error.path("Message").asText("").isBlank()) {
                return "error envelope without Code and Message";
            }
            if (json.has("Result")) {
                return "error envelope with a Result";
            }
            if (error.path("Message").asText().contains("Exception") || error.path("Message").asText().contains("\tat ")) {
                return "message looks like a stack trace";
            }
        } else if (!json.has("Result") || meta.has("Error")) {
            return "success envelope without Result or with Error";
        }
        return null;
    }

    private static String clip(String s) {
        return s.length() <= 300 ? s : s.substring(0, 297) + "...";
    }
}
