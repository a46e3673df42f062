package io.emrvke.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emrvke.api.ApiException;
import io.emrvke.api.ErrorCode;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.operation.engine.ClientToken;
import org.junit.jupiter.api.Test;

/** Moved from IdempotentSubmitReturnsSameOperationTest with the parsing it proves (api.ClientTokens). */
class ClientTokenIsOneToSixtyFourPrintableAsciiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ClientToken token(String json) throws Exception {
        return ClientTokens.of("RunApplicationAction", Params.of(JSON.readTree(json))).orElseThrow();
    }

    @Test
    void aTokenMustBeOneToSixtyFourPrintableAsciiCharacters() throws Exception {
        for (String bad : new String[] {"\"\"", "\"" + "x".repeat(65) + "\"", "\"caf\u00e9\"", "\"a\\tb\"", "42"}) {
            assertThatThrownBy(() -> token("{\"ClientToken\":" + bad + "}"))
                    .as(bad).isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.error()).isEqualTo(ErrorCode.INVALID_PARAMETER);
                        assertThat(e.getMessage()).contains("ClientToken");
                    });
        }
        assertThat(token("{\"ClientToken\":\"" + "~".repeat(64) + "\"}").token()).hasSize(64);
        assertThat(ClientTokens.of("X", Params.of(JSON.readTree("{}")))).isEmpty();
        ObjectNode a = (ObjectNode) JSON.readTree("{\"A\":1,\"B\":[{\"y\":1,\"x\":2}],\"ClientToken\":\"t1\"}");
        ObjectNode b = (ObjectNode) JSON.readTree("{\"B\":[{\"x\":2,\"y\":1}],\"A\":1,\"ClientToken\":\"t2\"}");
        assertThat(ClientTokens.digestOf(a)).isEqualTo(ClientTokens.digestOf(b)).hasSize(64);
    }
}
