#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace relais {

namespace db {
class Connection;
class Database;
class Row;
}  // namespace db

struct Reseller {
    std::string id;
    std::string name;
    std::string contactEmail;
    std::string state = "active";  ///< active, suspended
    std::string suspendedReason;
    std::int64_t createdAtMs = 0;
    std::int64_t updatedAtMs = 0;
};

struct Tenant {
    std::string id;
    std::string slug;
    std::string resellerId;
    std::string name;  ///< raison sociale
    std::string siren;
    std::string address;
    std::string contactName;
    std::string contactEmail;
    std::string contactPhone;
    std::string state = "active";  ///< trial, active, suspended, terminated, purged
    std::string stateBeforeSuspension;
    std::string suspendedReason;
    bool suspendedWithReseller = false;
    std::string planId;
    std::string language = "fr";
    int defaultExpiryDays = 7;
    int maxExpiryDays = 30;
    std::int64_t trialEndsAtMs = 0;
    std::int64_t terminatedAtMs = 0;
    std::int64_t exportUntilMs = 0;
    std::int64_t purgedAtMs = 0;
    std::int64_t createdAtMs = 0;
    std::int64_t updatedAtMs = 0;
    std::vector<std::string> hostnames;      ///< custom ones; <slug>.<domain> is implicit
    std::map<std::string, bool> modules;     ///< what the admin switched on or off
};

/// Resellers, tenants, their hostnames and modules, and the tenancy epoch, in SQL. Every write
/// that changes how requests resolve bumps the epoch in the same transaction.
class TenancyStore {
public:
    explicit TenancyStore(db::Database& database) : db_(database) {}

    void insertReseller(db::Connection& tx, const Reseller& r);
    void updateReseller(db::Connection& tx, const Reseller& r);
    std::optional<Reseller> reseller(const std::string& id);
    std::optional<Reseller> resellerByName(const std::string& name);
    std::vector<Reseller> resellers();

    void insertTenant(db::Connection& tx, const Tenant& t);
    /// Writes every column of the tenant row (not hostnames or modules).
    void updateTenant(db::Connection& tx, const Tenant& t);
    void setHostnames(db::Connection& tx, const std::string& tenantId, const std::vector<std::string>& hostnames);
    void setModule(db::Connection& tx, const std::string& tenantId, const std::string& module, bool enabled);
    std::optional<Tenant> tenant(const std::string& id);
    std::optional<Tenant> tenant(db::Connection& tx, const std::string& id);
    /// The tenant, or Problem 404 (gone, or never there).
    Tenant existingTenant(db::Connection& tx, const std::string& id);
    std::optional<Tenant> tenantBySlug(const std::string& slug);
    /// The tenant owning a custom hostname.
    std::optional<std::string> tenantIdByHostname(const std::string& hostname);
    /// Tenants of a reseller ("" for all), ordered by slug, after `afterSlug`, matching `query`
    /// in slug or name.
    std::vector<Tenant> tenants(const std::string& resellerId, const std::string& query,
                                const std::string& afterSlug, int limit);
    /// Ids of tenants in a state whose given time column is before `beforeMs`.
    std::vector<std::string> tenantIdsOfReseller(db::Connection& tx, const std::string& resellerId);
    std::vector<std::string> tenantsDue(const std::string& state, const std::string& column, std::int64_t beforeMs);

    void bumpEpoch(db::Connection& tx);
    std::int64_t epoch();

private:
    Tenant load(db::Connection& c, const db::Row& row);
    db::Database& db_;
};

}  // namespace relais
