package io.emrvke.server.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emrvke.api.ApiException;
import io.emrvke.api.ErrorCode;
import io.emrvke.server.account.Caller;
import io.emrvke.server.account.CredentialLookup;
import io.emrvke.server.account.Role;
import io.emrvke.server.logging.LogContext;
import io.emrvke.server.store.StoreFailure;
import io.javalin.Javalin;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The signed API endpoint ("the door", docs/api.md#order-of-checks): one path {@code /} that authenticates every
 * request, routes it by Action and Version to an {@link ActionSpec}, and wraps the answer in the
 * envelope; plus {@code /healthz} and {@code /readyz} for probes. Nothing behind it sees HTTP.
 *
 * <p>In front of the handlers, {@link RequestIntake} refuses what cannot be authentic before reading
 * its body and reads bodies without holding a thread, {@link ConnectionGuard} bounds what clients
 * that have not authenticated may hold, {@link AuthFailureLimiter} slows down addresses that keep
 * failing authentication, and {@link ReplayGuard} runs each signed mutating request at most once.
 */
public final class GatewayServer {
    public static final String API_VERSION = "2023-12-30";
    static final String JSON_UTF8 = "application/json; charset=utf-8";
    private static final Logger ACCESS = LoggerFactory.getLogger("emr-vke.access");
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    private static final int MAX_THREADS = 64;
    // Connections waiting to be accepted: a burst of clients must not wait for SYN retries.
    private static final int ACCEPT_QUEUE = 1024;
    private static final long PURGE_MINUTES = 1;

    private final GatewayConfig config;
    private final Authenticator authenticator;
    private final RateLimiter rateLimiter;
    private final Map<String, ActionSpec> actions;
    private final Readiness readiness;
    private final RequestIds requestIds;
    private final AuthFailureLimiter authFailures;
    private final ConnectionGuard guard;
    private final ReplayGuard replays;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean accepting = true;
    private Javalin app;
    private ScheduledExecutorService housekeeping;
    private boolean stopping;
    private volatile int boundPort = -1;

    /** A gateway without a store: replays are caught for the life of the process only. */
    public GatewayServer(GatewayConfig config, CredentialLookup credentials, List<ActionSpec> actions,
                         Readiness readiness) {
        this(config, credentials, actions, readiness, ReplayRecords.inMemory());
    }

    /** @param replayRecords where the signed mutating requests run so far are remembered (the store's) */
    public GatewayServer(GatewayConfig config, CredentialLookup credentials, List<ActionSpec> actions,
                         Readiness readiness, ReplayRecords replayRecords) {
        this.config = Objects.requireNonNull(config, "config");
        this.authenticator = new Authenticator(credentials, config.clock(), config.clockSkew());
        this.rateLimiter = new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst());
        this.actions = index(actions);
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.requestIds = new RequestIds(config.clock());
        this.authFailures = AuthFailureLimiter.of(config.clientLimits());
        this.guard = new ConnectionGuard(config.clientLimits(), System::nanoTime);
        this.replays = new ReplayGuard(Objects.requireNonNull(replayRecords, "replayRecords"), config.clockSkew(),
                config.clock());
    }

    private static Map<String, ActionSpec> index(List<ActionSpec> actions) {
        Map<String, ActionSpec> byName = new HashMap<>();
        for (ActionSpec a : actions) {
            if (byName.put(a.name(), a) != null) {
                throw new IllegalArgumentException("action " + a.name() + " is registered twice");
            }
        }
        return Map.copyOf(byName);
    }

    /** Starts listening; returns once the port is bound. */
    public synchronized GatewayServer start() {
        if (app != null) {
            throw new IllegalStateException("already started");
        }
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 4, 60_000);
        threads.setName("emr-gateway");
        RequestIntake intake = new RequestIntake(guard, authFailures, config.maxBodyBytes(), config.clientLimits(),
                new IntakeDoor());
        app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.jetty.threadPool = threads;
            c.http.maxRequestSize = config.maxBodyBytes();
            c.jetty.modifyServer(server -> {
                server.setErrorHandler(new HttpErrorEnvelope(this::refusedByJetty));
                server.insertHandler(intake);
            });
            c.jetty.addConnector(this::connector);
            c.routes.before(this::door);
            c.routes.get("/healthz", ctx -> ctx.contentType("text/plain; charset=utf-8").result("ok\n"));
            c.routes.get("/readyz", this::readyz);
            c.routes.get("/", this::api);
            c.routes.post("/", this::api);
        });
        app.start();
        boundPort = app.port();
        accepting = true;
        startHousekeeping();
        return this;
    }

    /** The API's listener; the guard sees every connection it opens and closes. */
    private ServerConnector connector(Server server, HttpConfiguration http) {
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(config.bind());
        connector.setPort(config.port());
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        connector.addEventListener(guard);
        return connector;
    }

    private void startHousekeeping() {
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "emr-gateway-guard");
            t.setDaemon(true);
            return t;
        });
        housekeeping.scheduleWithFixedDelay(guard::sweep, ConnectionGuard.SWEEP_MILLIS, ConnectionGuard.SWEEP_MILLIS,
                TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(this::purgeReplays, PURGE_MINUTES, PURGE_MINUTES, TimeUnit.MINUTES);
    }

    private void purgeReplays() {
        try {
            int purged = replays.purgeExpired();
            if (purged > 0) {
                LOG.debug("purged {} expired signed-request records", purged);
            }
        } catch (RuntimeException e) {
            LOG.warn("purge of expired signed-request records failed: {}", e.toString());
        }
    }

    /** The bound port (the real one when the config asked for 0). */
    public int port() {
        if (boundPort < 0) {
            throw new IllegalStateException("not started");
        }
        return boundPort;
    }

    /**
     * Graceful stop: new API requests get 503 ServiceUnavailableTemp, requests in flight finish
     * (up to the drain timeout), then the listener closes.
     */
    public void stop() {
        Javalin running;
        synchronized (this) {
            running = app;
            if (running == null || stopping) {
                return;
            }
            stopping = true;
        }
        accepting = false;
        awaitInFlight(config.drainTimeout());
        running.stop();
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
        synchronized (this) {
            app = null;
            stopping = false;
        }
    }

    /** While false, API requests get 503 ServiceUnavailableTemp and /readyz answers 503. */
    public void setAccepting(boolean accepting) {
        this.accepting = accepting;
    }

    public boolean isAccepting() {
        return accepting;
    }

    private void awaitInFlight(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (inFlight.get() > 0) {
            LOG.warn("stopping with {} requests still in flight after {}", inFlight.get(), timeout);
        }
    }

    // ---- the door: paths and methods that are not ours never reach an endpoint -------------

    private void door(Context ctx) {
        String path = ctx.path();
        String method = ctx.req().getMethod();
        boolean known = path.equals("/") || path.equals("/healthz") || path.equals("/readyz");
        if (!known) {
            refuse(ctx, ErrorCode.NOT_FOUND_PATH, "The path '" + Params.clip(path)
                    + "' does not exist; the API is served at '/'.");
        } else if (!method.equals("GET") && !(method.equals("POST") && path.equals("/"))) {
            refuse(ctx, ErrorCode.METHOD_NOT_ALLOWED, "Method " + Params.clip(method) + " is not allowed on '"
                    + path + "'; use " + (path.equals("/") ? "POST (or GET for read actions)." : "GET."));
        }
    }

    private void refuse(Context ctx, ErrorCode code, String message) {
        Exchange ex = new Exchange(requestIds.next(), config.defaultRegion());
        ctx.skipRemainingHandlers();
        answer(ctx, ex, code.httpStatus(), Envelope.error(ex.metadata(), code, message));
        accessLog(ex, Params.clip(ctx.path()), code.httpStatus(), code);
    }

    private HttpErrorEnvelope.Answer refusedByJetty(String path, int status, ErrorCode code, String message) {
        Exchange ex = new Exchange(requestIds.next(), config.defaultRegion());
        byte[] body = Envelope.error(ex.metadata(), code, message);
        accessLog(ex, path, status, code);
        return new HttpErrorEnvelope.Answer(ex.requestId, body);
    }

    private void readyz(Context ctx) {
        StringBuilder text = new StringBuilder();
        boolean ready = accepting;
        text.append("gateway: ").append(accepting ? "ok" : "not accepting requests").append('\n');
        List<Readiness.Check> checks;
        try {
            checks = readiness.check();
        } catch (RuntimeException e) {
            checks = List.of(Readiness.Check.failing("readiness", "check failed: " + e.getClass().getSimpleName()));
        }
        for (Readiness.Check check : checks) {
            ready &= check.ready();
            text.append(check.name()).append(": ").append(check.ready() ? "ok" : check.detail()).append('\n');
        }
        ctx.status(ready ? 200 : 503).contentType("text/plain; charset=utf-8").result(text.toString());
    }

    // ---- the API ------------------------------------------------------------------------

    private void api(Context ctx) {
        Exchange ex = ctx.req().getAttribute(RequestIntake.EXCHANGE_ATTRIBUTE) instanceof Exchange admitted
                ? admitted : new Exchange(requestIds.next(), config.defaultRegion());
        // every log line written while this request is handled names it (docs/api.md#responses)
        MDC.put(LogContext.REQUEST_ID, ex.requestId);
        inFlight.incrementAndGet();
        int status = 500;
        ErrorCode failed = null;
        try {
            refuseWhileNotAccepting();
            Object result = dispatch(ctx.req(), ex);
            byte[] bytes = Envelope.success(ex.metadata(), result);
            status = 200;
            answer(ctx, ex, status, bytes);
        } catch (Throwable t) {
            failed = classify(t, ex);
            status = failed.httpStatus();
            if (AuthFailureLimiter.isAuthenticationFailure(failed)) {
                authFailures.recordFailure(ctx.req().getRemoteAddr());
            }
            answer(ctx, ex, status, Envelope.error(ex.metadata(), failed, messageFor(failed, t)));
            if (t instanceof Error e && !(t instanceof StackOverflowError)) {
                throw e;
            }
        } finally {
            inFlight.decrementAndGet();
            accessLog(ex, ex.action, status, failed);
            MDC.remove(LogContext.REQUEST_ID);
        }
    }

    private void refuseWhileNotAccepting() {
        if (!accepting) {
            throw ErrorCode.SERVICE_UNAVAILABLE.exception(
                    "The server is not accepting requests (shutting down); retry shortly.");
        }
    }

    private Object dispatch(HttpServletRequest req, Exchange ex) {
        byte[] body = readBody(req);
        List<Map.Entry<String, String>> query = QueryString.parseQuery(req.getQueryString());
        Map<String, String> headers = headers(req);
        identify(query, headers, ex);
        Authenticator.Authenticated who = authenticator.authenticate(req.getMethod(), query, headers, body);
        if (req.getAttribute(RequestIntake.PEER_ATTRIBUTE) instanceof ConnectionGuard.Peer peer) {
            guard.authenticated(peer);
        }
        Caller caller = who.caller();
        ex.region = who.region();
        ex.accessKeyId = caller.accessKeyId();
        ActionSpec spec = API_VERSION.equals(ex.version) ? actions.get(ex.action) : null;
        if (spec == null) {
            throw ErrorCode.INVALID_ACTION_OR_VERSION.exception("Could not find operation " + ex.action
                    + " for version " + ex.version + ".");
        }
        authorize(req.getMethod(), spec, caller);
        rateLimiter.acquire(caller.accessKeyId());
        // the raw header: the servlet getter throws on an unknown charset name
        ObjectNode json = RequestParams.read(req.getMethod(), headers.get("content-type"), query, body);
        ActionContext context = new ActionContext(spec.name(), ex.requestId, ex.region, caller, Params.of(json));
        if (!spec.mutating()) {
            return spec.handler().handle(context);
        }
        return replays.once(who, spec.name(), ex.requestId, () -> spec.handler().handle(context));
    }

    /**
     * Reads Action and Version (both required, once each) and what the Authorization header claims,
     * for the envelope and the access log, before anything is verified.
     */
    private static void identify(List<Map.Entry<String, String>> query, Map<String, String> headers, Exchange ex) {
        String action = single(query, "Action");
        String version = single(query, "Version");
        ex.action = action == null ? null : Params.clip(action);
        ex.version = version == null ? null : Params.clip(version);
        if (action == null || action.isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.exception("The request is missing the Action query parameter.");
        }
        if (version == null || version.isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.exception("The request is missing the Version query parameter.");
        }
        Authenticator.Claim claim = Authenticator.claim(headers.get("authorization"));
        ex.accessKeyId = claim.accessKeyId();
        if (claim.region() != null) {
            ex.region = claim.region();
        }
    }

    private static void authorize(String method, ActionSpec spec, Caller caller) {
        if (!spec.mutating()) {
            return;
        }
        if (method.equals("GET")) {
            throw ErrorCode.INVALID_PARAMETER.exception("Action " + spec.name()
                    + " changes state; send it with POST, not GET.");
        }
        if (caller.role() != Role.ADMIN) {
            throw ErrorCode.ACCESS_DENIED.exception("Access key '" + caller.accessKeyId() + "' has the "
                    + caller.role().wireName() + " role; action " + spec.name() + " needs an admin key.");
        }
    }

    private static String single(List<Map.Entry<String, String>> query, String name) {
        String found = null;
        for (Map.Entry<String, String> e : query) {
            if (e.getKey().equals(name)) {
                if (found != null) {
                    throw ErrorCode.INVALID_PARAMETER.exception("The " + name + " query parameter is given more than once.");
                }
                found = e.getValue();
            }
        }
        return found;
    }

    private static Map<String, String> headers(HttpServletRequest req) {
        TreeMap<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Enumeration<String> names = req.getHeaderNames();
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            headers.putIfAbsent(name, req.getHeader(name));
        }
        return headers;
    }

    /**
     * The body, which the intake has read into memory already (within the limit); the limit is
     * checked again so that nothing larger is ever buffered here.
     */
    private byte[] readBody(HttpServletRequest req) {
        int max = config.maxBodyBytes();
        try {
            InputStream in = req.getInputStream();
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max) {
                throw ErrorCode.REQUEST_ENTITY_TOO_LARGE.exception("The request body is more than " + max
                        + " bytes; the limit is " + max + " bytes.");
            }
            return body;
        } catch (IOException e) {
            throw ErrorCode.INVALID_PARAMETER.exception("The request body could not be read completely.");
        }
    }

    /** The checks the intake runs before reading a body, and the envelopes of its refusals. */
    private final class IntakeDoor implements RequestIntake.Door {
        @Override
        public Exchange open() {
            return new Exchange(requestIds.next(), config.defaultRegion());
        }

        @Override
        public void admit(Exchange ex, Request request) {
            refuseWhileNotAccepting();
            List<Map.Entry<String, String>> query = QueryString.parseQuery(request.getHttpURI().getQuery());
            Map<String, String> headers = headers(request);
            identify(query, headers, ex);
            try {
                authenticator.precheck(headers);
            } catch (RuntimeException e) {
                // the key lookup reads the store: while it fails the head gets the 503 any call gets
                if (Failures.apiException(e) != null || !StoreFailure.in(e)) {
                    throw e;
                }
                logStoreFailure(ex, e);
                throw ErrorCode.SERVICE_UNAVAILABLE.exception(STORE_FAILING);
            }
        }

        @Override
        public byte[] refusal(Exchange ex, int status, ErrorCode code, String message) {
            accessLog(ex, ex.action, status, code);
            return Envelope.error(ex.metadata(), code, message);
        }

        private static Map<String, String> headers(Request request) {
            TreeMap<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (HttpField field : request.getHeaders()) {
                headers.putIfAbsent(field.getName(), field.getValue());
            }
            return headers;
        }
    }

    // ---- answers -------------------------------------------------------------------------

    private static final String STORE_FAILING =
            "The service is temporarily unavailable: its store (database) is failing; retry shortly.";

    private ErrorCode classify(Throwable t, Exchange ex) {
        ApiException api = Failures.apiException(t);
        if (api != null) {
            return api.error();
        }
        if (StoreFailure.in(t)) {
            logStoreFailure(ex, t);
            return ErrorCode.SERVICE_UNAVAILABLE;
        }
        LOG.error("RequestId {}: action {} failed unexpectedly", ex.requestId, ex.action, t);
        return ErrorCode.INTERNAL_ERROR;
    }

    /**
     * An outage (down, full, closed) is a warning; anything else the store refused may be a bug
     * here, so it is an error naming where the call was made. Never the database's message: it
     * may quote a value being written.
     */
    private static void logStoreFailure(Exchange ex, Throwable t) {
        if (StoreFailure.isOutage(t)) {
            LOG.warn("RequestId {}: action {}: the store is failing: {}", ex.requestId, ex.action,
                    StoreFailure.describe(t));
        } else {
            LOG.error("RequestId {}: action {}: the store refused a statement: {} at {}", ex.requestId, ex.action,
                    StoreFailure.describe(t), StoreFailure.origin(t));
        }
    }

    private static String messageFor(ErrorCode code, Throwable t) {
        ApiException api = Failures.apiException(t);
        if (api != null) {
            return api.getMessage();
        }
        if (code == ErrorCode.SERVICE_UNAVAILABLE) {
            return STORE_FAILING;
        }
        return "The server failed to process the request; it has been logged. Retry, or report the RequestId.";
    }

    /**
     * Writes and flushes the answer before the handler returns, so that a graceful stop, which
     * waits for handlers only, never cuts a response short.
     */
    private static void answer(Context ctx, Exchange ex, int status, byte[] body) {
        HttpServletResponse res = ctx.res();
        res.setStatus(status);
        res.setHeader("X-Request-Id", ex.requestId);
        res.setContentType(JSON_UTF8);
        res.setContentLength(body.length);
        try {
            res.getOutputStream().write(body);
            res.flushBuffer();
        } catch (IOException e) {
            LOG.debug("RequestId {}: the client left before the answer was written", ex.requestId);
        }
    }

    private static void accessLog(Exchange ex, String action, int status, ErrorCode code) {
        if (!ACCESS.isInfoEnabled()) {
            return;
        }
        long micros = (System.nanoTime() - ex.startNanos) / 1000;
        ACCESS.info("requestId={} accessKeyId={} action={} status={} error={} latencyMs={}", ex.requestId,
                ex.accessKeyId == null ? "-" : ex.accessKeyId, action == null || action.isEmpty() ? "-" : action,
                status, code == null ? "-" : code.code(), millis(micros));
    }

    /** {@code micros} as milliseconds with three decimals; String.format cost more than the rest of the line. */
    static String millis(long micros) {
        long fraction = micros % 1000;
        return (micros / 1000) + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }
}
