#include "tenancy/TenancyStore.h"

#include "relais/Database.h"
#include "relais/Problem.h"
#include "relais/Time.h"

namespace relais {

namespace {

const char* kTenantColumns =
    "id, slug, reseller_id, name, siren, address, contact_name, contact_email, contact_phone, state,"
    " state_before_suspension, suspended_reason, suspended_with_reseller, plan_id, language, default_expiry_days,"
    " max_expiry_days, trial_ends_at, terminated_at, export_until, purged_at, created_at, updated_at";

Reseller resellerFrom(const db::Row& r) {
    return Reseller{r.getString("id"),    r.getString("name"),          r.getString("contact_email"),
                    r.getString("state"), r.getString("suspended_reason"), r.getInt("created_at"),
                    r.getInt("updated_at")};
}


}  // namespace

void TenancyStore::insertReseller(db::Connection& tx, const Reseller& r) {
    tx.execute("INSERT INTO resellers (id, name, contact_email, state, suspended_reason, created_at, updated_at)"
               " VALUES (?, ?, ?, ?, ?, ?, ?)",
               {r.id, r.name, r.contactEmail, r.state, db::Value::textOrNull(r.suspendedReason), r.createdAtMs, r.updatedAtMs});
}

void TenancyStore::updateReseller(db::Connection& tx, const Reseller& r) {
    tx.execute("UPDATE resellers SET name = ?, contact_email = ?, state = ?, suspended_reason = ?, updated_at = ?"
               " WHERE id = ?",
               {r.name, r.contactEmail, r.state, db::Value::textOrNull(r.suspendedReason), nowMs(), r.id});
    bumpEpoch(tx);
}

std::optional<Reseller> TenancyStore::reseller(const std::string& id) {
    auto rows = db_.query("SELECT * FROM resellers WHERE id = ?", {id});
    if (rows.empty()) return std::nullopt;
    return resellerFrom(rows[0]);
}

std::optional<Reseller> TenancyStore::resellerByName(const std::string& name) {
    auto rows = db_.query("SELECT * FROM resellers WHERE name = ?", {name});
    if (rows.empty()) return std::nullopt;
    return resellerFrom(rows[0]);
}

std::vector<Reseller> TenancyStore::resellers() {
    std::vector<Reseller> out;
    for (const auto& r : db_.query("SELECT * FROM resellers ORDER BY name")) out.push_back(resellerFrom(r));
    return out;
}

void TenancyStore::insertTenant(db::Connection& tx, const Tenant& t) {
    tx.execute(std::string("INSERT INTO tenants (") + kTenantColumns +
                   ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               {t.id, t.slug, t.resellerId, t.name, db::Value::textOrNull(t.siren), t.address, t.contactName, t.contactEmail,
                t.contactPhone, t.state, db::Value::textOrNull(t.stateBeforeSuspension), db::Value::textOrNull(t.suspendedReason),
                t.suspendedWithReseller ? 1 : 0, t.planId, t.language, t.defaultExpiryDays, t.maxExpiryDays,
                db::Value::timeOrNull(t.trialEndsAtMs), db::Value::timeOrNull(t.terminatedAtMs), db::Value::timeOrNull(t.exportUntilMs),
                db::Value::timeOrNull(t.purgedAtMs), t.createdAtMs, t.updatedAtMs});
    bumpEpoch(tx);
}

void TenancyStore::updateTenant(db::Connection& tx, const Tenant& t) {
    tx.execute("UPDATE tenants SET slug = ?, reseller_id = ?, name = ?, siren = ?, address = ?, contact_name = ?,"
               " contact_email = ?, contact_phone = ?, state = ?, state_before_suspension = ?, suspended_reason = ?,"
               " suspended_with_reseller = ?, plan_id = ?, language = ?, default_expiry_days = ?, max_expiry_days = ?,"
               " trial_ends_at = ?, terminated_at = ?, export_until = ?, purged_at = ?, updated_at = ? WHERE id = ?",
               {t.slug, t.resellerId, t.name, db::Value::textOrNull(t.siren), t.address, t.contactName, t.contactEmail,
                t.contactPhone, t.state, db::Value::textOrNull(t.stateBeforeSuspension), db::Value::textOrNull(t.suspendedReason),
                t.suspendedWithReseller ? 1 : 0, t.planId, t.language, t.defaultExpiryDays, t.maxExpiryDays,
                db::Value::timeOrNull(t.trialEndsAtMs), db::Value::timeOrNull(t.terminatedAtMs), db::Value::timeOrNull(t.exportUntilMs),
                db::Value::timeOrNull(t.purgedAtMs), nowMs(), t.id});
    bumpEpoch(tx);
}

void TenancyStore::setHostnames(db::Connection& tx, const std::string& tenantId,
                                const std::vector<std::string>& hostnames) {
    tx.execute("DELETE FROM tenant_hostnames WHERE tenant_id = ?", {tenantId});
    for (const auto& h : hostnames)
        tx.execute("INSERT INTO tenant_hostnames (hostname, tenant_id) VALUES (?, ?)", {h, tenantId});
    bumpEpoch(tx);
}

void TenancyStore::setModule(db::Connection& tx, const std::string& tenantId, const std::string& module, bool enabled) {
    if (tx.execute("UPDATE tenant_modules SET enabled = ?, updated_at = ? WHERE tenant_id = ? AND module = ?",
                   {enabled ? 1 : 0, nowMs(), tenantId, module}) == 0)
        tx.execute("INSERT INTO tenant_modules (tenant_id, module, enabled, updated_at) VALUES (?, ?, ?, ?)",
                   {tenantId, module, enabled ? 1 : 0, nowMs()});
    bumpEpoch(tx);
}

Tenant TenancyStore::load(db::Connection& c, const db::Row& r) {
    Tenant t;
    t.id = r.getString("id");
    t.slug = r.getString("slug");
    t.resellerId = r.getString("reseller_id");
    t.name = r.getString("name");
    t.siren = r.getString("siren");
    t.address = r.getString("address");
    t.contactName = r.getString("contact_name");
    t.contactEmail = r.getString("contact_email");
    t.contactPhone = r.getString("contact_phone");
    t.state = r.getString("state");
    t.stateBeforeSuspension = r.getString("state_before_suspension");
    t.suspendedReason = r.getString("suspended_reason");
    t.suspendedWithReseller = r.getInt("suspended_with_reseller") != 0;
    t.planId = r.getString("plan_id");
    t.language = r.getString("language");
    t.defaultExpiryDays = static_cast<int>(r.getInt("default_expiry_days"));
    t.maxExpiryDays = static_cast<int>(r.getInt("max_expiry_days"));
    t.trialEndsAtMs = r.getInt("trial_ends_at");
    t.terminatedAtMs = r.getInt("terminated_at");
    t.exportUntilMs = r.getInt("export_until");
    t.purgedAtMs = r.getInt("purged_at");
    t.createdAtMs = r.getInt("created_at");
    t.updatedAtMs = r.getInt("updated_at");
    for (const auto& h : c.query("SELECT hostname FROM tenant_hostnames WHERE tenant_id = ? ORDER BY hostname", {t.id}))
        t.hostnames.push_back(h.getString("hostname"));
    for (const auto& m : c.query("SELECT module, enabled FROM tenant_modules WHERE tenant_id = ?", {t.id}))
        t.modules[m.getString("module")] = m.getInt("enabled") != 0;
    return t;
}

std::optional<Tenant> TenancyStore::tenant(db::Connection& tx, const std::string& id) {
    auto rows = tx.query(std::string("SELECT ") + kTenantColumns + " FROM tenants WHERE id = ?", {id});
    if (rows.empty()) return std::nullopt;
    return load(tx, rows[0]);
}

Tenant TenancyStore::existingTenant(db::Connection& tx, const std::string& id) {
    auto t = tenant(tx, id);
    if (!t) throw Problem::notFound("No such organisation.");
    return *t;
}

std::optional<Tenant> TenancyStore::tenant(const std::string& id) {
    return db_.read([&](db::Connection& c) { return tenant(c, id); });
}

std::optional<Tenant> TenancyStore::tenantBySlug(const std::string& slug) {
    return db_.read([&](db::Connection& c) -> std::optional<Tenant> {
        auto rows = c.query(std::string("SELECT ") + kTenantColumns + " FROM tenants WHERE slug = ?", {slug});
        if (rows.empty()) return std::nullopt;
        return load(c, rows[0]);
    });
}

std::optional<std::string> TenancyStore::tenantIdByHostname(const std::string& hostname) {
    auto rows = db_.query("SELECT tenant_id FROM tenant_hostnames WHERE hostname = ?", {hostname});
    if (rows.empty()) return std::nullopt;
    return rows[0].getString("tenant_id");
}

std::vector<Tenant> TenancyStore::tenants(const std::string& resellerId, const std::string& query,
                                          const std::string& afterSlug, int limit) {
    return db_.read([&](db::Connection& c) {
        std::string sql = std::string("SELECT ") + kTenantColumns + " FROM tenants WHERE slug > ?";
        db::Params params{afterSlug};
        if (!resellerId.empty()) {
            sql += " AND reseller_id = ?";
            params.emplace_back(resellerId);
        }
        if (!query.empty()) {
            sql += " AND (slug LIKE ? ESCAPE '!' OR name LIKE ? ESCAPE '!')";
            std::string like = "%";
            for (char ch : query) {
                if (ch == '%' || ch == '_' || ch == '!') like += '!';
                like += ch;
            }
            like += "%";
            params.emplace_back(like);
            params.emplace_back(like);
        }
        sql += " ORDER BY slug LIMIT ?";
        params.emplace_back(limit);
        std::vector<Tenant> out;
        for (const auto& r : c.query(sql, params)) out.push_back(load(c, r));
        return out;
    });
}

std::vector<std::string> TenancyStore::tenantIdsOfReseller(db::Connection& tx, const std::string& resellerId) {
    std::vector<std::string> out;
    for (const auto& r : tx.query("SELECT id FROM tenants WHERE reseller_id = ? ORDER BY slug", {resellerId}))
        out.push_back(r.getString("id"));
    return out;
}

std::vector<std::string> TenancyStore::tenantsDue(const std::string& state, const std::string& column,
                                                  std::int64_t beforeMs) {
    // `column` is one of ours, never user input.
    std::vector<std::string> out;
    for (const auto& r : db_.query("SELECT id FROM tenants WHERE state = ? AND " + column + " IS NOT NULL AND " + column +
                                       " < ?",
                                   {state, beforeMs}))
        out.push_back(r.getString("id"));
    return out;
}

void TenancyStore::bumpEpoch(db::Connection& tx) {
    tx.execute("UPDATE tenancy_epoch SET value = value + 1 WHERE id = 1");
}

std::int64_t TenancyStore::epoch() {
    return db_.query("SELECT value FROM tenancy_epoch WHERE id = 1")[0].getInt("value");
}

}  // namespace relais
