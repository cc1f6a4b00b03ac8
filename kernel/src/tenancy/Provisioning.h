#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "tenancy/Audit.h"
#include "tenancy/Services.h"
#include "tenancy/TenancyStore.h"
#include "tenancy/UserStore.h"

namespace Poco::JSON {
class Object;
}

namespace relais {

class LoginService;
namespace db {
class Connection;
}
namespace http {
class Request;
}

/// A user to create. An empty password sends an invitation mail instead (the user then
/// chooses one); "generate" makes a random one, returned once.
struct NewUser {
    std::string email;
    std::string name;
    std::string role;
    std::string password;
    std::string profileId;
    std::string language;
    /// An argon2id hash chosen earlier (a confirmed sign-up): used instead of `password`.
    std::string passwordHash;
};

/// A user created, with the password when it was generated.
struct CreatedUser {
    User user;
    std::string generatedPassword;
};

/// Creates and changes resellers, tenants and users, with every check (slugs, SIREN, plans,
/// licences, e-mail uniqueness, password policy) and a journal entry for each change. The
/// API, `relaisd tenants apply` and the trial sign-up all go through it.
class Provisioning {
public:
    Provisioning(TenancyServices& services, LoginService& logins) : s_(services), logins_(logins) {}

    /// A platform operator (`relaisd operator create`).
    CreatedUser createOperator(const std::string& email, const std::string& name, const std::string& password);

    Reseller createReseller(db::Connection& tx, const std::string& name, const std::string& contactEmail,
                            const Actor& actor);
    /// A user of a tenant (tenantId) or of the platform (reseller admins: resellerId).
    CreatedUser createUser(db::Connection& tx, const std::string& tenantId, const std::string& resellerId,
                           const NewUser& spec, const std::string& linkBase, const std::string& organisation,
                           const Actor& actor);
    /// A tenant from an API body or a manifest entry: slug, name, plan, siren, contact,
    /// language, hostnames. Validates everything (Problem 400 with the field, 409 slug_taken),
    /// enables the plan's modules and sets the storage quota.
    Tenant createTenant(db::Connection& tx, const Poco::JSON::Object& body, const std::string& resellerId,
                        const std::string& state, const Actor& actor);
    /// Applies the fields present in `body` (name, plan, siren, contact, language, hostnames,
    /// default/max expiry) to `tenant`. Returns whether anything changed.
    bool updateTenant(db::Connection& tx, Tenant& tenant, const Poco::JSON::Object& body, const Actor& actor);

    /// Applies the fields present in `body` (name, role, state: active|disabled, profile_id,
    /// language) to a user of `tenantId`, as `actor` (who may not lock themselves out, nor
    /// leave the tenant without an active admin: 409 `last_admin`). Disabling revokes the
    /// user's sessions and links; enabling counts against the licences.
    User updateUser(db::Connection& tx, const std::string& tenantId, const std::string& userId,
                    const Poco::JSON::Object& body, const Actor& actor);
    /// Deletes a user of `tenantId`, with the same guards.
    void removeUser(db::Connection& tx, const std::string& tenantId, const std::string& userId, const Actor& actor);

    /// `relaisd tenants apply FILE`: creates or updates a reseller, its tenants and their first
    /// users. Reports each object as created, updated or unchanged; a second run changes
    /// nothing. Generated passwords are reported once, on creation.
    void applyManifest(const std::string& path, std::ostream& report);

private:
    void journal(db::Connection& tx, const std::string& tenantId, const Actor& actor, const std::string& action,
                 const std::string& objectType, const std::string& objectId, const std::string& details = "{}") {
        journalAs(s_.journal, tx, tenantId, actor, action, objectType, objectId, details);
    }
    void checkHostnames(db::Connection& tx, const std::vector<std::string>& hostnames, const std::string& tenantId);

    TenancyServices& s_;
    LoginService& logins_;
};

}  // namespace relais
