#include "migrate/Migrator.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "relais/Database.h"
#include "relais/Random.h"
#include "relais/Time.h"

namespace fs = std::filesystem;

namespace relais {

namespace {

const char* dialectFolder(db::Dialect d) {
    return d == db::Dialect::SQLite ? "sqlite" : "mysql";
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw MigrationError("cannot read " + path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// Holds MySQL's named lock for the whole run, on its own connection.
class MigrationLock {
public:
    explicit MigrationLock(db::Database& db) {
        if (db.dialect() != db::Dialect::MySQL)
            return;
        lease_.emplace(db.acquire());
        auto r = (*lease_)->query("SELECT GET_LOCK('relais_migrations', 120) AS got", {});
        if (r.empty() || r[0].getInt("got") != 1)
            throw MigrationError("another node has been migrating for 2 minutes; try again");
    }
    ~MigrationLock() {
        if (!lease_)
            return;
        try {
            (*lease_)->query("SELECT RELEASE_LOCK('relais_migrations')", {});
        } catch (...) {
            // The lock goes with the connection anyway.
        }
    }

private:
    std::optional<db::Database::Lease> lease_;
};

}  // namespace

Migrator::Migrator(db::Database& database, std::vector<std::string> roots, Poco::Logger& logger)
    : db_(database), roots_(std::move(roots)), logger_(logger) {}

std::vector<MigrationFile> Migrator::discover(const std::string& component) const {
    std::map<int, MigrationFile> found;
    for (const auto& root : roots_) {
        fs::path dir = fs::path(root) / component / dialectFolder(db_.dialect());
        std::error_code ec;
        if (!fs::is_directory(dir, ec))
            continue;
        for (const auto& entry : fs::directory_iterator(dir)) {
            const std::string file = entry.path().filename().string();
            if (entry.path().extension() != ".sql")
                continue;
            std::size_t digits = 0;
            while (digits < file.size() && std::isdigit(static_cast<unsigned char>(file[digits])))
                ++digits;
            if (digits != 4 || file.size() < 10 || file[4] != '_')
                throw MigrationError(entry.path().string() +
                                     ": a migration is named NNNN_name.sql");
            MigrationFile m;
            m.component = component;
            m.version = std::stoi(file.substr(0, 4));
            m.name = file.substr(5, file.size() - 9);
            m.path = entry.path().string();
            m.checksum = sha256Hex(readFile(m.path));
            if (found.count(m.version))
                throw MigrationError(m.path + ": version " + std::to_string(m.version) +
                                     " is also " + found[m.version].path);
            found[m.version] = std::move(m);
        }
    }
    std::vector<MigrationFile> out;
    for (auto& [v, m] : found)
        out.push_back(std::move(m));
    return out;
}

void Migrator::ensureTable() {
    auto lease = db_.acquire();
    lease->executeScript(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " component VARCHAR(64) NOT NULL,"
        " version INTEGER NOT NULL,"
        " name VARCHAR(200) NOT NULL,"
        " checksum CHAR(64) NOT NULL,"
        " applied_at BIGINT NOT NULL,"
        " PRIMARY KEY (component, version))");
}

std::vector<MigrationFile> Migrator::migrate(const std::string& component) {
    ensureTable();
    MigrationLock lock(db_);
    const auto files = discover(component);
    std::map<int, const MigrationFile*> byVersion;
    for (const auto& f : files)
        byVersion[f.version] = &f;

    std::map<int, std::string> applied;
    for (const auto& row :
         db_.query("SELECT version, name, checksum FROM schema_migrations WHERE component = ?",
                   {component})) {
        const int version = static_cast<int>(row.getInt("version"));
        auto it = byVersion.find(version);
        const std::string label =
            component + "/" + std::to_string(version) + "_" + row.getString("name");
        if (it == byVersion.end())
            throw MigrationError("migration " + label +
                                 " was applied but its file is gone; is this an older relaisd?");
        if (it->second->checksum != row.getString("checksum"))
            throw MigrationError(
                "migration " + it->second->path + " was changed after it was applied (checksum " +
                row.getString("checksum").substr(0, 12) + "… recorded, " +
                it->second->checksum.substr(0, 12) + "… now); write a new migration instead");
        applied[version] = row.getString("checksum");
    }

    std::vector<MigrationFile> done;
    for (const auto& f : files) {
        if (applied.count(f.version))
            continue;
        const std::string sql = readFile(f.path);
        auto record = [&](db::Connection& c) {
            c.execute(
                "INSERT INTO schema_migrations (component, version, name, checksum, applied_at)"
                " VALUES (?, ?, ?, ?, ?)",
                {component, f.version, f.name, f.checksum, nowMs()});
        };
        try {
            if (db_.dialect() == db::Dialect::SQLite) {
                db_.transaction([&](db::Connection& c) {
                    c.executeScript(sql);
                    record(c);
                });
            } else {
                // MySQL commits each DDL statement by itself; the record comes last so that a
                // failed migration is retried at the next start.
                auto lease = db_.acquire();
                lease->executeScript(sql);
                db_.transaction(record);
            }
        } catch (const db::Error& e) {
            throw MigrationError("migration " + f.path + " failed: " + e.what());
        }
        logger_.information("applied migration %s", f.path);
        done.push_back(f);
    }
    return done;
}

}  // namespace relais
