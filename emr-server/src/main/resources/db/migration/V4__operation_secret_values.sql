-- Secret values an unfinished operation still has to apply (e.g. a secret config item of a
-- restart), kept out of the operation's own columns, which GetOperation shows and which outlive
-- the operation. Written in the transaction that stores the operation, read by its steps (also
-- after a takeover), deleted in the transaction that ends it.
CREATE TABLE operation_secret_values (
    operation_id VARCHAR(32)   NOT NULL,
    secret_name  VARCHAR(1024) NOT NULL,
    secret_value VARCHAR       NOT NULL,
    PRIMARY KEY (operation_id, secret_name)
);
