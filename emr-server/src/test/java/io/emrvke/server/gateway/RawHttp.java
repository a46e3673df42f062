package io.emrvke.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deliberately plain HTTP/1.1 client over a socket, so tests can send what a careful client
 * never would (duplicated headers, lying Content-Length, odd bytes). One connection per request.
 */
public final class RawHttp {
    private RawHttp() {
    }

    /** Exactly what goes on the wire: no header is added. */
    public record Request(String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {
        public byte[] bytes() {
            byte[] top = headBytes();
            byte[] all = new byte[top.length + body.length];
            System.arraycopy(top, 0, all, 0, top.length);
            System.arraycopy(body, 0, all, top.length, body.length);
            return all;
        }

        /** The request line and headers, without the body. */
        public byte[] headBytes() {
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            for (Map.Entry<String, String> h : headers) {
                head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            }
            return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        public String header(String name) {
            for (Map.Entry<String, String> h : headers) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue();
                }
            }
            return null;
        }

        /** A copy with every header of that name removed. */
        public Request without(String name) {
            List<Map.Entry<String, String>> out = new ArrayList<>();
            for (Map.Entry<String, String> h : headers) {
                if (!h.getKey().equalsIgnoreCase(name)) {
                    out.add(h);
                }
            }
            return new Request(method, target, out, body);
        }

        /** A copy with one more header line (appended, so it may duplicate one). */
        public Request with(String name, String value) {
            List<Map.Entry<String, String>> out = new ArrayList<>(headers);
            out.add(new SimpleImmutableEntry<>(name, value));
            return new Request(method, target, out, body);
        }

        /** A copy where the header is replaced (or added). */
        public Request replacing(String name, String value) {
            return without(name).with(name, value);
        }

        /** A copy that sends this body chunked (64 KiB chunks) instead of with a Content-Length. */
        public Request chunked() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int off = 0; off < body.length; off += 65536) {
                int n = Math.min(65536, body.length - off);
                out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, off, n);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return new Request(method, target, without("Content-Length").with("Transfer-Encoding", "chunked").headers,
                    out.toByteArray());
        }

        public Request withBody(byte[] newBody) {
            return new Request(method, target, headers, newBody)
                    .replacing("Content-Length", Integer.toString(newBody.length));
        }
    }

    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return Json.plain().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("response is not JSON (status " + status + "): " + text(), e);
            }
        }

        public String header(String name) {
            return headers.get(name);
        }

        public String errorCode() {
            return json().path("ResponseMetadata").path("Error").path("Code").asText(null);
        }

        public String errorMessage() {
            return json().path("ResponseMetadata").path("Error").path("Message").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    public static Response send(String host, int port, Request request) {
        try {
            return sendRaw(host, port, request.bytes());
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("request " + request.method() + " " + request.target() + " failed",
                    e.getCause());
        }
    }

    /** As {@link #send}, from a local address of the client's choice (e.g. any of 127.0.0.0/8). */
    public static Response sendFrom(String localAddress, String host, int port, Request request) {
        return exchange(new InetSocketAddress(localAddress, 0), host, port, request.bytes());
    }

    /** Any bytes, HTTP or not, and the server's answer. */
    public static Response sendRaw(String host, int port, byte[] bytes) {
        return exchange(null, host, port, bytes);
    }

    private static Response exchange(InetSocketAddress local, String host, int port, byte[] bytes) {
        try (Socket socket = new Socket()) {
            if (local != null) {
                socket.bind(local);
            }
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(bytes);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException writeFailed) {
                // the server may answer (e.g. 413) and close before reading everything: read the answer
            }
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException("sending " + bytes.length + " bytes failed", e);
        }
    }

    /** The answer the server writes on a socket, read until the server closes it. */
    public static Response readResponse(InputStream in) throws IOException {
        return parse(readAll(in));
    }

    /**
     * One answer on a connection that stays open (keep-alive): its head, then as many body bytes as its
     * Content-Length says.
     */
    public static Response readOneResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        while (head.size() < 4 || indexOf(java.util.Arrays.copyOfRange(head.toByteArray(), head.size() - 4,
                head.size()), end) < 0) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("the connection closed after " + head.size() + " bytes of a head");
            }
            head.write(b);
        }
        Response headOnly = parse(head.toByteArray());
        int length = Integer.parseInt(headOnly.header("Content-Length"));
        head.write(in.readNBytes(length));
        return parse(head.toByteArray());
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                buf.write(chunk, 0, n);
            }
        } catch (java.net.SocketException reset) {
            if (buf.size() == 0) {
                throw reset;
            }
        }
        return buf.toByteArray();
    }

    private static Response parse(byte[] raw) {
        int split = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (split < 0) {
            throw new AssertionError("no complete HTTP response: " + new String(raw, StandardCharsets.ISO_8859_1));
        }
        String[] lines = new String(raw, 0, split, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.putIfAbsent(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, split + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("Transfer-Encoding", "").toLowerCase(Locale.ROOT))) {
            body = dechunk(body);
        } else if (headers.containsKey("Content-Length")) {
            int len = Integer.parseInt(headers.get("Content-Length"));
            body = java.util.Arrays.copyOf(body, Math.min(len, body.length));
        }
        return new Response(status, headers, body);
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (pos < body.length) {
            int eol = indexOf(java.util.Arrays.copyOfRange(body, pos, body.length), new byte[] {'\r', '\n'});
            String sizeLine = new String(body, pos, eol, StandardCharsets.ISO_8859_1);
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            pos += eol + 2;
            if (size == 0) {
                break;
            }
            out.write(body, pos, size);
            pos += size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
