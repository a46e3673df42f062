-- Signed mutating requests the gateway has run, with their first answers, so that a replay of one
-- (the same signature, within the clock-skew window) is answered again instead of run twice.
-- Keyed by the access key and a SHA-256 of the signature; no secret is stored. A row lives until a
-- replay of its request could no longer pass authentication (expire_time), then it is purged.
CREATE TABLE signed_request_replays (
    access_key_id    VARCHAR(128) NOT NULL,
    signature_digest VARCHAR(64)  NOT NULL,
    action           VARCHAR(64)  NOT NULL,
    owner            VARCHAR(32)  NOT NULL,
    request_id       VARCHAR(64)  NOT NULL,
    state            VARCHAR(16)  NOT NULL,
    error_code       VARCHAR(64),
    answer           VARCHAR,
    create_time      BIGINT       NOT NULL,
    expire_time      BIGINT       NOT NULL,
    PRIMARY KEY (access_key_id, signature_digest)
);
CREATE INDEX signed_request_replays_by_expiry ON signed_request_replays (expire_time);
