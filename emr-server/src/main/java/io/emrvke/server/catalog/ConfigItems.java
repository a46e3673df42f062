package io.emrvke.server.catalog;

import io.emrvke.server.disclosure.Clip;
import io.emrvke.server.disclosure.SecretKeys;
import java.util.regex.Pattern;

/**
 * Rules every config item obeys: key syntax, the size and count limits, and the secret rule of
 * docs/api.md#config-items. The limits are far above what a real configuration needs (the bundled catalog mounts
 * at most 15 defaults per component; a hand-written spark-defaults.conf or hive-site.xml holds tens to a few hundred
 * items) and keep what one request or one instance costs bounded: every item is rendered into the instance's
 * chart and stored with each config version.
 */
public final class ConfigItems {
    public static final int MAX_KEY_LENGTH = 256;
    /** Characters of one value: a certificate or a long JVM option line fits; a whole file does not belong here. */
    public static final int MAX_VALUE_LENGTH = 65_536;
    /** Items one request may give in all (every application's ApplicationConfigs, or applicationConfigs). */
    public static final int MAX_ITEMS_PER_REQUEST = 500;
    /** Items one instance may hold once a change is merged into its current version, defaults included. */
    public static final int MAX_ITEMS_PER_INSTANCE = 1_000;
    /** Defaults a catalog component may mount: a request at its limit must still fit a new instance. */
    public static final int MAX_DEFAULTS_PER_COMPONENT = MAX_ITEMS_PER_INSTANCE - MAX_ITEMS_PER_REQUEST;
    /**
     * UTF-8 bytes of an instance's keys and values together. Its items land in one ConfigMap and one Secret
     * (Kubernetes refuses either over 1 MiB) and its env items in every pod template of its workload (a RayCluster
     * has two; etcd refuses an object over 1.5 MiB): half a MiB keeps each of them within bounds.
     */
    public static final int MAX_INSTANCE_BYTES = 524_288;
    /** What a secret value is replaced with wherever it would be shown. */
    public static final String REDACTED = "******";

    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    private ConfigItems() {
    }

    /**
     * The key itself when it is a valid config item key, else a RefusedValueException naming
     * {@code fieldName} (the full field path, e.g. {@code Applications.1.ApplicationConfigs.2.ConfigItemKey}).
     */
    public static String validateKey(String fieldName, String key) {
        if (key == null || key.isEmpty()) {
            throw new RefusedValueException(fieldName + " must not be empty.");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new RefusedValueException(fieldName + " must be at most " + MAX_KEY_LENGTH
                    + " characters, got " + key.length() + ".");
        }
        if (!KEY.matcher(key).matches()) {
            throw new RefusedValueException(fieldName + " '" + Clip.of(key)
                    + "' is not a valid config item key: it must match " + KEY.pattern() + ".");
        }
        return key;
    }

    /** The value itself when it is within {@link #MAX_VALUE_LENGTH}, else a RefusedValueException naming the field. */
    public static String validateValue(String fieldName, String value) {
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new RefusedValueException(fieldName + " is " + value.length()
                    + " characters long; at most " + MAX_VALUE_LENGTH + " characters are accepted per value.");
        }
        return value;
    }

    /**
     * A RefusedValueException naming {@code fieldName}, the count and the limit when a request gives more than
     * {@link #MAX_ITEMS_PER_REQUEST} items; checked before the items are read one by one.
     */
    public static void requireRequestCount(String fieldName, int count) {
        if (count > MAX_ITEMS_PER_REQUEST) {
            throw new RefusedValueException(fieldName + " brings the request to " + count
                    + " config items; at most " + MAX_ITEMS_PER_REQUEST + " config items are accepted per request.");
        }
    }

    /**
     * A RefusedValueException naming {@code fieldName}, the instance, the count or size and the limit when the items
     * an instance would hold after a change exceed {@link #MAX_ITEMS_PER_INSTANCE} or {@link #MAX_INSTANCE_BYTES}.
     */
    public static void requireInstanceFits(String fieldName, String releaseName, int count, long bytes) {
        if (count > MAX_ITEMS_PER_INSTANCE) {
            throw new RefusedValueException(fieldName + " would give instance " + releaseName + " "
                    + count + " config items; at most " + MAX_ITEMS_PER_INSTANCE + " config items are kept per"
                    + " instance (catalog defaults included): change existing keys or use another instance.");
        }
        if (bytes > MAX_INSTANCE_BYTES) {
            throw new RefusedValueException(fieldName + " would give instance " + releaseName + " "
                    + bytes + " bytes of config item keys and values; at most " + MAX_INSTANCE_BYTES
                    + " bytes are kept per instance (what its ConfigMap, Secret and pod templates can hold in"
                    + " Kubernetes).");
        }
    }

    /** What an item counts towards {@link #MAX_INSTANCE_BYTES}: its key and value in UTF-8. */
    public static long bytesOf(String key, String value) {
        return utf8Length(key) + (value == null ? 0 : utf8Length(value));
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4; // with its low surrogate: one 4-byte code point
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    public static boolean isValidKey(String key) {
        return key != null && key.length() <= MAX_KEY_LENGTH && KEY.matcher(key).matches();
    }

    /** Whether values of this key are secrets (kept in Secrets, never shown, logged or stored in clear). */
    public static boolean isSecret(String key) {
        return SecretKeys.isSecret(key);
    }

    /** The value as it may be shown: {@link #REDACTED} for a secret key, else the value itself. */
    public static String shown(String key, String value) {
        return isSecret(key) && value != null ? REDACTED : value;
    }
}
