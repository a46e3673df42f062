package io.emrvke.server.gateway;

import io.emrvke.api.ApiException;
import io.emrvke.api.ErrorCode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The first handler of every request, in front of Javalin's servlet. For the API ({@code GET|POST /})
 * it refuses at once, before reading any body, what cannot be authentic (a source address over its
 * failed-authentication limit, a missing or malformed Authorization, an X-Date outside the skew, an
 * unknown or disabled key) and what is declared too large; then it reads the body without holding a
 * thread ({@link BodyReader}) and hands the request on with its whole body in memory. So request
 * threads only ever serve requests whose bodies have arrived, and no client, however slow, holds one.
 *
 * <p>Early answers carry {@code Connection: close}; what the client still sends is drained for a
 * while so that a client that writes its whole body before reading gets to read the answer.
 */
final class RequestIntake extends Handler.Wrapper {
    /** How long an early answer's connection may still be drained. */
    static final Duration LINGER = Duration.ofSeconds(30);
    static final String EXCHANGE_ATTRIBUTE = RequestIntake.class.getName() + ".exchange";
    static final String PEER_ATTRIBUTE = RequestIntake.class.getName() + ".peer";

    /** What the gateway decides for the intake. */
    interface Door {
        Exchange open();

        /**
         * Everything checked before the body is read, in the order of docs/api.md#order-of-checks.
         *
         * @throws ApiException the refusal
         */
        void admit(Exchange ex, Request request);

        /** The error envelope of a refusal, with its access-log line written. */
        byte[] refusal(Exchange ex, int status, ErrorCode code, String message);
    }

    private final ConnectionGuard guard;
    private final AuthFailureLimiter authFailures;
    private final int maxBodyBytes;
    private final ClientLimits limits;
    private final Door door;
    private final BodyBudget bodyBudget;
    private final LongSupplier nanoTime = System::nanoTime;

    RequestIntake(ConnectionGuard guard, AuthFailureLimiter authFailures, int maxBodyBytes, ClientLimits limits,
                  Door door) {
        this.guard = guard;
        this.authFailures = authFailures;
        this.maxBodyBytes = maxBodyBytes;
        this.limits = limits;
        this.door = door;
        // one body of the largest accepted size always fits
        this.bodyBudget = new BodyBudget(Math.max(limits.maxPendingBodyBytes(), maxBodyBytes));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        ConnectionGuard.Peer peer = guard.peer(request);
        Request.addCompletionListener(request, failure -> peer.requestEnded());
        if (!isApiCall(request)) {
            peer.serving();
            return super.handle(request, response, callback);
        }
        Exchange ex = door.open();
        request.setAttribute(EXCHANGE_ATTRIBUTE, ex);
        request.setAttribute(PEER_ATTRIBUTE, peer);
        Call call = new Call(request, response, callback, ex, peer);
        call.begin();
        return true;
    }

    private static boolean isApiCall(Request request) {
        String method = request.getMethod();
        return "/".equals(request.getHttpURI().getPath()) && ("POST".equals(method) || "GET".equals(method));
    }

    /** One API request on its way through the intake. */
    private final class Call implements BodyReader.Outcome {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final Exchange ex;
        private final ConnectionGuard.Peer peer;
        private final BodyReader reader;

        Call(Request request, Response response, Callback callback, Exchange ex, ConnectionGuard.Peer peer) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.ex = ex;
            this.peer = peer;
            this.reader = new BodyReader(request, maxBodyBytes, limits, LINGER.toNanos(), nanoTime, bodyBudget, this);
        }

        void begin() {
            Request.addCompletionListener(request, failure -> reader.releaseBudget());
            peer.reading(reader);
            String address = Request.getRemoteAddr(request);
            long blocked = authFailures.blockedSeconds(address);
            if (blocked > 0) {
                refuseThenDrain(authFailures.refusal(address, blocked), Map.of("Retry-After", Long.toString(blocked)));
                return;
            }
            try {
                door.admit(ex, request);
            } catch (ApiException refused) {
                if (AuthFailureLimiter.isAuthenticationFailure(refused.error())) {
                    authFailures.recordFailure(address);
                }
                refuseThenDrain(refused, Map.of());
                return;
            }
            long declared = request.getLength();
            if (declared > maxBodyBytes) {
                refuseThenDrain(tooLarge(declared + " bytes"), Map.of());
                return;
            }
            reader.start();
        }

        @Override
        public void loaded(byte[] body) {
            peer.serving();
            Request loaded = new LoadedRequest(request, body);
            try {
                if (!RequestIntake.super.handle(loaded, response, callback)) {
                    Response.writeError(loaded, response, callback, 404);
                }
            } catch (Throwable t) {
                Response.writeError(loaded, response, callback, t);
            }
        }

        @Override
        public void tooLarge(long bytesSeen) {
            refuseThenDrain(tooLarge("more than " + maxBodyBytes + " bytes"), Map.of());
        }

        @Override
        public void overBudget(long budgetBytes) {
            String message = "The server is receiving too many request bodies at once (" + budgetBytes
                    + " bytes held); retry shortly.";
            answer(503, ErrorCode.SERVICE_UNAVAILABLE, message, Map.of(), callback);
        }

        @Override
        public void tooSlow(long bytesSeen, long elapsedNanos) {
            if (!peer.isAuthenticated()) {
                authFailures.recordFailure(Request.getRemoteAddr(request));
            }
            String message = "The request body arrived too slowly: " + bytesSeen + " bytes in "
                    + elapsedNanos / 1_000_000 + " ms. After the first " + limits.bodyGrace().toMillis()
                    + " ms a body must arrive at " + limits.minBodyBytesPerSecond()
                    + " bytes per second or faster; send it at once, or retry over a faster connection.";
            // no drain: this client is the slow one
            answer(408, ErrorCode.INVALID_PARAMETER, message, Map.of(), callback);
        }

        @Override
        public void failed(Throwable cause) {
            callback.failed(cause);
        }

        private ApiException tooLarge(String size) {
            return ErrorCode.REQUEST_ENTITY_TOO_LARGE.exception("The request body is " + size
                    + "; the limit is " + maxBodyBytes + " bytes.");
        }

        private void refuseThenDrain(ApiException refusal, Map<String, String> headers) {
            Callback drainThenComplete = Callback.from(() -> reader.drainThen(callback::succeeded), callback::failed);
            answer(refusal.error().httpStatus(), refusal.error(), refusal.getMessage(), headers, drainThenComplete);
        }

        /** Writes an error envelope that closes the connection after it. */
        private void answer(int status, ErrorCode code, String message, Map<String, String> headers, Callback then) {
            byte[] body = door.refusal(ex, status, code, message);
            response.setStatus(status);
            HttpFields.Mutable h = response.getHeaders();
            h.put(HttpHeader.CONTENT_TYPE, GatewayServer.JSON_UTF8);
            h.put(HttpHeader.CONTENT_LENGTH, body.length);
            h.put("X-Request-Id", ex.requestId);
            h.put(HttpHeader.CONNECTION, "close");
            headers.forEach(h::put);
            response.write(true, ByteBuffer.wrap(body), then);
        }
    }

    /** The request with its whole body already read: the handlers behind read it from memory. */
    private static final class LoadedRequest extends Request.Wrapper {
        private final AtomicReference<Content.Chunk> body;

        LoadedRequest(Request wrapped, byte[] bytes) {
            super(wrapped);
            this.body = new AtomicReference<>(Content.Chunk.from(ByteBuffer.wrap(bytes), true));
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = body.getAndSet(null);
            return chunk != null ? chunk : Content.Chunk.EOF;
        }

        @Override
        public boolean consumeAvailable() {
            body.set(null);
            return true;
        }
    }
}
