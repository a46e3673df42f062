package io.emrvke.server.runtime;

/** Which config keys hold secrets: they go to the release's Secret, never to a ConfigMap or a log (the one rule). */
public final class SecretKeys {
    private SecretKeys() {
    }

    public static boolean isSecret(String key) {
        return io.emrvke.server.disclosure.SecretKeys.isSecret(key);
    }
}
