package io.emrvke.server.gateway;

import static io.emrvke.server.gateway.TestSigner.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A body over the limit gets the 413 JSON envelope even from a client that writes its whole body
 * before reading (as Python's http.client does): the server answers early, with Connection: close,
 * and drains what is still sent. Before, bodies over 8 MiB were cut off and such a client saw only
 * a broken pipe.
 */
class OversizedBodiesAreAnswered413AndDrainedTest {
    private static final int LIMIT = GatewayConfig.DEFAULT_MAX_BODY_BYTES;
    private static GatewayHarness gw;

    @BeforeAll
    static void start() {
        gw = new GatewayHarness();
    }

    @AfterAll
    static void stop() {
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
        RawHttp.Request base = signed(new byte[0]);
        RawHttp.Request chunked = new RawHttp.Request(base.method(), base.target(),
                base.without("Content-Length").with("Transfer-Encoding", "chunked").headers(), chunks(spaces(9 << 20)));

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

    private static RawHttp.Request signed(byte[] body) {
        return gw.admin().sign(TestSigner.Style.SDK, Instant.now(), "POST",
                query("Action", "Echo", "Version", "2023-12-30"), body, "application/json");
    }

    /** Like a client that sends its whole request before it reads: a write the server cuts off fails the test. */
    private static RawHttp.Response writeAllThenRead(byte[] request) throws IOException {
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

    private static void assertStillServing() {
        assertThat(gw.send(gw.admin().post("Echo", "{}")).status()).isEqualTo(200);
    }

    private static byte[] spaces(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) ' ');
        return b;
    }

    private static byte[] chunks(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int off = 0; off < body.length; off += 65536) {
            int n = Math.min(65536, body.length - off);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, off, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
