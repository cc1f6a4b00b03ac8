#pragma once

#include <string>
#include <vector>

#include "tenancy/Audit.h"
#include "tenancy/Services.h"

namespace relais {

class Provisioning;

/// The outcome of an import, line by line.
struct ImportReport {
    int created = 0;
    int updated = 0;
    int skipped = 0;
    struct LineError {
        int line;
        std::string message;
        /// Stable, for translation: invalid_line (the CSV record itself), invalid_email,
        /// unknown_role, unknown_profile, or the code of the problem the change met
        /// (email_taken, licence_limit, last_admin...).
        std::string code;
        std::string value;  ///< the cell at fault, when there is one
    };
    std::vector<LineError> errors;
};

/// Creates and updates a tenant's users from a spreadsheet's CSV: columns email, name, role
/// (user or tenant_admin; utilisateur or administrateur) and profile (a profile's name or id),
/// in any order, with French headers accepted (courriel, nom, rôle, profil). Each line is
/// applied in a transaction of its own, so a bad line never stops the good ones; a new user
/// receives an invitation mail. Lines for existing accounts update name, role and profile from
/// the cells that are not empty: an empty cell never demotes, renames or lifts a restriction.
class UserImport {
public:
    UserImport(TenancyServices& services, Provisioning& provisioning) : s_(services), provisioning_(provisioning) {}

    /// Problem 400 `invalid_encoding` (not UTF-8) or `invalid_csv` (no usable header, no
    /// email column) for the body as a whole.
    ImportReport run(const std::string& tenantId, const std::string& csv, const std::string& linkBase,
                     const std::string& organisation, const Actor& actor);

private:
    TenancyServices& s_;
    Provisioning& provisioning_;
};

}  // namespace relais
