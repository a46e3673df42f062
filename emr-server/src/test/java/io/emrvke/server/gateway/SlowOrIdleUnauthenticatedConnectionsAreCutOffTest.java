package io.emrvke.server.gateway;

import static io.emrvke.server.gateway.TestSigner.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The deadlines and the bound of {@link ClientLimits}, with tight settings: a connection that has
 * not authenticated must send its request head in time, a body must keep up the minimum rate (408
 * otherwise), and beyond the bound the oldest unauthenticated connections are closed, while signed
 * callers and their keep-alive connections are served throughout.
 */
class SlowOrIdleUnauthenticatedConnectionsAreCutOffTest {
    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(1);
    private static final long MIN_RATE = 1_000;
    private static final Duration GRACE = Duration.ofSeconds(1);

    private static GatewayHarness harness(ClientLimits limits) {
        return new GatewayHarness(GatewayConfig.defaults("127.0.0.1", 0).withRateLimit(0, 0).withClientLimits(limits));
    }

    private static ClientLimits tight() {
        return ClientLimits.DEFAULTS.withHeadTimeout(HEAD_TIMEOUT).withMinBodyRate(MIN_RATE, GRACE);
    }

    @Test
    void anIdleConnectionAndOneThatTricklesItsHeadAreClosedAfterTheHeadTimeout() throws IOException {
        try (GatewayHarness gw = harness(tight()); Socket idle = connect(gw); Socket trickling = connect(gw)) {
            long start = System.nanoTime();
            OutputStream out = trickling.getOutputStream();
            out.write("POST /?Action=Echo&Version=2023-12-30 HTTP/1.1\r\nHost: x\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            long closedAfter = -1;
            for (int i = 0; i < 40 && closedAfter < 0; i++) {
                try {
                    out.write('X');
                    out.flush();
                    if (isClosed(trickling, 250)) {
                        closedAfter = elapsedMillis(start);
                    }
                } catch (SocketException reset) {
                    closedAfter = elapsedMillis(start);
                }
            }
            assertThat(closedAfter).as("ms until the trickling head was cut off").isBetween(900L, 4_000L);
            assertThat(isClosed(idle, 3_000)).as("the idle connection is closed too").isTrue();
            assertThat(gw.send(gw.admin().post("Echo", "{}")).status()).isEqualTo(200);
        }
    }

    @Test
    void aBodyBelowTheMinimumRateIsAnswered408AndClosed() throws IOException {
        try (GatewayHarness gw = harness(tight()); Socket socket = connect(gw)) {
            RawHttp.Request signed = signedSpaces(gw, 100_000);
            long start = System.nanoTime();
            socket.getOutputStream().write(signed.without("Connection").headBytes());
            socket.getOutputStream().write(signed.body(), 0, 10);
            socket.getOutputStream().flush();
            socket.setSoTimeout(10_000);

            RawHttp.Response r = RawHttp.readResponse(socket.getInputStream());

            assertThat(elapsedMillis(start)).as("ms until cut off").isBetween(900L, 4_000L);
            assertThat(r.status()).as(r.toString()).isEqualTo(408);
            assertThat(r.errorCode()).isEqualTo("InvalidParameter");
            assertThat(r.errorMessage()).contains("too slowly").contains(MIN_RATE + " bytes per second");
            assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
        }
    }

    @Test
    void beyondTheBoundTheOldestUnauthenticatedConnectionsAreClosedAndSignedCallsAreServed() throws Exception {
        int bound = 20;
        ClientLimits limits = ClientLimits.DEFAULTS.withHeadTimeout(Duration.ofSeconds(60))
                .withMaxUnauthenticatedConnections(bound);
        List<Socket> idle = new ArrayList<>();
        try (GatewayHarness gw = harness(limits)) {
            for (int i = 0; i < 3 * bound; i++) {
                idle.add(connect(gw));
                Thread.sleep(10);
            }
            Thread.sleep(300); // the server has seen them all open
            for (int i = 0; i < 5; i++) {
                RawHttp.Response r = gw.send(gw.admin().post("Echo", "{}"));
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
            }
            int closed = 0;
            for (Socket s : idle) {
                closed += isClosed(s, 200) ? 1 : 0;
            }
            assertThat(closed).as("idle connections closed to stay within the bound").isGreaterThanOrEqualTo(2 * bound);
            assertThat(isClosed(idle.get(idle.size() - 1), 200)).as("the newest is kept").isFalse();
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    @Test
    void stalledBodiesCannotHoldMoreThanTheBudgetAndItIsGivenBackWhenTheyGo() throws Exception {
        int maxBody = 100_000;
        ClientLimits limits = ClientLimits.DEFAULTS.withMinBodyRate(MIN_RATE, Duration.ofSeconds(60))
                .withMaxPendingBodyBytes(256 * 1024);
        GatewayConfig config = GatewayConfig.defaults("127.0.0.1", 0).withRateLimit(0, 0).withMaxBodyBytes(maxBody)
                .withClientLimits(limits);
        try (GatewayHarness gw = new GatewayHarness(config)) {
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    stalled.add(sendMostOfABody(gw, maxBody));
                }
                Thread.sleep(300);
                for (Socket s : stalled) {
                    assertThat(isClosed(s, 200)).as("held within the budget").isFalse();
                }
                try (Socket third = sendMostOfABody(gw, maxBody)) {
                    third.setSoTimeout(5_000);
                    RawHttp.Response r = RawHttp.readResponse(third.getInputStream());
                    assertThat(r.status()).as(r.toString()).isEqualTo(503);
                    assertThat(r.errorCode()).isEqualTo("ServiceUnavailableTemp");
                    assertThat(r.errorMessage()).contains("too many request bodies");
                }
                assertThat(gw.send(gw.admin().post("Echo", "{}")).status()).as("a small body fits").isEqualTo(200);
            } finally {
                for (Socket s : stalled) {
                    s.close();
                }
            }
            Thread.sleep(300);
            for (int i = 0; i < 3; i++) {
                RawHttp.Response r = gw.send(signedSpaces(gw, maxBody - 10));
                assertThat(r.status()).as("the budget was given back: " + r).isEqualTo(200);
            }
        }
    }

    /** A correctly signed request whose body stops 10,000 bytes short of its Content-Length. */
    private static Socket sendMostOfABody(GatewayHarness gw, int length) throws IOException {
        RawHttp.Request signed = signedSpaces(gw, length);
        Socket socket = connect(gw);
        socket.getOutputStream().write(signed.without("Connection").headBytes());
        socket.getOutputStream().write(signed.body(), 0, length - 10_000);
        socket.getOutputStream().flush();
        return socket;
    }

    private static RawHttp.Request signedSpaces(GatewayHarness gw, int length) {
        byte[] body = new byte[length];
        Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[length - 1] = '}';
        return gw.admin().sign(TestSigner.Style.SDK, Instant.now(), "POST",
                query("Action", "Echo", "Version", "2023-12-30"), body, "application/json");
    }

    @Test
    void anAuthenticatedKeepAliveConnectionOutlivesTheHeadTimeout() throws Exception {
        try (GatewayHarness gw = harness(tight()); Socket socket = connect(gw)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int call = 0; call < 2; call++) {
                RawHttp.Request signed = gw.admin().post("Echo", "{\"Call\":" + call + "}");
                out.write(signed.without("Connection").headBytes());
                out.write(signed.body());
                out.flush();
                RawHttp.Response r = RawHttp.readOneResponse(in);
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                Thread.sleep(HEAD_TIMEOUT.toMillis() * 2 + 500);
            }
        }
    }

    /** True when the server has closed the socket (or closes it within {@code waitMillis}). */
    private static boolean isClosed(Socket socket, int waitMillis) throws IOException {
        socket.setSoTimeout(waitMillis);
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    private static Socket connect(GatewayHarness gw) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", gw.port()), 5_000);
        return socket;
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
