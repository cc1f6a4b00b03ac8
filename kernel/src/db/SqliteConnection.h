#pragma once

#include <sqlite3.h>

#include <string>
#include <unordered_map>

#include "relais/Database.h"

namespace relais::db {

/// A connection to the SQLite file: WAL, synchronous FULL (a committed transaction survives a
/// power cut), foreign keys on, secure delete (a destroyed key is overwritten, not left in a
/// free page), a busy timeout, and immediate transactions so that two writers queue on the
/// lock instead of failing on upgrade.
class SqliteConnection final : public Connection {
public:
    explicit SqliteConnection(const DatabaseOptions& options);
    ~SqliteConnection() override;

    Dialect dialect() const override { return Dialect::SQLite; }
    Result query(const std::string& sql, const Params& params) override;
    std::uint64_t execute(const std::string& sql, const Params& params) override;
    std::int64_t lastInsertId() override;
    void executeScript(const std::string& sql) override;
    bool broken() const override { return broken_; }
    void begin() override;
    void commit() override;
    void rollback() override;

private:
    sqlite3_stmt* prepare(const std::string& sql, const Params& params);
    [[noreturn]] void fail(int rc, const std::string& what);

    sqlite3* db_ = nullptr;
    std::string path_;
    std::unordered_map<std::string, sqlite3_stmt*> cache_;
    bool broken_ = false;
};

}  // namespace relais::db
