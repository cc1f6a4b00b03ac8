-- Keys and encrypted storage. Wrapped keys are hex: nonce ‖ AES-256-GCM ciphertext ‖ tag.

-- Keys of the platform itself (the journal's MAC key), wrapped by the master key.
CREATE TABLE platform_keys (
  purpose VARCHAR(64) NOT NULL PRIMARY KEY,
  master_version INT NOT NULL,
  wrapped VARCHAR(256) NOT NULL,
  created_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One key per tenant and version, wrapped by the master key. Deleting a tenant's rows
-- crypto-shreds everything it stored.
CREATE TABLE tenant_keys (
  tenant_id VARCHAR(64) NOT NULL,
  version INT NOT NULL,
  master_version INT NOT NULL,
  wrapped VARCHAR(256) NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row per file: its data key, wrapped by the tenant key of version tenant_key_version.
CREATE TABLE storage_files (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  tenant_id VARCHAR(64) NOT NULL,
  size BIGINT NOT NULL DEFAULT 0,
  sealed TINYINT NOT NULL DEFAULT 0,
  segment_bytes INT NOT NULL,
  tenant_key_version INT NOT NULL,
  wrapped_key VARCHAR(256) NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  KEY storage_files_tenant (tenant_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The blobs of a file, in order; plain_offset is where the piece starts in the file.
CREATE TABLE storage_pieces (
  file_id VARCHAR(64) NOT NULL,
  piece INT NOT NULL,
  blob_name CHAR(32) NOT NULL,
  plain_offset BIGINT NOT NULL,
  plain_size BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (file_id, piece),
  UNIQUE KEY storage_pieces_blob (blob_name),
  CONSTRAINT storage_pieces_file FOREIGN KEY (file_id) REFERENCES storage_files (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Plaintext bytes stored per tenant, and its quota (NULL: none).
CREATE TABLE storage_quota (
  tenant_id VARCHAR(64) NOT NULL PRIMARY KEY,
  quota_bytes BIGINT NULL,
  used_bytes BIGINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Bytes promised to writes in progress; a writer renews its reservation, a crashed one's
-- expires.
CREATE TABLE storage_reservations (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  tenant_id VARCHAR(64) NOT NULL,
  bytes BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  KEY storage_reservations_tenant (tenant_id, expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
