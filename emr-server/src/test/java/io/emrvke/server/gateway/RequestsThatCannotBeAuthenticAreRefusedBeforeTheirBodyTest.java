package io.emrvke.server.gateway;

import static io.emrvke.server.gateway.TestSigner.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the head alone shows cannot be authentic (no or malformed Authorization, an X-Date outside
 * the window, an unknown or disabled key, no Action) is answered as soon as the head has arrived,
 * with the code api.md gives it and Connection: close, without waiting for the declared body. A
 * head that could be authentic waits for its body and is then served.
 */
class RequestsThatCannotBeAuthenticAreRefusedBeforeTheirBodyTest {
    private static final int DECLARED = 100_000;
    private static final int ANSWER_WITHIN_MS = 3_000;
    private final GatewayHarness gw = new GatewayHarness();

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    void eachHeadThatCannotBeAuthenticIsAnsweredWithoutItsBody() throws IOException {
        assertRefusedBeforeBody(r -> r.without("Authorization"), 401, "MissingAuthenticationToken");
        assertRefusedBeforeBody(r -> r.replacing("Authorization", "Bearer abc"), 400, "InvalidAuthorization");
        assertRefusedBeforeBody(r -> r.replacing("Authorization", r.header("Authorization")
                .replace(GatewayHarness.ADMIN_AK, "AKLTnobody")), 401, "InvalidAccessKey");
        assertRefusedBeforeBody(r -> r.replacing("Authorization", r.header("Authorization")
                .replace(GatewayHarness.ADMIN_AK, GatewayHarness.DISABLED_AK)), 401, "InvalidAccessKey");
        assertRefusedBeforeBody(r -> r.without("X-Date"), 400, "MissingRequestInfo");
        assertRefusedBeforeBody(r -> new RawHttp.Request(r.method(), "/?Version=2023-12-30", r.headers(), r.body()),
                400, "MissingParameter");
        RawHttp.Request stale = gw.admin().sign(TestSigner.Style.SDK, Instant.now().minus(Duration.ofHours(1)),
                "POST", query("Action", "Echo", "Version", "2023-12-30"), body(), "application/json");
        assertRefusedBeforeBody(stale, 400, "InvalidTimestamp");
    }

    @Test
    void aHeadThatCouldBeAuthenticWaitsForItsBodyAndIsServed() throws IOException {
        RawHttp.Request signed = signedEcho();
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(signed.without("Connection").headBytes());
            out.flush();
            socket.setSoTimeout(1_000);
            InputStream in = socket.getInputStream();
            assertThatThrownBy(in::read).as("no answer before the body").isInstanceOf(SocketTimeoutException.class);

            out.write(signed.body());
            out.flush();
            socket.setSoTimeout(10_000);
            RawHttp.Response r = RawHttp.readOneResponse(in);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().path("Result").path("Params").path("Pad").asText()).hasSize(DECLARED - 10);
        }
    }

    private void assertRefusedBeforeBody(UnaryOperator<RawHttp.Request> spoil, int status, String code)
            throws IOException {
        assertRefusedBeforeBody(spoil.apply(signedEcho()), status, code);
    }

    /** Sends the head only and expects the answer at once. */
    private void assertRefusedBeforeBody(RawHttp.Request request, int status, String code) throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(request.without("Connection").headBytes());
            socket.getOutputStream().flush();
            socket.setSoTimeout(ANSWER_WITHIN_MS);
            RawHttp.Response r = RawHttp.readOneResponse(socket.getInputStream());
            assertThat(r.status()).as(r.toString()).isEqualTo(status);
            assertThat(r.errorCode()).isEqualTo(code);
            assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
        }
    }

    private RawHttp.Request signedEcho() {
        return gw.admin().sign(TestSigner.Style.SDK, Instant.now(), "POST",
                query("Action", "Echo", "Version", "2023-12-30"), body(), "application/json");
    }

    /** A JSON body of exactly {@link #DECLARED} bytes: {"Pad":"xx...x"}. */
    private static byte[] body() {
        char[] pad = new char[DECLARED - 10];
        Arrays.fill(pad, 'x');
        return ("{\"Pad\":\"" + new String(pad) + "\"}").getBytes(StandardCharsets.US_ASCII);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", gw.port()), 5_000);
        return socket;
    }
}
