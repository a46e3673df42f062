package io.emrvke.server.store;

/**
 * The columns that hold secrets, sealed by {@link StoreSecrets}. Each value is bound to its column
 * and to its row's identity (the associated data), so a value copied into another row does not open.
 */
public enum SecretColumn {
    /** A credential's secret key; row: access key. */
    CREDENTIAL_SECRET_KEY("credentials.secret_key"),
    /** A secret config item's value; row: cluster, release, config version, file name, item key. */
    CONFIG_ITEM_VALUE("config_items.item_value"),
    /** A secret value an unfinished operation still has to apply; row: operation id, secret name. */
    OPERATION_SECRET_VALUE("operation_secret_values.secret_value");

    private final String qualifiedName;

    SecretColumn(String qualifiedName) {
        this.qualifiedName = qualifiedName;
    }

    public String qualifiedName() {
        return qualifiedName;
    }
}
