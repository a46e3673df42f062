-- One row that readiness probes update: a write that must commit, so that a store which still
-- answers reads but cannot write (a full disk) is reported as failing.
CREATE TABLE store_heartbeat (
    id        INTEGER PRIMARY KEY,
    beat_time BIGINT  NOT NULL
);
INSERT INTO store_heartbeat (id, beat_time) VALUES (1, 0);
