-- The kernel's own tables: jobs and their leases, the mail outbox, the journal.
-- Timestamps are UTC milliseconds since the epoch.

CREATE TABLE jobs (
  name VARCHAR(190) NOT NULL PRIMARY KEY,
  interval_ms BIGINT NOT NULL,
  next_run_at BIGINT NOT NULL,
  lease_owner VARCHAR(190) NULL,
  lease_expires_at BIGINT NULL,
  last_started_at BIGINT NULL,
  last_finished_at BIGINT NULL,
  last_duration_ms BIGINT NULL,
  last_outcome VARCHAR(16) NULL,
  last_error TEXT NULL,
  runs BIGINT NOT NULL DEFAULT 0,
  failures BIGINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE job_queue (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind VARCHAR(190) NOT NULL,
  payload MEDIUMTEXT NOT NULL,
  state VARCHAR(16) NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed')),
  run_at BIGINT NOT NULL,
  attempts INT NOT NULL DEFAULT 0,
  max_attempts INT NOT NULL,
  lease_owner VARCHAR(190) NULL,
  lease_expires_at BIGINT NULL,
  created_at BIGINT NOT NULL,
  started_at BIGINT NULL,
  finished_at BIGINT NULL,
  duration_ms BIGINT NULL,
  last_error TEXT NULL,
  KEY job_queue_due (state, run_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE mail_outbox (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id VARCHAR(64) NULL,
  recipient VARCHAR(320) NOT NULL,
  subject VARCHAR(998) NOT NULL,
  body_text MEDIUMTEXT NOT NULL,
  body_html MEDIUMTEXT NULL,
  reply_to VARCHAR(320) NULL,
  message_id VARCHAR(190) NOT NULL,
  state VARCHAR(16) NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
  attempts INT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error TEXT NULL,
  created_at BIGINT NOT NULL,
  sent_at BIGINT NULL,
  KEY mail_outbox_due (state, next_attempt_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One hash chain per tenant ('t:<tenant id>') and one for the platform ('platform').
CREATE TABLE journal (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  chain VARCHAR(80) NOT NULL,
  seq BIGINT NOT NULL,
  at BIGINT NOT NULL,
  actor_type VARCHAR(32) NOT NULL,
  actor_id VARCHAR(64) NOT NULL,
  actor_email VARCHAR(320) NOT NULL,
  action VARCHAR(100) NOT NULL,
  object_type VARCHAR(64) NOT NULL,
  object_id VARCHAR(190) NOT NULL,
  ip VARCHAR(64) NOT NULL,
  details MEDIUMTEXT NOT NULL,
  prev_hash CHAR(64) NOT NULL,
  hash CHAR(64) NOT NULL,
  UNIQUE KEY journal_chain_seq (chain, seq),
  KEY journal_chain_at (chain, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The last entry of each chain, with a MAC of its own: deleting entries at the end of a chain
-- is detected too.
CREATE TABLE journal_heads (
  chain VARCHAR(80) NOT NULL PRIMARY KEY,
  seq BIGINT NOT NULL,
  hash CHAR(64) NOT NULL,
  mac CHAR(64) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the journal is append-only';
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the journal is append-only';
