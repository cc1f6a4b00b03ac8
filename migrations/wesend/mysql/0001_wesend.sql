-- WeSend: tus uploads, transfers, upload requests and deposits, links, tracking events and the
-- statistics aggregates. Every row carries tenant_id, so that the tenant purge removes it.
-- Times are UTC milliseconds.

-- A tus upload. Its bytes live in the FileStore file `file_id`; the offset is that file's size.
CREATE TABLE wesend_uploads (
  id VARCHAR(64) PRIMARY KEY,
  tenant_id VARCHAR(64) NOT NULL,
  owner_user_id VARCHAR(64),          -- an account's upload
  request_id VARCHAR(64),             -- a guest's upload under an upload request
  file_id VARCHAR(64) NOT NULL,
  length BIGINT,              -- NULL while deferred (Upload-Defer-Length)
  metadata TEXT NOT NULL DEFAULT '',
  filename VARCHAR(1024) NOT NULL DEFAULT '',
  filetype VARCHAR(255) NOT NULL DEFAULT '',
  sha256 CHAR(64),
  state VARCHAR(16) NOT NULL CHECK (state IN ('open', 'complete', 'attached')),
  lock_owner VARCHAR(64),
  lock_until BIGINT,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  completed_at BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX wesend_uploads_owner ON wesend_uploads (tenant_id, owner_user_id);
CREATE INDEX wesend_uploads_request ON wesend_uploads (tenant_id, request_id);
CREATE INDEX wesend_uploads_expiry ON wesend_uploads (state, expires_at);

-- Capability links (/d/<token>, /r/<token>): only the SHA-256 of the token is stored.
CREATE TABLE wesend_links (
  token_hash CHAR(64) PRIMARY KEY,
  tenant_id VARCHAR(64) NOT NULL,
  kind VARCHAR(16) NOT NULL CHECK (kind IN ('transfer', 'request')),
  object_id VARCHAR(64) NOT NULL,
  recipient VARCHAR(320),              -- the recipient it was mailed to; NULL for the sender's own link
  created_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX wesend_links_object ON wesend_links (tenant_id, object_id);

-- Short-lived bearer tokens handed out by /unlock once a link's password was given.
CREATE TABLE wesend_link_access (
  token_hash CHAR(64) PRIMARY KEY,
  tenant_id VARCHAR(64) NOT NULL,
  link_hash CHAR(64) NOT NULL,
  expires_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX wesend_link_access_expiry ON wesend_link_access (expires_at);

CREATE TABLE wesend_transfers (
  id VARCHAR(64) PRIMARY KEY,
  tenant_id VARCHAR(64) NOT NULL,
  sender_user_id VARCHAR(64) NOT NULL,
  sender_email VARCHAR(320) NOT NULL,
  sender_name VARCHAR(255) NOT NULL DEFAULT '',
  subject VARCHAR(255),
  message TEXT,
  language VARCHAR(8) NOT NULL DEFAULT 'fr',
  password_hash VARCHAR(255),
  password_failures BIGINT NOT NULL DEFAULT 0,
  locked_until BIGINT,
  max_downloads BIGINT,
  notify_on_download BIGINT NOT NULL DEFAULT 0,
  file_count BIGINT NOT NULL,
  total_bytes BIGINT NOT NULL,
  state VARCHAR(16) NOT NULL CHECK (state IN ('active', 'revoked', 'expired')),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  shredded_at BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX wesend_transfers_sender ON wesend_transfers (tenant_id, sender_user_id, created_at);
CREATE INDEX wesend_transfers_expiry ON wesend_transfers (expires_at);

CREATE TABLE wesend_transfer_files (
  id VARCHAR(64) PRIMARY KEY,
  tenant_id VARCHAR(64) NOT NULL,
  transfer_id VARCHAR(64) NOT NULL,
  position BIGINT NOT NULL,
  file_id VARCHAR(64) NOT NULL,
  name VARCHAR(1024) NOT NULL,
  type VARCHAR(255) NOT NULL,
  size BIGINT NOT NULL,
  sha256 CHAR(64) NOT NULL,
  downloads BIGINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX wesend_transfer_files_transfer ON wesend_transfer_files (tenant_id, transfer_id, position);

CREATE TABLE wesend_transfer_recipients (
  id VARCHAR(64) PRIMARY KEY,
  tenant_id VARCHAR(64) NOT NULL,
  transfer_id VARCHAR(64) NOT NULL,
  email VARCHAR(320) NOT NULL,
  notified_at BIGINT          -- when the sender was told this recipient had everything
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX wesend_transfer_recipients_transfer ON wesend_transfer_recipients (tenant_id, transfer_id);

-- Counted downloads, so that a later Range request of the same link resumes without counting.
CREATE TABLE wesend_download_grants (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id VARCHAR(64) NOT NULL,
  transfer_id VARCHAR(64) NOT NULL,
  link_hash CHAR(64) NOT NULL,
  target VARCHAR(64) NOT NULL,        -- a transfer file id, or 'zip'
  counted_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX wesend_download_grants_link ON wesend_download_grants (link_hash, target, counted_at);

CREATE TABLE wesend_upload_requests (
  id VARCHAR(64) PRIMARY KEY,
  tenant_id VARCHAR(64) NOT NULL,
  owner_user_id VARCHAR(64) NOT NULL,
  owner_email VARCHAR(320) NOT NULL,
  owner_name VARCHAR(255) NOT NULL DEFAULT '',
  message TEXT,
  language VARCHAR(8) NOT NULL DEFAULT 'fr',
  password_hash VARCHAR(255),
  password_failures BIGINT NOT NULL DEFAULT 0,
  locked_until BIGINT,
  max_files BIGINT,
  max_bytes BIGINT,
  files_received BIGINT NOT NULL DEFAULT 0,
  bytes_received BIGINT NOT NULL DEFAULT 0,
  state VARCHAR(16) NOT NULL CHECK (state IN ('open', 'closed', 'expired')),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  closed_at BIGINT,
  shredded_at BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX wesend_upload_requests_owner ON wesend_upload_requests (tenant_id, owner_user_id, created_at);
CREATE INDEX wesend_upload_requests_expiry ON wesend_upload_requests (expires_at);

CREATE TABLE wesend_request_recipients (
  id VARCHAR(64) PRIMARY KEY,
  tenant_id VARCHAR(64) NOT NULL,
  request_id VARCHAR(64) NOT NULL,
  email VARCHAR(320) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX wesend_request_recipients_request ON wesend_request_recipients (tenant_id, request_id);

CREATE TABLE wesend_deposits (
  id VARCHAR(64) PRIMARY KEY,
  tenant_id VARCHAR(64) NOT NULL,
  request_id VARCHAR(64) NOT NULL,
  sender_email VARCHAR(320) NOT NULL,
  message TEXT,
  ip VARCHAR(64),
  created_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX wesend_deposits_request ON wesend_deposits (tenant_id, request_id, created_at);

CREATE TABLE wesend_deposit_files (
  id VARCHAR(64) PRIMARY KEY,
  tenant_id VARCHAR(64) NOT NULL,
  deposit_id VARCHAR(64) NOT NULL,
  request_id VARCHAR(64) NOT NULL,
  position BIGINT NOT NULL,
  file_id VARCHAR(64) NOT NULL,
  name VARCHAR(1024) NOT NULL,
  type VARCHAR(255) NOT NULL,
  size BIGINT NOT NULL,
  sha256 CHAR(64) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX wesend_deposit_files_deposit ON wesend_deposit_files (tenant_id, deposit_id, position);
CREATE INDEX wesend_deposit_files_request ON wesend_deposit_files (tenant_id, request_id);

-- Tracking: every event on a transfer or an upload request, for its owner. The event stream
-- reads this table, so that an event recorded on any node reaches a stream on any other.
CREATE TABLE wesend_events (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id VARCHAR(64) NOT NULL,
  owner_user_id VARCHAR(64) NOT NULL,
  subject_type VARCHAR(32) NOT NULL CHECK (subject_type IN ('transfer', 'upload_request')),
  subject_id VARCHAR(64) NOT NULL,
  action VARCHAR(64) NOT NULL,
  recipient VARCHAR(320),
  ip VARCHAR(64),
  user_agent VARCHAR(512),
  file_id VARCHAR(64),
  bytes BIGINT,
  at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX wesend_events_owner ON wesend_events (tenant_id, owner_user_id, id);
CREATE INDEX wesend_events_subject ON wesend_events (tenant_id, subject_id, id);

-- Statistics, maintained as events happen (never computed by scanning events). Days are UTC.
CREATE TABLE wesend_stats_daily (
  tenant_id VARCHAR(64) NOT NULL,
  day CHAR(10) NOT NULL,
  transfers BIGINT NOT NULL DEFAULT 0,
  files BIGINT NOT NULL DEFAULT 0,
  bytes_sent BIGINT NOT NULL DEFAULT 0,
  downloads BIGINT NOT NULL DEFAULT 0,
  bytes_downloaded BIGINT NOT NULL DEFAULT 0,
  uploads_received BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE wesend_stats_types (
  tenant_id VARCHAR(64) NOT NULL,
  day CHAR(10) NOT NULL,
  type VARCHAR(255) NOT NULL,
  files BIGINT NOT NULL DEFAULT 0,
  bytes BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, day, type)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE wesend_stats_senders (
  tenant_id VARCHAR(64) NOT NULL,
  day CHAR(10) NOT NULL,
  user_id VARCHAR(64) NOT NULL,
  transfers BIGINT NOT NULL DEFAULT 0,
  bytes BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, day, user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
