-- Tenancy and identity: resellers, tenants, users, sessions, API keys, profiles, modules,
-- throttling, sign-ups, quote requests, deletion certificates.

-- Bumped by every change that alters how a request is resolved or authorised (a tenant's
-- state, hostnames or modules, a user's state or profile): every node compares it with the
-- value its caches were filled at, so a change takes effect at once everywhere.
CREATE TABLE tenancy_epoch (
  id INT NOT NULL PRIMARY KEY CHECK (id = 1),
  value BIGINT NOT NULL
) ENGINE=InnoDB;
INSERT INTO tenancy_epoch (id, value) VALUES (1, 0);

CREATE TABLE resellers (
  id VARCHAR(64) PRIMARY KEY,
  name VARCHAR(255) NOT NULL UNIQUE,
  contact_email VARCHAR(254) NOT NULL,
  state VARCHAR(32) NOT NULL CHECK (state IN ('active', 'suspended')),
  suspended_reason VARCHAR(512),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE tenants (
  id VARCHAR(64) PRIMARY KEY,
  slug VARCHAR(40) NOT NULL UNIQUE,
  reseller_id VARCHAR(64) NOT NULL REFERENCES resellers (id),
  name VARCHAR(255) NOT NULL,
  siren VARCHAR(255),
  address VARCHAR(1000) NOT NULL DEFAULT '',
  contact_name VARCHAR(255) NOT NULL DEFAULT '',
  contact_email VARCHAR(254) NOT NULL DEFAULT '',
  contact_phone VARCHAR(255) NOT NULL DEFAULT '',
  state VARCHAR(32) NOT NULL CHECK (state IN ('trial', 'active', 'suspended', 'terminated', 'purged')),
  state_before_suspension VARCHAR(32),
  suspended_reason VARCHAR(512),
  suspended_with_reseller BIGINT NOT NULL DEFAULT 0,
  plan_id VARCHAR(32) NOT NULL,
  language VARCHAR(32) NOT NULL DEFAULT 'fr',
  default_expiry_days BIGINT NOT NULL DEFAULT 7,
  max_expiry_days BIGINT NOT NULL DEFAULT 30,
  trial_ends_at BIGINT,
  terminated_at BIGINT,
  export_until BIGINT,
  purged_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX tenants_reseller ON tenants (reseller_id);

CREATE TABLE tenant_hostnames (
  hostname VARCHAR(253) PRIMARY KEY,
  tenant_id VARCHAR(64) NOT NULL REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX tenant_hostnames_tenant ON tenant_hostnames (tenant_id);

CREATE TABLE tenant_modules (
  tenant_id VARCHAR(64) NOT NULL REFERENCES tenants (id),
  module VARCHAR(32) NOT NULL,
  enabled BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, module)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE profiles (
  id VARCHAR(64) PRIMARY KEY,
  tenant_id VARCHAR(64) NOT NULL REFERENCES tenants (id),
  name VARCHAR(255) NOT NULL,
  features TEXT NOT NULL,
  allowed_ips TEXT NOT NULL,
  require_totp BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (tenant_id, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- scope: the tenant id, or 'platform' for operators and reseller admins. The same e-mail
-- may exist in two scopes, as two accounts.
CREATE TABLE users (
  id VARCHAR(64) PRIMARY KEY,
  scope VARCHAR(64) NOT NULL,
  tenant_id VARCHAR(64) REFERENCES tenants (id),
  reseller_id VARCHAR(64) REFERENCES resellers (id),
  email VARCHAR(254) NOT NULL,
  name VARCHAR(255) NOT NULL,
  role VARCHAR(32) NOT NULL CHECK (role IN ('operator', 'reseller_admin', 'tenant_admin', 'user')),
  state VARCHAR(32) NOT NULL CHECK (state IN ('active', 'invited', 'disabled')),
  password_hash VARCHAR(512),
  password_changed_at BIGINT,
  profile_id VARCHAR(64) REFERENCES profiles (id) ON DELETE SET NULL,
  language VARCHAR(32),
  totp_secret VARCHAR(512),
  totp_enabled BIGINT NOT NULL DEFAULT 0,
  totp_last_step BIGINT NOT NULL DEFAULT 0,
  last_login_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (scope, email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX users_tenant ON users (tenant_id);

CREATE TABLE recovery_codes (
  user_id VARCHAR(64) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash VARCHAR(255) NOT NULL,
  used_at BIGINT,
  PRIMARY KEY (user_id, code_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- id: SHA-256 of the token; public_id: what the user sees to list and revoke sessions.
CREATE TABLE sessions (
  id VARCHAR(64) PRIMARY KEY,
  public_id VARCHAR(64) NOT NULL UNIQUE,
  user_id VARCHAR(64) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_hash VARCHAR(255) NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  ip VARCHAR(255) NOT NULL,
  user_agent VARCHAR(512) NOT NULL,
  totp_pending BIGINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_keys (
  id VARCHAR(64) PRIMARY KEY,
  user_id VARCHAR(64) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name VARCHAR(255) NOT NULL,
  key_hash VARCHAR(255) NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX api_keys_user ON api_keys (user_id);

-- Invitation and password-reset links: only the token's hash is kept.
CREATE TABLE user_tokens (
  token_hash VARCHAR(255) PRIMARY KEY,
  user_id VARCHAR(64) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose VARCHAR(32) NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Failures per guessable secret, per account and per source address.
CREATE TABLE auth_throttle (
  throttle_key VARCHAR(255) PRIMARY KEY,
  failures BIGINT NOT NULL,
  last_failure_at BIGINT NOT NULL,
  blocked_until BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE signup_requests (
  token_hash VARCHAR(255) PRIMARY KEY,
  email VARCHAR(254) NOT NULL,
  name VARCHAR(255) NOT NULL,
  company VARCHAR(255) NOT NULL,
  siren VARCHAR(255),
  slug VARCHAR(40) NOT NULL,
  password_hash VARCHAR(512) NOT NULL,
  ip VARCHAR(255) NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  confirmed_at BIGINT,
  tenant_id VARCHAR(64)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE quote_requests (
  id VARCHAR(64) PRIMARY KEY,
  company VARCHAR(255) NOT NULL,
  contact_name VARCHAR(255) NOT NULL,
  email VARCHAR(254) NOT NULL,
  phone VARCHAR(255) NOT NULL,
  users BIGINT,
  storage_gb BIGINT,
  plan VARCHAR(64) NOT NULL,
  message TEXT NOT NULL,
  ip VARCHAR(255) NOT NULL,
  created_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE deletion_certificates (
  id VARCHAR(64) PRIMARY KEY,
  tenant_id VARCHAR(64) NOT NULL,
  document MEDIUMTEXT NOT NULL,
  signature MEDIUMTEXT NOT NULL,
  created_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A purged tenant's journal chain is deleted with the rest: the chain is listed here inside
-- the purge's transaction, and only such chains may lose entries.
CREATE TABLE journal_purges (
  chain VARCHAR(80) NOT NULL PRIMARY KEY
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
DROP TRIGGER journal_no_delete;
DELIMITER $$
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal FOR EACH ROW
BEGIN
  IF NOT EXISTS (SELECT 1 FROM journal_purges WHERE chain = OLD.chain) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the journal is append-only';
  END IF;
END$$
DELIMITER ;
