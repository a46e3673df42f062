package io.emrvke.server.account;

import java.util.Optional;

/** Finds the credential of an access key; the gateway's only view of the credential store. */
@FunctionalInterface
public interface CredentialLookup {
    Optional<Credential> find(String accessKeyId);
}
