package io.emrvke.server.account;

import io.emrvke.api.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The admin socket's exchange: one JSON line from the command, one JSON line back, then the server
 * closes. Lines are bounded so that a client cannot make the server buffer without end.
 */
final class AdminSocketProtocol {
    static final int MAX_LINE_BYTES = 64 * 1024;
    static final String CREATE = "create";
    static final String LIST = "list";
    static final String DISABLE = "disable";

    private AdminSocketProtocol() {
    }

    /** {@code create} carries {@code credential}, {@code disable} carries {@code accessKey}. */
    record Request(String command, NewCredential credential, String accessKey) {
    }

    /**
     * One of: the created credential, the list, whether a key was disabled, or an error ({@code invalid}:
     * the request itself was wrong, as opposed to the server failing).
     */
    record Reply(Credential credential, List<CredentialSummary> credentials, Boolean disabled, String error,
                 boolean invalid) {
        static Reply created(Credential c) {
            return new Reply(c, null, null, null, false);
        }

        static Reply listed(List<CredentialSummary> list) {
            return new Reply(null, list, null, null, false);
        }

        static Reply disabled(boolean found) {
            return new Reply(null, null, found, null, false);
        }

        static Reply refused(String error, boolean invalid) {
            return new Reply(null, null, null, error, invalid);
        }

        @Override
        public String toString() {
            // records print every component: the created credential's secret must not reach a log
            return "Reply[" + (error != null ? error : credential != null ? credential : credentials) + "]";
        }
    }

    static void write(SocketChannel channel, Object message) throws IOException {
        byte[] line = (Json.plain().writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** The next message; null when the other side closed without sending one (a probe). */
    static <T> T read(SocketChannel channel, Class<T> type) throws IOException {
        String line = readLine(channel);
        return line == null ? null : Json.plain().readValue(line, type);
    }

    private static String readLine(SocketChannel channel) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (true) {
            buffer.clear();
            if (channel.read(buffer) < 0) {
                if (line.size() == 0) {
                    return null;
                }
                throw new IOException("the other side closed the admin socket before the end of its message");
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(b);
            }
            if (line.size() > MAX_LINE_BYTES) {
                throw new IOException("admin socket message longer than " + MAX_LINE_BYTES + " bytes");
            }
        }
    }
}
