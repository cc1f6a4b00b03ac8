-- Keys and encrypted storage. Wrapped keys are hex: nonce ‖ AES-256-GCM ciphertext ‖ tag.

-- Keys of the platform itself (the journal's MAC key), wrapped by the master key.
CREATE TABLE platform_keys (
  purpose TEXT PRIMARY KEY,
  master_version INTEGER NOT NULL,
  wrapped TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- One key per tenant and version, wrapped by the master key. Deleting a tenant's rows
-- crypto-shreds everything it stored.
CREATE TABLE tenant_keys (
  tenant_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  master_version INTEGER NOT NULL,
  wrapped TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, version)
);

-- One row per file: its data key, wrapped by the tenant key of version tenant_key_version.
CREATE TABLE storage_files (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  size INTEGER NOT NULL DEFAULT 0,
  sealed INTEGER NOT NULL DEFAULT 0,
  segment_bytes INTEGER NOT NULL,
  tenant_key_version INTEGER NOT NULL,
  wrapped_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX storage_files_tenant ON storage_files (tenant_id);

-- The blobs of a file, in order; plain_offset is where the piece starts in the file.
CREATE TABLE storage_pieces (
  file_id TEXT NOT NULL REFERENCES storage_files (id) ON DELETE CASCADE,
  piece INTEGER NOT NULL,
  blob_name TEXT NOT NULL UNIQUE,
  plain_offset INTEGER NOT NULL,
  plain_size INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (file_id, piece)
);

-- Plaintext bytes stored per tenant, and its quota (NULL: none).
CREATE TABLE storage_quota (
  tenant_id TEXT PRIMARY KEY,
  quota_bytes INTEGER,
  used_bytes INTEGER NOT NULL DEFAULT 0
);

-- Bytes promised to writes in progress; a writer renews its reservation, a crashed one's
-- expires.
CREATE TABLE storage_reservations (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX storage_reservations_tenant ON storage_reservations (tenant_id, expires_at);
