package io.emrvke.server.account;

/**
 * What to create: whose credential and which role; {@code accessKeyId}/{@code secretKey} null
 * to have them generated, {@code userId} null to find or allot the user's id by name.
 */
public record NewCredential(long accountId, Long userId, String userName, Role role,
                            String accessKeyId, String secretKey) {

    public static NewCredential generated(long accountId, String userName, Role role) {
        return new NewCredential(accountId, null, userName, role, null, null);
    }

    public NewCredential withKeys(String accessKeyId, String secretKey) {
        return new NewCredential(accountId, userId, userName, role, accessKeyId, secretKey);
    }

    @Override
    public String toString() {
        return "NewCredential[account " + accountId + ", " + userName + ", " + role.wireName()
                + (accessKeyId == null ? ", generated" : ", " + accessKeyId) + "]";
    }
}
