package io.emrvke.server.account;

import java.util.List;

/**
 * What the {@code credentials} command does: the store itself ({@link CredentialRepository}) when no
 * server holds it, else a running server through its admin socket ({@link CredentialAdminClient}).
 */
public interface CredentialAdmin {
    /**
     * Creates a credential, generating the key pair where not given.
     *
     * @throws IllegalArgumentException for a malformed or existing key, user name or account id (the
     *                                  message names which)
     */
    Credential create(NewCredential spec);

    /** Every credential, oldest first, without secrets. */
    List<CredentialSummary> list();

    /** Disables a key; false when there is no such key. */
    boolean disable(String accessKeyId);
}
