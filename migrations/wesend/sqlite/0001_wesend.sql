-- WeSend: tus uploads, transfers, upload requests and deposits, links, tracking events and the
-- statistics aggregates. Every row carries tenant_id, so that the tenant purge removes it.
-- Times are UTC milliseconds.

-- A tus upload. Its bytes live in the FileStore file `file_id`; the offset is that file's size.
CREATE TABLE wesend_uploads (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  owner_user_id TEXT,          -- an account's upload
  request_id TEXT,             -- a guest's upload under an upload request
  file_id TEXT NOT NULL,
  length INTEGER,              -- NULL while deferred (Upload-Defer-Length)
  metadata TEXT NOT NULL DEFAULT '',
  filename TEXT NOT NULL DEFAULT '',
  filetype TEXT NOT NULL DEFAULT '',
  sha256 TEXT,
  state TEXT NOT NULL CHECK (state IN ('open', 'complete', 'attached')),
  lock_owner TEXT,
  lock_until INTEGER,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  completed_at INTEGER
);
CREATE INDEX wesend_uploads_owner ON wesend_uploads (tenant_id, owner_user_id);
CREATE INDEX wesend_uploads_request ON wesend_uploads (tenant_id, request_id);
CREATE INDEX wesend_uploads_expiry ON wesend_uploads (state, expires_at);

-- Capability links (/d/<token>, /r/<token>): only the SHA-256 of the token is stored.
CREATE TABLE wesend_links (
  token_hash TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('transfer', 'request')),
  object_id TEXT NOT NULL,
  recipient TEXT,              -- the recipient it was mailed to; NULL for the sender's own link
  created_at INTEGER NOT NULL
);
CREATE INDEX wesend_links_object ON wesend_links (tenant_id, object_id);

-- Short-lived bearer tokens handed out by /unlock once a link's password was given.
CREATE TABLE wesend_link_access (
  token_hash TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  link_hash TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX wesend_link_access_expiry ON wesend_link_access (expires_at);

CREATE TABLE wesend_transfers (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  sender_user_id TEXT NOT NULL,
  sender_email TEXT NOT NULL,
  sender_name TEXT NOT NULL DEFAULT '',
  subject TEXT,
  message TEXT,
  language TEXT NOT NULL DEFAULT 'fr',
  password_hash TEXT,
  password_failures INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER,
  max_downloads INTEGER,
  notify_on_download INTEGER NOT NULL DEFAULT 0,
  file_count INTEGER NOT NULL,
  total_bytes INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('active', 'revoked', 'expired')),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  shredded_at INTEGER
);
CREATE INDEX wesend_transfers_sender ON wesend_transfers (tenant_id, sender_user_id, created_at);
CREATE INDEX wesend_transfers_expiry ON wesend_transfers (expires_at);

CREATE TABLE wesend_transfer_files (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  transfer_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  file_id TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  downloads INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX wesend_transfer_files_transfer ON wesend_transfer_files (tenant_id, transfer_id, position);

CREATE TABLE wesend_transfer_recipients (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  transfer_id TEXT NOT NULL,
  email TEXT NOT NULL,
  notified_at INTEGER          -- when the sender was told this recipient had everything
);
CREATE INDEX wesend_transfer_recipients_transfer ON wesend_transfer_recipients (tenant_id, transfer_id);

-- Counted downloads, so that a later Range request of the same link resumes without counting.
CREATE TABLE wesend_download_grants (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL,
  transfer_id TEXT NOT NULL,
  link_hash TEXT NOT NULL,
  target TEXT NOT NULL,        -- a transfer file id, or 'zip'
  counted_at INTEGER NOT NULL
);
CREATE INDEX wesend_download_grants_link ON wesend_download_grants (link_hash, target, counted_at);

CREATE TABLE wesend_upload_requests (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  owner_user_id TEXT NOT NULL,
  owner_email TEXT NOT NULL,
  owner_name TEXT NOT NULL DEFAULT '',
  message TEXT,
  language TEXT NOT NULL DEFAULT 'fr',
  password_hash TEXT,
  password_failures INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER,
  max_files INTEGER,
  max_bytes INTEGER,
  files_received INTEGER NOT NULL DEFAULT 0,
  bytes_received INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL CHECK (state IN ('open', 'closed', 'expired')),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  closed_at INTEGER,
  shredded_at INTEGER
);
CREATE INDEX wesend_upload_requests_owner ON wesend_upload_requests (tenant_id, owner_user_id, created_at);
CREATE INDEX wesend_upload_requests_expiry ON wesend_upload_requests (expires_at);

CREATE TABLE wesend_request_recipients (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  email TEXT NOT NULL
);
CREATE INDEX wesend_request_recipients_request ON wesend_request_recipients (tenant_id, request_id);

CREATE TABLE wesend_deposits (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  sender_email TEXT NOT NULL,
  message TEXT,
  ip TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX wesend_deposits_request ON wesend_deposits (tenant_id, request_id, created_at);

CREATE TABLE wesend_deposit_files (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  deposit_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  file_id TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL
);
CREATE INDEX wesend_deposit_files_deposit ON wesend_deposit_files (tenant_id, deposit_id, position);
CREATE INDEX wesend_deposit_files_request ON wesend_deposit_files (tenant_id, request_id);

-- Tracking: every event on a transfer or an upload request, for its owner. The event stream
-- reads this table, so that an event recorded on any node reaches a stream on any other.
CREATE TABLE wesend_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL,
  owner_user_id TEXT NOT NULL,
  subject_type TEXT NOT NULL CHECK (subject_type IN ('transfer', 'upload_request')),
  subject_id TEXT NOT NULL,
  action TEXT NOT NULL,
  recipient TEXT,
  ip TEXT,
  user_agent TEXT,
  file_id TEXT,
  bytes INTEGER,
  at INTEGER NOT NULL
);
CREATE INDEX wesend_events_owner ON wesend_events (tenant_id, owner_user_id, id);
CREATE INDEX wesend_events_subject ON wesend_events (tenant_id, subject_id, id);

-- Statistics, maintained as events happen (never computed by scanning events). Days are UTC.
CREATE TABLE wesend_stats_daily (
  tenant_id TEXT NOT NULL,
  day TEXT NOT NULL,
  transfers INTEGER NOT NULL DEFAULT 0,
  files INTEGER NOT NULL DEFAULT 0,
  bytes_sent INTEGER NOT NULL DEFAULT 0,
  downloads INTEGER NOT NULL DEFAULT 0,
  bytes_downloaded INTEGER NOT NULL DEFAULT 0,
  uploads_received INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, day)
);

CREATE TABLE wesend_stats_types (
  tenant_id TEXT NOT NULL,
  day TEXT NOT NULL,
  type TEXT NOT NULL,
  files INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, day, type)
);

CREATE TABLE wesend_stats_senders (
  tenant_id TEXT NOT NULL,
  day TEXT NOT NULL,
  user_id TEXT NOT NULL,
  transfers INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, day, user_id)
);
