#include "tenancy/UserImport.h"

#include <Poco/JSON/Object.h>

#include "relais/Database.h"
#include "relais/Journal.h"
#include "relais/Problem.h"
#include "relais/http/Json.h"
#include "tenancy/CsvReader.h"
#include "tenancy/Provisioning.h"
#include "tenancy/UserStore.h"
#include "tenancy/Validation.h"

namespace relais {

namespace {

constexpr std::size_t kMaxLines = 10000;

// The first of `names` the header has.
std::string columnOf(const CsvTable& table, std::initializer_list<const char*> names) {
    for (const char* n : names)
        if (table.column(n)) return n;
    return {};
}

std::string roleOf(const std::string& text) {
    std::string r;
    for (char c : text) r += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (r.empty() || r == "user" || r == "utilisateur" || r == "utilisatrice") return "user";
    if (r == "tenant_admin" || r == "admin" || r == "administrateur" || r == "administratrice") return "tenant_admin";
    return {};
}

std::string messageOf(const Problem& p) {
    std::string m = p.detail();
    for (const auto& e : p.errors()) m += " (" + e.field + ": " + e.message + ")";
    return m;
}

}  // namespace

ImportReport UserImport::run(const std::string& tenantId, const std::string& csv, const std::string& base,
                             const std::string& organisation, const Actor& actor) {
    CsvTable table;
    try {
        table = CsvReader::parse(csv, kMaxLines);
    } catch (const CsvEncodingError& e) {
        throw Problem(400, "invalid_encoding",
                      "The file is not UTF-8 (line " + std::to_string(e.line()) +
                          "). In Excel, save it as \"CSV UTF-8 (délimité par des virgules)\".");
    } catch (const CsvError& e) {
        throw Problem(400, "invalid_csv", e.what());
    }
    const std::string emailCol = columnOf(table, {"email", "e-mail", "courriel", "mail", "adresse e-mail"});
    const std::string nameCol = columnOf(table, {"name", "nom", "nom complet"});
    const std::string roleCol = columnOf(table, {"role", "rôle"});
    const std::string profileCol = columnOf(table, {"profile", "profil"});
    if (emailCol.empty())
        throw Problem(400, "invalid_csv", "The first line must name the columns: email,name,role,profile.");

    ImportReport report;
    for (const auto& record : table.records) {
        if (!record.ok()) {
            report.errors.push_back({record.line, record.error, "invalid_line", ""});
            continue;
        }
        const std::string email = normaliseEmail(table.field(record, emailCol));
        if (email.empty()) {
            report.errors.push_back({record.line, "not a valid e-mail address: '" + table.field(record, emailCol) + "'",
                                     "invalid_email", table.field(record, emailCol)});
            continue;
        }
        // An empty cell leaves an existing account as it is (a new one gets a default).
        const std::string name = nameCol.empty() ? "" : table.field(record, nameCol);
        const std::string roleText = roleCol.empty() ? "" : table.field(record, roleCol);
        const std::string role = roleOf(roleText);
        if (role.empty()) {
            report.errors.push_back({record.line, "unknown role '" + table.field(record, roleCol) + "': user or tenant_admin",
                                     "unknown_role", table.field(record, roleCol)});
            continue;
        }
        const std::string profileText = profileCol.empty() ? "" : table.field(record, profileCol);
        std::string profileId;
        if (!profileText.empty()) {
            auto p = s_.users.profileByName(tenantId, profileText);
            if (!p) p = s_.users.profile(tenantId, profileText);
            if (!p) {
                report.errors.push_back({record.line, "no profile named '" + profileText + "'", "unknown_profile", profileText});
                continue;
            }
            profileId = p->id;
        }
        try {
            s_.db.transaction([&](db::Connection& tx) {
                auto existing = s_.users.byEmail(tx, tenantId, email);
                if (!existing) {
                    NewUser spec;
                    spec.email = email;
                    spec.name = name.empty() ? email.substr(0, email.find('@')) : name;
                    spec.role = role;
                    spec.profileId = profileId;
                    provisioning_.createUser(tx, tenantId, "", spec, base, organisation, actor);
                    ++report.created;
                    return;
                }
                Poco::JSON::Object change;
                if (!name.empty() && existing->name != name) change.set("name", name);
                // Without a role, a line never demotes an administrator; without a profile, it
                // never lifts the user's restrictions.
                if (!roleText.empty() && existing->role != role) change.set("role", role);
                if (!profileId.empty() && existing->profileId != profileId) change.set("profile_id", profileId);
                if (change.size() == 0) {
                    ++report.skipped;
                    return;
                }
                provisioning_.updateUser(tx, tenantId, existing->id, change, actor);
                ++report.updated;
            });
        } catch (const Problem& p) {
            report.errors.push_back({record.line, messageOf(p), p.code(), ""});
        }
    }
    s_.db.transaction([&](db::Connection& tx) {
        Poco::JSON::Object d;
        d.set("created", report.created);
        d.set("updated", report.updated);
        d.set("skipped", report.skipped);
        d.set("errors", static_cast<int>(report.errors.size()));
        journalAs(s_.journal, tx, tenantId, actor, "users.imported", "tenant", tenantId, http::toJson(d));
    });
    return report;
}

}  // namespace relais
