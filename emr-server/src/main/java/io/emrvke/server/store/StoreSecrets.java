package io.emrvke.server.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Collectors;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.jdbi.v3.core.config.JdbiConfig;

/**
 * Seals and opens the values of {@link SecretColumn}s with AES-256-GCM under the {@link StoreKey}.
 * A sealed value is {@code v1:} and the base64 of a random 96-bit nonce followed by the ciphertext and
 * its 128-bit tag; the associated data is the column and the row's identity. The prefix names the
 * format so that it can change later.
 *
 * <p>A JDBI config: {@link Database} sets the key on its {@code Jdbi}, and repositories reach it through
 * their handle or statement context ({@code h.getConfig(StoreSecrets.class)}), so that no code path
 * can write a secret in clear by forgetting to pass a cipher around. Without a key every call fails.
 */
public final class StoreSecrets implements JdbiConfig<StoreSecrets> {
    static final String FORMAT_PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private volatile StoreKey key;

    /** Without a key (JDBI makes config objects this way); {@link Database} gives it one. */
    public StoreSecrets() {
    }

    private StoreSecrets(StoreKey key) {
        this.key = key;
    }

    public static StoreSecrets with(StoreKey key) {
        return new StoreSecrets(key);
    }

    void use(StoreKey storeKey) {
        this.key = storeKey;
    }

    /** The sealed form of {@code clear} for {@code column} of the row identified by {@code row}. */
    public String seal(SecretColumn column, String clear, Object... row) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, column, row);
            byte[] sealed = cipher.doFinal(clear.getBytes(StandardCharsets.UTF_8));
            return FORMAT_PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed while sealing " + column.qualifiedName(), e);
        }
    }

    /**
     * The clear value of a sealed one.
     *
     * @throws IllegalStateException when it is not sealed, was sealed under another key or for another
     *                               row, or was altered (the message names the column and row, never the value)
     */
    public String open(SecretColumn column, String sealed, Object... row) {
        if (sealed == null || !sealed.startsWith(FORMAT_PREFIX)) {
            throw unreadable(column, row, "it is not in the sealed format " + FORMAT_PREFIX);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed.substring(FORMAT_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw unreadable(column, row, "it is not base64");
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw unreadable(column, row, "it is too short");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(bytes, NONCE_BYTES), column, row);
            byte[] clear = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            return new String(clear, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw unreadable(column, row, "it was sealed under another key or for another row, or altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed while opening " + column.qualifiedName(), e);
        }
    }

    /** The key in use; fails when none was set. */
    public StoreKey key() {
        StoreKey k = key;
        if (k == null) {
            throw new IllegalStateException("The store's secrets cannot be sealed or opened: this Jdbi has no store"
                    + " key (open the store through Database.open)");
        }
        return k;
    }

    @Override
    public StoreSecrets createCopy() {
        return new StoreSecrets(key);
    }

    private Cipher cipher(int mode, byte[] nonce, SecretColumn column, Object... row)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key().secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(associatedData(column, row));
        return cipher;
    }

    private static byte[] associatedData(SecretColumn column, Object... row) {
        String identity = Arrays.stream(row).map(String::valueOf).collect(Collectors.joining("\u0000"));
        return (column.qualifiedName() + "\u0000" + identity).getBytes(StandardCharsets.UTF_8);
    }

    private static IllegalStateException unreadable(SecretColumn column, Object[] row, String why) {
        return new IllegalStateException("A secret in the store cannot be read (" + column.qualifiedName() + " of "
                + Arrays.toString(row) + "): " + why + ".");
    }
}
