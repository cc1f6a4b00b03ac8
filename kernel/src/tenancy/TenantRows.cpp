#include "tenancy/TenantRows.h"

#include <algorithm>
#include <functional>
#include <set>

#include "relais/Database.h"

namespace relais {

namespace {

// Tables that hold facts about tenants for the platform, not data of the tenant.
const std::set<std::string> kPlatformRecords = {"tenants", "deletion_certificates"};

bool safeIdentifier(const std::string& name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

// table → columns, and table → tables it references.
struct Catalogue {
    std::map<std::string, std::set<std::string>> columns;
    std::map<std::string, std::set<std::string>> references;
};

Catalogue readCatalogue(db::Connection& c) {
    Catalogue out;
    if (c.dialect() == db::Dialect::MySQL) {
        for (const auto& r : c.query("SELECT LOWER(TABLE_NAME) AS t, LOWER(COLUMN_NAME) AS c FROM information_schema.COLUMNS"
                                     " WHERE TABLE_SCHEMA = DATABASE()"))
            out.columns[r.getString("t")].insert(r.getString("c"));
        for (const auto& r : c.query("SELECT LOWER(TABLE_NAME) AS t, LOWER(REFERENCED_TABLE_NAME) AS r"
                                     " FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE()"
                                     " AND REFERENCED_TABLE_NAME IS NOT NULL"))
            out.references[r.getString("t")].insert(r.getString("r"));
        return out;
    }
    for (const auto& t : c.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
        const std::string table = t.getString("name");
        if (!safeIdentifier(table)) continue;
        for (const auto& col : c.query("SELECT name FROM pragma_table_info(?)", {table}))
            out.columns[table].insert(col.getString("name"));
        for (const auto& fk : c.query("SELECT \"table\" AS r FROM pragma_foreign_key_list(?)", {table}))
            out.references[table].insert(fk.getString("r"));
    }
    return out;
}

// Children first: a table comes before every table it references.
std::vector<std::string> childrenFirst(const std::set<std::string>& tables, const Catalogue& cat) {
    std::vector<std::string> order;
    std::set<std::string> done, visiting;
    // Depth-first over "is referenced by": emit a table after everything that references it.
    std::function<void(const std::string&)> visit = [&](const std::string& t) {
        if (done.count(t) || visiting.count(t)) return;
        visiting.insert(t);
        for (const auto& [child, refs] : cat.references)
            if (child != t && tables.count(child) && refs.count(t)) visit(child);
        visiting.erase(t);
        done.insert(t);
        order.push_back(t);
    };
    for (const auto& t : tables) visit(t);
    return order;
}

// The tables whose columns satisfy `keep`, children first.
template <class Keep>
std::vector<std::string> tablesWhere(const Catalogue& cat, Keep keep) {
    std::set<std::string> tables;
    for (const auto& [table, cols] : cat.columns)
        if (safeIdentifier(table) && keep(table, cols)) tables.insert(table);
    return childrenFirst(tables, cat);
}

}  // namespace

std::map<std::string, std::int64_t> TenantRows::deleteAll(db::Connection& tx, const std::string& tenantId) {
    const Catalogue cat = readCatalogue(tx);
    // Tables keyed by user_id alone (sessions, keys, codes, links), then every table with a
    // tenant_id column but the platform's own records about tenants.
    const auto userTables = tablesWhere(cat, [](const std::string&, const std::set<std::string>& cols) {
        return cols.count("user_id") && !cols.count("tenant_id");
    });
    const auto tenantTables = tablesWhere(cat, [](const std::string& table, const std::set<std::string>& cols) {
        return cols.count("tenant_id") && !kPlatformRecords.count(table);
    });
    std::map<std::string, std::int64_t> counts;
    for (const auto& table : userTables) {
        const auto n = tx.execute("DELETE FROM " + table + " WHERE user_id IN (SELECT id FROM users WHERE tenant_id = ?)",
                                  {tenantId});
        if (n) counts[table] = static_cast<std::int64_t>(n);
    }
    // users.profile_id references profiles, which come later: clear it first so that the
    // order holds whatever the engine does with ON DELETE SET NULL.
    tx.execute("UPDATE users SET profile_id = NULL WHERE tenant_id = ?", {tenantId});
    for (const auto& table : tenantTables) {
        const auto n = tx.execute("DELETE FROM " + table + " WHERE tenant_id = ?", {tenantId});
        if (n) counts[table] = static_cast<std::int64_t>(n);
    }
    counts["tenants"] = static_cast<std::int64_t>(tx.execute("DELETE FROM tenants WHERE id = ?", {tenantId}));
    return counts;
}

}  // namespace relais
