package io.emrvke.server.account;

/** The authenticated identity of one request. */
public record Caller(String accessKeyId, long accountId, long userId, String userName, Role role) {
}
