package io.emrvke.server.gateway;

import static io.emrvke.server.gateway.TestSigner.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A body over the limit gets the 413 JSON envelope even from a client that writes its whole body
 * before reading (as Python's http.client does): the server answers early, with Connection: close,
 * and drains what is still sent. Before, bodies over 8 MiB were cut off and such a client saw only
 * a broken pipe.
 */
class OversizedBodiesAreAnswered413AndDrainedTest {
    private static final int LIMIT = GatewayConfig.DEFAULT_MAX_BODY_BYTES;
    private final GatewayHarness gw = new GatewayHarness();

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    void declaredBodiesOfNineAndSixtyFourMebibytesAreAnswered413AfterTheClientWroteThemAll() throws IOException {
        for (int mebibytes : new int[] {9, 64}) {
            RawHttp.Request request = signed(spaces(mebibytes << 20));

            RawHttp.Response r = writeAllThenRead(request.bytes());

            assertTooLarge(r, (mebibytes << 20) + " bytes");
        }
        assertStillServing();
    }

    @Test
    void aChunkedBodyOfNineMebibytesIsAnswered413AfterTheClientWroteItAll() throws IOException {
        RawHttp.Request chunked = signed(spaces(9 << 20)).chunked();

        RawHttp.Response r = writeAllThenRead(chunked.bytes());

        assertTooLarge(r, "more than " + LIMIT + " bytes");
        assertStillServing();
    }

    @Test
    void aBodyJustAtTheLimitIsServed() {
        byte[] body = spaces(LIMIT - 2);
        body[0] = '{';
        body[body.length - 1] = '}';
        RawHttp.Response r = gw.send(signed(body));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    private RawHttp.Request signed(byte[] body) {
        return gw.admin().sign(TestSigner.Style.SDK, Instant.now(), "POST",
                query("Action", "Echo", "Version", "2023-12-30"), body, "application/json");
    }

    /** Like a client that sends its whole request before it reads: a write the server cuts off fails the test. */
    private RawHttp.Response writeAllThenRead(byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", gw.port()), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            for (int off = 0; off < request.length; off += 64 * 1024) {
                out.write(request, off, Math.min(64 * 1024, request.length - off));
            }
            out.flush();
            socket.shutdownOutput();
            return RawHttp.readResponse(socket.getInputStream());
        }
    }

    private static void assertTooLarge(RawHttp.Response r, String size) {
        assertThat(r.status()).as(r.toString()).isEqualTo(413);
        assertThat(r.errorCode()).isEqualTo("RequestEntityTooLarge");
        assertThat(r.errorMessage()).contains(size).contains("the limit is " + LIMIT + " bytes");
        assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
        assertThat(r.header("X-Request-Id")).isEqualTo(r.json().path("ResponseMetadata").path("RequestId").asText());
    }

    private void assertStillServing() {
        assertThat(gw.send(gw.admin().post("Echo", "{}")).status()).isEqualTo(200);
    }

    private static byte[] spaces(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) ' ');
        return b;
    }
}
