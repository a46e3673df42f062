package io.emrvke.server.account;

/** An access key and what it stands for. The secret never leaves the server except to its owner once. */
public record Credential(String accessKeyId, String secretKey, long accountId, long userId,
                         String userName, Role role, boolean enabled, long createTime) {

    public Caller caller() {
        return new Caller(accessKeyId, accountId, userId, userName, role);
    }

    @Override
    public String toString() {
        // Records print every component; the secret must not reach a log through toString.
        return "Credential[" + accessKeyId + ", account " + accountId + ", " + userName + ", "
                + role.wireName() + (enabled ? "" : ", disabled") + "]";
    }
}
