#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace relais {

namespace db {
class Connection;
class Database;
class Row;
}  // namespace db

struct User {
    std::string id;
    std::string scope;  ///< tenant id, or "platform"
    std::string tenantId;
    std::string resellerId;
    std::string email;
    std::string name;
    std::string role;
    std::string state = "active";  ///< active, invited, disabled
    std::string passwordHash;
    std::int64_t passwordChangedAtMs = 0;
    std::string profileId;
    std::string language;
    std::string totpSecret;  ///< wrapped by a platform key, hex; "" when none
    bool totpEnabled = false;
    std::int64_t totpLastStep = 0;
    std::int64_t lastLoginAtMs = 0;
    std::int64_t createdAtMs = 0;
    std::int64_t updatedAtMs = 0;
};

struct Profile {
    std::string id;
    std::string tenantId;
    std::string name;
    std::vector<std::string> features;
    std::vector<std::string> allowedIps;
    bool requireTotp = false;
    std::int64_t createdAtMs = 0;
    std::int64_t updatedAtMs = 0;
};

/// Users, profiles, recovery codes and one-use links (invitations, password resets), in SQL.
/// Every lookup of tenant-owned rows names the tenant.
class UserStore {
public:
    explicit UserStore(db::Database& database) : db_(database) {}

    static std::string scopeOf(const std::string& tenantId) { return tenantId.empty() ? "platform" : tenantId; }

    void insert(db::Connection& tx, const User& u);
    /// Writes every column.
    void update(db::Connection& tx, const User& u);
    void remove(db::Connection& tx, const std::string& scope, const std::string& id);
    std::optional<User> byId(const std::string& scope, const std::string& id);
    std::optional<User> byId(db::Connection& tx, const std::string& scope, const std::string& id);
    std::optional<User> byEmail(const std::string& scope, const std::string& email);
    /// For tokens, which carry a user id only.
    std::optional<User> byIdInAnyScope(const std::string& id);
    std::optional<User> byEmail(db::Connection& tx, const std::string& scope, const std::string& email);
    /// Users of a scope, ordered by e-mail, after `afterEmail`, matching `query` (e-mail or name).
    std::vector<User> list(const std::string& scope, const std::string& query, const std::string& afterEmail, int limit);
    /// Active and invited users of a tenant (what counts against its licences).
    std::int64_t countLicensed(db::Connection& tx, const std::string& tenantId);
    std::vector<User> operators();
    /// Active tenant admins of a tenant.
    std::int64_t countActiveAdmins(db::Connection& tx, const std::string& tenantId);
    /// Users of a tenant holding a profile.
    std::int64_t countWithProfile(db::Connection& tx, const std::string& tenantId, const std::string& profileId);
    /// Deletes links expired or used more than a day ago; returns how many.
    std::uint64_t removeStaleTokens(std::int64_t nowMs);
    /// Voids the user's unused invitation and reset links.
    void revokeLinks(db::Connection& tx, const std::string& userId);

    void insertProfile(db::Connection& tx, const Profile& p);
    void updateProfile(db::Connection& tx, const Profile& p);
    bool removeProfile(db::Connection& tx, const std::string& tenantId, const std::string& id);
    std::optional<Profile> profile(const std::string& tenantId, const std::string& id);
    std::optional<Profile> profileByName(const std::string& tenantId, const std::string& name);
    std::vector<Profile> profiles(const std::string& tenantId);

    void replaceRecoveryCodes(db::Connection& tx, const std::string& userId, const std::vector<std::string>& hashes);
    /// Marks a code used; false if it does not exist or was used.
    bool useRecoveryCode(db::Connection& tx, const std::string& userId, const std::string& hash);

    void insertToken(db::Connection& tx, const std::string& hash, const std::string& userId, const std::string& purpose,
                     std::int64_t expiresAtMs);
    /// The user of an unused, unexpired token of that purpose, without using it.
    std::optional<std::string> tokenOwner(const std::string& hash, const std::string& purpose);
    /// The user of an unused, unexpired token of that purpose, which is then used up.
    std::optional<std::string> consumeToken(db::Connection& tx, const std::string& hash, const std::string& purpose);

private:
    db::Database& db_;
};

}  // namespace relais
