package io.emrvke.server.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emrvke.server.operation.engine.SecretValues;
import io.emrvke.server.operation.engine.StepContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The applicationConfigs items of a RunApplicationAction as its operation keeps them until the
 * restart applies them. A non-secret item sits in the operation's params with its value; a secret
 * one sits there marked {@code "Secret": true} without it, its value being one of the operation's
 * secret values (stored apart, deleted when the operation ends), so no operation column holds it.
 */
public final class StoredConfigChanges {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ITEMS = "ApplicationConfigs";
    private static final String FILE = "ConfigFileName";
    private static final String KEY = "ConfigItemKey";
    private static final String VALUE = "ConfigItemValue";
    private static final String SECRET = "Secret";

    private StoredConfigChanges() {
    }

    /** Adds the items to {@code params}, the values of secret ones left out. */
    public static void putItems(ObjectNode params, List<ConfigItem> items) {
        ArrayNode out = params.putArray(ITEMS);
        for (ConfigItem item : items) {
            ObjectNode o = out.addObject().put(FILE, item.fileName()).put(KEY, item.key());
            if (item.secret()) {
                o.put(SECRET, true);
            } else {
                o.put(VALUE, item.value());
            }
        }
    }

    /** The values {@link #putItems} leaves out, for the plan's secret values. */
    public static SecretValues secretValues(List<ConfigItem> items) {
        Map<String, String> byName = new LinkedHashMap<>();
        items.stream().filter(ConfigItem::secret)
                .forEach(i -> byName.put(secretName(i.fileName(), i.key()), i.value()));
        return SecretValues.of(byName);
    }

    /**
     * The stored items of the files {@code catalogFile} knows (it gives the catalog's spelling of a
     * file name, empty for a file the step's component does not mount), with their values.
     *
     * @throws IllegalStateException when a secret value is no longer stored (naming the item, never a value)
     */
    static List<ConfigItem> read(StepContext ctx, Function<String, Optional<String>> catalogFile) {
        List<ConfigItem> out = new ArrayList<>();
        for (JsonNode item : params(ctx).path(ITEMS)) {
            String fileName = item.path(FILE).asText();
            String key = item.path(KEY).asText();
            catalogFile.apply(fileName).ifPresent(file -> out.add(new ConfigItem(file, key,
                    item.path(SECRET).asBoolean(false) ? secretValue(ctx, fileName, key) : item.path(VALUE).asText())));
        }
        return out;
    }

    private static String secretValue(StepContext ctx, String fileName, String key) {
        return ctx.secretValue(secretName(fileName, key)).orElseThrow(() -> new IllegalStateException("the value"
                + " of secret item " + key + " of " + fileName + " is not stored for operation "
                + ctx.operation().operationId()));
    }

    /** Params as {@link #putItems} writes them, and the secret values it leaves out. */
    public record Rewritten(String params, SecretValues secretValues) {
    }

    /**
     * Params written before secret values were kept apart (values of secret items in clear), as
     * they are written now; empty when they hold no secret value (or are not such params).
     */
    public static Optional<Rewritten> withSecretValuesApart(String params) {
        JsonNode root;
        try {
            root = JSON.readTree(params == null ? "{}" : params);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!(root instanceof ObjectNode stored)) {
            return Optional.empty();
        }
        List<ConfigItem> items = new ArrayList<>();
        for (JsonNode item : stored.path(ITEMS)) {
            if (item.has(SECRET) || !item.path(VALUE).isTextual()) {
                return Optional.empty(); // written the new way already
            }
            items.add(new ConfigItem(item.path(FILE).asText(), item.path(KEY).asText(), item.path(VALUE).asText()));
        }
        if (items.stream().noneMatch(ConfigItem::secret)) {
            return Optional.empty();
        }
        ObjectNode rewritten = stored.deepCopy();
        putItems(rewritten, items);
        return Optional.of(new Rewritten(rewritten.toString(), secretValues(items)));
    }

    /** File, then key: a key cannot hold '/', so the name is unambiguous. */
    private static String secretName(String fileName, String key) {
        return fileName + "/" + key;
    }

    private static JsonNode params(StepContext ctx) {
        try {
            return JSON.readTree(ctx.params() == null ? "{}" : ctx.params());
        } catch (IOException e) {
            throw new IllegalStateException("unreadable params of operation " + ctx.operation().operationId(), e);
        }
    }
}
