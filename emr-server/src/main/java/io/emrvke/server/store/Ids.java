package io.emrvke.server.store;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Resource ids: a prefix and 20 lower-case alphanumerics from a SecureRandom. */
public final class Ids {
    public static final String CLUSTER_PREFIX = "emr-";
    public static final String OPERATION_PREFIX = "op-";
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern CLUSTER = Pattern.compile("emr-[a-z0-9]{20}");
    private static final Pattern OPERATION = Pattern.compile("op-[a-z0-9]{20}");

    private Ids() {
    }

    public static String newClusterId() {
        return CLUSTER_PREFIX + randomSuffix();
    }

    public static String newOperationId() {
        return OPERATION_PREFIX + randomSuffix();
    }

    public static boolean isClusterId(String s) {
        return s != null && CLUSTER.matcher(s).matches();
    }

    public static boolean isOperationId(String s) {
        return s != null && OPERATION.matcher(s).matches();
    }

    /** {@code length} characters drawn from {@code alphabet} with a SecureRandom. */
    public static String random(String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static String randomSuffix() {
        return random(ALPHABET, LENGTH);
    }
}
