package io.emrvke.server.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 256-bit AES key that seals the store's secrets, and where it came from. Its {@link #id()} (a
 * fingerprint that does not reveal it) is kept in the store, so that a server given another key
 * refuses to start instead of reading garbage or writing secrets no other server can read.
 */
public final class StoreKey {
    public static final int BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;
    private final String id;
    private final String origin;

    private StoreKey(byte[] bytes, String origin) {
        this.key = new SecretKeySpec(bytes, "AES");
        this.id = fingerprint(bytes);
        this.origin = origin;
    }

    /** A new random key. */
    public static StoreKey generate(String origin) {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return new StoreKey(bytes, origin);
    }

    /**
     * A key written as base64.
     *
     * @param origin where the text came from, for messages (the text itself is never shown)
     * @throws IllegalArgumentException when the text is not the base64 of 32 bytes
     */
    public static StoreKey parse(String base64, String origin) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + " is not a store key: expected the base64 of " + BYTES
                    + " random bytes (e.g. the output of `openssl rand -base64 32`), got text that is not base64.");
        }
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException(origin + " is not a store key: expected the base64 of " + BYTES
                    + " random bytes (e.g. the output of `openssl rand -base64 32`), got " + bytes.length + " bytes.");
        }
        return new StoreKey(bytes, origin);
    }

    /** The key as base64, for the key file. */
    String encoded() {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    SecretKey secretKey() {
        return key;
    }

    /** 16 hex digits that name the key without revealing it. */
    public String id() {
        return id;
    }

    /** Where the key came from: the environment variable or the key file. */
    public String origin() {
        return origin;
    }

    @Override
    public String toString() {
        return "StoreKey[" + id + " from " + origin + "]";
    }

    private static String fingerprint(byte[] bytes) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(bytes, "HmacSHA256"));
            byte[] digest = mac.doFinal("emr-vke store key id".getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(Arrays.copyOf(digest, 8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
    }
}
