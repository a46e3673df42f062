package io.emrvke.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * A sealed value is {@code v1:} and base64 of nonce, ciphertext and tag; it opens to its clear value
 * under its key, for its column and row only, and any change to it is detected instead of opening
 * to something else. Failures name the column and row, never the value.
 */
class SealedValuesOpenOnlyUnalteredUnderTheirKeyTest {
    private static final String CLEAR = "Clear-Secret-Value-0123";
    private final StoreSecrets secrets = StoreSecrets.with(StoreKey.generate("test"));

    @Test
    void aSealedValueOpensToItsClearValueAndNeverRepeats() {
        String first = secrets.seal(SecretColumn.CONFIG_ITEM_VALUE, CLEAR, "emr-1", "r", 1, "f", "k");
        String second = secrets.seal(SecretColumn.CONFIG_ITEM_VALUE, CLEAR, "emr-1", "r", 1, "f", "k");

        assertThat(first).startsWith("v1:").doesNotContain(CLEAR).isNotEqualTo(second);
        // 12-byte nonce + 23 bytes + 16-byte tag
        assertThat(Base64.getDecoder().decode(first.substring(3))).hasSize(12 + CLEAR.length() + 16);
        assertThat(secrets.open(SecretColumn.CONFIG_ITEM_VALUE, first, "emr-1", "r", 1, "f", "k")).isEqualTo(CLEAR);
        assertThat(secrets.open(SecretColumn.CONFIG_ITEM_VALUE, second, "emr-1", "r", 1, "f", "k")).isEqualTo(CLEAR);
    }

    @Test
    void anotherKeyColumnOrRowDoesNotOpenIt() {
        String sealed = secrets.seal(SecretColumn.CREDENTIAL_SECRET_KEY, CLEAR, "AKLTone");
        StoreSecrets otherKey = StoreSecrets.with(StoreKey.generate("test"));

        assertRefused(() -> otherKey.open(SecretColumn.CREDENTIAL_SECRET_KEY, sealed, "AKLTone"), "another key");
        assertRefused(() -> secrets.open(SecretColumn.CREDENTIAL_SECRET_KEY, sealed, "AKLTtwo"), "another row");
        assertRefused(() -> secrets.open(SecretColumn.OPERATION_SECRET_VALUE, sealed, "AKLTone"), "another row");
    }

    @Test
    void anAlteredOrUnsealedValueIsRefused() {
        String sealed = secrets.seal(SecretColumn.CREDENTIAL_SECRET_KEY, CLEAR, "AKLTone");
        byte[] bytes = Base64.getDecoder().decode(sealed.substring(3));
        bytes[20] ^= 1;
        String flipped = "v1:" + Base64.getEncoder().encodeToString(bytes);

        assertRefused(() -> secrets.open(SecretColumn.CREDENTIAL_SECRET_KEY, flipped, "AKLTone"), "altered");
        assertRefused(() -> secrets.open(SecretColumn.CREDENTIAL_SECRET_KEY, CLEAR, "AKLTone"), "not in the sealed");
        assertRefused(() -> secrets.open(SecretColumn.CREDENTIAL_SECRET_KEY, "v1:%%%", "AKLTone"), "not base64");
        assertRefused(() -> secrets.open(SecretColumn.CREDENTIAL_SECRET_KEY, "v1:AAAA", "AKLTone"), "too short");
    }

    @Test
    void withoutAKeyNothingIsSealedInClear() {
        assertThatThrownBy(() -> new StoreSecrets().seal(SecretColumn.CREDENTIAL_SECRET_KEY, CLEAR, "AKLTone"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no store key");
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable open, String why) {
        assertThatThrownBy(open).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be read").hasMessageContaining(why).hasMessageNotContaining(CLEAR);
    }
}
