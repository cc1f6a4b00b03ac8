#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace Poco {
class Logger;
}

namespace relais {

namespace db {
class Database;
}

/// A migration that cannot be applied, or an applied one whose file changed or vanished.
class MigrationError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// One migration file: migrations/<component>/<dialect>/NNNN_name.sql.
struct MigrationFile {
    std::string component;
    int version = 0;
    std::string name;
    std::string path;
    std::string checksum;  ///< SHA-256 of the file, hex
};

/// Applies SQL migrations per component (the kernel, then each plugin), records each applied
/// one with its checksum in schema_migrations, and refuses to go on if an applied migration was
/// changed or removed. Each migration runs in its own transaction where the dialect allows it
/// (SQLite; MySQL commits DDL implicitly). On MySQL, a named lock keeps two nodes from
/// migrating at the same time.
class Migrator {
public:
    Migrator(db::Database& database, std::vector<std::string> roots, Poco::Logger& logger);

    /// The migration files of a component for this database's dialect, in version order.
    /// Throws MigrationError for a malformed name or a version found twice.
    std::vector<MigrationFile> discover(const std::string& component) const;

    /// Checks the applied migrations of `component`, then applies the pending ones. Returns
    /// those it applied. Throws MigrationError; what was applied before the failure stays.
    std::vector<MigrationFile> migrate(const std::string& component);

private:
    void ensureTable();
    db::Database& db_;
    std::vector<std::string> roots_;
    Poco::Logger& logger_;
};

}  // namespace relais
