-- Secret values are kept sealed (AES-GCM, StoreSecrets): a sealed value is longer than the clear one,
-- and secret keys may be up to 256 characters, so the column loses its bound.
ALTER TABLE credentials ALTER COLUMN secret_key SET DATA TYPE VARCHAR;
-- The id (a fingerprint) of the key the secrets are sealed with: a server given another key
-- refuses to start. One row, written with the values sealed by V7.
CREATE TABLE IF NOT EXISTS store_key (
    key_id      VARCHAR(64) NOT NULL PRIMARY KEY,
    create_time BIGINT      NOT NULL
);
