#include "tenancy/UserStore.h"

#include <sstream>

#include "relais/Database.h"
#include "relais/Time.h"

namespace relais {

namespace {

const char* kUserColumns =
    "id, scope, tenant_id, reseller_id, email, name, role, state, password_hash, password_changed_at, profile_id,"
    " language, totp_secret, totp_enabled, totp_last_step, last_login_at, created_at, updated_at";


User userFrom(const db::Row& r) {
    User u;
    u.id = r.getString("id");
    u.scope = r.getString("scope");
    u.tenantId = r.getString("tenant_id");
    u.resellerId = r.getString("reseller_id");
    u.email = r.getString("email");
    u.name = r.getString("name");
    u.role = r.getString("role");
    u.state = r.getString("state");
    u.passwordHash = r.getString("password_hash");
    u.passwordChangedAtMs = r.getInt("password_changed_at");
    u.profileId = r.getString("profile_id");
    u.language = r.getString("language");
    u.totpSecret = r.getString("totp_secret");
    u.totpEnabled = r.getInt("totp_enabled") != 0;
    u.totpLastStep = r.getInt("totp_last_step");
    u.lastLoginAtMs = r.getInt("last_login_at");
    u.createdAtMs = r.getInt("created_at");
    u.updatedAtMs = r.getInt("updated_at");
    return u;
}

std::string joinList(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
    return out;
}

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ','))
        if (!item.empty()) out.push_back(item);
    return out;
}

Profile profileFrom(const db::Row& r) {
    Profile p;
    p.id = r.getString("id");
    p.tenantId = r.getString("tenant_id");
    p.name = r.getString("name");
    p.features = splitList(r.getString("features"));
    p.allowedIps = splitList(r.getString("allowed_ips"));
    p.requireTotp = r.getInt("require_totp") != 0;
    p.createdAtMs = r.getInt("created_at");
    p.updatedAtMs = r.getInt("updated_at");
    return p;
}

}  // namespace

void UserStore::insert(db::Connection& tx, const User& u) {
    tx.execute(std::string("INSERT INTO users (") + kUserColumns +
                   ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               {u.id, u.scope, db::Value::textOrNull(u.tenantId), db::Value::textOrNull(u.resellerId), u.email, u.name, u.role, u.state,
                db::Value::textOrNull(u.passwordHash), db::Value::timeOrNull(u.passwordChangedAtMs), db::Value::textOrNull(u.profileId),
                db::Value::textOrNull(u.language), db::Value::textOrNull(u.totpSecret), u.totpEnabled ? 1 : 0, u.totpLastStep,
                db::Value::timeOrNull(u.lastLoginAtMs), u.createdAtMs, u.updatedAtMs});
}

void UserStore::update(db::Connection& tx, const User& u) {
    tx.execute("UPDATE users SET email = ?, name = ?, role = ?, state = ?, password_hash = ?, password_changed_at = ?,"
               " profile_id = ?, language = ?, totp_secret = ?, totp_enabled = ?, totp_last_step = ?, last_login_at = ?,"
               " reseller_id = ?, updated_at = ? WHERE id = ? AND scope = ?",
               {u.email, u.name, u.role, u.state, db::Value::textOrNull(u.passwordHash), db::Value::timeOrNull(u.passwordChangedAtMs),
                db::Value::textOrNull(u.profileId), db::Value::textOrNull(u.language), db::Value::textOrNull(u.totpSecret), u.totpEnabled ? 1 : 0,
                u.totpLastStep, db::Value::timeOrNull(u.lastLoginAtMs), db::Value::textOrNull(u.resellerId), nowMs(), u.id, u.scope});
}

void UserStore::remove(db::Connection& tx, const std::string& scope, const std::string& id) {
    tx.execute("DELETE FROM recovery_codes WHERE user_id = ?", {id});
    tx.execute("DELETE FROM user_tokens WHERE user_id = ?", {id});
    tx.execute("DELETE FROM sessions WHERE user_id = ?", {id});
    tx.execute("DELETE FROM api_keys WHERE user_id = ?", {id});
    tx.execute("DELETE FROM users WHERE id = ? AND scope = ?", {id, scope});
}

std::optional<User> UserStore::byId(db::Connection& tx, const std::string& scope, const std::string& id) {
    auto rows = tx.query(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ? AND scope = ?", {id, scope});
    if (rows.empty()) return std::nullopt;
    return userFrom(rows[0]);
}

std::optional<User> UserStore::byId(const std::string& scope, const std::string& id) {
    auto rows = db_.query(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ? AND scope = ?", {id, scope});
    if (rows.empty()) return std::nullopt;
    return userFrom(rows[0]);
}

std::optional<User> UserStore::byIdInAnyScope(const std::string& id) {
    auto rows = db_.query(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?", {id});
    if (rows.empty()) return std::nullopt;
    return userFrom(rows[0]);
}

std::optional<User> UserStore::byEmail(db::Connection& tx, const std::string& scope, const std::string& email) {
    auto rows = tx.query(std::string("SELECT ") + kUserColumns + " FROM users WHERE scope = ? AND email = ?", {scope, email});
    if (rows.empty()) return std::nullopt;
    return userFrom(rows[0]);
}

std::optional<User> UserStore::byEmail(const std::string& scope, const std::string& email) {
    auto rows = db_.query(std::string("SELECT ") + kUserColumns + " FROM users WHERE scope = ? AND email = ?", {scope, email});
    if (rows.empty()) return std::nullopt;
    return userFrom(rows[0]);
}

std::vector<User> UserStore::list(const std::string& scope, const std::string& query, const std::string& afterEmail,
                                  int limit) {
    std::string sql = std::string("SELECT ") + kUserColumns + " FROM users WHERE scope = ? AND email > ?";
    db::Params params{scope, afterEmail};
    if (!query.empty()) {
        std::string like = "%";
        for (char ch : query) {
            if (ch == '%' || ch == '_' || ch == '!') like += '!';
            like += ch;
        }
        like += "%";
        sql += " AND (email LIKE ? ESCAPE '!' OR name LIKE ? ESCAPE '!')";
        params.emplace_back(like);
        params.emplace_back(like);
    }
    sql += " ORDER BY email LIMIT ?";
    params.emplace_back(limit);
    std::vector<User> out;
    for (const auto& r : db_.query(sql, params)) out.push_back(userFrom(r));
    return out;
}

std::int64_t UserStore::countActiveAdmins(db::Connection& tx, const std::string& tenantId) {
    return tx.query("SELECT COUNT(*) AS n FROM users WHERE tenant_id = ? AND role = 'tenant_admin' AND state = 'active'",
                    {tenantId})[0].getInt("n");
}

std::int64_t UserStore::countWithProfile(db::Connection& tx, const std::string& tenantId, const std::string& profileId) {
    return tx.query("SELECT COUNT(*) AS n FROM users WHERE tenant_id = ? AND profile_id = ?", {tenantId, profileId})[0]
        .getInt("n");
}

std::uint64_t UserStore::removeStaleTokens(std::int64_t now) {
    return db_.execute("DELETE FROM user_tokens WHERE expires_at <= ? OR used_at <= ?", {now, now - 24LL * 3600 * 1000});
}

void UserStore::revokeLinks(db::Connection& tx, const std::string& userId) {
    tx.execute("DELETE FROM user_tokens WHERE user_id = ? AND used_at IS NULL", {userId});
}

std::int64_t UserStore::countLicensed(db::Connection& tx, const std::string& tenantId) {
    return tx.query("SELECT COUNT(*) AS n FROM users WHERE scope = ? AND state <> 'disabled'", {tenantId})[0].getInt("n");
}

std::vector<User> UserStore::operators() {
    std::vector<User> out;
    for (const auto& r : db_.query(std::string("SELECT ") + kUserColumns +
                                   " FROM users WHERE scope = 'platform' AND role = 'operator' ORDER BY email"))
        out.push_back(userFrom(r));
    return out;
}

void UserStore::insertProfile(db::Connection& tx, const Profile& p) {
    tx.execute("INSERT INTO profiles (id, tenant_id, name, features, allowed_ips, require_totp, created_at, updated_at)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               {p.id, p.tenantId, p.name, joinList(p.features), joinList(p.allowedIps), p.requireTotp ? 1 : 0,
                p.createdAtMs, p.updatedAtMs});
}

void UserStore::updateProfile(db::Connection& tx, const Profile& p) {
    tx.execute("UPDATE profiles SET name = ?, features = ?, allowed_ips = ?, require_totp = ?, updated_at = ?"
               " WHERE id = ? AND tenant_id = ?",
               {p.name, joinList(p.features), joinList(p.allowedIps), p.requireTotp ? 1 : 0, nowMs(), p.id, p.tenantId});
}

bool UserStore::removeProfile(db::Connection& tx, const std::string& tenantId, const std::string& id) {
    tx.execute("UPDATE users SET profile_id = NULL WHERE profile_id = ? AND scope = ?", {id, tenantId});
    return tx.execute("DELETE FROM profiles WHERE id = ? AND tenant_id = ?", {id, tenantId}) > 0;
}

std::optional<Profile> UserStore::profile(const std::string& tenantId, const std::string& id) {
    auto rows = db_.query("SELECT * FROM profiles WHERE id = ? AND tenant_id = ?", {id, tenantId});
    if (rows.empty()) return std::nullopt;
    return profileFrom(rows[0]);
}

std::optional<Profile> UserStore::profileByName(const std::string& tenantId, const std::string& name) {
    auto rows = db_.query("SELECT * FROM profiles WHERE name = ? AND tenant_id = ?", {name, tenantId});
    if (rows.empty()) return std::nullopt;
    return profileFrom(rows[0]);
}

std::vector<Profile> UserStore::profiles(const std::string& tenantId) {
    std::vector<Profile> out;
    for (const auto& r : db_.query("SELECT * FROM profiles WHERE tenant_id = ? ORDER BY name", {tenantId}))
        out.push_back(profileFrom(r));
    return out;
}

void UserStore::replaceRecoveryCodes(db::Connection& tx, const std::string& userId, const std::vector<std::string>& hashes) {
    tx.execute("DELETE FROM recovery_codes WHERE user_id = ?", {userId});
    for (const auto& h : hashes)
        tx.execute("INSERT INTO recovery_codes (user_id, code_hash, used_at) VALUES (?, ?, NULL)", {userId, h});
}

bool UserStore::useRecoveryCode(db::Connection& tx, const std::string& userId, const std::string& hash) {
    return tx.execute("UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
                      {nowMs(), userId, hash}) == 1;
}

void UserStore::insertToken(db::Connection& tx, const std::string& hash, const std::string& userId,
                            const std::string& purpose, std::int64_t expiresAtMs) {
    tx.execute("INSERT INTO user_tokens (token_hash, user_id, purpose, created_at, expires_at, used_at)"
               " VALUES (?, ?, ?, ?, ?, NULL)",
               {hash, userId, purpose, nowMs(), expiresAtMs});
}

std::optional<std::string> UserStore::tokenOwner(const std::string& hash, const std::string& purpose) {
    auto rows = db_.query("SELECT user_id FROM user_tokens WHERE token_hash = ? AND purpose = ? AND used_at IS NULL"
                          " AND expires_at > ?",
                          {hash, purpose, nowMs()});
    if (rows.empty()) return std::nullopt;
    return rows[0].getString("user_id");
}

std::optional<std::string> UserStore::consumeToken(db::Connection& tx, const std::string& hash, const std::string& purpose) {
    auto rows = tx.query("SELECT user_id FROM user_tokens WHERE token_hash = ? AND purpose = ? AND used_at IS NULL"
                         " AND expires_at > ?",
                         {hash, purpose, nowMs()});
    if (rows.empty()) return std::nullopt;
    if (tx.execute("UPDATE user_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL", {nowMs(), hash}) != 1)
        return std::nullopt;
    return rows[0].getString("user_id");
}

}  // namespace relais
