package io.emrvke.server.disclosure;

import java.util.regex.Pattern;

/**
 * The one rule for which config keys hold secrets (docs/api.md#config-items): their values go to
 * Secrets, never to a ConfigMap, a log, a response or an operation record.
 */
public final class SecretKeys {
    private static final Pattern SECRET =
            Pattern.compile("(?i).*(secret|password|token|access_key|secret_key|credential).*");

    private SecretKeys() {
    }

    public static boolean isSecret(String key) {
        return key != null && SECRET.matcher(key).matches();
    }
}
