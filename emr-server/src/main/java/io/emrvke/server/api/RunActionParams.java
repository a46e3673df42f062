package io.emrvke.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.emrvke.api.ErrorCode;
import io.emrvke.server.application.ConfigItem;
import io.emrvke.server.application.RequestedItem;
import io.emrvke.server.catalog.ComponentAction;
import io.emrvke.server.catalog.ConfigItems;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.operation.engine.ExecutionOptions;
import io.emrvke.server.operation.engine.FailureStrategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code ActionParams} of RunApplicationAction ([{Key, Value}], values always strings), read
 * and checked for shape: the public keys {@code releaseName} and {@code applicationConfigs}, and
 * our extensions {@code batchSize}, {@code batchIntervalSeconds}, {@code failureStrategy},
 * {@code timeoutSeconds}, {@code dryRun}. Keys match case-insensitively. What depends on the
 * cluster (do the names and files exist) is checked later, with the field names kept here.
 * {@code applicationConfigsJson} is the value as parsed here (null without it), so that Content
 * can be stored masked without parsing it again.
 */
record RunActionParams(List<String> releaseNames, String releaseNameField, List<RequestedItem> applicationConfigs,
                       String applicationConfigsField, ArrayNode applicationConfigsJson, int batchSize,
                       long batchIntervalSeconds, FailureStrategy failureStrategy, long timeoutSeconds,
                       boolean dryRun) {

    static final String RELEASE_NAME = "releaseName";
    static final String APPLICATION_CONFIGS = "applicationConfigs";
    static final String BATCH_SIZE = "batchSize";
    static final String BATCH_INTERVAL_SECONDS = "batchIntervalSeconds";
    static final String FAILURE_STRATEGY = "failureStrategy";
    static final String TIMEOUT_SECONDS = "timeoutSeconds";
    static final String DRY_RUN = "dryRun";
    static final List<String> KEYS = List.of(RELEASE_NAME, APPLICATION_CONFIGS, BATCH_SIZE, BATCH_INTERVAL_SECONDS,
            FAILURE_STRATEGY, TIMEOUT_SECONDS, DRY_RUN);

    static final int MAX_BATCH_SIZE = 1000;
    static final long MAX_BATCH_INTERVAL_SECONDS = 86_400;
    static final long MAX_TIMEOUT_SECONDS = 86_400;
    static final long DEFAULT_TIMEOUT_SECONDS = ExecutionOptions.DEFAULT_STEP_TIMEOUT_MILLIS / 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    boolean hasReleaseNames() {
        return !releaseNames.isEmpty();
    }

    ExecutionOptions executionOptions() {
        return new ExecutionOptions(failureStrategy, batchIntervalSeconds * 1000, timeoutSeconds * 1000);
    }

    /** Reads {@code ActionParams} of the request; {@code action} decides whether applicationConfigs is allowed. */
    static RunActionParams read(Params request, ComponentAction action) {
        List<String> releaseNames = List.of();
        String releaseNameField = "ActionParams (Key " + RELEASE_NAME + ")";
        List<RequestedItem> configs = List.of();
        ArrayNode configsJson = null;
        String configsField = "ActionParams (Key " + APPLICATION_CONFIGS + ")";
        int batchSize = 1;
        long interval = 0;
        FailureStrategy strategy = FailureStrategy.BLOCK;
        long timeout = DEFAULT_TIMEOUT_SECONDS;
        boolean dryRun = false;
        Set<String> seen = new HashSet<>();
        for (Params param : request.objectList("ActionParams")) {
            String key = Params.canonicalChoice(param.name("Key"), param.requiredString("Key").trim(), KEYS);
            if (!seen.add(key)) {
                throw param.invalid("Key", "'" + key + "' is given twice");
            }
            String value = param.requiredString("Value");
            String field = param.name("Value");
            String named = field + " (" + key + ")";
            switch (key) {
                case RELEASE_NAME -> {
                    releaseNames = releaseNames(named, value);
                    releaseNameField = named;
                }
                case APPLICATION_CONFIGS -> {
                    configsJson = applicationConfigsJson(field, value, action);
                    configs = applicationConfigs(field, configsJson);
                    configsField = named;
                }
                case BATCH_SIZE -> batchSize = (int) number(named, value, 1, MAX_BATCH_SIZE);
                case BATCH_INTERVAL_SECONDS -> interval = number(named, value, 0, MAX_BATCH_INTERVAL_SECONDS);
                case FAILURE_STRATEGY -> strategy = FailureStrategy.valueOf(Params.canonicalChoice(named, value.trim(),
                        Arrays.stream(FailureStrategy.values()).map(Enum::name).toList()));
                case TIMEOUT_SECONDS -> timeout = number(named, value, 1, MAX_TIMEOUT_SECONDS);
                case DRY_RUN -> dryRun = bool(named, value);
                default -> throw new IllegalStateException("unhandled key " + key);
            }
        }
        return new RunActionParams(releaseNames, releaseNameField, configs, configsField, configsJson, batchSize,
                interval, strategy, timeout, dryRun);
    }

    /** One name or a comma-separated list; blanks around names are ignored, repeats count once. */
    private static List<String> releaseNames(String field, String value) {
        Set<String> names = new LinkedHashSet<>();
        for (String part : value.split(",", -1)) {
            String name = part.trim();
            if (name.isEmpty()) {
                throw Params.invalidAt(field, "'" + Params.clip(value) + "' holds an empty release name: give one"
                        + " name or a comma-separated list of names");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    /**
     * {@code [{"configFileName":..,"configItemKey":..,"configItemValue":..}]} as a JSON string;
     * only with restart. Items are named by position, e.g. {@code ActionParams.2.Value[1].configItemKey}.
     */
    private static ArrayNode applicationConfigsJson(String field, String value, ComponentAction action) {
        if (action != ComponentAction.RESTART) {
            throw Params.invalidAt(field, "(" + APPLICATION_CONFIGS + ") is only accepted with ActionName restart,"
                    + " not " + action.wireName() + ": a config change takes effect through the restart");
        }
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw Params.invalidAt(field, "(" + APPLICATION_CONFIGS + ") is not valid JSON at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                    + ": expected [{\"configFileName\":..,\"configItemKey\":..,\"configItemValue\":..}]");
        }
        if (root == null || !root.isArray()) {
            throw Params.invalidAt(field, "(" + APPLICATION_CONFIGS + ") must be a JSON array of"
                    + " {\"configFileName\",\"configItemKey\",\"configItemValue\"} objects");
        }
        if (root.isEmpty()) {
            throw Params.invalidAt(field, "(" + APPLICATION_CONFIGS + ") must hold at least one item");
        }
        return (ArrayNode) root;
    }

    private static List<RequestedItem> applicationConfigs(String field, ArrayNode root) {
        ConfigItems.requireRequestCount(field + " (" + APPLICATION_CONFIGS + ")", root.size());
        List<RequestedItem> items = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            String at = field + "[" + (i + 1) + "]";
            JsonNode node = root.get(i);
            if (!node.isObject()) {
                throw Params.invalidAt(at, "must be an object with configFileName, configItemKey and configItemValue");
            }
            String fileName = text(node, at, "configFileName");
            String key = ConfigItems.validateKey(at + ".configItemKey", text(node, at, "configItemKey"));
            String itemValue = ConfigItems.validateValue(at + ".configItemValue", text(node, at, "configItemValue"));
            if (!seen.add(fileName.toLowerCase(Locale.ROOT) + "\n" + key)) {
                throw Params.invalidAt(at + ".configItemKey", "'" + key + "' of " + fileName + " is given twice");
            }
            items.add(new RequestedItem(new ConfigItem(fileName, key, itemValue), at));
        }
        return List.copyOf(items);
    }

    private static String text(JsonNode item, String at, String name) {
        JsonNode v = item.get(name);
        if (v == null || v.isNull()) {
            throw ErrorCode.MISSING_PARAMETER.exception("The request is missing " + at + "." + name + ".");
        }
        if (!v.isTextual()) {
            throw Params.invalidAt(at + "." + name, "must be a string, got " + v.getNodeType().name().toLowerCase(
                    Locale.ROOT));
        }
        return v.asText();
    }

    private static long number(String field, String value, long min, long max) {
        String v = value.trim();
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw Params.invalidAt(field, "must be a whole number between " + min + " and " + max + ", got '"
                    + Params.clip(value) + "'");
        }
        if (n < min || n > max) {
            throw Params.invalidAt(field, "must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    private static boolean bool(String field, String value) {
        String v = value.trim();
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw Params.invalidAt(field, "must be true or false, got '" + Params.clip(value) + "'");
    }
}
