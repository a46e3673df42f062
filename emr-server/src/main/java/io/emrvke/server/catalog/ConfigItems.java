package io.emrvke.server.catalog;

import io.emrvke.api.ErrorCode;
import io.emrvke.server.gateway.Params;
import java.util.regex.Pattern;

/** Rules every config item key obeys, and the secret rule of api.md "Secrets". */
public final class ConfigItems {
    public static final int MAX_KEY_LENGTH = 256;
    /** What a secret value is replaced with wherever it would be shown. */
    public static final String REDACTED = "******";

    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Pattern SECRET =
            Pattern.compile("(?i).*(secret|password|token|access_key|secret_key|credential).*");

    private ConfigItems() {
    }

    /**
     * The key itself when it is a valid config item key, else InvalidParameter naming
     * {@code fieldName} (the full field path, e.g. {@code Applications.1.ApplicationConfigs.2.ConfigItemKey}).
     */
    public static String validateKey(String fieldName, String key) {
        if (key == null || key.isEmpty()) {
            throw ErrorCode.INVALID_PARAMETER.exception(fieldName + " must not be empty.");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw ErrorCode.INVALID_PARAMETER.exception(fieldName + " must be at most " + MAX_KEY_LENGTH
                    + " characters, got " + key.length() + ".");
        }
        if (!KEY.matcher(key).matches()) {
            throw ErrorCode.INVALID_PARAMETER.exception(fieldName + " '" + Params.clip(key)
                    + "' is not a valid config item key: it must match " + KEY.pattern() + ".");
        }
        return key;
    }

    public static boolean isValidKey(String key) {
        return key != null && key.length() <= MAX_KEY_LENGTH && KEY.matcher(key).matches();
    }

    /** Whether values of this key are secrets (kept in Secrets, never shown, logged or stored in clear). */
    public static boolean isSecret(String key) {
        return key != null && SECRET.matcher(key).matches();
    }

    /** The value as it may be shown: {@link #REDACTED} for a secret key, else the value itself. */
    public static String shown(String key, String value) {
        return isSecret(key) && value != null ? REDACTED : value;
    }
}
