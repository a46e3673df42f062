package io.emrvke.server.runtime;

import java.util.regex.Pattern;

/** Which config keys hold secrets: they go to the release's Secret, never to a ConfigMap or a log. */
public final class SecretKeys {
    private static final Pattern SECRET = Pattern.compile("(?i).*(secret|password|token|access_key|secret_key|credential).*");

    private SecretKeys() {
    }

    public static boolean isSecret(String key) {
        return key != null && SECRET.matcher(key).matches();
    }
}
