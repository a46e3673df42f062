package io.emrvke.server.account;

/** A credential as listed: everything but the secret. */
public record CredentialSummary(String accessKeyId, long accountId, long userId, String userName,
                                Role role, boolean enabled, long createTime) {
}
