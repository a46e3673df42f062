package io.emrvke.server.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emrvke.api.Json;
import io.emrvke.server.account.Credential;
import io.emrvke.server.account.CredentialLookup;
import io.emrvke.server.account.Role;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.ConnectionException;

/** A running gateway with in-memory keys and small test actions that read every kind of field. */
final class GatewayHarness implements AutoCloseable {
    static final String ADMIN_AK = "AKLTadmin";
    static final String ADMIN_SK = "admin-secret-key-value";
    static final String READER_AK = "AKLTreader";
    static final String READER_SK = "reader-secret-key-value";
    static final String DISABLED_AK = "AKLTdisabled";
    static final String DISABLED_SK = "disabled-secret-key-value";
    static final List<String> PROBE_FIELDS = List.of("Name", "Count", "Tags", "Mode", "Items", "Flag", "Spec");

    final Map<String, Credential> keys = new ConcurrentHashMap<>();
    final GatewayServer server;
    final CountDownLatch slowRelease = new CountDownLatch(1);
    final CountDownLatch slowEntered = new CountDownLatch(1);

    GatewayHarness(GatewayConfig config) {
        keys.put(ADMIN_AK, new Credential(ADMIN_AK, ADMIN_SK, 1001, 11, "alice", Role.ADMIN, true, 0));
        keys.put(READER_AK, new Credential(READER_AK, READER_SK, 1001, 12, "rita", Role.READONLY, true, 0));
        keys.put(DISABLED_AK, new Credential(DISABLED_AK, DISABLED_SK, 1001, 13, "dan", Role.ADMIN, false, 0));
        CredentialLookup lookup = ak -> Optional.ofNullable(keys.get(ak));
        server = new GatewayServer(config, lookup, actions(), Readiness.none()).start();
    }

    /** No rate limit per key and none on failed authentications: tests send many requests, some failing. */
    GatewayHarness() {
        this(GatewayConfig.defaults("127.0.0.1", 0).withRateLimit(0, 0)
                .withClientLimits(ClientLimits.DEFAULTS.withAuthFailureLimit(0, 0)));
    }

    private List<ActionSpec> actions() {
        List<ActionSpec> list = new ArrayList<>();
        list.add(ActionSpec.read("Echo", ctx -> {
            ObjectNode out = Json.wire().createObjectNode();
            out.set("Params", ctx.params().json());
            out.put("AccessKeyId", ctx.caller().accessKeyId());
            out.put("Region", ctx.region());
            out.put("RequestId", ctx.requestId());
            return out;
        }));
        list.add(ActionSpec.read("GetOperation", ctx -> Map.of("OperationId", ctx.params().requiredString("OperationId"),
                "MaxResults", ctx.params().optionalInt("MaxResults", 1, 100, 10))));
        list.add(ActionSpec.read("Probe", GatewayHarness::probe));
        list.add(ActionSpec.mutate("ProbeChange", GatewayHarness::probe));
        list.add(ActionSpec.read("Explode", ctx -> {
            throw new IllegalStateException("internal detail: table ops_secret column x");
        }));
        list.add(ActionSpec.read("DbDown", ctx -> {
            throw new IllegalStateException("wrapped", new ConnectionException(
                    new SQLException("Connection refused to db.internal:5432", "08001")));
        }));
        list.add(ActionSpec.read("Slow", ctx -> {
            slowEntered.countDown();
            try {
                slowRelease.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Map.of("Done", true);
        }));
        return list;
    }

    /** Reads every field kind through Params, as real actions do. */
    private static Object probe(ActionContext ctx) {
        Params p = ctx.params();
        ObjectNode out = Json.wire().createObjectNode();
        out.put("Name", p.requiredText("Name", 64));
        out.put("Count", p.optionalInt("Count", 1, 100, 10));
        out.putPOJO("Tags", p.stringList("Tags"));
        out.put("Mode", p.optionalChoice("Mode", List.of("Fast", "Slow")).orElse("Fast"));
        int items = 0;
        for (Params item : p.objectList("Items")) {
            item.requiredText("Key", 32);
            item.optionalString("Value");
            items++;
        }
        out.put("Items", items);
        out.put("Flag", p.optionalBoolean("Flag").orElse(false));
        p.optionalObject("Spec").ifPresent(spec -> out.put("SpecId", spec.requiredText("Id", 32)));
        return out;
    }

    int port() {
        return server.port();
    }

    String host() {
        return "127.0.0.1:" + port();
    }

    TestSigner admin() {
        return new TestSigner(ADMIN_AK, ADMIN_SK, "cn-beijing", host());
    }

    TestSigner reader() {
        return new TestSigner(READER_AK, READER_SK, "cn-beijing", host());
    }

    RawHttp.Response send(RawHttp.Request request) {
        return RawHttp.send("127.0.0.1", port(), request);
    }

    @Override
    public void close() {
        slowRelease.countDown();
        server.stop();
    }
}
