-- Execution options of an operation, kept with it so that a resumed operation (another process,
-- after a restart) runs with the options it was submitted with.
ALTER TABLE operations ADD COLUMN failure_strategy VARCHAR(16) NOT NULL DEFAULT 'BLOCK';
ALTER TABLE operations ADD COLUMN batch_interval_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE operations ADD COLUMN step_timeout_ms BIGINT NOT NULL DEFAULT 600000;
