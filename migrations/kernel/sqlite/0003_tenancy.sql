-- Tenancy and identity: resellers, tenants, users, sessions, API keys, profiles, modules,
-- throttling, sign-ups, quote requests, deletion certificates.

-- Bumped by every change that alters how a request is resolved or authorised (a tenant's
-- state, hostnames or modules, a user's state or profile): every node compares it with the
-- value its caches were filled at, so a change takes effect at once everywhere.
CREATE TABLE tenancy_epoch (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  value INTEGER NOT NULL
);
INSERT INTO tenancy_epoch (id, value) VALUES (1, 0);

CREATE TABLE resellers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  contact_email TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('active', 'suspended')),
  suspended_reason TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  reseller_id TEXT NOT NULL REFERENCES resellers (id),
  name TEXT NOT NULL,
  siren TEXT,
  address TEXT NOT NULL DEFAULT '',
  contact_name TEXT NOT NULL DEFAULT '',
  contact_email TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL CHECK (state IN ('trial', 'active', 'suspended', 'terminated', 'purged')),
  state_before_suspension TEXT,
  suspended_reason TEXT,
  suspended_with_reseller INTEGER NOT NULL DEFAULT 0,
  plan_id TEXT NOT NULL,
  language TEXT NOT NULL DEFAULT 'fr',
  default_expiry_days INTEGER NOT NULL DEFAULT 7,
  max_expiry_days INTEGER NOT NULL DEFAULT 30,
  trial_ends_at INTEGER,
  terminated_at INTEGER,
  export_until INTEGER,
  purged_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX tenants_reseller ON tenants (reseller_id);

CREATE TABLE tenant_hostnames (
  hostname TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id)
);
CREATE INDEX tenant_hostnames_tenant ON tenant_hostnames (tenant_id);

CREATE TABLE tenant_modules (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  module TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, module)
);

CREATE TABLE profiles (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  name TEXT NOT NULL,
  features TEXT NOT NULL,
  allowed_ips TEXT NOT NULL,
  require_totp INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, name)
);

-- scope: the tenant id, or 'platform' for operators and reseller admins. The same e-mail
-- may exist in two scopes, as two accounts.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  scope TEXT NOT NULL,
  tenant_id TEXT REFERENCES tenants (id),
  reseller_id TEXT REFERENCES resellers (id),
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('operator', 'reseller_admin', 'tenant_admin', 'user')),
  state TEXT NOT NULL CHECK (state IN ('active', 'invited', 'disabled')),
  password_hash TEXT,
  password_changed_at INTEGER,
  profile_id TEXT REFERENCES profiles (id) ON DELETE SET NULL,
  language TEXT,
  totp_secret TEXT,
  totp_enabled INTEGER NOT NULL DEFAULT 0,
  totp_last_step INTEGER NOT NULL DEFAULT 0,
  last_login_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (scope, email)
);
CREATE INDEX users_tenant ON users (tenant_id);

CREATE TABLE recovery_codes (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  used_at INTEGER,
  PRIMARY KEY (user_id, code_hash)
);

-- id: SHA-256 of the token; public_id: what the user sees to list and revoke sessions.
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  totp_pending INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE INDEX api_keys_user ON api_keys (user_id);

-- Invitation and password-reset links: only the token's hash is kept.
CREATE TABLE user_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);

-- Failures per guessable secret, per account and per source address.
CREATE TABLE auth_throttle (
  throttle_key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  last_failure_at INTEGER NOT NULL,
  blocked_until INTEGER NOT NULL
);

CREATE TABLE signup_requests (
  token_hash TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  company TEXT NOT NULL,
  siren TEXT,
  slug TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  ip TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  confirmed_at INTEGER,
  tenant_id TEXT
);

CREATE TABLE quote_requests (
  id TEXT PRIMARY KEY,
  company TEXT NOT NULL,
  contact_name TEXT NOT NULL,
  email TEXT NOT NULL,
  phone TEXT NOT NULL,
  users INTEGER,
  storage_gb INTEGER,
  plan TEXT NOT NULL,
  message TEXT NOT NULL,
  ip TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE deletion_certificates (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  document TEXT NOT NULL,
  signature TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- A purged tenant's journal chain is deleted with the rest: the chain is listed here inside
-- the purge's transaction, and only such chains may lose entries.
CREATE TABLE journal_purges (
  chain TEXT PRIMARY KEY
);
DROP TRIGGER journal_no_delete;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
WHEN OLD.chain NOT IN (SELECT chain FROM journal_purges)
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
